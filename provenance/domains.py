"""Sources' web domains: which source published a page, and the writes that say so.

A page's publisher is the source owning its host or the nearest parent domain of it
(news.bbc.co.uk → bbc.co.uk), so one registered domain covers every subdomain without a
public-suffix list. A page from a domain nobody owns gets a new source, marked
*needs review*, named after the site as the page calls itself.

A page's claims about itself are never enough to attach it to an existing source: a page
on evil.example saying its site name is "BBC" must not become the BBC's, nor give the BBC
its domain. When the name is taken by a source that does not own the domain, the new
source is named "BBC (evil.example)" and an editor decides (merging if it is the same).
"""

import ipaddress
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .models import Source, SourceDomain, SourceKind
from .services import source_create, source_find

_NAME_LENGTH = Source._meta.get_field("name").max_length


def normalise_domain(value: str) -> str:
    """A host name as stored: lower-case ASCII (IDNA), no scheme, port, path, trailing
    dot or "www."; "" when `value` has no usable host (none, one label, an IP address)."""
    value = (value or "").strip()
    if "//" not in value:
        value = "//" + value
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".").lower()
    try:
        ipaddress.ip_address(host)
        return ""  # an address is not a site: many sites can share one
    except ValueError:
        pass
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return ""
    if host.startswith("www."):
        host = host[4:]
    if "." not in host or any(not label for label in host.split(".")):
        return ""
    return host


def parent_domains(host: str) -> list[str]:
    """`host` and each parent domain of it with at least two labels, longest first."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def source_for_host(host: str) -> Source | None:
    """The source owning `host` or its nearest parent domain (one indexed query)."""
    host = normalise_domain(host)
    if not host:
        return None
    owned = (
        SourceDomain.objects.filter(domain__in=parent_domains(host))
        .select_related("source")
    )
    best = max(owned, key=lambda d: len(d.domain), default=None)
    return None if best is None else best.source


@transaction.atomic
def source_domain_add(*, source: Source, domain: str, by=None) -> SourceDomain:
    """Give `source` a web domain; refuses one that is not a host name or that another
    source (or this one) already owns."""
    normalised = normalise_domain(domain)
    if not normalised:
        raise ValidationError({"domain": f"“{domain}” is not a web domain."}, code="invalid")
    owner = SourceDomain.objects.filter(domain=normalised).select_related("source").first()
    if owner is not None:
        raise ValidationError(
            {"domain": f"“{normalised}” already belongs to “{owner.source.name}”."},
            code="duplicate",
        )
    row = SourceDomain(source=source, domain=normalised)
    if by is not None:
        row._history_user = by
    row.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # another writer took it between the check and the insert
        raise ValidationError(
            {"domain": f"“{normalised}” already belongs to another source."}, code="duplicate"
        ) from None
    return row


def publisher_for_page(
    *, url: str = "", site_name: str = "", created_by=None, create: bool = True
) -> Source | None:
    """The source that published a page at `url` calling itself `site_name`: the owner of
    its domain, else (with `create`) a new source needing review, owning the domain so
    the next page from the site finds it. None when the page gives neither a host nor a
    name, or nobody owns the domain and `create` is off."""
    host = normalise_domain(url)
    if host:
        owner = source_for_host(host)
        if owner is not None:
            return owner
    if not create:
        return None
    name = " ".join((site_name or "").split())[:150] or host
    if not name:
        return None
    if not host:
        # Only a name: the registry's source of that name, or a new one to review.
        return source_find(name) or _create(name=name, host="", created_by=created_by)
    if source_find(name) is not None:
        name = f"{name} ({host})" if len(name) + len(host) + 3 <= _NAME_LENGTH else host
        taken = source_find(name)
        if taken is not None:
            # "BBC (evil.example)" exists and does not own evil.example: an editor took
            # the domain away from it, so do not give it back.
            return taken
    try:
        with transaction.atomic():
            return _create(name=name, host=host, created_by=created_by)
    except (IntegrityError, ValidationError):
        # Another import of a page from the same new site created it first.
        owner = source_for_host(host)
        if owner is None:
            raise
        return owner


def _create(*, name: str, host: str, created_by) -> Source:
    source = source_create(
        name=name, kind=SourceKind.OTHER,
        created_by=created_by, needs_review=True,
        homepage=f"https://{host}/" if host else "",
    )
    if host:
        source_domain_add(source=source, domain=host, by=created_by)
    return source


def source_domains_move(*, from_ids, to: Source) -> int:
    """Give `to` the domains of the sources `from_ids` (a merge): without it the merged
    sources' deletion would take their domains along, and the next page from those sites
    would propose yet another new source."""
    return SourceDomain.objects.filter(source_id__in=list(from_ids)).update(source=to)
