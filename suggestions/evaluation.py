"""Score the rules against careful human labels (tests/data/suggestions/).

Sentence level, as the issue asks: a label is a true positive when the rules suggest it on
a sentence the human labelled with it. A found citation has the right source when the
suggested name (registry entry or name as written) matches one of the human's sources.
No database: the articles are segmented with the importer's segmenter, and the registry
is `registry.json`.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from provenance.ingestion.boilerplate import classify
from provenance.ingestion.segment import segment

from .engine.registry import RegistryEntry, RegistryMatcher, domain_of
from .engine.rules import (
    CITED,
    LABEL_ORDER,
    RULES,
    SENSATIONAL,
    UNVERIFIED,
    SentenceText,
    Suggester,
)

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "suggestions"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
_CODES = {"S": SENSATIONAL, "U": UNVERIFIED, "C": CITED}


class LabelsOutOfStep(Exception):
    """The label file no longer matches the segmenter's sentences."""


@dataclass
class GoldSentence:
    position: int
    labels: frozenset
    sources: tuple  # (name, kind abbreviation)


@dataclass
class Article:
    id: str
    body: str
    sentences: list  # SentenceText
    gold: dict  # position -> GoldSentence


def load_labels(path: Path) -> dict:
    articles, current = {}, None
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        if raw.startswith("== "):
            current = raw[3:].strip()
            articles[current] = {}
            continue
        line, _, prefix = raw.partition("  # ")
        pos, _, rest = line.partition(" ")
        labels_part, _, sources_part = rest.partition("|")
        labels = frozenset(_CODES[c] for c in labels_part.split() if c != "-")
        sources = tuple(tuple(s.strip().rsplit(":", 1)) for s in sources_part.split(";")
                        if s.strip())
        articles[current][int(pos)] = (GoldSentence(int(pos), labels, sources), prefix)
    return articles


def _sentences(body: str) -> list[SentenceText]:
    segments = segment(body)
    reasons = classify(segments)
    return [SentenceText(None, i, s.start, s.end, s.text, bool(r), s.is_heading,
                         s.starts_paragraph) for i, (s, r) in enumerate(zip(segments, reasons,
                                                                                strict=True))]


def load_set(name: str) -> list[Article]:
    """"eval" (the evaluation articles), "holdout" (labelled later, see README) or "seeds"."""
    labels = load_labels(DATA / f"{'seed' if name == 'seeds' else name}_labels.txt")
    out = []
    for article_id, gold in labels.items():
        if name in ("eval", "holdout"):
            body = (DATA / "articles" / (article_id.replace("/", "__") + ".txt")).read_text(
                encoding="utf-8")
        else:
            body = (SEEDS / article_id).read_text(encoding="utf-8")
        sentences = _sentences(body)
        for pos, (_g, prefix) in gold.items():
            actual = re.sub(r"\s+", " ", sentences[pos].text)[:48]
            if actual != prefix:
                raise LabelsOutOfStep(f"{article_id} #{pos}: {actual!r} != {prefix!r}")
        out.append(Article(article_id, body, sentences, {p: g for p, (g, _) in gold.items()}))
    return out


def registry_matcher(path: Path = DATA / "registry.json") -> RegistryMatcher:
    data = json.loads(path.read_text(encoding="utf-8"))
    names = []
    for i, s in enumerate(data["sources"], start=1):
        entry = RegistryEntry(i, s["name"], s["kind"])
        names.append((s["name"], entry))
        names.extend((alias, entry) for alias in s.get("aliases", []))
        if s.get("homepage"):
            names.append((domain_of(s["homepage"]), entry))
    return RegistryMatcher(names)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self):
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self):
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Score:
    labels: dict = field(default_factory=lambda: {label: Counts() for label in LABEL_ORDER})
    rules: dict = field(default_factory=lambda: defaultdict(Counts))
    sources_found: int = 0
    sources_right: int = 0
    sentences: int = 0
    errors: list = field(default_factory=list)  # (article, position, label, kind, rule, text)

    @property
    def source_accuracy(self):
        return self.sources_right / self.sources_found if self.sources_found else None


def _norm(name: str) -> set:
    words = re.findall(r"[a-z0-9]+", name.lower())
    return {w for w in words if w not in {"the", "of", "and", "for", "s"}}


def source_matches(suggested: str, gold_names) -> bool:
    """Same source: the suggested name's words and a human's name share the surname or the
    distinctive words ("Sondland" ~ "Gordon Sondland", "AFP" ~ its registry name)."""
    mine = _norm(suggested)
    for name in gold_names:
        theirs = _norm(name)
        if mine and theirs and (mine <= theirs or theirs <= mine or len(mine & theirs) >= 2):
            return True
        if mine and theirs and name.split()[-1].lower() in mine:
            return True
    return False


def evaluate(articles, suggester: Suggester) -> Score:
    score = Score()
    for article in articles:
        proposals = suggester.suggest(article.body, article.sentences)
        by_position = defaultdict(list)
        for p in proposals:
            by_position[p.position].append(p)
        for pos, gold in article.gold.items():
            score.sentences += 1
            mine = by_position.get(pos, [])
            text = article.sentences[pos].text
            for label in LABEL_ORDER:
                hits = [p for p in mine if p.label == label]
                expected = label in gold.labels
                if hits:
                    rule = hits[0].rule
                    counts = score.rules[rule]
                    if expected:
                        score.labels[label].tp += 1
                        counts.tp += 1
                    else:
                        score.labels[label].fp += 1
                        counts.fp += 1
                        score.errors.append((article.id, pos, label, "FP", rule, text))
                elif expected:
                    score.labels[label].fn += 1
                    score.errors.append((article.id, pos, label, "FN", "", text))
            cited = [p for p in mine if p.label == CITED]
            if cited and CITED in gold.labels:
                score.sources_found += 1
                names = [n for n, _kind in gold.sources]
                if any(source_matches(p.source_name, names) for p in cited):
                    score.sources_right += 1
                else:
                    score.errors.append((article.id, pos, CITED, "SOURCE",
                                         cited[0].source_name, text))
    return score


def baseline_all_unverified(articles) -> Counts:
    """Every content sentence labelled unverified: the issue's baseline to beat."""
    counts = Counts()
    for article in articles:
        for gold in article.gold.values():
            if UNVERIFIED in gold.labels:
                counts.tp += 1
            else:
                counts.fp += 1
    return counts


def format_score(title: str, score: Score, baseline: Counts | None = None) -> str:
    def f(x):
        return "  –  " if x is None else f"{x:.3f}"

    lines = [f"{title}: {score.sentences} sentences",
             "label                 P      R      tp  fp  fn"]
    for label, c in score.labels.items():
        lines.append(f"{label:20} {f(c.precision)}  {f(c.recall)}  {c.tp:3} {c.fp:3} {c.fn:3}")
    lines.append(f"right source on {score.sources_right}/{score.sources_found} cited "
                 f"sentences found ({f(score.source_accuracy)})")
    if baseline is not None:
        lines.append(f"baseline (all unverified): P {f(baseline.precision)} R {f(baseline.recall)}")
    lines.append("rule                          label  P      tp  fp")
    for code in RULES:
        c = score.rules.get(code)
        if c and (c.tp or c.fp):
            lines.append(f"{code:29} {RULES[code].label[:5]}  {f(c.precision)}  {c.tp:3} {c.fp:3}")
    return "\n".join(lines)
