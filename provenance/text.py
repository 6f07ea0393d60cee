"""The rule for text people type into names and notes, so every writer refuses the same
characters with the same words, naming the field.

What it refuses and why: NUL (PostgreSQL text cannot hold it, so storing it is a 500 there
and an export that no restore accepts on SQLite), lone surrogates (not characters at all:
encoding them for the database raises UnicodeEncodeError), other control characters (they
make a name that looks like another), and in names also U+FFFD, the mark a decoder leaves
where the bytes it was given were not UTF-8: a source called "��" is nobody.
"""

import re

from django.core.exceptions import ValidationError

# Control characters other than tab, newline and carriage return (a textarea sends CRLF).
_NOT_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_NOT_IN_NAME = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\ufffd]")


def clean_name(
    value, *, field: str, max_length: int, required: bool = True, label: str | None = None
) -> str:
    """A one-line name with its whitespace collapsed (runs of spaces, tabs and newlines
    become one space), or a ValidationError keyed by `field` whose message names `label`
    (by default the field: "the name")."""
    label = label or _label(field)
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    _refuse_characters(value, _NOT_IN_NAME, field, label)
    value = " ".join(value.split())
    if required and not value:
        raise ValidationError({field: f"{_upper_first(label)} cannot be empty."}, code="required")
    _refuse_length(value, field, label, max_length)
    return value


def clean_text(value, *, field: str, max_length: int | None = None) -> str:
    """Free text (a note, a rationale) with surrounding whitespace stripped."""
    label = _label(field)
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    _refuse_characters(value, _NOT_IN_TEXT, field, label)
    value = value.strip()
    if max_length is not None:
        _refuse_length(value, field, label, max_length)
    return value


def _label(field: str) -> str:
    return "the " + field.replace("_", " ")


def _upper_first(label: str) -> str:
    return label[:1].upper() + label[1:]  # str.capitalize() would lower a quoted name


def _refuse_characters(value: str, pattern: re.Pattern, field: str, label: str) -> None:
    found = pattern.search(value)
    if found is None:
        return
    char = found.group()
    if char == "\ufffd":
        why = "U+FFFD, the mark of text that was not valid UTF-8"
    elif "\ud800" <= char <= "\udfff":
        why = f"U+{ord(char):04X}, half of a character (a lone surrogate)"
    else:
        why = f"U+{ord(char):04X}, a control character"
    raise ValidationError(
        {field: f"{_upper_first(label)} contains {why}; remove it."}, code="invalid_character"
    )


def _refuse_length(value: str, field: str, label: str, max_length: int) -> None:
    if len(value) > max_length:
        raise ValidationError(
            {field: f"{_upper_first(label)} is {len(value):,} characters long; the most is "
                    f"{max_length:,}."},
            code="max_length",
        )
