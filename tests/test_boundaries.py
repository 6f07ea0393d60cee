"""Joining and splitting sentences keeps every annotation and every offset exact."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from annotations import services
from annotations.boundaries import sentence_join, sentence_split
from annotations.models import Annotation, SentenceReview


@pytest.fixture
def article(make_article):
    # pysbd cuts "the council. which meets" in two; the codebook joins such pieces.
    return make_article(
        "Headline Words\nThe vote went to the council. Which meets on Monday? Yes it does.\n"
        "Another paragraph here."
    )


def sentences(article):
    return list(article.sentences.order_by("position"))


def assert_tiling(article):
    rows = sentences(article)
    assert [s.position for s in rows] == list(range(len(rows)))
    for s in rows:
        assert s.text == article.body[s.start : s.end]
    for a in Annotation.objects.filter(sentence__article=article):
        s = a.sentence
        start = a.phrase_start if a.phrase_start is not None else s.start
        end = a.phrase_end if a.phrase_end is not None else s.end
        assert s.start <= start < end <= s.end
        assert a.quote == article.body[start:end]


def test_joining_keeps_whole_sentence_annotations_as_phrases_over_their_old_text(
    article, alice
):
    s = sentences(article)
    first = services.annotation_create(reviewer=alice, sentence=s[1], label="unverified_claim")
    second = services.annotation_create(reviewer=alice, sentence=s[2],
                                        label="sensational_framing", note="keep me")
    joined = sentence_join(sentence=s[1], by=alice)
    assert joined.text == "The vote went to the council. Which meets on Monday?"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.sentence == second.sentence == joined
    assert (first.phrase_start, first.phrase_end) == (s[1].start, s[1].end)
    assert second.quote == "Which meets on Monday?" and second.note == "keep me"
    assert len(sentences(article)) == 4
    assert_tiling(article)


def test_joining_is_refused_when_a_reviewer_gave_both_sentences_the_same_label(article, alice):
    s = sentences(article)
    services.annotation_create(reviewer=alice, sentence=s[1], label="unverified_claim")
    services.annotation_create(reviewer=alice, sentence=s[2], label="unverified_claim")
    with pytest.raises(ValidationError, match="both sentences the label Unverified claim"):
        sentence_join(sentence=s[1], by=alice)
    assert len(sentences(article)) == 5


def test_a_reviewer_cannot_join_sentences_another_reviewer_annotated(article, alice, bob):
    s = sentences(article)
    services.annotation_create(reviewer=bob, sentence=s[2], label="unverified_claim")
    with pytest.raises(ValidationError, match="bob has annotated this sentence"):
        sentence_join(sentence=s[1], by=alice)
    assert len(sentences(article)) == 5


def test_an_editor_can_always_join(article, bob, carol):
    s = sentences(article)
    services.annotation_create(reviewer=bob, sentence=s[2], label="unverified_claim")
    sentence_join(sentence=s[1], by=carol)
    assert len(sentences(article)) == 4
    assert_tiling(article)


def test_the_last_sentence_cannot_be_joined(article, alice):
    with pytest.raises(ValidationError, match="last sentence"):
        sentence_join(sentence=sentences(article)[-1], by=alice)


def test_splitting_moves_phrase_annotations_to_the_part_they_lie_in(article, alice):
    s = sentences(article)
    joined = sentence_join(sentence=s[1], by=alice)
    body = article.body
    start = body.index("Monday")
    a = services.annotation_create(reviewer=alice, sentence=joined, label="unverified_claim",
                                   phrase=(start, start + len("Monday")))
    left, right = sentence_split(sentence=joined, at=body.index("Which"), by=alice)
    assert left.text == "The vote went to the council."
    assert right.text == "Which meets on Monday?"
    a.refresh_from_db()
    assert a.sentence == right and a.quote == "Monday"
    assert_tiling(article)


def test_a_split_that_would_cut_an_annotation_is_refused_naming_it(article, alice):
    s = sentences(article)
    joined = sentence_join(sentence=s[1], by=alice)
    body = article.body
    start = body.index("council")
    services.annotation_create(reviewer=alice, sentence=joined, label="unverified_claim",
                               phrase=(start, body.index("Monday")))
    with pytest.raises(ValidationError, match="would cut alice's Unverified claim"):
        sentence_split(sentence=joined, at=body.index("Which"), by=alice)
    assert len(sentences(article)) == 4


def test_a_split_through_a_whole_sentence_annotation_is_refused_as_ambiguous(article, alice):
    s = sentences(article)
    services.annotation_create(reviewer=alice, sentence=s[3], label="unverified_claim")
    with pytest.raises(ValidationError, match="covers the whole sentence"):
        sentence_split(sentence=s[3], at=s[3].start + 4, by=alice)


def test_a_split_at_the_edge_is_refused(article, alice):
    s = sentences(article)[1]
    with pytest.raises(ValidationError, match="both parts keep some text"):
        sentence_split(sentence=s, at=s.start, by=alice)


def test_join_then_split_restores_the_original_boundaries_and_history_records_both(
    article, alice
):
    before = [(s.start, s.end) for s in sentences(article)]
    s = sentences(article)
    joined = sentence_join(sentence=s[1], by=alice)
    sentence_split(sentence=joined, at=s[2].start, by=alice)
    assert [(x.start, x.end) for x in sentences(article)] == before
    reasons = set(joined.history.values_list("history_change_reason", flat=True))
    assert {"joined with the next sentence", "split"} <= reasons


def test_no_label_marks_follow_a_join_and_a_split(article, alice):
    s = sentences(article)
    services.sentence_mark_no_label(reviewer=alice, sentence=s[1])
    services.sentence_mark_no_label(reviewer=alice, sentence=s[2])
    joined = sentence_join(sentence=s[1], by=alice)
    assert SentenceReview.objects.filter(reviewer=alice).count() == 1
    left, right = sentence_split(sentence=joined, at=s[2].start, by=alice)
    assert set(SentenceReview.objects.values_list("sentence_id", flat=True)) == {left.pk, right.pk}


def test_a_reviewer_joins_sentences_over_http_and_gets_the_new_sentence(client, article, alice):
    s = sentences(article)
    client.force_login(alice)
    response = client.post(reverse("review-join", args=[s[1].pk]))
    assert response.status_code == 200
    assert response.json()["text"] == "The vote went to the council. Which meets on Monday?"


def test_a_refused_split_over_http_says_why_and_changes_nothing(client, article, alice, bob):
    s = sentences(article)
    services.annotation_create(reviewer=bob, sentence=s[1], label="unverified_claim")
    client.force_login(alice)
    response = client.post(reverse("review-split", args=[s[1].pk]), {"at": s[1].start + 4})
    assert response.status_code == 400
    assert "bob has annotated this sentence" in response.json()["detail"]
    assert len(sentences(article)) == 5


def test_a_split_without_an_offset_is_a_clear_400(client, article, alice):
    client.force_login(alice)
    response = client.post(reverse("review-split", args=[sentences(article)[1].pk]))
    assert response.status_code == 400 and "at" in response.json()


def test_anonymous_users_cannot_change_boundaries(client, article):
    s = sentences(article)
    response = client.post(reverse("review-join", args=[s[1].pk]))
    assert response.status_code == 401
    assert len(sentences(article)) == 5


def test_history_keeps_the_imported_boundaries_a_join_replaced(article, alice):
    s = sentences(article)
    original = (s[1].start, s[1].end)
    sentence_join(sentence=s[1], by=alice)
    first = s[1].history.order_by("history_date", "history_id").first()
    assert first.history_change_reason == "as imported"
    assert (first.start, first.end) == original
    gone = s[2].history.order_by("history_date", "history_id")
    assert [h.history_type for h in gone] == ["+", "-"]
