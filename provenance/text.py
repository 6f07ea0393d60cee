"""The rule for text people type or files carry (names, titles, notes, reasons, article
bodies), so every writer — the pages, the API, the admin, the importers and the management
commands, all through the services — refuses the same characters with the same words,
naming the field; and the rule for text leaving in a spreadsheet.

What it refuses and why: NUL (PostgreSQL text cannot hold it, so storing it is a 500 there
and an export that no restore accepts on SQLite), lone surrogates (not characters at all:
encoding them for the database raises UnicodeEncodeError), other control characters (they
make a name that looks like another), and in names also U+FFFD, the mark a decoder leaves
where the bytes it was given were not UTF-8: a source called "��" is nobody, and
bidirectional override controls, which make a name display as something it is not.
"""

import re

from django.core.exceptions import ValidationError

# Control characters other than tab, newline and carriage return (a textarea sends CRLF).
_NOT_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_NOT_IN_NAME = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\ufffd\u202a-\u202e\u2066-\u2069]")


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


def clean_text(
    value, *, field: str, max_length: int | None = None, strip: bool = True
) -> str:
    """Free text (a note, a rationale) with surrounding whitespace stripped; an article
    body passes `strip=False`, since every offset indexes into it as it is."""
    label = _label(field)
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    _refuse_characters(value, _NOT_IN_TEXT, field, label)
    if strip:
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
    elif "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        why = f"U+{ord(char):04X}, a bidirectional override that disguises text"
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


# Spreadsheets run a cell starting with one of these as a formula ("=HYPERLINK(...)"),
# including the full-width forms that some spreadsheet programs fold to ASCII.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(text: str) -> str:
    """`text` as a spreadsheet shows it, not runs it: a formula-looking cell gets the
    documented escape, a leading apostrophe (OWASP's CSV injection advice)."""
    return "'" + text if text.startswith(_FORMULA_START) else text
