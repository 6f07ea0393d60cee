"""Impossible annotations are refused: by the database itself, and by the one service."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from annotations import services
from annotations.models import Annotation, Label
from provenance.services import source_create


@pytest.fixture
def sentence(make_article):
    article = make_article("Headline\nOfficials say the pipeline will cost $55 billion. Next one.")
    return article.sentences.get(position=1)


@pytest.fixture
def source(db):
    return source_create(name="Free Russia Foundation", kind="think_tank_or_ngo")


def raw_insert(**fields):
    """Write straight to the table, skipping every check in Python."""
    defaults = {"quote": "x"}
    with transaction.atomic():
        Annotation.objects.bulk_create([Annotation(**{**defaults, **fields})])


@pytest.mark.parametrize(
    "fields",
    [
        {"label": "clickbait"},
        {"label": Label.CITED_SOURCE},  # cited source without a source
        {"label": Label.UNVERIFIED_CLAIM, "phrase_start": 10},  # half a phrase
        {"label": Label.UNVERIFIED_CLAIM, "phrase_start": 20, "phrase_end": 10},  # reversed
        {"label": Label.UNVERIFIED_CLAIM, "status": "maybe"},
    ],
    ids=["unknown-label", "cited-without-source", "half-phrase", "reversed-phrase", "status"],
)
def test_the_database_refuses_an_impossible_annotation(alice, sentence, fields):
    with pytest.raises(IntegrityError):
        raw_insert(sentence=sentence, reviewer=alice, **fields)
    assert Annotation.objects.count() == 0


def test_the_database_refuses_a_source_on_a_label_other_than_cited_source(
    alice, sentence, source
):
    with pytest.raises(IntegrityError):
        raw_insert(sentence=sentence, reviewer=alice, label=Label.UNVERIFIED_CLAIM, source=source)


def test_the_database_refuses_a_second_live_label_per_reviewer_and_sentence(alice, sentence):
    raw_insert(sentence=sentence, reviewer=alice, label=Label.UNVERIFIED_CLAIM)
    with pytest.raises(IntegrityError):
        raw_insert(sentence=sentence, reviewer=alice, label=Label.UNVERIFIED_CLAIM)
    assert Annotation.objects.count() == 1


def test_the_database_refuses_citing_the_same_source_twice_on_a_sentence(
    alice, sentence, source
):
    raw_insert(sentence=sentence, reviewer=alice, label=Label.CITED_SOURCE, source=source)
    with pytest.raises(IntegrityError):
        raw_insert(sentence=sentence, reviewer=alice, label=Label.CITED_SOURCE, source=source)


def test_one_sentence_may_cite_several_sources(alice, sentence, source):
    other = source_create(name="IE University", kind="think_tank_or_ngo")
    services.annotation_create(reviewer=alice, sentence=sentence, label="cited_source",
                               source=source)
    services.annotation_create(reviewer=alice, sentence=sentence, label="cited_source",
                               source=other)
    assert Annotation.objects.live().count() == 2


def test_a_deleted_annotation_does_not_block_a_new_one(alice, sentence):
    first = services.annotation_create(reviewer=alice, sentence=sentence, label="unverified_claim")
    services.annotation_delete(annotation=first, expected_version=1, by=alice)
    services.annotation_create(reviewer=alice, sentence=sentence, label="unverified_claim")
    assert Annotation.objects.count() == 2 and Annotation.objects.live().count() == 1


def test_two_reviewers_may_give_the_same_label(alice, bob, sentence):
    services.annotation_create(reviewer=alice, sentence=sentence, label="unverified_claim")
    services.annotation_create(reviewer=bob, sentence=sentence, label="unverified_claim")
    assert Annotation.objects.count() == 2


def test_the_service_stores_the_phrase_quote_from_the_body(alice, sentence):
    start = sentence.start + sentence.text.index("Officials say")
    annotation = services.annotation_create(
        reviewer=alice, sentence=sentence, label="unverified_claim",
        phrase=(start, start + len("Officials say")),
    )
    body = sentence.article.body
    assert annotation.quote == "Officials say"
    assert body[annotation.phrase_start : annotation.phrase_end] == "Officials say"


def test_a_whole_sentence_annotation_quotes_the_sentence(alice, sentence):
    annotation = services.annotation_create(reviewer=alice, sentence=sentence,
                                            label="sensational_framing")
    assert annotation.phrase_start is None and annotation.quote == sentence.text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"label": "clickbait"}, "Unknown label"),
        ({"label": "cited_source"}, "needs the source"),
        ({"label": "unverified_claim", "phrase": (0, 5)}, "inside the sentence"),
        ({"label": "unverified_claim", "phrase": "end"}, "inside the sentence"),
        ({"label": "unverified_claim", "phrase": "empty"}, "inside the sentence"),
        ({"label": "unverified_claim", "quote": "not the text"}, "does not match"),
    ],
)
def test_the_service_refuses_bad_input_with_a_clear_message(alice, sentence, kwargs, message):
    if kwargs.get("phrase") == "end":
        kwargs["phrase"] = (sentence.start, sentence.end + 1)
    if kwargs.get("phrase") == "empty":
        kwargs["phrase"] = (sentence.start + 3, sentence.start + 3)
    with pytest.raises(ValidationError) as exc:
        services.annotation_create(reviewer=alice, sentence=sentence, **kwargs)
    assert message in " ".join(exc.value.messages)
    assert Annotation.objects.count() == 0


def test_the_service_refuses_a_duplicate_with_a_message_not_a_crash(alice, sentence):
    services.annotation_create(reviewer=alice, sentence=sentence, label="unverified_claim")
    with pytest.raises(ValidationError, match="already"):
        services.annotation_create(reviewer=alice, sentence=sentence, label="unverified_claim")


def test_boilerplate_cannot_be_annotated(alice, make_article):
    article = make_article("Headline\nA sentence.\nPlease like and subscribe!\n")
    boiler = article.sentences.get(is_boilerplate=True)
    with pytest.raises(ValidationError, match="boilerplate"):
        services.annotation_create(reviewer=alice, sentence=boiler, label="unverified_claim")


def test_a_stale_update_is_refused_and_the_newer_text_survives(alice, sentence):
    annotation = services.annotation_create(reviewer=alice, sentence=sentence,
                                            label="unverified_claim", note="first")
    services.annotation_update(annotation=annotation, expected_version=1, by=alice, note="second")
    with pytest.raises(services.StaleVersion) as exc:
        services.annotation_update(annotation=annotation, expected_version=1, by=alice,
                                   note="stale")
    assert exc.value.current.note == "second"
    annotation.refresh_from_db()
    assert annotation.note == "second" and annotation.version == 2


def test_every_change_is_kept_in_history_with_who_and_what(alice, sentence):
    annotation = services.annotation_create(reviewer=alice, sentence=sentence,
                                            label="unverified_claim", note="first")
    services.annotation_update(annotation=annotation, expected_version=1, by=alice, note="second")
    services.annotation_delete(annotation=annotation, expected_version=2, by=alice)
    history = list(annotation.history.order_by("history_date"))
    assert [h.note for h in history] == ["first", "second", "second"]
    assert [h.history_change_reason for h in history] == ["created", "edited", "deleted"]
    assert all(h.history_user == alice for h in history)
    assert history[-1].deleted_at is not None


def test_source_history_is_recorded_on_change(source, carol):
    source.reliability = "high"
    source._history_user = carol
    source.save()
    assert [h.reliability for h in source.history.order_by("history_date")] == ["unrated", "high"]


def test_source_names_are_unique_ignoring_case(source):
    with pytest.raises(ValidationError, match="already in the registry"):
        source_create(name="free russia foundation")
    from provenance.models import Source

    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(name="FREE RUSSIA FOUNDATION", slug="other")


def test_a_duplicate_citation_gets_its_own_message(alice, sentence, source):
    services.annotation_create(reviewer=alice, sentence=sentence, label="cited_source",
                               source=source)
    with pytest.raises(ValidationError, match="already cited this source"):
        services.annotation_create(reviewer=alice, sentence=sentence, label="cited_source",
                                   source=source)


def test_creating_an_annotation_takes_a_handful_of_queries(
    alice, sentence, django_assert_max_num_queries
):
    # savepoint, hold the article open (not closed meanwhile), lock and read the sentence
    # again, savepoint, insert, history, release, clear "no label", lock the reviewer's
    # assignment (still "assigned"?), release
    with django_assert_max_num_queries(10):
        services.annotation_create(reviewer=alice, sentence=sentence, label="unverified_claim")


def test_each_change_bumps_the_version_once_with_one_history_row_naming_who_and_why(
    alice, carol, sentence
):
    a = services.annotation_create(reviewer=alice, sentence=sentence, label="unverified_claim",
                                   note="first")
    services.annotation_update(annotation=a, expected_version=1, by=alice, note="second")
    services.annotation_set_status(annotation=a, status="accepted", by=carol)
    services.annotation_delete(annotation=a, expected_version=3, by=alice)
    services.annotation_restore(annotation=a, expected_version=4, by=alice)
    first = a.history.get(version=1).instance
    services.annotation_revert(annotation=a, to=first, by=carol)  # note and status: one change
    a.refresh_from_db()
    history = list(a.history.order_by("history_date", "history_id"))
    assert a.version == 6 and [h.version for h in history] == [1, 2, 3, 4, 5, 6]
    assert [(h.history_user.username, h.history_change_reason) for h in history] == [
        ("alice", "created"), ("alice", "edited"), ("carol", "status: accepted"),
        ("alice", "deleted"), ("alice", "restored"), ("carol", "reverted to version 1"),
    ]
    assert (a.note, a.status) == ("first", "submitted")


def test_a_verdict_on_an_annotation_deleted_meanwhile_is_refused(alice, carol, sentence):
    a = services.annotation_create(reviewer=alice, sentence=sentence, label="unverified_claim")
    services.annotation_delete(annotation=a, expected_version=1, by=alice)
    with pytest.raises(services.Conflict, match="deleted meanwhile"):
        services.annotation_set_status(annotation=a, status="accepted", by=carol)


def test_citing_a_source_merged_away_meanwhile_is_refused_naming_the_merge(
    alice, carol, sentence, source
):
    from provenance.models import Source
    from review.services import source_merge

    duplicate = source_create(name="FRF", kind="think_tank_or_ngo")
    stale = Source.objects.get(pk=duplicate.pk)  # as a request read it before the merge
    source_merge(survivor=source, duplicates=[duplicate], by=carol)
    with pytest.raises(services.Conflict, match="merged into Free Russia Foundation by carol"):
        services.annotation_create(reviewer=alice, sentence=sentence, label="cited_source",
                                   source=stale)
    assert Annotation.objects.count() == 0
