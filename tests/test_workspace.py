"""The reviewer workspace's pages and endpoints, through Django's test client."""

import pytest
from django.urls import reverse

from annotations import services
from annotations.models import Annotation, SentenceReview
from review.models import Assignment, AssignmentStatus

TEXT = """Council's SHOCKING bus plan
Officials say the depot will cost $90 million. According to the Transit Authority, buses run often.
Budget and Transport
The mayor called the plan "a disaster".
Like and subscribe for more!
"""


@pytest.fixture
def article(make_article):
    return make_article(TEXT, title="Council's SHOCKING bus plan")


@pytest.fixture
def content(article):
    return list(article.sentences.filter(is_boilerplate=False).order_by("position"))


def review_url(article):
    return reverse("annotations:article-review", args=[article.pk])


def panel_html(client, sentence):
    """The side panel the workspace draws when the sentence is chosen."""
    return client.get(reverse("annotations:sentence", args=[sentence.pk])).json()["panel"]


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("review:queue", [], "get"),
        ("annotations:guide", [], "get"),
        ("annotations:article-review", ["article"], "get"),
        ("review:article-finish", ["article"], "post"),
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, article, content, name, args, method):
    objects = {"article": article.pk, "sentence": content[0].pk}
    url = reverse(name, args=[objects[a] for a in args])
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not SentenceReview.objects.exists() and not Assignment.objects.exists()


def test_the_queue_shows_each_article_with_my_progress(client, alice, bob, article, content,
                                                       make_annotation, assign):
    assign(alice, article)
    make_annotation(alice, content[0], "sensational_framing")
    services.sentence_mark_no_label(reviewer=alice, sentence=content[2])
    make_annotation(bob, content[1])  # bob's work is not alice's progress
    client.force_login(alice)
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Council&#x27;s SHOCKING bus plan" in page
    assert "2 of 5 reviewed (40%)" in page
    assert "(+1 boilerplate)" in page


def test_an_empty_queue_explains_that_an_editor_assigns_articles(client, alice, article):
    client.force_login(alice)
    response = client.get("/")
    assert "Your queue is empty." in response.content.decode()
    assert "No articles are assigned to you yet" in response.content.decode()


def test_an_editors_empty_queue_explains_where_articles_come_from(client, carol):
    client.force_login(carol)
    response = client.get("/")
    assert "Your queue is empty." in response.content.decode()
    assert "import_articles" in response.content.decode()


def test_a_reviewer_sees_only_the_articles_assigned_to_them(
    client, alice, bob, make_article, assign
):
    mine = make_article("Mine Headline\nA sentence for alice.", title="Alice's article")
    theirs = make_article("Theirs Headline\nA sentence for bob.", title="Bob's article")
    assign(alice, mine)
    assign(bob, theirs)
    client.force_login(alice)
    page = client.get("/").content.decode()
    assert "Alice&#x27;s article" in page and "Bob&#x27;s article" not in page


def test_an_editor_sees_every_article_and_filters_by_review_status(
    client, alice, carol, make_article, assign
):
    assigned = make_article("One Headline\nA sentence.", title="Assigned article")
    make_article("Two Headline\nAnother sentence.", title="Unassigned article")
    assign(alice, assigned)
    client.force_login(carol)
    page = client.get("/").content.decode()
    assert "Assigned article" in page and "Unassigned article" in page
    page = client.get("/", {"status": "in_review"}).content.decode()
    assert "Assigned article" in page and "Unassigned article" not in page
    assert "Review: In review" in page
    page = client.get("/", {"status": "adjudicated"}).content.decode()
    assert "No article has this review status" in page


def test_the_queue_is_paginated_with_a_constant_number_of_queries(
    client, alice, make_article, django_assert_num_queries, assign
):
    for n in range(23):
        assign(alice, make_article(f"Headline {n}\nSentence number {n} is here.\n"))
    client.force_login(alice)
    with django_assert_num_queries(6):  # session, user, 2 × permissions, COUNT, page
        first = client.get("/")
    assert first.content.decode().count('class="queue-item') == 20
    assert "Page 1 of 2" in first.content.decode()
    second = client.get("/?page=2")
    assert second.content.decode().count('class="queue-item') == 3


def test_finishing_an_article_marks_it_done_and_returns_to_the_queue(
    client, alice, article, assign
):
    assign(alice, article)  # only an assigned reviewer finishes (test_review_matrix.py)
    client.force_login(alice)
    response = client.post(reverse("review:article-finish", args=[article.pk]),
                           {"confirm": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("review:queue")
    assert Assignment.objects.get(article=article, reviewer=alice).status == AssignmentStatus.DONE
    page = response.content.decode()
    assert "as done." in page and "status-done" in page


def test_the_workspace_lays_out_headings_paragraphs_and_folded_boilerplate(
    client, alice, article
):
    client.force_login(alice)
    page = client.get(review_url(article)).content.decode()
    assert '<h3 class="text-heading" data-block>' in page
    assert "Budget and Transport" in page
    assert '<details class="boilerplate-block" data-block>' in page
    boilerplate = article.sentences.get(is_boilerplate=True)
    # Boilerplate is drawn but cannot be chosen for annotating.
    start = page.index(f'data-sentence="{boilerplate.pk}"')
    assert "data-annotatable" not in page[start : page.index(">", start)]
    for label in ("Sensational framing", "Unverified claim", "Cited source"):
        assert label in page
    assert reverse("annotations:guide") in page


def test_the_old_article_address_opens_the_workspace(client, alice, article):
    client.force_login(alice)
    response = client.get(reverse("provenance:article-detail", args=[article.pk]))
    assert response.status_code == 302 and response["Location"] == review_url(article)


def _build_article(make_article, reviewers, sentences, per_sentence):
    """An article of `sentences` sentences carrying `per_sentence` annotations on each.

    Rows go in with bulk_create: the service is exercised elsewhere, and thousands of
    service calls would make this test slow without testing anything more.
    """
    text = "Headline of the article\n" + "\n".join(
        f"Sentence number {i} says the depot costs {i} million dollars." for i in range(sentences)
    )
    article = make_article(text)
    rows = []
    labels = ["sensational_framing", "unverified_claim"]
    for s in article.sentences.all():
        for k in range(per_sentence):
            reviewer, label = reviewers[k // 2], labels[k % 2]
            phrase = (s.start, s.start + 8) if k % 2 else (None, None)
            rows.append(Annotation(sentence=s, reviewer=reviewer, label=label, quote=s.text,
                                   phrase_start=phrase[0], phrase_end=phrase[1]))
    Annotation.objects.bulk_create(rows)
    SentenceReview.objects.bulk_create(
        [SentenceReview(sentence=s, reviewer=reviewers[0]) for s in article.sentences.all()[:3]]
    )
    return article


def test_the_workspace_renders_in_the_same_number_of_queries_whatever_its_size(
    client, alice, bob, carol, root, make_article, django_assert_num_queries
):
    reviewers = [alice, bob, carol, root]
    small = _build_article(make_article, reviewers, sentences=4, per_sentence=2)
    large = _build_article(make_article, reviewers, sentences=499, per_sentence=4)
    assert Annotation.objects.filter(sentence__article=large).count() == 2000
    client.force_login(alice)
    # session, user, article + publisher, sentences, annotations, no-label marks, the
    # sentence markers (claim groups), and the user's two permission lookups (is the reader
    # an editor?)
    with django_assert_num_queries(9):
        assert client.get(review_url(small)).status_code == 200
    with django_assert_num_queries(9):
        response = client.get(review_url(large))
    assert response.content.decode().count("data-annotatable") == 500


def test_titles_quotes_and_notes_are_escaped(client, alice, make_article, make_annotation):
    article = make_article(
        'Headline <script>alert("t")</script>\nThe <b>bold</b> claim is here.\n',
        title='<script>alert("title")</script>',
    )
    sentence = article.sentences.get(position=1)
    make_annotation(alice, sentence, "unverified_claim", phrase=(sentence.start + 4,
                    sentence.start + 15), note="<img src=x onerror=alert(1)>")
    client.force_login(alice)
    panel = panel_html(client, sentence)
    for page in (
        client.get("/").content.decode(),
        client.get(review_url(article)).content.decode(),
        panel,
    ):
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in panel
    assert "&lt;b&gt;bold" in panel


def test_the_panel_offers_edit_only_on_my_own_annotations(client, alice, bob, content,
                                                          make_annotation, settings):
    # A team reviewing openly, where alice sees bob's work (test_independent_review.py).
    settings.PROVENANCE_INDEPENDENT_REVIEW = False
    mine = make_annotation(alice, content[1], "unverified_claim")
    theirs = make_annotation(bob, content[1], "sensational_framing")
    client.force_login(alice)
    panel = panel_html(client, content[1])
    own_row = panel[panel.index(f'id="a{mine.pk}"') : panel.index(f'id="a{theirs.pk}"')]
    other_row = panel[panel.index(f'id="a{theirs.pk}"') :]
    assert 'data-action="edit"' in own_row and 'data-action="delete"' in own_row
    assert 'data-action="edit"' not in other_row and "Read-only" in other_row


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_a_reviewer_cannot_change_another_reviewers_annotation_through_the_api(
    client, alice, bob, content, make_annotation, method
):
    annotation = make_annotation(alice, content[1], "unverified_claim", note="alice's")
    client.force_login(bob)
    url = f"/api/annotations/{annotation.pk}/"
    response = getattr(client, method)(
        url, data={"note": "bob's", "version": 1}, content_type="application/json",
        headers={"If-Match": annotation.etag},
    )
    assert response.status_code in (403, 404)
    annotation.refresh_from_db()
    assert (annotation.note, annotation.version, annotation.deleted_at) == ("alice's", 1, None)


def test_a_reviewer_cannot_restore_another_reviewers_deleted_annotation(
    client, alice, bob, content, make_annotation
):
    annotation = make_annotation(alice, content[1], "unverified_claim")
    services.annotation_delete(annotation=annotation, expected_version=1, by=alice)
    client.force_login(bob)
    response = client.post(f"/api/annotations/{annotation.pk}/restore/")
    assert response.status_code in (403, 404)
    annotation.refresh_from_db()
    assert annotation.deleted_at is not None


def test_every_signed_in_user_sees_the_guide(client, alice):
    client.force_login(alice)
    page = client.get(reverse("annotations:guide")).content.decode()
    for heading in ("Sensational framing", "Unverified claim", "Cited source", "Boilerplate"):
        assert heading in page


def test_a_reviewer_sees_an_editors_verdict_on_their_annotation(
    client, alice, carol, content, make_annotation
):
    annotation = make_annotation(alice, content[1])
    services.annotation_set_status(annotation=annotation, status="rejected", by=carol,
                                   reason="The source is named two sentences later.")
    client.force_login(alice)
    text = panel_html(client, content[1])
    assert "Rejected" in text and "by carol" in text
    assert "The source is named two sentences later." in text


def test_the_panel_offers_to_join_or_split_the_sentence(client, alice, content):
    client.force_login(alice)
    text = panel_html(client, content[1])
    assert "Join with next sentence" in text and "Split at cursor" in text


def test_the_workspace_modules_import_each_other_by_their_hashed_names(tmp_path):
    """Production storage: a new module never runs beside a cached old one after a deploy."""
    import re
    import shutil
    from pathlib import Path

    from django.core.files.storage import FileSystemStorage

    from config.staticfiles import StaticFilesStorage

    root = tmp_path / "static"
    shutil.copytree(Path(__file__).resolve().parents[1] / "annotations" / "static", root)
    found = FileSystemStorage(location=root)
    names = [str(path.relative_to(root)) for path in root.rglob("*.js")]
    storage = StaticFilesStorage(location=root)
    list(storage.post_process({name: (found, name) for name in names}))
    entry = (root / storage.stored_name("annotations/workspace.js")).read_text()
    imports = re.findall(r'from "(\./workspace/[^"]+)"', entry)
    assert imports and all(re.search(r"\.[0-9a-f]{12}\.js$", name) for name in imports)
