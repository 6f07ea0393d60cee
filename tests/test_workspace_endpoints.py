"""The workspace's one server surface: /workspace/ endpoints that write through the services,
answer what to redraw in one response, and fail in one shape (see annotations/views.py)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations import services
from annotations.models import Annotation, SentenceReview
from provenance.models import Reliability, Source
from provenance.services import source_create

from .test_workspace import TEXT


@pytest.fixture
def article(make_article):
    return make_article(TEXT, title="Council's SHOCKING bus plan")


@pytest.fixture
def content(article):
    """The sentences that are not boilerplate, in order."""
    return list(article.sentences.filter(is_boilerplate=False).order_by("position"))

@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def url(name, *args):
    return reverse(f"annotations:{name}", args=args)


def create(client, sentence, label="unverified_claim", **fields):
    return client.post(url("annotation-create", sentence.pk), {"label": label, **fields})


def update(client, annotation, etag=None, **fields):
    headers = {"If-Match": etag or annotation.etag} if etag is not False else {}
    return client.post(url("annotation-update", annotation.pk), fields, headers=headers)


def delete(client, annotation, etag=None):
    return client.post(url("annotation-delete", annotation.pk),
                       headers={"If-Match": etag or annotation.etag})


def drawn_sentence(response):
    (drawn,) = response.json()["sentences"]
    return drawn["html"]


def assert_refused(response, status, detail):
    """Every refusal has the one shape: a sentence to show, and the fields it concerns."""
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert detail in body["detail"]
    assert isinstance(body["errors"], dict)
    return body


# ---- One shape for every failure ------------------------------------------------------------

ENDPOINTS = [
    ("sentence", "sentence", "get"),
    ("annotation-create", "sentence", "post"),
    ("annotation-update", "annotation", "post"),
    ("annotation-delete", "annotation", "post"),
    ("annotation-restore", "annotation", "post"),
    ("no-label", "sentence", "post"),
    ("no-label-clear", "sentence", "post"),
    ("sentence-join", "sentence", "post"),
    ("sentence-split", "sentence", "post"),
    ("source-suggest", None, "get"),
    ("source-propose", None, "post"),
]


@pytest.fixture
def objects(alice, content, make_annotation):
    return {"sentence": content[0], "annotation": make_annotation(alice, content[1])}


@pytest.mark.parametrize(("name", "arg", "method"), ENDPOINTS)
def test_a_signed_out_visitor_is_told_to_sign_in_again_by_every_endpoint(
    client, objects, name, arg, method
):
    response = getattr(client, method)(url(name, *([objects[arg].pk] if arg else [])))
    assert_refused(response, 401, "You were signed out")
    assert Annotation.objects.count() == 1 and not SentenceReview.objects.exists()


@pytest.mark.parametrize(("name", "arg", "method"), [e for e in ENDPOINTS if e[2] == "post"])
def test_a_post_without_the_csrf_token_is_refused_in_the_error_shape(
    alice, objects, name, arg, method
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(url(name, *([objects[arg].pk] if arg else [])), {"label": "x"})
    assert_refused(response, 403, "security token")
    assert Annotation.objects.count() == 1 and not SentenceReview.objects.exists()


def test_a_post_with_the_csrf_token_is_accepted(alice, content):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    token = client.get(reverse("annotations:article-review", args=[content[0].article_id]))
    response = client.post(url("no-label", content[0].pk),
                           headers={"X-CSRFToken": token.cookies["csrftoken"].value})
    assert response.status_code == 200
    assert SentenceReview.objects.filter(sentence=content[0]).exists()


def test_the_api_still_refuses_a_session_write_without_the_csrf_token(alice, content):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/api/annotations/", {"sentence": content[0].pk, "label": "x"},
                           content_type="application/json")
    assert response.status_code == 403
    assert not Annotation.objects.exists()


def test_a_wrong_method_is_refused_in_the_error_shape(signed_in, content):
    response = signed_in.get(url("no-label", content[0].pk))
    assert_refused(response, 405, "Use POST")
    assert response["Allow"] == "POST"


def test_a_sentence_that_is_gone_is_refused_in_the_error_shape(signed_in):
    response = signed_in.post(url("annotation-create", 999_999), {"label": "unverified_claim"})
    assert_refused(response, 404, "reload the article")


# ---- Choosing a sentence ---------------------------------------------------------------------


def test_choosing_a_sentence_answers_its_panel_and_leaves_the_sentence_alone(
    signed_in, alice, content, make_annotation, django_assert_num_queries
):
    make_annotation(alice, content[1], note="vague source")
    # session, user, the user's permissions and groups' (a reader? an editor, who sees
    # everyone's?), sentence + article, its annotations
    with django_assert_num_queries(6):
        body = signed_in.get(url("sentence", content[1].pk)).json()
    assert body["sentence"] == content[1].pk
    assert "vague source" in body["panel"] and "Unverified claim" in body["panel"]
    assert "sentences" not in body  # redrawing it would undo a selection being made in it


# ---- Creating --------------------------------------------------------------------------------


def test_a_save_answers_its_sentence_and_panel_redrawn(signed_in, alice, content):
    response = create(signed_in, content[1], note="'Officials say' is vague.")
    assert response.status_code == 201
    body = response.json()
    assert body["sentence"] == content[1].pk
    assert 'class="tag tag-unverified_claim"' in drawn_sentence(response)
    assert 'data-reviewed="1"' in drawn_sentence(response)
    assert "&#x27;Officials say&#x27; is vague." in body["panel"]
    saved = Annotation.objects.get()
    assert (saved.sentence, saved.reviewer, saved.label) == (content[1], alice, "unverified_claim")


def test_a_save_runs_a_fixed_number_of_queries(
    signed_in, content, django_assert_num_queries
):
    # session, user, the user's permissions and groups' (a reader? an editor?), sentence +
    # article; the service: SAVEPOINT, the article held open, the sentence locked and read
    # again, SAVEPOINT, INSERT, history INSERT, RELEASE, no-label marks to remove,
    # assignment UPDATE, RELEASE; the redraw: the panel's annotations, the no-label mark, the
    # sentence markers (claim groups).
    with django_assert_num_queries(18):
        assert create(signed_in, content[1]).status_code == 201


def test_a_citation_looks_up_its_source_once(
    signed_in, content, django_assert_num_queries
):
    source = source_create(name="Transit Authority", kind="government_body")
    # a save's 18, the source, and the service's lock on it (so a merge cannot remove it
    # before the citation commits)
    with django_assert_num_queries(20):
        response = create(signed_in, content[1], "cited_source", source=source.pk)
    assert response.status_code == 201
    assert "Transit Authority" in response.json()["panel"]


def test_a_phrase_is_saved_with_the_words_the_reviewer_selected(signed_in, content):
    s = content[0]
    start = s.text.index("SHOCKING") + s.start
    response = create(signed_in, s, "sensational_framing", phrase_start=start,
                      phrase_end=start + 8, quote="SHOCKING")
    assert '<mark class="hl hl-sensational_framing">SHOCKING</mark>' in drawn_sentence(response)
    assert Annotation.objects.get().quote == "SHOCKING"


def test_a_phrase_whose_offsets_point_at_other_words_is_refused(signed_in, content):
    s = content[0]
    response = create(signed_in, s, "sensational_framing", phrase_start=s.start,
                      phrase_end=s.start + 8, quote="SHOCKING")
    body = assert_refused(response, 400, "does not match the text")
    assert list(body["errors"]) == ["quote"]
    assert not Annotation.objects.exists()


def test_a_citation_without_its_source_is_refused_naming_the_field(signed_in, content):
    body = assert_refused(create(signed_in, content[1], "cited_source"), 400, "needs the source")
    assert list(body["errors"]) == ["source"]


def test_an_unknown_label_is_refused_naming_the_field(signed_in, content):
    body = assert_refused(create(signed_in, content[1], "gossip"), 400, "not one of the")
    assert list(body["errors"]) == ["label"]


def test_the_same_label_twice_is_refused_in_the_services_words(signed_in, content):
    create(signed_in, content[1])
    assert_refused(create(signed_in, content[1]), 400, "You already gave this sentence that label")
    assert Annotation.objects.count() == 1


def test_boilerplate_is_not_labelled(signed_in, article):
    boilerplate = article.sentences.get(is_boilerplate=True)
    assert_refused(create(signed_in, boilerplate), 400, "boilerplate")
    assert not Annotation.objects.exists()


# ---- Editing ---------------------------------------------------------------------------------


@pytest.fixture
def mine(alice, content, make_annotation):
    return make_annotation(alice, content[1], "sensational_framing", note="first thoughts")


def test_an_edit_answers_the_redrawn_sentence_and_panel(signed_in, mine):
    response = update(signed_in, mine, label="unverified_claim", note="vague source")
    assert response.status_code == 200
    assert "tag-unverified_claim" in drawn_sentence(response)
    assert "tag-sensational_framing" not in drawn_sentence(response)
    assert "vague source" in response.json()["panel"]
    mine.refresh_from_db()
    assert (mine.label, mine.note, mine.version) == ("unverified_claim", "vague source", 2)


def test_an_edit_runs_a_fixed_number_of_queries(signed_in, mine, django_assert_num_queries):
    # session, user, permissions and groups', the annotation and its article; the service:
    # SAVEPOINT, the article held open, the locked sentence, the locked annotation,
    # SAVEPOINT, UPDATE, history INSERT, RELEASE, RELEASE; the redraw: the panel's
    # annotations, the no-label mark, the sentence markers (claim groups).
    with django_assert_num_queries(17):
        assert update(signed_in, mine, label="unverified_claim", note="").status_code == 200


def test_an_edit_without_the_version_it_changes_is_refused_with_428(signed_in, mine):
    assert_refused(update(signed_in, mine, etag=False, label="unverified_claim"), 428, "If-Match")
    mine.refresh_from_db()
    assert (mine.label, mine.version) == ("sensational_framing", 1)


def test_a_stale_edit_is_refused_with_the_current_annotation_and_its_redraw(
    signed_in, alice, mine
):
    services.annotation_update(annotation=mine, expected_version=1, by=alice, note="other tab")
    body = assert_refused(update(signed_in, mine, etag=f'"{mine.pk}-1"', note="this page",
                                 label="sensational_framing"), 412, "version 2")
    assert body["current"]["note"] == "other tab" and body["current"]["etag"] == f'"{mine.pk}-2"'
    assert "other tab" in body["panel"]  # Take theirs draws this without asking again
    mine.refresh_from_db()
    assert mine.note == "other tab"


def test_an_etag_of_another_annotation_is_refused_with_412(signed_in, mine):
    assert_refused(update(signed_in, mine, etag='"999999-1"', label="unverified_claim"), 412,
                   "reload and try again")


def test_a_reviewer_cannot_edit_another_reviewers_annotation(client, bob, mine):
    client.force_login(bob)
    assert_refused(update(client, mine, label="unverified_claim", note="bob's"), 404, "Not found")
    mine.refresh_from_db()
    assert (mine.note, mine.version) == ("first thoughts", 1)


# ---- Deleting and undoing --------------------------------------------------------------------


def test_a_delete_answers_the_redraw_a_message_and_where_to_undo_it(signed_in, mine):
    response = delete(signed_in, mine)
    assert response.status_code == 200
    body = response.json()
    assert "tag-sensational_framing" not in drawn_sentence(response)
    assert "No annotations on this sentence yet." in body["panel"]
    assert body["message"] == "Deleted Sensational framing."
    assert body["undo"] == url("annotation-restore", mine.pk)
    mine.refresh_from_db()
    assert mine.deleted_at is not None


def test_a_delete_runs_a_fixed_number_of_queries(signed_in, mine, django_assert_num_queries):
    # session, user, permissions and groups', the annotation and its article; the service:
    # SAVEPOINT, the article held open, the locked sentence, the locked annotation, UPDATE,
    # history INSERT, RELEASE; the redraw: the panel's annotations, the no-label mark, the
    # sentence markers (claim groups).
    with django_assert_num_queries(15):
        assert delete(signed_in, mine).status_code == 200


def test_undo_brings_the_deleted_annotation_back(signed_in, mine):
    undo = delete(signed_in, mine).json()["undo"]
    response = signed_in.post(undo)
    assert response.status_code == 200
    assert "tag-sensational_framing" in drawn_sentence(response)
    assert response.json()["message"] == "Annotation restored."
    mine.refresh_from_db()
    assert mine.deleted_at is None


def test_undo_is_refused_when_the_same_label_was_given_again_meanwhile(signed_in, mine, content):
    undo = delete(signed_in, mine).json()["undo"]
    create(signed_in, content[1], "sensational_framing")
    assert_refused(signed_in.post(undo), 400, "already gave this sentence that label")


def test_a_stale_delete_is_refused_and_deletes_nothing(signed_in, alice, mine):
    services.annotation_update(annotation=mine, expected_version=1, by=alice, note="other tab")
    assert_refused(delete(signed_in, mine, etag=f'"{mine.pk}-1"'), 412, "version 2")
    mine.refresh_from_db()
    assert mine.deleted_at is None


@pytest.mark.parametrize("action", ["annotation-delete", "annotation-restore"])
def test_a_reviewer_cannot_delete_or_restore_another_reviewers_annotation(
    client, alice, bob, mine, action
):
    services.annotation_delete(annotation=mine, expected_version=1, by=alice)
    client.force_login(bob)
    response = client.post(url(action, mine.pk), headers={"If-Match": f'"{mine.pk}-2"'})
    assert_refused(response, 404, "Not found")
    mine.refresh_from_db()
    assert mine.deleted_at is not None


# ---- No label --------------------------------------------------------------------------------


def test_marking_no_label_and_clearing_it_redraws_the_sentence(signed_in, alice, content):
    response = signed_in.post(url("no-label", content[0].pk))
    assert 'data-no-label="1"' in drawn_sentence(response)
    assert SentenceReview.objects.filter(reviewer=alice, sentence=content[0]).exists()
    response = signed_in.post(url("no-label-clear", content[0].pk))
    assert 'data-no-label="0"' in drawn_sentence(response)
    assert not SentenceReview.objects.exists()


def test_no_label_is_refused_on_a_sentence_i_labelled(signed_in, alice, content, make_annotation):
    make_annotation(alice, content[0], "sensational_framing")
    assert_refused(signed_in.post(url("no-label", content[0].pk)), 400,
                   "delete them before marking")
    assert not SentenceReview.objects.exists()


def test_no_label_is_refused_on_boilerplate(signed_in, article):
    boilerplate = article.sentences.get(is_boilerplate=True)
    assert_refused(signed_in.post(url("no-label", boilerplate.pk)), 400, "Boilerplate")
    assert not SentenceReview.objects.exists()


# ---- Sentence boundaries ---------------------------------------------------------------------

SPLIT_TEXT = "Council Vote Headline\nThe vote went to the council. Which meets on Monday? " \
             "Officials say it will pass.\nExperts claim fares will double.\n"


@pytest.fixture
def pieces(make_article):
    """An article whose second sentence was cut at a stray full stop."""
    return list(make_article(SPLIT_TEXT).sentences.order_by("position"))


def shown(sentence):
    """The sentence's offsets as the page shows them, which a join or split sends back."""
    return {"start": sentence.start, "end": sentence.end}


def test_a_join_sent_twice_joins_once_and_the_second_is_refused_as_stale(signed_in, pieces):
    """Two tabs (or a resent request) join the same sentence as it was shown: the second
    finds it changed and gets 409; no third sentence is joined in."""
    first = pieces[1]
    assert signed_in.post(url("sentence-join", first.pk), shown(first)).status_code == 200
    response = signed_in.post(url("sentence-join", first.pk), shown(first))
    assert_refused(response, 409, "This sentence changed meanwhile")
    assert first.article.sentences.count() == len(pieces) - 1
    assert type(first).objects.get(pk=pieces[3].pk).position == 2


def test_a_split_of_a_sentence_changed_since_it_was_shown_is_refused(signed_in, pieces):
    first = pieces[1]
    assert signed_in.post(url("sentence-join", first.pk), shown(first)).status_code == 200
    at = first.start + 4
    response = signed_in.post(url("sentence-split", first.pk), {"at": at, **shown(first)})
    assert_refused(response, 409, "This sentence changed meanwhile")
    assert first.article.sentences.count() == len(pieces) - 1


def test_a_join_answers_the_paragraph_redrawn_and_the_sentence_it_removed(
    signed_in, alice, pieces, make_annotation
):
    first, second = pieces[1], pieces[2]
    make_annotation(alice, second, "unverified_claim")
    body = signed_in.post(url("sentence-join", first.pk), shown(first)).json()
    assert body["removed"] == [second.pk] and body["sentence"] == first.pk
    assert body["blocks"].count("data-block") == 1  # the paragraph, not the whole article
    assert (
        'The vote went to the council. <mark class="hl hl-unverified_claim">Which meets on '
        "Monday?</mark>"
    ) in body["blocks"]
    assert "Unverified claim" in body["panel"]
    assert body["message"] == "Joined with the next sentence."
    assert not type(second).objects.filter(pk=second.pk).exists()


def test_a_split_answers_both_halves_in_their_paragraph(signed_in, alice, pieces):
    from annotations.boundaries import sentence_join

    joined = sentence_join(sentence=pieces[1], by=alice)
    at = joined.start + joined.text.index("Which")
    body = signed_in.post(url("sentence-split", joined.pk), {"at": at, **shown(joined)}).json()
    assert body["blocks"].count("data-block") == 1
    assert 'data-position="2"' in body["blocks"] and 'data-position="3"' in body["blocks"]
    assert body["message"] == "Split into sentences 2 and 3."
    texts = list(joined.article.sentences.order_by("position").values_list("text", flat=True))
    assert texts[1:3] == ["The vote went to the council.", "Which meets on Monday?"]


def test_a_split_at_the_edge_of_the_sentence_is_refused_in_the_error_shape(signed_in, pieces):
    response = signed_in.post(url("sentence-split", pieces[1].pk),
                             {"at": pieces[1].start, **shown(pieces[1])})
    assert_refused(response, 400, "both parts keep some text")
    assert len(pieces) == pieces[1].article.sentences.count()


def test_a_split_without_a_place_is_refused_naming_the_field(signed_in, pieces):
    body = assert_refused(
        signed_in.post(url("sentence-split", pieces[1].pk), shown(pieces[1])), 400, "required"
    )
    assert list(body["errors"]) == ["at"]


def test_a_join_over_another_reviewers_annotation_is_refused_without_naming_them(
    signed_in, bob, pieces, make_annotation
):
    # Independent review: alice learns that someone labelled it, not who or what.
    make_annotation(bob, pieces[3], "unverified_claim")
    response = signed_in.post(url("sentence-join", pieces[3].pk), shown(pieces[3]))
    assert_refused(response, 400, "Another reviewer has annotated")
    assert "bob" not in response.json()["detail"]
    assert pieces[1].article.sentences.count() == len(pieces)


@pytest.fixture
def service_queries(monkeypatch):
    """Counts the queries of each boundaries service call, to tell the endpoint's own apart."""
    from annotations import boundaries

    counted = []

    def counting(real):
        def call(**kwargs):
            with CaptureQueriesContext(connection) as inner:
                result = real(**kwargs)
            counted.append(len(inner))
            return result

        return call

    for name in ("sentence_join", "sentence_split"):
        monkeypatch.setattr(boundaries, name, counting(getattr(boundaries, name)))
    return counted


def _boundary_queries(client, make_article, lines, service_queries):
    """The queries a join and then a split cost beyond the service's own."""
    text = "Headline of the article\n" + "\n".join(
        f"Line {i} ends here. And {i} goes on." for i in range(lines)
    )
    first = make_article(text).sentences.get(position=1)
    with CaptureQueriesContext(connection) as joining:
        assert client.post(url("sentence-join", first.pk), shown(first)).status_code == 200
    first.refresh_from_db()
    at = first.start + first.text.index("And")
    with CaptureQueriesContext(connection) as splitting:
        assert client.post(url("sentence-split", first.pk),
                           {"at": at, **shown(first)}).status_code == 200
    join_service, split_service = service_queries[-2:]
    return len(joining) - join_service, len(splitting) - split_service


@pytest.mark.parametrize("lines", [3, 300])
def test_a_join_or_split_redraws_in_a_fixed_number_of_queries_whatever_the_length(
    signed_in, make_article, service_queries, lines
):
    join, split = _boundary_queries(signed_in, make_article, lines, service_queries)
    # Both: session, user, permissions and groups', sentence + article; then, to lay out
    # the paragraphs around the change, the article's sentences, their annotations, the
    # no-label marks, the sentence markers (claim groups); the panel's annotations. The
    # join also reads the next sentence's id (SAVEPOINT, SELECT, RELEASE).
    assert (join, split) == (13, 10)


# ---- Sources ---------------------------------------------------------------------------------


def test_the_source_type_ahead_matches_names_and_aliases(signed_in):
    source_create(name="Brookhaven Transit Authority", kind="government_body", aliases=["BTA"])
    source_create(name="Harbour Gazette", kind="news_outlet")
    suggest = url("source-suggest")
    assert [r["name"] for r in signed_in.get(suggest, {"q": "bta"}).json()["results"]] == [
        "Brookhaven Transit Authority"
    ]
    assert [r["name"] for r in signed_in.get(suggest, {"q": "gaz"}).json()["results"]] == [
        "Harbour Gazette"
    ]
    assert signed_in.get(suggest, {"q": ""}).json()["results"] == []


def test_the_type_ahead_puts_the_exact_name_or_alias_first_and_names_it(signed_in):
    """However many sources contain the text, the one called exactly that (name or alias,
    any case) leads the list and is named in "exact", so the page offers no "Add"."""
    for i in range(12):
        source_create(name=f"AAA Post {i}", kind="news_outlet")
    post = source_create(name="Zeta Daily", kind="news_outlet", aliases=["Post"])
    answer = signed_in.get(url("source-suggest"), {"q": "post"}).json()
    assert answer["exact"] == post.pk
    assert answer["results"][0]["name"] == "Zeta Daily"
    assert len(answer["results"]) == 8
    assert signed_in.get(url("source-suggest"), {"q": "pos"}).json()["exact"] is None


def test_the_type_ahead_runs_a_fixed_number_of_queries(signed_in, django_assert_num_queries):
    for n in range(12):
        source_create(name=f"Transit body {n}", kind="government_body", aliases=[f"TB{n}"])
    # session, user, permissions and groups' (a reader?), the exact match, the sources,
    # their aliases
    with django_assert_num_queries(7):
        results = signed_in.get(url("source-suggest"), {"q": "transit"}).json()["results"]
    assert len(results) == 8


def test_a_proposed_source_is_created_unrated_and_flagged_for_review(signed_in, alice):
    response = signed_in.post(url("source-propose"),
                              {"name": "Mayor Dana Ruiz", "kind": "official_person"})
    assert response.status_code == 201
    source = Source.objects.get(pk=response.json()["source"]["id"])
    assert (source.name, source.kind, source.reliability) == (
        "Mayor Dana Ruiz", "official_person", Reliability.UNRATED,
    )
    assert source.needs_review and source.created_by == alice


def test_proposing_a_source_that_exists_points_at_it_and_creates_nothing(signed_in):
    existing = source_create(name="Harbour Gazette", kind="news_outlet", aliases=["The Gazette"])
    response = signed_in.post(url("source-propose"), {"name": "the gazette", "kind": "news_outlet"})
    body = assert_refused(response, 400, "already in the registry")
    assert body["existing"]["id"] == existing.pk and list(body["errors"]) == ["name"]
    assert Source.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "kind": "news_outlet"}, "name"),
        ({"name": "X News", "kind": "tabloid"}, "kind"),
    ],
)
def test_a_source_proposal_without_a_name_or_with_an_unknown_kind_is_refused(
    signed_in, data, field
):
    body = assert_refused(signed_in.post(url("source-propose"), data), 400, "")
    assert body["detail"] and list(body["errors"]) == [field]
    assert not Source.objects.exists()


def test_a_redrawn_sentence_and_panel_escape_what_reviewers_wrote(signed_in, make_article):
    sentence = make_article("Headline Here\nThe <b>bold</b> claim is here.\n").sentences.get(
        position=1
    )
    response = create(signed_in, sentence, note="<img src=x onerror=alert(1)>")
    body = response.json()
    assert "<b>bold" not in drawn_sentence(response) and "&lt;b&gt;bold" in drawn_sentence(response)
    assert "<img src=x" not in body["panel"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in body["panel"]
