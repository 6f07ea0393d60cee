"""Generated hostile input over every write endpoint, form and importer: never a 5xx, and a
refused request (a 4xx, a form shown again, a redirect carrying an error) writes nothing.

Hypothesis makes the input (nested JSON, lone surrogates, NUL and other control
characters, bidi overrides, huge and negative numbers, 1e400, very long strings, lists,
objects and booleans where text or ids belong, invalid UTF-8), `derandomize=True` makes
every run try the same inputs, and each example runs in a savepoint rolled back after it,
so each starts from the same rows. tests.hostile.TALLY counts what was tried; the
terminal summary (tests/conftest.py) prints it.
"""

import io
import json
import urllib.parse

import pytest
from django.contrib.messages import constants, get_messages
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations import services
from provenance.services import source_create

from .hostile import TALLY, database_fingerprint, nested

EXAMPLES = 8  # per target; about 40 targets, each example a request and two fingerprints
BOUNDED = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
    suppress_health_check=list(HealthCheck),
)

# --- strategies ----------------------------------------------------------------------

HOSTILE_TEXT = st.one_of(
    st.sampled_from([
        "", " ", "\x00", "a\x00b", "\ud800", "x\udfff", "\u202e\u2066evil\u2069", "\u200f",
        "\x07\x1b[31m", "\r\n\t", "\ufeff", "＝1+1", "=HYPERLINK(\"x\")", "<script>x</script>",
        "'; DROP TABLE x; --", "x" * 100_000, "é" * 5_001, "\U0001f600" * 300, "\x85\u2028",
    ]),
    # Any code point, lone surrogates (Cs) and controls (Cc) included.
    st.text(st.characters(codec=None, categories=None), max_size=40),
    st.text(st.characters(categories=["Cc", "Cs", "Cf", "Zl", "Zp"]), min_size=1, max_size=8),
)
HUGE_NUMBERS = st.one_of(
    st.sampled_from([0, -1, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**30, 10**400, 1e308,
                     -1e308, 0.5, float("inf"), float("-inf"), float("nan")]),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
)
SCALARS = st.one_of(HOSTILE_TEXT, HUGE_NUMBERS, st.booleans(), st.none())
# Wrong types: lists and objects (nested) where text or ids belong.
HOSTILE_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


class Raw(str):
    """JSON text sent as it is (what json.dumps cannot write)."""


RAW_BODIES = st.sampled_from([
    Raw(nested(50_000)), Raw('{"x": ' + nested(3_000) + "}"), Raw('{"id": 1e400}'),
    Raw('{"id": -1e400, "at": 1e400}'), Raw("{"), Raw("[]"), Raw("null"), Raw('"text"'),
    Raw('{"a": NaN}'), Raw('{"a": Infinity}'), Raw("\ufeff{}"), Raw('{"a": "\\ud800"}'),
    Raw('{"a": 1, "a": [2]}'), Raw('{"sentence": 1' + "0" * 5_000 + "}"),
])


def json_body(fields: dict):
    """A JSON body: each field valid or hostile, some left out; or raw hostile text."""
    def body(draw_fields):
        return draw_fields
    objects = st.fixed_dictionaries(
        {}, optional={name: st.one_of(st.just(valid), HOSTILE_VALUES)
                      for name, valid in fields.items()},
    ).map(body)
    return st.one_of(objects, objects, RAW_BODIES, HOSTILE_VALUES)


def form_body(fields: dict):
    """Form fields: valid, hostile text (possibly invalid UTF-8 on the wire), repeated."""
    value = st.one_of(HOSTILE_TEXT, st.lists(HOSTILE_TEXT, min_size=2, max_size=3),
                      HUGE_NUMBERS.map(str))
    return st.fixed_dictionaries(
        {}, optional={name: st.one_of(st.just(valid), value) for name, valid in fields.items()}
    )


def encode_json(body) -> bytes:
    if isinstance(body, Raw):
        return str(body).encode("utf-8", "surrogatepass")
    # ensure_ascii writes a lone surrogate as the escape "\ud800", as a client would.
    return json.dumps(body).encode()


def encode_form(fields: dict) -> bytes:
    pairs = [(k, v) for k, values in fields.items()
             for v in (values if isinstance(values, list) else [values])]
    # surrogatepass: a lone surrogate goes out as the invalid UTF-8 a hostile client sends.
    return urllib.parse.urlencode(pairs, encoding="utf-8", errors="surrogatepass").encode()


# --- the check every example makes --------------------------------------------------------


def _message_of(response) -> str:
    return response.content.decode("utf-8", "replace").strip()


def _refused(response) -> bool:
    """Whether the response says the input was not taken: a 4xx, a form shown again with
    its errors, or a redirect carrying an error message."""
    if 400 <= response.status_code < 500:
        return True
    if response.status_code == 200 and response.request["REQUEST_METHOD"] == "POST":
        # A page form (sign-in, admin) refuses by showing itself again.
        return "errorlist" in response.text or "errornote" in response.text
    if response.status_code in (301, 302, 303):
        # Only the messages this request added: the client keeps earlier ones in a cookie.
        storage = get_messages(response.wsgi_request)
        return any(m.level >= constants.ERROR for m in storage._queued_messages)
    return False


def attempt(send, *, label):
    """Send one generated request inside a savepoint rolled back after it: < 500, and a
    refusal (with a message) leaves every app table as it was."""
    cache.clear()  # throttles: each example is judged on its own
    with transaction.atomic():
        before = database_fingerprint()
        try:
            response = send()
        except Exception:
            # The test client re-raises what the handler would have answered with a 500.
            TALLY.record(label, server_error=True, wrote=False)
            raise
        after = database_fingerprint()
        transaction.set_rollback(True)
    refused = _refused(response)
    changed = after != before
    TALLY.record(label, server_error=response.status_code >= 500,
                 wrote=refused and changed)
    assert response.status_code < 500, (label, response.status_code, _message_of(response)[:500])
    if refused:
        assert not changed, (label, response.status_code, _message_of(response)[:300])
        if 400 <= response.status_code < 500:
            assert _message_of(response), (label, response.status_code)
    return response


# --- the cast and their rows --------------------------------------------------------------


@pytest.fixture
def scene(db, alice, bob, carol, root, make_article, assign):
    article = make_article("Headline Here\nThe first sentence. The second sentence. A third.\n")
    other = make_article("Another Story\nIt begins here. It ends there.\n")
    assign(alice, article)
    first, second = article.sentences.filter(is_boilerplate=False).order_by("position")[:2]
    gazette = source_create(name="Harbour Gazette", kind="news_outlet")
    duplicate = source_create(name="The Harbour Gazette", kind="news_outlet")
    mine = services.annotation_create(reviewer=alice, sentence=first, label="unverified_claim")
    gone = services.annotation_create(reviewer=alice, sentence=second, label="unverified_claim")
    services.annotation_delete(annotation=gone, expected_version=1, by=alice)
    return {
        "alice": alice, "bob": bob, "carol": carol, "root": root, "article": article,
        "other": other, "first": first, "second": second, "gazette": gazette,
        "duplicate": duplicate, "mine": mine, "gone": gone,
    }


# --- the API: (user, method, path, fields) with the valid value of each field -----------------


def _api_targets(s):
    first, mine, article = s["first"], s["mine"], s["article"]
    annotation = {"sentence": first.pk, "label": "sensational_framing",
                  "phrase_start": first.start, "phrase_end": first.start + 3, "quote": "The",
                  "source": None, "note": "ok", "version": 1}
    return {
        "token": (None, "post", "/api/auth/token/", {"username": "alice", "password": "nope"}),
        "annotation create": ("alice", "post", "/api/annotations/", annotation),
        "annotation update": ("alice", "patch", f"/api/annotations/{mine.pk}/",
                              {"label": "sensational_framing", "note": "x", "version": 1}),
        "annotation delete": ("alice", "delete", f"/api/annotations/{mine.pk}/",
                              {"version": 1}),
        "annotation restore": ("carol", "post", f"/api/annotations/{s['gone'].pk}/restore/",
                               {"version": 2}),
        "source create": ("carol", "post", "/api/sources/",
                          {"name": "New Wire", "kind": "news_outlet", "reliability": "high",
                           "reliability_note": "why", "homepage": "https://x.example/",
                           "country": "NZ", "aliases": ["NW"]}),
        "article create": ("carol", "post", "/api/articles/",
                           {"title": "T", "text": "Head\nA sentence.", "html": "<p>x</p>",
                            "url": "https://x.example/a", "publisher": "P",
                            "publisher_kind": "news_outlet", "author": "A",
                            "published_on": "2024-01-02", "publication_kind": "blog",
                            "language": "en"}),
        "assignment create": ("carol", "post", "/api/review/assignments/",
                              {"article": s["other"].pk, "reviewer": "bob"}),
        "verdict": ("carol", "post", f"/api/review/annotations/{mine.pk}/verdict/",
                    {"status": "accepted", "reason": "fine"}),
        "close": ("carol", "post", f"/api/review/articles/{article.pk}/close/",
                  {"reopen": False}),
        "merge": ("carol", "post", f"/api/review/sources/{s['gazette'].pk}/merge/",
                  {"duplicates": [s["duplicate"].pk]}),
        "join": ("carol", "post", f"/api/review/sentences/{first.pk}/join/", {}),
        "split": ("carol", "post", f"/api/review/sentences/{first.pk}/split/",
                  {"at": first.start + 4}),
    }


API_TARGETS = [
    "token", "annotation create", "annotation update", "annotation delete",
    "annotation restore", "source create", "article create", "assignment create", "verdict",
    "close", "merge", "join", "split",
]


@pytest.mark.parametrize("target", API_TARGETS)
def test_no_generated_api_request_fails_or_writes_when_refused(api, scene, target):
    user, method, path, fields = _api_targets(scene)[target]
    if user:
        api.as_user(scene[user])

    @BOUNDED
    @given(body=json_body(fields))
    def run(body):
        attempt(lambda: getattr(api, method)(
            path, encode_json(body), content_type="application/json",
            HTTP_IF_MATCH='"1"'), label=f"api {target}")

    run()


@pytest.mark.parametrize("ids", ["annotation", "article", "sentence", "source"])
def test_no_generated_id_in_an_api_url_fails(api, scene, ids):
    """Ids in paths: huge, negative, text (the router's \\d+ takes only digits)."""
    paths = {
        "annotation": "/api/annotations/{}/", "article": "/api/review/articles/{}/close/",
        "sentence": "/api/review/sentences/{}/join/",
        "source": "/api/review/sources/{}/merge/",
    }
    api.as_user(scene["carol"])

    @BOUNDED
    @given(value=st.one_of(st.integers(min_value=0), HUGE_NUMBERS.map(str), HOSTILE_TEXT))
    def run(value):
        path = paths[ids].format(urllib.parse.quote(str(value), safe="", errors="surrogatepass"))
        attempt(lambda: api.post(path, b"{}", content_type="application/json"),
                label=f"api {ids} id")

    run()


@pytest.mark.parametrize("how", ["jsonl body", "multipart upload"])
def test_no_generated_annotation_restore_fails_or_writes_when_refused(api, scene, how):
    first = scene["first"]
    row = {"article_content_sha256": scene["article"].content_sha256,
           "sentence_start": first.start, "sentence_end": first.end, "label": "cited_source",
           "phrase_start": None, "phrase_end": None, "quote": first.text,
           "source_name": "Harbour Gazette", "source_kind": "news_outlet",
           "source_reliability": "unrated", "reviewer": "bob", "note": "", "status": "accepted",
           "status_reason": "", "status_set_by": "carol",
           "status_set_at": "2024-01-01T00:00:00Z", "created_at": "2024-01-01T00:00:00Z",
           "updated_at": "2024-01-01T00:00:00Z"}
    api.as_user(scene["carol"])
    lines = st.lists(json_body(row).map(encode_json), min_size=1, max_size=3)
    raw = st.binary(max_size=64)

    @BOUNDED
    @given(body=st.one_of(lines.map(b"\n".join), raw))
    def run(body):
        if how == "jsonl body":
            send = lambda: api.post("/api/import/annotations", body,  # noqa: E731
                                    content_type="application/x-ndjson")
        else:
            upload = io.BytesIO(body)
            upload.name = "backup.jsonl"
            send = lambda: api.post("/api/import/annotations", {"file": upload},  # noqa: E731
                                    format="multipart")
        attempt(send, label=f"api import {how}")

    run()


def test_no_generated_article_upload_fails_or_writes_when_refused(api, scene):
    api.as_user(scene["carol"])
    names = st.sampled_from(["a.txt", "a.md", "a.html", "a.jsonl", "a.exe", "a", ".txt",
                             "\u202etxt.exe", "a\x00.txt"])
    contents = st.one_of(st.binary(max_size=200), HOSTILE_TEXT.map(
        lambda t: t.encode("utf-8", "surrogatepass")), RAW_BODIES.map(lambda r: r.encode()))
    meta = form_body({"title": "T", "publisher": "P", "published_on": "2024-01-01",
                      "language": "en"})

    @BOUNDED
    @given(name=names, content=contents, fields=meta)
    def run(name, content, fields):
        upload = io.BytesIO(content)
        upload.name = name
        data = {k: (v[0] if isinstance(v, list) else v) for k, v in fields.items()}
        data = {k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
                for k, v in data.items()}
        attempt(lambda: api.post("/api/articles/", {**data, "file": upload},
                                 format="multipart"), label="api article upload")

    run()


# --- pages: the workspace, the editors' pages, the source proposal, sign-in, the admin -------


def _page_targets(s):
    first, mine = s["first"], s["mine"]
    return {
        "workspace annotation create": (
            "alice", f"/workspace/sentences/{first.pk}/annotations/",
            {"label": "sensational_framing", "note": "n", "source": "",
             "phrase_start": str(first.start), "phrase_end": str(first.start + 3),
             "quote": "The"}),
        "workspace annotation update": (
            "alice", f"/workspace/annotations/{mine.pk}/",
            {"label": "sensational_framing", "note": "n", "source": ""}),
        "workspace annotation delete": ("alice", f"/workspace/annotations/{mine.pk}/delete/",
                                        {"version": "1"}),
        "workspace annotation restore": (
            "alice", f"/workspace/annotations/{s['gone'].pk}/restore/", {"version": "2"}),
        "workspace no label": ("alice", f"/workspace/sentences/{first.pk}/no-label/", {}),
        "workspace no label clear": (
            "alice", f"/workspace/sentences/{first.pk}/no-label/clear/", {}),
        "workspace join": ("alice", f"/workspace/sentences/{first.pk}/join/", {}),
        "workspace split": ("alice", f"/workspace/sentences/{first.pk}/split/",
                            {"at": str(first.start + 4)}),
        "source proposal": ("alice", "/workspace/sources/",
                            {"name": "Brand New Source", "kind": "news_outlet"}),
        "verdict page": ("carol", f"/review/adjudicate/annotations/{mine.pk}/verdict/",
                         {"status": "accepted", "reason": "fine"}),
        "bulk verdict": ("carol", f"/review/adjudicate/articles/{s['article'].pk}/verdicts/",
                         {"status": "rejected", "annotation": f"{mine.pk}-1"}),
        "final labels": ("carol", f"/review/adjudicate/sentences/{first.pk}/decision/",
                         {"label": "unverified_claim", "note": "n"}),
        "accept agreed": ("carol",
                          f"/review/adjudicate/articles/{s['article'].pk}/accept-agreed/", {}),
        "close page": ("carol", f"/review/articles/{s['article'].pk}/adjudicate/close/",
                       {"reopen": ""}),
        "sign-in": (None, "/accounts/login/", {"username": "alice", "password": "wrong"}),
        "admin source add": ("root", "/admin/provenance/source/add/",
                             {"name": "Admin Source", "kind": "news_outlet",
                              "reliability": "unrated", "reliability_note": "",
                              "homepage": "", "country": "",
                              "aliases-TOTAL_FORMS": "1", "aliases-INITIAL_FORMS": "0",
                              "aliases-0-alias": "AS"}),
        "admin article change": ("root", f"/admin/provenance/article/{s['article'].pk}/change/",
                                 {"title": "Changed", "publisher": "", "url": "",
                                  "published_on": "2024-01-01", "author": "",
                                  "language": "en"}),
    }


PAGE_TARGETS = [
    "workspace annotation create", "workspace annotation update",
    "workspace annotation delete", "workspace annotation restore", "workspace no label",
    "workspace no label clear", "workspace join", "workspace split", "source proposal",
    "verdict page", "bulk verdict", "final labels", "accept agreed", "close page", "sign-in",
    "admin source add", "admin article change",
]


@pytest.mark.parametrize("target", PAGE_TARGETS)
def test_no_generated_form_post_fails_or_writes_when_refused(client, scene, target):
    user, path, fields = _page_targets(scene)[target]
    if user:
        client.force_login(scene[user])

    @BOUNDED
    @given(fields=form_body(fields))
    def run(fields):
        attempt(lambda: client.post(path, encode_form(fields),
                                    content_type="application/x-www-form-urlencoded",
                                    HTTP_IF_MATCH='"1"'), label=f"page {target}")

    run()


# --- the importers, as commands -----------------------------------------------------------


def test_no_generated_article_file_crashes_import_articles_or_writes_when_refused(
    scene, tmp_path_factory
):
    suffixes = st.sampled_from([".txt", ".md", ".html", ".jsonl"])
    contents = st.one_of(
        st.binary(max_size=300),
        HOSTILE_TEXT.map(lambda t: ("Headline\n" + t).encode("utf-8", "surrogatepass")),
        json_body({"text": "Head\nA sentence.", "title": "T", "publisher": "P",
                   "published_on": "2024-01-01"}).map(encode_json),
    )

    @BOUNDED
    @given(suffix=suffixes, content=contents)
    def run(suffix, content):
        path = tmp_path_factory.mktemp("import") / f"article{suffix}"
        path.write_bytes(content)
        _command("import_articles", str(path), "--quiet", label="command import_articles")

    run()


def test_no_generated_jsonl_crashes_import_annotations_or_writes_when_refused(
    scene, tmp_path_factory
):
    first = scene["first"]
    row = {"article_content_sha256": scene["article"].content_sha256,
           "sentence_start": first.start, "sentence_end": first.end,
           "label": "unverified_claim", "reviewer": "bob", "status": "rejected",
           "status_reason": "no", "created_at": "2024-01-01T00:00:00Z"}

    @BOUNDED
    @given(lines=st.lists(json_body(row).map(encode_json), min_size=1, max_size=3))
    def run(lines):
        path = tmp_path_factory.mktemp("restore") / "backup.jsonl"
        path.write_bytes(b"\n".join(lines))
        _command("import_annotations", str(path), "--as", "carol",
                 label="command import_annotations")

    run()


def _command(*args, label):
    """A command either succeeds or raises CommandError (naming the problem) having
    written nothing; any other exception is the command's 500."""
    with transaction.atomic():
        before = database_fingerprint()
        failed = crashed = None
        try:
            call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())
        except CommandError as exc:
            failed = exc
        except Exception as exc:  # noqa: BLE001 - the crash under test
            crashed = exc
        after = database_fingerprint()
        transaction.set_rollback(True)
    # import_articles imports file by file: with one file, a failure means none was.
    TALLY.record(label, server_error=crashed is not None,
                 wrote=failed is not None and after != before)
    assert crashed is None, (label, repr(crashed))
    if failed is not None:
        assert str(failed) and after == before, (label, str(failed))
