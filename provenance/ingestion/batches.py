"""URL imports in the background: the editor's batch, one task per URL, progress rows.

The write path for UrlImport and UrlImportItem. A batch is created with its items and
their tasks in one transaction (the task queue lives in the same database), so a batch is
never left with URLs that no worker will pick up. Each URL is its own task: one bad URL
fails only itself, and more workers import a batch faster.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import UrlImport, UrlImportItem, UrlImportStatus
from . import fetch
from .parsers import InputError

logger = logging.getLogger(__name__)


def clean_urls(urls) -> list[str]:
    """The URLs of a request, cleaned and without repeats, or a ValidationError naming
    every bad one (nothing is queued unless all are good)."""
    if isinstance(urls, str):
        urls = urls.split()
    if not isinstance(urls, list | tuple) or not all(isinstance(u, str) for u in urls):
        raise ValidationError({"urls": "Give a list of URLs."}, code="invalid")
    cleaned, problems = [], []
    for url in urls:
        if not url.strip():
            continue
        try:
            cleaned.append(fetch.clean_url(url))
        except InputError as exc:
            problems.append(str(exc))
    if problems:
        raise ValidationError({"urls": problems}, code="invalid_url")
    cleaned = list(dict.fromkeys(cleaned))
    if not cleaned:
        raise ValidationError({"urls": "Give at least one URL."}, code="required")
    limit = settings.PROVENANCE_FETCH_MAX_URLS
    if len(cleaned) > limit:
        raise ValidationError(
            {"urls": f"{len(cleaned)} URLs is more than the {limit} one request may import."},
            code="too_many",
        )
    return cleaned


@transaction.atomic
def url_import_create(*, urls, created_by) -> UrlImport:
    """A batch of URLs to import, each queued for the worker."""
    from .tasks import import_url_item

    cleaned = clean_urls(urls)
    batch = UrlImport.objects.create(created_by=created_by)
    items = UrlImportItem.objects.bulk_create(
        UrlImportItem(batch=batch, position=n, url=url) for n, url in enumerate(cleaned)
    )
    for item in items:
        import_url_item.enqueue(item.pk)
    return batch


def url_import_item_run(*, item_id: int) -> str:
    """Import one queued URL and record the outcome on its row; returns the status.

    Never raises for a bad page: the editor reads the failure on the row. A task run
    twice (a worker killed after the import but before the queue recorded it) finds the
    row finished and does nothing.
    """
    from .web import import_url

    with transaction.atomic():
        item = UrlImportItem.objects.select_for_update().select_related("batch").get(
            pk=item_id)
        if item.status not in (UrlImportStatus.QUEUED, UrlImportStatus.RUNNING):
            return item.status
        item.status = UrlImportStatus.RUNNING
        item.save(update_fields=["status", "updated_at"])
    article, message = None, ""
    try:
        result = import_url(url=item.url, imported_by=item.batch.created_by)
    except InputError as exc:
        status, message = UrlImportStatus.FAILED, exc.reason
    except ValidationError as exc:
        status, message = UrlImportStatus.FAILED, "; ".join(exc.messages)
    except Exception:
        # A bug or an outage must not stop the batch: this URL fails, the rest go on.
        logger.exception("importing %s failed", item.url)
        status, message = UrlImportStatus.FAILED, "could not be imported (an internal error)"
    else:
        article = result.article
        status = UrlImportStatus.IMPORTED if result.created else UrlImportStatus.UNCHANGED
        message = result.describe()
    with transaction.atomic():
        UrlImportItem.objects.filter(pk=item_id).update(
            status=status, message=message, article=article,
            updated_at=timezone.now(),
        )
    return status
