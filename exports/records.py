"""A JSONL export's lines read back as records, and each field read with the check that
says what is wrong with it ("label" must be a non-empty string), for exports.restore.

Nothing here touches the database: a file's every line is parsed and typed first, then
restore.py resolves it against the database in a constant number of queries.
"""

import datetime as dt
import json


class RowError(Exception):
    """What is wrong with one line of the file, worded for the person who restores it."""


def read_text(record, key, *, required=True, max_length=None):
    value = record.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip() and key != "note"):
        raise RowError(f'"{key}" must be a non-empty string')
    if max_length and len(value) > max_length:
        raise RowError(f'"{key}" is longer than {max_length} characters')
    if "\x00" in value:
        raise RowError(f'"{key}" contains a NUL character')
    return value


def read_int(record, key, *, required=True):
    value = record.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RowError(f'"{key}" must be a whole number ≥ 0')
    return value


def shown(value) -> str:
    """A value quoted in an error message: short (a line may hold megabytes)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def read_when(record, key):
    value = record.get(key)
    if value in (None, ""):
        return None
    # Numbers (10**20, 1e400) and other JSON types are not timestamps: the export writes text.
    if not isinstance(value, str):
        raise RowError(f'"{key}" {shown(value)} is not an ISO 8601 timestamp')
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise RowError(f'"{key}" {shown(value)} is not an ISO 8601 timestamp') from None
    if parsed.tzinfo is None:
        raise RowError(f'"{key}" {shown(value)} has no time zone')
    try:
        # 0001-01-01T00:00+01:00 and 9999-12-31T23:00-02:00 parse but have no UTC
        # equivalent: storing them overflowed (a 500 from the whole import).
        parsed.astimezone(dt.UTC)
    except OverflowError:
        raise RowError(f'"{key}" {shown(value)} is out of range') from None
    return parsed


def parse_lines(lines):
    """(line number, record) for each non-blank line, plus errors for unreadable ones."""
    records, errors = [], []
    for number, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                errors.append((number, f"is not valid UTF-8 (byte {exc.start})"))
                continue
        raw = raw.lstrip("\ufeff") if number == 1 else raw
        if not raw or raw.isspace():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append((number, f"is not valid JSON ({exc.msg})"))
            continue
        except RecursionError:
            errors.append((number, "is nested too deeply to be an annotation"))
            continue
        if not isinstance(record, dict):
            errors.append((number, "must be a JSON object"))
            continue
        records.append((number, record))
    return records, errors


def distinct_texts(records, key) -> list[str]:
    """The distinct text values of `key` in the records."""
    return list({value for _, r in records if isinstance(value := r.get(key), str)})
