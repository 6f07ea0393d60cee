"""Read article files (plain text, HTML, JSONL) into `ArticleInput`s. No database access here.

HTML is a web page: decoded in whatever encoding it is in (encoding.py), its article found
and its metadata read (extract.py). Plain text and JSONL must be UTF-8 unless the person
importing names the encoding.

Every problem is raised as `InputError` naming the file, the line for JSONL, and the reason,
so the command, the API and the admin all report it the same way.
"""

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from . import encoding as encodings
from . import extract, sanitise
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
    # The site's own name for itself (og:site_name), for finding or proposing its publisher.
    site_name: str = ""
    # A web page (HTML): its site becomes a source to review when no source owns its domain.
    web_page: bool = False
    # What a person importing should be told besides the counts (e.g. the whole page was
    # kept because no article was found on it).
    notes: list[str] = field(default_factory=list)


def check_size(size: int, origin: str, *, max_bytes: int, line=None) -> None:
    """Refuse `size` bytes over the limit; an upload checks its size before reading it."""
    if size > max_bytes:
        raise InputError(
            origin,
            f"is {size:,} bytes, larger than the limit of {max_bytes:,} bytes",
            line=line,
            code="too_large",
        )


def _check_size(data: bytes, origin: str, *, max_bytes: int, line=None) -> None:
    check_size(len(data), origin, max_bytes=max_bytes, line=line)


def decode(data: bytes, origin: str, *, max_bytes: int, line=None, encoding=None) -> str:
    """Bytes to normalised text, refusing what a reviewer could not read.

    Plain text must be UTF-8 unless `encoding` names its encoding: a guess that is wrong
    turns an article into mojibake without anyone noticing.
    """
    _check_size(data, origin, max_bytes=max_bytes, line=line)
    if b"\x00" in data and not encoding:
        raise InputError(origin, "looks like a binary file, not text", line=line, code="binary")
    try:
        text = encodings.decode_text(data, encoding=encoding).text
    except encodings.EncodingError as exc:
        raise InputError(origin, str(exc), line=line, code=exc.code) from None
    if "\x00" in text:
        raise InputError(origin, "looks like a binary file, not text", line=line, code="binary")
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


def from_text(data: bytes, origin: str, *, max_bytes: int, meta=None,
              encoding=None) -> ArticleInput:
    text = decode(data, origin, max_bytes=max_bytes, encoding=encoding)
    return _with_meta(ArticleInput(origin=origin, text=text, title=_first_line(text)), meta)


def from_html(data: bytes, origin: str, *, max_bytes: int, meta=None, url: str = "",
              http_charset: str | None = None) -> ArticleInput:
    """A web page's article: its main text, headline and metadata (extract.py).

    `url` is where the page was fetched from (the page's canonical URL wins when it
    gives one); `http_charset` what the server said its encoding was.
    """
    _check_size(data, origin, max_bytes=max_bytes)
    html = normalise(encodings.decode_html(data, http_charset=http_charset).text)
    if "\x00" in html:
        raise InputError(origin, "looks like a binary file, not text", code="binary")
    if not html.strip():
        raise InputError(origin, "is empty", code="empty")
    page = extract.extract_page(html, url=url)
    if not page.text.strip():
        raise InputError(origin, "has no readable text once markup is removed", code="empty")
    found = page.metadata
    article = ArticleInput(
        origin=origin, text=page.text, title=found.title or _first_line(page.text),
        url=found.url or url, author=found.author, published_on=found.published_on,
        language=found.language or "en", site_name=found.site_name, web_page=True,
        notes=[page.note] if page.note else [],
    )
    return _with_meta(article, meta)


def _with_meta(article: ArticleInput, meta) -> ArticleInput:
    """Apply a metadata.json entry: what it gives wins over what the page says."""
    if not meta:
        return article
    for key in ("title", "url", "publisher", "publisher_kind", "author", "publication_kind",
                "language"):
        if meta.get(key):
            setattr(article, key, str(meta[key]))
    if meta.get("published_on"):
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
    return parse_metadata(path.read_bytes(), str(path))


def parse_metadata(data: bytes, origin: str) -> dict:
    """A metadata.json's entries by file name (from a folder, or uploaded with the files)."""
    try:
        metadata = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(origin, f"is not valid JSON ({exc})") from None
    except RecursionError:
        raise InputError(origin, "is nested too deeply to be metadata") from None
    if not isinstance(metadata, dict):
        raise InputError(origin, "must map file names to objects")
    for name, entry in metadata.items():
        # An entry that is not an object failed later, in the middle of an import, as an
        # AttributeError (a crash of the command, a 500 of the upload page).
        if not isinstance(entry, dict):
            raise InputError(origin, f"the entry for {name!r} must be an object")
    return metadata


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


def parse_bytes(data: bytes, name: str, *, max_bytes: int, meta=None, encoding=None):
    """ArticleInputs from one file's bytes, chosen by its suffix. `encoding` names a plain
    text file's encoding (web pages say or show theirs; JSONL is UTF-8 by definition)."""
    suffix = Path(name).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return [from_text(data, name, max_bytes=max_bytes, meta=meta, encoding=encoding)]
    if suffix in HTML_SUFFIXES:
        return [from_html(data, name, max_bytes=max_bytes, meta=meta)]
    if suffix in JSONL_SUFFIXES:
        return from_jsonl(data, name, max_bytes=max_bytes)
    raise InputError(
        name,
        f"has an unsupported type {suffix or '(none)'}; use .txt, .md, .html or .jsonl",
        code="unsupported",
    )
