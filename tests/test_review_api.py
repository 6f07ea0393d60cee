"""The review workflow over the API, with the same permissions as the admin and pages."""

import pytest

from annotations import services
from annotations.models import Annotation
from provenance.models import Source
from provenance.services import source_create
from review import services as review_services
from review.models import Assignment

CAST = ["anonymous", "alice", "bob", "carol", "root"]
EDITORS_ONLY = [401, 403, 403, 200, 200]


@pytest.fixture
def people(alice, bob, carol, root):
    return {"anonymous": None, "alice": alice, "bob": bob, "carol": carol, "root": root}


@pytest.fixture
def article(make_article):
    return make_article("Headline Words\nExperts say it. Reuters said so. Third.")


@pytest.fixture
def annotation(article, alice):
    return services.annotation_create(reviewer=alice, sentence=article.sentences.get(position=1),
                                      label="unverified_claim")


def client_for(api, user):
    return api.as_user(user) if user is not None else api


def expected_for_cast(outcomes):
    return list(zip(CAST, outcomes, strict=True))


@pytest.mark.parametrize(("who", "expected"), expected_for_cast(EDITORS_ONLY))
def test_only_editors_give_verdicts(api, people, annotation, who, expected):
    response = client_for(api, people[who]).post(
        f"/api/review/annotations/{annotation.pk}/verdict/", {"status": "rejected"}
    )
    assert response.status_code == expected
    annotation.refresh_from_db()
    assert annotation.status == ("rejected" if expected == 200 else "submitted")


@pytest.mark.parametrize(("who", "expected"), expected_for_cast([401, 403, 403, 201, 201]))
def test_only_editors_assign(api, people, article, alice, who, expected):
    response = client_for(api, people[who]).post(
        "/api/review/assignments/", {"article": article.pk, "reviewer": "alice"}
    )
    assert response.status_code == expected
    assert Assignment.objects.count() == (1 if expected == 201 else 0)


def test_reviewers_see_only_their_own_assignments(api, article, alice, bob, carol):
    api.as_user(carol).post("/api/review/assignments/", {"article": article.pk,
                                                         "reviewer": "alice"})
    api.as_user(carol).post("/api/review/assignments/", {"article": article.pk,
                                                         "reviewer": "bob"})
    mine = api.as_user(alice).get("/api/review/assignments/").json()["results"]
    assert [a["reviewer"] for a in mine] == ["alice"]
    assert len(api.as_user(carol).get("/api/review/assignments/").json()["results"]) == 2


def test_an_editor_reassigns_and_unassigns(api, article, alice, bob, carol):
    api.as_user(carol)
    created = api.post("/api/review/assignments/", {"article": article.pk,
                                                    "reviewer": "alice"}).json()
    response = api.patch(f"/api/review/assignments/{created['id']}/", {"reviewer": "bob"})
    assert response.status_code == 200 and response.json()["reviewer"] == "bob"
    assert api.delete(f"/api/review/assignments/{created['id']}/").status_code == 204
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(("who", "expected"), expected_for_cast(EDITORS_ONLY))
def test_only_editors_merge_sources(api, people, who, expected):
    survivor = source_create(name="Reuters", kind="wire_agency")
    duplicate = source_create(name="Reuters news agency", kind="wire_agency")
    response = client_for(api, people[who]).post(
        f"/api/review/sources/{survivor.pk}/merge/", {"duplicates": [duplicate.pk]}
    )
    assert response.status_code == expected
    assert Source.objects.count() == (1 if expected == 200 else 2)


@pytest.mark.parametrize(("who", "expected"), expected_for_cast(EDITORS_ONLY))
def test_only_editors_read_agreement(api, people, article, who, expected):
    response = client_for(api, people[who]).get(f"/api/review/articles/{article.pk}/agreement/")
    assert response.status_code == expected
    if expected == 200:
        assert {row["label"] for row in response.json()} == {
            "sensational_framing", "unverified_claim", "cited_source"}


def test_closing_with_undecided_sentences_is_a_400_with_the_reason(api, carol, article, annotation):
    response = api.as_user(carol).post(f"/api/review/articles/{article.pk}/close/")
    assert response.status_code == 400
    assert "no final decision" in response.json()["detail"]
    api.post(f"/api/review/annotations/{annotation.pk}/verdict/", {"status": "accepted"})
    for sentence in article.sentences.exclude(pk=annotation.sentence_id):
        review_services.sentence_decide(sentence=sentence, labels=[], by=carol)
    response = api.post(f"/api/review/articles/{article.pk}/close/")
    assert response.status_code == 200 and response.json()["review_status"] == "adjudicated"


@pytest.mark.parametrize(("who", "expected"), expected_for_cast([401, 200, 400, 200, 200]))
def test_boundaries_can_be_changed_by_reviewers_unless_another_annotated(
    api, people, article, annotation, who, expected
):
    # alice annotated sentence 1: bob may not join it with sentence 2, alice and editors may.
    sentence = article.sentences.get(position=1)
    response = client_for(api, people[who]).post(f"/api/review/sentences/{sentence.pk}/join/")
    assert response.status_code == expected
    joined = expected == 200
    assert article.sentences.count() == (3 if joined else 4)
    annotation.refresh_from_db()
    assert annotation.quote == "Experts say it."


def test_a_join_sent_twice_with_the_offsets_read_joins_once_and_then_409s(
    api, carol, article
):
    sentence = article.sentences.get(position=1)
    read = {"start": sentence.start, "end": sentence.end}
    url = f"/api/review/sentences/{sentence.pk}/join/"
    assert api.as_user(carol).post(url, read, format="json").status_code == 200
    response = api.as_user(carol).post(url, read, format="json")
    assert response.status_code == 409
    assert "This sentence changed meanwhile" in response.json()["detail"]
    assert article.sentences.count() == 3
    split = api.as_user(carol).post(f"/api/review/sentences/{sentence.pk}/split/",
                                    {"at": sentence.start + 3, **read}, format="json")
    assert split.status_code == 409 and article.sentences.count() == 3


def test_a_verdict_on_an_unknown_status_is_a_400(api, carol, annotation):
    response = api.as_user(carol).post(f"/api/review/annotations/{annotation.pk}/verdict/",
                                       {"status": "maybe"})
    assert response.status_code == 400 and "status" in response.json()
    assert Annotation.objects.get().status == "submitted"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/review/annotations/999/verdict/"),
        ("post", "/api/review/articles/999/close/"),
        ("get", "/api/review/articles/999/agreement/"),
        ("post", "/api/review/sources/999/merge/"),
        ("post", "/api/review/sentences/999/join/"),
        ("post", "/api/review/sentences/999/split/"),
    ],
)
def test_unknown_objects_are_a_json_404(api, carol, method, url):
    response = getattr(api.as_user(carol), method)(url, {"status": "accepted", "at": 3,
                                                         "duplicates": [1]})
    assert response.status_code == 404
    assert "detail" in response.json()
