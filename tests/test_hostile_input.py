"""Every hostile request from the tester's list gets a 4xx naming the problem, and nothing
is written. (tests/test_hostile_properties.py keeps generating more of them.)"""

import base64
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from annotations import services
from annotations.models import Annotation
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


# Restoring a backup keeps provenance honest ---------------------------------------------


def _exported_row(annotation) -> dict:
    """The JSONL export's row of `annotation`, as a dict to tamper with."""
    out = io.StringIO()
    call_command("export_annotations", "--include-rejected", stdout=out)
    (row,) = [json.loads(line) for line in out.getvalue().splitlines()
              if json.loads(line)["annotation_id"] == annotation.pk]
    return row


def _restore(api, user, *rows):
    """Delete every annotation, then POST `rows` to the import endpoint as `user`."""
    Annotation.objects.all().delete()
    Annotation.history.all().delete()
    body = "".join(json.dumps(row) + "\n" for row in rows)
    return api.as_user(user).post("/api/import/annotations", body,
                                  content_type="application/x-ndjson")


def test_a_restored_verdict_keeps_the_editor_who_set_it(api, carol, annotation):
    services.annotation_set_status(annotation=annotation, status="accepted", by=carol)
    row = _exported_row(annotation)
    assert row["status_set_by"] == "carol" and row["status_set_at"]
    response = _restore(api, carol, row)
    assert response.status_code == 200, response.content
    assert response.json()["messages"] == []
    (restored,) = Annotation.objects.all()
    assert (restored.status, restored.status_set_by) == ("accepted", carol)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"status_set_by": None, "status_set_at": None}, "without the editor who set it"),
        ({"status_set_by": "bob"}, "'bob', who is not an editor here"),
        ({"status_set_by": "nobody-here"}, "who is not an editor here"),
        ({"status_set_at": None}, "without the time it was set"),
    ],
)
def test_a_verdict_the_file_cannot_vouch_for_is_restored_as_submitted_and_reported(
    api, bob, carol, annotation, change, why
):
    services.annotation_set_status(annotation=annotation, status="rejected", by=carol,
                                   reason="Not in the text.")
    row = _exported_row(annotation) | change
    response = _restore(api, carol, row)
    assert response.status_code == 200, response.content
    (message,) = response.json()["messages"]
    assert message.startswith("line 1: rejected") and why in message
    (restored,) = Annotation.objects.all()
    assert (restored.status, restored.status_reason, restored.status_set_by) == (
        "submitted", "", None
    )
    assert restored.reviewer.username == "alice"  # the author is kept: that is a restore


@pytest.mark.parametrize(
    "when", ["9999-99-99", "0000-01-01T00:00:00Z", 10**20, 1e300, "0001-01-01T00:00:00+01:00",
             "9999-12-31T23:59:59-01:00", ["2024-01-01"], "2024-01-01T00:00:00\ud800"],
)
def test_an_out_of_range_timestamp_in_a_restored_row_is_a_line_error_not_a_500(
    api, carol, annotation, when
):
    row = _exported_row(annotation)
    _restore(api, carol)  # empty the annotations first: the fingerprint is taken after
    before = database_fingerprint()
    rows = [{**row, "note": "fine"}, {**row, "created_at": when}]
    body = "".join(json.dumps(r) + "\n" for r in rows)
    response = api.as_user(carol).post("/api/import/annotations", body,
                                       content_type="application/x-ndjson")
    _refused(response, "line 2", "created_at")
    assert database_fingerprint() == before


def test_a_status_that_is_not_text_is_a_line_error_not_a_500(api, carol, annotation):
    row = _exported_row(annotation) | {"status": ["accepted"]}
    _refused(_restore(api, carol, row), "line 1", "unknown status")


def test_the_restore_command_records_who_restored_which_file(carol, annotation, tmp_path):
    row = _exported_row(annotation)
    Annotation.objects.all().delete()
    Annotation.history.all().delete()
    path = tmp_path / "backup-2026-11-25.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    call_command("import_annotations", str(path), "--as", "carol", stdout=io.StringIO())
    (history,) = Annotation.history.all()
    assert history.history_user == carol
    assert history.history_change_reason == "restored from backup-2026-11-25.jsonl"


def test_the_restore_command_refuses_an_unknown_as_user(annotation, tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match="no active user"):
        call_command("import_annotations", str(path), "--as", "mallory")


def test_an_uploaded_restore_names_the_file_and_the_editor_in_the_history(
    api, carol, annotation
):
    row = _exported_row(annotation)
    Annotation.objects.all().delete()
    Annotation.history.all().delete()
    upload = SimpleUploadedFile("nightly.jsonl", (json.dumps(row) + "\n").encode())
    response = api.as_user(carol).post("/api/import/annotations", {"file": upload},
                                       format="multipart")
    assert response.status_code == 200, response.content
    (history,) = Annotation.history.all()
    assert (history.history_user, history.history_change_reason) == (
        carol, "restored from nightly.jsonl"
    )


@pytest.mark.parametrize("key", ["article_content_sha256", "reviewer", "status_set_by"])
@pytest.mark.parametrize("value", [["x"], {"x": 1}])
def test_a_list_or_object_where_a_restored_row_names_something_is_a_line_error(
    api, carol, annotation, key, value
):
    """They were hashed to look the names up for the whole file: TypeError, a 500."""
    row = _exported_row(annotation) | {key: value, "status": "accepted"}
    response = _restore(api, carol, row)
    if key == "status_set_by":  # a verdict by no one here: kept as submitted
        assert response.status_code == 200, response.content
        assert "who is not an editor here" in response.json()["messages"][0]
    else:
        _refused(response, "line 1", key)


def test_joining_onto_a_sentence_with_a_deleted_annotation_keeps_it_and_answers(
    api, alice, carol, article
):
    """The deleted annotation blocked the second sentence's delete: ProtectedError, a 500."""
    first, second = article.sentences.get(position=1), article.sentences.get(position=2)
    undone = services.annotation_create(reviewer=alice, sentence=second,
                                        label="unverified_claim")
    services.annotation_delete(annotation=undone, expected_version=1, by=alice)
    response = api.as_user(carol).post(f"/api/review/sentences/{first.pk}/join/")
    assert response.status_code == 200, response.content
    undone.refresh_from_db()
    assert undone.sentence_id == first.pk and undone.deleted_at is not None
    assert undone.quote == "The second sentence."
    assert article.body[undone.phrase_start:undone.phrase_end] == "The second sentence."


@pytest.mark.parametrize("value", [" ", "abc", str(10**30)])
def test_the_article_admin_shows_an_unreadable_publisher_as_a_form_error(
    client, root, article, value
):
    """The autocomplete widget looked the value up to label it: ValueError, a 500."""
    client.force_login(root)
    before = database_fingerprint()
    response = client.post(f"/admin/provenance/article/{article.pk}/change/",
                           {"title": "Changed", "publisher": value, "language": "en"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert database_fingerprint() == before
