"""When suggestions are (re)computed: after an import commits, and when the registry or
the cue phrases change. The corpus app knows nothing of suggestions (import-linter keeps it
so); it saves articles and sources, and these receivers listen."""

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from provenance.models import Article, Source, SourceAlias

from . import services
from .models import CuePhrase

_pending = threading.local()


@receiver(post_save, sender=Article, dispatch_uid="suggestions.after_import")
def _after_import(sender, instance, created, raw=False, **kwargs):
    """Sentences are inserted after the article row, in the same transaction: compute once
    it commits. This is the hook the background task queue (issue 14) replaces with an
    enqueue of `services.suggestions_compute`."""
    if not created or raw or not services.suggestions_on_import():
        return
    article_id = instance.pk
    transaction.on_commit(lambda: _compute(article_id))


def _compute(article_id):
    article = Article.objects.filter(pk=article_id).only("id").first()
    if article is not None:
        services.suggestions_compute(article=article)


def _schedule_refresh(*, names, source_ids):
    """One refresh per transaction, however many sources and aliases it touched (an editor
    merging two sources saves several rows)."""
    services.engine_invalidate()
    batch = getattr(_pending, "batch", None)
    if batch is None or batch["done"]:
        batch = {"names": set(), "ids": set(), "done": False}
        _pending.batch = batch

        def run():
            batch["done"] = True
            services.engine_invalidate()
            services.suggestions_refresh_sources(names=batch["names"], source_ids=batch["ids"])

        transaction.on_commit(run)
    batch["names"].update(n for n in names if n)
    batch["ids"].update(i for i in source_ids if i)


@receiver(post_save, sender=Source, dispatch_uid="suggestions.source_saved")
@receiver(post_delete, sender=Source, dispatch_uid="suggestions.source_deleted")
def _source_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _schedule_refresh(names=[instance.name], source_ids=[instance.pk])


@receiver(post_save, sender=SourceAlias, dispatch_uid="suggestions.alias_saved")
@receiver(post_delete, sender=SourceAlias, dispatch_uid="suggestions.alias_deleted")
def _alias_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _schedule_refresh(names=[instance.alias], source_ids=[instance.source_id])


@receiver(post_save, sender=CuePhrase, dispatch_uid="suggestions.cue_saved")
@receiver(post_delete, sender=CuePhrase, dispatch_uid="suggestions.cue_deleted")
def _cue_changed(sender, instance, **kwargs):
    transaction.on_commit(services.engine_invalidate)
