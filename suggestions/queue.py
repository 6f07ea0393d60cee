"""Suggestions computed by the task queue's worker (`manage.py db_worker`), not by the
request or the import that made them stale.

An import asks for its article's suggestions in its own transaction: the task row lives in
the same database, so it commits with the article or not at all (a task enqueued after the
commit could be lost to a crash in between and leave the article "being computed" for
ever; it would also cost every import a second commit). A change of the registry or of an
editor's cue phrase asks, once it has committed, for a search of the articles it may
change; the worker does the search and then recomputes them. `ArticleSuggestionState`
(models.py) keeps requests and computations apart, so a task run twice, or by two workers
at once, computes once.
"""

import logging

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from annotations.models import Label
from provenance.models import Article

from . import services
from .models import ArticleSuggestionState, Suggestion

logger = logging.getLogger(__name__)

# Articles per task: a registry change touching thousands of articles becomes tasks that
# several workers can share, each article still one transaction.
CHUNK = 100


def suggestions_request_new(*, article: Article) -> None:
    """A new article's suggestions, queued. Inside the import's transaction: nobody else
    can see the article yet, so the state row is created, not incremented."""
    from .tasks import compute_article_suggestions

    ArticleSuggestionState.objects.create(article=article, requested=1)
    compute_article_suggestions.enqueue([article.pk])


@transaction.atomic
def suggestions_request(*, article_ids) -> int:
    """Queue a recomputation of these articles. Returns how many were asked for."""
    from .tasks import compute_article_suggestions

    ids = sorted(set(article_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        # Create missing rows at 0, then add one to every row: the UPDATE takes each row's
        # lock, so two requests for one article both count, even when both created it.
        ArticleSuggestionState.objects.bulk_create(
            [ArticleSuggestionState(article_id=pk) for pk in chunk], ignore_conflicts=True)
        ArticleSuggestionState.objects.filter(pk__in=chunk).update(
            requested=F("requested") + 1)
        compute_article_suggestions.enqueue(chunk)
    return len(ids)


def suggestions_compute_queued(*, article_ids) -> dict:
    """The worker's side: compute each article asked for and not computed since, one
    transaction per article (a failure leaves the others done).

    The state row is locked for the whole computation. A second worker on the same article
    waits, then finds it computed and does nothing; a request made meanwhile waits too, and
    its own task computes again with what it changed.
    """
    counts = {"computed": 0, "unchanged": 0, "gone": 0}
    for pk in article_ids:
        with transaction.atomic():
            state = ArticleSuggestionState.objects.select_for_update().filter(pk=pk).first()
            if state is None:  # the article was deleted after the request
                counts["gone"] += 1
                continue
            if state.is_ready:
                counts["unchanged"] += 1
                continue
            services.suggestions_compute(article=Article(pk=pk))
            state.computed = state.requested
            state.computed_at = timezone.now()
            state.save(update_fields=["computed", "computed_at"])
            counts["computed"] += 1
    return counts


def articles_naming(*, names=(), source_ids=()) -> list[int]:
    """Articles a registry or cue-phrase change may change: those citing the changed
    source (by id or by a name it had), and those whose text contains a name, alias, domain
    or phrase (a name the rules did not know may now be a source). A substring search
    over-selects ("AP" in "APril"); recomputing an unchanged article costs time, never a
    wrong suggestion."""
    names = sorted({n.strip() for n in names if n and len(n.strip()) >= 2})
    lowered = [n.lower() for n in names]
    cited = Q(source_id__in=list(source_ids)) | Q(source_name_lower__in=lowered)
    ids = set(
        Suggestion.objects.filter(label=Label.CITED_SOURCE)
        .alias(source_name_lower=Lower("source_name")).filter(cited)
        .values_list("article_id", flat=True)
    )
    if names:
        mentions = Q()
        for name in names:
            mentions |= Q(body__icontains=name)
        ids.update(Article.objects.filter(mentions).values_list("pk", flat=True))
    return sorted(ids)


def suggestions_recompute_naming(*, names=(), source_ids=()) -> int:
    """The worker's side of a registry or cue-phrase change: find the articles, queue
    them."""
    ids = articles_naming(names=names, source_ids=source_ids)
    if ids:
        suggestions_request(article_ids=ids)
    logger.info("registry or cue phrase change (%s): %d articles to recompute",
                ", ".join(names), len(ids))
    return len(ids)
