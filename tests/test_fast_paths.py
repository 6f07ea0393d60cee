"""Each fast path against its plain reference: the same rows, the same bytes (issue 11).

A fast path that leans on a library's internals (annotations/bulk_fast.py,
provenance/bulk_fast.py, exports/stream_fast.py) must agree with the plain way of doing
the same thing on varied input, and its guard must refuse internals it was not checked
with. Speed is measured by `python -m bench.fastpaths`, never here.
"""

import contextlib
import copy
import datetime as dt

import pytest
from django.db import connection, transaction
from django.http import QueryDict
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from annotations import bulk, bulk_fast, checks, services
from annotations.models import Annotation, Label, SentenceReview, Status
from exports import columns, formats, plain, selection, stream_fast
from provenance import bulk_fast as provenance_bulk_fast
from provenance.bulk_fast import HistoryLayoutChanged, history_columns
from provenance.models import Article
from provenance.services import source_create
from review.models import Assignment

EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    # Fixtures set up once per test, not per example: each example rolls back its writes.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NOW = dt.datetime(2026, 11, 28, 12, 0, 0, 123456, tzinfo=dt.UTC)
# Characters that need a JSON escape, CSV quoting, a formula guard, or more than one
# UTF-8 byte; no NUL (PostgreSQL text cannot hold it) and no lone surrogates.
ODD = ['"', "\\", "\n", "\r", "\t", "\x01", "\x1f", "\u2028", "é", "中", "😀", "=", "+", "-",
       "@", ",", " ", "'"]  # fmt: skip
texts = st.text(
    st.one_of(
        st.sampled_from(ODD),
        st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    ),
    max_size=12,
)
# What a note may hold (provenance.text.clean_text refuses the other control characters).
typed_texts = st.text(
    st.one_of(
        st.sampled_from([c for c in ODD if c not in "\x01\x1f"]),
        st.characters(exclude_categories=["Cs", "Cc"]),
    ),
    max_size=12,
)
moments = st.datetimes(
    min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=st.just(dt.UTC)
)


@contextlib.contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(name="scene")
def scene_fixture(make_article, alice, bob, carol):
    article = make_article(
        "Headline of the day\nThe mayor said turnout rose. Critics disagreed sharply.\n"
        "A third sentence, with a comma. And a fourth one here.\n",
        title="Scene",
    )
    return {
        "sentences": list(article.sentences.filter(is_boilerplate=False).order_by("position")),
        "reviewers": [alice, bob, carol],
        "sources": [
            source_create(name="Harbour Gazette", kind="news_outlet"),
            source_create(name="Dana Ruiz", kind="official_person"),
        ],
        "editor": carol,
    }


# annotation_bulk_create: bulk_fast.py against bulk.py ---------------------------------------


@st.composite
def restore_rows(draw, scene):
    """Rows as exports.restore gives annotation_bulk_create: distinct live keys, values
    normalised by annotation_values, timestamps present or not."""
    sentences, reviewers, sources = scene["sentences"], scene["reviewers"], scene["sources"]
    keys = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(sentences) - 1),
                st.integers(0, len(reviewers) - 1),
                st.sampled_from(Label.values),
                st.integers(0, len(sources) - 1),
            ),
            min_size=1,
            max_size=12,
            unique_by=lambda k: (k[0], k[1], k[2], k[3] if k[2] == Label.CITED_SOURCE else None),
        )
    )
    rows = []
    for s, r, label, src in keys:
        sentence = sentences[s]
        source = sources[src] if label == Label.CITED_SOURCE else None
        phrase = None
        if draw(st.booleans()):
            start = draw(st.integers(sentence.start, sentence.end - 1))
            phrase = (start, draw(st.integers(start + 1, sentence.end)))
        start, end, quote, note = checks.annotation_values(
            sentence=sentence, label=label, phrase=phrase, source=source, note=draw(typed_texts)
        )
        created = draw(st.none() | moments)
        row = {
            "sentence_id": sentence.pk,
            "reviewer_id": reviewers[r].pk,
            "label": label,
            "phrase_start": start,
            "phrase_end": end,
            "quote": quote,
            "source_id": None if source is None else source.pk,
            "note": note,
            "status": draw(st.sampled_from(Status.values)),
            "status_reason": draw(texts),
            "created_at": created,
            "updated_at": draw(st.none() | moments) if created else None,
        }
        if draw(st.booleans()):
            del row["status_reason"]  # a missing field takes the model's default
        rows.append(row)
    return rows


def _written(insert, rows, *, by, marks):
    """What `insert` leaves in the database for `rows`, rolled back afterwards: the
    annotations and their history rows in the order of `rows`, without ids, and the
    "no label" marks left."""
    with rolled_back():
        SentenceReview.objects.bulk_create(SentenceReview(**m) for m in marks)
        ids = insert(bulk.completed(copy.deepcopy(rows), now=NOW), by=by, reason="imported",
                     now=NOW)  # fmt: skip
        services._clear_no_label_marks(ids)
        annotations = {a.pop("id"): a for a in Annotation.objects.filter(pk__in=ids).values()}
        history = {}
        for row in Annotation.history.filter(id__in=ids).order_by("history_id").values():
            row.pop("history_id")
            history.setdefault(row.pop("id"), []).append(row)
        left = sorted(SentenceReview.objects.values_list("sentence_id", "reviewer_id"))
    return [(annotations[pk], history[pk]) for pk in ids], left


@pytest.mark.parametrize("who", ["editor", "nobody", "signed-in user"])
def test_a_restore_writes_the_rows_and_history_bulk_create_with_history_writes(scene, who):
    @EXAMPLES
    @given(rows=restore_rows(scene), data=st.data())
    def check(rows, data):
        marks = data.draw(
            st.lists(
                st.tuples(st.sampled_from(scene["sentences"]), st.sampled_from(scene["reviewers"])),
                unique=True,
                max_size=4,
            )
        )
        marks = [{"sentence_id": s.pk, "reviewer_id": r.pk} for s, r in marks]
        by = scene["editor"] if who == "editor" else None
        fast = _written(bulk_fast.insert_annotations, rows, by=by, marks=marks)
        reference = _written(bulk.insert_annotations, rows, by=by, marks=marks)
        assert fast == reference

    if who == "signed-in user":  # simple_history's middleware names the request's user
        request = RequestFactory().post("/api/import/annotations")
        request.user = scene["reviewers"][1]
        HistoricalRecords.context.request = request
    try:
        check()
    finally:
        if who == "signed-in user":
            del HistoricalRecords.context.request


def test_restored_ids_are_read_back_exactly_among_other_writers_rows(scene):
    """Ids come back by each row's live-unique key, not by assuming consecutive ids:
    annotations already there, deleted ones and twins of other reviewers do not mix in."""
    alice, bob, carol = scene["reviewers"]
    first, second, *_ = scene["sentences"]
    services.annotation_create(reviewer=bob, sentence=first, label="unverified_claim")
    deleted = services.annotation_create(reviewer=alice, sentence=first, label="unverified_claim")
    services.annotation_delete(annotation=deleted, expected_version=None, by=alice)
    rows = [
        {"sentence_id": s.pk, "reviewer_id": r.pk, "label": label, "quote": s.text}
        for s, r, label in [
            (second, carol, "sensational_framing"),
            (first, alice, "unverified_claim"),
            (second, alice, "unverified_claim"),
        ]
    ]
    ids = services.annotation_bulk_create(rows=rows, by=carol)
    got = list(
        Annotation.objects.filter(pk__in=ids).values_list("pk", "sentence_id", "reviewer_id")
    )
    assert sorted(got) == sorted(
        (pk, r["sentence_id"], r["reviewer_id"]) for pk, r in zip(ids, rows, strict=True)
    )
    assert Annotation.history.filter(id__in=ids, history_type="+").count() == 3
    assert Annotation.history.filter(id=deleted.pk).count() == 2  # its own, untouched


def test_a_restore_refuses_a_historical_table_it_does_not_know(scene, monkeypatch):
    """A simple_history that adds a column (here: one column fewer expected) stops the
    fast path before it writes anything."""
    monkeypatch.setattr(provenance_bulk_fast, "HISTORY_COLUMNS", ("history_id", "history_date"))
    history_columns.cache_clear()
    rows = [{"sentence_id": scene["sentences"][0].pk, "reviewer_id": scene["editor"].pk,
             "label": "unverified_claim", "quote": scene["sentences"][0].text}]  # fmt: skip
    try:
        with pytest.raises(HistoryLayoutChanged, match="history_change_reason"):
            services.annotation_bulk_create(rows=rows)
    finally:
        monkeypatch.undo()
        history_columns.cache_clear()
    assert not Annotation.objects.exists()


def test_history_rows_written_by_hand_are_refused_while_a_receiver_awaits_them(db):
    def receiver(**kwargs):
        pass

    history = Annotation.history.model
    pre_create_historical_record.connect(receiver, sender=history)
    history_columns.cache_clear()
    try:
        with pytest.raises(HistoryLayoutChanged, match="receiver"):
            history_columns(Annotation)
    finally:
        pre_create_historical_record.disconnect(receiver, sender=history)
        history_columns.cache_clear()


@pytest.mark.parametrize("model", [Annotation, Article, Assignment])
def test_the_historical_tables_written_by_hand_are_the_ones_expected(db, model):
    """The restore's (Annotation) and the bench loader's on PostgreSQL (all three)."""
    history, tracked = history_columns(model)
    assert set(tracked) == {f.column for f in history.tracked_fields}


# Exports: formats.py (and stream_fast.py on PostgreSQL) against plain.py ---------------------


@st.composite
def export_scene(draw, scene):
    """Odd text in every text column and timestamps anywhere in the datetime range."""
    return {
        "title": draw(texts),
        "url": draw(texts),
        "published_on": draw(st.none() | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))),
        "publisher": draw(st.booleans()),
        "annotations": draw(restore_rows(scene)),
        "moments": draw(st.lists(st.tuples(moments, moments), min_size=12, max_size=12)),
        # A verdict's editor and time, or none (status_set_by, status_set_at).
        "verdicts": draw(st.lists(st.none() | moments, min_size=12, max_size=12)),
        "source_name": draw(texts.filter(lambda t: t.strip())),
    }


def _both_exports(data, *, with_context):
    fmt_pairs = []
    for fmt in ("jsonl", "csv", "jsonld") if with_context else ("jsonl", "csv"):
        fast = formats.pieces(
            fmt, selection.export_queryset(data, with_context=fmt == "jsonld"), base_url="https://x"
        )
        reference = plain.export(
            fmt,
            selection.export_queryset(data, with_context=fmt == "jsonld", columns=plain.COLUMNS),
            base_url="https://x",
        )
        fmt_pairs.append((fmt, b"".join(fast), reference))
    return fmt_pairs


def test_exports_write_the_bytes_json_dumps_and_csv_writer_write(scene):
    article = Article.objects.get(title="Scene")

    @EXAMPLES
    @given(case=export_scene(scene))
    def check(case):
        with rolled_back():
            Article.objects.filter(pk=article.pk).update(
                title=case["title"],
                url=case["url"],
                published_on=case["published_on"],
                publisher=scene["sources"][0] if case["publisher"] else None,
            )
            scene["sources"][1].__class__.objects.filter(pk=scene["sources"][1].pk).update(
                name=case["source_name"]
            )
            ids = services.annotation_bulk_create(rows=case["annotations"])
            for pk, (created, updated), set_at in zip(
                ids, case["moments"], case["verdicts"], strict=False
            ):
                Annotation.objects.filter(pk=pk).update(
                    created_at=created, updated_at=updated, status_set_at=set_at,
                    status_set_by=None if set_at is None else scene["editor"],
                )
            for data in (QueryDict(), QueryDict("ordering=recent&label=cited_source")):
                for fmt, fast, reference in _both_exports(data, with_context=True):
                    assert fast == reference, (fmt, data)

    check()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="streams from PostgreSQL only")
def test_streamed_rows_are_the_rows_iterator_gives(scene):
    alice = scene["reviewers"][0]
    for sentence in scene["sentences"]:
        services.annotation_create(reviewer=alice, sentence=sentence, label="unverified_claim")
    plain_columns = selection.export_queryset({}, columns=plain.COLUMNS)  # Django converts
    for queryset in (
        selection.export_queryset({}),
        selection.export_queryset({}, with_context=True),
        plain_columns,
        plain_columns.filter(pk__in=[]),  # compiles to nothing (EmptyResultSet)
    ):
        assert list(stream_fast.rows(queryset, 2)) == list(queryset.iterator())


def test_the_stream_refuses_a_django_it_was_not_checked_with(monkeypatch):
    stream_fast.check()
    monkeypatch.setattr(stream_fast.django, "VERSION", (6, 0, 0, "final", 0))
    with pytest.raises(stream_fast.InternalsChanged, match="Django"):
        stream_fast.check()


def test_timestamps_below_the_year_1000_keep_four_digits():
    moment = dt.datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
    assert columns.timestamp(moment) == "0999-01-02T03:04:05.000006Z"
