"""Text mechanics the rules share: quotations and capitalised names."""

import re
from dataclasses import dataclass

_OPENING = "“«„"
_CLOSING = "”»"
_QUOTE_CHARS = re.compile(r"[\"“”«»„]|(?<![\w])‘|’(?![\w])")


def quote_regions(body: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation in `body`, quotation marks included.

    Curly marks open and close; a straight double quote opens when it follows a space, a
    line start or an opening bracket, and closes otherwise. A line break ends any quotation
    still open, except that a paragraph which starts with an opening mark continues a
    quotation from the one before (news convention: no closing mark until the speaker's
    last paragraph), so each paragraph is handled on its own. A quotation left open at the
    end of a paragraph runs to the paragraph's end: the words after an unmatched mark are
    the speaker's more often than the writer's.
    """
    regions = []
    pos = 0
    for line in body.split("\n"):
        regions.extend(_line_regions(line, pos))
        pos += len(line) + 1
    return regions


def _line_regions(line: str, offset: int) -> list[tuple[int, int]]:
    regions = []
    open_at = None
    open_char = ""
    for m in _QUOTE_CHARS.finditer(line):
        c = m.group()
        i = m.start()
        if c == '"':
            before = line[i - 1] if i else " "
            opens = open_at is None and (before.isspace() or before in "([{—–-:")
            if open_at is None and not opens and i == 0:
                opens = True
        elif c in _OPENING or c == "‘":
            opens = open_at is None
        else:
            opens = False
        if opens:
            open_at, open_char = i, c
        elif open_at is not None and _closes(open_char, c):
            regions.append((offset + open_at, offset + i + 1))
            open_at = None
        elif open_at is None and c in "”»" and not line[:i].strip():
            # A closing mark typed for an opening one at the line's start ("” Friendship
            # … no limits”, they announced").
            open_at, open_char = i, '"'
        elif open_at is None and c in "”»":
            # A closing mark with no opening one on this line: the quotation began at the
            # line's start.
            regions.append((offset, offset + i + 1))
    if open_at is not None:
        regions.append((offset + open_at, offset + len(line)))
    return regions


def _closes(open_char: str, c: str) -> bool:
    if open_char == "‘":
        return c == "’"
    if open_char == '"':
        return c in "\"”"
    return c in "\"”»"


class QuoteIndex:
    """Which offsets of a body lie inside a quotation."""

    def __init__(self, regions):
        self.regions = regions

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        return [r for r in self.regions if r[0] < end and start < r[1]]

    def inside(self, pos: int, regions=None) -> bool:
        return any(s <= pos < e for s, e in (regions if regions is not None else self.regions))


def blank_quotes(text: str, start: int, regions) -> str:
    """`text` (which starts at body offset `start`) with quoted characters replaced by
    spaces, so patterns run on the writer's own words and offsets stay the same."""
    if not regions:
        return text
    chars = list(text)
    for s, e in regions:
        for i in range(max(s - start, 0), min(e - start, len(chars))):
            chars[i] = " "
    return "".join(chars)


# A capitalised word: initials ("S."), names with hyphens and apostrophes ("Hau-yip",
# "O'Brien"), all-capitals acronyms ("NATO").
_CAP = r"(?:(?:[A-Z]\.){2,}|[A-Z][a-z]{0,2}\.|[A-Z][\w&'’-]*[\w&]|[A-Z])"
_CONNECTOR = (
    r"(?:\s+(?:of|for|and|on|de|al|bin|von|van|der|du|la|del|da|di|el)\s+(?:the\s+)?|\s+|-)"
)
# Not after " .": that is a Reuters instrument code (".DJI", ".IXIC"), never a name.
NAME = re.compile(rf"(?<![\w'’])(?<!\s\.){_CAP}(?:{_CONNECTOR}{_CAP})*")
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(slots=True)
class Name:
    start: int  # offsets into the sentence
    end: int
    text: str
    tokens: tuple
    possessive: bool = False
    kind: str = "unknown"  # person, org, outlet, place, adjective, registry, unknown
    registry: object = None
    canonical: str = ""


def names_in(text: str) -> list[Name]:
    """Capitalised word sequences, with a trailing possessive split off."""
    found = []
    for m in _split_possessives(NAME.finditer(text), text):
        s, e = m
        raw = text[s:e]
        possessive = False
        if not raw.strip():
            continue
        if raw[-1] in "'’s" and _POSSESSIVE.search(raw):
            trimmed = re.sub(r"['’]s?$", "", raw)
            if trimmed != raw and trimmed:
                possessive = True
                e = s + len(trimmed)
                raw = trimmed
        if raw.endswith(".") and len(raw.split()[-1]) > 3:
            raw = raw[:-1]
            e -= 1
        tokens = tuple(raw.split())
        found.append(Name(s, e, raw, tokens, possessive))
    return found


def _split_possessives(matches, text):
    """"China’s Inner Mongolia" is two names: a possessive ends one."""
    for m in matches:
        start = m.start()
        if "'" not in m.group() and "’" not in m.group():
            yield start, m.end()
            continue
        for p in re.finditer(r"['’]s?\s+", text[m.start():m.end()]):
            cut = m.start() + p.start()
            if cut > start:
                yield start, cut + len(p.group().rstrip())
            start = m.start() + p.end()
        if start < m.end():
            yield start, m.end()
