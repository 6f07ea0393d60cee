"""Every write to claims, groups and link decisions goes through here: the command, the
claims page, the API and the benchmark.

Extraction and grouping are the rules in `extraction` and `grouping`; this module reads
their input from the database, writes their output back, and records the decisions people
make about links (with django-simple-history, like every other write), so that the next
automatic run starts from those decisions.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from annotations.models import Annotation, Label, Status
from provenance.models import Article, Source, SourceAlias
from provenance.roles import is_editor
from provenance.text import clean_text

from . import extraction, group_rows, grouping
from .models import (
    Claim,
    ClaimGroup,
    ClaimKind,
    Decision,
    LinkDecision,
)

NOTE_MAX = 2_000
BATCH = group_rows.BATCH


@dataclass
class ExtractReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    deleted: int = 0


@dataclass
class RebuildReport:
    claims: int = 0
    groups: int = 0
    groups_created: int = 0
    groups_kept: int = 0
    groups_deleted: int = 0
    conflicts: int = 0
    links: int = 0
    refused_decisions: int = 0
    timings: dict = field(default_factory=dict)


# --- extraction -------------------------------------------------------------------------

def registry_names():
    """(compiled pattern, source id) for every registry name and alias, longest first, so
    "Chinese customs data" finds "Chinese customs" before "Chinese"."""
    names = [(s.name, s.pk) for s in Source.objects.only("name")]
    names += list(SourceAlias.objects.values_list("alias", "source_id"))
    names.sort(key=lambda n: len(n[0]), reverse=True)
    return [(re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE), pk)
            for name, pk in names if len(name) >= 3]


def _cited_sources(article):
    """Each sentence's cited source from reviewers' cited_source annotations that were not
    rejected (the first by name when several are cited)."""
    rows = (
        Annotation.objects.live()
        .filter(sentence__article=article, label=Label.CITED_SOURCE)
        .exclude(status=Status.REJECTED)
        .order_by("source__name")
        .values_list("sentence_id", "source_id")
    )
    cited = {}
    for sentence_id, source_id in rows:
        cited.setdefault(sentence_id, source_id)
    return cited


_FIELDS = ["sentence_id", "as_written", "subject", "measure", "value", "low", "high", "unit",
           "comparator", "direction", "status", "period_start", "period_end", "period_text",
           "period_basis", "parties", "attribution", "source_id", "terms", "retired_at"]


def _finite(x):
    return None if x is None or x in (float("inf"), float("-inf")) else x


@transaction.atomic
def claims_extract(*, article: Article, registry=None) -> ExtractReport:
    """Read the claims of `article`'s content sentences and store them.

    A claim is found again by its span, so re-running updates rows in place; a claim that
    is no longer found is deleted, or retired when a decision names it (a person's word is
    never deleted by a rule change).
    """
    # Locks the article: two extractions of one article at once would both insert its
    # claims and one would fail on the span constraint.
    Article.objects.select_for_update().filter(pk=article.pk).first()
    report = ExtractReport()
    content, drafts = _drafts(article)
    registry = registry_names() if registry is None else registry
    cited = _cited_sources(article)
    starts = [s.start for s in content]
    existing = {(c.start, c.end, c.kind): c for c in Claim.objects.filter(article=article)}
    seen = set()
    to_create, to_update = [], []
    for d in drafts:
        key = (d.start, d.end, d.kind)
        if key in seen:
            continue
        seen.add(key)
        sentence = content[max(i for i, start in enumerate(starts) if start <= d.start)]
        source_id = cited.get(sentence.pk)
        if source_id is None and d.attribution:
            source_id = next((pk for pattern, pk in registry if pattern.search(d.attribution)),
                             None)
        values = _claim_values(d, sentence_id=sentence.pk, source_id=source_id)
        claim = existing.get(key)
        if claim is None:
            to_create.append(Claim(article=article, kind=d.kind, start=d.start, end=d.end,
                                   **values))
        elif any(getattr(claim, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(claim, k, v)
            to_update.append(claim)
        else:
            report.unchanged += 1
    Claim.objects.bulk_create(to_create, batch_size=BATCH)
    Claim.objects.bulk_update(to_update, _FIELDS, batch_size=BATCH)
    report.created, report.updated = len(to_create), len(to_update)
    gone = [c.pk for key, c in existing.items() if key not in seen]
    report.retired, report.deleted = _retire_or_delete(gone)
    return report


def _drafts(article: Article):
    """(the article's content sentences, the claims extraction finds in them)."""
    sentences = list(article.sentences.all())
    content = [s for s in sentences if not s.is_boilerplate]
    texts = [extraction.SentenceText(s.start, s.text, s.starts_paragraph, s.is_heading)
             for s in content]
    context = extraction.article_context(
        texts, published_on=article.published_on,
        boilerplate=[s.text for s in sentences if s.is_boilerplate],
    )
    return content, extraction.extract_claims(texts, context)


def _claim_values(d, *, sentence_id, source_id) -> dict:
    """A draft claim's column values, cut to the columns' lengths."""
    return {
        "sentence_id": sentence_id, "as_written": d.as_written, "subject": d.subject[:300],
        "measure": d.measure[:300], "value": _finite(d.value), "low": _finite(d.low),
        "high": _finite(d.high), "unit": d.unit, "comparator": d.comparator,
        "direction": d.direction, "status": d.status, "period_start": d.period.start,
        "period_end": d.period.end, "period_text": d.period.text[:100],
        "period_basis": d.period.basis, "parties": ",".join(d.parties)[:300],
        "attribution": d.attribution[:300], "source_id": source_id,
        "terms": " ".join(d.terms), "retired_at": None,
    }


def _retire_or_delete(gone) -> tuple[int, int]:
    """Claims no longer found: retired when a decision names them, else deleted."""
    decided = set(
        LinkDecision.objects.filter(Q(claim_a_id__in=gone) | Q(claim_b_id__in=gone))
        .values_list("claim_a_id", "claim_b_id")
        .iterator()
    )
    keep = {pk for pair in decided for pk in pair} & set(gone)
    retired = Claim.objects.filter(pk__in=keep, retired_at__isnull=True).update(
        retired_at=timezone.now(), group=None
    )
    deleted, _ = Claim.objects.filter(pk__in=set(gone) - keep).delete()
    return retired, deleted


# --- grouping ---------------------------------------------------------------------------


@transaction.atomic
def groups_rebuild(*, now=None) -> RebuildReport:
    """Group every current claim again, people's decisions first."""
    now = now or timezone.now()
    # Locks every group row: a reviewer's split during a rebuild waits for it, instead of
    # being overwritten by a regrouping that never saw it.
    scope = list(ClaimGroup.objects.select_for_update().values_list("pk", flat=True))
    records = {r.id: r for r in group_rows.records(Claim.objects.current())}
    must, cannot = group_rows.decisions()
    result = grouping.group(list(records.values()), must_link=must, cannot_link=cannot)
    clusters = group_rows.kept_clusters(result, records, must)
    created, kept, deleted = group_rows.write_groups(
        clusters, result.links, records, scope_groups=scope, now=now
    )
    return RebuildReport(
        claims=len(records), groups=len(clusters), groups_created=created, groups_kept=kept,
        groups_deleted=deleted, links=len(result.links),
        conflicts=ClaimGroup.objects.filter(has_conflict=True).count(),
        refused_decisions=result.refused_decisions,
    )


def _regroup(claim_ids, *, now=None):
    """Group these claims again (after a decision about them), with the weights of every
    assertion so a local regrouping judges as the full rebuild would."""
    now = now or timezone.now()
    # The groups holding these claims, locked by id (PostgreSQL refuses FOR UPDATE with the
    # DISTINCT a join through claims would need).
    held = set(Claim.objects.filter(pk__in=claim_ids, group__isnull=False)
               .values_list("group_id", flat=True))
    scope = list(ClaimGroup.objects.select_for_update().filter(pk__in=held)
                 .values_list("pk", flat=True))
    ids = set(claim_ids) | set(
        Claim.objects.filter(group_id__in=scope).values_list("pk", flat=True)
    )
    records = {r.id: r for r in group_rows.records(Claim.objects.current().filter(pk__in=ids))}
    must, cannot = group_rows.decisions(list(records))
    assertions = Claim.objects.current().filter(kind=ClaimKind.ASSERTION)
    idf = grouping.idf_weights(group_rows.records(assertions))
    result = grouping.group(list(records.values()), must_link=must, cannot_link=cannot, idf=idf)
    clusters = group_rows.kept_clusters(result, records, must)
    group_rows.write_groups(clusters, result.links, records, scope_groups=scope, now=now)


# --- decisions --------------------------------------------------------------------------

def _pair(claim_a: Claim, claim_b: Claim):
    if claim_a.pk == claim_b.pk:
        raise ValidationError("A claim is always linked to itself.", code="same_claim")
    return (claim_a, claim_b) if claim_a.pk < claim_b.pk else (claim_b, claim_a)


def _decide(*, claim_a, claim_b, decision, by, note, seen=None) -> LinkDecision:
    """`seen`: the version of the standing decision the person was shown ("" for none), or
    None when the caller has no page to be stale (the command, tests)."""
    note = clean_text(note, field="note", max_length=NOTE_MAX)
    a, b = _pair(claim_a, claim_b)
    row = LinkDecision.objects.select_for_update().filter(claim_a=a, claim_b=b).first()
    if seen is not None and seen != (row.version if row else ""):
        # Two reviewers on one link: the second would overwrite a decision they never saw.
        standing = (f"{row.get_decision_display().lower()} by {row.decided_by.username}"
                    if row else "withdrawn")
        raise ValidationError(
            f"This link was decided since you loaded the page ({standing}); reload and "
            "decide again.", code="stale")
    if row is None:
        row = LinkDecision(claim_a=a, claim_b=b)
    row.decision, row.decided_by, row.note = decision, by, note
    row.full_clean()
    row.save()  # simple-history records who decided what, and every change of mind
    return row


@transaction.atomic
def link_confirm(*, claim_a: Claim, claim_b: Claim, by, note: str = "",
                 seen: str | None = None) -> LinkDecision:
    """A reviewer agrees that two claims are about the same measure: later runs keep them
    together whatever the rules say."""
    if claim_a.group_id is None or claim_a.group_id != claim_b.group_id:
        raise ValidationError("Only two claims of one group can be confirmed as linked.",
                              code="not_linked")
    row = _decide(claim_a=claim_a, claim_b=claim_b, decision=Decision.CONFIRMED, by=by,
                  note=note, seen=seen)
    # Regrouped so the confirmed pair is shown as a link of its own, judged like the rest.
    _regroup([claim_a.pk, claim_b.pk])
    return row


@transaction.atomic
def link_split(*, claim_a: Claim, claim_b: Claim, by, note: str = "",
               seen: str | None = None) -> LinkDecision:
    """A reviewer says two claims are not about the same measure: they leave each other's
    group now, and no later run puts them together again."""
    if claim_a.group_id is None or claim_a.group_id != claim_b.group_id:
        raise ValidationError("These claims are not in one group.", code="not_linked")
    row = _decide(claim_a=claim_a, claim_b=claim_b, decision=Decision.SPLIT, by=by, note=note,
                  seen=seen)
    _regroup([claim_a.pk, claim_b.pk])
    return row


@transaction.atomic
def groups_merge(*, group: ClaimGroup, into: ClaimGroup, by, note: str = "") -> ClaimGroup:
    """An editor says two groups are one measure. Recorded as a link between a claim of
    each, so a rebuild joins them again; `into` keeps its id."""
    if not is_editor(by):
        raise ValidationError("Only editors merge groups.", code="not_editor")
    if group.pk == into.pk:
        raise ValidationError("A group cannot be merged into itself.", code="same_group")
    locked = {g.pk: g for g in ClaimGroup.objects.select_for_update().filter(
        pk__in=[group.pk, into.pk])}
    if len(locked) != 2:
        raise ValidationError("One of these groups no longer exists.", code="gone")
    anchor_from = Claim.objects.current().filter(group=group).order_by("pk").first()
    anchor_into = Claim.objects.current().filter(group=into).order_by("pk").first()
    if anchor_from is None or anchor_into is None:
        raise ValidationError("One of these groups has no claims.", code="empty")
    _decide(claim_a=anchor_from, claim_b=anchor_into, decision=Decision.MERGED, by=by,
            note=note)
    # Move the claims first, so the regrouping's "keep the id of the old group that held
    # most" picks `into`.
    Claim.objects.filter(group=group).update(group=into)
    ClaimGroup.objects.filter(pk=group.pk).delete()  # empty now; its links go with it
    _regroup(list(Claim.objects.filter(group=into).values_list("pk", flat=True)))
    return ClaimGroup.objects.filter(pk=into.pk).first() or into
