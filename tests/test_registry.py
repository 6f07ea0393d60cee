"""The source registry's rules, through the services and the API: one name means one
source, bad input is refused naming the field, and a refusal writes nothing."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from provenance import services as registry
from provenance.models import Source, SourceAlias
from provenance.services import source_create


@pytest.fixture
def ruiz(db):
    return source_create(name="Dana Ruiz", kind="official_person", aliases=["Mayor Ruiz"])


def registry_rows():
    """Everything the registry holds, history included: unchanged means nothing written."""
    return (
        sorted(Source.objects.values_list("name", "slug", "kind", "reliability")),
        sorted(SourceAlias.objects.values_list("source__name", "alias")),
        Source.history.count(),
        SourceAlias.history.count(),
    )


def post_source(api, carol, **body):
    return api.as_user(carol).post("/api/sources/", body, format="json")


# Through the API ---------------------------------------------------------------------------


def test_an_alias_given_twice_is_a_400_naming_it_and_nothing_is_written(api, carol, ruiz):
    before = registry_rows()
    response = post_source(api, carol, name="Brookhaven Transit Authority",
                           aliases=["BTA", " bta"])
    assert response.status_code == 400
    assert response.json() == {"aliases": ["“bta” is given twice."]}
    assert registry_rows() == before


def test_an_alias_held_by_another_source_is_a_400_naming_it_and_nothing_is_written(
    api, carol, ruiz
):
    before = registry_rows()
    response = post_source(api, carol, name="Ruiz campaign", aliases=["Team Ruiz", "MAYOR RUIZ"])
    assert response.status_code == 400
    assert response.json() == {
        "aliases": ["“MAYOR RUIZ” is already in the registry, as an alias of “Dana Ruiz”."]
    }
    assert registry_rows() == before


def test_an_alias_equal_to_another_sources_name_is_a_400_and_nothing_is_written(
    api, carol, ruiz
):
    before = registry_rows()
    response = post_source(api, carol, name="City Hall", aliases=["dana  ruiz"])
    assert response.status_code == 400
    assert response.json() == {
        "aliases": ["“dana ruiz” is already in the registry, as the name of “Dana Ruiz”."]
    }
    assert registry_rows() == before


def test_an_alias_equal_to_the_new_sources_own_name_is_a_400(api, carol):
    response = post_source(api, carol, name="City Hall", aliases=["city hall"])
    assert response.status_code == 400
    assert response.json() == {"aliases": ["“city hall” is the source's own name."]}
    assert not Source.objects.exists()


def test_a_rating_without_its_rationale_is_a_400_naming_the_rationale(api, carol):
    response = post_source(api, carol, name="City Hall", reliability="high")
    assert response.status_code == 400
    assert response.json() == {"reliability_note": ["Say why: a rating needs its rationale."]}
    assert not Source.objects.exists()


def test_a_source_created_with_a_rating_records_who_rated_it(api, carol):
    response = post_source(api, carol, name="City Hall", reliability="high",
                           reliability_note="Publishes minutes of every meeting.")
    assert response.status_code == 201
    source = Source.objects.get()
    assert (source.reliability_set_by, source.created_by) == (carol, carol)
    assert [(h.history_type, h.history_user) for h in source.history.all()] == [("+", carol)]


# Through the services ----------------------------------------------------------------------


def test_a_source_cannot_take_another_sources_name_as_an_alias(carol, ruiz):
    gazette = source_create(name="Harbour Gazette")
    before = registry_rows()
    with pytest.raises(ValidationError) as refused:
        registry.source_alias_add(source=gazette, alias="Dana Ruiz", by=carol)
    assert refused.value.message_dict == {
        "aliases": ["“Dana Ruiz” is already in the registry, as the name of “Dana Ruiz”."]
    }
    assert registry_rows() == before


def test_a_source_cannot_be_renamed_to_another_sources_alias(carol, ruiz):
    gazette = source_create(name="Harbour Gazette")
    before = registry_rows()
    with pytest.raises(ValidationError) as refused:
        registry.source_update(source=gazette, by=carol, name="mayor ruiz")
    assert refused.value.message_dict == {
        "name": ["“mayor ruiz” is already in the registry, as an alias of “Dana Ruiz”."]
    }
    assert registry_rows() == before


def test_a_source_may_change_the_case_of_its_own_name(carol, ruiz):
    registry.source_update(source=ruiz, by=carol, name="DANA RUIZ")
    ruiz.refresh_from_db()
    assert ruiz.name == "DANA RUIZ"


def test_a_removed_alias_can_name_another_source(carol, ruiz):
    registry.source_alias_remove(source=ruiz, alias="mayor  ruiz", by=carol)
    other = source_create(name="Mayor Ruiz", kind="official_person")
    assert registry.source_find("mayor ruiz") == other


def test_an_update_changes_fields_and_rating_in_one_history_row(carol, ruiz):
    before = ruiz.history.count()
    registry.source_update(
        source=ruiz, by=carol, kind="government_body", country="Ireland",
        reliability="mixed", reliability_note="Speaks for the council; often unsourced.",
    )
    assert ruiz.history.count() == before + 1
    row = ruiz.history.latest("history_date")
    assert (row.kind, row.country, row.reliability, row.reliability_set_by) == (
        "government_body", "Ireland", "mixed", carol
    )
    assert row.history_user == carol
    assert row.history_change_reason == "edited kind, country; reliability: mixed"


def test_an_update_that_changes_nothing_writes_nothing(carol, ruiz):
    before = registry_rows()
    registry.source_update(source=ruiz, by=carol, name=" Dana  Ruiz ", kind="official_person")
    assert registry_rows() == before


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Dana\x00Ruiz", "The name contains U+0000, a control character; remove it."),
        ("Dana \ud800", "The name contains U+D800, half of a character (a lone surrogate); "
                        "remove it."),
        ("\ufffd\ufffd", "The name contains U+FFFD, the mark of text that was not valid "
                         "UTF-8; remove it."),
        ("   ", "The name cannot be empty."),
        ("x" * 201, "The name is 201 characters long; the most is 200."),
    ],
)
def test_a_name_that_cannot_be_stored_is_refused_naming_the_field(db, name, said):
    with pytest.raises(ValidationError) as refused:
        source_create(name=name)
    assert refused.value.message_dict == {"name": [said]}
    assert not Source.objects.exists()


def test_a_source_proposed_as_invalid_utf8_from_the_workspace_is_a_400(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("annotations:source-propose"), b"name=%FF%FE&kind=other",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "U+FFFD" in response.json()["errors"]["name"][0]
    assert not Source.objects.exists()


def test_a_proposed_source_names_the_reviewer_in_its_history(client, alice):
    client.force_login(alice)
    response = client.post(reverse("annotations:source-propose"),
                           {"name": "Brookhaven Transit Authority", "kind": "government_body"})
    assert response.status_code == 201
    row = Source.objects.get().history.get()
    assert (row.history_user, row.history_change_reason) == (alice, "proposed while citing")


# Committed transactions, so two connections see each other.
@pytest.mark.django_db(transaction=True)
def test_two_editors_giving_one_name_at_once_leave_it_to_one_source(monkeypatch):
    """One creates a source called "BTA" while the other gives "BTA" to another source as
    an alias. Each check reads the other's table, so without the names lock both would
    find the name free and commit: one name, two sources."""
    if connection.vendor == "sqlite" and "memory" in connection.settings_dict["NAME"]:
        pytest.skip("an in-memory SQLite database cannot be shared by two connections")
    other = source_create(name="Brookhaven Transit Authority")
    looked_up = registry._holder

    def slow_holder(name):
        found = looked_up(name)
        time.sleep(0.3)  # a window in which the other writer reads the same answer
        return found

    monkeypatch.setattr(registry, "_holder", slow_holder)
    outcomes = []

    def run(write):
        try:
            write()
            outcomes.append("written")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connection.close()

    writers = [
        threading.Thread(target=run, args=(lambda: source_create(name="BTA"),)),
        threading.Thread(target=run, args=(
            lambda: registry.source_alias_add(source=other, alias="BTA", by=None),
        )),
    ]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    assert outcomes.count("written") == 1
    assert any("already in the registry" in said for said in outcomes)
    holders = Source.objects.filter(name="BTA").count() + SourceAlias.objects.filter(
        alias="BTA").count()
    assert holders == 1
