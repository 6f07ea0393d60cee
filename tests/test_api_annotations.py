"""/api/annotations/: the permission matrix and the filters added for the claims API."""

import pytest

from annotations import services
from annotations.models import Annotation


@pytest.fixture
def sentence(make_article):
    article = make_article("Headline\nOfficials say the plan will cost $5 million. Next.")
    return article.sentences.get(position=1)


@pytest.fixture
def alices(alice, sentence):
    return services.annotation_create(
        reviewer=alice, sentence=sentence, label="unverified_claim", note="original"
    )


def as_(api, users, who):
    return api.as_user(users[who]) if who != "anonymous" else api


@pytest.fixture
def users(alice, bob, carol, root):
    return {"alice": alice, "bob": bob, "carol": carol, "root": root}


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("alice", 200), ("bob", 403), ("carol", 403), ("root", 200)],
)
def test_only_the_author_edits_an_annotation(api, users, alices, who, status):
    if who == "root":
        alices.reviewer = users["root"]  # a superuser edits their own, like anyone
        Annotation.objects.filter(pk=alices.pk).update(reviewer=users["root"])
    response = as_(api, users, who).patch(
        f"/api/annotations/{alices.pk}/", {"note": "changed", "version": 1}, format="json"
    )
    assert response.status_code == status
    alices.refresh_from_db()
    assert alices.note == ("changed" if status == 200 else "original")


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("bob", 403), ("carol", 403), ("alice", 200)]
)
def test_only_the_author_deletes_an_annotation(api, users, alices, who, status):
    response = as_(api, users, who).delete(f"/api/annotations/{alices.pk}/?version=1")
    assert response.status_code == status
    alices.refresh_from_db()
    assert alices.is_deleted == (status == 200)


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("bob", 404), ("alice", 200), ("carol", 200), ("root", 200)],
)
def test_the_author_and_editors_restore_a_deleted_annotation(api, users, alices, who, status):
    services.annotation_delete(annotation=alices, expected_version=1, by=users["alice"])
    response = as_(api, users, who).post(f"/api/annotations/{alices.pk}/restore/")
    assert response.status_code == status
    alices.refresh_from_db()
    assert alices.is_deleted == (status != 200)


def test_a_stale_version_is_412_and_a_missing_one_428(api, alice, alices):
    api.as_user(alice)
    url = f"/api/annotations/{alices.pk}/"
    assert api.patch(url, {"note": "x"}, format="json").status_code == 428
    response = api.patch(url, {"note": "x"}, format="json", HTTP_IF_MATCH=f'"{alices.pk}-9"')
    assert response.status_code == 412 and response.json()["current"]["note"] == "original"


def test_annotations_filter_by_label_status_and_source(api, alice, bob, carol, sentence, alices):
    from provenance.services import source_create

    source = source_create(name="Dana Ruiz", kind="official_person")
    services.annotation_create(reviewer=bob, sentence=sentence, label="cited_source",
                               source=source)
    api.as_user(carol)  # who sees everyone's (test_independent_review.py)
    ids = lambda q: [a["id"] for a in api.get(f"/api/annotations/?{q}").json()["results"]]  # noqa: E731
    assert len(ids("label=cited_source")) == 1
    assert ids("source=dana-ruiz") == ids(f"source={source.pk}") == ids("reviewer=bob")
    assert ids("status=submitted") and not ids("status=accepted")
    assert api.get("/api/annotations/?article=abc").status_code == 400


def test_reviewers_list_only_their_own_deleted_annotations_and_editors_all(
    api, alice, bob, carol, sentence, alices
):
    bobs = services.annotation_create(reviewer=bob, sentence=sentence, label="unverified_claim")
    for annotation, by in ((alices, alice), (bobs, bob)):
        services.annotation_delete(annotation=annotation, expected_version=1, by=by)
    mine = api.as_user(alice).get("/api/annotations/?deleted=true").json()["results"]
    assert [a["id"] for a in mine] == [alices.pk]
    every = api.as_user(carol).get("/api/annotations/?deleted=true").json()["results"]
    assert {a["id"] for a in every} == {alices.pk, bobs.pk}


def test_a_malformed_annotation_id_is_a_404_not_a_server_error(api, alice):
    response = api.as_user(alice).get("/api/annotations/null,null/")
    assert response.status_code == 404
    assert "detail" in response.json()
