"""Independent review, closing that closes, verdicts that count, and the claims' decision."""

import pytest
from django.urls import reverse

from annotations import services
from annotations.access import CLOSED_MESSAGE
from annotations.models import Annotation, SentenceReview, Status
from provenance.models import Sentence
from provenance.services import article_update
from review import services as review_services
from review.models import SentenceDecision


def close(article, editor):
    """Close `article` as an editor does: each content sentence's final labels are the
    labels its reviewers gave it."""
    for sentence in article.sentences.filter(is_boilerplate=False):
        labels = {a.label for a in Annotation.objects.live().filter(sentence=sentence)}
        review_services.sentence_decide(sentence=sentence, labels=labels, by=editor)
    review_services.article_close_adjudication(article=article, by=editor)
    article.refresh_from_db()
    return article


@pytest.fixture(name="review")
def review_fixture(make_article, alice, bob, assign):
    article = make_article(
        "Headline Words Here\nExperts say it will double. The mayor said so. A third one.\n",
        publisher="Harbour Gazette",
    )
    assign(alice, article)
    assign(bob, article)
    s1, s2, s3 = article.sentences.filter(is_boilerplate=False, is_heading=False)
    alices = services.annotation_create(
        reviewer=alice, sentence=s1, label="sensational_framing", phrase=(s1.start, s1.start + 7),
        note="alice's own words",
    )
    bobs = services.annotation_create(reviewer=bob, sentence=s2, label="unverified_claim")
    return {"article": article, "s1": s1, "s2": s2, "s3": s3, "alices": alices, "bobs": bobs}


def what_bob_sees(client, api, bob, review):
    """Everything bob can read of alice's work: the workspace page and panel, the claims,
    the export, the annotations API (list and detail)."""
    article, alices = review["article"], review["alices"]
    client.force_login(bob)
    page = client.get(reverse("annotations:article-review", args=[article.pk])).content.decode()
    panel = client.get(reverse("annotations:sentence", args=[review["s1"].pk])).json()["panel"]
    api.as_user(bob)
    claims = api.get("/api/claims/").json()["results"]
    export = b"".join(api.get("/api/export/annotations?format=csv").streaming_content)
    listed = [a["id"] for a in api.get("/api/annotations/").json()["results"]]
    detail = api.get(f"/api/annotations/{alices.pk}/").status_code
    return {
        "page": "alice's own words" in page or "hl-sensational_framing" in page,
        "panel": "alice" in panel,
        "claims": any(a["reviewer"] == "alice" for c in claims for a in c["annotations"]),
        "export": b"alice" in export,
        "list": alices.pk in listed,
        "detail": detail == 200,
    }


def test_before_closing_bob_sees_none_of_alices_labels_and_after_closing_all(
    client, api, bob, carol, review
):
    before = what_bob_sees(client, api, bob, review)
    assert not any(before.values()), before
    close(review["article"], carol)
    after = what_bob_sees(client, api, bob, review)
    assert all(after.values()), after


def test_bob_still_sees_his_own_work_while_the_review_is_independent(client, bob, review):
    client.force_login(bob)
    panel = client.get(reverse("annotations:sentence", args=[review["s2"].pk])).json()["panel"]
    assert "bob (you)" in panel


def test_editors_see_every_reviewers_work_before_closing(client, api, carol, review):
    assert all(what_bob_sees(client, api, carol, review).values())


def test_a_site_that_reviews_openly_shows_everyones_work_and_an_article_can_opt_back_in(
    client, api, bob, carol, review, settings
):
    settings.PROVENANCE_INDEPENDENT_REVIEW = False
    assert all(what_bob_sees(client, api, bob, review).values())
    article = article_update(article=review["article"], by=carol, independent_review=True)
    assert not any(what_bob_sees(client, api, bob, review).values())
    change = article.history.first()
    assert (change.history_user, change.independent_review) == (carol, True)


def test_an_editor_turns_independence_off_for_one_article_over_the_api(
    api, bob, carol, review
):
    url = f"/api/review/articles/{review['article'].pk}/independence/"
    assert api.as_user(bob).post(url, {"independent": False}).status_code == 403
    response = api.as_user(carol).post(url, {"independent": False})
    assert response.json() == {"id": review["article"].pk, "independent_review": False,
                               "independent": False}
    claims = api.as_user(bob).get("/api/claims/").json()["results"]
    assert {a["reviewer"] for c in claims for a in c["annotations"]} == {"alice", "bob"}


# ---- Closing means closed ----------------------------------------------------------------


def _state(article):
    annotations = Annotation.objects.filter(sentence__article=article)
    return (
        sorted(annotations.values_list("id", "label", "note", "version", "deleted_at")),
        sorted(Sentence.objects.filter(article=article).values_list("id", "start", "end")),
        SentenceReview.objects.filter(sentence__article=article).count(),
    )


def test_a_closed_article_refuses_every_change_a_reviewer_asks_and_changes_nothing(
    client, api, alice, carol, review
):
    article = close(review["article"], carol)
    alices, s1, s3 = review["alices"], review["s1"], review["s3"]
    before = _state(article)
    api.as_user(alice)
    tag = {"HTTP_IF_MATCH": alices.etag}
    answers = [
        api.post("/api/annotations/", {"sentence": s3.pk, "label": "unverified_claim"}),
        api.patch(f"/api/annotations/{alices.pk}/", {"note": "changed"}, **tag),
        api.delete(f"/api/annotations/{alices.pk}/", **tag),
        api.post(f"/api/review/sentences/{s1.pk}/join/"),
        api.post(f"/api/review/sentences/{s1.pk}/split/", {"at": s1.start + 8}),
    ]
    client.force_login(alice)
    answers += [
        client.post(reverse("annotations:annotation-create", args=[s3.pk]),
                    {"label": "unverified_claim"}),
        client.post(reverse("annotations:annotation-update", args=[alices.pk]),
                    {"label": "sensational_framing", "note": "changed"}, **tag),
        client.post(reverse("annotations:annotation-delete", args=[alices.pk]), **tag),
        client.post(reverse("annotations:no-label", args=[s3.pk])),
        client.post(reverse("annotations:sentence-join", args=[s1.pk]),
                    {"start": s1.start, "end": s1.end}),
    ]
    assert [r.status_code for r in answers] == [409] * len(answers)
    assert all(CLOSED_MESSAGE in r.json()["detail"] for r in answers)
    assert _state(article) == before


def test_a_closed_article_refuses_a_restore_and_takes_changes_again_once_reopened(
    api, alice, carol, review
):
    alices = review["alices"]
    services.annotation_delete(annotation=alices, expected_version=1, by=alice)
    article = close(review["article"], carol)
    response = api.as_user(alice).post(f"/api/annotations/{alices.pk}/restore/")
    assert response.status_code == 409 and CLOSED_MESSAGE in response.json()["detail"]
    review_services.article_reopen_adjudication(article=article, by=carol)
    assert api.post(f"/api/annotations/{alices.pk}/restore/").status_code == 200


def test_an_editor_may_still_fix_boundaries_of_a_closed_article(api, carol, review):
    close(review["article"], carol)
    s1 = review["s1"]
    response = api.as_user(carol).post(f"/api/review/sentences/{s1.pk}/split/",
                                       {"at": s1.start + 8})
    assert response.status_code == 200


def test_a_reviewers_edit_takes_the_verdict_back_and_the_decision_that_followed_it(
    api, alice, carol, review
):
    alices = review["alices"]
    (alices,) = review_services.annotations_verdict(
        annotations=[(alices, None)], status=Status.ACCEPTED, by=carol, reason="Fair."
    )
    assert SentenceDecision.objects.filter(sentence=review["s1"]).exists()
    response = api.as_user(alice).patch(
        f"/api/annotations/{alices.pk}/", {"label": "unverified_claim"},
        HTTP_IF_MATCH=alices.etag,
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_reason"]) == ("submitted", "")
    last = alices.history.first()
    assert last.history_change_reason == "edited; accepted verdict taken back"
    assert not SentenceDecision.objects.filter(sentence=review["s1"]).exists()


def test_only_an_assigned_reviewer_finishes_an_article(client, api, alice, carol, review):
    article = review["article"]
    url = reverse("review:article-finish", args=[article.pk])
    client.force_login(carol)
    refused = client.post(url, {"confirm": "yes"})
    assert refused.status_code == 403 and "not assigned" in refused.content.decode()
    response = api.as_user(carol).post(f"/api/review/articles/{article.pk}/finish/")
    assert response.status_code == 403 and "not assigned" in response.json()["detail"]
    assert not article.assignments.filter(reviewer=carol).exists()
    finished = api.as_user(alice).post(f"/api/review/articles/{article.pk}/finish/")
    assert (finished.status_code, finished.json()["status"]) == (200, "done")


# ---- Verdicts count everywhere -----------------------------------------------------------


def test_rejected_annotations_leave_claims_exports_and_counts_unless_asked_for(
    api, client, carol, review
):
    bobs = review["bobs"]
    review_services.annotations_verdict(annotations=[(bobs, None)], status=Status.REJECTED,
                                        by=carol)
    api.as_user(carol)
    ids = lambda query: [c["sentence"]["id"] for c in  # noqa: E731
                         api.get(f"/api/claims/?{query}").json()["results"]]
    assert review["s2"].pk not in ids("")
    assert review["s2"].pk in ids("include_rejected=true")
    assert ids("status=rejected") == [review["s2"].pk]
    export = b"".join(api.get("/api/export/annotations?format=csv").streaming_content)
    assert b"unverified_claim" not in export
    export = b"".join(
        api.get("/api/export/annotations?format=csv&include_rejected=true").streaming_content
    )
    assert b"unverified_claim" in export
    article = api.get(f"/api/articles/{review['article'].pk}/").json()
    assert article["annotation_count"] == 1


def test_a_rejected_label_is_struck_through_in_the_workspace(client, alice, carol, review):
    alices = review["alices"]
    review_services.annotations_verdict(annotations=[(alices, None)], status=Status.REJECTED,
                                        by=carol)
    client.force_login(alice)
    page = client.get(reverse("annotations:article-review",
                              args=[review["article"].pk])).content.decode()
    assert 'hl-sensational_framing is-rejected' in page
    panel = client.get(reverse("annotations:sentence", args=[review["s1"].pk])).json()["panel"]
    assert "is-rejected" in panel and 'data-status="rejected"' in panel


def test_a_rejected_citation_does_not_count_on_its_source_page(
    client, make_article, alice, carol
):
    from provenance.services import source_create

    source = source_create(name="Dana Ruiz", kind="official_person")
    sentence = make_article("Headline Words\nRuiz said so. Next.").sentences.get(position=1)
    citation = services.annotation_create(reviewer=alice, sentence=sentence,
                                          label="cited_source", source=source)
    client.force_login(carol)
    url = reverse("review:source-detail", args=[source.slug])
    assert "Ruiz said so." in client.get(url).content.decode()
    review_services.annotations_verdict(annotations=[(citation, None)],
                                        status=Status.REJECTED, by=carol)
    assert "Ruiz said so." not in client.get(url).content.decode()


def test_claims_carry_each_sentences_final_decision_once_the_article_is_adjudicated(
    api, carol, review
):
    api.as_user(carol)
    claim = api.get(f"/api/claims/{review['s1'].pk}/").json()
    assert claim["decision"] is None and claim["article"]["adjudicated_at"] is None
    close(review["article"], carol)
    claim = api.get(f"/api/claims/{review['s1'].pk}/").json()
    assert claim["decision"]["labels"] == ["sensational_framing"]
    assert claim["decision"]["basis"] == "editor" and claim["article"]["adjudicated_at"]


def test_a_claims_page_of_adjudicated_articles_costs_one_query_more(
    api, carol, review, django_assert_num_queries
):
    close(review["article"], carol)
    api.as_user(carol)
    api.get("/api/claims/")  # carol's permissions, cached on her for the next request
    with django_assert_num_queries(3):  # page of sentences, their annotations, decisions
        assert len(api.get("/api/claims/").json()["results"]) == 2


def test_the_workspace_says_when_an_article_is_closed(client, alice, carol, review):
    url = reverse("annotations:article-review", args=[review["article"].pk])
    client.force_login(alice)
    assert "data-closed" not in client.get(url).content.decode()
    close(review["article"], carol)
    assert CLOSED_MESSAGE.split(";")[0] in client.get(url).content.decode()


def test_agreement_says_whether_the_reviewers_worked_independently(
    api, carol, review, settings
):
    url = f"/api/review/articles/{review['article'].pk}/agreement/"
    rows = api.as_user(carol).get(url).json()
    assert rows and all(row["independent"] for row in rows)
    settings.PROVENANCE_INDEPENDENT_REVIEW = False
    assert not any(row["independent"] for row in api.get(url).json())
