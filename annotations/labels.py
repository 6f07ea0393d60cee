"""Everything the app knows about each label, in one place.

The legend, the label buttons, the shortcut list, the guide, the highlights, the panel rows,
the adjudication page, the workspace script (through json_script) and the label colours
(labels.css, rendered from here by views.label_styles) all read this module. Adding a label
is one edit here: a member of Label and its LabelInfo in _INFO (then `makemigrations`, as
the database's check constraint lists the known labels). Forgetting the LabelInfo fails at
import, not on some page later.

A label's value is also its CSS name: `tag-<value>` (the initial's badge), `hl-<value>` (a
highlight) and `label-<value>` (sets --label-colour and --label-tint for other rules).
"""

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from django.db import models


class Label(models.TextChoices):
    # Codebook order: the order of the legend, the buttons and the shortcut keys.
    SENSATIONAL_FRAMING = "sensational_framing", "Sensational framing"
    UNVERIFIED_CLAIM = "unverified_claim", "Unverified claim"
    CITED_SOURCE = "cited_source", "Cited source"


_HEX = re.compile(r"^#[0-9a-f]{6}$")


@dataclass(frozen=True)
class LabelInfo:
    label: Label
    initial: str  # drawn on every highlight and tag, so colour is never the only cue
    key: str  # the workspace's keyboard shortcut
    colour: str  # a tag's background, under white text (AA contrast, tested)
    tint: str  # a highlight's background, under body text (AA contrast, tested)
    definition: str  # one paragraph: the legend's tooltip and the guide's opening
    needs_source: bool = False  # the annotation names the source it cites

    def __post_init__(self):
        # Colours go into a stylesheet verbatim: only plain hex gets there.
        for colour in (self.colour, self.tint):
            if not _HEX.match(colour):
                raise ValueError(f"{self.label}: colours are #rrggbb in lower case, not {colour!r}")

    @property
    def value(self) -> str:
        return self.label.value

    @property
    def name(self) -> str:
        return self.label.label

    def as_json(self) -> dict:
        """What the workspace script needs (read from json_script, not from its source)."""
        return {"value": self.value, "name": self.name, "key": self.key,
                "needsSource": self.needs_source}


_INFO = {
    Label.SENSATIONAL_FRAMING: LabelInfo(
        Label.SENSATIONAL_FRAMING,
        initial="S",
        key="1",
        colour="#b3261e",
        tint="#ffdcd6",
        definition=(
            "The writer's own wording makes events bigger, more emotional or more "
            "adversarial than the facts given support: capitals, superlatives, loaded "
            "adjectives, certainty markers, clickbait."
        ),
    ),
    Label.UNVERIFIED_CLAIM: LabelInfo(
        Label.UNVERIFIED_CLAIM,
        initial="U",
        key="2",
        colour="#7a4f00",
        tint="#ffeaa8",
        definition=(
            "A checkable assertion (event, number, intention, cause, trend or a confident "
            "prediction) with no traceable source, or only a vague one such as "
            '"experts say".'
        ),
    ),
    Label.CITED_SOURCE: LabelInfo(
        Label.CITED_SOURCE,
        initial="C",
        key="3",
        colour="#0b57d0",
        tint="#d6e6ff",
        definition=(
            "The sentence attributes information to a specific, named person, outlet, "
            "agency, organisation, document or dataset. Record each source."
        ),
        needs_source=True,
    ),
}

# Every reader goes through LABELS (or info()), never _INFO; a Label without its entry
# raises KeyError here.
LABELS: tuple[LabelInfo, ...] = tuple(_INFO[label] for label in Label)


def info(value: str) -> LabelInfo:
    """The LabelInfo of a label value; KeyError for an unknown one."""
    for item in LABELS:
        if item.value == value:
            return item
    raise KeyError(value)


def ordered(values) -> list[LabelInfo]:
    """The labels among `values`, in codebook order."""
    present = set(values)
    return [item for item in LABELS if item.value in present]


def script_data() -> list[dict]:
    return [item.as_json() for item in LABELS]


def stylesheet() -> str:
    """labels.css: each label's colours, and stripes where phrases of several overlap."""
    return _stylesheet(LABELS)


@lru_cache(maxsize=4)
def _stylesheet(labels: tuple[LabelInfo, ...]) -> str:
    lines = ["/* Rendered from annotations/labels.py; change colours there. */"]
    for item in labels:
        lines += [
            f".tag-{item.value} {{ background: {item.colour}; }}",
            f".hl-{item.value} {{ background: {item.tint}; }}",
            f".label-{item.value} {{ --label-colour: {item.colour}; --label-tint: {item.tint}; }}",
        ]
    # Text under two or three labels at once shows a stripe of each tint. Every combination
    # is listed (four for three labels), so a highlight never needs an inline style, which
    # the Content-Security-Policy forbids.
    for size in range(2, len(labels) + 1):
        for group in combinations(labels, size):
            selector = "".join(f".hl-{item.value}" for item in group)
            stops = ", ".join(
                f"{item.tint} {100 * i / size:.4g}% {100 * (i + 1) / size:.4g}%"
                for i, item in enumerate(group)
            )
            lines.append(f"{selector} {{ background: linear-gradient({stops}); }}")
    return "\n".join(lines) + "\n"


def stylesheet_version() -> str:
    """Changes whenever the stylesheet does, so browsers may cache each version for good."""
    return hashlib.sha256(stylesheet().encode()).hexdigest()[:12]
