"""Claims about the same measure of the same subject, grouped, and each link judged.

Pure Python over plain records, so the services, the evaluation on the seeds and the
100,000-claim benchmark run the same code.

- Quantities are grouped by their measure key (measure, goods, parties, dimension): a hash
  join, linear in the number of claims, so the unit and the subject agree by construction;
  periods, targets and scopes are then compared inside the group.
- Assertions (no figure) are candidates when MinHash LSH (datasketch) finds their roots
  alike, and are linked only when the roots they share weigh enough (inverse document
  frequency, so "sanction" in every article links nothing) and their parties overlap.
- Reviewers' and editors' decisions come first: a confirmed link or a merge joins its two
  claims before any rule runs, and a split keeps its two claims apart whatever the rules say.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from datasketch import MinHash, MinHashLSH

AGREES, COMPATIBLE, CONFLICTS = "agrees", "compatible", "conflicts"

# Assertions: LSH finds pairs whose root sets overlap this much (Jaccard) with good
# probability; the weighted check below decides.
LSH_THRESHOLD = 0.12
NUM_PERM = 64
# Share of the lighter claim's root weight that the shared roots must carry, and how many
# roots at least: one shared word is a coincidence, two rare ones are a topic.
MIN_SIMILARITY = 0.34
MIN_SHARED = 2
# A group of assertions stops growing here: past it, links are chains of coincidences.
MAX_ASSERTION_GROUP = 12


@dataclass(frozen=True)
class Record:
    id: int
    article_id: int
    kind: str                 # "quantity" or "assertion"
    measure: str = ""
    terms: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    value: float | None = None
    low: float | None = None
    high: float | None = None
    direction: str = ""
    status: str = "outcome"
    period_start: object = None
    period_end: object = None


@dataclass(frozen=True)
class Link:
    a: int
    b: int
    relation: str
    reason: str
    basis: str                # "measure", "similarity", "decision"
    score: float = 1.0


@dataclass
class Grouping:
    clusters: list[list[int]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    refused_decisions: int = 0


class _Clusters:
    """Union-find that refuses to join two claims a reviewer split."""

    def __init__(self, ids, cannot):
        self.parent = {i: i for i in ids}
        self.size = dict.fromkeys(ids, 1)
        self.kind_size = {}
        self.forbidden = defaultdict(set)
        for a, b in cannot:
            if a in self.parent and b in self.parent:
                self.forbidden[a].add(b)
                self.forbidden[b].add(a)

    def find(self, i):
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a, b, *, max_size=None) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if max_size and self.size[ra] + self.size[rb] > max_size:
            return False
        small, large = (ra, rb) if len(self.forbidden[ra]) <= len(self.forbidden[rb]) else (rb, ra)
        if any(self.find(x) == large for x in self.forbidden[small]):
            return False
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        self.forbidden[ra] |= self.forbidden.pop(rb, set())
        return True


def _average_link(left, right, strong) -> bool:
    """Join two groups of assertions only when at least half the pairs across them are
    alike: single links chain "trade" to "sanctions" to "the West" within three steps."""
    alike = sum((min(x, y), max(x, y)) in strong for x in left for y in right)
    return alike * 2 >= len(left) * len(right)


def _root(term: str) -> str:
    return term.lstrip("~")


def idf_weights(records: Iterable[Record]) -> dict[str, float]:
    df = Counter()
    n = 0
    for r in records:
        n += 1
        df.update({_root(t) for t in r.terms})
    return {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}


def similarity(a: Record, b: Record, idf: dict[str, float]) -> tuple[float, int]:
    """Weight of the roots a and b share over the lighter one's weight, and how many."""
    return _similarity(_roots(a), _roots(b), idf)


def _roots(r: Record) -> frozenset:
    return frozenset(_root(t) for t in r.terms)


def _similarity(roots_a, roots_b, idf, weight_a=None, weight_b=None):
    shared = roots_a & roots_b
    if not shared:
        return 0.0, 0
    if weight_a is None:
        weight_a = sum(idf.get(t, 0.0) for t in roots_a)
    if weight_b is None:
        weight_b = sum(idf.get(t, 0.0) for t in roots_b)
    lighter = min(weight_a, weight_b) or 1.0
    return sum(idf.get(t, 0.0) for t in shared) / lighter, len(shared)


# Candidates examined per assertion: a group stops at MAX_ASSERTION_GROUP members, so
# hundreds of near-copies of one sentence need not all be compared with each other.
MAX_CANDIDATES = 48


def assertion_candidates(records: list[Record]):
    """Pairs of assertions that name a party in common and whose roots MinHash LSH finds
    alike: one LSH index per party, since assertions about different parties are never
    linked (an assertion that names none is indexed under ""). Each pair once."""
    hashes = dict(zip(
        (r.id for r in records),
        MinHash.bulk([[_root(t).encode() for t in r.terms] for r in records],
                     num_perm=NUM_PERM),
        strict=True,
    ))
    blocks: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        for party in r.parties or ("",):
            blocks[party].append(r)
    seen = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        # Weighted towards recall: a missed candidate is lost for good, while a false one
        # costs only the weighted check that follows.
        lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM, weights=(0.1, 0.9))
        for r in members:
            lsh.insert(r.id, hashes[r.id], check_duplication=False)
        for r in members:
            found = 0
            for other in sorted(lsh.query(hashes[r.id])):
                if other <= r.id:
                    continue
                pair = (r.id, other)
                if pair in seen:
                    continue
                seen.add(pair)
                yield pair
                found += 1
                if found >= MAX_CANDIDATES:
                    break


def group(records: list[Record], *, must_link=(), cannot_link=(), idf=None) -> Grouping:
    """Cluster `records` and judge the links inside each cluster.

    `must_link` pairs (confirmed links and merges, oldest first) are joined first;
    `cannot_link` pairs (splits) are never in one cluster. `idf` weighs assertion roots;
    by default it is computed from the assertions given.
    """
    by_id = {r.id: r for r in records}
    clusters = _Clusters(by_id, cannot_link)
    edges: list[tuple[int, int, str, float]] = []
    refused = 0
    for a, b in must_link:
        if a in by_id and b in by_id:
            if clusters.union(a, b):
                edges.append((a, b, "decision", 1.0))
            elif clusters.find(a) != clusters.find(b):
                refused += 1

    edges += _join_quantities(records, clusters)
    edges += _join_assertions(records, clusters, idf)
    members = defaultdict(list)
    for r in records:
        members[clusters.find(r.id)].append(r.id)
    result = Grouping(refused_decisions=refused)
    result.clusters = [sorted(ids) for ids in members.values() if len(ids) > 1]
    root_of = {i: clusters.find(i) for i in by_id}
    cluster_edges = defaultdict(list)
    for a, b, basis, score in edges:
        cluster_edges[root_of[a]].append((a, b, basis, score))
    for ids in result.clusters:
        result.links += judge([by_id[i] for i in ids], cluster_edges[root_of[ids[0]]])
    return result


def _join_quantities(records, clusters) -> list[tuple]:
    """Quantities: one measure key, one candidate group. Returns the edges joined."""
    edges = []
    buckets = defaultdict(list)
    for r in records:
        if r.kind == "quantity" and r.measure:
            buckets[r.measure].append(r.id)
    for ids in buckets.values():
        ids.sort()
        for a, b in zip(ids, ids[1:], strict=False):
            if clusters.union(a, b):
                edges.append((a, b, "measure", 1.0))
    return edges


def _join_assertions(records, clusters, idf) -> list[tuple]:
    """Assertions: LSH candidates, then the weighted check, strongest pairs first; a pair
    joins when it is linked on average to the other's cluster. Returns the edges joined."""
    edges = []
    assertions = [r for r in records if r.kind == "assertion" and r.terms]
    idf = idf_weights(assertions) if idf is None else idf
    roots = {r.id: _roots(r) for r in assertions}
    weights = {pk: sum(idf.get(t, 0.0) for t in rs) for pk, rs in roots.items()}
    scored = []
    for a, b in assertion_candidates(assertions):
        score, shared = _similarity(roots[a], roots[b], idf, weights[a], weights[b])
        if score >= MIN_SIMILARITY and shared >= MIN_SHARED:
            scored.append((score, a, b))
    scored.sort(reverse=True)
    strong = {(a, b) for _, a, b in scored}
    members_of = {r.id: [r.id] for r in assertions}
    for score, a, b in scored:
        ra, rb = clusters.find(a), clusters.find(b)
        if ra == rb or not _average_link(members_of.get(ra, [ra]), members_of.get(rb, [rb]),
                                         strong):
            continue
        if clusters.union(a, b, max_size=MAX_ASSERTION_GROUP):
            edges.append((a, b, "similarity", round(score, 3)))
            root = clusters.find(a)
            members_of[root] = members_of.pop(ra, [ra]) + members_of.pop(rb, [rb])
    return edges


# --- verdicts ---------------------------------------------------------------------------

def _period(r: Record):
    return (r.period_start, r.period_end) if r.period_start else None


def _values_agree(a: Record, b: Record) -> bool | None:
    if a.low is not None and b.low is not None:
        return a.low <= b.high and b.low <= a.high
    sign = lambda r: r.direction or (  # noqa: E731
        "" if r.value is None else "up" if r.value > 0 else "down" if r.value < 0 else "")
    if sign(a) and sign(b):
        return sign(a) == sign(b)
    return None


def verdict(a: Record, b: Record) -> tuple[str, str]:
    """How two claims of one group relate, and why, in words a reviewer reads."""
    if a.kind == "assertion" or b.kind == "assertion":
        # A root said only plainly on one side and negated on the other ("not allies" and
        # "an alliance"); a root said both ways in one sentence decides nothing for it.
        neg_a = {t[1:] for t in a.terms if t.startswith("~")}
        neg_b = {t[1:] for t in b.terms if t.startswith("~")}
        pos_a = {t for t in a.terms if not t.startswith("~")}
        pos_b = {t for t in b.terms if not t.startswith("~")}
        opposed = sorted((neg_a & pos_b - neg_b) | (neg_b & pos_a - neg_a))
        if opposed and a.article_id != b.article_id:
            return CONFLICTS, f"one says not '{opposed[0]}…', the other says it is"
        return AGREES, "the same assertion"
    if a.status != b.status and "outcome" in (a.status, b.status):
        other = a.status if a.status != "outcome" else b.status
        return COMPATIBLE, f"a {other} against an outcome"
    pa, pb = _period(a), _period(b)
    agree = _values_agree(a, b)
    if pa and pb and pa != pb:
        overlap = pa[0] <= pb[1] and pb[0] <= pa[1]
        return COMPATIBLE, "part of a period against the whole" if overlap else "different periods"
    if agree is None:
        return COMPATIBLE, "nothing to compare"
    if not (pa and pb):
        if agree:
            return AGREES, "same value within its rounding (a period is not stated)"
        return COMPATIBLE, "different values, but a period is not stated"
    if agree:
        return AGREES, "same period, same value within its rounding"
    if a.article_id == b.article_id:
        return COMPATIBLE, "different values in one article"
    return CONFLICTS, "same period, different values"


def judge(members: list[Record], edges) -> list[Link]:
    """The links of one group: the pairs that linked it (each judged) and, for every claim
    that conflicts with the rest, one conflicting pair. Linear-ish in the group's size: a
    group of 20,000 claims about one measure must not mean 200 million pairs."""
    by_id = {r.id: r for r in members}
    links = {}
    for a, b, basis, score in edges:
        relation, reason = verdict(by_id[a], by_id[b])
        links[(a, b)] = Link(a, b, relation, reason, basis, score)
    if members[0].kind == "quantity" or any(r.kind == "quantity" for r in members):
        for a, b in _quantity_conflicts(members):
            relation, reason = verdict(by_id[a], by_id[b])
            if relation == CONFLICTS:
                key = (min(a, b), max(a, b))
                links.setdefault(key, Link(*key, relation, reason, "measure"))
    else:
        seen = set()
        for r in members:
            for t in r.terms:
                seen.add((t, r.id))
        for r in members:
            for other in members:
                if other.id <= r.id or other.article_id == r.article_id:
                    continue
                relation, reason = verdict(r, other)
                if relation == CONFLICTS:
                    links.setdefault((r.id, other.id),
                                     Link(r.id, other.id, relation, reason, "similarity"))
    return list(links.values())


def _quantity_conflicts(members: list[Record]):
    """Pairs (a, b) that may conflict: within each (period, status) bucket, the claims whose
    interval misses the value most claims agree on, each paired with one claim from another
    article that has it."""
    buckets = defaultdict(list)
    for r in members:
        if r.low is not None and r.period_start:
            buckets[(r.period_start, r.period_end, r.status)].append(r)
    for bucket in buckets.values():
        if len(bucket) < 2:
            continue
        events = sorted([(r.low, 0, r.id) for r in bucket] + [(r.high, 1, r.id) for r in bucket])
        best, depth, point = 0, 0, None
        for x, closing, _ in events:
            depth += -1 if closing else 1
            if depth > best:
                best, point = depth, x
        holders = [r for r in bucket if r.low <= point <= r.high]
        for r in bucket:
            if r.low <= point <= r.high:
                continue
            other = next((h for h in holders if h.article_id != r.article_id), None)
            if other:
                yield r.id, other.id
