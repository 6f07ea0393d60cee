"""Split an article body into sentences with exact character offsets.

pysbd finds the sentence boundaries inside each line, one call per line; line breaks
always end a sentence, so headlines and one-line paragraphs stand alone. Two rules of our
own repair what pysbd gets wrong on real copy (see CODEBOOK.md, "Unit"): a full stop
inside a number ("67. 56 billion") and a stray full stop before a lowercase continuation
("…Communist Party of China. which will take place…") do not start a sentence.

Only pysbd's public Segmenter is used. Two speed-ups that leaned on its internals were
removed (issue 11) because neither won clearly. CPU time, medians of 7 interleaved runs on
the bench S corpus (100 articles, 3,147 sentences) and the 500-sentence article, and
import_articles on S (bench.stage import, best of 2), 2026-11-28:
- a Segmenter subclass placing each sentence with str.find instead of pysbd's compiled
  pattern per sentence: 1.02-1.03x on segmentation alone, 1.10x on an import (where
  pysbd's patterns, evicted from re's cache by the per-sentence ones, cost more);
- one pysbd call per body instead of per line, where a re-derivation of pysbd 0.3's rules
  said no line could be cut differently: 1.17-1.19x. Its correctness rested on that
  re-derivation, which a pysbd upgrade could silently invalidate.
Together they made an import 1.31x cheaper in CPU (1.25x for segmentation alone); without
them import_articles takes about 1.4x the time of one pysbd call per article (1.09x x
1.31; issue 7's target was 1.15x). Issue 17 needs far more than that from segmentation:
another segmenter.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd

# A line this short with no closing punctuation reads as a headline or subheading.
HEADING_MAX_WORDS = 20
_CLOSING_QUOTES = "\"'”’»)]"
_SENTENCE_END = re.compile(r"[.!?…:;,]$")
_CREDIT_LINE = re.compile(r"^(source|sources|by|photo|image|credit|credits)\s*:", re.IGNORECASE)
_BYLINE = re.compile(r"^by\s+[A-Z]")


@dataclass(slots=True)
class Segment:
    start: int
    end: int
    text: str
    is_heading: bool = False
    starts_paragraph: bool = False
    line_index: int = 0


@lru_cache(maxsize=1)
def _segmenter():
    # clean=False keeps pysbd from rewriting the text, so its spans index into ours.
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def normalise(text: str) -> str:
    """Normalise newlines (and drop a byte-order mark); nothing else changes, so offsets hold."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _cut_points(line: str) -> list[int]:
    """Offsets inside `line` where pysbd ends a sentence.

    pysbd's spans can overlap or leave gaps on odd input, so only their ends are used, as
    cut points: the pieces between consecutive cuts always tile the line exactly.
    """
    cuts = set()
    for span in _segmenter().segment(line):
        if 0 < span.end < len(line):
            cuts.add(span.end)
    return sorted(cuts)


def _pieces(body: str, start: int, end: int, cuts):
    """(start, end) of each trimmed piece of body[start:end] between `cuts`, absolute."""
    bounds = [start, *cuts, end]
    for a, b in zip(bounds, bounds[1:], strict=False):
        chunk = body[a:b]
        stripped = chunk.strip()
        if not stripped:
            continue
        lead = len(chunk) - len(chunk.lstrip())
        yield a + lead, a + lead + len(stripped)


_NUMBER_BREAK = re.compile(r"\d\.$")
_DIGIT_START = re.compile(r"^\d")


def _is_false_break(previous: str, following: str) -> bool:
    """True when pysbd cut at a full stop that does not end a sentence."""
    if _NUMBER_BREAK.search(previous) and _DIGIT_START.match(following):
        return True  # "67. 56 billion": a decimal point typed with a space after it
    # "…of China. which will take place…": a sentence never starts in lower case. Only a
    # full stop (not ? or !) counts, so "Really? yes." stays two sentences.
    return previous.endswith(".") and following[:1].islower()


def looks_like_heading(text: str) -> bool:
    words = text.split()
    if not words or len(words) > HEADING_MAX_WORDS:
        return False
    if _CREDIT_LINE.match(text) or _BYLINE.match(text):
        return False
    core = text.rstrip(_CLOSING_QUOTES)
    return bool(core) and not _SENTENCE_END.search(core) and not text[0].islower()


def segment(body: str, *, title: str = "") -> list[Segment]:
    """Sentences of `body` in reading order; `body` must already be normalised."""
    segments: list[Segment] = []
    offset = 0
    for line_index, line in enumerate(body.split("\n")):
        line_end = offset + len(line)
        if not line.strip():
            offset = line_end + 1
            continue
        cuts = [offset + cut for cut in _cut_points(line)]
        spans = []
        for start, end in _pieces(body, offset, line_end, cuts):
            if spans and _is_false_break(body[spans[-1][0] : spans[-1][1]], body[start:end]):
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
        for i, (start, end) in enumerate(spans):
            segments.append(
                Segment(
                    start=start,
                    end=end,
                    text=body[start:end],
                    starts_paragraph=(i == 0),
                    line_index=line_index,
                )
            )
        if len(spans) == 1:
            only = segments[-1]
            is_title = bool(title) and only.text.strip() == title.strip()
            only.is_heading = is_title or looks_like_heading(only.text)
        offset = line_end + 1
    return segments
