"""Editors' pages: adjudication, admin actions and the agreement report, with permissions."""

import csv
import io

import pytest
from django.urls import reverse

from annotations import services
from annotations.models import Annotation
from provenance.models import Source
from provenance.services import source_create
from review import selectors as review_selectors
from review import services as review_services
from review.models import Assignment

CAST = ["anonymous", "alice", "bob", "carol", "root"]


def matrix(*outcomes):
    """(who, outcome) pairs for the whole cast: anonymous, reviewers, editor, superuser."""
    return list(zip(CAST, outcomes, strict=True))


@pytest.fixture
def reviewed(make_article, alice, bob):
    article = make_article(
        "Headline Words\nExperts say trade will double. Reuters reported the deal. Calm line."
    )
    s = list(article.sentences.order_by("position"))
    a1 = services.annotation_create(reviewer=alice, sentence=s[1], label="unverified_claim",
                                    note="<b>vague</b> experts")
    services.annotation_create(reviewer=bob, sentence=s[1], label="sensational_framing")
    services.sentence_mark_no_label(reviewer=alice, sentence=s[3])
    services.sentence_mark_no_label(reviewer=bob, sentence=s[3])
    return article, s, a1


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


def test_the_adjudication_page_uses_a_constant_number_of_queries(
    client, carol, make_article, alice, bob, django_assert_max_num_queries
):
    def render(n):
        text = "Headline Words\n" + " ".join(f"Claim number {i} is here." for i in range(n))
        article = make_article(text)
        for s in article.sentences.filter(position__gt=0):
            services.annotation_create(reviewer=alice, sentence=s, label="unverified_claim")
            services.annotation_create(reviewer=bob, sentence=s, label="sensational_framing")
        client.force_login(carol)
        return reverse("review:adjudicate", args=[article.pk])

    small, large = render(3), render(40)
    with django_assert_max_num_queries(14) as small_ctx:
        client.get(small)
    with django_assert_max_num_queries(14) as large_ctx:
        client.get(large)
    assert len(small_ctx.captured_queries) == len(large_ctx.captured_queries)


@pytest.mark.parametrize(("who", "expected"), matrix(302, 302, 302, 200, 200))
def test_only_editors_reach_the_source_registry_in_the_admin(client, people, who, expected):
    response = as_user(client, people[who]).get(reverse("admin:provenance_source_changelist"))
    assert response.status_code == expected


def test_the_admin_source_list_searches_aliases_and_filters_needs_review(client, carol):
    source_create(name="China's customs office", kind="government_body",
                  aliases=["Chinese customs"])
    source_create(name="Blinkin", kind="official_person", needs_review=True)
    client.force_login(carol)
    url = reverse("admin:provenance_source_changelist")
    page = client.get(url, {"q": "chinese customs"}).content.decode()
    assert "China&#x27;s customs office" in page and "Blinkin" not in page
    page = client.get(url, {"needs_review__exact": "1"}).content.decode()
    assert "Blinkin" in page and "customs office" not in page


def test_an_editor_merges_duplicates_after_confirming_the_survivor(client, carol, alice,
                                                                   make_article):
    survivor = source_create(name="Antony Blinken", kind="official_person")
    duplicate = source_create(name="Antony Blinkin", kind="official_person", needs_review=True)
    sentence = make_article("Headline Words\nBlinkin warned China.").sentences.get(position=1)
    a = services.annotation_create(reviewer=alice, sentence=sentence, label="cited_source",
                                   source=duplicate)
    client.force_login(carol)
    url = reverse("admin:provenance_source_changelist")
    picked = {"action": "merge", "_selected_action": [survivor.pk, duplicate.pk]}
    confirm_page = client.post(url, picked).content.decode()
    assert "Which source survives?" in confirm_page and "Antony Blinkin" in confirm_page
    assert Source.objects.count() == 2  # nothing happens before confirming
    client.post(url, {**picked, "confirm": "yes", "survivor": survivor.pk})
    assert list(Source.objects.values_list("name", flat=True)) == ["Antony Blinken"]
    a.refresh_from_db()
    assert a.source == survivor
    assert list(survivor.aliases.values_list("alias", flat=True)) == ["Antony Blinkin"]


def test_setting_reliability_in_the_admin_requires_a_rationale_and_records_who(client, carol):
    source = source_create(name="Cryptopolitan", kind="news_outlet")
    client.force_login(carol)
    url = reverse("admin:provenance_source_change", args=[source.pk])
    form = {"name": source.name, "slug": source.slug, "kind": "news_outlet",
            "reliability": "low", "reliability_note": "", "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0", "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000"}
    response = client.post(url, form)
    assert "a rating needs its rationale" in response.content.decode()
    source.refresh_from_db()
    assert source.reliability == "unrated"
    client.post(url, {**form, "reliability_note": "Crypto news site; syndicates unsourced."})
    source.refresh_from_db()
    assert source.reliability == "low" and source.reliability_set_by == carol


def test_an_editor_assigns_articles_in_bulk_and_the_status_filter_finds_them(
    client, carol, alice, bob, make_article
):
    first = make_article("First Headline\nOne sentence.")
    second = make_article("Second Headline\nAnother sentence.")
    client.force_login(carol)
    url = reverse("admin:provenance_article_changelist")
    client.post(url, {"action": "assign", "_selected_action": [first.pk], "confirm": "yes",
                      "reviewers": [alice.pk, bob.pk], "due_on": "2026-12-01"})
    assert set(Assignment.objects.values_list("reviewer__username", flat=True)) == {"alice", "bob"}
    assert str(Assignment.objects.first().due_on) == "2026-12-01"
    page = client.get(url, {"review_status": "in_review"}).content.decode()
    assert first.title in page and second.title not in page


def test_a_reviewer_cannot_reach_the_admin_assign_action(client, alice, make_article):
    article = make_article()
    client.force_login(alice)
    client.post(reverse("admin:provenance_article_changelist"),
                {"action": "assign", "_selected_action": [article.pk], "confirm": "yes",
                 "reviewers": [alice.pk]})
    assert not Assignment.objects.exists()


def test_the_agreement_report_downloads_as_csv(client, carol, reviewed):
    client.force_login(carol)
    response = client.get(reverse("admin:annotations_annotation_agreement"), {"format": "csv"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["label"] for r in rows} == {"sensational_framing", "unverified_claim",
                                          "cited_source"}
    unverified = next(r for r in rows if r["label"] == "unverified_claim")
    assert (unverified["reviewer_1"], unverified["reviewer_2"]) == ("alice", "bob")
    assert unverified["sentences"] == "2" and unverified["percent_agreement"] == "0.5000"


@pytest.mark.parametrize(("who", "expected"), matrix(302, 302, 302, 200, 200))
def test_only_editors_see_the_agreement_report(client, people, reviewed, who, expected):
    response = as_user(client, people[who]).get(reverse("admin:annotations_annotation_agreement"))
    assert response.status_code == expected


def test_editors_bulk_accept_in_the_admin_and_history_names_them(client, carol, reviewed):
    client.force_login(carol)
    ids = list(Annotation.objects.values_list("pk", flat=True))
    client.post(reverse("admin:annotations_annotation_changelist"),
                {"action": "accept", "_selected_action": ids})
    assert set(Annotation.objects.values_list("status", flat=True)) == {"accepted"}
    assert Annotation.history.filter(history_user=carol).count() == len(ids)


def test_editors_list_and_restore_deleted_annotations_in_the_admin(client, carol, reviewed):
    _, _, a1 = reviewed
    services.annotation_delete(annotation=a1, expected_version=a1.version, by=a1.reviewer)
    client.force_login(carol)
    url = reverse("admin:annotations_annotation_changelist")
    page = client.get(url, {"deleted": "yes"}).content.decode()
    assert f"/admin/annotations/annotation/{a1.pk}/change/" in page
    client.post(url, {"action": "restore", "_selected_action": [a1.pk]})
    a1.refresh_from_db()
    assert a1.deleted_at is None


def test_review_status_derives_from_assignments_not_a_stored_copy(make_article, alice, carol):
    article = make_article()
    review_services.assignment_create(article=article, reviewer=alice, by=carol)
    assert review_selectors.filter_review_status(
        type(article).objects.all(), "in_review"
    ).get() == article


def test_an_editor_reverts_an_annotation_from_its_history_and_the_revert_is_recorded(
    client, carol, reviewed
):
    _, _, a1 = reviewed
    services.annotation_update(annotation=a1, expected_version=1, by=a1.reviewer,
                               note="rewritten")
    first = a1.history.order_by("history_date").first()
    client.force_login(carol)
    url = reverse("admin:annotations_annotation_simple_history",
                  args=[a1.pk, first.history_id])
    assert client.get(url).status_code == 200
    client.post(url, {})
    a1.refresh_from_db()
    assert a1.note == "<b>vague</b> experts" and a1.version == 3
    assert a1.history.order_by("-history_date").first().history_user == carol


def _article_form(client, article):
    """The article's admin change form as the browser would submit it, unchanged."""
    response = client.get(reverse("admin:provenance_article_change", args=[article.pk]))
    form = response.context["adminform"].form
    data = {name: (form.initial.get(name) or "") for name in form.fields}
    data["publisher"] = ""
    for formset in response.context["inline_admin_formsets"]:
        fs = formset.formset
        for key, value in fs.management_form.initial.items():
            data[f"{fs.prefix}-{key}"] = value
        for i, inline_form in enumerate(fs.forms):
            if inline_form.instance.pk:
                data[f"{fs.prefix}-{i}-id"] = inline_form.instance.pk
                data[f"{fs.prefix}-{i}-article"] = article.pk
                for name in inline_form.fields:
                    value = inline_form.initial.get(name)
                    if value is not None and name not in ("id", "article"):
                        data[f"{fs.prefix}-{i}-{name}"] = getattr(value, "pk", value)
    return data


def test_an_editor_assigns_reassigns_and_unassigns_on_the_articles_page(
    client, carol, alice, bob, make_article
):
    article = make_article()
    client.force_login(carol)
    url = reverse("admin:provenance_article_change", args=[article.pk])
    data = _article_form(client, article)
    data.update({"assignments-0-reviewer": alice.pk, "assignments-0-due_on": "2026-12-24"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assignment = Assignment.objects.get()
    assert (assignment.reviewer, str(assignment.due_on)) == (alice, "2026-12-24")
    assert assignment.assigned_by == carol

    data = _article_form(client, article)
    data["assignments-0-reviewer"] = bob.pk
    client.post(url, data)
    assert Assignment.objects.get().reviewer == bob

    data = _article_form(client, article)
    data["assignments-0-DELETE"] = "on"
    client.post(url, data)
    assert not Assignment.objects.exists()
    assert Assignment.history.filter(history_change_reason="unassigned").exists()


def test_the_agreement_csv_shows_formula_like_usernames_as_text(client, carol, make_article):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    plus, at = User.objects.create_user("+cmd"), User.objects.create_user("@SUM")
    article = make_article("Headline Words\nExperts say trade will double. Calm line.")
    sentence = article.sentences.get(position=1)
    services.annotation_create(reviewer=plus, sentence=sentence, label="unverified_claim")
    services.annotation_create(reviewer=at, sentence=sentence, label="unverified_claim")
    client.force_login(carol)
    response = client.get(reverse("admin:annotations_annotation_agreement"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {rows[0]["reviewer_1"], rows[0]["reviewer_2"]} == {"'+cmd", "'@SUM"}


def test_a_reviewer_made_staff_can_neither_list_nor_delete_others_annotations_in_the_admin(
    client, bob, reviewed
):
    """Staff status lets an account into the admin; the reviewer group's change permission
    must not then open everyone's annotations to it (independent review, soft delete)."""
    _, _, a1 = reviewed  # alice's
    bob.is_staff = True
    bob.save(update_fields=["is_staff"])
    client.force_login(bob)
    url = reverse("admin:annotations_annotation_changelist")
    assert client.get(url).status_code == 403
    assert client.get(reverse("admin:annotations_annotation_change", args=[a1.pk])
                      ).status_code == 403
    response = client.post(url, {"action": "soft_delete", "_selected_action": [a1.pk]})
    assert response.status_code == 403
    a1.refresh_from_db()
    assert a1.deleted_at is None
    assert "annotations/annotation" not in client.get(reverse("admin:index")).content.decode()
