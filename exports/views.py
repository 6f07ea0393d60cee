"""The editors' pages for files in and out: uploading articles and annotation exports
(uploads.py does the importing), and building an export's query with the claims filters
(the API's streaming export answers it)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from annotations.models import Annotation, Label, Status
from provenance.ingestion import parsers
from provenance.ingestion.parsers import InputError
from provenance.models import Article, Source
from provenance.roles import is_editor

from . import formats, uploads
from .selection import AnnotationFilter

ACCEPT = ".txt,.md,.html,.htm,.jsonl,.json"
FORMAT_NAMES = {
    "jsonl": "JSONL: one self-contained row per annotation (restorable)",
    "csv": "CSV: one row per annotation, for spreadsheets",
    "jsonld": "W3C Web Annotation (JSON-LD)",
}
CHOICES_SHOWN = 500  # articles and sources offered as suggestions in the export form


def _require_editor(request):
    if not is_editor(request.user):
        raise PermissionDenied("Only editors import and export files here.")


def _request_limit() -> int:
    """The largest request the upload page reads: one annotation export and its form."""
    return settings.PROVENANCE_MAX_ANNOTATION_IMPORT_BYTES + 64 * 1024


def _upload_context(**extra) -> dict:
    return {
        "accept": ACCEPT,
        "max_article_bytes": settings.PROVENANCE_MAX_IMPORT_BYTES,
        "max_annotation_bytes": settings.PROVENANCE_MAX_ANNOTATION_IMPORT_BYTES,
        "max_request_bytes": _request_limit(),
        **extra,
    }


def _metadata(request, files):
    """The metadata.json sent as "metadata" or among the files, and the other files."""
    metadata_file = request.FILES.get("metadata")
    rest = []
    for upload in files:
        if (upload.name or "").lower() == parsers.METADATA_FILE and metadata_file is None:
            metadata_file = upload
        else:
            rest.append(upload)
    return metadata_file, rest


def _import_all(request) -> list[uploads.Outcome]:
    metadata_file, files = _metadata(request, request.FILES.getlist("files"))
    metadata = {}
    if metadata_file is not None:
        try:
            metadata = uploads.read_metadata(metadata_file)
        except InputError as exc:
            # Without its metadata an article would get the wrong title or publisher:
            # every file is refused with the reason, and nothing is written.
            return [uploads.from_input_error(u.name or "an upload", exc) for u in files] or [
                uploads.from_input_error(metadata_file.name, exc)
            ]
    return [uploads.import_upload(u, by=request.user, metadata=metadata) for u in files]


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:  # a header no server should pass on; Django reads it as 0 too
        return 0


def _summary(outcomes) -> str:
    counts = {"imported": 0, "unchanged": 0, "refused": 0}
    for outcome in outcomes:
        counts[outcome.result] += 1
    n = len(outcomes)
    return (f"{n} file{'s' if n != 1 else ''}: {counts['imported']} imported, "
            f"{counts['unchanged']} with nothing new, {counts['refused']} refused.")


def _status(outcomes) -> int:
    if len(outcomes) == 1:
        return outcomes[0].status
    return 400 if any(o.refused for o in outcomes) else 200


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    """Upload several files; the page's script sends them one request each (for progress),
    a browser without it sends them all at once. Both get the same per-file results."""
    _require_editor(request)
    fragment = request.headers.get("X-Requested-With") == "fetch"
    if request.method == "GET":
        return render(request, "exports/upload.html", _upload_context())
    limit = _request_limit()
    if _content_length(request) > limit:
        outcomes = [uploads.Outcome(
            "the upload", "refused",
            f"Refused: the upload is larger than the limit of {limit:,} bytes", status=413,
        )]
    else:
        outcomes = _import_all(request)
    if not outcomes:
        return render(request, "exports/upload.html",
                      _upload_context(error="Choose at least one file to upload."), status=400)
    template = "exports/_upload_results.html" if fragment else "exports/upload.html"
    context = _upload_context(outcomes=outcomes, summary=_summary(outcomes))
    return render(request, template, context, status=_status(outcomes))


def _export_query(data) -> str:
    """The filled-in fields of the export form as the API's query string, in field order."""
    pairs = [("format", data.get("format") or "jsonl")]
    for name in AnnotationFilter.base_filters:
        pairs += [(name, value) for value in data.getlist(name) if value.strip()]
    return urlencode(pairs)


def _export_choices() -> dict:
    User = get_user_model()
    return {
        "articles": Article.objects.order_by("-id").values_list("id", "title")[:CHOICES_SHOWN],
        "sources": Source.objects.order_by("name").values_list("slug", "name")[:CHOICES_SHOWN],
        # EXISTS per user walks the (reviewer, …) index, not every annotation.
        "reviewers": User.objects.filter(
            Exists(Annotation.objects.filter(reviewer=OuterRef("pk")))
        ).order_by("username").values_list("username", flat=True)[:CHOICES_SHOWN],
    }


@login_required
@require_GET
def export(request):
    """The claims filters and a format; "Download" checks them with the claims FilterSet
    and sends the browser to the API's export with the same query."""
    _require_editor(request)
    errors = {}
    if "format" in request.GET:
        fmt = request.GET.get("format")
        filterset = AnnotationFilter(data=request.GET)
        if fmt not in formats.FORMATS:
            errors["format"] = [f"Choose one of {', '.join(formats.FORMATS)}."]
        if not filterset.is_valid():
            errors.update({k: list(v) for k, v in filterset.errors.items()})
        if not errors:
            url = reverse("export-annotations") + "?" + _export_query(request.GET)
            return HttpResponseRedirect(url)
    context = {
        "data": request.GET,
        "errors": errors,
        "formats": FORMAT_NAMES,
        "labels": Label.choices,
        "statuses": Status.choices,
        "chosen_labels": request.GET.getlist("label"),
        "chosen_statuses": request.GET.getlist("status"),
        **_export_choices(),
    }
    return render(request, "exports/export.html", context, status=400 if errors else 200)
