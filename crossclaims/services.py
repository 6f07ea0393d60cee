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

from . import extraction, grouping
from .models import (
    Claim,
    ClaimGroup,
    ClaimKind,
    ClaimLink,
    Decision,
    LinkDecision,
    Relation,
)

NOTE_MAX = 2_000
# Rows per bulk statement: well under SQLite's 32,766 bound variables at ~10 fields a row.
BATCH = 500


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
    sentences = list(article.sentences.all())
    content = [s for s in sentences if not s.is_boilerplate]
    texts = [extraction.SentenceText(s.start, s.text, s.starts_paragraph) for s in content]
    context = extraction.article_context(
        texts, published_on=article.published_on,
        boilerplate=[s.text for s in sentences if s.is_boilerplate],
    )
    drafts = extraction.extract_claims(texts, context)
    registry = registry_names() if registry is None else registry
    cited = _cited_sources(article)
    starts = [s.start for s in content]
    existing = {(c.start, c.end, c.kind): c for c in Claim.objects.filter(article=article)}
    seen = set()
    to_create, to_update = [], []
    for d in drafts:
        sentence = content[max(i for i, start in enumerate(starts) if start <= d.start)]
        source_id = cited.get(sentence.pk)
        if source_id is None and d.attribution:
            source_id = next((pk for pattern, pk in registry if pattern.search(d.attribution)),
                             None)
        values = {
            "sentence_id": sentence.pk, "as_written": d.as_written, "subject": d.subject[:300],
            "measure": d.measure[:300], "value": _finite(d.value), "low": _finite(d.low),
            "high": _finite(d.high), "unit": d.unit, "comparator": d.comparator,
            "direction": d.direction, "status": d.status, "period_start": d.period.start,
            "period_end": d.period.end, "period_text": d.period.text[:100],
            "period_basis": d.period.basis, "parties": ",".join(d.parties)[:300],
            "attribution": d.attribution[:300], "source_id": source_id,
            "terms": " ".join(d.terms), "retired_at": None,
        }
        key = (d.start, d.end, d.kind)
        if key in seen:
            continue
        seen.add(key)
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
    decided = set(
        LinkDecision.objects.filter(Q(claim_a_id__in=gone) | Q(claim_b_id__in=gone))
        .values_list("claim_a_id", "claim_b_id")
        .iterator()
    )
    keep = {pk for pair in decided for pk in pair} & set(gone)
    report.retired = Claim.objects.filter(pk__in=keep, retired_at__isnull=True).update(
        retired_at=timezone.now(), group=None
    )
    report.deleted, _ = Claim.objects.filter(pk__in=set(gone) - keep).delete()
    return report


# --- grouping ---------------------------------------------------------------------------

_RECORD_FIELDS = ["id", "article_id", "kind", "measure", "terms", "parties", "value", "low",
                  "high", "direction", "status", "period_start", "period_end"]


def _records(queryset):
    for (pk, article_id, kind, measure, terms, parties, value, low, high, direction, status,
         period_start, period_end) in queryset.values_list(*_RECORD_FIELDS).iterator(
            chunk_size=5_000):
        yield grouping.Record(
            pk, article_id, kind, measure, tuple(terms.split()),
            tuple(parties.split(",")) if parties else (), value,
            low if low is not None or value is None else float("-inf"),
            high if high is not None or value is None else float("inf"),
            direction, status, period_start, period_end,
        )


def _decisions(claim_ids=None):
    rows = LinkDecision.objects.order_by("created_at", "id")
    if claim_ids is not None:
        rows = rows.filter(claim_a_id__in=claim_ids, claim_b_id__in=claim_ids)
    must, cannot = [], []
    for a, b, decision in rows.values_list("claim_a_id", "claim_b_id", "decision"):
        (cannot if decision == Decision.SPLIT else must).append((a, b))
    return must, cannot


def _kept(result: grouping.Grouping, records: dict, must) -> list[list[int]]:
    """Clusters worth a group: claims from two articles or more, or joined by a person."""
    decided = {pk for pair in must for pk in pair}
    kept = []
    for ids in result.clusters:
        if len({records[i].article_id for i in ids}) > 1 or decided & set(ids):
            kept.append(ids)
    return kept


def _write(clusters, links, records, *, scope_groups, now) -> tuple[int, int, int]:
    """Store clusters as groups, keeping the id of the old group that held most of each
    cluster's claims, so links to a group survive a rebuild that barely changed it."""
    old_members = {}
    for pk, group_id in Claim.objects.filter(group_id__in=scope_groups).values_list(
            "pk", "group_id").iterator(chunk_size=5_000):
        old_members[pk] = group_id
    claimed, created, kept = set(), 0, 0
    assignments = {}
    links_by_claim = {}
    for link in links:
        links_by_claim.setdefault(link.a, []).append(link)
    new_groups = []
    for ids in sorted(clusters, key=len, reverse=True):
        votes = {}
        for pk in ids:
            if (g := old_members.get(pk)) is not None and g not in claimed:
                votes[g] = votes.get(g, 0) + 1
        members = [records[i] for i in ids]
        first = members[0]
        conflict = any(link.relation == Relation.CONFLICTS
                       for pk in ids for link in links_by_claim.get(pk, ()))
        fields = {
            "kind": first.kind, "subject": "", "measure": first.measure,
            "has_conflict": conflict, "member_count": len(ids),
            "article_count": len({m.article_id for m in members}), "built_at": now,
        }
        if votes:
            group_id = max(votes, key=lambda g: (votes[g], -g))
            claimed.add(group_id)
            ClaimGroup.objects.filter(pk=group_id).update(**fields)
            kept += 1
        else:
            new_groups.append((ids, ClaimGroup(**fields)))
            continue
        for pk in ids:
            assignments[pk] = group_id
    if new_groups:
        ClaimGroup.objects.bulk_create([g for _, g in new_groups], batch_size=BATCH)
        created = len(new_groups)
        for ids, g in new_groups:
            for pk in ids:
                assignments[pk] = g.pk
    # Claims that left every group, then each claim's new group, a statement per group.
    grouped = set(assignments)
    Claim.objects.filter(group_id__in=scope_groups).exclude(pk__in=grouped).update(group=None)
    by_group = {}
    for pk, group_id in assignments.items():
        if old_members.get(pk) != group_id:
            by_group.setdefault(group_id, []).append(pk)
    for group_id, pks in by_group.items():
        for i in range(0, len(pks), BATCH):
            Claim.objects.filter(pk__in=pks[i:i + BATCH]).update(group_id=group_id)
    ClaimLink.objects.filter(group_id__in=scope_groups).delete()
    ClaimLink.objects.bulk_create(
        [ClaimLink(group_id=assignments[link.a], claim_a_id=link.a, claim_b_id=link.b,
                   relation=link.relation, reason=link.reason[:200], basis=link.basis,
                   score=link.score)
         for link in links if link.a in assignments and assignments.get(link.b) ==
         assignments[link.a]],
        batch_size=BATCH,
    )
    _name_groups(set(assignments.values()))
    deleted, _ = ClaimGroup.objects.filter(pk__in=set(scope_groups) - claimed).delete()
    return created, kept, deleted


def _name_groups(group_ids):
    """A group's subject: its members' most common subject; for assertions, their parties
    and the words most of them share ("China, Russia: level, relations")."""
    counts, terms, words = {}, {}, {}
    rows = Claim.objects.filter(group_id__in=group_ids).values_list(
        "group_id", "subject", "unit", "kind", "terms", "as_written")
    for group_id, subject, unit, kind, claim_terms, text in rows.iterator(chunk_size=5_000):
        per = counts.setdefault(group_id, {})
        per[(subject, unit)] = per.get((subject, unit), 0) + 1
        if kind == ClaimKind.ASSERTION:
            shared = terms.setdefault(group_id, {})
            for t in {t.lstrip("~") for t in claim_terms.split()}:
                shared[t] = shared.get(t, 0) + 1
            for word in re.findall(r"[A-Za-z][A-Za-z-]+", text):
                words.setdefault(extraction.root_of(word.lower()), word.lower())
    for group_id, per in counts.items():
        (subject, unit), _ = max(per.items(), key=lambda kv: (kv[1], kv[0]))
        if group_id in terms:
            common = sorted(terms[group_id].items(), key=lambda kv: (-kv[1], kv[0]))[:3]
            shown = [words.get(t, t.lstrip("@").replace("_", " ")) for t, n in common if n > 1]
            subject = f"{subject}: {', '.join(shown)}" if shown else subject
        ClaimGroup.objects.filter(pk=group_id).update(subject=subject[:300] or "(assertion)",
                                                       unit=unit)


@transaction.atomic
def groups_rebuild(*, now=None) -> RebuildReport:
    """Group every current claim again, people's decisions first."""
    now = now or timezone.now()
    # Locks every group row: a reviewer's split during a rebuild waits for it, instead of
    # being overwritten by a regrouping that never saw it.
    scope = list(ClaimGroup.objects.select_for_update().values_list("pk", flat=True))
    records = {r.id: r for r in _records(Claim.objects.current())}
    must, cannot = _decisions()
    result = grouping.group(list(records.values()), must_link=must, cannot_link=cannot)
    clusters = _kept(result, records, must)
    created, kept, deleted = _write(clusters, result.links, records, scope_groups=scope,
                                    now=now)
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
    records = {r.id: r for r in _records(Claim.objects.current().filter(pk__in=ids))}
    must, cannot = _decisions(list(records))
    idf = grouping.idf_weights(_records(Claim.objects.current().filter(kind=ClaimKind.ASSERTION)))
    result = grouping.group(list(records.values()), must_link=must, cannot_link=cannot, idf=idf)
    clusters = _kept(result, records, must)
    _write(clusters, result.links, records, scope_groups=scope, now=now)


# --- decisions --------------------------------------------------------------------------

def _pair(claim_a: Claim, claim_b: Claim):
    if claim_a.pk == claim_b.pk:
        raise ValidationError("A claim is always linked to itself.", code="same_claim")
    return (claim_a, claim_b) if claim_a.pk < claim_b.pk else (claim_b, claim_a)


def _decide(*, claim_a, claim_b, decision, by, note) -> LinkDecision:
    note = clean_text(note, field="note", max_length=NOTE_MAX)
    a, b = _pair(claim_a, claim_b)
    row = LinkDecision.objects.select_for_update().filter(claim_a=a, claim_b=b).first()
    if row is None:
        row = LinkDecision(claim_a=a, claim_b=b)
    row.decision, row.decided_by, row.note = decision, by, note
    row.full_clean()
    row.save()  # simple-history records who decided what, and every change of mind
    return row


@transaction.atomic
def link_confirm(*, claim_a: Claim, claim_b: Claim, by, note: str = "") -> LinkDecision:
    """A reviewer agrees that two claims are about the same measure: later runs keep them
    together whatever the rules say."""
    if claim_a.group_id is None or claim_a.group_id != claim_b.group_id:
        raise ValidationError("Only two claims of one group can be confirmed as linked.",
                              code="not_linked")
    row = _decide(claim_a=claim_a, claim_b=claim_b, decision=Decision.CONFIRMED, by=by,
                  note=note)
    # Regrouped so the confirmed pair is shown as a link of its own, judged like the rest.
    _regroup([claim_a.pk, claim_b.pk])
    return row


@transaction.atomic
def link_split(*, claim_a: Claim, claim_b: Claim, by, note: str = "") -> LinkDecision:
    """A reviewer says two claims are not about the same measure: they leave each other's
    group now, and no later run puts them together again."""
    if claim_a.group_id is None or claim_a.group_id != claim_b.group_id:
        raise ValidationError("These claims are not in one group.", code="not_linked")
    row = _decide(claim_a=claim_a, claim_b=claim_b, decision=Decision.SPLIT, by=by, note=note)
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
