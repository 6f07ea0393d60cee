"""Load a JSONL export (annotations/exports.py) back into a database with the same articles.

Articles are matched by content hash and sentences by their offsets; reviewers and sources
missing from this database are created. Every row is checked by the annotation service's
rules, and the whole file is one transaction: one bad row and nothing is written. An
annotation whose twin is already live (same sentence, reviewer, label and source) is
skipped, so importing a file twice adds nothing.

A constant number of queries per file (plus one per new source and per 900 rows), not
per row: exports hold hundreds of thousands of annotations.
"""

import contextlib
import datetime as dt
import gc
import json
from collections import namedtuple
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from annotations import services
from annotations.models import Annotation, Status
from annotations.services import STATUSES
from provenance.models import Article, Reliability, Sentence, Source, SourceAlias, SourceKind
from provenance.roles import REVIEWER_GROUP
from provenance.services import source_create

MAX_ERRORS = 100
_BATCH = 900  # SQLite caps the parameters of one query


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    skipped: int = 0
    reviewers_created: list[str] = field(default_factory=list)
    sources_created: list[str] = field(default_factory=list)


class ImportFailed(Exception):
    """Rows that cannot be imported, as (line number, reason); nothing was written."""

    def __init__(self, errors):
        self.errors = errors
        shown = "; ".join(f"line {line}: {reason}" for line, reason in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"{len(errors)} bad row(s), nothing imported: {shown}{more}")


class _RowError(Exception):
    pass


# What the service's checks read of a sentence, read as tuples: model instances for every
# sentence of the file's articles cost more than the rest of the resolving.
_Sentence = namedtuple("_Sentence", "id article_id start end text is_boilerplate")


def _chunks(values):
    values = list(values)
    for i in range(0, len(values), _BATCH):
        yield values[i : i + _BATCH]


def _text(record, key, *, required=True, max_length=None):
    value = record.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip() and key != "note"):
        raise _RowError(f'"{key}" must be a non-empty string')
    if max_length and len(value) > max_length:
        raise _RowError(f'"{key}" is longer than {max_length} characters')
    if "\x00" in value:
        raise _RowError(f'"{key}" contains a NUL character')
    return value


def _int(record, key, *, required=True):
    value = record.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _RowError(f'"{key}" must be a whole number ≥ 0')
    return value


def _when(record, key):
    value = record.get(key)
    if value in (None, ""):
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise _RowError(f'"{key}" {value!r} is not an ISO 8601 timestamp') from None
    if parsed.tzinfo is None:
        raise _RowError(f'"{key}" {value!r} has no time zone')
    return parsed


def _parse(lines):
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


class _Resolver:
    """Looks up articles, sentences, reviewers and sources for all rows at once."""

    def __init__(self, records, *, by):
        self.by = by
        hashes = {r.get("article_content_sha256") for _, r in records}
        hashes = [h for h in hashes if isinstance(h, str)]
        self.articles = {}
        for chunk in _chunks(hashes):
            self.articles.update(
                Article.objects.filter(content_sha256__in=chunk).values_list("content_sha256", "pk")
            )
        self.sentences = {}
        for chunk in _chunks(self.articles.values()):
            rows = Sentence.objects.filter(article_id__in=chunk).values_list(*_Sentence._fields)
            self.sentences.update(((s[1], s[2], s[3]), _Sentence(*s)) for s in rows)
        self.existing = set()
        for chunk in _chunks(self.articles.values()):
            self.existing.update(
                Annotation.objects.live()
                .filter(sentence__article_id__in=chunk)
                .values_list("sentence_id", "reviewer_id", "label", "source_id")
            )
        names = {r.get("reviewer") for _, r in records}
        names = [n for n in names if isinstance(n, str)]
        User = get_user_model()
        self.users = {}
        for chunk in _chunks(names):
            self.users.update(
                User.objects.filter(**{f"{User.USERNAME_FIELD}__in": chunk}).values_list(
                    User.USERNAME_FIELD, "pk"
                )
            )
        self.new_users = []
        self.times = {}
        self.sources = {s.name.lower(): s for s in Source.objects.all()}
        for alias in SourceAlias.objects.select_related("source").annotate(low=Lower("alias")):
            self.sources.setdefault(alias.low, alias.source)
        self.new_sources = []

    def sentence(self, record):
        digest = _text(record, "article_content_sha256")
        article_id = self.articles.get(digest)
        if article_id is None:
            raise _RowError(f"no article with content hash {digest[:12]}…; import it first")
        start, end = _int(record, "sentence_start"), _int(record, "sentence_end")
        sentence = self.sentences.get((article_id, start, end))
        if sentence is None:
            raise _RowError(f"article {article_id} has no sentence at {start}–{end}")
        return sentence

    def knows_all(self, records) -> bool:
        """Whether every reviewer and source the records name is already here."""
        for _, record in records:
            name, source = record.get("reviewer"), record.get("source_name")
            if not isinstance(name, str) or name not in self.users:
                return False
            named = isinstance(source, str) and source.strip()
            if named and self._source_key(source) not in self.sources:
                return False
        return True

    @staticmethod
    def _source_key(name):
        return " ".join(name.split()).lower()

    def reviewer_id(self, record):
        name = _text(record, "reviewer", max_length=150)
        pk = self.users.get(name)
        if pk is None:
            # Authors of imported work get an account without a password: it attributes
            # their annotations and signs no one in until an admin sets one.
            User = get_user_model()
            user = User(**{User.USERNAME_FIELD: name})
            user.set_unusable_password()
            try:
                user.clean_fields(exclude=["password"])
            except ValidationError as exc:
                raise _RowError(f"reviewer {name!r}: {' '.join(exc.messages)}") from None
            user.save()
            pk = self.users[name] = user.pk
            self.new_users.append(user)
        return pk

    def when(self, record, key):
        # Parsed once per distinct text: updated_at mostly repeats created_at.
        value = record.get(key)
        parsed = self.times.get(value) if isinstance(value, str) else None
        if parsed is None:
            parsed = _when(record, key)
            if isinstance(value, str):
                self.times[value] = parsed
        return parsed

    def source(self, record):
        name = _text(record, "source_name", required=False, max_length=200)
        if name is None or not name.strip():
            return None
        source = self.sources.get(self._source_key(name))
        if source is None:
            kind = record.get("source_kind") or SourceKind.OTHER
            reliability = record.get("source_reliability") or Reliability.UNRATED
            if kind not in SourceKind.values or reliability not in Reliability.values:
                raise _RowError(f"source {name!r} has an unknown kind or reliability")
            try:
                with transaction.atomic():
                    # Unrated: a rating needs its rationale, which the export does not
                    # carry; the report says which ratings were left behind.
                    source = source_create(name=name, kind=kind, created_by=self.by,
                                           reason="restored")
            except ValidationError as exc:
                raise _RowError(f"source {name!r}: {' '.join(exc.messages)}") from None
            self.sources[source.name.lower()] = source
            self.new_sources.append(
                source.name if reliability == Reliability.UNRATED else
                f"{source.name} (unrated: the file rates it {reliability} without a rationale)"
            )
        return source


def _build(record, resolver) -> dict:
    """The row annotation_bulk_create() writes for one record, checked by the service's
    rules; raises _RowError with the first thing wrong, in the order of the fields."""
    sentence = resolver.sentence(record)
    reviewer_id = resolver.reviewer_id(record)
    source = resolver.source(record)
    label = _text(record, "label")
    start = _int(record, "phrase_start", required=False)
    end = _int(record, "phrase_end", required=False)
    status = record.get("status") or Status.SUBMITTED
    if status not in STATUSES:
        raise _RowError(f"unknown status {status!r}")
    note = _text(record, "note", required=False, max_length=5000) or ""
    quote = _text(record, "quote", required=False)
    try:
        start, end, quote, note = services.annotation_values(
            sentence=sentence,
            label=label,
            phrase=None if start is None and end is None else (start, end),
            source=source,
            note=note,
            quote=quote,
        )
    except ValidationError as exc:
        raise _RowError(" ".join(exc.messages)) from None
    return {
        "sentence_id": sentence.id,
        "reviewer_id": reviewer_id,
        "label": label,
        "phrase_start": start,
        "phrase_end": end,
        "quote": quote,
        "source_id": None if source is None else source.pk,
        "note": note,
        "status": status,
        "status_reason": _text(record, "status_reason", required=False) or "",
        "created_at": resolver.when(record, "created_at"),
        "updated_at": resolver.when(record, "updated_at"),
    }


def _checked_rows(records, resolver, errors, report):
    """Rows for annotation_bulk_create(), checked as they are taken, so PostgreSQL can be
    storing the first while the last are checked. Once a record is bad no more rows come,
    and ImportFailed ends the iteration; the caller's transaction then rolls back whatever
    was written."""
    seen = {}
    for number, record in records:
        if len(errors) >= MAX_ERRORS:
            break
        try:
            row = _build(record, resolver)
        except _RowError as exc:
            errors.append((number, str(exc)))
            continue
        key = (row["sentence_id"], row["reviewer_id"], row["label"], row["source_id"])
        if key in resolver.existing:
            report.skipped += 1
        elif key in seen:
            errors.append((number, f"repeats the annotation on line {seen[key]}"))
        else:
            seen[key] = number
            if not errors:
                yield row
    if errors:
        raise ImportFailed(sorted(errors))


@contextlib.contextmanager
def _collector_paused():
    """The cyclic garbage collector off for the import: a file's records, sentences and
    rows are a few hundred thousand long-lived containers that each of its full passes
    walks again, for nothing (they hold no cycles). A tenth of a restore's time."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def import_jsonl(lines, *, by=None, dry_run=False) -> ImportReport:
    """Import JSONL lines (bytes or str); raises ImportFailed and writes nothing on a bad row."""
    with _collector_paused():
        return _import(lines, by=by, dry_run=dry_run)


def _import(lines, *, by, dry_run) -> ImportReport:
    records, errors = _parse(lines)
    report = ImportReport(rows=len(records) + len(errors))
    with transaction.atomic():
        resolver = _Resolver(records, by=by)
        rows = _checked_rows(records, resolver, errors, report)
        if not resolver.knows_all(records):
            # Creating a reviewer or a source takes queries, which cannot run while the
            # connection is copying rows in: check every row first.
            rows = list(rows)
        report.created = len(services.annotation_bulk_create(rows=rows, by=by))
        if resolver.new_users:
            group = Group.objects.filter(name=REVIEWER_GROUP).first()
            if group is not None:
                group.user_set.add(*resolver.new_users)
        report.reviewers_created = [u.get_username() for u in resolver.new_users]
        report.sources_created = resolver.new_sources
        if dry_run:
            transaction.set_rollback(True)
    return report
