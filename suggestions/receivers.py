"""When suggestions are (re)computed: after an import commits, and when the registry or
the cue phrases change. The corpus app knows nothing of suggestions (import-linter keeps it
so); it saves articles and sources, and these receivers listen."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from provenance.models import Source, SourceAlias
from provenance.signals import article_stored

from . import queue, services
from .engine.registry import domain_of
from .models import CuePhrase
from .tasks import recompute_articles_naming


@receiver(article_stored, dispatch_uid="suggestions.after_import")
def _after_import(sender, article, sentences, **kwargs):
    """Queued in the import's own transaction (queue.py says why not after the commit);
    the worker computes them. Computing them here cost an import ×1.5 its time."""
    if services.suggestions_on_import():
        queue.suggestions_request_new(article=article)


def _schedule_refresh(*, names, source_ids):
    """One refresh per transaction, however many sources and aliases it touched (an editor
    merging two sources saves several rows). The batch is kept on the connection with its
    callback; a rolled-back transaction drops the callback, and the next change starts a
    new batch instead of adding to one that will never run."""
    services.engine_invalidate()
    connection = transaction.get_connection()
    batch = getattr(connection, "_suggestions_refresh", None)
    pending = batch is not None and any(
        func is batch["run"] for _sids, func, *_rest in connection.run_on_commit)
    if not pending:
        batch = {"names": set(), "ids": set()}

        def run():
            services.engine_invalidate()
            # Re-resolving the citations that name the source is one indexed query: done at
            # once. Finding the articles where the name now makes a new citation reads
            # article texts: the worker does that, then recomputes them.
            services.suggestions_refresh_sources(names=batch["names"], source_ids=batch["ids"])
            if services.suggestions_on_import():
                recompute_articles_naming.enqueue(sorted(batch["names"]),
                                                      sorted(batch["ids"]))

        batch["run"] = run
        connection._suggestions_refresh = batch
        batch["names"].update(n for n in names if n)
        batch["ids"].update(i for i in source_ids if i)
        transaction.on_commit(run)  # runs at once outside a transaction
        return
    batch["names"].update(n for n in names if n)
    batch["ids"].update(i for i in source_ids if i)


@receiver(post_save, sender=Source, dispatch_uid="suggestions.source_saved")
@receiver(post_delete, sender=Source, dispatch_uid="suggestions.source_deleted")
def _source_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _schedule_refresh(names=[instance.name, domain_of(instance.homepage or "")],
                      source_ids=[instance.pk])


@receiver(post_save, sender=SourceAlias, dispatch_uid="suggestions.alias_saved")
@receiver(post_delete, sender=SourceAlias, dispatch_uid="suggestions.alias_deleted")
def _alias_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _schedule_refresh(names=[instance.alias], source_ids=[instance.source_id])


@receiver(post_save, sender=CuePhrase, dispatch_uid="suggestions.cue_saved")
@receiver(post_delete, sender=CuePhrase, dispatch_uid="suggestions.cue_deleted")
def _cue_changed(sender, instance, raw=False, **kwargs):
    """An editor's cue phrase reaches the articles already imported too: those whose text
    contains it are recomputed by the worker ("sensation*" is searched as "sensation")."""
    transaction.on_commit(services.engine_invalidate)
    if raw or not services.suggestions_on_import():
        return
    phrase = instance.phrase.rstrip("*").strip()
    transaction.on_commit(lambda: recompute_articles_naming.enqueue([phrase], []))
