"""Read article files (plain text, HTML, JSONL) into `ArticleInput`s. No database access here.

Every problem is raised as `InputError` naming the file, the line for JSONL, and the reason,
so the command, the API and the admin all report it the same way.
"""

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from . import sanitise
from .segment import normalise

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
METADATA_FILE = "metadata.json"


class InputError(Exception):
    def __init__(self, origin, reason, *, line=None, code="invalid"):
        self.origin = origin
        self.reason = reason
        self.line = line
        self.code = code
        where = f"{origin}, line {line}" if line else origin
        super().__init__(f"{where}: {reason}")


@dataclass
class ArticleInput:
    origin: str
    text: str
    title: str = ""
    url: str = ""
    publisher: str = ""
    publisher_kind: str = ""
    author: str = ""
    published_on: dt.date | None = None
    publication_kind: str = ""
    language: str = "en"
    line: int | None = None
    extra: dict = field(default_factory=dict)


def decode(data: bytes, origin: str, *, max_bytes: int, line=None) -> str:
    """Bytes to normalised text, refusing what a reviewer could not read."""
    if len(data) > max_bytes:
        raise InputError(
            origin,
            f"is {len(data):,} bytes, larger than the limit of {max_bytes:,} bytes",
            line=line,
            code="too_large",
        )
    if b"\x00" in data:
        raise InputError(origin, "looks like a binary file, not text", line=line, code="binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            origin, f"is not valid UTF-8 (byte {exc.start})", line=line, code="not_utf8"
        ) from None
    text = normalise(text)
    if not text.strip():
        raise InputError(origin, "is empty", line=line, code="empty")
    return text


def _parse_date(value, origin, line):
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(
            origin, f"published_on {value!r} is not a date like 2024-05-16", line=line
        ) from None


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return " ".join(line.split())[:500]
    return ""


def from_text(data: bytes, origin: str, *, max_bytes: int, meta=None) -> ArticleInput:
    text = decode(data, origin, max_bytes=max_bytes)
    return _with_meta(ArticleInput(origin=origin, text=text, title=_first_line(text)), meta)


def from_html(data: bytes, origin: str, *, max_bytes: int, meta=None) -> ArticleInput:
    html = decode(data, origin, max_bytes=max_bytes)
    text = sanitise.html_to_text(html)
    if not text.strip():
        raise InputError(origin, "has no readable text once markup is removed", code="empty")
    title = sanitise.html_title(html) or _first_line(text)
    return _with_meta(ArticleInput(origin=origin, text=text, title=title), meta)


def _with_meta(article: ArticleInput, meta) -> ArticleInput:
    """Apply a metadata.json entry: titles come from there, never guessed, when one exists."""
    if not meta:
        return article
    for key in ("title", "url", "publisher", "publisher_kind", "author", "publication_kind",
                "language"):
        if meta.get(key):
            setattr(article, key, str(meta[key]))
    article.published_on = _parse_date(meta.get("published_on"), article.origin, None)
    return article


def from_jsonl(data: bytes, origin: str, *, max_bytes: int):
    """One ArticleInput per non-blank line, or the InputError that line raised.

    Errors are yielded, not raised, so one bad line fails only its own article.
    """
    if b"\x00" in data[:8192]:
        raise InputError(origin, "looks like a binary file, not text", code="binary")
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            yield _jsonl_record(raw, origin, number, max_bytes=max_bytes)
        except InputError as exc:
            yield exc


def _jsonl_record(raw: bytes, origin: str, number: int, *, max_bytes: int) -> ArticleInput:
    line = decode(raw, origin, max_bytes=max_bytes, line=number)
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(origin, f"is not valid JSON ({exc.msg})", line=number) from None
    except RecursionError:
        raise InputError(origin, "is nested too deeply to be an article", line=number) from None
    if not isinstance(record, dict):
        raise InputError(origin, "must be a JSON object", line=number)
    text, html = record.get("text"), record.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        raise InputError(origin, 'has no "text" or "html"', line=number, code="no_text")
    body = normalise(text) if isinstance(text, str) else sanitise.html_to_text(html)
    if not body.strip():
        raise InputError(origin, "has an empty text", line=number, code="empty")
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        title = _first_line(body)
    article = ArticleInput(origin=origin, text=body, title=title.strip(), line=number)
    for key in ("url", "publisher", "publisher_kind", "author", "publication_kind", "language"):
        value = record.get(key)
        if value not in (None, ""):
            if not isinstance(value, str):
                raise InputError(origin, f'"{key}" must be a string', line=number)
            setattr(article, key, value.strip())
    article.published_on = _parse_date(record.get("published_on"), origin, number)
    return article


def read_metadata(folder: Path) -> dict:
    path = folder / METADATA_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(path), f"is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise InputError(str(path), "must map file names to objects")
    return data


def expand_paths(paths) -> list[Path]:
    """Files to import, in a stable order; folders contribute their supported files."""
    files = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(p for p in path.iterdir() if p.is_file() and p.suffix in SUPPORTED_SUFFIXES)
            )
        elif path.exists():
            files.append(path)
        else:
            raise InputError(str(path), "does not exist", code="missing")
    return files


def parse_bytes(data: bytes, name: str, *, max_bytes: int, meta=None):
    """ArticleInputs from one file's bytes, chosen by its suffix."""
    suffix = Path(name).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return [from_text(data, name, max_bytes=max_bytes, meta=meta)]
    if suffix in HTML_SUFFIXES:
        return [from_html(data, name, max_bytes=max_bytes, meta=meta)]
    if suffix in JSONL_SUFFIXES:
        return from_jsonl(data, name, max_bytes=max_bytes)
    raise InputError(
        name,
        f"has an unsupported type {suffix or '(none)'}; use .txt, .md, .html or .jsonl",
        code="unsupported",
    )
