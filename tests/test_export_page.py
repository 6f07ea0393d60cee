"""The editors' export page (/review/export/): the claims filters and a format, checked by
the claims FilterSet, answered by the API's streaming export."""

import csv
import html
import io
import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from annotations import services
from provenance.models import Source

URL = "/review/export/"


@pytest.fixture
def labelled(alice, bob, make_article):
    """Two articles: alice and bob label the first, alice cites a source on the second."""
    first = make_article()
    second = make_article("Second Story\nA ministry spokesman said exports rose. Nobody knows.\n")
    agency = Source.objects.create(name="Wire Agency", slug="wire-agency")
    s1, s2 = first.sentences.filter(is_boilerplate=False).order_by("position")[1:3]
    services.annotation_create(reviewer=alice, sentence=s1, label="unverified_claim")
    services.annotation_create(reviewer=bob, sentence=s1, label="sensational_framing")
    services.annotation_create(reviewer=bob, sentence=s2, label="unverified_claim")
    cited = second.sentences.order_by("position")[1]
    services.annotation_create(reviewer=alice, sentence=cited, label="cited_source",
                               source=agency)
    return {"first": first, "second": second}


@pytest.fixture
def editor(client, carol):
    client.force_login(carol)
    return client


def download(client, query):
    """Submit the page's form with `query`; follow its redirect; the export's response."""
    response = client.get(URL, query)
    assert response.status_code == 302, response.content[:500]
    target = urlsplit(response["Location"])
    assert target.path == "/api/export/annotations"
    exported = client.get(response["Location"])
    assert exported.status_code == 200
    return dict(parse_qsl(target.query)), exported


def jsonl_rows(response):
    body = b"".join(response.streaming_content).decode()
    return [json.loads(line) for line in body.splitlines() if line]


def test_the_page_offers_every_filter_and_format(editor, labelled):
    text = html.unescape(editor.get(URL).content.decode())
    for field in ("format", "label", "status", "article", "source", "publisher", "reviewer",
                  "created_after", "created_before", "q", "ordering"):
        assert f'name="{field}"' in text
    for name in ("JSONL", "CSV", "W3C Web Annotation (JSON-LD)", "Cited source", "Accepted"):
        assert name in text
    assert '<option value="wire-agency">Wire Agency</option>' in text
    assert '<option value="alice"></option>' in text


@pytest.mark.parametrize("fmt, content_type, extension", [
    ("jsonl", "application/x-ndjson", "jsonl"),
    ("csv", "text/csv", "csv"),
    ("jsonld", "application/ld+json", "jsonld"),
])
def test_each_format_downloads_through_the_api_export(editor, labelled, fmt, content_type,
                                                      extension):
    query, response = download(editor, {"format": fmt})
    assert query == {"format": fmt}
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].endswith(f'.{extension}"')
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    if fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(body)))) == 4
    elif fmt == "jsonld":
        assert json.loads(body)["total"] == 4
    else:
        assert len(body.splitlines()) == 4


def test_the_filters_chosen_on_the_page_select_the_exported_annotations(editor, labelled):
    query, response = download(editor, {
        "format": "jsonl", "label": ["unverified_claim", "sensational_framing"],
        "reviewer": "bob", "article": str(labelled["first"].pk), "source": "", "q": "",
        "created_after": "", "ordering": "position",
    })
    rows = jsonl_rows(response)
    assert sorted((r["reviewer"], r["label"]) for r in rows) == [
        ("bob", "sensational_framing"), ("bob", "unverified_claim")]
    # Empty fields stay out of the export's address, which is short enough to share.
    assert set(query) == {"format", "label", "reviewer", "article", "ordering"}


def test_a_source_and_a_text_filter_narrow_the_export(editor, labelled):
    _, by_source = download(editor, {"format": "jsonl", "source": "wire-agency"})
    assert [r["source_name"] for r in jsonl_rows(by_source)] == ["Wire Agency"]
    _, by_text = download(editor, {"format": "jsonl", "q": "SPOKESMAN"})
    assert [r["label"] for r in jsonl_rows(by_text)] == ["cited_source"]


@pytest.mark.parametrize("query, field, message", [
    ({"format": "pdf"}, "format", "Choose one of jsonl, csv, jsonld."),
    ({"format": "csv", "created_after": "last week"}, "created_after", "Enter a valid date."),
    ({"format": "csv", "article": "abc"}, "article", "Enter a whole number."),
    ({"format": "csv", "label": "gossip"}, "label", "Select a valid choice."),
])
def test_a_bad_filter_is_shown_on_the_page_and_nothing_downloads(editor, labelled, query, field,
                                                                 message):
    response = editor.get(URL, query)
    assert response.status_code == 400
    text = html.unescape(response.content.decode())
    assert f'id="export-{field}-error"' in text or field in ("format", "label")
    assert message in text
    assert "The export was not started" in text


@pytest.mark.parametrize("who, status", [
    ("anonymous", 302), ("alice", 403), ("bob", 403), ("carol", 200), ("root", 200),
])
def test_only_editors_may_open_the_export_page(client, people, who, status):
    if people[who] is not None:
        client.force_login(people[who])
    response = client.get(URL)
    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/?next=/review/export/")
    assert client.get(URL, {"format": "csv"}).status_code == (302 if status == 200 else status)


def test_the_upload_page_and_the_queue_link_to_the_export_page(editor):
    assert 'href="/review/export/"' in editor.get("/review/uploads/").content.decode()
    assert 'href="/review/export/"' in editor.get("/").content.decode()
