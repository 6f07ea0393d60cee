"""The editors' overview, the team's progress in the editor's queue, and finishing with
unreviewed sentences."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from annotations import services
from review import overview
from review.models import Assignment, AssignmentStatus

from .test_review_pages import as_user, matrix


@pytest.fixture
def article(make_article):
    return make_article(
        "Headline Words\nExperts say trade will double. Reuters reported the deal. Calm line."
    )


@pytest.fixture
def team(article, alice, bob, carol):
    """alice has reviewed 2 of the 4 content sentences, overdue; bob none, due later."""
    s = list(article.sentences.order_by("position"))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Assignment.objects.create(article=article, reviewer=alice, assigned_by=carol,
                              due_on=yesterday)
    Assignment.objects.create(article=article, reviewer=bob, assigned_by=carol,
                              due_on=yesterday + datetime.timedelta(days=30))
    services.annotation_create(reviewer=alice, sentence=s[1], label="unverified_claim")
    services.annotation_create(reviewer=alice, sentence=s[1], label="sensational_framing")
    services.sentence_mark_no_label(reviewer=alice, sentence=s[3])
    return s


def page(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(f"review:{name}", args=args)).content.decode()


@pytest.mark.parametrize(("who", "expected"), matrix(302, 403, 403, 200, 200))
@pytest.mark.parametrize("name", ["overview", "overview-article", "overview-reviewer"])
def test_only_editors_see_the_overview(client, people, article, team, name, who, expected):
    args = {"overview": [], "overview-article": [article.pk],
            "overview-reviewer": [people["alice"].pk]}[name]
    response = as_user(client, people[who]).get(reverse(f"review:{name}", args=args))
    assert response.status_code == expected


def test_the_article_overview_shows_each_reviewers_progress_of_content_sentences(
    client, carol, article, team
):
    html = page(client, carol, "overview-article", article.pk)
    assert "2 of 4 sentences reviewed (50%)" in html and "0 of 4 sentences reviewed (0%)" in html


def test_the_article_overview_flags_the_overdue_assignment_only(client, carol, article, team):
    html = page(client, carol, "overview-article", article.pk)
    assert html.count('<strong class="overdue">Overdue</strong>') == 1
    assert '<tr class="is-overdue">' in html


def test_the_team_overview_lists_overdue_assignments_with_their_progress(
    client, carol, article, team
):
    html = page(client, carol, "overview")
    start = html.index('id="overdue-heading"')
    overdue = html[start:html.index("</section>", start)]
    assert article.title in overdue and "2 of 4 sentences reviewed" in overdue


def test_the_reviewer_overview_shows_agreement_with_each_other_reviewer(
    client, carol, article, team, bob
):
    s = team
    services.annotation_create(reviewer=bob, sentence=s[1], label="unverified_claim")
    html = page(client, carol, "overview-reviewer", bob.pk)
    assert "With alice" in html and "Unverified claim</th>" in html


def test_charts_are_inline_svg_with_a_title_a_description_and_a_table(
    client, carol, article, team
):
    html = page(client, carol, "overview-article", article.pk)
    assert html.count('<svg class="chart"') == 2
    assert '<title id="chart-throughput-title">' in html and '<desc id="chart-mix-desc">' in html
    assert "<caption>Answers per day</caption>" in html
    assert "<caption>Answers per reviewer and label</caption>" in html
    assert "style=" not in html and "<script" not in html


def test_throughput_counts_labels_and_no_label_answers_per_day(article, team, alice):
    days = overview.throughput(reviewer=alice)
    assert len(days) == overview.DAYS and days[-1] == (timezone.localdate(), 3)
    assert sum(n for _, n in days) == 3


def test_the_label_mix_counts_each_reviewers_labels_and_no_label_marks(article, team):
    (mix,) = overview.label_mix(article=article)
    assert (mix.reviewer, mix.no_label, mix.total) == ("alice", 1, 3)
    assert dict((item.value, n) for item, n in mix.parts()) == {
        "sensational_framing": 1, "unverified_claim": 1, "cited_source": 0}


def test_progress_runs_one_query_whatever_the_number_of_assignments(
    article, team, make_article, alice, django_assert_num_queries
):
    for i in range(5):
        Assignment.objects.create(article=make_article(f"Headline {i}\nClaim {i} here."),
                                  reviewer=alice)
    with django_assert_num_queries(1):  # assignments with reviewer, article and both counts
        rows = overview.progress(Assignment.objects.all())
    assert len(rows) == 7


def test_the_overview_pages_run_a_fixed_number_of_queries(
    client, carol, article, team, make_article, alice, django_assert_num_queries
):
    client.force_login(carol)
    # session, user, user and group permissions; the article with its status, the
    # progress, agreement (annotations, marks), throughput (annotations, marks per day),
    # the label mix (annotations, marks per reviewer)
    with django_assert_num_queries(12):
        client.get(reverse("review:overview-article", args=[article.pk]))


# The editor's queue -------------------------------------------------------------------------


def test_the_editors_queue_shows_the_teams_progress_not_their_own(client, carol, article, team):
    html = page(client, carol, "queue")
    assert "alice's progress on" in html and "bob's progress on" in html
    assert "2 of 4 reviewed (50%)" in html and "My progress on" not in html


def test_a_reviewers_queue_still_shows_their_own_progress(client, alice, article, team):
    html = page(client, alice, "queue")
    assert "My progress on" in html and "2 of 4 reviewed (50%)" in html
    assert "bob's progress" not in html


def test_the_editors_queue_runs_a_fixed_number_of_queries(
    client, carol, article, team, make_article, alice, django_assert_num_queries
):
    for i in range(5):
        Assignment.objects.create(article=make_article(f"Headline {i}\nClaim {i} here."),
                                  reviewer=alice)
    client.force_login(carol)
    # session, user, user and group permissions, the page's COUNT, the page of articles,
    # their assignments with progress
    with django_assert_num_queries(7):
        client.get(reverse("review:queue"))


# Finishing -----------------------------------------------------------------------------------


def test_finishing_with_unreviewed_sentences_asks_first_and_names_the_count(
    client, alice, article, team
):
    client.force_login(alice)
    response = client.post(reverse("review:article-finish", args=[article.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "reviewed <strong>2 of 4</strong>" in html and "2 sentences are still unreviewed" in html
    assert Assignment.objects.get(reviewer=alice).status != AssignmentStatus.DONE


def test_finishing_anyway_after_the_warning_marks_the_article_done(client, alice, article, team):
    client.force_login(alice)
    client.post(reverse("review:article-finish", args=[article.pk]), {"confirm": "yes"})
    assert Assignment.objects.get(reviewer=alice).status == AssignmentStatus.DONE


def test_finishing_with_every_sentence_reviewed_needs_no_confirmation(
    client, alice, article, team
):
    for sentence in team[2:3] + team[0:1]:
        services.sentence_mark_no_label(reviewer=alice, sentence=sentence)
    client.force_login(alice)
    response = client.post(reverse("review:article-finish", args=[article.pk]))
    assert response.status_code == 302
    assert Assignment.objects.get(reviewer=alice).status == AssignmentStatus.DONE
