"""Who may do what on an article under review and on a closed one: every role against every
surface (workspace page, claims, annotations list/detail/write, export, finish, join and
split). Alice is assigned and wrote the annotation; bob is a reviewer not assigned."""

import pytest
from django.urls import reverse

from annotations import services
from review import services as review_services

from .test_independent_review import close

# What each one gets, as status codes (claims and export: also how many of alice's rows).
# Anonymous: 401 from the API, the sign-in page (302) from pages.
OPEN = {
    "anonymous": dict(page=302, claims=401, listed=401, detail=401, write=401, export=401,
                      finish=302, split=401),
    "rita": dict(page=403, claims=(200, 0), listed=403, detail=403, write=403,
                 export=(200, 0), finish=403, split=403),
    "alice": dict(page=200, claims=(200, 1), listed=(200, 1), detail=200, write=200,
                  export=(200, 1), finish=302, split=200),
    # bob's split: refused (400) as alice annotated the sentence, without naming her label
    # (test_a_boundary_refusal_does_not_tell_an_independent_reviewer_what_others_wrote).
    "bob": dict(page=200, claims=(200, 0), listed=(200, 0), detail=404, write=403,
                export=(200, 0), finish=403, split=400),
    "carol": dict(page=200, claims=(200, 1), listed=(200, 1), detail=200, write=403,
                  export=(200, 1), finish=403, split=200),
    "root": dict(page=200, claims=(200, 1), listed=(200, 1), detail=200, write=403,
                 export=(200, 1), finish=403, split=200),
}
CLOSED = {
    **OPEN,
    "rita": {**OPEN["rita"], "claims": (200, 1), "export": (200, 1)},
    "alice": {**OPEN["alice"], "write": 409, "split": 409},
    "bob": {**OPEN["bob"], "claims": (200, 1), "listed": (200, 1), "detail": 200,
            "export": (200, 1), "split": 409},
}


def _count(response, key):
    if response.status_code != 200:
        return response.status_code
    if key == "export":
        return 200, b"".join(response.streaming_content).count(b"alice")
    rows = response.json()["results"]
    if key == "claims":
        return 200, sum(a["reviewer"] == "alice" for c in rows for a in c["annotations"])
    return 200, sum(a["reviewer"] == "alice" for a in rows)


def observe(client, api, user, review):
    """Every surface as `user` sees it (None: signed out)."""
    article, annotation, sentence = review["article"], review["alices"], review["s1"]
    if user is not None:
        client.force_login(user)
        api.force_authenticate(user)
    seen = {
        "page": client.get(reverse("annotations:article-review", args=[article.pk])),
        "claims": api.get("/api/claims/"),
        "listed": api.get("/api/annotations/"),
        "detail": api.get(f"/api/annotations/{annotation.pk}/"),
        "write": api.patch(f"/api/annotations/{annotation.pk}/", {"note": "x"},
                           HTTP_IF_MATCH=annotation.etag),
        "export": api.get("/api/export/annotations?format=csv"),
        "finish": client.post(reverse("review:article-finish", args=[article.pk]),
                              {"confirm": "yes"}),
        "split": api.post(f"/api/review/sentences/{sentence.pk}/split/",
                          {"at": sentence.start + 8}),
    }
    return {key: _count(r, key) if key in ("claims", "listed", "export") else r.status_code
            for key, r in seen.items()}


@pytest.fixture(name="review")
def review_fixture(make_article, alice, assign):
    article = make_article("Headline Words Here\nExperts say it will double. Next one.\n")
    assign(alice, article)
    s1 = article.sentences.get(position=1)
    s1_end = s1.start + 8
    alices = services.annotation_create(reviewer=alice, sentence=s1, label="unverified_claim",
                                        phrase=(s1_end + 1, s1.end))
    return {"article": article, "s1": s1, "alices": alices}


@pytest.mark.parametrize("state", ["open", "closed"])
@pytest.mark.parametrize("who", list(OPEN))
def test_each_role_sees_and_does_what_the_matrix_says(
    client, api, people, rita, carol, review, who, state
):
    if state == "closed":
        close(review["article"], carol)
    user = rita if who == "rita" else people[who]
    expected = (OPEN if state == "open" else CLOSED)[who]
    assert observe(client, api, user, review) == expected


def test_a_reader_is_sent_from_the_home_page_to_their_token(client, rita):
    client.force_login(rita)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("account-token")
    assert "Reader" in response.content.decode()
    made = client.post(reverse("account-token"), {"action": "create"})
    assert made.status_code == 200 and rita.auth_token.key in made.content.decode()


def test_a_readers_token_reads_only_adjudicated_claims(api, rita, carol, review):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=rita)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/claims/").json()["results"] == []
    assert api.get(f"/api/articles/{review['article'].pk}/").status_code == 404
    close(review["article"], carol)
    claims = api.get("/api/claims/").json()["results"]
    assert [c["sentence"]["id"] for c in claims] == [review["s1"].pk]
    assert claims[0]["decision"]["labels"] == ["unverified_claim"]
    assert api.get(f"/api/articles/{review['article'].pk}/").status_code == 200
    refused = api.get("/api/suggestions/")
    assert refused.status_code == 403 and "Reader" in refused.json()["detail"]


def test_a_reader_opens_no_review_page(client, rita, review):
    client.force_login(rita)
    for name, args in [("review:queue", []), ("annotations:guide", []),
                       ("review:overview", []), ("crossclaims:group-list", []),
                       ("annotations:sentence", [review["s1"].pk])]:
        response = client.get(reverse(name, args=args))
        if name == "review:queue":
            assert response.status_code == 302
            continue
        assert response.status_code == 403, name
        assert "Reader" in response.content.decode()


def test_an_unassigned_reviewer_finishing_leaves_the_review_status_as_it_was(
    client, bob, review
):
    from review.selectors import with_review_status

    client.force_login(bob)
    client.post(reverse("review:article-finish", args=[review["article"].pk]),
                {"confirm": "yes"})
    article = with_review_status(type(review["article"]).objects).get(pk=review["article"].pk)
    assert article.review_status == "in_review"
    assert not review["article"].assignments.filter(reviewer=bob).exists()
    with pytest.raises(Exception, match="not assigned"):
        review_services.article_finish(reviewer=bob, article=review["article"])


def test_a_boundary_refusal_does_not_tell_an_independent_reviewer_what_others_wrote(
    api, bob, review
):
    sentence = review["s1"]
    response = api.as_user(bob).post(f"/api/review/sentences/{sentence.pk}/split/",
                                     {"at": sentence.start + 8})
    assert response.status_code == 400
    detail = str(response.json())
    assert "Another reviewer has annotated this sentence" in detail
    assert "alice" not in detail and "Unverified" not in detail
