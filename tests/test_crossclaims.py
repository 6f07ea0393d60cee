"""Claims across articles on a real database: extraction and groups stored, decisions kept
by later runs, the claims page, the API and its exports, and the measurement on the seeds."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from crossclaims import evaluation, services
from crossclaims.models import Claim, ClaimGroup, ClaimLink, Decision, LinkDecision

GOLD = Path(__file__).parent / "data" / "crossclaims" / "seeds_gold.json"

FIRST = ("Trade report\nTrade between India and Japan reached $20 billion in 2019, "
         "according to the Trade Ministry.\n")
SECOND = "Another view\nBilateral trade between Japan and India was $31 billion in 2019.\n"
THIRD = "A third\nIndia and Japan saw trade of $20.2 billion in 2019.\n"


@pytest.fixture
def built(make_article):
    articles = [make_article(FIRST), make_article(SECOND), make_article(THIRD)]
    for article in articles:
        services.claims_extract(article=article)
    services.groups_rebuild()
    return articles


@pytest.fixture
def seeded_groups(seeded):
    call_command("build_claim_groups", stdout=io.StringIO())
    return seeded


def trade_group():
    return ClaimGroup.objects.get(claims__as_written="$20 billion")


def claims(group):
    return {c.as_written: c for c in Claim.objects.filter(group=group)}


def test_claims_about_one_measure_in_three_articles_form_one_group_with_its_conflict(built):
    group = trade_group()
    assert set(claims(group)) == {"$20 billion", "$31 billion", "$20.2 billion"}
    assert group.has_conflict and group.article_count == 3
    conflicting = {(link.claim_a.as_written, link.claim_b.as_written)
                   for link in group.links.filter(relation="conflicts")}
    assert any("$31 billion" in pair for pair in conflicting)


def test_rebuilding_keeps_group_ids_and_changes_nothing(built):
    before = list(ClaimGroup.objects.values_list("pk", "member_count", "has_conflict"))
    report = services.groups_rebuild()
    assert report.groups_created == 0 and report.groups_deleted == 0
    assert list(ClaimGroup.objects.values_list("pk", "member_count", "has_conflict")) == before


def test_reextracting_an_article_updates_claims_in_place(built):
    ids = set(Claim.objects.values_list("pk", flat=True))
    report = services.claims_extract(article=built[0])
    assert report.created == 0 and report.deleted == 0
    assert set(Claim.objects.values_list("pk", flat=True)) == ids


def test_the_cited_source_comes_from_the_registry(built, make_article):
    from provenance.services import source_create

    source = source_create(name="Trade Ministry", kind="government_body")
    services.claims_extract(article=built[0])
    assert Claim.objects.get(as_written="$20 billion").source == source


def test_a_split_link_stays_split_after_a_rebuild(built, alice):
    group = trade_group()
    c = claims(group)
    services.link_split(claim_a=c["$20 billion"], claim_b=c["$31 billion"], by=alice)
    for _ in range(2):
        c20, c31 = (Claim.objects.get(as_written=w) for w in ("$20 billion", "$31 billion"))
        assert c20.group_id is None or c20.group_id != c31.group_id
        services.groups_rebuild()
    decision = LinkDecision.objects.get()
    assert decision.decision == Decision.SPLIT and decision.decided_by == alice
    assert decision.history.count() == 1


def test_a_confirmed_link_survives_rules_that_would_part_it(built, alice):
    group = trade_group()
    c = claims(group)
    services.link_confirm(claim_a=c["$20 billion"], claim_b=c["$31 billion"], by=alice)
    Claim.objects.filter(pk=c["$31 billion"].pk).update(measure="something||else|USD")
    services.groups_rebuild()
    c20, c31 = (Claim.objects.get(as_written=w) for w in ("$20 billion", "$31 billion"))
    assert c20.group_id == c31.group_id is not None


def test_a_changed_mind_replaces_the_decision_and_history_keeps_both(built, alice):
    c = claims(trade_group())
    services.link_confirm(claim_a=c["$20 billion"], claim_b=c["$31 billion"], by=alice)
    services.link_split(claim_a=c["$31 billion"], claim_b=c["$20 billion"], by=alice, note="no")
    decision = LinkDecision.objects.get()
    assert decision.decision == Decision.SPLIT and decision.note == "no"
    assert decision.history.count() == 2


def test_only_editors_merge_groups(built, make_article, alice, carol):
    other = make_article("Cars\nJapan exported cars to India worth $4 billion in 2019.\n")
    extra = make_article("More cars\nIndia imported $4.1 billion of cars from Japan in 2019.\n")
    for article in (other, extra):
        services.claims_extract(article=article)
    services.groups_rebuild()
    cars = ClaimGroup.objects.get(claims__as_written="$4 billion")
    with pytest.raises(ValidationError):
        services.groups_merge(group=cars, into=trade_group(), by=alice)
    into = trade_group()
    services.groups_merge(group=cars, into=into, by=carol)
    assert not ClaimGroup.objects.filter(pk=cars.pk).exists()
    services.groups_rebuild()
    assert Claim.objects.get(as_written="$4 billion").group_id == into.pk


def test_a_retired_claim_keeps_its_decision(built, alice):
    c = claims(trade_group())
    services.link_split(claim_a=c["$20 billion"], claim_b=c["$31 billion"], by=alice)
    Claim.objects.filter(pk=c["$31 billion"].pk).update(start=1, end=2)  # extraction moves on
    report = services.claims_extract(article=Claim.objects.get(pk=c["$31 billion"].pk).article)
    assert report.retired == 1
    assert Claim.objects.get(pk=c["$31 billion"].pk).retired_at is not None


# --- the page ----------------------------------------------------------------------------

def test_the_claims_page_lists_conflicts_first_with_members_side_by_side(client, built, alice):
    client.force_login(alice)
    response = client.get(reverse("crossclaims:group-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Conflict" in page and "$31 billion" in page and "USD 31 billion" in page
    assert page.index("conflict-badge") < page.index("$20.2 billion")


def test_a_reviewer_splits_a_link_from_the_page(client, built, alice):
    group = trade_group()
    link = group.links.first()
    client.force_login(alice)
    response = client.post(reverse("crossclaims:link-decide", args=[group.pk]), {
        "claim_a": link.claim_a_id, "claim_b": link.claim_b_id, "decision": "split",
    })
    assert response.status_code == 302
    assert LinkDecision.objects.get().decision == Decision.SPLIT


def test_a_decision_from_a_stale_page_is_refused_and_changes_nothing(client, built, alice, bob):
    group = trade_group()
    link = group.links.first()
    client.force_login(bob)
    page = client.get(group.get_absolute_url()).content.decode()
    assert 'name="seen" value=""' in page  # bob's page shows no decision yet
    services.link_confirm(claim_a=Claim.objects.get(pk=link.claim_a_id),
                          claim_b=Claim.objects.get(pk=link.claim_b_id), by=alice)
    response = client.post(reverse("crossclaims:link-decide", args=[group.pk]), {
        "claim_a": link.claim_a_id, "claim_b": link.claim_b_id, "decision": "split",
        "seen": "",
    })
    assert response.status_code == 409
    page = response.content.decode()
    assert "decided since you loaded the page (confirmed link by alice)" in page
    decision = LinkDecision.objects.get()
    assert decision.decision == Decision.CONFIRMED and decision.decided_by == alice
    # Reloaded, the page carries the standing decision, and bob's word is taken.
    client.post(reverse("crossclaims:link-decide", args=[group.pk]), {
        "claim_a": link.claim_a_id, "claim_b": link.claim_b_id, "decision": "split",
        "seen": decision.version,
    })
    assert LinkDecision.objects.get().decision == Decision.SPLIT


def test_a_reviewer_cannot_merge_groups(client, built, alice):
    client.force_login(alice)
    group = trade_group()
    response = client.post(reverse("crossclaims:group-merge", args=[group.pk]), {"into": 1})
    assert response.status_code == 403


def test_the_claims_page_needs_a_sign_in(client, built):
    response = client.get(reverse("crossclaims:group-list"))
    assert response.status_code == 302


# --- the API -----------------------------------------------------------------------------

def test_the_api_lists_groups_with_members_links_and_decisions(api, built, alice,
                                                                django_assert_num_queries):
    c = claims(trade_group())
    services.link_confirm(claim_a=c["$20 billion"], claim_b=c["$20.2 billion"], by=alice)
    # alice's permissions and her groups' (a reader?), COUNT, page of groups, links,
    # members, decisions (force_authenticate: no session)
    with django_assert_num_queries(7):
        response = api.as_user(alice).get("/api/claim-groups/")
    assert response.status_code == 200
    (group,) = response.json()["results"]
    assert group["has_conflict"] is True
    values = {m["as_written"]: m["value"] for m in group["members"]}
    assert values["$31 billion"] == 31e9
    assert any(link["decision"] and link["decision"]["by"] == "alice"
               for link in group["links"])


@pytest.mark.parametrize("query, count", [
    ("conflict=true", 1), ("conflict=false", 0), ("subject=india", 1), ("subject=brazil", 0),
])
def test_the_api_filters_groups(api, built, alice, query, count):
    response = api.as_user(alice).get(f"/api/claim-groups/?{query}")
    assert response.json()["count"] == count


def test_the_api_filters_by_article_and_source(api, built, alice):
    assert api.as_user(alice).get(
        f"/api/claim-groups/?article={built[1].pk}").json()["count"] == 1
    assert api.get("/api/claim-groups/?source=no-such-source").json()["count"] == 0
    assert api.get("/api/claim-groups/?article=abc").status_code == 400


def test_anonymous_requests_get_401(api, built):
    assert api.get("/api/claim-groups/").status_code == 401
    assert api.get("/api/export/claim-groups").status_code == 401


def test_the_json_export_has_every_group(api, built, alice):
    response = api.as_user(alice).get("/api/export/claim-groups?format=json")
    assert response.status_code == 200
    data = json.loads(b"".join(response.streaming_content))
    assert [g["id"] for g in data] == [trade_group().pk]


def test_the_csv_export_neutralises_formulas(api, make_article, alice):
    articles = [make_article("=HYPERLINK(1)\nTrade between India and Japan reached $20 billion "
                             "in 2019.\n", title="=HYPERLINK(\"x\")"),
                make_article(SECOND)]
    for article in articles:
        services.claims_extract(article=article)
    services.groups_rebuild()
    response = api.as_user(alice).get("/api/export/claim-groups?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2
    assert {r["article_title"] for r in rows} >= {"'=HYPERLINK(\"x\")"}


def test_an_unknown_export_format_is_a_400(api, built, alice):
    assert api.as_user(alice).get("/api/export/claim-groups?format=xml").status_code == 400


def test_the_schema_documents_claim_groups(api, alice):
    schema = api.as_user(alice).get("/api/schema/?format=json").json()
    assert "/api/claim-groups/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/claim-groups/"]["get"]["parameters"]}
    assert {"subject", "article", "source", "conflict"} <= params
    assert "/api/export/claim-groups" in schema["paths"]


# --- the seeds ---------------------------------------------------------------------------

def seeds_scores():
    from crossclaims.models import ClaimLink
    from provenance.models import Article

    gold = evaluation.load_gold(GOLD)
    sentences, where = {}, {}
    for article in Article.objects.all():
        name = Path(article.origin).name
        sentences[name] = list(article.sentences.values_list("position", "text"))
    for claim in Claim.objects.select_related("article", "sentence"):
        where[claim.pk] = (Path(claim.article.origin).name, claim.sentence.position)
    groups = [[where[pk] for pk in Claim.objects.filter(group=g).values_list("pk", flat=True)]
              for g in ClaimGroup.objects.all()]
    conflicts = [(where[a], where[b]) for a, b in ClaimLink.objects.filter(
        relation="conflicts").values_list("claim_a_id", "claim_b_id")]
    return evaluation.score(gold, sentences, groups, conflicts)


def test_on_the_seeds_the_real_conflict_is_flagged_and_no_other(seeded_groups):
    scores = seeds_scores()
    assert scores.conflict_flagged
    assert scores.false_conflicts <= 1


def test_a_conflict_names_the_word_it_turns_on_as_written(seeded_groups):
    reasons = set(ClaimLink.objects.filter(relation="conflicts").values_list("reason", flat=True))
    assert "one says not 'allies', the other says it is" in reasons


def test_on_the_seeds_the_trade_figures_form_one_group(seeded_groups):
    group = ClaimGroup.objects.get(claims__as_written="190,000 million dollars")
    written = set(Claim.objects.filter(group=group).values_list("as_written", flat=True))
    assert {"$200 billion", "$240 billion", "146.88 billion dollars",
            "exceeded $100 billion"} <= written
    assert not group.has_conflict


def test_the_command_is_idempotent(seeded_groups):
    before = list(ClaimGroup.objects.order_by("pk").values_list("pk", "member_count"))
    out = io.StringIO()
    call_command("build_claim_groups", stdout=out)
    assert "0 new" in out.getvalue()
    assert list(ClaimGroup.objects.order_by("pk").values_list("pk", "member_count")) == before


# --- the workspace -----------------------------------------------------------------------

def test_a_sentence_in_a_group_links_to_it_in_the_workspace_with_its_conflict(
    client, built, alice
):
    group = trade_group()
    client.force_login(alice)
    page = client.get(reverse("annotations:article-review", args=[built[0].pk])).content.decode()
    assert f'href="{group.get_absolute_url()}#g{group.pk}"' in page
    assert "sentence-marker is-warning" in page and "(conflict)" in page


def test_a_sentence_in_no_group_has_no_marker(client, make_article, alice):
    article = make_article(FIRST)
    client.force_login(alice)
    page = client.get(reverse("annotations:article-review", args=[article.pk])).content.decode()
    assert "sentence-marker" not in page
