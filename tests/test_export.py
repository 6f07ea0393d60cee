"""Exports: JSONL, CSV and W3C Web Annotation JSON-LD, from the API and the command."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from annotations.exports import FIELDS
from annotations.models import Annotation
from tests.test_api_claims import corpus_fixture  # noqa: F401 - provides "corpus"

CHECKER = Path("/work/shared/standards/web-annotation/check.py")


def download(api, query=""):
    response = api.get(f"/api/export/annotations{query}")
    assert response.status_code == 200, response.content
    assert response.streaming
    return response, b"".join(response.streaming_content)


def test_jsonl_export_has_one_self_contained_row_per_live_annotation(api, alice, corpus):
    response, data = download(api.as_user(alice))
    rows = [json.loads(line) for line in data.decode().splitlines()]
    assert len(rows) == 6 and corpus["deleted"].pk not in {r["annotation_id"] for r in rows}
    assert list(rows[0]) == FIELDS
    (cited,) = [r for r in rows if r["annotation_id"] == corpus["b_cs"].pk]
    assert cited["source_name"] == "Harbour Gazette" and cited["source_reliability"] == "high"
    assert cited["article_content_sha256"] == corpus["crypto"].content_sha256
    assert cited["sentence_text"] == corpus["s3"].text and cited["reviewer"] == "bob"
    (phrase,) = [r for r in rows if r["annotation_id"] == corpus["a_sf"].pk]
    body = corpus["crypto"].body
    assert body[phrase["phrase_start"] : phrase["phrase_end"]] == phrase["quote"]
    assert response["Content-Type"].startswith("application/x-ndjson")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="provenance-annotations-{today}.jsonl"'
    )


def test_csv_export_opens_in_a_spreadsheet_and_parses_back(api, alice, corpus):
    response, data = download(api.as_user(alice), "?format=csv")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 6 and list(rows[0]) == FIELDS
    by_id = {int(r["annotation_id"]): r for r in rows}
    assert by_id[corpus["a_sf"].pk]["note"] == 'Loaded word, "quoted", with a comma'
    # A note that a spreadsheet would run as a formula is shown as text.
    assert by_id[corpus["a_uc"].pk]["note"] == "'=HYPERLINK(\"x\")"


def test_jsonld_export_is_a_web_annotation_collection(api, alice, corpus):
    response, data = download(api.as_user(alice), "?format=jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    collection = json.loads(data)
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection" and collection["total"] == 6
    items = collection["first"]["items"]
    assert collection["first"]["type"] == "AnnotationPage" and len(items) == 6
    for item in items:
        assert item["type"] == "Annotation" and item["id"].startswith("http")
        assert item["created"].endswith("Z") and item["modified"].endswith("Z")
        assert item["creator"]["type"] == "Person"
        target = item["target"]
        assert target["type"] == "SpecificResource" and target["source"]["id"].startswith("http")
        quote, position = target["selector"]
        assert quote["type"] == "TextQuoteSelector" and {"exact", "prefix", "suffix"} <= set(quote)
        assert position["type"] == "TextPositionSelector"
        purposes = [b.get("purpose") for b in item["body"]]
        assert purposes[0] == "classifying" and item["body"][0]["type"] == "TextualBody"
    by_id = {int(i["id"].rstrip("/").rsplit("/", 1)[1]): i for i in items}
    cited = by_id[corpus["a_cs"].pk]
    assert cited["body"][1]["purpose"] == "linking"
    assert cited["body"][1]["source"]["id"].endswith("/sources/dana-ruiz/")
    phrase = by_id[corpus["a_sf"].pk]
    quote, position = phrase["target"]["selector"]
    body = corpus["crypto"].body
    assert body[position["start"] : position["end"]] == quote["exact"]
    assert body[: position["start"]].endswith(quote["prefix"])
    assert body[position["end"] :].startswith(quote["suffix"])
    assert phrase["body"][-1] == {
        "type": "TextualBody", "purpose": "commenting", "format": "text/plain",
        "value": 'Loaded word, "quoted", with a comma',
    }


@pytest.mark.skipif(not CHECKER.exists(), reason="the W3C checker is not on this machine")
def test_every_exported_web_annotation_passes_the_w3c_must_checks(api, alice, corpus, tmp_path):
    _, data = download(api.as_user(alice), "?format=jsonld")
    path = tmp_path / "export.jsonld"
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, str(CHECKER), "-q", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 annotations, 0 failed must-checks" in result.stdout


def test_exports_take_the_claim_filters(api, alice, corpus):
    _, data = download(api.as_user(alice), "?label=cited_source&reviewer=bob")
    rows = [json.loads(line) for line in data.decode().splitlines()]
    assert [r["annotation_id"] for r in rows] == [corpus["b_cs"].pk]


@pytest.mark.parametrize("query", ["?format=xml", "?label=clickbait", "?article=x"])
def test_a_bad_export_request_is_a_json_400(api, alice, corpus, query):
    response = api.as_user(alice).get(f"/api/export/annotations{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "jsonld"])
def test_the_command_writes_the_same_bytes_as_the_api(api, alice, corpus, fmt, tmp_path):
    _, data = download(api.as_user(alice), f"?format={fmt}&reviewer=alice")
    out = tmp_path / f"export.{fmt}"
    call_command("export_annotations", format=fmt, output=str(out), reviewer="alice")
    assert out.read_bytes() == data


def test_the_command_writes_to_standard_output(alice, corpus):
    stdout = io.StringIO()
    call_command("export_annotations", label=["cited_source"], stdout=stdout)
    rows = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert {r["annotation_id"] for r in rows} == {corpus["a_cs"].pk, corpus["b_cs"].pk}


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "jsonld"])
def test_export_queries_do_not_grow_with_the_number_of_annotations(
    api, alice, bob, make_article, django_assert_max_num_queries, fmt
):
    article = make_article("\n".join(f"Sentence number {i} is here." for i in range(300)))
    api.as_user(alice)
    counts = []
    for reviewer in (alice, bob):
        Annotation.objects.bulk_create(
            Annotation(sentence=s, reviewer=reviewer, label="unverified_claim", quote=s.text)
            for s in article.sentences.all()
        )
        with django_assert_max_num_queries(2) as captured:  # (count for jsonld), the rows
            _, data = download(api, f"?format={fmt}")
        counts.append(len(captured))
    assert counts[0] == counts[1]
