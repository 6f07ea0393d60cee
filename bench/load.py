"""Load a corpus in bulk, writing the rows the importer and the services would.

What makes the rows the same as the real writers':
- the registry is built with `provenance.services.source_create`, as an editor builds it;
- annotations are written by the annotation services: each row's values checked by
  `annotations.checks.annotation_values`, written in bulk by `annotation_bulk_create` (one
  call per reviewer and batch, so each history row names its reviewer), then the editor's
  verdicts by `annotation_bulk_set_status` and the soft deletes by `annotation_bulk_delete`;
- sentences come from `provenance.ingestion.services.build_sentences`, the importer's own
  function, and like the importer's they get no history rows (the article's does);
- articles, sentences and assignments are still inserted by the loader (bench/rows.py),
  bulk_create on SQLite and COPY on PostgreSQL, with history rows as `article_import`,
  `assignment_create` and `article_finish` write them ("+" for an article, "+"/"~" for an
  assignment made and then finished): the services have no bulk form that keeps the
  corpus's timestamps;
- the database checks every constraint on insert, and `verify()` re-checks offsets and
  quotes over the whole table afterwards.
Left out on purpose: "no label" marks (SentenceReview), which reviewers add only for some
sentences and no figure reads.

Segmentation is memoised per line while loading: the importer segments line by line and a
line's cut points depend on nothing else, and the recombined corpus repeats seed lines, so
the result is identical (the smoke test compares it with unmemoised segmentation); with
pysbd, before issue 17, that made L load in minutes instead of a quarter of an hour.
"""

import contextlib
import datetime as dt
import functools
import hashlib
import itertools
import random
import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from rest_framework.authtoken.models import Token

from annotations import checks
from annotations import services as annotating
from annotations.models import Annotation, Status
from provenance.ingestion import segment
from provenance.ingestion.services import build_sentences, content_hash
from provenance.models import Article, Reliability, Sentence, Source
from provenance.roles import EDITOR_GROUP, REVIEWER_GROUP
from provenance.services import source_create
from review.models import Assignment, AssignmentStatus

from . import corpus
from .rows import Writer, plus, snapshot

BASE_TIME = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
BATCH_ARTICLES = 250


@contextlib.contextmanager
def timestamps_as_given():
    """Let bulk_create keep the created/updated times the corpus gives.

    auto_now(_add) would stamp every row with the load time, and a year of review history
    loaded in one minute would make recency orderings and date filters meaningless.
    """
    fields = [
        f for model in (Article, Annotation, Assignment)
        for f in model._meta.concrete_fields if getattr(f, "auto_now", False)
        or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def memoise_segmentation():
    """Cache the segmenter's cut points per line for this process (see the module docstring)."""
    if not hasattr(segment._cut_points, "cache_info"):
        segment._cut_points = functools.lru_cache(maxsize=None)(segment._cut_points)


def make_users(size: corpus.Size) -> dict:
    """Corpus reviewers, an editor, and the accounts the figures sign in with."""
    User = get_user_model()
    password = make_password(corpus.PASSWORD)  # hashed once: PBKDF2 per user would take minutes
    names = [f"reviewer{n:02d}" for n in range(1, size.reviewers + 1)]
    extra = ["bench-writer", "bench-reader", "bench-browser"]
    extra += [f"load{n:02d}" for n in range(1, corpus.LOAD_REVIEWERS + 1)]
    users = User.objects.bulk_create(
        [User(username=u, password=password) for u in names + extra]
        + [User(username="bench-editor", password=password, is_staff=True)]
    )
    reviewer_group = Group.objects.get(name=REVIEWER_GROUP)
    editor_group = Group.objects.get(name=EDITOR_GROUP)
    by_name = {u.username: u for u in users}
    # bench-reader reads the whole claims list and export, as an editor does: under
    # independent review a reviewer sees only their own annotations until adjudication.
    editors = [by_name["bench-editor"], by_name["bench-reader"]]
    reviewer_group.user_set.add(*[u for u in users if u not in editors])
    editor_group.user_set.add(*editors)
    Token.objects.bulk_create([Token(user=u, key=secrets.token_hex(20)) for u in users])
    return {u.username: u for u in users}


def load_registry(specs: list[corpus.SourceSpec], editor) -> list[Source]:
    """The registry as an editor builds it: source_create for each source, with its
    aliases and its rating (and the rationale a rating needs). One transaction, so
    PostgreSQL commits once rather than once per source."""
    with transaction.atomic():
        return [
            source_create(
                name=spec.name, kind=spec.kind, aliases=spec.aliases,
                reliability=spec.reliability,
                reliability_note="" if spec.reliability == Reliability.UNRATED else (
                    "Rated for the benchmark from its record of corrections."
                ),
                created_by=editor,
            )
            for spec in specs
        ]


def _phrase(rng, sentence):
    """A word-aligned phrase of 1 to 4 words inside the sentence, as absolute offsets."""
    words, pos = [], 0
    for word in sentence.text.split():
        start = sentence.text.index(word, pos)
        words.append((start, start + len(word)))
        pos = start + len(word)
    i = rng.randrange(len(words))
    j = min(len(words), i + rng.randint(1, 4))
    return sentence.start + words[i][0], sentence.start + words[j - 1][1]


@dataclass
class _Planned:
    """One annotation to write: its row for annotation_bulk_create, then what happens to
    it afterwards (an editor's verdict, or its reviewer deleting it)."""

    reviewer: object
    row: dict
    verdict: str | None = None
    deleted: bool = False
    pk: int | None = None


def _annotations_for(rng, *, article, sentences, reviewers, target, sources, weights):
    """(annotations planned, assignments) for one article."""
    content = [s for s in sentences if not s.is_boilerplate]
    if not content or target <= 0:
        return [], []
    team = rng.sample(reviewers, min(len(reviewers), rng.choice([2, 3, 3, 4])))
    used: set[tuple] = set()
    made, attempts = [], 0
    clock = article.created_at + dt.timedelta(hours=rng.randint(1, 72))
    while len(made) < target and attempts < target * 20:
        attempts += 1
        reviewer = rng.choice(team)
        sentence = rng.choice(content)
        label = corpus.pick_label(rng)
        source = (
            rng.choices(sources, cum_weights=weights)[0] if label == "cited_source" else None
        )
        key = (sentence.pk, reviewer.pk, label, source.pk if source else None)
        if key in used:
            continue
        used.add(key)
        phrase = _phrase(rng, sentence) if rng.random() < corpus.PHRASE_SHARE else None
        clock += dt.timedelta(seconds=rng.randint(5, 120))
        note = "Checked against the original report." if rng.random() < corpus.NOTE_SHARE else ""
        start, end, quote, note = checks.annotation_values(
            sentence=sentence, label=label, phrase=phrase, source=source, note=note
        )
        planned = _Planned(reviewer, {
            "sentence_id": sentence.pk, "reviewer_id": reviewer.pk, "label": label,
            "phrase_start": start, "phrase_end": end, "quote": quote,
            "source_id": source.pk if source else None, "note": note, "created_at": clock,
        })
        roll = rng.random()
        if roll < corpus.ACCEPTED_SHARE + corpus.REJECTED_SHARE:
            planned.verdict = Status.ACCEPTED if roll < corpus.ACCEPTED_SHARE else Status.REJECTED
            rng.randint(1, 20)  # was the verdict's day; drawn still, so the corpus stays the same
        elif roll > 1 - corpus.DELETED_SHARE:
            planned.deleted = True
            rng.randint(1, 600)  # likewise the deletion's minute
        made.append(planned)
    finished = clock + dt.timedelta(minutes=5)
    assignments = []
    for reviewer in team:
        # assignment_create (history "+", assigned), then article_finish saves it as done
        # ("~"); only an assigned reviewer finishes.
        assignment = Assignment(
            article=article, reviewer=reviewer, status=AssignmentStatus.DONE,
            finished_at=finished, created_at=finished,
        )
        assignments.append(assignment)
    return made, assignments


def _store_annotations(planned: list[_Planned], editor) -> int:
    """Write the planned annotations through the annotation services; return how many
    history rows that made.

    Created in bulk, one call per reviewer so that each "+" history row names its
    reviewer; then the editor's verdicts, one bulk call per status, and the deletions, one
    bulk call per reviewer, so each "~" row names who made the change.
    """
    by_reviewer = defaultdict(list)
    for p in planned:
        by_reviewer[p.reviewer].append(p)
    for reviewer, theirs in by_reviewer.items():
        ids = annotating.annotation_bulk_create(
            rows=[p.row for p in theirs], by=reviewer, reason="created"
        )
        for p, pk in zip(theirs, ids, strict=True):
            p.pk = pk
    verdicts, deletions = defaultdict(list), defaultdict(list)
    for p in planned:
        if p.verdict is not None:
            verdicts[p.verdict].append(p.pk)
        elif p.deleted:
            deletions[p.reviewer].append(p.pk)
    changed = 0
    for status, ids in verdicts.items():
        changed += len(annotating.annotation_bulk_set_status(ids=ids, status=status, by=editor))
    for reviewer, ids in deletions.items():
        changed += len(annotating.annotation_bulk_delete(ids=ids, by=reviewer))
    return len(planned) + changed


def load_articles(
    specs: list[corpus.ArticleSpec], *, size: corpus.Size, rng: random.Random, users: dict,
    sources: list[Source], annotations_total: int, origin_prefix: str = "bench",
    progress=None,
) -> dict:
    """Articles, sentences, annotations, assignments and their history, in batches."""
    memoise_segmentation()
    by_name = {s.name: s for s in sources}
    reviewers = [users[f"reviewer{n:02d}"] for n in range(1, size.reviewers + 1)]
    editor = users["bench-editor"]
    # A few sources are cited far more often than the rest, as on real registries.
    # (Cumulative, so each draw is a bisection rather than a sum over the registry.)
    weights = list(itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(sources))))
    per_article = annotations_total / max(1, len(specs))
    counts = {"articles": 0, "sentences": 0, "annotations": 0, "history_annotations": 0}
    writer = Writer()
    for first in range(0, len(specs), BATCH_ARTICLES):
        batch = specs[first : first + BATCH_ARTICLES]
        with transaction.atomic():
            articles, all_sentences = _insert_articles(
                writer, batch, first=first, total=len(specs), by_name=by_name,
                origin_prefix=origin_prefix,
            )
            made, assignments = [], []
            for article, sentences in zip(articles, all_sentences, strict=True):
                target = (
                    annotations_total if len(specs) == 1
                    else max(0, round(rng.gauss(per_article, per_article / 4)))
                )
                a, s = _annotations_for(
                    rng, article=article, sentences=sentences, reviewers=reviewers,
                    target=target, sources=sources, weights=weights,
                )
                made += a
                assignments += s
            history = _store_annotations(made, editor)
            _store_assignments(writer, assignments)
        counts["articles"] += len(articles)
        counts["sentences"] += sum(map(len, all_sentences))
        counts["annotations"] += len(made)
        counts["history_annotations"] += history
        if progress:
            progress(counts)
    writer.finish([Article, Sentence, Assignment])
    return counts


def _insert_articles(writer, batch, *, first, total, by_name, origin_prefix):
    """The batch's articles (with their "+" history rows) and sentences, as the importer
    writes them; returns (articles, each one's sentences)."""
    articles, all_sentences = [], []
    span = dt.timedelta(days=700)
    for i, spec in enumerate(batch, start=first):
        body = segment.normalise(spec.text)
        when = BASE_TIME + span * i / max(1, total)
        article = Article(
            title=spec.title[:500], body=body, content_sha256=content_hash(body),
            publisher=by_name.get(spec.publisher),
            published_on=dt.date.fromisoformat(spec.published_on)
            if spec.published_on else None,
            origin=f"{origin_prefix}/{spec.key}.txt", created_at=when,
        )
        article._history_date = when
        articles.append(article)
        all_sentences.append(build_sentences(body, title=spec.title))
    writer.insert(Article, articles)
    writer.history(Article, plus(articles))
    flat = []
    for article, sentences in zip(articles, all_sentences, strict=True):
        for s in sentences:
            s.article = article
            flat.append(s)
    # The importer writes sentences without history rows (annotations.boundaries records a
    # sentence's imported state before its first change).
    writer.insert(Sentence, flat)
    return articles, all_sentences


def _store_assignments(writer, assignments):
    writer.insert(Assignment, assignments)
    created = []
    for a in assignments:
        start = snapshot(a, a.reviewer, a.finished_at, None, "+")
        start.status, start.finished_at = AssignmentStatus.ASSIGNED, None
        created.append(start)
        created.append(snapshot(a, a.reviewer, a.finished_at, None, "~"))
    writer.history(Assignment, created)


def verify() -> dict:
    """Whole-table checks that the rows are what the services would have written.

    Each count must be zero; the quote and offset checks run in SQL, so L is checked too.
    """
    checks = {
        "sentence_text_not_body_slice": """
            SELECT COUNT(*) FROM provenance_sentence s
            JOIN provenance_article a ON a.id = s.article_id
            WHERE substr(a.body, s.start + 1, s."end" - s.start) <> s.text""",
        "phrase_outside_sentence": """
            SELECT COUNT(*) FROM annotations_annotation an
            JOIN provenance_sentence s ON s.id = an.sentence_id
            WHERE an.phrase_start IS NOT NULL AND NOT (
                s.start <= an.phrase_start AND an.phrase_start < an.phrase_end
                AND an.phrase_end <= s."end")""",
        "quote_not_text_slice": """
            SELECT COUNT(*) FROM annotations_annotation an
            JOIN provenance_sentence s ON s.id = an.sentence_id
            WHERE (an.phrase_start IS NULL AND an.quote <> s.text) OR (
                an.phrase_start IS NOT NULL AND an.quote <> substr(
                    s.text, an.phrase_start - s.start + 1, an.phrase_end - an.phrase_start))""",
        "annotation_on_boilerplate": """
            SELECT COUNT(*) FROM annotations_annotation an
            JOIN provenance_sentence s ON s.id = an.sentence_id WHERE s.is_boilerplate""",
        "annotation_without_created_history": """
            SELECT COUNT(*) FROM annotations_annotation an WHERE NOT EXISTS (
                SELECT 1 FROM annotations_historicalannotation h
                WHERE h.id = an.id AND h.history_type = '+')""",
    }
    out = {}
    with connection.cursor() as cursor:
        for name, sql in checks.items():
            cursor.execute(sql)
            out[name] = cursor.fetchone()[0]
    return out


def analyse():
    """Fresh planner statistics after a bulk load, as autovacuum would gather eventually;
    on PostgreSQL also the visibility map it would set, without which every index-only
    scan visits the table as well."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]
