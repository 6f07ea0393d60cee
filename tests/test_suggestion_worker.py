"""Suggestions computed by the task queue's real worker process (`manage.py db_worker`):
after an import commits, after a registry change, once however many workers run."""

import pytest
from django_tasks_db.models import DBTaskResult

from annotations.models import Label
from provenance.services import source_create
from suggestions import queue
from suggestions.models import ArticleSuggestionState, Suggestion

from .worker import run_worker, start_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = (
    "Plant to close\n"
    "The plant will cost $900 million to close.\n"
    "Experts say the town will lose 400 jobs.\n"
    "The closure will be complete in May, ukrinform reported.\n"
)


def workspace_state(client, article):
    return client.get(f"/workspace/articles/{article.pk}/suggestions/").json()


def test_an_import_queues_its_suggestions_and_the_worker_computes_them(
        client, make_article, alice):
    article = make_article(text=TEXT)
    client.force_login(alice)
    before = workspace_state(client, article)
    assert before["computing"] is True and before["suggestions"] == []
    run_worker()
    after = workspace_state(client, article)
    assert after["computing"] is False
    assert {s["label"] for s in after["suggestions"]} == {Label.UNVERIFIED_CLAIM}
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()


def test_a_new_registry_source_makes_the_worker_recompute_the_articles_naming_it(
        make_article, carol):
    article = make_article(text=TEXT)
    other = make_article(text="Rates\nThe central bank will raise rates to 9% in May.\n")
    run_worker()
    assert not Suggestion.objects.filter(article=article, label=Label.CITED_SOURCE).exists()
    ukrinform = source_create(name="Ukrinform", kind="news_outlet", created_by=carol)
    run_worker()
    cited = Suggestion.objects.get(article=article, label=Label.CITED_SOURCE)
    assert cited.source == ukrinform and cited.rule == "cs_named_attribution"
    # The article that does not name it was not asked for again.
    assert ArticleSuggestionState.objects.get(pk=other.pk).requested == 1
    assert ArticleSuggestionState.objects.get(pk=article.pk).requested == 2


def test_two_workers_on_the_same_article_compute_it_once(make_article):
    article = make_article(text=TEXT)
    for _ in range(3):
        queue.suggestions_request(article_ids=[article.pk])
    first, second = start_worker(), start_worker()
    wait_for(first)
    wait_for(second)
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 4
    state = ArticleSuggestionState.objects.get(pk=article.pk)
    assert state.requested == state.computed == 4
    labels = sorted(Suggestion.objects.filter(article=article).values_list("label", flat=True))
    assert labels == [Label.UNVERIFIED_CLAIM] * 2


def test_a_deleted_article_leaves_its_queued_task_nothing_to_do(make_article):
    from provenance.models import Article

    article = make_article(text=TEXT)
    Article.objects.filter(pk=article.pk).delete()
    run_worker()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_an_editors_new_cue_phrase_reaches_articles_already_imported(make_article, carol):
    from suggestions.services import cue_phrase_create

    article = make_article(text="Budget\nThe council's budget plan is a boondoggle for "
                                "the town's ratepayers, its members agreed.\n")
    run_worker()
    assert not Suggestion.objects.filter(article=article,
                                         label=Label.SENSATIONAL_FRAMING).exists()
    cue_phrase_create(list_name="loaded_word", phrase="boondoggle", by=carol)
    run_worker()
    hype = Suggestion.objects.get(article=article, label=Label.SENSATIONAL_FRAMING)
    assert hype.rule == "sf_loaded_word" and "boondoggle" in hype.explanation


def test_a_bulk_load_without_suggestions_can_queue_them_for_the_workers(
        make_article, settings):
    import io

    from django.core.management import call_command

    settings.PROVENANCE_SUGGESTIONS_ON_IMPORT = False
    article = make_article(text=TEXT)
    assert not DBTaskResult.objects.exists()
    out = io.StringIO()
    call_command("compute_suggestions", queue=True, stdout=out)
    assert "queued 1 article for the workers" in out.getvalue()
    run_worker()
    assert Suggestion.objects.filter(article=article).count() == 2
    assert ArticleSuggestionState.objects.get(pk=article.pk).is_ready
