"""The editors' page for importing articles by URL: paste URLs, watch each one import.

The batch is queued for the task queue's worker (provenance/ingestion/batches.py); the
page shows the rows as they stand and its script fetches them again until every URL is
done. An editor sees only the batches they started.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from provenance.ingestion.batches import url_import_create
from provenance.models import UrlImport, UrlImportItem, UrlImportStatus
from provenance.roles import is_editor

_PENDING = (UrlImportStatus.QUEUED, UrlImportStatus.RUNNING)


def _require_editor(request):
    if not is_editor(request.user):
        raise PermissionDenied("Only editors import articles.")


def _get_own_batch(request, pk) -> UrlImport:
    """The batch `pk` with its rows and their articles, if `request.user` started it."""
    items = UrlImportItem.objects.select_related("article").order_by("position")
    return get_object_or_404(
        UrlImport.objects.filter(created_by=request.user).prefetch_related(
            Prefetch("items", queryset=items)
        ),
        pk=pk,
    )


def _rows_context(batch) -> dict:
    items = list(batch.items.all())
    return {
        "batch": batch,
        "items": items,
        "pending": sum(item.status in _PENDING for item in items),
        "failed": sum(item.status == UrlImportStatus.FAILED for item in items),
    }


@login_required
@require_http_methods(["GET", "POST"])
def url_import_new(request):
    _require_editor(request)
    urls, error = "", ""
    if request.method == "POST":
        urls = request.POST.get("urls", "")
        try:
            batch = url_import_create(urls=urls.split(), created_by=request.user)
        except ValidationError as exc:
            error = exc.messages
        else:
            return redirect("review:url-import", batch.pk)
    recent = UrlImport.objects.filter(created_by=request.user)[:10]
    return render(request, "review/url_import_new.html",
                  {"urls": urls, "errors": error, "recent": recent},
                  status=400 if error else 200)


@login_required
def url_import_detail(request, pk):
    _require_editor(request)
    return render(request, "review/url_import.html", _rows_context(_get_own_batch(request, pk)))


@login_required
def url_import_rows(request, pk):
    """The rows alone, for the page's script to swap in while URLs are still importing."""
    _require_editor(request)
    return render(request, "review/_url_import_rows.html",
                  _rows_context(_get_own_batch(request, pk)))
