"""The word lists (lexicon.toml) compiled into the patterns the rules use.

Editors' cue phrases from the admin are applied on top: `Lexicon.load(extra=..., removed=...)`
takes (list name, phrase) pairs, so the data file stays the reviewed default and the admin
holds only the differences.
"""

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ahocorasick

LEXICON_PATH = Path(__file__).with_name("lexicon.toml")

# The lists an editor may extend in the admin: (section, key) in lexicon.toml.
EDITABLE_LISTS = {
    "attribution_verb": ("attribution", "verbs"),
    "attribution_lead": ("attribution", "lead_phrases"),
    "vague_source": ("vague", "sources"),
    "vague_phrase": ("vague", "phrases"),
    "hedge": ("vague", "hedges"),
    "loaded_word": ("hype", "loaded"),
    "certainty_marker": ("hype", "certainty"),
    "intensifier": ("hype", "intensifiers"),
    "grandiose": ("hype", "grandiose"),
}


def _alternation(words) -> str:
    parts = []
    for w in sorted({w.strip().lower() for w in words if w.strip()}, key=len, reverse=True):
        if w.endswith("*"):
            parts.append(re.escape(w[:-1]) + r"[\w-]*")
        else:
            parts.append(re.escape(w).replace(r"\ ", r"\s+"))
    return "|".join(parts) or r"(?!x)x"


def _words(words) -> re.Pattern:
    return re.compile(rf"(?<![\w-])(?:{_alternation(words)})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Lexicon:
    lists: dict = field(repr=False)
    version: str = "1"

    @classmethod
    def load(cls, *, extra=(), removed=(), path: Path = LEXICON_PATH) -> "Lexicon":
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        lists = {(s, k): list(v) for s, d in data.items() if s != "meta" for k, v in d.items()}
        for name, phrase in extra:
            lists[EDITABLE_LISTS[name]].append(phrase.lower())
        gone = {(EDITABLE_LISTS[name], phrase.lower()) for name, phrase in removed}
        for key, words in lists.items():
            lists[key] = [w for w in words if (key, w.lower()) not in gone]
        version = f"{data['meta']['version']}+{len(tuple(extra))}-{len(tuple(removed))}"
        return cls(lists=lists, version=version)

    def words(self, section: str, key: str) -> list[str]:
        return self.lists[(section, key)]

    def set_of(self, section: str, key: str) -> frozenset:
        return frozenset(w.lower() for w in self.lists[(section, key)])

    def alternation(self, section: str, key: str) -> str:
        """The list as a regular-expression alternation, longest phrases first."""
        return _alternation(self.lists[(section, key)])

    def pattern(self, section: str, key: str) -> re.Pattern:
        """The list as one regular expression: the plain reference for `PhraseMatcher`."""
        return _compiled(self, section, key)

    def matcher(self, keys) -> "PhraseMatcher":
        """One automaton over the lists named by `keys` ((section, key) pairs)."""
        return PhraseMatcher({k: self.lists[k] for k in keys})


def _is_word(c: str) -> bool:
    return c.isalnum() or c in "_-"


class PhraseMatcher:
    """Every phrase of several word lists found in one pass (pyahocorasick), on whole words,
    case-insensitively. A list's regular expression (`Lexicon.pattern`) finds the same
    matches one list and one position at a time, tens of times slower on a sentence; a
    test checks that both agree."""

    def __init__(self, lists: dict):
        self._automaton = ahocorasick.Automaton()
        table = defaultdict(list)
        for key, words in lists.items():
            for w in {w.strip().lower() for w in words if w.strip()}:
                wildcard = w.endswith("*")
                phrase = " ".join(w.rstrip("*").split())
                table[phrase].append((key, len(phrase), wildcard))
        for phrase, values in table.items():
            self._automaton.add_word(phrase, tuple(values))
        self._empty = not table
        if table:
            self._automaton.make_automaton()

    def hits(self, text: str) -> dict:
        """{(section, key): [(start, end), ...]} in order of start; `text` should have its
        white space single (the sentences' text has) for phrases of several words."""
        found = defaultdict(list)
        if self._empty:
            return found
        lowered = text.lower()
        if len(lowered) != len(text):
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        n = len(lowered)
        for end_index, values in self._automaton.iter(lowered):
            end = end_index + 1
            for key, length, wildcard in values:
                start = end - length
                if start > 0 and _is_word(lowered[start - 1]):
                    continue
                if wildcard:
                    while end < n and _is_word(lowered[end]):
                        end += 1
                elif end < n and _is_word(lowered[end]):
                    continue
                found[key].append((start, end))
        for spans in found.values():
            spans.sort()
        return found


@lru_cache(maxsize=256)
def _compiled_cached(words: tuple) -> re.Pattern:
    return _words(words)


def _compiled(lexicon: Lexicon, section: str, key: str) -> re.Pattern:
    return _compiled_cached(tuple(lexicon.lists[(section, key)]))


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon.load()
