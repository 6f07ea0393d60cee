"""Split an article body into sentences with exact character offsets.

pysbd finds the sentence boundaries inside each line; line breaks always end a sentence,
so headlines and one-line paragraphs stand alone. Two rules of our own repair what pysbd
gets wrong on real copy (see CODEBOOK.md, "Unit"): a full stop inside a number
("67. 56 billion") and a stray full stop before a lowercase continuation
("…Communist Party of China. which will take place…") do not start a sentence.

The boundaries are those of one pysbd call per line. Most articles get them from a single
call on the whole body, which costs a fifth less than a call per line (pysbd's setup is
per call); `_whole_body_cuts` says when that gives the same cuts and when it does not.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd
from pysbd.lang.english import English
from pysbd.lists_item_replacer import ListItemReplacer
from pysbd.utils import TextSpan

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


_TRAILING_SPACE = re.compile(r"\s*")


class _Segmenter(pysbd.Segmenter):
    """pysbd's Segmenter, placing each sentence with str.find instead of a regex.

    pysbd compiles a pattern for every sentence it places (its text, escaped, then "\\s*"):
    on real articles, whose sentences are all new, that is a compile per sentence, and the
    flood evicts pysbd's own rule patterns from re's cache so that they are compiled
    again and again. This finds the same spans: the first of the non-overlapping
    occurrences, scanning from the start, that ends after the previous sentence's span.
    """

    def sentences_with_char_spans(self, sentences):
        text = self.original_text
        if not all(sentences):
            return super().sentences_with_char_spans(sentences)  # empty patterns: pysbd's way
        spans = []
        prior_end = 0
        for sentence in sentences:
            position = 0
            while (start := text.find(sentence, position)) >= 0:
                end = _TRAILING_SPACE.match(text, start + len(sentence)).end()
                if end > prior_end:
                    spans.append(TextSpan(text[start:end], start, end))
                    prior_end = end
                    break
                position = end
        return spans


@lru_cache(maxsize=1)
def _segmenter():
    # clean=False keeps pysbd from rewriting the text, so its spans index into ours.
    return _Segmenter(language="en", clean=False, char_span=True)


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


# pysbd (0.3.x) turns line breaks into hard breaks before it looks for sentences, so on a
# whole body it finds the sentences each line alone gives, except where one of its rules
# sees past a line break. These are all such rules that can move a cut inside a line:
# - Characters pysbd uses as its own placeholders: text that has them confuses any call.
_PYSBD_PLACEHOLDERS = re.compile("[∯∮♨☝☏♟♝♭♬ǃƪȸȹ☉☈☇☄✂⌬⎋ᓰᓱᓳᓴᓷᓸ]")
# - A list is recognised by its markers counting up anywhere in the text ("March 11." in
#   one paragraph and "turnout fell to 12. Many…" in the next would read as items 11, 12).
#   These find every marker pysbd's list rules can find (and a few more): "a." / "12. " /
#   "12.)" / "iv)" after a space, "(", "-" or "⁃"; and "12) " anywhere. (A search that
#   starts at a full stop only stops at full stops.)
_MARKERS_BEFORE_STOP = re.compile(
    r"\.(?:(?<=[\s(\-⁃]([a-z])\.)|(?<=[\s(\-⁃](\d)\.)(?=[\s)])|(?<=[\s(\-⁃](\d\d)\.)(?=[\s)]))"
)
_LETTERS_BEFORE_PARENTHESIS = re.compile(r"[\s(\-⁃]([a-z]+)(?=\))")
_NUMBER_PAREN_MARKERS = re.compile(ListItemReplacer.NUMBERED_LIST_PARENS_REGEX)
_LETTER_RANKS = [
    {letter: rank for rank, letter in reversed(list(enumerate(alphabet)))}
    for alphabet in (ListItemReplacer.LATIN_NUMERALS, ListItemReplacer.ROMAN_NUMERALS)
]
# - Rules that read a line's first characters differently after a line break than at the
#   start of the text, or that read on past a line's end into the next line. (Each
#   alternative starts at the line break, so the search only stops at line breaks.)
_LINE_EDGE_RULES = re.compile(
    r"\n(?:"
    + "|".join(
        [
            r"\d\d\.(?=\s\S|\))",  # "12. " keeps its full stop only at the start of the text
            r"[A-Z]\.,|(?<=\s[A-Z]\.,\n)",  # "A.," next to a line break
            # "U.S. He" / "i.v. The" read on across the break
            *(rf"(?<=\s{word}\n)" for word in English.AbbreviationReplacer.SENTENCE_STARTERS),
            r"(?<=[iI]\n)[vV]\.",
            r"(?<=\]\n)[A-Z]|(?<=\d\n)\d",  # a note mark ("…end.[3]", "…end.12") ending a line
            r"(?<=Co\.\n)\s*KG",
        ]
    )
    + ")"
)
# "No." before a line that opens with "(", and "40°." before a number, keep their stop.
_NUMBER_ABBREVIATION_BEFORE_PARENS = re.compile(
    r"\.(?=\s*\n\s*\()(?i:"
    + "|".join(rf"(?<=\b{abbr}\.)" for abbr in English.Abbreviation.NUMBER_ABBREVIATIONS)
    + ")"
)
_SPACE_BEFORE_STOP = re.compile(r"\.(?<=\s\.)")
_FILE_EXTENSION = re.compile(English.FileFormatRule.pattern)
# - A parenthesis between quotes is matched across lines (its `.*` takes line breaks).
_PARENS_BETWEEN_QUOTES = re.compile(English.PARENS_BETWEEN_DOUBLE_QUOTES_REGEX, re.DOTALL)
# Beyond those, a rule reading past a line's end can only swap the line's final full stop
# for a kept one ("…at 5 p.m." before "The…", "…by Mr." before a new line) or back. That
# moves no cut, except in a line with no other sentence punctuation that opens with a
# quotation or parenthesis followed by a capital ("(AP) The…"): pysbd splits that opening
# off only when it sees punctuation. Such a line gets a call of its own.
_OPENING_ASIDE = re.compile(
    r"[\s.!?。．！？]*(?:[(「'\"“][^\n]*?[)」'\"”]\s[A-Z]|（[^\n]*?）\s?[A-Z])"
)


def _counts_up(ranks) -> bool:
    ranks = sorted(set(ranks))
    return any(b - a == 1 for a, b in zip(ranks, ranks[1:], strict=False))


def _line_context_matters(body: str) -> bool:
    """True when some line might be cut differently inside the whole body than alone."""
    if not body.isascii() and _PYSBD_PLACEHOLDERS.search(body):
        return True
    if _LINE_EDGE_RULES.search(body) or "°." in body:
        return True
    if _SPACE_BEFORE_STOP.search(body) and _FILE_EXTENSION.search(body):
        return True
    letters, numbers = set(), set()
    text = "\n" + body  # so that a marker opening the text has a character before it
    for letter, one_digit, two_digits in _MARKERS_BEFORE_STOP.findall(text):
        if letter:
            letters.add(letter)
        else:
            numbers.add(int(one_digit or two_digits))
    if "(" in body and (
        _PARENS_BETWEEN_QUOTES.search(body) or _NUMBER_ABBREVIATION_BEFORE_PARENS.search(body)
    ):
        return True
    if ")" in body:
        letters.update(_LETTERS_BEFORE_PARENTHESIS.findall(text))
        numbers.update(int(n) for n in _NUMBER_PAREN_MARKERS.findall(body))
    if _counts_up(numbers) or {0, 9} <= numbers:
        return True
    return any(_counts_up(ranks[x] for x in letters if x in ranks) for ranks in _LETTER_RANKS)


def _whole_body_cuts(body: str) -> list[int] | None:
    """pysbd's cut points for the whole body from one call, or None where that call could
    cut a line differently from a call on the line alone (then each line gets its own)."""
    if _line_context_matters(body):
        return None
    spans = _segmenter().segment(body)
    # pysbd places each sentence at the first match of its text; only when the spans tile
    # the body is every sentence known to sit in its own line, where a call per line puts it.
    expected = len(body) - len(body.lstrip())
    cuts = []
    for span in spans:
        if span.start != expected:
            return None
        expected = span.end
        cuts.append(span.end)
    return cuts if expected == len(body) else None


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
    body_cuts = _whole_body_cuts(body)
    next_cut = 0
    offset = 0
    for line_index, line in enumerate(body.split("\n")):
        line_end = offset + len(line)
        if not line.strip():
            offset = line_end + 1
            continue
        if body_cuts is None:
            cuts = [offset + cut for cut in _cut_points(line)]
        else:
            while next_cut < len(body_cuts) and body_cuts[next_cut] <= offset:
                next_cut += 1
            first = next_cut
            while next_cut < len(body_cuts) and body_cuts[next_cut] < line_end:
                next_cut += 1
            cuts = body_cuts[first:next_cut]
            if line.endswith(".") and _OPENING_ASIDE.match(line):
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
