"""Password guessing is throttled per account and per client, on every way in."""

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

LIMIT = 5  # SIGNIN_FAILURE_LIMIT's default


def _sign_in(client, username, password, **headers):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, **headers
    )


def _get_token(client, username, password, **headers):
    return client.post(
        "/api/auth/token/", {"username": username, "password": password}, format="json",
        **headers,
    )


@pytest.mark.django_db
def test_the_right_password_is_refused_after_five_wrong_ones_on_the_sign_in_page(client, alice):
    for _ in range(LIMIT - 1):
        assert _sign_in(client, "alice", "guess").status_code == 200  # the form again
    assert _sign_in(client, "alice", "guess").status_code == 429  # the fifth locks
    response = _sign_in(client, "alice", "alice-pw")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text and "15 minutes" in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_right_password_before_the_limit_signs_in_and_clears_the_count(client, alice):
    for _ in range(LIMIT - 1):
        _sign_in(client, "alice", "guess")
    assert _sign_in(client, "alice", "alice-pw").status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        _sign_in(client, "alice", "guess")
    assert _sign_in(client, "alice", "alice-pw").status_code == 302


@pytest.mark.django_db
def test_one_client_guessing_many_accounts_is_locked_out_too(client, alice, bob):
    for n in range(LIMIT):
        _sign_in(client, f"nobody-{n}", "guess")
    assert _sign_in(client, "bob", "bob-pw").status_code == 429


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_escape_the_limit(client, alice):
    for n in range(LIMIT):
        _sign_in(client, "alice", "guess", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = _sign_in(client, "alice", "alice-pw", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_clients_are_told_apart_by_the_address_it_forwards(client, db):
    for n in range(LIMIT):
        _sign_in(client, f"nobody-{n}", "guess", HTTP_X_FORWARDED_FOR="203.0.113.1")
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("erin", password="erin-pw")
    other = _sign_in(client, "erin", "erin-pw", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert other.status_code == 302  # another client behind the same proxy
    same = _sign_in(client, "erin", "erin-pw", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert same.status_code == 429


@pytest.mark.django_db
def test_the_token_endpoint_shares_the_lock_and_says_when_to_retry(alice):
    api = APIClient()
    for _ in range(LIMIT - 1):
        assert _get_token(api, "alice", "guess").status_code == 400
    assert _get_token(api, "alice", "guess").status_code == 429
    response = _get_token(api, "alice", "alice-pw")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.json()["detail"]
    assert int(response["Retry-After"]) == 15 * 60
    # The sign-in page is locked for the same account.
    assert _sign_in(Client(), "alice", "alice-pw").status_code == 429


@pytest.mark.django_db
def test_the_admin_sign_in_is_locked_out_as_well(client, carol):
    for _ in range(LIMIT):
        client.post("/admin/login/", {"username": "carol", "password": "guess"})
    response = client.post("/admin/login/", {"username": "carol", "password": "carol-pw"})
    assert response.status_code == 429
