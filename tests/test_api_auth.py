"""Signing in to the API: sessions with CSRF, personal tokens, and 401 for everyone else."""

import re

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

ENDPOINTS = [
    "/api/claims/", "/api/sources/", "/api/articles/", "/api/annotations/",
    "/api/export/annotations",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_requests_get_401_with_a_challenge(api, url, db):
    response = api.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_a_token_from_username_and_password_opens_the_api(alice):
    client = APIClient()
    response = client.post(
        "/api/auth/token/", {"username": "alice", "password": "alice-pw"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=alice).key == token
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/claims/").status_code == 200


def test_a_wrong_password_gets_no_token(alice):
    response = APIClient().post(
        "/api/auth/token/", {"username": "alice", "password": "guess"}, format="json"
    )
    assert response.status_code == 400
    assert "Unable to log in" in response.json()["non_field_errors"][0]
    assert not Token.objects.exists()


def test_token_requests_are_rate_limited_per_client_even_with_the_right_password(alice):
    """Wrong passwords meet the sign-in lock first (tests/test_signin_throttle.py); the
    rate throttle also caps a client hammering the endpoint with a valid password."""
    client = APIClient()
    codes = [
        client.post("/api/auth/token/", {"username": "alice", "password": "alice-pw"}).status_code
        for _ in range(11)
    ]
    assert codes[:10] == [200] * 10 and codes[10] == 429


def test_sign_in_attempts_are_counted_in_the_database_every_instance_shares(alice):
    """The throttle's counts live in the database cache, not in one worker's memory, so
    ten gunicorn workers on two instances do not allow ten times the rate."""
    client = APIClient()
    client.post("/api/auth/token/", {"username": "alice", "password": "guess"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM provenance_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("throttle_token" in key for key in keys)


def test_a_bad_token_is_a_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get("/api/claims/")
    assert response.status_code == 401 and response.json()["detail"] == "Invalid token."


def test_session_writes_need_the_csrf_token(alice, make_article):
    sentence = make_article().sentences.get(position=1)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        "/api/annotations/", {"sentence": sentence.pk, "label": "unverified_claim"},
        format="json",
    )
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_the_account_page_creates_shows_once_and_revokes_a_token(client, alice):
    client.force_login(alice)
    page = client.get("/account/token/")
    assert page.status_code == 200 and "You have no API token" in page.text
    created = client.post("/account/token/", {"action": "create"})
    key = Token.objects.get(user=alice).key
    assert key in created.text
    assert key not in client.get("/account/token/").text  # shown once only
    replaced = client.post("/account/token/", {"action": "create"})
    new_key = Token.objects.get(user=alice).key
    assert new_key != key and new_key in replaced.text
    client.post("/account/token/", {"action": "revoke"})
    assert not Token.objects.filter(user=alice).exists()


def test_the_account_page_has_no_inline_script_or_style(client, alice):
    client.force_login(alice)
    html = client.post("/account/token/", {"action": "create"}).text
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html and not re.search(r"\son[a-z]+=", html)
    assert "script-src 'self'" in client.get("/account/token/")["Content-Security-Policy"]


def test_the_account_page_needs_a_signed_in_user(client, db):
    response = client.get("/account/token/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
