"""Names in a sentence and what each names: a person, an organisation, an outlet, a
registry entry, a place, or a nationality that is not a speaker by itself.

Part of the rules (rules.py), kept apart because finding and classifying names is one
job with its own word lists; attributing what a sentence says to one of them is
attribution.py's. Pure Python, like the rest of the engine.
"""

import re

from .lexicon import Lexicon
from .registry import RegistryMatcher
from .text import Name, names_in

_STOP_INITIAL = frozenset("""
the a an and but or so yet in on at after before as with without by for from to of
however meanwhile moreover also this that these those it its his her their our we i he
she they you there here now then when while if although though because since despite
among during over under today yesterday last next first both all many some most several
other another such every each no not more former senior according let what why how who
where which once still january february march april june july august september october
november december monday tuesday wednesday thursday friday saturday sunday even just
only instead thus indeed nor unlike like though perhaps interestingly importantly
""".split())  # noqa: SIM905
# Words inside a name that are its role, not the name itself ("Secretary of State Mike
# Pompeo" is Mike Pompeo).
_ROLE_WORDS = frozenset("""
state foreign affairs national security prime defence defense health interior finance
trade economy economic public deputy vice senior former acting chief general lt col gen
sgt st jr sr new
""".split())  # noqa: SIM905
_CALENDAR = frozenset("""
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
""".split())  # noqa: SIM905
_DEMONYM = re.compile(r"(?:ian|ean|ese|ish)$")
_DEMONYMS = frozenset("""
american german afghan mexican african dominican pakistani iraqi israeli saudi thai
kuwaiti qatari emirati yemeni somali nepali bangladeshi french dutch swiss greek czech
british welsh irish kazakh uzbek european western eastern northern southern arab
""".split())  # noqa: SIM905
_TAIL_STOP = frozenset("""
in on at a an the that and or to of for with by from is was are were has have had will
would its his her their this these those who which
""".split())  # noqa: SIM905


def _bare(word: str) -> str:
    """A word without surrounding punctuation or a possessive: "government's" → government."""
    word = word.strip(".,;:!?()\"“”").lower()
    return word.removesuffix("'s").removesuffix("’s").strip("'’")


def capitalised_vocabulary(sentences) -> frozenset:
    """Words written with a capital inside sentences: a capital at a sentence's start
    makes a name only if the word is written so elsewhere too."""
    words = set()
    for s in sentences:
        for m in re.finditer(r"(?<=[\w,;:)] )[A-Z][\w'’-]+", s.text):
            words.add(m.group())
    return frozenset(words)


class NameFinder:
    """The names of one sentence, with the lexicon's words for bodies, roles and places."""

    def __init__(self, lex: Lexicon, registry: RegistryMatcher):
        self.registry = registry
        self.verb_words = lex.set_of("attribution", "verbs")
        self.org_heads = lex.set_of("attribution", "organisation_heads")
        self.titles = lex.set_of("attribution", "person_titles")
        self.outlet_words = lex.set_of("attribution", "outlet_words")
        self.places = lex.set_of("vague", "places")
        self.tail_words = frozenset(w for w in self.org_heads | self.titles if " " not in w)
        heads = "|".join(sorted((re.escape(w) for w in self.org_heads | self.titles),
                                key=len, reverse=True))
        # "Inner Mongolia health authority", "China's ambassador to Britain", "the
        # Russian foreign ministry": a name, then up to three lower-case words ending in
        # a body's or a role's word.
        self.tail = re.compile(
            rf"(?:['’]s?)?\s+((?:[a-z][\w'’-]*\s+){{0,3}}(?:{heads}))(?![\w-])"
            rf"(?:\s+(?:to|of|for)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)?"
        )

    def find(self, s, plain: str, capitalised, memory) -> list[Name]:
        """The names in sentence `s` written in the writer's own words (`plain` has the
        quotations blanked), each classified: person, org, outlet, registry, place,
        adjective or unknown. `memory.surnames` learns full names as they appear."""
        text = s.text
        registry = self.registry.find(text)
        names = []
        for n in names_in(text):
            tokens = list(n.tokens)
            # Sentence-initial function words are capitalised by position only.
            while tokens and tokens[0].lower() in _STOP_INITIAL and (
                text[:n.start].strip(" \"“‘'(—–-") == "" or n.start == 0
            ):
                drop = tokens.pop(0)
                skip = text.find(drop, n.start) + len(drop)
                n.start = skip + (len(text[skip:]) - len(text[skip:].lstrip()))
            if not tokens or tokens[0].lower() in _CALENDAR:
                continue
            n.tokens = tuple(tokens)
            n.text = text[n.start:n.end]
            at_start = text[:n.start].strip(" \"“‘'(—–-") == ""
            if (at_start and len(tokens) == 1 and tokens[0] not in capitalised
                    and tokens[0].lower() not in memory.surnames
                    and tokens[0].lower() not in self.places):
                continue
            self._extend(n, text)
            self._classify(n, registry, memory)
            names.append(n)
        names = [n for n in names if plain[n.start] == text[n.start]]  # the writer's words only
        nested = []
        # A name inside an extended one: "Britain" in "China's ambassador to Britain".
        for n in names:
            if not any(o is not n and o.start <= n.start and n.end <= o.end and (
                    o.end - o.start > n.end - n.start) for o in names):
                nested.append(n)
        names = self._merge_outlets(nested, text)
        # Registry names written in lower case or inside a longer name
        for m in registry:
            if not any(n.start <= m.start < n.end for n in names):
                names.append(Name(m.start, m.end, m.written, (m.written,), kind="registry",
                                  registry=m.entry, canonical=m.entry.name))
        names.sort(key=lambda n: n.start)
        return names

    def _merge_outlets(self, names, text):
        """"Russian daily Vedomosti": an outlet word followed by a name is that outlet."""
        out = []
        for n in names:
            if (out and out[-1].kind == "outlet" and out[-1].tokens[-1].lower() in self.outlet_words
                    and text[out[-1].end:n.start].strip() == "" and n.kind != "place"):
                n.kind = "registry" if n.registry is not None else "outlet"
                n.canonical = n.canonical if n.registry is not None else n.text
                out[-1] = n
                continue
            out.append(n)
        return out

    def _extend(self, n: Name, text: str) -> None:
        if n.tokens[-1].lower() in self.org_heads:
            return
        # Most names are followed by no body's or role's word: look before the pattern.
        following = text[n.end:n.end + 80].split()[:4]
        if not any(_bare(w) in self.tail_words for w in following):
            return
        m = self.tail.match(text, n.end)
        if m:
            words = m.group(1).split()
            if any(w.lower() in _TAIL_STOP or w.lower() in self.verb_words for w in words[:-1]):
                return
            head = words[-1].lower()
            if head in self.org_heads or head in self.titles:
                n.end = m.end()
                n.text = text[n.start:n.end]
                n.tokens = n.tokens + tuple(text[m.start(1):m.end()].split())
                n.possessive = False

    def _classify(self, n: Name, registry, memory) -> None:
        lowered = [t.lower().strip(".") for t in n.tokens]
        for m in registry:
            if n.start <= m.start and m.end <= n.end and (m.end - m.start) * 2 >= len(n.text):
                n.kind, n.registry, n.canonical = "registry", m.entry, m.entry.name
                return
        joined = " ".join(lowered)
        parts = ([p.strip() for p in re.split(r"\b(?:and|the)\b|,", joined) if p.strip()]
                 if " and " in joined else ())
        if joined in self.places or joined.removeprefix("the ") in self.places or (
                parts and all(p in self.places for p in parts)):
            n.kind = "place"  # "China", "China and Russia"
            return
        if any(t in self.titles for t in lowered):
            person = self._person_name(n.tokens)
            if person and not any(t in self.org_heads for t in lowered[-1:]):
                n.kind, n.canonical = "person", self._full_name(person, memory)
                return
        if lowered[-1] in self.org_heads or any(t in self.org_heads for t in lowered):
            n.kind = "outlet" if any(t in self.outlet_words for t in lowered) else "org"
            n.canonical = n.text.removeprefix("the ").removeprefix("The ")
            return
        if len(lowered) == 1 and (_DEMONYM.search(lowered[0]) or lowered[0] in _DEMONYMS) and (
            lowered[0] not in memory.surnames
        ):
            n.kind = "adjective"  # "Russian", "Chinese": not a speaker by itself
            return
        if len(lowered) == 1 and all(c.isupper() or c == "." for c in n.tokens[0]):
            n.kind, n.canonical = "org", n.tokens[0]
            return
        person = self._person_name(n.tokens) or n.text
        n.kind = "person" if len(n.tokens) <= 4 else "unknown"
        n.canonical = self._full_name(person, memory)

    def _full_name(self, person: str, memory) -> str:
        """"Sondland" after "Gordon Sondland" is Gordon Sondland."""
        words = person.split()
        if len(words) >= 2:
            memory.surnames.setdefault(words[-1].lower(), person)
            return person
        return memory.surnames.get(person.lower(), person)

    def _person_name(self, tokens) -> str:
        runs, run = [], []
        for t in tokens:
            low = t.lower().strip(".")
            if (low in self.titles or low in self.org_heads or low in _ROLE_WORDS
                    or low in ("of", "the", "and", "for", "on", "to", "at", "in")
                    or low in self.places):
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(t)
        if run:
            runs.append(run)
        if not runs:
            return ""
        # A name follows its titles: "Australian Prime Minister Scott Morrison".
        return " ".join(runs[-1])
