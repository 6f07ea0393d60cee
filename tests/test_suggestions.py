"""Suggestions in the app: computed after import, answered by reviewers, measured for
editors, and kept apart from human work."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from annotations.models import Annotation, Label, Status
from provenance.models import Source
from provenance.services import source_create
from review.agreement import article_agreement
from suggestions import services
from suggestions.models import (
    Decision,
    MutingPolicy,
    RuleSetting,
    Suggestion,
    SuggestionDecision,
)

# The worker's tasks run as they are queued; test_suggestion_worker.py runs the real worker.
pytestmark = pytest.mark.usefixtures("tasks_run_at_once")

TEXT = (
    "Stadium plan SHOCKS Brookhaven\n"
    "The stadium will cost $900 million.\n"
    "Experts say the merger will cut prices.\n"
    "Norvale CFO Priya Shah told the Harbour Gazette that the deal closes in June.\n"
    "The council's draconian parking rules will crush local shops.\n"
)


@pytest.fixture
def article(make_article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_article(text=TEXT, title="Stadium")


def by_position(article):
    return {(s.sentence.position, s.label): s
            for s in Suggestion.objects.filter(article=article).select_related("sentence")}


def shah_citation(article):
    return Suggestion.objects.get(article=article, label=Label.CITED_SOURCE,
                                  source_name="Priya Shah")


def test_importing_an_article_computes_its_suggestions_after_the_commit(article):
    found = by_position(article)
    assert found[(1, Label.UNVERIFIED_CLAIM)].rule == "uc_unsourced_figure"
    assert found[(2, Label.UNVERIFIED_CLAIM)].rule == "uc_vague_attribution"
    assert found[(3, Label.CITED_SOURCE)].rule == "cs_named_attribution"
    assert found[(4, Label.SENSATIONAL_FRAMING)].rule == "sf_loaded_word"
    assert (2, Label.CITED_SOURCE) not in found


def test_an_import_with_suggestions_off_computes_none_until_the_command(
        make_article, settings, django_capture_on_commit_callbacks):
    settings.PROVENANCE_SUGGESTIONS_ON_IMPORT = False
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(text=TEXT)
    assert not Suggestion.objects.filter(article=article).exists()
    call_command("compute_suggestions", article=[article.pk], stdout=io.StringIO())
    assert Suggestion.objects.filter(article=article).count() >= 4


def test_recomputing_keeps_the_reviewers_answers(article, alice):
    suggestion = by_position(article)[(2, Label.UNVERIFIED_CLAIM)]
    services.suggestion_dismiss(suggestion=suggestion, reviewer=alice)
    result = services.suggestions_compute(article=article)
    assert result.created == 0 and result.deleted == 0
    assert SuggestionDecision.objects.get(reviewer=alice).suggestion_id == suggestion.pk


def test_a_new_registry_source_turns_a_new_source_into_the_entry(
        article, carol, django_capture_on_commit_callbacks):
    cited = shah_citation(article)
    assert cited.source is None
    with django_capture_on_commit_callbacks(execute=True):
        shah = source_create(name="Priya Shah", kind="official_person", created_by=carol)
    cited.refresh_from_db()
    assert cited.source == shah
    with django_capture_on_commit_callbacks(execute=True):
        shah.delete()
    cited.refresh_from_db()
    assert cited.source is None and cited.source_name == "Priya Shah"


def test_a_registry_alias_resolves_citations_on_the_next_computation(
        make_article, carol, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        gazette = source_create(name="Harbour Gazette", kind="news_outlet", created_by=carol)
        article = make_article(text=TEXT)
    names = {s.source_name: s.source for s in Suggestion.objects.filter(
        article=article, label=Label.CITED_SOURCE)}
    assert names["Harbour Gazette"] == gazette


def test_accepting_creates_the_reviewers_own_annotation_and_records_the_rule(article, alice):
    suggestion = by_position(article)[(1, Label.UNVERIFIED_CLAIM)]
    annotation = services.suggestion_accept(suggestion=suggestion, reviewer=alice)
    assert annotation.reviewer == alice and annotation.label == Label.UNVERIFIED_CLAIM
    assert annotation.quote == "$900 million" and annotation.status == Status.SUBMITTED
    decision = annotation.suggestion_decision
    assert decision.decision == Decision.ACCEPTED and decision.rule == "uc_unsourced_figure"
    assert annotation.history.first().history_user == alice


def test_accepting_a_new_source_proposes_it_for_an_editors_review(article, alice):
    annotation = services.suggestion_accept(suggestion=shah_citation(article), reviewer=alice)
    assert annotation.source.name == "Priya Shah" and annotation.source.needs_review


def test_a_suggestion_cannot_be_answered_twice(api, article, alice):
    suggestion = by_position(article)[(1, Label.UNVERIFIED_CLAIM)]
    client = api.as_user(alice)
    assert client.post(f"/api/suggestions/{suggestion.pk}/accept/").status_code == 201
    response = client.post(f"/api/suggestions/{suggestion.pk}/dismiss/")
    assert response.status_code == 400
    assert Annotation.objects.filter(reviewer=alice).count() == 1


def test_dismissing_hides_it_from_that_reviewer_only(api, article, alice, bob):
    suggestion = by_position(article)[(2, Label.UNVERIFIED_CLAIM)]
    assert api.as_user(alice).post(
        f"/api/suggestions/{suggestion.pk}/dismiss/").status_code == 204
    mine = api.get(f"/api/suggestions/?article={article.pk}&mine=true").json()["results"]
    assert suggestion.pk not in {s["id"] for s in mine}
    theirs = api.as_user(bob).get(f"/api/suggestions/?article={article.pk}&mine=true").json()
    assert suggestion.pk in {s["id"] for s in theirs["results"]}


def test_accept_all_of_one_label_skips_sentences_already_labelled(
        api, article, alice, make_annotation):
    sentence = by_position(article)[(1, Label.UNVERIFIED_CLAIM)].sentence
    make_annotation(alice, sentence, Label.UNVERIFIED_CLAIM)
    response = api.as_user(alice).post(
        "/api/suggestions/accept-all/",
        {"article": article.pk, "label": Label.UNVERIFIED_CLAIM}, format="json")
    body = response.json()
    assert response.status_code == 201 and body["skipped"] == 1
    pending = Suggestion.objects.filter(article=article, label=Label.UNVERIFIED_CLAIM).count()
    assert len(body["accepted"]) == pending - 1
    assert Annotation.objects.filter(reviewer=alice, label=Label.UNVERIFIED_CLAIM).count() == (
        pending)


def test_a_reviewer_can_switch_suggestions_off(api, article, alice):
    client = api.as_user(alice)
    assert client.put("/api/suggestions/preference/", {"enabled": False},
                      format="json").json() == {"enabled": False}
    assert client.get(f"/api/suggestions/?article={article.pk}&mine=true").json()["count"] == 0
    assert client.get(f"/api/suggestions/?article={article.pk}").json()["count"] > 0


def test_the_list_filters_by_label_and_rule(api, article, alice):
    client = api.as_user(alice)
    rows = client.get(f"/api/suggestions/?article={article.pk}&label=cited_source").json()
    assert {r["label"] for r in rows["results"]} == {"cited_source"}
    assert {r["source_name"] for r in rows["results"]} == {"Priya Shah", "Harbour Gazette"}
    assert all(r["new_source"] for r in rows["results"])
    rows = client.get("/api/suggestions/?rule=sf_loaded_word").json()
    assert [r["position"] for r in rows["results"]] == [4]


def test_anonymous_requests_get_401(api, article):
    assert api.get("/api/suggestions/").status_code == 401


def test_a_muted_rule_is_hidden_from_reviewers(api, article, alice):
    services.rule_set_muted(rule="uc_unsourced_figure", muted=True)
    rows = api.as_user(alice).get(f"/api/suggestions/?article={article.pk}").json()["results"]
    assert "uc_unsourced_figure" not in {r["rule"] for r in rows}


def adjudicate(article, carol, accepted):
    """Close the article with `accepted` (sentence position, label) as the final labels."""
    for position, label, reviewer in accepted:
        sentence = article.sentences.get(position=position)
        source = None
        if label == Label.CITED_SOURCE:
            source = Source.objects.get_or_create(name="Priya Shah", slug="priya-shah")[0]
        Annotation.objects.create(sentence=sentence, reviewer=reviewer, label=label,
                                  quote=sentence.text, source=source, status=Status.ACCEPTED)
    article.adjudicated_at = timezone.now()
    article.adjudicated_by = carol
    article.save()


def test_the_report_measures_rules_against_final_decisions(article, alice, carol):
    adjudicate(article, carol, [(0, Label.UNVERIFIED_CLAIM, alice),
                                (1, Label.UNVERIFIED_CLAIM, alice),
                                (3, Label.CITED_SOURCE, alice)])
    from suggestions.report import suggestion_report
    report = suggestion_report()
    labels = {r.label: r for r in report.labels}
    claims = labels[Label.UNVERIFIED_CLAIM]
    # Right on the figure; wrong on the vague sentence and the prediction (not final);
    # the headline's claim was never offered.
    assert (claims.tp, claims.fp, claims.fn) == (1, 2, 1)
    rules = {r.rule: r for r in report.rules}
    assert rules["uc_unsourced_figure"].precision == 1.0
    assert rules["uc_vague_attribution"].precision == 0.0
    assert labels[Label.CITED_SOURCE].tp == 1


def test_a_rule_below_the_editors_threshold_is_muted_automatically(api, article, alice, carol):
    MutingPolicy.objects.update_or_create(pk=1, defaults={"min_precision": 0.5,
                                                          "min_decisions": 1})
    adjudicate(article, carol, [(1, Label.UNVERIFIED_CLAIM, alice)])
    response = api.as_user(carol).get("/api/suggestions/report/")
    assert response.status_code == 200
    assert "uc_vague_attribution" in response.json()["newly_muted"]
    setting = RuleSetting.objects.get(rule="uc_vague_attribution")
    assert setting.muted and setting.muted_automatically
    assert not RuleSetting.objects.filter(rule="uc_unsourced_figure", muted=True).exists()


def test_the_report_is_for_editors_only(api, client, article, alice, carol):
    assert api.as_user(alice).get("/api/suggestions/report/").status_code == 403
    client.force_login(alice)
    assert client.get("/suggestions/report/").status_code == 403
    client.force_login(carol)
    page = client.get("/suggestions/report/")
    assert page.status_code == 200 and b"Figure with no source" in page.content
    # Label names, as on every other page, never their codes.
    assert b"Unverified claim" in page.content and b"unverified_claim<" not in page.content


def test_suggestions_never_count_as_a_reviewer_in_agreement(article, alice, bob):
    sentence = article.sentences.get(position=1)
    Annotation.objects.create(sentence=sentence, reviewer=alice,
                              label=Label.UNVERIFIED_CLAIM, quote=sentence.text)
    results = {r.label: r for r in article_agreement(article)}
    # One reviewer: no pair to agree, whatever the suggestions say.
    assert results[Label.UNVERIFIED_CLAIM].kappa is None


def test_suggestions_are_never_exported_as_annotations(api, article, alice):
    response = api.as_user(alice).get("/api/export/annotations?format=jsonl")
    assert b"".join(response.streaming_content).strip() == b""
    assert api.get("/api/claims/").json()["results"] == []


def test_the_schema_documents_the_suggestions_endpoints(api, alice):
    schema = api.as_user(alice).get("/api/schema/?format=json").json()
    assert "/api/suggestions/" in schema["paths"]
    assert "/api/suggestions/accept-all/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/suggestions/"]["get"]["parameters"]}
    assert {"article", "label", "rule"} <= parameters


def test_an_editors_cue_phrase_changes_the_next_computation(article, carol,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.cue_phrase_create(list_name="loaded_word", phrase="Stadium", by=carol)
    services.suggestions_compute(article=article)
    assert (0, Label.SENSATIONAL_FRAMING) in by_position(article)


def test_the_report_command_prints_the_labelled_sets_figures(capsys):
    call_command("suggestion_report", "--eval")
    out = capsys.readouterr().out
    assert "eval: 342 sentences" in out and "seeds: 139 sentences" in out
    assert "baseline (all unverified)" in out


def test_json_fields_of_a_suggestion(api, article, alice):
    row = api.as_user(alice).get(f"/api/suggestions/?article={article.pk}&label="
                                 "cited_source&rule=cs_named_attribution").json()["results"][0]
    assert set(row) >= {"id", "article", "sentence", "position", "label", "rule", "rule_name",
                        "explanation", "phrase_start", "phrase_end", "source", "source_name",
                        "new_source"}
    assert json.dumps(row)


# --- the workspace ------------------------------------------------------------------------

def test_the_workspace_page_carries_the_suggestions_bar_and_its_script(client, article, alice):
    client.force_login(alice)
    page = client.get(f"/articles/{article.pk}/review/").content.decode()
    assert "data-suggestions" in page and "suggestions/workspace.js" in page
    assert f"/workspace/articles/{article.pk}/suggestions/" in page


def test_the_workspace_lists_the_reviewers_open_suggestions(client, article, alice):
    client.force_login(alice)
    data = client.get(f"/workspace/articles/{article.pk}/suggestions/").json()
    assert data["enabled"] is True
    row = next(s for s in data["suggestions"] if s["rule"] == "uc_unsourced_figure")
    assert row["labelName"] == "Unverified claim" and row["explanation"].startswith("figure")


def test_enter_on_a_suggestion_saves_through_the_workspace_and_redraws_the_sentence(
        client, article, alice):
    suggestion = by_position(article)[(1, Label.UNVERIFIED_CLAIM)]
    client.force_login(alice)
    response = client.post(f"/workspace/suggestions/{suggestion.pk}/accept/")
    data = response.json()
    assert response.status_code == 201 and data["answered"] == [suggestion.pk]
    assert data["sentences"][0]["id"] == suggestion.sentence_id
    assert "hl-unverified_claim" in data["sentences"][0]["html"]
    assert Annotation.objects.get(reviewer=alice).suggestion_decision.rule == (
        "uc_unsourced_figure")
    listed = client.get(f"/workspace/articles/{article.pk}/suggestions/").json()
    assert suggestion.pk not in {s["id"] for s in listed["suggestions"]}


def test_x_on_a_suggestion_dismisses_it(client, article, alice):
    suggestion = by_position(article)[(2, Label.UNVERIFIED_CLAIM)]
    client.force_login(alice)
    assert client.post(f"/workspace/suggestions/{suggestion.pk}/dismiss/").json()[
        "answered"] == [suggestion.pk]
    assert SuggestionDecision.objects.get(reviewer=alice).decision == Decision.DISMISSED


def test_accept_all_in_the_workspace_redraws_every_changed_sentence(client, article, alice):
    client.force_login(alice)
    response = client.post(f"/workspace/articles/{article.pk}/suggestions/accept-all/",
                           {"label": "unverified_claim"})
    data = response.json()
    expected = Suggestion.objects.filter(article=article, label=Label.UNVERIFIED_CLAIM).count()
    assert response.status_code == 201 and len(data["sentences"]) == expected
    assert data["message"].startswith(f"Accepted {expected}")


def test_the_workspace_switch_hides_suggestions_for_that_reviewer(client, article, alice):
    client.force_login(alice)
    assert client.post("/workspace/suggestions/preference/", {"enabled": "0"}).json()[
        "enabled"] is False
    data = client.get(f"/workspace/articles/{article.pk}/suggestions/").json()
    assert data == {"enabled": False, "computing": False, "suggestions": []}


def test_workspace_suggestion_endpoints_need_a_signed_in_reviewer(client, article):
    suggestion = Suggestion.objects.filter(article=article).first()
    response = client.post(f"/workspace/suggestions/{suggestion.pk}/accept/")
    assert response.status_code in (401, 403)
    assert not Annotation.objects.exists()
