"""Exports: JSONL, CSV and W3C Web Annotation JSON-LD, from the API and the command."""

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from annotations import services
from annotations.models import Annotation
from exports.formats import FIELDS
from tests.test_api_claims import corpus_fixture  # noqa: F401 - provides "corpus"

CHECKER = Path("/work/shared/standards/web-annotation/check.py")


def download(api, query="", **extra):
    response = api.get(f"/api/export/annotations{query}", **extra)
    assert response.status_code == 200, response.content
    assert response.streaming
    return response, b"".join(response.streaming_content)


def test_jsonl_export_has_one_self_contained_row_per_live_annotation(api, carol, alice, corpus):
    response, data = download(api.as_user(carol))
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


def test_csv_export_opens_in_a_spreadsheet_and_parses_back(api, carol, alice, corpus):
    response, data = download(api.as_user(carol), "?format=csv")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 6 and list(rows[0]) == FIELDS
    by_id = {int(r["annotation_id"]): r for r in rows}
    assert by_id[corpus["a_sf"].pk]["note"] == 'Loaded word, "quoted", with a comma'
    # A note that a spreadsheet would run as a formula is shown as text.
    assert by_id[corpus["a_uc"].pk]["note"] == '\'=HYPERLINK("x")'


def test_jsonld_export_is_a_web_annotation_collection(api, carol, alice, corpus):
    response, data = download(api.as_user(carol), "?format=jsonld")
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
        "type": "TextualBody",
        "purpose": "commenting",
        "format": "text/plain",
        "value": 'Loaded word, "quoted", with a comma',
    }


def test_jsonld_ids_name_the_host_the_export_was_fetched_from_when_no_public_url_is_set(
    api, carol, alice, corpus, settings
):
    settings.PROVENANCE_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "claims.example.org"]
    _, data = download(api.as_user(carol), "?format=jsonld", HTTP_HOST="claims.example.org")
    collection = json.loads(data)
    assert collection["id"].startswith("http://claims.example.org/api/export/annotations")
    for item in collection["first"]["items"]:
        assert item["id"].startswith("http://claims.example.org/api/annotations/")
        assert item["target"]["source"]["id"].startswith("http://claims.example.org/articles/")


def test_jsonld_ids_use_the_public_url_whatever_host_was_asked(api, carol, alice, corpus, settings):
    settings.PROVENANCE_PUBLIC_URL = "https://provenance.example"
    _, data = download(api.as_user(carol), "?format=jsonld")
    items = json.loads(data)["first"]["items"]
    assert items and all(i["id"].startswith("https://provenance.example/api/") for i in items)


def test_the_jsonld_command_asks_for_an_address_when_no_public_url_is_set(
    alice, corpus, settings
):
    settings.PROVENANCE_PUBLIC_URL = ""
    with pytest.raises(CommandError, match="pass --base-url"):
        call_command("export_annotations", format="jsonld", stdout=io.StringIO())
    out = io.StringIO()
    call_command("export_annotations", format="jsonld", base_url="https://x.example/", stdout=out)
    assert json.loads(out.getvalue())["id"].startswith("https://x.example/api/export/")


@pytest.mark.skipif(not CHECKER.exists(), reason="the W3C checker is not on this machine")
def test_every_exported_web_annotation_passes_the_w3c_must_checks(
    api, carol, alice, corpus, tmp_path
):
    _, data = download(api.as_user(carol), "?format=jsonld")
    path = tmp_path / "export.jsonld"
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, str(CHECKER), "-q", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 annotations, 0 failed must-checks" in result.stdout


def test_exports_take_the_claim_filters(api, carol, alice, corpus):
    _, data = download(api.as_user(carol), "?label=cited_source&reviewer=bob")
    rows = [json.loads(line) for line in data.decode().splitlines()]
    assert [r["annotation_id"] for r in rows] == [corpus["b_cs"].pk]


@pytest.mark.parametrize("query", ["?format=xml", "?label=clickbait", "?article=x"])
def test_a_bad_export_request_is_a_json_400(api, carol, alice, corpus, query):
    response = api.as_user(carol).get(f"/api/export/annotations{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "jsonld"])
def test_the_command_writes_the_same_bytes_as_the_api(
    api, carol, alice, corpus, fmt, tmp_path, settings
):
    settings.PROVENANCE_PUBLIC_URL = "https://provenance.example"
    _, data = download(api.as_user(carol), f"?format={fmt}&reviewer=alice")
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
    api, carol, alice, bob, make_article, django_assert_max_num_queries, fmt
):
    article = make_article("\n".join(f"Sentence number {i} is here." for i in range(300)))
    api.as_user(carol)
    counts = []
    for reviewer in (alice, bob):
        Annotation.objects.bulk_create(
            Annotation(sentence=s, reviewer=reviewer, label="unverified_claim", quote=s.text)
            for s in article.sentences.all()
        )
        for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
            carol.__dict__.pop(cache, None)  # as a new request's user
        # carol's permissions and her groups' (a reader? an editor, who sees everyone's?),
        # (count for jsonld), the rows; on PostgreSQL in a test's transaction, a savepoint
        # and its release around them
        with django_assert_max_num_queries(6) as captured:
            _, data = download(api, f"?format={fmt}")
        counts.append(len(captured))
    assert counts[0] == counts[1]


ODD_TEXT = 'Back\\slash, "quotes", tab\there, é — 中文, \x01 and a\r\nline break'


@pytest.fixture(name="odd")
def odd_fixture(alice, bob, make_article):
    """Annotations whose text needs every kind of JSON escape and CSV quoting."""
    article = make_article(
        'Headline\nShe said "no" — twice. A back\\slash, a comma. Plain last one.\n',
        title='=Title, with "quotes"',
    )
    first, *_, last = article.sentences.order_by("position")
    made = [
        services.annotation_create(reviewer=alice, sentence=first, label="unverified_claim"),
        services.annotation_create(
            reviewer=bob,
            sentence=last,
            label="sensational_framing",
            phrase=(last.start, last.start + 5),
        ),
    ]
    Annotation.objects.filter(pk=made[0].pk).update(note=ODD_TEXT, status_reason="+1, agreed")
    return {"article": article, "first": first, "last": last, "annotations": made}


def test_odd_text_is_written_as_json_dumps_writes_it_and_reads_back(api, carol, alice, odd):
    _, data = download(api.as_user(carol), "?format=jsonl")
    lines = data.decode().splitlines()
    rows = [json.loads(line) for line in lines]
    assert [json.dumps(row, ensure_ascii=False) for row in rows] == lines
    by_id = {r["annotation_id"]: r for r in rows}
    first = by_id[odd["annotations"][0].pk]
    assert first["note"] == ODD_TEXT and first["article_title"] == '=Title, with "quotes"'
    assert first["sentence_text"] == odd["first"].text
    assert first["article_publisher"] is None and first["article_published_on"] is None
    assert first["phrase_start"] is None and first["source_name"] is None


def test_odd_text_is_written_as_csv_writer_writes_it_and_reads_back(api, carol, alice, odd):
    _, data = download(api.as_user(carol), "?format=csv")
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    again = io.StringIO()
    csv.writer(again, lineterminator="\r\n").writerows(rows)
    assert again.getvalue() == text
    by_id = {int(r[0]): dict(zip(FIELDS, r, strict=True)) for r in rows[1:]}
    first = by_id[odd["annotations"][0].pk]
    assert first["note"] == ODD_TEXT
    # Formula-looking text is shown as text, wherever it is.
    assert first["article_title"] == '\'=Title, with "quotes"'
    assert first["status_reason"] == "'+1, agreed"
    assert first["article_publisher"] == "" and first["phrase_start"] == ""


def test_odd_text_in_json_ld_is_written_as_json_dumps_writes_it(api, carol, alice, odd):
    _, data = download(api.as_user(carol), "?format=jsonld")
    items = data.decode().split("\n")[1:-2]
    assert len(items) == 2
    for item in items:
        item = item.removesuffix(",")
        assert json.dumps(json.loads(item), ensure_ascii=False) == item
    notes = [b["value"] for b in json.loads(data)["first"]["items"][0]["body"][1:]]
    assert notes == [ODD_TEXT]


def test_quote_context_stops_at_the_ends_of_the_article(api, carol, alice, odd):
    _, data = download(api.as_user(carol), "?format=jsonld")
    body = odd["article"].body
    selectors = {
        int(item["id"].rstrip("/").rsplit("/", 1)[1]): item["target"]["selector"]
        for item in json.loads(data)["first"]["items"]
    }
    for annotation in odd["annotations"]:
        quote, position = selectors[annotation.pk]
        start, end = position["start"], position["end"]
        assert quote["exact"] == body[start:end] == annotation.quote
        assert quote["prefix"] == body[max(start - 32, 0) : start]
        assert quote["suffix"] == body[end : end + 32]
    first, last = (selectors[a.pk][0] for a in odd["annotations"])
    assert first["prefix"] == "" and len(last["suffix"]) < 32


@pytest.mark.parametrize(
    ("microsecond", "written"), [(0, "15:09:05.000000Z"), (5, "15:09:05.000005Z")]
)
def test_timestamps_are_utc_to_the_microsecond(api, carol, alice, odd, microsecond, written):
    moment = dt.datetime(2024, 1, 3, 15, 9, 5, microsecond, tzinfo=dt.UTC)
    Annotation.objects.update(created_at=moment, updated_at=moment + dt.timedelta(days=1))
    _, data = download(api.as_user(carol), "?format=jsonl")
    for row in map(json.loads, data.decode().splitlines()):
        assert row["created_at"] == f"2024-01-03T{written}"
        assert row["updated_at"] == f"2024-01-04T{written}"
    _, data = download(api, "?format=csv")
    # Then status_set_by and status_set_at, empty: nothing was accepted or rejected.
    assert data.decode().count(f"2024-01-03T{written},2024-01-04T{written},,\r\n") == 2


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps timestamps as text")
def test_timestamps_written_by_other_software_are_read_as_django_reads_them(api, carol, alice, odd):
    pks = [a.pk for a in odd["annotations"]]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE annotations_annotation SET created_at = %s, updated_at = %s WHERE id = %s",
            ["2024-01-03T15:09:05", "2024-01-03 15:09:05.5+02:00", pks[0]],
        )
    _, data = download(api.as_user(carol), "?format=jsonl")
    row = next(
        r for r in map(json.loads, data.decode().splitlines()) if r["annotation_id"] == pks[0]
    )
    assert row["created_at"] == "2024-01-03T15:09:05.000000Z"
    assert row["updated_at"] == "2024-01-03T13:09:05.500000Z"


def test_rows_of_interleaved_articles_each_carry_their_own_article(
    api, carol, alice, bob, make_article
):
    articles = [make_article(f"Headline\nArticle {n} says this. And that.\n") for n in (1, 2)]
    sentences = [a.sentences.order_by("position").last() for a in articles]
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    for n, reviewer in enumerate([alice, alice, bob, bob]):
        made = services.annotation_create(
            reviewer=reviewer, sentence=sentences[n % 2], label="unverified_claim"
        )
        Annotation.objects.filter(pk=made.pk).update(created_at=start + dt.timedelta(hours=n))
    _, data = download(api.as_user(carol), "?ordering=recent")
    rows = [json.loads(line) for line in data.decode().splitlines()]
    assert [r["article_id"] for r in rows] == [articles[1].pk, articles[0].pk] * 2
    for row in rows:
        annotation = Annotation.objects.get(pk=row["annotation_id"])
        assert row["article_title"] == annotation.sentence.article.title
        assert row["sentence_id"] == annotation.sentence_id
        assert row["sentence_text"] == annotation.sentence.text


class _Head:
    """Standard output read by `head -c 1000`: the reader goes away after the first piece."""

    def __init__(self):
        self.buffer, self.read = self, b""

    def write(self, data):
        if self.read:
            raise BrokenPipeError
        self.read = data


@pytest.mark.parametrize(
    "in_transaction",
    [True, pytest.param(False, marks=pytest.mark.django_db(transaction=True))],
)
def test_an_export_stopped_halfway_leaves_the_database_usable(
    django_user_model, make_article, in_transaction
):
    # More than the database has sent when the reader goes away: it is stopped mid-query.
    article = make_article("\n".join(f"Sentence number {i} is here." for i in range(2000)))
    reviewers = [django_user_model.objects.create_user(f"reviewer{n}") for n in range(3)]
    Annotation.objects.bulk_create(
        Annotation(sentence=s, reviewer=reviewer, label=label, quote=s.text)
        for s in article.sentences.all()
        for reviewer in reviewers
        for label in ("unverified_claim", "sensational_framing")
    )
    head = _Head()
    with pytest.raises(BrokenPipeError):
        call_command("export_annotations", stdout=head)
    assert head.read.startswith(b'{"annotation_id": ')
    again = io.StringIO()
    call_command("export_annotations", stdout=again)
    assert again.getvalue().count("\n") == Annotation.objects.count() == 12000


def test_a_full_width_equals_sign_is_neutralised_in_csv_like_the_ascii_one(
    api, carol, alice, make_article
):
    sentence = make_article().sentences.get(position=1)
    services.annotation_create(reviewer=alice, sentence=sentence, label="unverified_claim",
                               note="\uff1dHYPERLINK(\"http://evil.example\")")
    response = api.as_user(carol).get("/api/export/annotations?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'\uff1dHYPERLINK" in text
