"""Tasks the queue's worker runs (`manage.py db_worker`; django-tasks, database backend).
Arguments are ids and names, never rows: a task may run long after it was queued."""

from django_tasks import task

from . import queue


@task()
def compute_article_suggestions(article_ids: list[int]) -> dict:
    """Compute the suggestions of these articles, unless already computed since asked."""
    return queue.suggestions_compute_queued(article_ids=article_ids)


@task()
def recompute_articles_naming(names: list[str], source_ids: list[int]) -> int:
    """Find the articles a change of the registry or of a cue phrase may change (those
    whose text contains one of `names`, or citing one of the sources), and queue them."""
    return queue.suggestions_recompute_naming(names=names, source_ids=source_ids)
