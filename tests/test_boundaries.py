"""Joining and splitting sentences keeps every annotation and every offset exact."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from annotations import services
from annotations.boundaries import sentence_join, sentence_split
from annotations.models import Annotation, SentenceReview
from provenance.models import Sentence


@pytest.fixture
def article(make_article):
    # A segmenter cuts "the council. which meets" in two; the codebook joins such pieces.
    return make_article(
        "Headline Words\nThe vote went to the council. Which meets on Monday? Yes it does.\n"
        "Another paragraph here."
    )


def sentences(article):
    return list(article.sentences.order_by("position"))


def annotate(reviewer, sentence, text=None, delete=False):
    """A label on `text` in the sentence (all of it if None), deleted if asked."""
    body = sentence.article.body
    start = body.index(text) if text else None
    a = services.annotation_create(
        reviewer=reviewer, sentence=sentence, label="unverified_claim",
        phrase=(start, start + len(text)) if text else None,
    )
    if delete:
        a = services.annotation_delete(annotation=a, expected_version=1, by=reviewer)
    return a


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
    # Without naming bob's label: alice reviews independently (test_review_matrix.py).
    with pytest.raises(ValidationError, match="Another reviewer has annotated this sentence"):
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
    a = annotate(alice, joined, "Monday")
    left, right = sentence_split(sentence=joined, at=article.body.index("Which"), by=alice)
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
    assert "Another reviewer has annotated this sentence" in response.json()["detail"]
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


def test_a_join_moves_a_deleted_annotation_on_the_second_sentence_and_it_can_come_back(
    article, alice, bob, carol
):
    s = sentences(article)
    gone = annotate(bob, s[2], delete=True)
    joined = sentence_join(sentence=s[1], by=alice)  # bob's deleted label does not stop alice
    gone.refresh_from_db()
    assert gone.sentence == joined and gone.deleted_at is not None
    assert gone.quote == "Which meets on Monday?"
    assert (gone.phrase_start, gone.phrase_end) == (s[2].start, s[2].end)
    restored = services.annotation_restore(annotation=gone, by=carol)
    assert restored.deleted_at is None and restored.quote == "Which meets on Monday?"
    assert_tiling(article)


def test_a_deleted_phrase_follows_a_split_into_its_part_and_comes_back_there(article, alice):
    s = sentences(article)
    joined = sentence_join(sentence=s[1], by=alice)
    a = annotate(alice, joined, "Monday", delete=True)
    left, right = sentence_split(sentence=joined, at=article.body.index("Which"), by=alice)
    restored = services.annotation_restore(annotation=a, by=alice)
    assert restored.sentence == right and restored.quote == "Monday"
    assert_tiling(article)


@pytest.mark.parametrize("covered", ["council. Which", None], ids=["phrase", "whole-sentence"])
def test_restore_is_refused_when_a_split_went_through_the_deleted_annotation(
    article, alice, covered
):
    s = sentences(article)
    joined = sentence_join(sentence=s[1], by=alice)
    body = article.body
    a = annotate(alice, joined, covered, delete=True)
    sentence_split(sentence=joined, at=body.index("Which"), by=alice)  # not refused: deleted
    with pytest.raises(ValidationError, match="cannot come back as it was") as exc:
        services.annotation_restore(annotation=a, by=alice)
    assert "now reads “The vote went to the council.”" in str(exc.value)
    a.refresh_from_db()
    assert a.deleted_at is not None and a.quote == (covered or joined.text)
    assert body[a.phrase_start : a.phrase_end] == a.quote  # its text, recorded exactly


def test_restore_is_refused_for_a_row_left_on_a_sentence_that_no_longer_holds_its_phrase(
    article, alice
):
    """Splits before this rule left deleted annotations behind on the left part."""
    s = sentences(article)
    joined = sentence_join(sentence=s[1], by=alice)
    a = annotate(alice, joined, "Monday", delete=True)
    left, right = sentence_split(sentence=joined, at=article.body.index("Which"), by=alice)
    Annotation.objects.filter(pk=a.pk).update(sentence=left)  # as the old split left it
    with pytest.raises(ValidationError, match="cannot come back as it was"):
        services.annotation_restore(annotation=a, by=alice)


def test_a_refused_restore_over_http_is_a_409_that_says_why(api, article, alice):
    s = sentences(article)
    joined = sentence_join(sentence=s[1], by=alice)
    a = annotate(alice, joined, delete=True)
    sentence_split(sentence=joined, at=article.body.index("Which"), by=alice)
    response = api.as_user(alice).post(f"/api/annotations/{a.pk}/restore/")
    assert response.status_code == 409
    assert "cannot come back as it was" in response.json()["detail"]


def test_creating_on_a_sentence_joined_away_meanwhile_is_refused_naming_the_join(
    article, alice, carol
):
    s = sentences(article)
    stale = Sentence.objects.get(pk=s[2].pk)  # as a request read it before the join
    sentence_join(sentence=s[1], by=carol)
    with pytest.raises(services.Conflict, match=f"joined into sentence {s[1].pk} by carol"):
        services.annotation_create(reviewer=alice, sentence=stale, label="unverified_claim")
    assert Annotation.objects.count() == 0


def test_creating_on_a_sentence_split_meanwhile_is_refused_unless_the_phrase_still_fits(
    article, alice, carol
):
    s = sentences(article)
    joined = sentence_join(sentence=s[1], by=carol)
    stale = Sentence.objects.get(pk=joined.pk)
    body = article.body
    sentence_split(sentence=joined, at=body.index("Which"), by=carol)
    monday = (body.index("Monday"), body.index("Monday") + len("Monday"))
    with pytest.raises(services.Conflict, match="changed since the page was loaded"):
        services.annotation_create(reviewer=alice, sentence=stale, label="unverified_claim",
                                   phrase=monday)
    with pytest.raises(services.Conflict, match="changed since the page was loaded"):
        services.annotation_create(reviewer=alice, sentence=stale, label="unverified_claim")
    council = (body.index("council"), body.index("council") + len("council"))
    a = services.annotation_create(reviewer=alice, sentence=stale, label="unverified_claim",
                                   phrase=council)
    assert a.quote == "council"
    assert_tiling(article)


def test_a_join_from_a_stale_page_is_refused_rather_than_joining_the_next_pair(article, carol):
    s = sentences(article)
    sentence_join(sentence=s[1], by=carol)
    with pytest.raises(ValidationError, match="changed meanwhile"):
        sentence_join(sentence=s[1], by=carol)  # s[1] as the page showed it, before the join
    assert len(sentences(article)) == 4


def test_joins_and_splits_bump_each_moved_annotation_once_with_one_history_row(
    article, alice
):
    s = sentences(article)
    whole = services.annotation_create(reviewer=alice, sentence=s[2], label="unverified_claim")
    joined = sentence_join(sentence=s[1], by=alice)
    sentence_split(sentence=joined, at=s[2].start, by=alice)
    whole.refresh_from_db()
    history = list(whole.history.order_by("history_date", "history_id"))
    assert [h.version for h in history] == [1, 2, 3] and whole.version == 3
    assert [h.history_change_reason for h in history] == [
        "created", "sentences joined", "sentence split"
    ]
    assert whole.phrase_start is None and whole.quote == "Which meets on Monday?"
    assert all(h.history_user == alice for h in history)
