"""The one workload every tool gets: the benchmark's articles and 20 spans an article.

Texts come from bench.corpus (seed lines recombined, deterministic from a seed). Spans are
placed on Provenance's own sentences (boilerplate left out), so that the same span is a
phrase annotation here and a character span in Label Studio and doccano: each is (start,
end) in the article's text, a label, one of three reviewers, and for a cited source the
source's name. No two spans of an article share sentence, reviewer and label, which is the
rule Provenance keeps (and a reviewer would).

`plan_spans` is plain Python (tested without Django); `build` segments with the importer's
own code, so it runs in a process with Django set up: `python -m bench.peers.workload`.
"""

import argparse
import json
import math
import random
import re
from dataclasses import asdict, astuple, dataclass
from pathlib import Path

from .. import corpus

FORMAT = 2  # in the cached file's name: a change of what build() writes makes a new file
SPANS_PER_ARTICLE = 20
REVIEWERS = ("reviewer01", "reviewer02", "reviewer03")  # bench.load.make_users' names
SOURCES = 200
LABELS = tuple(label for label, _ in corpus.LABEL_MIX)
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    reviewer: str
    sentence_start: int
    sentence_end: int
    source: str | None = None


def plan_spans(sentences, rng: random.Random, *, count: int, sources: list[str]) -> list[Span]:
    """`count` spans over `sentences` ((start, end, text) of content sentences).

    A span is the whole sentence or, for corpus.PHRASE_SHARE of them, two to six of its
    words. Fewer than `count` only when the sentences cannot hold that many.
    """
    capacity = len(sentences) * len(REVIEWERS) * len(LABELS)
    taken: set[tuple] = set()
    spans: list[Span] = []
    while len(spans) < min(count, capacity):
        index = rng.randrange(len(sentences))
        reviewer = rng.choice(REVIEWERS)
        label = corpus.pick_label(rng)
        if (index, reviewer, label) in taken:
            continue
        taken.add((index, reviewer, label))
        s_start, s_end, text = sentences[index]
        start, end = s_start, s_end
        words = list(_WORD.finditer(text))
        if len(words) > 6 and rng.random() < corpus.PHRASE_SHARE:
            first = rng.randrange(len(words) - 6)
            last = first + rng.randint(1, 5)
            start, end = s_start + words[first].start(), s_start + words[last].end()
        source = rng.choice(sources) if label == "cited_source" else None
        spans.append(Span(start, end, label, reviewer, s_start, s_end, source))
    return spans


def build(annotations: int, seed: str) -> dict:
    """The workload of `annotations` spans, as JSON-ready data (needs Django set up)."""
    from provenance.ingestion import segment
    from provenance.ingestion.services import content_hash, sentence_rows

    size = corpus.Size("P", articles=math.ceil(annotations / SPANS_PER_ARTICLE),
                       annotations=annotations, reviewers=len(REVIEWERS), sources=SOURCES)
    rng = random.Random(f"{seed}-peers-{annotations}")
    registry = corpus.registry(size, rng)
    names = [s.name for s in registry]
    articles, left = [], annotations
    for spec in corpus.articles(size, rng, registry):
        body = segment.normalise(spec.text)
        content = [(r[1], r[2], r[3]) for r in sentence_rows(body, title=spec.title) if not r[4]]
        spans = plan_spans(content, rng, count=min(SPANS_PER_ARTICLE, left), sources=names)
        left -= len(spans)
        articles.append({"key": spec.key, "title": spec.title, "text": body,
                         "sha256": content_hash(body), "spans": [astuple(s) for s in spans]})
    return {"seed": seed, "annotations": annotations - left, "reviewers": list(REVIEWERS),
            "sources": [asdict(s) for s in registry], "articles": articles}


def pages(workload: dict) -> int:
    """How many full pages of 100 articles the figures walk through (at most 10)."""
    return max(1, min(10, len(workload["articles"]) // 100))


def spans(article: dict) -> list[Span]:
    return [Span(*row) for row in article["spans"]]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.peers.workload")
    parser.add_argument("--annotations", type=int, required=True)
    parser.add_argument("--seed", default="provenance")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    from ..stage import _django

    _django()
    Path(args.out).write_text(json.dumps(build(args.annotations, args.seed)))


if __name__ == "__main__":
    main()
