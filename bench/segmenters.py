"""Sentence segmenters on hand-checked news: accuracy and speed, the codebook's repairs on top.

    python -m bench.segmenters                       # every installed segmenter, best of 5
    python -m bench.segmenters --runs 9 --json out.json
    python -m bench.segmenters --gum DIR             # also UD English GUM's news, measured only

Each candidate finds the cut points inside one line, as nupunkt does in the app (pysbd did
before issue 17); the same repair pass as provenance/ingestion/segment.py then runs on top
of every candidate: line breaks always end a sentence, pieces are trimmed, a cut inside a
number ("67. 56"), before a lowercase continuation ("…of China. which…"), after a title
("Lt. Col.") or before closing punctuation is joined back (CODEBOOK.md, "Unit"), and a lone
line is tested as a heading. "app (segment.py)" is the app's own `segment()`; the library
it uses, through this adapter, must score the same (tests/test_segmentation_gold.py checks
that the adapter with the app's own cut points gives the app's sentences).

Scores, against tests/data/segmentation/*.jsonl (its README names sources and licences):
- boundaries: the sentence starts that are not the start of a line (every segmenter here
  cuts at every line break, so those would only pad the score); precision, recall and F1
  over all documents together;
- exact: the share of gold sentences whose (start, end) the segmenter gives exactly.
Speed: gold sentences per second of CPU time segmenting every gold text, on one pinned
core, best of --runs runs (the machine is shared: the best run is the least disturbed).

Each candidate is measured if installed (pip install pysbd blingfire syntok sentencex
nupunkt); only the one the app uses is a dependency of the project.
"""

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from provenance.ingestion import segment as app

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "segmentation"

Span = tuple[int, int]
CutPoints = Callable[[str], list[int]]


@dataclass(frozen=True)
class Document:
    id: str
    source: str
    text: str
    sentences: list[Span]


def load_gold(folder: Path = DATA) -> list[Document]:
    docs = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            spans = [tuple(span) for span in row["sentences"]]
            docs.append(Document(row["id"], row["source"], row["text"], spans))
    return docs


# --- candidates: offsets inside a line where a sentence starts (after the first) ---------


def _starts_to_cuts(starts: Iterable[int], line: str) -> list[int]:
    return sorted({s for s in starts if 0 < s < len(line)})


@lru_cache(maxsize=1)
def _pysbd():
    import pysbd

    # clean=False keeps pysbd from rewriting the text, so its spans index into ours.
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def pysbd_cuts(line: str) -> list[int]:
    # The ends of pysbd's spans, as segment.py used them: its spans can overlap or leave
    # gaps on odd input, their ends still cut the line into pieces that tile it.
    return sorted({span.end for span in _pysbd().segment(line) if 0 < span.end < len(line)})


def blingfire_cuts(line: str) -> list[int]:
    """blingfire's sentences placed with str.find: its own offsets come from a Python loop
    over every byte of the line, which costs more than the segmenting (26,000 against
    56,000 sentences/s here). Where a sentence is not found as is, its offsets are used."""
    import blingfire

    starts, position = [], 0
    for sentence in blingfire.text_to_sentences(line).split("\n"):
        start = line.find(sentence, position)
        if start < 0 or not sentence:
            _, offsets = blingfire.text_to_sentences_and_offsets(line)
            return _starts_to_cuts((start for start, _ in offsets), line)
        starts.append(start)
        position = start + len(sentence)
    return _starts_to_cuts(starts, line)


def syntok_cuts(line: str) -> list[int]:
    from syntok import segmenter

    starts = (sentence[0].offset for paragraph in segmenter.analyze(line) for sentence in paragraph)
    return _starts_to_cuts(starts, line)


def sentencex_cuts(line: str) -> list[int]:
    import sentencex

    bounds = sentencex.get_sentence_boundaries("en", line)
    return _starts_to_cuts((b["start_index"] for b in bounds), line)


def nupunkt_cuts(line: str) -> list[int]:
    import nupunkt

    return _starts_to_cuts((start for start, _ in nupunkt.sent_spans(line)), line)


APP = "app (segment.py)"
CANDIDATES: dict[str, CutPoints] = {
    "pysbd": pysbd_cuts,
    "blingfire": blingfire_cuts,
    "syntok": syntok_cuts,
    "sentencex": sentencex_cuts,
    "nupunkt": nupunkt_cuts,
}


def repaired(body: str, cut_points: CutPoints) -> list[Span]:
    """The app's segment() with `cut_points` in nupunkt's place: the same repairs on top."""
    spans: list[Span] = []
    offset = 0
    for line in body.split("\n"):
        line_end = offset + len(line)
        if line.strip():
            cuts = [offset + cut for cut in cut_points(line)]
            pieces: list[Span] = []
            for start, end in app._pieces(body, offset, line_end, cuts):
                if pieces and app._is_false_break(body[slice(*pieces[-1])], body[start:end]):
                    pieces[-1] = (pieces[-1][0], end)
                else:
                    pieces.append((start, end))
            if len(pieces) == 1:
                app.looks_like_heading(body[slice(*pieces[0])])  # the app's work, timed alike
            spans.extend(pieces)
        offset = line_end + 1
    return spans


def app_spans(body: str) -> list[Span]:
    return [(s.start, s.end) for s in app.segment(body)]


def segmenters() -> dict[str, Callable[[str], list[Span]]]:
    """The installed candidates, each with the repairs, and the app's own function first."""
    found = {APP: app_spans}
    for name, cuts in CANDIDATES.items():
        try:
            cuts("A first sentence. A second one.")
        except ImportError:
            continue
        found[name] = lambda body, cuts=cuts: repaired(body, cuts)
    return found


# --- scoring --------------------------------------------------------------------------


def line_starts(text: str) -> set[int]:
    """The offset of the first non-blank character of every line."""
    starts, offset = set(), 0
    for line in text.split("\n"):
        if line.strip():
            starts.add(offset + len(line) - len(line.lstrip()))
        offset += len(line) + 1
    return starts


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    exact: int = 0
    gold: int = 0

    def add(self, doc: Document, predicted: list[Span]) -> None:
        ignore = line_starts(doc.text)
        gold_b = {s for s, _ in doc.sentences} - ignore
        pred_b = {s for s, _ in predicted} - ignore
        self.tp += len(gold_b & pred_b)
        self.fp += len(pred_b - gold_b)
        self.fn += len(gold_b - pred_b)
        self.exact += len(set(doc.sentences) & set(predicted))
        self.gold += len(doc.sentences)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def exact_share(self) -> float:
        return self.exact / self.gold if self.gold else 1.0


def score(docs: list[Document], split: Callable[[str], list[Span]]) -> Score:
    total = Score()
    for doc in docs:
        total.add(doc, split(doc.text))
    return total


def errors(docs: list[Document], split: Callable[[str], list[Span]]):
    """(doc id, kind, text) for each gold sentence missed and each predicted one not in gold."""
    for doc in docs:
        predicted = split(doc.text)
        for kind, spans in (("missed", set(doc.sentences) - set(predicted)),
                            ("extra", set(predicted) - set(doc.sentences))):
            for start, end in sorted(spans):
                yield doc.id, kind, doc.text[start:end]


def speed(docs: list[Document], split: Callable[[str], list[Span]], runs: int) -> float:
    """Gold sentences per CPU second, best of `runs` passes over every text."""
    sentences = sum(len(d.sentences) for d in docs)
    texts = [d.text for d in docs]
    for text in texts:  # warm caches and lazy imports
        split(text)
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        for text in texts:
            split(text)
        best = min(best, time.process_time() - started)
    return sentences / best if best else float("inf")


# --- UD English GUM's news (CC BY-NC-SA annotations: measured from a local copy, kept nowhere)


def load_gum(folder: Path) -> list[Document]:
    """GUM's Wikinews documents from its CoNLL-U files: sentences joined by a space inside a
    paragraph, paragraphs by a line break (GUM's sentence units, not checked against ours)."""
    docs = []
    for path in sorted(folder.glob("*.conllu")):
        doc_id, paragraphs = None, []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# newdoc id = "):
                if doc_id and doc_id.startswith("GUM_news"):
                    docs.append(_gum_document(doc_id, paragraphs))
                doc_id, paragraphs = line.split("= ", 1)[1], []
            elif line.startswith("# newpar") or (line.startswith("# text = ") and not paragraphs):
                paragraphs.append([])
            if line.startswith("# text = "):
                paragraphs[-1].append(line.split("= ", 1)[1])
        if doc_id and doc_id.startswith("GUM_news"):
            docs.append(_gum_document(doc_id, paragraphs))
    return docs


def _gum_document(doc_id: str, paragraphs: list[list[str]]) -> Document:
    text, spans = "", []
    for paragraph in filter(None, paragraphs):
        if text:
            text += "\n"
        for i, sentence in enumerate(paragraph):
            if i:
                text += " "
            spans.append((len(text), len(text) + len(sentence)))
            text += sentence
    return Document(doc_id, "UD_English-GUM", text, spans)


# --- report ---------------------------------------------------------------------------


def _pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def measure(docs: list[Document], runs: int, timed: bool = True) -> list[dict]:
    rows = []
    for name, split in segmenters().items():
        s = score(docs, split)
        rows.append({
            "segmenter": name, "precision": s.precision, "recall": s.recall, "f1": s.f1,
            "exact": s.exact_share, "sentences": s.gold,
            "per_second": speed(docs, split, runs) if timed else None,
        })
    return rows


def table(rows: list[dict], title: str) -> str:
    speeds = {r["segmenter"]: r["per_second"] for r in rows}
    out = [title, "", "| segmenter | boundary P | R | F1 | exact | sentences/s | × app | × pysbd |",
           "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        cells = [r["segmenter"], *(f"{r[k]:.3f}" for k in ("precision", "recall", "f1", "exact"))]
        if r["per_second"] is None:
            cells += ["", "", ""]
        else:
            cells.append(f"{r['per_second']:,.0f}")
            cells += [f"{r['per_second'] / speeds[b]:.1f}" if speeds.get(b) else ""
                      for b in (APP, "pysbd")]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m bench.segmenters", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=5, help="timed passes; the best counts")
    p.add_argument("--gum", type=Path, help="a local UD_English-GUM folder (its *.conllu)")
    p.add_argument("--errors", metavar="SEGMENTER", help="list a segmenter's misses on the gold")
    p.add_argument("--json", type=Path, help="also write the figures here")
    args = p.parse_args(argv)
    _pin_to_one_core()
    docs = load_gold()
    if args.errors:
        for doc_id, kind, text in errors(docs, segmenters()[args.errors]):
            print(f"{doc_id}\t{kind}\t{text}")
        return
    result = {"gold": measure(docs, args.runs)}
    n = sum(len(d.sentences) for d in docs)
    print(table(result["gold"], f"Hand-checked news, {len(docs)} texts, {n} sentences "
                                f"(tests/data/segmentation); speed: best of {args.runs}, one core"))
    if args.gum:
        gum = load_gum(args.gum)
        result["gum"] = measure(gum, args.runs, timed=False)
        n = sum(len(d.sentences) for d in gum)
        print()
        print(table(result["gum"], f"UD English GUM, news, {len(gum)} texts, {n} sentences "
                                   "(GUM's own units)"))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    sys.exit(main())
