"""Load a JSONL export (annotations/exports.py) back into a database with the same articles.

Articles are matched by content hash and sentences by their offsets; reviewers and sources
missing from this database are created. Every row is checked by the annotation service's
rules, and the whole file is one transaction: one bad row and nothing is written. An
annotation whose twin is already live (same sentence, reviewer, label and source) is
skipped, so importing a file twice adds nothing.

A row on an article closed for adjudication is refused, naming the article, even from an
editor: its annotations are a reviewer's answers, which a closed article no longer takes
(annotations/access.py), and adding them would change a result already adjudicated
without anyone deciding to. An editor who wants them reopens the article first. This never
stands in the way of the restore it exists for, a backup loaded into a fresh database:
articles are imported open. Rows whose twins are already live are still skipped, so a
file restored twice still adds nothing and refuses nothing.

A restore keeps who wrote each annotation and when (that is what it is for), but not what
a file merely claims about review: a verdict (accepted/rejected) is imported only with the
editor who set it (`status_set_by`, an editor here, and `status_set_at`); otherwise the
annotation comes back submitted and the report says so, line by line. Demoted rather
than refused: the file is usually a real backup whose reviewers' work should not be lost
for want of a verdict's attribution, and an editor can decide again; a forged verdict
gains nothing. Likewise a source's rating comes back unrated (a rating needs its
rationale, which the export does not carry). Every history row written names who
restored the file and which file it was.

A constant number of queries per file (plus one per new source and per 900 rows), not
per row: exports hold hundreds of thousands of annotations.
"""

import contextlib
import gc
from collections import namedtuple
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from annotations import checks, services
from annotations.access import closed_articles
from annotations.checks import STATUSES
from annotations.models import Annotation, Status
from provenance.models import Article, Reliability, Sentence, Source, SourceAlias, SourceKind
from provenance.roles import REVIEWER_GROUP, is_editor
from provenance.services import source_create

from .records import (
    RowError,
    distinct_texts,
    parse_lines,
    read_int,
    read_text,
    read_when,
    shown,
)

MAX_ERRORS = 100
_BATCH = 900  # SQLite caps the parameters of one query


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    skipped: int = 0
    reviewers_created: list[str] = field(default_factory=list)
    sources_created: list[str] = field(default_factory=list)
    # What was imported differently from what the file says, e.g. "line 3: accepted
    # without the editor who set it; imported as submitted".
    messages: list[str] = field(default_factory=list)


# history_change_reason is a CharField(max_length=100) in django-simple-history.
_REASON_LENGTH = 100


def restore_reason(origin: str | None) -> str:
    """The change reason of every history row a restore writes: "restored from <file>"."""
    if not origin:
        return "restored"
    # A file name comes from an upload or a command line: keep it printable and short.
    name = "".join(c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else "?"
                   for c in origin[:200])
    reason = f"restored from {name}"
    return reason if len(reason) <= _REASON_LENGTH else reason[: _REASON_LENGTH - 1] + "…"


class ImportFailed(Exception):
    """Rows that cannot be imported, as (line number, reason); nothing was written."""

    def __init__(self, errors):
        self.errors = errors
        shown = "; ".join(f"line {line}: {reason}" for line, reason in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"{len(errors)} bad row(s), nothing imported: {shown}{more}")


# What the service's checks read of a sentence, read as tuples: model instances for every
# sentence of the file's articles cost more than the rest of the resolving.
_Sentence = namedtuple("_Sentence", "id article_id start end text is_boilerplate")


def _chunks(values):
    values = list(values)
    for i in range(0, len(values), _BATCH):
        yield values[i : i + _BATCH]


class _Resolver:
    """Looks up articles, sentences, reviewers and sources for all rows at once."""

    def __init__(self, records, *, by, reason="restored"):
        self.by = by
        self.reason = reason
        # Only text: a list or an object in the file is unhashable (a TypeError, a 500);
        # its row is refused by name when it is built.
        hashes = distinct_texts(records, "article_content_sha256")
        self.articles = {}
        for chunk in _chunks(hashes):
            self.articles.update(
                Article.objects.filter(content_sha256__in=chunk).values_list("content_sha256", "pk")
            )
        # Held until the restore commits: a close waits for it, and it sees a close made
        # before it (annotations/access.py).
        self.closed = closed_articles(self.articles.values())
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
        names = distinct_texts(records, "reviewer")
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
        # Editors the file names as having set a verdict: who they are here decides
        # whether the verdict is kept. Few per file; is_editor() asks per user.
        named = [n for n in distinct_texts(records, "status_set_by") if n]
        self.editors = {}
        for chunk in _chunks(named):
            for user in User.objects.filter(**{f"{User.USERNAME_FIELD}__in": chunk}):
                if is_editor(user):
                    self.editors[user.get_username()] = user.pk

    def sentence(self, record):
        digest = read_text(record, "article_content_sha256")
        article_id = self.articles.get(digest)
        if article_id is None:
            raise RowError(f"no article with content hash {digest[:12]}…; import it first")
        start, end = read_int(record, "sentence_start"), read_int(record, "sentence_end")
        sentence = self.sentences.get((article_id, start, end))
        if sentence is None:
            raise RowError(f"article {article_id} has no sentence at {start}–{end}")
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
        name = read_text(record, "reviewer", max_length=150)
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
                raise RowError(f"reviewer {name!r}: {' '.join(exc.messages)}") from None
            user.save()
            pk = self.users[name] = user.pk
            self.new_users.append(user)
        return pk

    def when(self, record, key):
        # Parsed once per distinct text: updated_at mostly repeats created_at.
        value = record.get(key)
        parsed = self.times.get(value) if isinstance(value, str) else None
        if parsed is None:
            parsed = read_when(record, key)
            if isinstance(value, str):
                self.times[value] = parsed
        return parsed

    def source(self, record):
        name = read_text(record, "source_name", required=False, max_length=200)
        if name is None or not name.strip():
            return None
        source = self.sources.get(self._source_key(name))
        if source is None:
            kind = record.get("source_kind") or SourceKind.OTHER
            reliability = record.get("source_reliability") or Reliability.UNRATED
            if kind not in SourceKind.values or reliability not in Reliability.values:
                raise RowError(f"source {name!r} has an unknown kind or reliability")
            try:
                with transaction.atomic():
                    # Unrated: a rating needs its rationale, which the export does not
                    # carry; the report says which ratings were left behind.
                    source = source_create(name=name, kind=kind, created_by=self.by,
                                           reason=self.reason)
            except ValidationError as exc:
                raise RowError(f"source {name!r}: {' '.join(exc.messages)}") from None
            self.sources[source.name.lower()] = source
            self.new_sources.append(
                source.name if reliability == Reliability.UNRATED else
                f"{source.name} (unrated: the file rates it {reliability} without a rationale)"
            )
        return source


def _verdict(record, resolver, status):
    """(status, reason, set_by_id, set_at) as imported, and a message when the file's
    verdict was not kept: accepted/rejected only with an editor here who set it, and when."""
    status_reason = read_text(record, "status_reason", required=False) or ""
    if status == Status.SUBMITTED:
        return status, status_reason, None, None, None
    set_by = record.get("status_set_by")
    set_at = resolver.when(record, "status_set_at")
    editor_id = resolver.editors.get(set_by) if isinstance(set_by, str) else None
    if editor_id is not None and set_at is not None:
        return status, status_reason, editor_id, set_at, None
    if not set_by:
        why = "without the editor who set it"
    elif editor_id is None:
        why = f"by {shown(set_by)}, who is not an editor here"
    else:
        why = "without the time it was set"
    return Status.SUBMITTED, "", None, None, f"{status} {why}; imported as submitted"


def _build(record, resolver) -> dict:
    """The row annotation_bulk_create() writes for one record, checked by the service's
    rules; raises RowError with the first thing wrong, in the order of the fields.
    A verdict the file cannot vouch for is demoted; the row's "_message" says so."""
    sentence = resolver.sentence(record)
    reviewer_id = resolver.reviewer_id(record)
    source = resolver.source(record)
    label = read_text(record, "label")
    start = read_int(record, "phrase_start", required=False)
    end = read_int(record, "phrase_end", required=False)
    status = record.get("status") or Status.SUBMITTED
    # A list or an object is unhashable: `in` a frozenset raised TypeError (a 500).
    if not isinstance(status, str) or status not in STATUSES:
        raise RowError(f"unknown status {shown(status)}")
    status, status_reason, set_by_id, set_at, message = _verdict(record, resolver, status)
    note = read_text(record, "note", required=False, max_length=5000) or ""
    quote = read_text(record, "quote", required=False)
    try:
        start, end, quote, note = checks.annotation_values(
            sentence=sentence,
            label=label,
            phrase=None if start is None and end is None else (start, end),
            source=source,
            note=note,
            quote=quote,
        )
    except ValidationError as exc:
        raise RowError(" ".join(exc.messages)) from None
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
        "status_reason": status_reason,
        "status_set_by_id": set_by_id,
        "status_set_at": set_at,
        "created_at": resolver.when(record, "created_at"),
        "updated_at": resolver.when(record, "updated_at"),
        "_message": message,
        "_article_id": sentence.article_id,
    }


def _closed(article_id, title) -> str:
    return (f"article {article_id} {shown(title)} is closed for adjudication; an editor "
            "must reopen it before annotations are restored into it")


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
        except RowError as exc:
            errors.append((number, str(exc)))
            continue
        message, article_id = row.pop("_message"), row.pop("_article_id")
        key = (row["sentence_id"], row["reviewer_id"], row["label"], row["source_id"])
        if key in resolver.existing:
            report.skipped += 1
        elif article_id in resolver.closed:
            errors.append((number, _closed(article_id, resolver.closed[article_id])))
        elif key in seen:
            errors.append((number, f"repeats the annotation on line {seen[key]}"))
        else:
            seen[key] = number
            if message:
                report.messages.append(f"line {number}: {message}")
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


def import_jsonl(lines, *, by=None, origin=None, dry_run=False) -> ImportReport:
    """Import JSONL lines (bytes or str); raises ImportFailed and writes nothing on a bad row.

    `by` (the importing user) and `origin` (the file's name) go into every history row
    written: history_user and history_change_reason "restored from <origin>".
    """
    with _collector_paused():
        return _import(lines, by=by, reason=restore_reason(origin), dry_run=dry_run)


def _import(lines, *, by, reason, dry_run) -> ImportReport:
    records, errors = parse_lines(lines)
    report = ImportReport(rows=len(records) + len(errors))
    with transaction.atomic():
        resolver = _Resolver(records, by=by, reason=reason)
        rows = _checked_rows(records, resolver, errors, report)
        if not resolver.knows_all(records):
            # Creating a reviewer or a source takes queries, which cannot run while the
            # connection is copying rows in: check every row first.
            rows = list(rows)
        report.created = len(services.annotation_bulk_create(rows=rows, by=by, reason=reason))
        if resolver.new_users:
            group = Group.objects.filter(name=REVIEWER_GROUP).first()
            if group is not None:
                group.user_set.add(*resolver.new_users)
        report.reviewers_created = [u.get_username() for u in resolver.new_users]
        report.sources_created = resolver.new_sources
        if dry_run:
            transaction.set_rollback(True)
    return report
