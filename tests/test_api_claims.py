"""/api/claims/: content sentences with live annotations, filtered and paged by cursor."""

import datetime as dt

import pytest
from django.utils import timezone

from annotations import services
from annotations.models import Annotation
from provenance.services import source_create


@pytest.fixture(name="corpus")
def corpus_fixture(seeded, alice, bob, carol):
    """The seed articles with a small, varied review on two of them."""
    crypto, blog = seeded[2], seeded[1]
    content = list(crypto.sentences.filter(is_boilerplate=False).order_by("position"))
    other = list(blog.sentences.filter(is_boilerplate=False).order_by("position"))
    ruiz = source_create(name="Dana Ruiz", kind="official_person", aliases=["Mayor Ruiz"])
    gazette = source_create(name="Harbour Gazette", kind="news_outlet", reliability="high",
                            reliability_note="The city's paper of record.")
    s1, s2, s3 = content[1], content[3], content[5]
    phrase = (s2.start + 2, s2.start + 9)
    made = {
        "a_uc": services.annotation_create(
            reviewer=alice, sentence=s1, label="unverified_claim", note="=HYPERLINK(\"x\")"
        ),
        "b_uc": services.annotation_create(reviewer=bob, sentence=s1, label="unverified_claim"),
        "a_sf": services.annotation_create(
            reviewer=alice, sentence=s2, label="sensational_framing", phrase=phrase,
            note="Loaded word, \"quoted\", with a comma",
        ),
        "a_cs": services.annotation_create(
            reviewer=alice, sentence=s3, label="cited_source", source=ruiz
        ),
        "b_cs": services.annotation_create(
            reviewer=bob, sentence=s3, label="cited_source", source=gazette
        ),
        "b_other": services.annotation_create(
            reviewer=bob, sentence=other[0], label="unverified_claim"
        ),
    }
    deleted = services.annotation_create(
        reviewer=alice, sentence=content[7], label="unverified_claim"
    )
    services.annotation_delete(annotation=deleted, expected_version=1, by=alice)
    services.annotation_set_status(annotation=made["b_uc"], status="accepted", by=carol)
    return {"articles": seeded, "crypto": crypto, "blog": blog, "s1": s1, "s2": s2, "s3": s3,
            "ruiz": ruiz, "gazette": gazette, "deleted": deleted, **made}


def claim_ids(response):
    assert response.status_code == 200, response.content
    return [c["sentence"]["id"] for c in response.json()["results"]]


def test_a_claim_is_a_content_sentence_with_a_live_annotation(api, carol, corpus):
    ids = claim_ids(api.as_user(carol).get("/api/claims/"))
    expected = [corpus["b_other"].sentence_id, corpus["s1"].pk, corpus["s2"].pk, corpus["s3"].pk]
    assert sorted(ids) == sorted(expected)
    assert corpus["deleted"].sentence_id not in ids


def test_a_claim_lists_its_sentence_article_labels_annotations_sources_and_reviewers(
    api, carol, corpus
):
    response = api.as_user(carol).get(f"/api/claims/{corpus['s3'].pk}/")
    assert response.status_code == 200
    claim = response.json()
    s3 = corpus["s3"]
    assert claim["sentence"] == {
        "id": s3.pk, "position": s3.position, "start": s3.start, "end": s3.end, "text": s3.text
    }
    assert claim["article"]["title"] == corpus["crypto"].title
    assert claim["article"]["publisher"]["name"] == "Cryptopolitan"
    assert claim["labels"] == ["cited_source"]
    assert [s["name"] for s in claim["cited_sources"]] == ["Dana Ruiz", "Harbour Gazette"]
    assert claim["cited_sources"][1]["reliability"] == "high"
    assert claim["reviewer_count"] == 2
    first = claim["annotations"][0]
    assert first["reviewer"] == "alice" and first["source"]["kind"] == "official_person"
    assert set(first) >= {"id", "label", "phrase_start", "phrase_end", "quote", "note", "status",
                          "created_at", "updated_at"}


def test_a_phrase_annotation_shows_its_offsets_and_quote(api, carol, corpus):
    claim = api.as_user(carol).get(f"/api/claims/{corpus['s2'].pk}/").json()
    (annotation,) = claim["annotations"]
    body = corpus["crypto"].body
    assert body[annotation["phrase_start"] : annotation["phrase_end"]] == annotation["quote"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("label=cited_source", ["s3"]),
        ("label=cited_source&label=sensational_framing", ["s2", "s3"]),
        ("reviewer=bob", ["b_other", "s1", "s3"]),
        ("status=accepted", ["s1"]),
        ("source=harbour-gazette", ["s3"]),
        ("publisher=cryptopolitan", ["s1", "s2", "s3"]),
        ("q=RESILIENCE", ["s1"]),
        ("reviewer=nobody", []),
    ],
)
def test_claims_filter_by_label_reviewer_status_source_publisher_and_text(
    api, carol, corpus, query, expected
):
    corpus = {**corpus, "b_other": corpus["b_other"].sentence}
    if query == "q=RESILIENCE":
        # Pick a word only s1 contains, so the test follows the seed text.
        word = next(w for w in corpus["s1"].text.split() if len(w) > 6)
        query = f"q={word.upper()}"
    ids = claim_ids(api.as_user(carol).get(f"/api/claims/?{query}"))
    assert sorted(ids) == sorted(corpus[name].pk for name in expected)


def test_claims_filter_by_source_id_and_by_article(api, carol, corpus):
    ids = claim_ids(api.as_user(carol).get(f"/api/claims/?source={corpus['ruiz'].pk}"))
    assert ids == [corpus["s3"].pk]
    ids = claim_ids(api.as_user(carol).get(f"/api/claims/?article={corpus['blog'].pk}"))
    assert ids == [corpus["b_other"].sentence_id]


def test_annotation_filters_also_choose_which_annotations_a_claim_shows(api, carol, corpus):
    claim = api.as_user(carol).get(f"/api/claims/{corpus['s3'].pk}/?reviewer=bob").json()
    assert [a["reviewer"] for a in claim["annotations"]] == ["bob"]
    assert [s["name"] for s in claim["cited_sources"]] == ["Harbour Gazette"]
    assert claim["reviewer_count"] == 1


def test_claims_filter_by_created_date_range(api, carol, corpus):
    old = timezone.now() - dt.timedelta(days=40)
    Annotation.objects.filter(pk=corpus["b_other"].pk).update(created_at=old)
    day = old.date().isoformat()
    ids = claim_ids(
        api.as_user(carol).get(f"/api/claims/?created_after={day}&created_before={day}")
    )
    assert ids == [corpus["b_other"].sentence_id]
    ids = claim_ids(api.get(f"/api/claims/?created_after={timezone.now().date()}"))
    assert corpus["b_other"].sentence_id not in ids and len(ids) == 3


def test_claims_come_in_reading_order_by_default_and_newest_first_on_request(
    api, alice, carol, corpus
):
    ids = claim_ids(api.as_user(carol).get("/api/claims/"))
    blog_first = corpus["blog"].pk < corpus["crypto"].pk
    crypto = [corpus["s1"].pk, corpus["s2"].pk, corpus["s3"].pk]
    other = [corpus["b_other"].sentence_id]
    assert ids == (other + crypto if blog_first else crypto + other)
    services.annotation_create(reviewer=alice, sentence=corpus["s1"], label="sensational_framing")
    ids = claim_ids(api.get("/api/claims/?ordering=recent"))
    assert ids[0] == corpus["s1"].pk
    assert ids[1] == corpus["b_other"].sentence_id  # created last in the fixture


@pytest.mark.parametrize("ordering", ["position", "recent"])
def test_following_next_links_visits_every_claim_once(api, carol, corpus, ordering):
    everything = claim_ids(api.as_user(carol).get(f"/api/claims/?ordering={ordering}"))
    seen, url = [], f"/api/claims/?ordering={ordering}&page_size=1"
    while url:
        page = api.get(url).json()
        assert len(page["results"]) <= 1
        seen += [c["sentence"]["id"] for c in page["results"]]
        url = page["next"]
    assert seen == everything


def test_previous_links_lead_back_to_the_first_page(api, carol, corpus):
    api.as_user(carol)
    first = api.get("/api/claims/?page_size=2").json()
    second = api.get(first["next"]).json()
    back = api.get(second["previous"]).json()
    assert back["results"] == first["results"]
    assert first["previous"] is None


def test_page_size_is_capped_at_500(api, alice, make_article, make_annotation):
    article = make_article("\n".join(f"Sentence number {i} is here." for i in range(520)))
    for sentence in article.sentences.all():
        Annotation.objects.bulk_create(
            [Annotation(sentence=sentence, reviewer=alice, label="unverified_claim",
                        quote=sentence.text)]
        )
    page = api.as_user(alice).get("/api/claims/?page_size=1000").json()
    assert len(page["results"]) == 500 and page["next"]


@pytest.mark.parametrize(
    "query", ["cursor=nonsense", "ordering=sideways", "label=clickbait", "article=abc",
              "created_after=yesterday", "status=maybe"],
)
def test_bad_claim_parameters_are_a_400_naming_the_parameter(api, carol, corpus, query):
    response = api.as_user(carol).get(f"/api/claims/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def forget_permissions(user):
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)


def test_claims_of_pages_of_10_and_500_cost_the_same_queries(
    api, alice, bob, make_article, django_assert_num_queries
):
    article = make_article("\n".join(f"Sentence number {i} is here." for i in range(600)))
    rows = []
    for sentence in article.sentences.all():
        for reviewer in (alice, bob):
            rows.append(Annotation(sentence=sentence, reviewer=reviewer,
                                   label="unverified_claim", quote=sentence.text))
    Annotation.objects.bulk_create(rows)
    api.as_user(alice)
    for size in (10, 500):
        forget_permissions(alice)  # as a new request's user (force_authenticate keeps one)
        # alice's permissions and her groups' (is she an editor, who sees everyone's?),
        # the page of sentences, their annotations
        with django_assert_num_queries(4):
            response = api.get(f"/api/claims/?page_size={size}&label=unverified_claim")
        assert len(response.json()["results"]) == size


def test_anonymous_claims_request_is_a_401_with_a_token_challenge(api, corpus):
    response = api.get("/api/claims/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()


def test_claims_are_read_only(api, carol, corpus):
    response = api.as_user(carol).post("/api/claims/", {}, format="json")
    assert response.status_code == 405
    assert "detail" in response.json()
