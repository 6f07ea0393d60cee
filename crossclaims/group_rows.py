"""The rows a grouping becomes: claims read as grouping.Records, people's decisions as
must/cannot links, and a grouping written back as groups, claim memberships and links
(keeping the id of the group that held most of a cluster, so links to it survive a
rebuild). Called by crossclaims.services inside its transactions, which lock the groups.
"""

import re

from . import extraction, grouping
from .models import Claim, ClaimGroup, ClaimKind, ClaimLink, Decision, LinkDecision, Relation

# Rows per bulk statement: well under SQLite's 32,766 bound variables at ~10 fields a row.
BATCH = 500

_RECORD_FIELDS = ["id", "article_id", "kind", "measure", "terms", "parties", "value", "low",
                  "high", "direction", "status", "period_start", "period_end"]


def records(queryset):
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


def decisions(claim_ids=None):
    rows = LinkDecision.objects.order_by("created_at", "id")
    if claim_ids is not None:
        rows = rows.filter(claim_a_id__in=claim_ids, claim_b_id__in=claim_ids)
    must, cannot = [], []
    for a, b, decision in rows.values_list("claim_a_id", "claim_b_id", "decision"):
        (cannot if decision == Decision.SPLIT else must).append((a, b))
    return must, cannot


def kept_clusters(result: grouping.Grouping, records: dict, must) -> list[list[int]]:
    """Clusters worth a group: claims from two articles or more, or joined by a person."""
    decided = {pk for pair in must for pk in pair}
    kept = []
    for ids in result.clusters:
        if len({records[i].article_id for i in ids}) > 1 or decided & set(ids):
            kept.append(ids)
    return kept


def write_groups(clusters, links, records, *, scope_groups, now) -> tuple[int, int, int]:
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
    _move_claims(assignments, old_members, scope_groups)
    _store_links(links, assignments, scope_groups)
    _name_groups(set(assignments.values()))
    deleted, _ = ClaimGroup.objects.filter(pk__in=set(scope_groups) - claimed).delete()
    return created, kept, deleted


def _move_claims(assignments, old_members, scope_groups) -> None:
    """Claims that left every group, then each claim's new group, a statement per group."""
    grouped = set(assignments)
    Claim.objects.filter(group_id__in=scope_groups).exclude(pk__in=grouped).update(group=None)
    by_group = {}
    for pk, group_id in assignments.items():
        if old_members.get(pk) != group_id:
            by_group.setdefault(group_id, []).append(pk)
    for group_id, pks in by_group.items():
        for i in range(0, len(pks), BATCH):
            Claim.objects.filter(pk__in=pks[i:i + BATCH]).update(group_id=group_id)


def _store_links(links, assignments, scope_groups) -> None:
    """The links inside each group, in place of the scope's old ones."""
    ClaimLink.objects.filter(group_id__in=scope_groups).delete()
    reasons = _reasons_in_words(links)
    ClaimLink.objects.bulk_create(
        [ClaimLink(group_id=assignments[link.a], claim_a_id=link.a, claim_b_id=link.b,
                   relation=link.relation,
                   reason=reasons.get((link.a, link.b), link.reason)[:200],
                   basis=link.basis, score=link.score)
         for link in links if link.a in assignments and assignments.get(link.b) ==
         assignments[link.a]],
        batch_size=BATCH,
    )


_ROOT_IN_REASON = re.compile(r"'([^'\s]+)…'")


def _reasons_in_words(links) -> dict:
    """A verdict names the root it turns on ("one says not 'alli…'"); reviewers read the
    word as the claims write it ("one says not 'allies'")."""
    named = [(link, m) for link in links if (m := _ROOT_IN_REASON.search(link.reason))]
    texts = dict(Claim.objects.filter(
        pk__in={pk for link, _ in named for pk in (link.a, link.b)}
    ).values_list("pk", "as_written"))
    out = {}
    for link, m in named:
        words = (w for pk in (link.a, link.b)
                 for w in re.findall(r"[A-Za-z][A-Za-z-]+", texts.get(pk, "")))
        word = next((w for w in words if extraction.root_of(w.lower()) == m.group(1)), None)
        if word:
            out[(link.a, link.b)] = link.reason.replace(m.group(0), f"'{word.lower()}'")
    return out


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
