"""/api/sources/ and /api/articles/: reading for everyone signed in, writing for editors."""

import io
import json

import pytest
from django.core.management import call_command

from annotations import services
from provenance.models import Article, Source
from provenance.services import source_create


@pytest.fixture
def sources(db):
    return {
        "ruiz": source_create(name="Dana Ruiz", kind="official_person", aliases=["Mayor Ruiz"]),
        "gazette": source_create(name="Harbour Gazette", kind="news_outlet", reliability="high",
                                  reliability_note="The city's paper of record."),
    }


def names(response):
    assert response.status_code == 200, response.content
    return [s["name"] for s in response.json()["results"]]


def test_source_search_covers_names_and_aliases(api, alice, sources):
    api.as_user(alice)
    assert names(api.get("/api/sources/?search=mayor")) == ["Dana Ruiz"]
    assert names(api.get("/api/sources/?search=GAZ")) == ["Harbour Gazette"]


def test_sources_filter_by_kind_and_reliability(api, alice, sources):
    api.as_user(alice)
    assert names(api.get("/api/sources/?kind=official_person")) == ["Dana Ruiz"]
    assert names(api.get("/api/sources/?reliability=high")) == ["Harbour Gazette"]
    assert api.get("/api/sources/?kind=rumour").status_code == 400


def test_a_source_shows_how_often_it_is_cited(api, alice, bob, sources, make_article):
    sentence = make_article().sentences.get(position=1)
    for reviewer in (alice, bob):
        services.annotation_create(reviewer=reviewer, sentence=sentence, label="cited_source",
                                   source=sources["ruiz"])
    data = api.as_user(alice).get(f"/api/sources/{sources['ruiz'].pk}/").json()
    assert data["citation_count"] == 2 and data["aliases"] == ["Mayor Ruiz"]


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("carol", 201), ("root", 201)])
def test_only_editors_add_sources(api, alice, carol, root, who, status):
    user = {"alice": alice, "carol": carol, "root": root}[who]
    response = api.as_user(user).post(
        "/api/sources/", {"name": "Clearwater Institute", "kind": "think_tank_or_ngo",
                          "aliases": ["Clearwater"]}, format="json",
    )
    assert response.status_code == status
    assert Source.objects.filter(name="Clearwater Institute").exists() == (status == 201)


def test_a_source_named_like_an_existing_alias_is_refused(api, carol, sources):
    response = api.as_user(carol).post("/api/sources/", {"name": "mayor ruiz"}, format="json")
    assert response.status_code == 400
    assert "already in the registry" in response.json()["name"][0]


def test_articles_list_counts_and_costs_four_queries(
    api, alice, seeded, django_assert_num_queries
):
    api.as_user(alice)
    # alice's permissions and her groups' (a reader, who sees adjudicated articles only?),
    # COUNT, the page with its counts
    with django_assert_num_queries(4):
        response = api.get("/api/articles/?page_size=500")
    articles = response.json()["results"]
    assert len(articles) == 5
    crypto = next(a for a in articles if a["publisher"])
    article = Article.objects.get(pk=crypto["id"])
    assert crypto["sentence_count"] == article.sentences.count()
    assert crypto["publisher"]["name"] == "Cryptopolitan"
    assert sum(a["boilerplate_count"] for a in articles) == 14


def test_an_article_has_its_body_and_its_sentences_in_order(api, alice, make_article):
    article = make_article("Headline Here\nThe first sentence. The second sentence.\n")
    api.as_user(alice)
    assert api.get(f"/api/articles/{article.pk}/").json()["body"] == article.body
    sentences = api.get(f"/api/articles/{article.pk}/sentences/").json()["results"]
    assert [s["text"] for s in sentences] == [
        "Headline Here", "The first sentence.", "The second sentence."
    ]
    assert all(article.body[s["start"] : s["end"]] == s["text"] for s in sentences)


def test_an_editor_imports_an_article_as_json(api, carol):
    response = api.as_user(carol).post(
        "/api/articles/",
        {"title": "Bus plan", "text": "Council approves bus plan. Fares will fall.",
         "publisher": "Harbour Gazette", "publisher_kind": "news_outlet",
         "published_on": "2024-05-16", "url": "https://example.org/bus"},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["created"] and data["sentence_count"] == 2
    assert data["publisher"]["kind"] == "news_outlet" and data["published_on"] == "2024-05-16"
    again = api.post("/api/articles/", {"text": "Council approves bus plan. Fares will fall."},
                     format="json")
    assert again.status_code == 200 and again.json()["id"] == data["id"]


def test_an_editor_uploads_an_article_file(api, carol):
    upload = io.BytesIO(b"<html><title>Upload</title><p>One sentence here.</p></html>")
    upload.name = "story.html"
    response = api.as_user(carol).post(
        "/api/articles/", {"file": upload, "author": "Sam"}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "Upload" and response.json()["author"] == "Sam"


def test_a_reviewer_cannot_import_articles(api, alice):
    response = api.as_user(alice).post("/api/articles/", {"text": "A b c."}, format="json")
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_import_errors_carry_the_import_commands_messages(api, carol, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"title": "x", "published_on": "16 May"}) + "\n")
    err = io.StringIO()
    with pytest.raises(Exception):  # noqa: B017 - CommandError; only its message matters here
        call_command("import_articles", str(path), stderr=err, stdout=io.StringIO())
    command_reason = err.getvalue().split(", line 1: ", 1)[1].strip()
    response = api.as_user(carol).post(
        "/api/articles/", {"title": "x", "published_on": "16 May"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == f"request body: {command_reason}"


def test_an_oversize_article_is_a_413(api, carol, settings):
    settings.PROVENANCE_MAX_IMPORT_BYTES = 1000
    response = api.as_user(carol).post("/api/articles/", {"text": "Word. " * 400}, format="json")
    assert response.status_code == 413
    assert "larger than the limit of 1,000 bytes" in response.json()["detail"]
    upload = io.BytesIO(b"Word. " * 400)
    upload.name = "big.txt"
    response = api.post("/api/articles/", {"file": upload}, format="multipart")
    assert response.status_code == 413
    assert not Article.objects.exists()


@pytest.mark.parametrize("body", [[1, 2], {"text": "a\u0000b"}, {"html": 5}, "text"])
def test_malformed_article_bodies_are_a_400(api, carol, body):
    response = api.as_user(carol).post("/api/articles/", body, format="json")
    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Article.objects.exists()
