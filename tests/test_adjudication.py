"""Adjudication: the page, its JSON endpoints, each sentence's final decision, closing."""

import pytest
from django.urls import reverse

from annotations import services
from annotations.models import Annotation
from review import services as review_services
from review.models import SentenceDecision

from .test_review_pages import as_user, matrix


@pytest.fixture
def article(make_article):
    return make_article(
        "Headline Words\nExperts say trade will double. Reuters reported the deal. Calm line."
    )


@pytest.fixture
def s(article):
    return list(article.sentences.order_by("position"))


@pytest.fixture
def reviewed(article, s, alice, bob, assign):
    """alice and bob disagree on sentence 2, agree on 3, both say "no label" on 4."""
    assign(alice, article)
    assign(bob, article)
    a_u = services.annotation_create(reviewer=alice, sentence=s[1], label="unverified_claim",
                                     note="<b>vague</b> experts")
    b_s = services.annotation_create(reviewer=bob, sentence=s[1], label="sensational_framing")
    a_c = services.annotation_create(reviewer=alice, sentence=s[2], label="unverified_claim")
    b_c = services.annotation_create(reviewer=bob, sentence=s[2], label="unverified_claim")
    for who in (alice, bob):
        services.sentence_mark_no_label(reviewer=who, sentence=s[3])
    return {"a_u": a_u, "b_s": b_s, "a_c": a_c, "b_c": b_c}


def verdict(client, annotation, status="accepted", etag=None, **extra):
    headers = {} if etag is False else {"If-Match": etag or annotation.etag}
    return client.post(reverse("review:verdict", args=[annotation.pk]),
                       {"status": status, **extra}, headers=headers)


def decide(client, sentence, labels, version=0, note=""):
    return client.post(reverse("review:decision", args=[sentence.pk]),
                       {"label": labels, "note": note},
                       headers={"If-Match": f'"d{sentence.pk}-{version}"'})


def statuses(*annotations):
    for a in annotations:
        a.refresh_from_db()
    return [a.status for a in annotations]


# Who may do what ----------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "expected"), matrix(302, 403, 403, 200, 200))
def test_only_editors_open_the_adjudication_page(client, people, article, who, expected):
    response = as_user(client, people[who]).get(reverse("review:adjudicate", args=[article.pk]))
    assert response.status_code == expected


@pytest.mark.parametrize(("who", "expected"), matrix(401, 403, 403, 200, 200))
def test_only_editors_give_a_verdict(client, people, reviewed, who, expected):
    response = verdict(as_user(client, people[who]), reviewed["a_u"])
    assert response.status_code == expected
    assert "detail" in response.json() or "rows" in response.json()
    assert statuses(reviewed["a_u"]) == ["accepted" if expected == 200 else "submitted"]


@pytest.mark.parametrize(("who", "expected"), matrix(401, 403, 403, 200, 200))
def test_only_editors_give_a_bulk_verdict(client, people, article, reviewed, who, expected):
    a = reviewed["a_u"]
    response = as_user(client, people[who]).post(
        reverse("review:verdicts", args=[article.pk]),
        {"status": "rejected", "annotation": [a.etag]},
    )
    assert response.status_code == expected
    assert statuses(a) == ["rejected" if expected == 200 else "submitted"]


@pytest.mark.parametrize(("who", "expected"), matrix(401, 403, 403, 200, 200))
def test_only_editors_set_final_labels(client, people, s, reviewed, who, expected):
    response = decide(as_user(client, people[who]), s[1], ["unverified_claim"])
    assert response.status_code == expected
    assert SentenceDecision.objects.filter(sentence=s[1]).exists() == (expected == 200)


@pytest.mark.parametrize(("who", "expected"), matrix(401, 403, 403, 200, 200))
def test_only_editors_accept_where_reviewers_agree(client, people, article, reviewed, who,
                                                    expected):
    response = as_user(client, people[who]).post(
        reverse("review:accept-agreed", args=[article.pk])
    )
    assert response.status_code == expected
    assert statuses(reviewed["a_c"]) == ["accepted" if expected == 200 else "submitted"]


@pytest.mark.parametrize(("who", "allowed"), matrix(False, False, False, True, True))
def test_only_editors_close_an_article(client, people, article, s, carol, who, allowed):
    for sentence in s:
        review_services.sentence_decide(sentence=sentence, labels=[], by=carol)
    as_user(client, people[who]).post(reverse("review:close", args=[article.pk]))
    article.refresh_from_db()
    assert (article.adjudicated_at is not None) == allowed


@pytest.mark.parametrize("name", ["verdict", "decision"])
def test_the_endpoints_refuse_a_get_in_the_one_error_shape(client, carol, s, reviewed, name):
    client.force_login(carol)
    pk = reviewed["a_u"].pk if name == "verdict" else s[1].pk
    response = client.get(reverse(f"review:{name}", args=[pk]))
    assert response.status_code == 405
    assert set(response.json()) == {"detail", "errors"}


def test_an_endpoint_refuses_a_post_without_the_csrf_token(carol, reviewed):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    response = verdict(client, reviewed["a_u"])
    assert response.status_code == 403
    assert "security token" in response.json()["detail"]


# The page -----------------------------------------------------------------------------------


def test_the_page_shows_every_reviewer_side_by_side_and_flags_the_disagreement(
    client, carol, article, reviewed
):
    client.force_login(carol)
    page = client.get(reverse("review:adjudicate", args=[article.pk])).content.decode()
    assert '<h3 class="adj-who">alice</h3>' in page and '<h3 class="adj-who">bob</h3>' in page
    assert page.count('<p class="adj-flag">Reviewers disagree</p>') == 1
    assert page.count('<p class="adj-agreed">All reviewers agree</p>') == 2
    assert "No label" in page and "Not reviewed" in page


def test_the_page_numbers_sentences_from_one(client, carol, article, s, reviewed):
    client.force_login(carol)
    page = client.get(reverse("review:adjudicate", args=[article.pk])).content.decode()
    assert '<span class="adj-pos">Sentence 1</span> Headline Words' in page
    assert '<span class="adj-pos">Sentence 2</span> Experts say' in page
    assert "Sentence 0" not in page


def test_a_sentence_names_itself_by_its_number_from_one_in_the_admin(s):
    assert str(s[0]).startswith(f"{s[0].article_id}#1: Headline")


def test_the_page_escapes_what_reviewers_wrote(client, carol, article, reviewed):
    client.force_login(carol)
    page = client.get(reverse("review:adjudicate", args=[article.pk])).content.decode()
    assert "&lt;b&gt;vague&lt;/b&gt; experts" in page and "<b>vague</b>" not in page


def test_the_page_shows_agreement_by_label_name(client, carol, article, reviewed):
    client.force_login(carol)
    page = client.get(reverse("review:adjudicate", args=[article.pk])).content.decode()
    assert "Unverified claim</th>" in page and "unverified_claim</th>" not in page


def test_the_page_counts_what_accept_where_reviewers_agree_would_settle(
    client, carol, article, reviewed
):
    client.force_login(carol)
    page = client.get(reverse("review:adjudicate", args=[article.pk])).content.decode()
    assert 'data-agreed-sentences="2" data-agreed-annotations="2"' in page


def test_the_page_has_no_inline_script_or_style(client, carol, article, reviewed):
    client.force_login(carol)
    page = client.get(reverse("review:adjudicate", args=[article.pk])).content.decode()
    assert "style=" not in page and "onclick" not in page
    assert page.count("<script") == 2  # the label data (json_script) and the module
    assert '<script type="module" src="/static/review/adjudicate.js">' in page


# Verdicts ----------------------------------------------------------------------------------


def test_a_verdict_answers_the_redrawn_row_and_summary(client, carol, s, reviewed):
    client.force_login(carol)
    data = verdict(client, reviewed["a_u"], "rejected", reason="vague").json()
    assert [row["id"] for row in data["rows"]] == [s[1].pk]
    assert "<strong>Rejected</strong> by carol: vague" in data["rows"][0]["html"]
    assert "decided" in data["summary"]


def test_a_verdict_without_the_version_is_a_428(client, carol, reviewed):
    client.force_login(carol)
    response = verdict(client, reviewed["a_u"], etag=False)
    assert response.status_code == 428
    assert statuses(reviewed["a_u"]) == ["submitted"]


def test_a_stale_verdict_is_a_412_with_the_row_as_it_is_now(client, carol, root, s, reviewed):
    a = reviewed["a_u"]
    drawn = a.etag
    review_services.annotations_verdict(annotations=[(a, None)], status="rejected", by=root,
                                        reason="first")
    client.force_login(carol)
    response = verdict(client, a, "accepted", etag=drawn)
    assert response.status_code == 412
    body = response.json()
    assert "reload" in body["detail"] and body["rows"][0]["id"] == s[1].pk
    assert "by root: first" in body["rows"][0]["html"]
    assert statuses(a) == ["rejected"]


def test_a_verdict_does_not_mark_the_annotation_edited_in_the_workspace(
    client, alice, carol, s, reviewed
):
    a = reviewed["a_u"]
    review_services.annotations_verdict(annotations=[(a, None)], status="accepted", by=carol)
    services.annotation_delete(annotation=a, expected_version=None, by=alice)
    services.annotation_restore(annotation=a, by=alice)
    client.force_login(alice)
    panel = client.get(reverse("annotations:sentence", args=[s[1].pk])).json()["panel"]
    assert "Accepted" in panel and "edited" not in panel


def test_a_change_by_its_reviewer_marks_the_annotation_edited(client, alice, s, reviewed):
    services.annotation_update(annotation=reviewed["a_u"], expected_version=None, by=alice,
                               note="clearer")
    client.force_login(alice)
    panel = client.get(reverse("annotations:sentence", args=[s[1].pk])).json()["panel"]
    assert " · edited" in panel


def test_a_bulk_verdict_is_all_or_nothing_when_one_version_is_stale(
    client, carol, root, article, reviewed
):
    a, b = reviewed["a_c"], reviewed["b_c"]
    drawn = [a.etag, b.etag]
    review_services.annotations_verdict(annotations=[(b, None)], status="rejected", by=root)
    client.force_login(carol)
    response = client.post(reverse("review:verdicts", args=[article.pk]),
                           {"status": "accepted", "annotation": drawn})
    assert response.status_code == 412
    assert statuses(a, b) == ["submitted", "rejected"]


def test_a_bulk_verdict_refuses_an_annotation_of_another_article(
    client, carol, make_article, alice, reviewed
):
    other = make_article("Other Headline\nAnother claim here.")
    client.force_login(carol)
    response = client.post(reverse("review:verdicts", args=[other.pk]),
                           {"status": "accepted", "annotation": [reviewed["a_u"].etag]})
    assert response.status_code == 404
    assert statuses(reviewed["a_u"]) == ["submitted"]


def test_a_bulk_verdict_answers_every_row_it_changed(client, carol, article, s, reviewed):
    client.force_login(carol)
    data = client.post(reverse("review:verdicts", args=[article.pk]),
                       {"status": "accepted",
                        "annotation": [reviewed["a_u"].etag, reviewed["a_c"].etag]}).json()
    assert sorted(row["id"] for row in data["rows"]) == [s[1].pk, s[2].pk]
    assert data["message"] == "Accepted 2 annotations."


# Final decisions -----------------------------------------------------------------------------


def test_final_labels_accept_matching_annotations_and_reject_the_others(
    client, carol, s, reviewed
):
    client.force_login(carol)
    response = decide(client, s[1], ["unverified_claim"])
    assert response.status_code == 200
    assert statuses(reviewed["a_u"], reviewed["b_s"]) == ["accepted", "rejected"]
    decision = SentenceDecision.objects.get(sentence=s[1])
    assert (decision.labels, decision.basis, decision.decided_by) == (
        "unverified_claim", "editor", carol)


def test_final_labels_can_be_no_label(client, carol, s, reviewed):
    client.force_login(carol)
    decide(client, s[1], [], note="Attributed, not hype.")
    decision = SentenceDecision.objects.get(sentence=s[1])
    assert (decision.labels, decision.note) == ("", "Attributed, not hype.")
    assert statuses(reviewed["a_u"], reviewed["b_s"]) == ["rejected", "rejected"]


def test_an_annotation_the_editor_rejected_stays_rejected_when_its_label_is_final(
    carol, s, reviewed
):
    a = reviewed["a_u"]
    review_services.annotations_verdict(annotations=[(a, None)], status="rejected", by=carol,
                                        reason="wrong phrase")
    review_services.sentence_decide(sentence=s[1], labels=["unverified_claim"], by=carol)
    a.refresh_from_db()
    assert (a.status, a.status_reason) == ("rejected", "wrong phrase")


def test_final_labels_are_stored_in_codebook_order_whatever_order_they_come_in(carol, s):
    decision = review_services.sentence_decide(
        sentence=s[1], labels=["cited_source", "sensational_framing"], by=carol
    )
    assert decision.labels == "sensational_framing,cited_source"


def test_the_database_refuses_an_unknown_final_label(carol, s):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        SentenceDecision.objects.create(sentence=s[1], labels="gossip", decided_at=timezone.now())


def test_a_stale_decision_is_a_412_and_writes_nothing(client, carol, root, s, reviewed):
    review_services.sentence_decide(sentence=s[1], labels=["sensational_framing"], by=root)
    client.force_login(carol)
    response = decide(client, s[1], ["unverified_claim"], version=0)
    assert response.status_code == 412
    assert "Nothing was overwritten" in response.json()["detail"]
    assert SentenceDecision.objects.get(sentence=s[1]).labels == "sensational_framing"


def test_a_decision_keeps_its_history_with_who_and_why(carol, s):
    review_services.sentence_decide(sentence=s[1], labels=["unverified_claim"], by=carol)
    review_services.sentence_decide(sentence=s[1], labels=[], by=carol, expected_version=1)
    history = SentenceDecision.history.filter(sentence_id=s[1].pk).order_by("history_date")
    assert [(h.labels, h.history_user, h.history_change_reason) for h in history] == [
        ("unverified_claim", carol, "decided"), ("", carol, "decided")]


def test_boilerplate_gets_no_decision(make_article, carol):
    from django.core.exceptions import ValidationError

    article = make_article("Headline Words\nA claim.\nLeave a reply\n")
    line = article.sentences.get(is_boilerplate=True)
    with pytest.raises(ValidationError, match="Boilerplate"):
        review_services.sentence_decide(sentence=line, labels=[], by=carol)


def test_accepting_every_annotation_where_reviewers_agree_settles_the_sentence(
    carol, s, reviewed
):
    review_services.annotations_verdict(
        annotations=[(reviewed["a_c"], None), (reviewed["b_c"], None)], status="accepted",
        by=carol,
    )
    decision = SentenceDecision.objects.get(sentence=s[2])
    assert (decision.labels, decision.basis) == ("unverified_claim", "verdicts")


def test_once_every_annotation_has_a_verdict_the_accepted_labels_are_final(carol, s, reviewed):
    review_services.annotations_verdict(annotations=[(reviewed["a_u"], None)],
                                        status="accepted", by=carol)
    assert not SentenceDecision.objects.filter(sentence=s[1]).exists()
    review_services.annotations_verdict(annotations=[(reviewed["b_s"], None)],
                                        status="rejected", by=carol)
    assert SentenceDecision.objects.get(sentence=s[1]).labels == "unverified_claim"


def test_taking_a_verdict_back_removes_a_decision_the_verdicts_had_settled(carol, s, reviewed):
    both = [(reviewed["a_c"], None), (reviewed["b_c"], None)]
    review_services.annotations_verdict(annotations=both, status="accepted", by=carol)
    review_services.annotations_verdict(annotations=[(reviewed["a_c"], None)],
                                        status="submitted", by=carol)
    assert not SentenceDecision.objects.filter(sentence=s[2]).exists()


def test_accepting_an_annotation_adds_its_label_to_final_labels_the_editor_set(
    carol, s, reviewed
):
    review_services.sentence_decide(sentence=s[1], labels=["unverified_claim"], by=carol)
    review_services.annotations_verdict(annotations=[(reviewed["b_s"], None)],
                                        status="accepted", by=carol)
    decision = SentenceDecision.objects.get(sentence=s[1])
    assert (decision.labels, decision.basis) == (
        "sensational_framing,unverified_claim", "editor")


def test_verdicts_through_the_api_settle_the_decision_as_the_page_does(api, carol, s, reviewed):
    for key in ("a_c", "b_c"):
        api.as_user(carol).post(f"/api/review/annotations/{reviewed[key].pk}/verdict/",
                                {"status": "accepted"})
    assert SentenceDecision.objects.get(sentence=s[2]).labels == "unverified_claim"


# Accept where reviewers agree -----------------------------------------------------------------


def test_accept_agreed_settles_only_sentences_every_reviewer_answered_alike(
    client, carol, article, s, reviewed
):
    client.force_login(carol)
    data = client.post(reverse("review:accept-agreed", args=[article.pk])).json()
    assert data["message"] == (
        "Accepted 2 annotations and settled 2 sentences where the reviewers agree.")
    assert statuses(reviewed["a_c"], reviewed["b_c"]) == ["accepted", "accepted"]
    assert statuses(reviewed["a_u"], reviewed["b_s"]) == ["submitted", "submitted"]
    decided = dict(SentenceDecision.objects.values_list("sentence_id", "labels"))
    assert decided == {s[2].pk: "unverified_claim", s[3].pk: ""}


def test_accept_agreed_waits_for_a_reviewer_who_has_not_answered(
    carol, article, s, reviewed, assign, root
):
    assign(root, article)  # a third reviewer, who has read nothing yet
    done = review_services.article_accept_agreed(article=article, by=carol)
    assert done == {"annotations": 0, "sentence_ids": []}


def test_accept_agreed_leaves_a_sentence_with_an_annotation_the_editor_rejected(
    carol, article, s, reviewed
):
    review_services.annotations_verdict(annotations=[(reviewed["a_c"], None)],
                                        status="rejected", by=carol)
    done = review_services.article_accept_agreed(article=article, by=carol)
    assert done["sentence_ids"] == [s[3].pk]
    assert statuses(reviewed["b_c"]) == ["submitted"]


def test_accept_agreed_records_why_in_the_verdict(carol, article, reviewed):
    review_services.article_accept_agreed(article=article, by=carol)
    reviewed["a_c"].refresh_from_db()
    assert reviewed["a_c"].status_reason == "Reviewers agree."


# Closing -----------------------------------------------------------------------------------


def test_closing_names_how_many_sentences_lack_a_decision_in_an_error_box(
    client, carol, article, reviewed
):
    client.force_login(carol)
    page = client.post(reverse("review:close", args=[article.pk]), follow=True).content.decode()
    assert '<li class="message error" role="alert">' in page
    assert "3 of 4 content sentences have no final decision yet" in page
    article.refresh_from_db()
    assert article.adjudicated_at is None


def test_closing_counts_decisions_the_verdicts_settle_through_the_api(
    api, carol, article, s, reviewed
):
    for key in ("a_c", "b_c"):
        api.as_user(carol).post(f"/api/review/annotations/{reviewed[key].pk}/verdict/",
                                {"status": "accepted"})
    review_services.sentence_decide(sentence=s[0], labels=[], by=carol)
    review_services.sentence_decide(sentence=s[1], labels=["unverified_claim"], by=carol)
    review_services.article_close_adjudication(article=article, by=carol)
    decided = dict(SentenceDecision.objects.values_list("sentence_id", "labels"))
    assert decided[s[2].pk] == "unverified_claim" and decided[s[3].pk] == ""


def test_closing_no_longer_waits_for_verdicts_once_every_sentence_is_decided(
    carol, article, s, reviewed
):
    for sentence in s:
        review_services.sentence_decide(sentence=sentence, labels=[], by=carol)
    services.annotation_create(reviewer=carol, sentence=s[1], label="cited_source",
                               source=__import__("provenance.services", fromlist=["x"])
                               .source_create(name="Reuters", kind="wire_agency"))
    review_services.article_close_adjudication(article=article, by=carol)
    article.refresh_from_db()
    assert article.adjudicated_by == carol


# Query counts -------------------------------------------------------------------------------


def _bigger(make_article, alice, bob, n):
    text = "Headline Words\n" + " ".join(f"Claim number {i} is here." for i in range(n))
    article = make_article(text)
    for sentence in article.sentences.filter(position__gt=0):
        services.annotation_create(reviewer=alice, sentence=sentence, label="unverified_claim")
        services.annotation_create(reviewer=bob, sentence=sentence, label="sensational_framing")
    return article


def test_the_page_runs_the_same_queries_whatever_the_articles_size(
    client, carol, make_article, alice, bob, django_assert_num_queries
):
    small, large = _bigger(make_article, alice, bob, 3), _bigger(make_article, alice, bob, 40)
    client.force_login(carol)
    # session, user, the user's and their groups' permissions (is_editor), the article
    # with its status, reviewers, sentences, annotations, "no label" marks, decisions
    for article in (small, large):
        with django_assert_num_queries(10):
            client.get(reverse("review:adjudicate", args=[article.pk]))


def test_a_verdict_runs_a_fixed_number_of_queries(
    client, carol, make_article, alice, bob, django_assert_num_queries
):
    article = _bigger(make_article, alice, bob, 40)
    annotation = Annotation.objects.filter(sentence__article=article).first()
    client.force_login(carol)
    # session, user, user and group permissions; the annotation with its sentence and
    # article; the write: savepoint, lock the sentence, the verdict (savepoint, lock the
    # sentence, lock + read the annotation, update it, its history row, release), the
    # article's reviewers, the decision, the sentence's annotations and "no label" marks,
    # release; the redraw: reviewers, sentences, annotations, marks, decisions
    with django_assert_num_queries(23):
        verdict(client, annotation)


def test_a_decision_runs_a_fixed_number_of_queries_per_annotation_on_the_sentence(
    client, carol, make_article, alice, bob, django_assert_num_queries
):
    article = _bigger(make_article, alice, bob, 40)
    sentence = article.sentences.get(position=1)
    client.force_login(carol)
    # session, user, user and group permissions, the sentence with its article; the
    # write: savepoint, lock the sentence, read the decision, insert it, its history row,
    # the sentence's annotations, then a verdict on each of the two (savepoint, lock the
    # sentence, lock + read, update, history row, release), release; the redraw:
    # reviewers, sentences, annotations, marks, decisions
    with django_assert_num_queries(29):
        decide(client, sentence, ["unverified_claim"])
