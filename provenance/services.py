"""Writes to the corpus: the source registry and articles' editable fields.

Every writer (the admin, the API, the workspace's proposals, the importers, restore) goes
through these functions, so one name means one source everywhere: no two sources share a
name, and no alias equals any source's name or another alias, compared case-insensitively
after collapsing whitespace. The database holds each table's half of that rule (unique
lower(name), unique lower(alias)); the half that crosses the two tables is checked here,
under _lock_names().

Articles are created by the importer (provenance.ingestion.services.article_import), which
segments them; after that only their metadata changes, through article_update. The body,
and so every offset into it, never does.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from .models import Article, Reliability, Source, SourceAlias, SourceKind
from .text import clean_name, clean_text

_UNSET = object()
# Key of the PostgreSQL advisory lock that serialises writes of registry names ("PROV").
_NAMES_LOCK = 0x50524F56
_NAME_LENGTH = Source._meta.get_field("name").max_length
_ALIAS_LENGTH = SourceAlias._meta.get_field("alias").max_length


# Reading names -----------------------------------------------------------------------------


def source_find(name: str) -> Source | None:
    """The source called `name`, by name or alias, ignoring case and surrounding spaces."""
    name = " ".join((name or "").split())
    if not name:
        return None
    # lower() on both sides, as the unique indexes compare (and can answer this).
    key = Lower(Value(name))
    by_alias = SourceAlias.objects.alias(low=Lower("alias")).filter(low=key)
    return (
        Source.objects.alias(low=Lower("name"))
        .filter(Q(low=key) | Q(pk__in=by_alias.values("source_id")))
        .first()
    )


def _holder(name: str) -> tuple[Source, str | None] | None:
    """Who holds `name`: (the source, None) if it is a source's name, (the source, the
    alias as stored) if it is an alias, else None."""
    key = Lower(Value(name))
    source = Source.objects.alias(low=Lower("name")).filter(low=key).first()
    if source is not None:
        return source, None
    alias = (
        SourceAlias.objects.alias(low=Lower("alias")).filter(low=key)
        .select_related("source").first()
    )
    return None if alias is None else (alias.source, alias.alias)


def _lock_names() -> None:
    """Serialise the writes that add or change registry names, until the commit.

    "Is this name free?" then an INSERT is a race: two editors giving "BTA" to two sources
    at once would both find it free, and neither unique index sees across the name and
    alias tables, so one name would mean two sources. On PostgreSQL a transaction-scoped
    advisory lock makes the second writer wait for the first to commit and then see its
    row (readers are never blocked). SQLite needs nothing more: settings open every
    transaction with BEGIN IMMEDIATE, which holds the database's write lock throughout.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_NAMES_LOCK])


def name_refusal(name: str, *, as_alias: bool, renaming: Source | None = None) -> str | None:
    """Why `name` cannot be given (to a source as its name, or `as_alias`), or None.

    `renaming` may keep its own name (in another case), but not take one of its own
    aliases as its name. The services ask under _lock_names(); a form may ask first to
    say it beside the field, and the service still decides.
    """
    holder = _holder(name)
    if holder is None:
        return None
    source, alias = holder
    if renaming is not None and source.pk == renaming.pk and alias is None:
        return None
    if not as_alias and alias is None:
        return f"“{source.name}” is already in the registry."
    if alias is None:
        return f"“{name}” is already in the registry, as the name of “{source.name}”."
    return f"“{name}” is already in the registry, as an alias of “{source.name}”."


def _refuse_taken(name: str, *, field: str, renaming: Source | None = None) -> None:
    said = name_refusal(name, as_alias=field == "aliases", renaming=renaming)
    if said is not None:
        raise ValidationError({field: said}, code="duplicate")


def _save(obj, *, by, reason: str, field: str, update_fields=None) -> None:
    """Save with one history row naming who and why.

    The checks above ran under _lock_names(), so a unique index can refuse only what they
    compare differently (Python's and the database's lower() on exotic letters); say so
    as bad input rather than a 500.
    """
    if by is not None:
        obj._history_user = by  # else simple_history names the signed-in user, if any
    obj._change_reason = reason
    try:
        with transaction.atomic():
            obj.save(update_fields=update_fields)
    except IntegrityError as exc:
        # SQLite: "UNIQUE constraint failed"; PostgreSQL: "duplicate key value violates".
        if "unique" not in str(exc).lower():
            raise
        raise ValidationError(
            {field: "That name is already in the registry."}, code="duplicate"
        ) from None


# Sources -----------------------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "source"
    slug, n = base, 2
    while Source.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _kind(kind) -> str:
    if kind not in SourceKind.values:
        raise ValidationError({"kind": f"Unknown kind {kind!r}."}, code="invalid_kind")
    return kind


def _rating(reliability, note) -> tuple[str, str]:
    """A rating and its rationale, which every rating but "unrated" needs."""
    if reliability not in Reliability.values:
        raise ValidationError(
            {"reliability": f"Unknown rating {reliability!r}."}, code="invalid_reliability"
        )
    note = clean_text(note, field="reliability_note", max_length=5000)
    if reliability != Reliability.UNRATED and not note:
        raise ValidationError(
            {"reliability_note": "Say why: a rating needs its rationale."}, code="required"
        )
    return reliability, note


def _new_aliases(aliases, *, name: str) -> list[str]:
    """The request's aliases, normalised; refuses blanks, repeats and the source's name."""
    seen = {name.lower(): None}
    out = []
    for raw in aliases:
        alias = clean_name(raw, field="aliases", max_length=_ALIAS_LENGTH, label="an alias")
        if alias.lower() in seen:
            said = "is the source's own name" if seen[alias.lower()] is None else "is given twice"
            raise ValidationError({"aliases": f"“{alias}” {said}."}, code="duplicate")
        seen[alias.lower()] = alias
        out.append(alias)
    return out


@transaction.atomic
def source_create(
    *,
    name: str,
    slug: str = "",
    kind: str = SourceKind.OTHER,
    aliases=(),
    homepage: str = "",
    country: str = "",
    needs_review: bool = False,
    reliability: str = Reliability.UNRATED,
    reliability_note: str = "",
    created_by=None,
    reason: str = "created",
) -> Source:
    """Create a source and its aliases; refuses any name or alias already in the registry,
    an alias given twice, a slug in use and a rating without its rationale. Nothing is
    written unless everything is accepted. Without a slug, one is made from the name."""
    name = clean_name(name, field="name", max_length=_NAME_LENGTH)
    kind = _kind(kind)
    reliability, note = _rating(reliability, reliability_note)
    aliases = _new_aliases(aliases, name=name)
    country = clean_name(country, field="country", max_length=100, required=False)
    slug = (slug or "").strip()
    _lock_names()
    _refuse_taken(name, field="name")
    for alias in aliases:
        _refuse_taken(alias, field="aliases")
    if slug and Source.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"The slug “{slug}” is in use."}, code="duplicate")
    rated = reliability != Reliability.UNRATED
    source = Source(
        name=name, slug=slug or _unique_slug(name), kind=kind, homepage=(homepage or "").strip(),
        country=country, needs_review=needs_review, reliability=reliability,
        reliability_note=note, reliability_set_by=created_by if rated else None,
        reliability_set_at=timezone.now() if rated else None, created_by=created_by,
    )
    source.full_clean(validate_unique=False, validate_constraints=False)  # checked above
    _save(source, by=created_by, reason=reason, field="name")
    for alias in aliases:
        _save(SourceAlias(source=source, alias=alias), by=created_by, reason=reason,
              field="aliases")
    return source


@transaction.atomic
def source_get_or_create(*, name: str, kind: str = SourceKind.OTHER, created_by=None) -> Source:
    """The source called `name` (by name or alias), created if there is none.

    Looked up again under the names lock: two imports naming the same new publisher at
    once would otherwise both create it, and the second would be refused.
    """
    found = source_find(name)
    if found is None:
        _lock_names()
        found = source_find(name)
    return found or source_create(name=name, kind=kind, created_by=created_by)


@transaction.atomic
def source_update(
    *,
    source: Source,
    by,
    reason: str | None = None,
    name=_UNSET,
    slug=_UNSET,
    kind=_UNSET,
    homepage=_UNSET,
    country=_UNSET,
    needs_review=_UNSET,
    reliability=_UNSET,
    reliability_note=_UNSET,
) -> Source:
    """Change a source's fields in one save, with one history row naming `by` and what
    changed (or `reason`). A new rating or rationale records who set it and when.

    Arguments left out keep their value; an update that changes nothing writes nothing.
    """
    current = Source.objects.select_for_update().get(pk=source.pk)
    values = {}
    if name is not _UNSET:
        values["name"] = clean_name(name, field="name", max_length=_NAME_LENGTH)
    if slug is not _UNSET:
        values["slug"] = (slug or "").strip()
    if kind is not _UNSET:
        values["kind"] = _kind(kind)
    if homepage is not _UNSET:
        values["homepage"] = (homepage or "").strip()
    if country is not _UNSET:
        values["country"] = clean_name(country, field="country", max_length=100,
                                       required=False)
    if needs_review is not _UNSET:
        values["needs_review"] = bool(needs_review)
    if reliability is not _UNSET or reliability_note is not _UNSET:
        values["reliability"], values["reliability_note"] = _rating(
            current.reliability if reliability is _UNSET else reliability,
            current.reliability_note if reliability_note is _UNSET else reliability_note,
        )
    changed = [f for f, v in values.items() if getattr(current, f) != v]
    if not changed:
        return current
    if "name" in changed or "slug" in changed:
        _lock_names()
    if "name" in changed:
        _refuse_taken(values["name"], field="name", renaming=current)
    for field in changed:
        setattr(current, field, values[field])
    rerated = {"reliability", "reliability_note"} & set(changed)
    if rerated:
        current.reliability_set_by = by
        current.reliability_set_at = timezone.now()
        changed += ["reliability_set_by", "reliability_set_at"]
    # Field rules (slug and URL formats, lengths) and the unique slug; names were checked.
    current.full_clean(exclude=[f.name for f in Source._meta.fields if f.name not in changed],
                       validate_constraints=False)
    _save(current, by=by, reason=reason or _what_changed(current, changed), field="name",
          update_fields=[*changed, "updated_at"])
    return current


def _what_changed(source: Source, changed: list[str]) -> str:
    edited = [f for f in changed if not f.startswith("reliability")]
    parts = [f"edited {', '.join(edited)}"] if edited else []
    if "reliability" in changed:
        parts.append(f"reliability: {source.reliability}")
    elif "reliability_note" in changed:
        parts.append("reliability rationale edited")
    return "; ".join(parts)


def source_set_reliability(*, source: Source, reliability: str, note: str, by) -> Source:
    """An editor rates a source; a rating needs its rationale."""
    return source_update(
        source=source, by=by, reliability=reliability, reliability_note=note,
        reason=f"reliability: {reliability}",
    )


def source_approve(*, source: Source, by) -> Source:
    """An editor accepts a source a reviewer proposed (clears "needs review")."""
    return source_update(source=source, by=by, needs_review=False, reason="approved")


@transaction.atomic
def source_alias_add(*, source: Source, alias: str, by, reason: str = "alias added"
                     ) -> SourceAlias:
    """Give a source another name; refuses one that any source already holds."""
    alias = clean_name(alias, field="aliases", max_length=_ALIAS_LENGTH, label="an alias")
    current = Source.objects.select_for_update().get(pk=source.pk)
    _lock_names()
    _refuse_taken(alias, field="aliases")
    row = SourceAlias(source=current, alias=alias)
    _save(row, by=by, reason=reason, field="aliases")
    return row


@transaction.atomic
def source_alias_remove(*, source: Source, alias: str, by, reason: str = "alias removed"
                        ) -> None:
    """Take a name off a source (compared as the registry compares names)."""
    name = " ".join((alias or "").split())
    Source.objects.select_for_update().get(pk=source.pk)
    row = (
        SourceAlias.objects.select_for_update()
        .alias(low=Lower("alias")).filter(source=source, low=Lower(Value(name))).first()
    )
    if row is None:
        raise ValidationError(
            {"aliases": f"“{name}” is not an alias of “{source.name}”."}, code="not_found"
        )
    if by is not None:
        row._history_user = by
    row._change_reason = reason
    row.delete()


# Articles ----------------------------------------------------------------------------------

# What an editor may change after import. Not the body: every sentence and annotation
# offset indexes into it. Not the origin or content hash: they say where the text came from.
# independent_review: editors' per-article override of PROVENANCE_INDEPENDENT_REVIEW
# (None: the site's setting), kept in the article's history like its metadata.
ARTICLE_EDITABLE = ("title", "publisher", "url", "author", "published_on",
                    "publication_kind", "language", "independent_review")


@transaction.atomic
def article_update(*, article: Article, by, reason: str | None = None, **changes) -> Article:
    """Change an article's metadata (ARTICLE_EDITABLE) in one save, with one history row
    naming `by` and what changed. An update that changes nothing writes nothing."""
    unknown = set(changes) - set(ARTICLE_EDITABLE)
    if unknown:
        raise TypeError(f"article_update() cannot change {', '.join(sorted(unknown))}")
    # The body is deferred: it is never written here, and can be megabytes.
    current = Article.objects.select_for_update().defer("body").get(pk=article.pk)
    for field in ("title", "author", "publication_kind", "language"):
        if field in changes:
            changes[field] = clean_name(
                changes[field], field=field, required=field in ("title", "language"),
                max_length=Article._meta.get_field(field).max_length,
            )
    if "url" in changes:
        changes["url"] = (changes["url"] or "").strip()
    changed = [f for f, v in changes.items() if _article_value(current, f) != _key(v)]
    if not changed:
        return current
    for field in changed:
        setattr(current, field, changes[field])
    current.full_clean(exclude=[f.name for f in Article._meta.fields if f.name not in changed])
    if by is not None:
        current._history_user = by
    current._change_reason = reason or f"edited {', '.join(changed)}"
    current.save(update_fields=changed)
    return current


def _article_value(article: Article, field: str):
    # The publisher by its id: comparing instances would load the current one.
    return article.publisher_id if field == "publisher" else getattr(article, field)


def _key(value):
    return value.pk if isinstance(value, Source) else value
