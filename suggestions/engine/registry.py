"""Find the registry's sources (names, aliases, homepage domains) in a sentence.

`RegistryMatcher` uses pyahocorasick: one pass over the sentence finds every name of every
source, however large the registry (3,000 sources and their aliases in the benchmark).
`find_plain` is the reference implementation, one `str.find` per name; a test checks that
both give the same matches.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import ahocorasick


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    source_id: int
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class RegistryMatch:
    start: int
    end: int
    entry: RegistryEntry
    written: str


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not _word_char(before) and not _word_char(after)


def domain_of(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


# Two- and three-letter names that are also English words ("AP", "WHO", "UN", "US"):
# matched only as written, in capitals, or "who said" would cite the World Health
# Organization.
_CASE_SENSITIVE = re.compile(r"^[A-Z]{2,4}$")


class RegistryMatcher:
    """Names to registry entries. Build once per registry state; `find` is thread-safe."""

    def __init__(self, names):
        """`names`: (name or alias or domain, RegistryEntry) pairs."""
        self._automaton = ahocorasick.Automaton()
        self._pairs = []
        self._by_key = {}
        for name, entry in names:
            name = name.strip()
            if len(name) < 2:
                continue
            key = name.lower()
            exact = name if _CASE_SENSITIVE.match(name) else None
            self._pairs.append((key, exact, entry))
            self._by_key.setdefault(key, (exact, entry))
            existing = self._automaton.get(key, None)
            self._automaton.add_word(key, (existing or ()) + ((len(key), exact, entry),))
        if self._pairs:
            self._automaton.make_automaton()

    def __len__(self):
        return len(self._pairs)

    def lookup(self, name: str):
        """The entry whose name, alias or domain is exactly `name` (as `find` would match
        it), or None: "Priya Shah" found by the rules inside "Norvale CFO Priya Shah"."""
        exact, entry = self._by_key.get(name.strip().lower(), (None, None))
        if entry is None or (exact is not None and name.strip() != exact):
            return None
        return entry

    def find(self, text: str) -> list[RegistryMatch]:
        """Non-overlapping matches, longest first where two overlap."""
        if not self._pairs:
            return []
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters change length when lowered
            return self.find_plain(text)
        found = []
        for end_index, values in self._automaton.iter(lowered):
            for length, exact, entry in values:
                start, end = end_index - length + 1, end_index + 1
                if _bounded(text, start, end) and (exact is None or text[start:end] == exact):
                    found.append(RegistryMatch(start, end, entry, text[start:end]))
        return _longest_first(found)

    def find_plain(self, text: str) -> list[RegistryMatch]:
        """The same as `find`, one name at a time: the reference the fast path must agree with."""
        lowered = text.lower()
        found = []
        for key, exact, entry in self._pairs:
            start = lowered.find(key)
            while start != -1:
                end = start + len(key)
                if _bounded(text, start, end) and (exact is None or text[start:end] == exact):
                    found.append(RegistryMatch(start, end, entry, text[start:end]))
                start = lowered.find(key, start + 1)
        return _longest_first(found)


def _longest_first(found):
    found.sort(key=lambda m: (-(m.end - m.start), m.start, m.entry.source_id))
    taken, kept = [], []
    for m in found:
        if any(m.start < e and s < m.end for s, e in taken):
            continue
        taken.append((m.start, m.end))
        kept.append(m)
    kept.sort(key=lambda m: (m.start, m.entry.source_id))
    return kept
