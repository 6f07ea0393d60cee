"""The article as the claim rules see it: its sentences, its date, the places and people it
names, and the claim drafts the rules make of it; with the small readings that quantities
and assertions share (a clause's words, its status, its parties, its attribution).

Pure Python on text, like the rest of the claim rules (extraction.py, assertions.py).
"""

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from . import lexicon

QUANTITY = "quantity"
ASSERTION = "assertion"

OUTCOME, TARGET, FORECAST = "outcome", "target", "forecast"

TOKEN = re.compile(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z]|\d[\d,.]*%?|[$€£¥%]")
MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december"]
# "Chinese President Xi Jinping", "President Putin of Russia": who leads where, learnt from
# the article itself so no list of people is needed.
_TITLE = r"(?:President|Prime Minister|Premier|Foreign Minister|Minister|Chancellor|leader)"
_PERSON_BEFORE = re.compile(
    rf"\b([A-Z][a-z]+)\s+{_TITLE}\s+((?:[A-Z][a-z]+\s?){{1,3}})"
)
_PERSON_AFTER = re.compile(rf"\b{_TITLE}\s+((?:[A-Z][a-z]+\s?){{1,3}})of\s+([A-Z][a-z]+)")
_DATE_LINE = re.compile(
    r"^(?:[A-Za-z]+,\s+)?(" + "|".join(MONTH_NAMES) + r")\s+(\d{1,2}),\s+(\d{4})$", re.IGNORECASE
)
_ALIAS_TO_PLACE = {
    alias: place for place, aliases in lexicon.PLACES.items() for alias in aliases
}
_PLACE_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(a) for a in _ALIAS_TO_PLACE), key=len, reverse=True))
    + r")(?:['’]s)?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Period:
    start: dt.date | None = None
    end: dt.date | None = None
    text: str = ""
    # "stated" in the sentence, "context" from the sentence before, "article" from the
    # article's date ("last year"), "" when none.
    basis: str = ""

    @property
    def known(self) -> bool:
        return self.start is not None


@dataclass
class ClaimDraft:
    kind: str
    start: int          # absolute offsets into the article body
    end: int
    as_written: str
    subject: str        # a short human subject: "China–Russia trade"
    measure: str = ""   # the grouping key of a quantity: measure|goods|parties|dimension
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    comparator: str = ""
    direction: str = ""  # "up", "down" or ""
    status: str = OUTCOME
    period: Period = field(default_factory=Period)
    parties: tuple[str, ...] = ()
    attribution: str = ""
    # For assertions: content roots, "~root" when negated ("not allies" → "~alli").
    terms: tuple[str, ...] = ()


@dataclass
class ArticleContext:
    """What the rules know about an article as a whole."""

    date: dt.date | None = None
    parties: tuple[str, ...] = ()          # the places it is mostly about
    people: dict[str, str] = field(default_factory=dict)   # surname → place


@dataclass(frozen=True)
class SentenceText:
    start: int          # offset of the sentence in the article body
    text: str
    starts_paragraph: bool = False
    is_heading: bool = False

    @property
    def is_label(self) -> bool:
        """A short heading ("Strategic Meet-ups and Soaring Trade") names a topic and asserts
        nothing a reader could check; a headline written as a sentence ("A HUNTER who ate a
        wild rabbit has been hit by the plague.") does."""
        short = len(self.text.split()) <= 8
        return self.is_heading and short and self.text.rstrip()[-1:] not in ".!?"


# --- the article as a whole -------------------------------------------------------------

def article_context(sentences, *, published_on=None, boilerplate=()) -> ArticleContext:
    """The article's date (its publication date, else a date line such as a blog's
    "Saturday, July 22, 2023" among its boilerplate), the two places it names most, and the
    people it introduces with a country ("Chinese President Xi Jinping")."""
    date = published_on
    if date is None:
        for text in boilerplate:
            if m := _DATE_LINE.match(text.strip()):
                month = MONTH_NAMES.index(m.group(1).lower()) + 1
                try:
                    date = dt.date(int(m.group(3)), month, int(m.group(2)))
                except ValueError:
                    continue
                break
    counts = Counter()
    people = {}
    for s in sentences:
        counts.update(p for p, _, _ in places(s.text) if p not in ("west", "europe", "asia"))
        for m in _PERSON_BEFORE.finditer(s.text):
            if place := _ALIAS_TO_PLACE.get(m.group(1).lower()):
                for name in m.group(2).split():
                    people.setdefault(name, place)
        for m in _PERSON_AFTER.finditer(s.text):
            if place := _ALIAS_TO_PLACE.get(m.group(2).lower()):
                for name in m.group(1).split():
                    people.setdefault(name, place)
    top = tuple(sorted(p for p, _ in counts.most_common(2)))
    return ArticleContext(date=date, parties=top, people=people)


def places(text: str):
    """(place, start, end) for each place named in `text`; "US" only in capitals, since
    "us" is a pronoun."""
    for m in _PLACE_RE.finditer(text):
        word = m.group(1)
        if word.lower() in ("us", "eu", "uk") and not word.isupper():
            continue
        yield _ALIAS_TO_PLACE[word.lower()], m.start(), m.end()

def words_of(text: str, offset: int = 0):
    return [(m.group().lower().rstrip("."), m.start() + offset, m.end() + offset)
            for m in TOKEN.finditer(text)]


def status_of(words) -> str:
    vocabulary = {w for w, _, _ in words}
    if vocabulary & lexicon.TARGET:
        return TARGET
    if vocabulary & lexicon.FORECAST:
        return FORECAST
    return OUTCOME


def parties_of(clause, context):
    found = []
    for place, _, _ in places(clause):
        if place not in found and place not in ("west", "europe", "asia"):
            found.append(place)
    for name, place in context.people.items():
        if re.search(rf"\b{re.escape(name)}\b", clause) and place not in found:
            found.append(place)
    return tuple(sorted(found)) or context.parties


def title_of(place: str) -> str:
    if place == "*":
        return "anywhere"
    return place.upper() if len(place) <= 3 else place.title()


def attribution_phrase(text: str) -> str:
    """The words that attribute the sentence, as written ("according to Chinese customs
    data"), or "" when nothing does."""
    lowered = text.lower()
    for cue in lexicon.ATTRIBUTION_CUES:
        at = re.search(rf"\b{re.escape(cue)}", lowered)
        if not at:
            continue
        if cue == "according to":
            end = re.search(r"[,.;]|$", text[at.end():]).start() + at.end()
            return text[at.start():end].strip()
        # The speaker is what stands before the cue in its clause: "Reuters reported",
        # "a report from Business Insider said".
        start = max(text.rfind(",", 0, at.start()), text.rfind(";", 0, at.start())) + 1
        cue_end = at.end() + (len(re.match(r"\w*", text[at.end():]).group()))
        if cue in ("report from", "report by", "source:"):
            cue_end = (re.search(r"[,.;]|$", text[at.end():]).start() + at.end())
        return text[start:cue_end].strip()[:200]
    return ""
