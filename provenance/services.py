"""Writes to the source registry."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from .models import Reliability, Source, SourceAlias, SourceKind
from .text import check_text


def source_find(name: str) -> Source | None:
    """The source called `name`, by name or alias, ignoring case and surrounding spaces."""
    name = " ".join((name or "").split())
    if not name:
        return None
    return (
        Source.objects.filter(Q(name__iexact=name) | Q(aliases__alias__iexact=name))
        .distinct()
        .first()
    )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "source"
    slug, n = base, 2
    while Source.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def source_create(
    *, name: str, kind: str = SourceKind.OTHER, created_by=None, needs_review=False,
    aliases=(), **fields
) -> Source:
    """Create a source; refuses a name that is already a source or an alias."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "A source needs a name."}, code="required")
    if kind not in SourceKind.values:
        raise ValidationError({"kind": f"Unknown kind {kind!r}."}, code="invalid_kind")
    existing = source_find(name)
    if existing is not None:
        raise ValidationError(
            {"name": f"{existing.name!r} is already in the registry."}, code="duplicate"
        )
    source = Source(
        name=name, slug=_unique_slug(name), kind=kind, created_by=created_by,
        needs_review=needs_review, **fields
    )
    source.full_clean()
    source.save()
    for alias in aliases:
        alias = " ".join(alias.split())
        if alias and alias.lower() != name.lower():
            SourceAlias.objects.create(source=source, alias=alias)
    return source


def source_get_or_create(*, name: str, kind: str = SourceKind.OTHER, created_by=None) -> Source:
    return source_find(name) or source_create(name=name, kind=kind, created_by=created_by)


@transaction.atomic
def source_set_reliability(*, source: Source, reliability: str, note: str, by) -> Source:
    """An editor rates a source; a rating needs its rationale."""
    if reliability not in Reliability.values:
        raise ValidationError({"reliability": f"Unknown rating {reliability!r}."})
    note = check_text(note, field="reliability_note", max_length=10_000)
    if reliability != Reliability.UNRATED and not note:
        raise ValidationError(
            {"reliability_note": "Say why: a rating needs its rationale."}, code="required"
        )
    source.reliability = reliability
    source.reliability_note = note
    source.reliability_set_by = by
    source.reliability_set_at = timezone.now()
    source._history_user = by
    source._change_reason = f"reliability: {reliability}"
    source.save()
    return source


@transaction.atomic
def source_approve(*, source: Source, by) -> Source:
    source.needs_review = False
    source._history_user = by
    source._change_reason = "approved"
    source.save(update_fields=["needs_review", "updated_at"])
    return source
