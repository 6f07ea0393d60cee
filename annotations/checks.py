"""What the database cannot check about an annotation, checked once for every writer:
the label known, a source exactly when one is cited, not on boilerplate, the phrase inside
its sentence, the quote equal to the text there, the note's characters and length; and
the words for the duplicates the database refuses.

No writes here: annotations.services (one change at a time) and the importers' bulk
writers call these before they write, so all of them refuse the same input with the same
message.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError

from provenance.models import Sentence, Source
from provenance.text import clean_text

from .models import Annotation, Label, Status

# Notes and verdict reasons are prose, not documents.
NOTE_MAX = 10_000

# Enum .values builds a new list on every access; importers check these once per row.
LABELS = frozenset(Label.values)
STATUSES = frozenset(Status.values)

_UNIQUE_MESSAGES = {
    "annotation_one_live_label_per_reviewer": (
        "You already gave this sentence that label; edit the existing annotation instead."
    ),
    "annotation_one_live_citation_per_reviewer_source": (
        "You already cited this source on this sentence."
    ),
}


def check_fields(*, sentence: Sentence, label, phrase, source, quote) -> tuple:
    """Validate label, phrase and source against the sentence; return (start, end, quote)."""
    if label not in LABELS:
        raise ValidationError(
            {"label": f"Unknown label {label!r}; use one of {', '.join(Label.values)}."},
            code="invalid_label",
        )
    if label == Label.CITED_SOURCE and source is None:
        raise ValidationError(
            {"source": "A cited source annotation needs the source it cites."},
            code="source_required",
        )
    if label != Label.CITED_SOURCE and source is not None:
        raise ValidationError(
            {"source": "Only a cited source annotation names a source."}, code="source_forbidden"
        )
    if sentence.is_boilerplate:
        raise ValidationError(
            {"sentence": "This sentence is boilerplate; it is not annotated."},
            code="boilerplate",
        )
    start, end = phrase if phrase else (None, None)
    if (start is None) != (end is None):
        raise ValidationError(
            {"phrase": "Give both phrase_start and phrase_end, or neither."}, code="phrase_half"
        )
    if start is not None:
        if not (sentence.start <= start < end <= sentence.end):
            raise ValidationError(
                {
                    "phrase": (
                        f"The phrase {start}–{end} must lie inside the sentence "
                        f"({sentence.start}–{sentence.end}) and not be empty."
                    )
                },
                code="phrase_outside",
            )
        if start == sentence.start and end == sentence.end:
            start = end = None  # the whole sentence, stored the one way
    expected = (
        sentence.text
        if start is None
        else sentence.text[start - sentence.start : end - sentence.start]
    )
    if quote not in (None, "") and quote != expected:
        raise ValidationError(
            {"quote": f"The quote does not match the text at those offsets ({expected!r})."},
            code="quote_mismatch",
        )
    return start, end, expected


def integrity_message(exc: IntegrityError) -> ValidationError:
    # PostgreSQL names the violated constraint; SQLite lists the unique index's columns.
    text = str(exc)
    if "citation" in text or "source_id" in text:
        name = "annotation_one_live_citation_per_reviewer_source"
    elif "one_live_label" in text or "UNIQUE" in text:
        name = "annotation_one_live_label_per_reviewer"
    else:
        return ValidationError(f"The database refused this annotation: {text}", code="invalid")
    return ValidationError(_UNIQUE_MESSAGES[name], code="duplicate")


def annotation_check(
    *,
    reviewer,
    sentence: Sentence,
    label: str,
    phrase: tuple[int, int] | None = None,
    source: Source | None = None,
    note: str = "",
    quote: str | None = None,
) -> Annotation:
    """An unsaved annotation that passed annotation_create's checks, made without selectors."""
    start, end, quote, note = annotation_values(
        sentence=sentence, label=label, phrase=phrase, source=source, note=note, quote=quote
    )
    return Annotation(
        reviewer=reviewer,
        sentence=sentence,
        label=label,
        phrase_start=start,
        phrase_end=end,
        quote=quote,
        source=source,
        note=note,
    )


def annotation_values(
    *, sentence, label: str, phrase=None, source=None, note: str = "", quote=None
) -> tuple:
    """The rules every annotation passes, and its normalised values: (phrase_start,
    phrase_end, quote, note). annotation_check() builds an unsaved Annotation from them;
    bulk writers (the JSONL importer) pass them to annotation_bulk_create() as they are.

    `sentence` needs only is_boilerplate, start, end and text, and `source` only to be None
    or not, so an importer can pass rows it read as tuples: building model instances cost
    a restore more than all of its checks.
    """
    start, end, quote = check_fields(
        sentence=sentence, label=label, phrase=phrase, source=source, quote=quote
    )
    return start, end, quote, clean_text(note, field="note", max_length=NOTE_MAX)
