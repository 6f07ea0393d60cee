"""Every hostile request from the tester's list gets a 4xx naming the problem, and nothing
is written. (tests/test_hostile_properties.py keeps generating more of them.)"""

import base64
import json

import pytest
from rest_framework.test import APIClient

from annotations import services
from review.models import Assignment

from .hostile import database_fingerprint, nested

DEEP = 50_000


@pytest.fixture
def article(make_article):
    return make_article("Headline Here\nThe first sentence. The second sentence.\n")


@pytest.fixture
def annotation(alice, article):
    return services.annotation_create(
        reviewer=alice, sentence=article.sentences.get(position=1), label="unverified_claim"
    )


def _refused(response, *words):
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    text = response.content.decode("utf-8", "replace").lower()
    for word in words:
        assert word.lower() in text, text[:300]


@pytest.mark.django_db
def test_deeply_nested_json_on_the_anonymous_token_endpoint_is_a_400():
    before = database_fingerprint()
    response = APIClient().post(
        "/api/auth/token/", f'{{"username": {nested(DEEP)}, "password": "x"}}',
        content_type="application/json",
    )
    _refused(response, "nested too deeply")
    assert database_fingerprint() == before


@pytest.mark.parametrize("path", ["/api/annotations/", "/api/articles/"])
def test_deeply_nested_json_on_write_endpoints_is_a_400(api, carol, path):
    before = database_fingerprint()
    response = api.as_user(carol).post(
        path, f'{{"text": {nested(DEEP)}}}', content_type="application/json"
    )
    _refused(response, "nested too deeply")
    assert database_fingerprint() == before


def test_deeply_nested_json_in_an_annotation_restore_names_the_line(api, carol, annotation):
    before = database_fingerprint()
    response = api.as_user(carol).post(
        "/api/import/annotations", f'{{"label": {nested(DEEP)}}}\n',
        content_type="application/x-ndjson",
    )
    _refused(response, "line 1", "nested too deeply")
    assert database_fingerprint() == before


def test_deeply_nested_json_in_a_claims_cursor_is_a_400(api, alice, annotation):
    cursor = base64.urlsafe_b64encode(nested(DEEP).encode()).decode().rstrip("=")
    _refused(api.as_user(alice).get(f"/api/claims/?cursor={cursor}"), "cursor")


@pytest.mark.parametrize("value", ["10000000000000000000000000", str(2**63)])
def test_an_article_id_past_the_databases_integers_is_a_400(api, alice, annotation, value):
    _refused(api.as_user(alice).get(f"/api/claims/?article={value}"), "article")


@pytest.mark.parametrize("key", [10**30, "1e400", 1e308 * 10])
def test_an_out_of_range_number_in_a_cursor_is_a_400(api, alice, annotation, key):
    raw = json.dumps({"k": [key, 1], "b": False}) if not isinstance(key, str) else (
        '{"k": [1e400, 1], "b": false}'
    )
    cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    _refused(api.as_user(alice).get(f"/api/claims/?cursor={cursor}"), "cursor")


@pytest.mark.parametrize("path", ["/api/annotations/{big}/", "/api/articles/{big}/",
                                  "/api/sources/{big}/"])
def test_an_out_of_range_id_in_an_api_url_is_a_4xx_not_a_crash(api, alice, path):
    response = api.as_user(alice).get(path.format(big=10**30))
    assert 400 <= response.status_code < 500


def test_an_out_of_range_id_in_a_page_url_is_a_4xx_not_a_crash(client, alice):
    client.force_login(alice)
    response = client.get(f"/articles/{10**30}/review/")
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("field", ["text", "title", "publisher"])
def test_a_lone_surrogate_in_an_imported_article_is_refused_by_name(api, carol, field):
    record = {"text": "Headline\nA sentence here.", "title": "A title", "publisher": "Pub"}
    record[field] = record[field] + "\ud800"
    before = database_fingerprint()
    body = json.dumps(record)  # ensure_ascii keeps the surrogate as the escape "\ud800"
    response = api.as_user(carol).post("/api/articles/", body, content_type="application/json")
    _refused(response, field, "surrogate")
    assert database_fingerprint() == before


def test_a_lone_surrogate_in_a_note_is_refused_by_name(api, alice, article):
    sentence = article.sentences.get(position=1)
    before = database_fingerprint()
    body = json.dumps({"sentence": sentence.pk, "label": "unverified_claim", "note": "a\ud800"})
    response = api.as_user(alice).post("/api/annotations/", body, content_type="application/json")
    _refused(response, "note", "surrogate")
    assert database_fingerprint() == before


def test_a_nul_byte_in_a_verdict_reason_is_refused_and_not_stored(api, carol, annotation):
    before = database_fingerprint()
    response = api.as_user(carol).post(
        f"/api/review/annotations/{annotation.pk}/verdict/",
        {"status": "accepted", "reason": "fine\x00"}, format="json",
    )
    _refused(response, "reason", "null character")
    assert database_fingerprint() == before


def test_the_verdict_page_refuses_a_nul_byte_in_the_reason(client, carol, annotation):
    client.force_login(carol)
    before = database_fingerprint()
    response = client.post(f"/review/adjudicate/annotations/{annotation.pk}/verdict/",
                           {"status": "accepted", "reason": "fine\x00"},
                           headers={"If-Match": annotation.etag})
    assert response.status_code == 400
    assert "Null characters are not allowed" in response.json()["detail"]
    assert database_fingerprint() == before


def test_a_control_character_in_a_note_is_refused_by_name(api, alice, article):
    sentence = article.sentences.get(position=1)
    response = api.as_user(alice).post(
        "/api/annotations/", {"sentence": sentence.pk, "label": "unverified_claim",
                              "note": "ring\x07"}, format="json",
    )
    _refused(response, "note", "U+0007")


def test_an_assignment_count_is_unchanged_by_a_refused_write(api, alice, carol, article):
    Assignment.objects.create(article=article, reviewer=alice)
    before = database_fingerprint()
    response = api.as_user(alice).post(
        "/api/annotations/", f'{{"sentence": {nested(DEEP)}}}', content_type="application/json"
    )
    _refused(response)
    assert database_fingerprint() == before
