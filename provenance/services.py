"""Writes to the source registry."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from .models import Source, SourceAlias, SourceKind


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
