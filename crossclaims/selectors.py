"""Reads of claim groups for the claims page, the API and the exports: one query for the
groups, one for their members, one for their links, one for the decisions."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from annotations.selectors import SentenceMarker

from .models import Claim, ClaimGroup, ClaimLink, LinkDecision
from .quantities import format_value


def filter_groups(groups, *, subject="", article=None, source=None, conflict=None):
    """Groups about `subject` (words in it), with a claim from `article` (id), or citing
    `source` (id or slug), or with (True) or without (False) a conflict."""
    if subject := (subject or "").strip():
        groups = groups.filter(subject__icontains=subject)
    if article is not None:
        groups = groups.filter(Exists(Claim.objects.filter(group=OuterRef("pk"),
                                                           article_id=article)))
    if source not in (None, ""):
        source = str(source)
        match = Q(source_id=int(source)) if source.isdigit() else Q(source__slug=source)
        groups = groups.filter(Exists(Claim.objects.filter(match, group=OuterRef("pk"))))
    if conflict is not None:
        groups = groups.filter(has_conflict=conflict)
    return groups


@dataclass
class Member:
    claim: Claim
    normalised: str
    before: str
    marked: str
    after: str
    conflicts_with: list


def members_of(group_ids, links=None) -> dict[int, list[Member]]:
    """Each group's current claims, article by article, with the sentence split around the
    claim's words so a page can mark them. Pass the groups' `links_of` to save a query."""
    rows = (
        Claim.objects.current().filter(group_id__in=list(group_ids))
        .select_related("article", "sentence", "source")
        .order_by("group_id", "article__title", "article_id", "start")
    )
    if links is None:
        links = links_of(group_ids)
    conflicts = defaultdict(list)
    for link in (link for group_links in links.values() for link in group_links):
        if link.relation == "conflicts":
            conflicts[link.claim_a_id].append(link.claim_b_id)
            conflicts[link.claim_b_id].append(link.claim_a_id)
    out = defaultdict(list)
    for claim in rows:
        before = marked = after = ""
        if claim.sentence is not None:
            s = claim.sentence
            lo, hi = max(claim.start, s.start) - s.start, min(claim.end, s.end) - s.start
            if claim.kind == "assertion":
                before, marked, after = "", s.text, ""
            else:
                before, marked, after = s.text[:lo], s.text[lo:hi], s.text[hi:]
        out[claim.group_id].append(Member(
            claim=claim, normalised=format_value(claim.value, claim.unit) if claim.value
            is not None else (claim.direction and f"{claim.direction}, no figure") or "",
            before=before, marked=marked, after=after, conflicts_with=conflicts[claim.pk],
        ))
    return out


def links_of(group_ids) -> dict[int, list[ClaimLink]]:
    out = defaultdict(list)
    for link in ClaimLink.objects.filter(group_id__in=list(group_ids)).order_by(
            "group_id", "-relation", "id"):
        out[link.group_id].append(link)
    return out


def decisions_of(claim_ids) -> dict[tuple[int, int], LinkDecision]:
    rows = LinkDecision.objects.filter(claim_a_id__in=claim_ids).select_related("decided_by")
    return {(d.claim_a_id, d.claim_b_id): d for d in rows}


def groups_of_sentences(sentence_ids) -> dict[int, list[ClaimGroup]]:
    """The groups each sentence's claims belong to (for the workspace marker)."""
    out = defaultdict(dict)
    rows = Claim.objects.current().filter(sentence_id__in=list(sentence_ids),
                                          group__isnull=False).select_related("group")
    for claim in rows:
        out[claim.sentence_id][claim.group_id] = claim.group
    return {k: sorted(v.values(), key=lambda g: g.pk) for k, v in out.items()}


def groups_list():
    return ClaimGroup.objects.conflicts_first()


def _iso(value):
    return value.isoformat() if value else None


def group_data(groups) -> list[dict]:
    """Groups as plain data for the API and the exports: members with their values,
    periods and sources; links with their verdicts and any decision. Four queries for any
    number of groups."""
    groups = list(groups)
    ids = [g.pk for g in groups]
    links = links_of(ids)
    members = members_of(ids, links)
    decisions = decisions_of([m.claim.pk for ms in members.values() for m in ms])
    out = []
    for g in groups:
        rows = []
        for m in members.get(g.pk, []):
            c = m.claim
            source = c.source
            rows.append({
                "claim": c.pk, "kind": c.kind,
                "article": {"id": c.article_id, "title": c.article.title,
                            "published_on": _iso(c.article.published_on)},
                "sentence": {"id": c.sentence_id,
                             "text": c.sentence.text if c.sentence else None},
                "as_written": c.as_written if c.kind == "quantity" else "",
                "value": c.value, "unit": c.unit, "normalised": m.normalised,
                "comparator": c.comparator, "direction": c.direction, "status": c.status,
                "period": {"start": _iso(c.period_start), "end": _iso(c.period_end),
                           "as_written": c.period_text, "basis": c.period_basis},
                "attribution": c.attribution,
                "source": None if source is None else {
                    "id": source.pk, "name": source.name, "slug": source.slug,
                    "reliability": source.reliability},
                "conflicts_with": m.conflicts_with,
            })
        out.append({
            "id": g.pk, "kind": g.kind, "subject": g.subject, "unit": g.unit,
            "has_conflict": g.has_conflict, "member_count": g.member_count,
            "article_count": g.article_count, "built_at": g.built_at,
            "members": rows,
            "links": [
                {"claim_a": link.claim_a_id, "claim_b": link.claim_b_id,
                 "relation": link.relation, "reason": link.reason, "basis": link.basis,
                 "score": link.score,
                 "decision": _decision(decisions.get((link.claim_a_id, link.claim_b_id)))}
                for link in links.get(g.pk, [])
            ],
        })
    return out


def _decision(d):
    if d is None:
        return None
    return {"decision": d.decision, "by": d.decided_by.username, "note": d.note,
            "at": d.updated_at}


def sentence_markers(sentence_ids) -> dict:
    """The workspace's marks for sentences whose claims are in a group: a link to each
    group, flagged when the group has a conflict. One query."""
    rows = (
        Claim.objects.current()
        .filter(sentence_id__in=sentence_ids, group__isnull=False)
        .values_list("sentence_id", "group_id", "group__has_conflict", "group__subject")
        .distinct()
        .order_by("sentence_id", "group_id")
    )
    out = defaultdict(list)
    for sentence_id, group_id, conflict, subject in rows:
        title = f"In claim group #{group_id}: {subject}" + (" (conflict)" if conflict else "")
        out[sentence_id].append(SentenceMarker(
            label=f"#{group_id}", title=title, warning=conflict,
            href=reverse("crossclaims:group-detail", args=[group_id]) + "#g" + str(group_id),
        ))
    return out
