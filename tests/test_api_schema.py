"""The OpenAPI schema tells the truth, the docs work offline, and real HTTP works."""

import json
import re
from urllib.parse import urljoin

import pytest
import requests
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from annotations import services

from .hostile import TALLY, database_fingerprint

# Every API endpoint, the review workflow's included.
OWN_PATHS = r"^/api/(annotations|claims|sources|articles|export|import|auth|review)/"
# Response checks. Whether schema-valid input is accepted cannot be judged from the schema
# (a valid-looking id may name no row), and lenient parsing (page_size=0 → the default) is
# deliberate, so positive_data_acceptance and negative_data_rejection are left out.
CHECKS = [
    not_a_server_error, status_code_conformance, content_type_conformance,
    response_schema_conformance, response_headers_conformance,
]


def _load_schema(*, modes=("positive",)):
    """The schema /api/schema/ serves, built in-process at collection (no database needed),
    run against the WSGI app: schemathesis' lazy fixture loader does not work on pytest 9."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    raw = OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    loaded = schemathesis.openapi.from_dict(json.loads(raw))
    loaded.app = get_wsgi_application()
    loaded.config.generation.update(modes=list(modes))
    return loaded.include(path_regex=OWN_PATHS)


schema = _load_schema()
# Negative testing: requests that break the schema (wrong types, missing fields, values
# out of range) as well as ones that keep it.
hostile_schema = _load_schema(modes=("positive", "negative"))
# Fuzzing only: the coverage phase's systematic variants are ~70 requests an operation,
# three minutes on a loaded CI machine; fuzzing's few per operation keep it near one.
hostile_schema.config.phases.update(phases=["examples", "fuzzing", "stateful"])
BOUNDED = settings(max_examples=6, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))


@pytest.fixture
def api_data(db, root, make_article, settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]  # schemathesis calls the app as localhost
    cache.clear()  # the token endpoint's throttle
    article = make_article("Headline\nOfficials say it will cost $5 million. Next one.")
    services.annotation_create(
        reviewer=root, sentence=article.sentences.get(position=1), label="unverified_claim"
    )
    token, _ = Token.objects.get_or_create(user=root)
    # The bare WSGI handler closes "old" connections after each request, which on
    # PostgreSQL closes the test's open transaction; Django's test client detaches the
    # same handler for the same reason.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield token.key
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=4, deadline=None, derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_makes_the_api_fail_or_contradict_its_schema(case, api_data):
    """Bounded: a few generated requests per operation, as a superuser (every write path)."""
    case.call_and_validate(headers={"Authorization": f"Token {api_data}"}, checks=CHECKS)


@hostile_schema.parametrize()
@BOUNDED
def test_no_schema_breaking_request_makes_the_api_fail_or_write(case, api_data):
    """Positive and negative cases per operation: never a 5xx, and a 4xx writes nothing."""
    before = database_fingerprint()
    response = case.call(headers={"Authorization": f"Token {api_data}"})
    case.validate_response(response, checks=[not_a_server_error])
    TALLY.record("schemathesis negative", server_error=response.status_code >= 500,
                 wrote=False)
    if 400 <= response.status_code < 500:
        assert database_fingerprint() == before, (case.method, case.path, response.text[:300])


def test_no_sequence_of_linked_api_calls_makes_the_api_fail(api_data):
    """Stateful: schemathesis chains operations by the links it infers (an id a POST
    returns, used by the GET/PATCH/DELETE/restore that take it), bounded."""
    token = api_data

    class Workflow(hostile_schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Token {token}"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            TALLY.record("schemathesis stateful", server_error=response.status_code >= 500,
                         wrote=False)
            case.validate_response(response, checks=[not_a_server_error])

    Workflow.run(settings=settings(BOUNDED, max_examples=6, stateful_step_count=6))


def test_the_schema_lists_every_endpoint_and_its_errors(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    for path in ["/api/claims/", "/api/claims/{id}/", "/api/sources/", "/api/articles/",
                 "/api/articles/{id}/sentences/", "/api/annotations/{id}/restore/",
                 "/api/export/annotations", "/api/import/annotations", "/api/auth/token/"]:
        assert path in paths
    claims = paths["/api/claims/"]["get"]
    params = {p["name"] for p in claims["parameters"]}
    assert {"label", "source", "publisher", "article", "reviewer", "created_after",
            "created_before", "status", "q", "ordering", "cursor", "page_size"} <= params
    assert {"200", "400", "401"} <= set(claims["responses"])
    assert "413" in paths["/api/articles/"]["post"]["responses"]
    assert "429" in paths["/api/auth/token/"]["post"]["responses"]
    patch = paths["/api/annotations/{id}/"]["patch"]["responses"]
    assert {"403", "404", "412", "428"} <= set(patch)


def test_the_api_docs_load_only_our_own_assets(client, alice):
    client.force_login(alice)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets, page.text
    for asset in assets:
        assert not asset.startswith(("http:", "https:", "//")), asset
        response = client.get(urljoin("/api/docs/", asset))
        assert response.status_code == 200, asset
    assert "<script>" not in page.text  # the split view keeps its script in a file


# live_server runs in another thread, so rows must be committed to be seen there.
@pytest.mark.django_db(transaction=True)
def test_a_token_holder_reads_claims_and_downloads_exports_over_http(live_server, alice, bob):
    from provenance.ingestion.parsers import ArticleInput
    from provenance.ingestion.services import article_import

    cache.clear()
    article = article_import(
        data=ArticleInput(origin="x.txt", text="Headline\nIt will cost $5 million. Next.")
    ).article
    # alice's own: until the article is adjudicated she sees no one else's
    # (test_independent_review.py).
    services.annotation_create(
        reviewer=alice, sentence=article.sentences.get(position=1), label="unverified_claim"
    )
    base = live_server.url
    token = requests.post(
        f"{base}/api/auth/token/", json={"username": "alice", "password": "alice-pw"}, timeout=10
    ).json()["token"]
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    claims = session.get(f"{base}/api/claims/?label=unverified_claim", timeout=10).json()
    assert claims["results"][0]["sentence"]["text"] == "It will cost $5 million."
    csv_download = session.get(f"{base}/api/export/annotations?format=csv", timeout=10)
    assert csv_download.content.startswith(b"\xef\xbb\xbf") and b"alice" in csv_download.content
    jsonld = session.get(f"{base}/api/export/annotations?format=jsonld", timeout=10).json()
    assert jsonld["total"] == 1
    assert requests.get(f"{base}/api/claims/", timeout=10).status_code == 401
