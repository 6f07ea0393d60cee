"""Grouping measured against a gold file of recurring measures (tests/data/crossclaims/).

Pairs are of sentences in different articles: the feature links articles, so "same group"
is scored on the cross-article sentence pairs that the app's groups make and that the gold
measures make. A gold member names its article file and a piece of its sentence's text.
"""

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Scores:
    precision: float
    recall: float
    found_pairs: int
    gold_pairs: int
    correct_pairs: int
    conflict_flagged: bool
    false_conflicts: int
    false_pairs: list = field(default_factory=list)
    missed_pairs: list = field(default_factory=list)


def load_gold(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _pairs(members):
    """Cross-article pairs of (article, sentence position) members."""
    out = set()
    for a, b in itertools.combinations(sorted(set(members)), 2):
        if a[0] != b[0]:
            out.add((a, b))
    return out


def resolve(member: dict, sentences: dict) -> tuple[str, int]:
    """(article file, position) of a gold member; `sentences` maps an article file to its
    [(position, text)]."""
    hits = [pos for pos, text in sentences[member["article"]] if member["sentence"] in text]
    if len(hits) != 1:
        raise ValueError(f"{member} matches {len(hits)} sentences")
    return member["article"], hits[0]


def score(gold: dict, sentences: dict, groups: list[list[tuple[str, int]]],
          conflicts: list[tuple[tuple[str, int], tuple[str, int]]]) -> Scores:
    """`groups`: each app group as its members' (article file, position); `conflicts`: the
    pairs of members the app marks as conflicting."""
    gold_pairs = set()
    for measure in gold["measures"]:
        gold_pairs |= _pairs([resolve(m, sentences) for m in measure["members"]])
    found = set()
    for members in groups:
        found |= _pairs(members)
    correct = found & gold_pairs
    gold_conflicts = {
        tuple(sorted(resolve(m, sentences) for m in c["between"])) for c in gold["conflicts"]
    }
    flagged = {tuple(sorted(pair)) for pair in conflicts if pair[0][0] != pair[1][0]}
    return Scores(
        precision=len(correct) / len(found) if found else 0.0,
        recall=len(correct) / len(gold_pairs) if gold_pairs else 0.0,
        found_pairs=len(found), gold_pairs=len(gold_pairs), correct_pairs=len(correct),
        conflict_flagged=bool(gold_conflicts) and gold_conflicts <= flagged,
        false_conflicts=len(flagged - gold_conflicts),
        false_pairs=sorted(found - gold_pairs), missed_pairs=sorted(gold_pairs - found),
    )
