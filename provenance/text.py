"""One rule for the text people and files send us, and one for text that leaves in a
spreadsheet.

Every service that stores text a person typed or a file carried calls `check_text`, so the
browser, the API, the admin, the importers and the management commands refuse the same
characters with the same message, naming the field. Without it a NUL byte is stored on
SQLite and then breaks PostgreSQL, the JSONL export and the restore; a lone surrogate
("\\ud800" in JSON) cannot be encoded as UTF-8 and fails deep in the database driver.
"""

import re

from django.core.exceptions import ValidationError

# C0 and C1 control characters other than tab, line feed and carriage return. NUL is one
# of them; PostgreSQL text cannot hold it at all.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Lone UTF-16 surrogates: valid in a Python str (JSON "\ud800" decodes to one) but not
# encodable as UTF-8, so no database or file can store them.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Bidirectional embedding, override and isolate controls: in a name they make text display
# as something other than what it is ("Trojan Source"). Right-to-left scripts need none.
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
# U+FFFD is what a form's invalid UTF-8 bytes decode to; a name made of it is mojibake.
_REPLACEMENT = "\ufffd"


def check_text(
    value, *, field: str, max_length: int | None = None, single_line: bool = False,
    required: bool = False, strip: bool = True,
) -> str:
    """`value` as text fit to store, or a ValidationError naming `field` and the problem.

    `single_line` is for names and titles: no line breaks, no bidirectional controls, no
    U+FFFD (what invalid UTF-8 in a form becomes), and surrounding space trimmed with runs
    of white space folded. Multi-line text (notes, reasons) keeps its line breaks; an
    article body passes `strip=False`, since every offset indexes into it as it is.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({field: f"{field} must be text."}, code="not_text")
    if _SURROGATE.search(value):
        raise ValidationError(
            {field: f"{field} contains a character that is not valid Unicode (a lone surrogate)."},
            code="surrogate",
        )
    found = _CONTROL.search(value)
    if found:
        raise ValidationError(
            {field: f"{field} contains a control character (U+{ord(found.group()):04X}); "
                    "only tabs and line breaks are allowed."},
            code="control_character",
        )
    if single_line:
        if _BIDI_CONTROL.search(value):
            raise ValidationError(
                {field: f"{field} contains a bidirectional override character, which would "
                        "make it display as something it is not."},
                code="bidi_control",
            )
        if _REPLACEMENT in value:
            raise ValidationError(
                {field: f"{field} contains U+FFFD, the mark of text that was not valid UTF-8."},
                code="not_utf8",
            )
        value = " ".join(value.split())
    elif strip:
        value = value.strip()
    if required and not value:
        raise ValidationError({field: f"{field} may not be blank."}, code="required")
    if max_length is not None and len(value) > max_length:
        raise ValidationError(
            {field: f"{field} takes at most {max_length} characters (this has {len(value)})."},
            code="too_long",
        )
    return value


# Spreadsheets run a cell starting with one of these as a formula ("=HYPERLINK(...)"),
# including the full-width forms that some spreadsheet programs fold to ASCII.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(text: str) -> str:
    """`text` as a spreadsheet shows it, not runs it: a formula-looking cell gets the
    documented escape, a leading apostrophe (OWASP's CSV injection advice)."""
    return "'" + text if text.startswith(_FORMULA_START) else text
