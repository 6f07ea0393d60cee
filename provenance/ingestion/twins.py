"""Near-duplicates: an article whose text is nearly that of one already in the corpus.

A syndicated copy (the same wire story under another masthead) or a light rewrite is not
the same text, so the content hash does not catch it, yet two reviewers annotating both
is wasted work and two claims counted twice. Such an article is imported all the same and
flagged, with its twin and the share of its text the twin also has, for an editor to
decide.

How it stays fast as the corpus grows: MinHash (datasketch) summarises an article's set of
4-word sequences (shingles) in NUM_PERM numbers, cut into BANDS bands of ROWS; each band is
hashed into one 64-bit bucket stored in ArticleBucket, whose index finds every article
sharing a bucket with a new one in one query (locality-sensitive hashing, kept in the
database). Two texts whose shingle sets have Jaccard similarity s share at least one
bucket with probability 1 - (1 - s^ROWS)^BANDS: 0.99 at s = 0.6, 0.87 at 0.5, 0.56 at
0.4, 0.05 at 0.2. The few candidates are then compared exactly, shingle by shingle.

NUM_PERM, BANDS, ROWS and SEED are part of the stored buckets: changing any of them
requires recomputing every article's buckets.
"""

import hashlib
import re
from dataclasses import dataclass

from django.db.models import Count

from ..bulk import insert_values
from ..models import Article, ArticleBucket, NearDuplicate

NUM_PERM = 128
BANDS = 32
ROWS = 4
SEED = 14
SHINGLE = 4
# Flag an article when at least this share of its shingles is also in the twin.
NEAR_DUPLICATE_SHARE = 0.5
# Texts this short are all alike (a headline and a line): no twin is looked for.
MIN_SHINGLES = 20
# Candidates compared exactly, the ones sharing the most buckets first.
MAX_CANDIDATES = 5
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Twin:
    article: Article
    shared: float


def shingles(text: str) -> set[str]:
    """The text's 4-word sequences, case-folded: what two copies of a story share."""
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def buckets(shingle_set: set[str]) -> list[int]:
    """The BANDS bucket numbers of a shingle set (signed 64-bit, as databases store)."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update_batch([s.encode("utf-8") for s in shingle_set])
    values = minhash.hashvalues
    out = []
    for band in range(BANDS):
        digest = hashlib.blake2b(
            values[band * ROWS:(band + 1) * ROWS].tobytes(), digest_size=8,
            person=band.to_bytes(2, "big"),
        ).digest()
        out.append(int.from_bytes(digest, "big", signed=True))
    return sorted(set(out))


def share_in(mine: set[str], theirs: set[str]) -> float:
    return len(mine & theirs) / len(mine) if mine else 0.0


def record(article: Article) -> Twin | None:
    """Store `article`'s buckets and flag it if an earlier article is its near-duplicate.
    Runs inside the import's transaction, so an article is never left without buckets."""
    mine = shingles(article.body)
    keys = buckets(mine)
    # The same queries whatever the length, so an import's cost stays predictable; only
    # the flag waits for a text long enough to tell copies from two similar short notes.
    twin = _best_twin(article.pk, mine, keys)
    if len(mine) < MIN_SHINGLES:
        twin = None
    insert_values(ArticleBucket, ["article_id", "bucket"], [(article.pk, k) for k in keys])
    if twin is not None:
        NearDuplicate.objects.create(article=article, twin=twin.article, shared=twin.shared)
    return twin


def _best_twin(article_id: int, mine: set[str], keys: list[int]) -> Twin | None:
    candidates = list(
        ArticleBucket.objects.filter(bucket__in=keys)
        .exclude(article_id=article_id)
        .values("article_id")
        .annotate(n=Count("id"))
        .order_by("-n", "article_id")
        .values_list("article_id", flat=True)[:MAX_CANDIDATES]
    )
    best = None
    for other in Article.objects.filter(pk__in=candidates).only("id", "title", "body"):
        shared = round(share_in(mine, shingles(other.body)), 4)
        if shared >= NEAR_DUPLICATE_SHARE and (
            best is None or (shared, -other.pk) > (best.shared, -best.article.pk)
        ):
            best = Twin(other, shared)
    return best
