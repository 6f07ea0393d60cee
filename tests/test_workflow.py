"""Editors' services: assignments, review status, adjudication, reliability, merging."""

import pytest
from django.core.exceptions import ValidationError

from annotations import services
from annotations.models import Annotation
from provenance import services as registry
from provenance.models import Article, Source, SourceAlias
from provenance.services import source_create
from review import selectors as review_selectors
from review import services as review_services
from review.models import Assignment, AssignmentStatus


@pytest.fixture
def article(make_article):
    return make_article("Headline Words\nOfficials said so. Reuters reported it. Third one.")


def status_of(article):
    articles = Article.objects.filter(pk=article.pk)
    return review_selectors.with_review_status(articles).get().review_status


def test_review_status_moves_from_new_to_adjudicated(article, alice, bob, carol):
    assert status_of(article) == "new"
    review_services.assignment_create(article=article, reviewer=alice, by=carol)
    review_services.assignment_create(article=article, reviewer=bob, by=carol)
    assert status_of(article) == "in_review"
    review_services.article_finish(reviewer=alice, article=article)
    assert status_of(article) == "in_review"
    review_services.article_finish(reviewer=bob, article=article)
    assert status_of(article) == "awaiting_adjudication"
    for sentence in article.sentences.filter(is_boilerplate=False):
        review_services.sentence_decide(sentence=sentence, labels=[], by=carol)
    review_services.article_close_adjudication(article=article, by=carol)
    assert status_of(article) == "adjudicated"


def test_the_first_annotation_moves_an_assignment_to_in_progress(article, alice, carol):
    assignment = review_services.assignment_create(article=article, reviewer=alice, by=carol)
    assert assignment.status == AssignmentStatus.ASSIGNED
    services.annotation_create(reviewer=alice, sentence=article.sentences.get(position=1),
                               label="unverified_claim")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.IN_PROGRESS


def test_reassigning_keeps_the_first_reviewers_annotations(article, alice, bob, carol):
    assignment = review_services.assignment_create(article=article, reviewer=alice, by=carol)
    services.annotation_create(reviewer=alice, sentence=article.sentences.get(position=1),
                               label="unverified_claim")
    review_services.assignment_reassign(assignment=assignment, reviewer=bob, by=carol)
    assert Assignment.objects.get().reviewer == bob
    assert Annotation.objects.filter(reviewer=alice).count() == 1


def test_unassigning_leaves_history(article, alice, carol):
    assignment = review_services.assignment_create(article=article, reviewer=alice, by=carol)
    review_services.assignment_delete(assignment=assignment, by=carol)
    assert not Assignment.objects.exists()
    last = Assignment.history.order_by("-history_date").first()
    assert last.history_type == "-" and last.history_change_reason == "unassigned"
    assert last.history_user == carol


def test_closing_is_refused_while_a_content_sentence_has_no_final_decision(
    article, alice, carol
):
    a = services.annotation_create(reviewer=alice, sentence=article.sentences.get(position=1),
                                   label="unverified_claim")
    review_services.annotations_verdict(annotations=[(a, None)], status="accepted", by=carol)
    with pytest.raises(ValidationError, match="3 of 4 content sentences have no final decision"):
        review_services.article_close_adjudication(article=article, by=carol)
    article.refresh_from_db()
    assert article.adjudicated_at is None


def test_closing_succeeds_once_every_content_sentence_has_a_final_decision(
    article, alice, carol
):
    for sentence in article.sentences.filter(is_boilerplate=False):
        review_services.sentence_decide(sentence=sentence, labels=["unverified_claim"], by=carol)
    review_services.article_close_adjudication(article=article, by=carol)
    article.refresh_from_db()
    assert article.adjudicated_by == carol


def test_a_reliability_rating_needs_a_rationale_and_records_who_set_it(carol):
    source = source_create(name="Vedomosti", kind="news_outlet")
    with pytest.raises(ValidationError, match="rationale"):
        registry.source_set_reliability(source=source, reliability="mixed", note="", by=carol)
    registry.source_set_reliability(source=source, reliability="mixed",
                                    note="Business daily; some unsourced scoops.", by=carol)
    source.refresh_from_db()
    assert source.reliability == "mixed" and source.reliability_set_by == carol
    assert source.reliability_set_at is not None


def test_merging_repoints_articles_and_citations_and_keeps_names_as_aliases(
    make_article, alice, carol
):
    survivor = source_create(name="China's customs office", kind="government_body")
    duplicate = source_create(name="Chinese customs", kind="government_body",
                              aliases=["PRC customs"], needs_review=True)
    article = make_article("Headline Words\nCustoms data show it. Another.",
                           publisher="Chinese customs")
    sentence = article.sentences.get(position=1)
    a = services.annotation_create(reviewer=alice, sentence=sentence, label="cited_source",
                                   source=duplicate)
    counts = review_services.source_merge(survivor=survivor, duplicates=[duplicate], by=carol)
    assert counts["articles"] == 1 and counts["citations"] == 1
    assert not Source.objects.filter(pk=duplicate.pk).exists()
    article.refresh_from_db()
    a.refresh_from_db()
    assert article.publisher == survivor and a.source == survivor
    assert set(SourceAlias.objects.values_list("alias", flat=True)) == {
        "Chinese customs", "PRC customs"
    }
    assert a.history.first().history_change_reason == "source merged into China's customs office"


@pytest.mark.parametrize("first_cited", ["survivor", "duplicate"])
def test_merging_collapses_a_reviewers_two_citations_of_what_is_now_one_source(
    make_article, alice, carol, first_cited
):
    sources = {"survivor": source_create(name="Free Russia Foundation", kind="think_tank_or_ngo"),
               "duplicate": source_create(name="FRF", kind="think_tank_or_ngo")}
    survivor, duplicate = sources["survivor"], sources["duplicate"]
    second_cited = "duplicate" if first_cited == "survivor" else "survivor"
    sentence = make_article("Headline Words\nThe FRF report says so.").sentences.get(position=1)
    kept = services.annotation_create(reviewer=alice, sentence=sentence, label="cited_source",
                                      source=sources[first_cited], note="first")
    dropped = services.annotation_create(reviewer=alice, sentence=sentence,
                                         label="cited_source", source=sources[second_cited],
                                         note="second")
    counts = review_services.source_merge(survivor=survivor, duplicates=[duplicate], by=carol)
    assert counts["collapsed"] == 1
    assert counts["citations"] == (first_cited == "duplicate")
    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert kept.deleted_at is None and kept.source == survivor  # the older one
    assert dropped.deleted_at is not None and dropped.note == "second"  # kept, recoverable
    assert dropped.source == survivor
    assert "merged duplicate of annotation" in dropped.history.first().history_change_reason


def test_a_failed_merge_changes_nothing(carol):
    survivor = source_create(name="Reuters", kind="wire_agency")
    with pytest.raises(ValidationError):
        review_services.source_merge(survivor=survivor, duplicates=[survivor], by=carol)
    assert Source.objects.count() == 1


def test_label_mix_counts_the_labels_on_claims_citing_a_source(make_article, alice, bob):
    source = source_create(name="Business Insider", kind="news_outlet")
    sentence = make_article("Headline Words\nA report says X.").sentences.get(position=1)
    services.annotation_create(reviewer=alice, sentence=sentence, label="cited_source",
                               source=source)
    services.annotation_create(reviewer=bob, sentence=sentence, label="unverified_claim")
    assert review_selectors.label_mix(source) == {"cited_source": 1, "unverified_claim": 1}


def test_the_source_page_shows_rating_aliases_articles_claims_and_label_mix(
    client, make_article, alice, bob, carol
):
    from django.urls import reverse

    source = source_create(name="Free Russia Foundation", kind="think_tank_or_ngo",
                           aliases=["FRF"])
    registry.source_set_reliability(source=source, reliability="mixed",
                                    note="Advocacy group; data usually sourced.", by=carol)
    article = make_article("Headline Words\nThe FRF report found chips flowed. Another.",
                           title="Chips report", publisher="Free Russia Foundation")
    sentence = article.sentences.get(position=1)
    services.annotation_create(reviewer=alice, sentence=sentence, label="cited_source",
                               source=source)
    services.annotation_create(reviewer=bob, sentence=sentence, label="unverified_claim")
    # An editor: a reviewer sees only their own annotations until adjudication
    # (test_independent_review.py).
    client.force_login(carol)
    page = client.get(reverse("review:source-detail", args=[source.slug])).content.decode()
    assert "Reliability: Mixed" in page and "Advocacy group; data usually sourced." in page
    assert "Rated by carol" in page and "Also known as: FRF" in page
    assert "The FRF report found chips flowed." in page
    assert "Cited source: 1" in page and "Unverified claim: 1" in page
    assert page.count("Chips report") == 2  # a claim citing it, and an article it published


def test_merging_moves_deleted_citations_too_each_as_one_new_version(make_article, alice, carol):
    survivor = source_create(name="Reuters", kind="wire_agency")
    duplicate = source_create(name="Reuters News", kind="wire_agency")
    sentence = make_article("Headline Words\nReuters said so.").sentences.get(position=1)
    a = services.annotation_create(reviewer=alice, sentence=sentence, label="cited_source",
                                   source=duplicate)
    services.annotation_delete(annotation=a, expected_version=1, by=alice)
    review_services.source_merge(survivor=survivor, duplicates=[duplicate], by=carol)
    a.refresh_from_db()
    assert a.source == survivor and a.version == 3
    assert [h.version for h in a.history.order_by("history_date", "history_id")] == [1, 2, 3]
    assert services.annotation_restore(annotation=a, by=alice).source == survivor

