"""Attribution: whom a sentence gives as the source of what it says. A named source with
an attribution verb or "according to", a back-reference to one named earlier ("she said",
"the report stated"), a credit line, a quotation continued from a cited sentence; or a
vague attribution, or a country or city as the speaker.

Part of the rules (rules.py), which turn these into labels; the names come from names.py.
Pure Python, like the rest of the engine.
"""

import re
from dataclasses import dataclass, field

from .lexicon import Lexicon, _alternation
from .registry import RegistryMatcher
from .text import Name

LEAD = ("attribution", "lead_phrases")
VERBS = ("attribution", "verbs")
VAGUE_SOURCES = ("vague", "sources")
PLACES = ("vague", "places")
_BOUNDARY = re.compile(r"(?<![A-Z])\.\s+[A-Z]|[.!?][\"”’]?\s*$")
_DOCUMENT_REFS = frozenset({"the report", "the study", "the survey", "the article",
                            "the statement", "the document", "the paper", "the analysis",
                            "the data", "the letter"})
_CREDIT = re.compile(r"^\s*(?:source|sources|via|credit)\s*:\s*(?P<name>\S.{1,80}?)\s*$",
                     re.IGNORECASE)
_TWEET_CREDIT = re.compile(r"^\s*[—–-]\s*(?P<name>[^(@\n]{2,80}?)\s*\(@\w+\)")
_BACKREF_GAP = re.compile(
    r"^\s*(?:(?:has|have|had|also|later|then|further|again|previously|recently|once|"
    r"had\s+earlier|earlier|would|did|does|do|not|never|just|quickly|publicly|repeatedly|"
    r"in\s+a\s+statement|on\s+\w+day|last\s+week|in\s+\w+)\s+)*$",
    re.IGNORECASE,
)
_INVERTED_VERBS = frozenset("""
said says added wrote told testified warned asked explained noted argued stated
continued insisted replied recalled tweeted posted commented
""".split())  # noqa: SIM905


@dataclass(slots=True)
class _Source:
    text: str
    kind: str  # person, org, outlet, registry, unknown
    entry: object = None

    @property
    def name(self):
        return self.entry.name if self.entry else self.text


@dataclass(slots=True)
class _Attribution:
    source: _Source | None
    start: int  # sentence-relative span of the source's words
    end: int
    cue: str
    rule: str
    vague: bool = False
    place: bool = False


@dataclass
class Memory:
    person: _Source | None = None
    document: _Source | None = None
    anything: _Source | None = None
    cited_document: _Source | None = None  # "the report" is the last document cited
    surnames: dict = field(default_factory=dict)


def remember(memory: Memory, source: _Source) -> None:
    memory.anything = source
    if source.kind == "person":
        memory.person = source
    else:
        memory.document = source


class _Hit:
    """A phrase found by the automaton, answering like a regular-expression match."""

    __slots__ = ("_start", "_end", "_text")

    def __init__(self, start, end, text):
        self._start, self._end, self._text = start, end, text

    def start(self):
        return self._start

    def end(self):
        return self._end

    def group(self):
        return self._text[self._start:self._end]


def iter_hits(hits, key, text):
    return [_Hit(a, b, text) for a, b in hits.get(key, ())]


def first_hit(hits, key, text):
    spans = hits.get(key)
    return _Hit(*spans[0], text) if spans else None


class Attributor:
    """Attribution rules with the lexicon's words for them and the registry."""

    def __init__(self, lex: Lexicon, registry: RegistryMatcher):
        self.registry = registry
        self.backrefs = lex.set_of("attribution", "back_references")
        self.vague_sources = lex.set_of("vague", "sources")
        self.vague_subject = re.compile(
            rf"(?<![\w-])(?:(?:some|many|most|several|other|western|foreign|local|senior|"
            rf"political|health|government|industry|independent|leading|top|the)\s+)*"
            rf"(?:{lex.alternation('vague', 'sources')})"
            rf"(?:\s+(?:in|from|at|close\s+to|familiar\s+with)\s+[\w ]{{1,30}}?)?"
            rf"\s+(?:\w+\s+){{0,2}}?(?:{lex.alternation('vague', 'verbs')})(?![\w-])",
            re.IGNORECASE,
        )
        self.places = lex.set_of("vague", "places")
        lower_places = [p for p in lex.words("vague", "places") if " " in p and p.islower()]
        self.place_subject = re.compile(
            rf"(?:^|[\s,;:(—–-])((?:both\s+|and\s+)?(?:{_alternation(lower_places)}))\s*,?\s*$",
            re.IGNORECASE,
        )

    def remember_sentence(self, memory: Memory, names, specific) -> None:
        """What later sentences may refer back to: the sources named here, and the last
        document cited."""
        for n in names:
            if n.kind in ("person", "org", "outlet", "registry"):
                remember(memory, self.source_of(n))
        for a in specific:
            remember(memory, a.source)
            if a.source.kind != "person":
                memory.cited_document = a.source

    def find(self, s, plain: str, names, memory, hits) -> list[_Attribution]:
        """Who sentence `s` says its words come from: named sources, back-references,
        vague attributions and places as speakers, each with the span of its words."""
        text = s.text
        found = []
        credit = _CREDIT.match(text) or _TWEET_CREDIT.match(text)
        if credit:
            start, end = credit.span("name")
            n = next((n for n in names if start <= n.start < end), None)
            source = self.source_of(n) if n else _Source(credit.group("name"), "unknown")
            return [_Attribution(source, start, end, text[:start].strip(" :—–-") or "credit",
                                 "cs_credit_line")]
        for m in iter_hits(hits, LEAD, plain):
            after = self._name_after(names, m.end(), text, window=40)
            if after is not None:
                found.append(self._attribution(after, m.group(), "cs_according_to"))
            else:
                vague = self._vague_after(plain, m.end())
                if vague:
                    found.append(_Attribution(None, m.start(), vague, m.group(),
                                              "uc_vague_attribution", vague=True))
        for m in iter_hits(hits, VERBS, plain):
            verb = m.group().lower()
            left = self._subject_before(names, m.start(), plain, text, memory, hits)
            if left is not None:
                found.append(left if isinstance(left, _Attribution)
                             else self._attribution(left, verb, "cs_named_attribution"))
                if verb in ("told", "tells") and not isinstance(left, _Attribution) and (
                        after := self._name_after(
                        names, m.end(), text, window=6)) is not None and (
                        after.kind in ("outlet", "registry")):
                    found.append(self._attribution(after, verb, "cs_named_attribution"))
                continue
            if verb in _INVERTED_VERBS and self._inverted(plain, m.start()):
                after = self._name_after(names, m.end(), text, window=120)
                if after is not None:
                    found.append(self._attribution(after, verb, "cs_named_attribution"))
                    continue
                backref = self._backref_after(text, m.end(), memory)
                if backref is not None:
                    found.append(_Attribution(backref, m.end(), m.end() + 1, verb,
                                              "cs_back_reference"))
        return found

    def _attribution(self, n: Name, cue: str, rule: str) -> _Attribution:
        if n.kind == "place" or (n.kind == "org" and n.text.lower() in self.places):
            return _Attribution(None, n.start, n.end, cue, "uc_place_as_speaker", place=True)
        if n.text.lower() in self.vague_sources:
            return _Attribution(None, n.start, n.end, cue, "uc_vague_attribution", vague=True)
        return _Attribution(self.source_of(n), n.start, n.end, cue, rule)

    def source_of(self, n: Name) -> _Source:
        if n.registry is not None:
            return _Source(n.text, "registry", n.registry)
        # A person or body named with more words than the registry has ("Norvale CFO
        # Priya Shah"): the name the rules settled on may still be an entry's.
        entry = self.registry.lookup(n.canonical or n.text)
        if entry is not None:
            return _Source(n.canonical or n.text, "registry", entry)
        return _Source(n.canonical or n.text, n.kind)

    def _name_after(self, names, pos: int, text: str, window: int) -> Name | None:
        for n in names:
            if n.start >= pos and n.start - pos <= window and "." not in text[pos:n.start].replace(
                    "Dr.", "").replace("St.", ""):
                if n.kind == "adjective":
                    continue
                return n
        return None

    def _vague_after(self, plain: str, pos: int) -> int | None:
        m = re.match(r"\s+(?:the\s+|a\s+|an\s+|some\s+|one\s+)?(\w+(?:\s+\w+)?)", plain[pos:])
        if m and (m.group(1).lower() in self.vague_sources
                  or m.group(1).split()[0].lower() in self.vague_sources):
            return pos + m.end()
        return None

    def _inverted(self, plain: str, verb_start: int) -> bool:
        before = plain[:verb_start].rstrip()
        # `plain` has quotations blanked: a quotation just before shows as trailing spaces
        # in the original, so look at what precedes the blanks.
        return before.endswith(",") or before == "" or plain[:verb_start].endswith("  ") or (
            len(before) < verb_start - 1)

    def _subject_before(self, names, verb_start, plain, text, memory, hits):
        clause = plain[:verb_start]
        # A back-reference right before the verb: "she said", "the report stated".
        trimmed = re.sub(r"(?:\s+(?:has|have|had|also|later|then|further|previously|recently|again"
                         r"|once|reportedly|publicly|repeatedly|instead|never|not))+\s*$", "",
                         clause,
                         flags=re.IGNORECASE)
        m = re.search(r"(?:^|[\s,;:(—–-])((?:the\s+)?[\w-]+(?:\s+[\w-]+)?)\s*,?\s*$", trimmed,
                      re.IGNORECASE)
        if m:
            word = m.group(1).lower()
            candidates = [word, " ".join(word.split()[-2:]), word.split()[-1]]
            ref = next((c for c in candidates if c in self.backrefs), None)
            if ref is not None:
                earlier = [n for n in names if n.end <= m.start(1)
                           and n.kind in ("person", "org", "outlet", "registry")]
                local = Memory()
                for n in earlier:
                    remember(local, self.source_of(n))
                source = self._resolve(ref, local) or self._resolve(ref, memory)
                if source is not None:
                    return _Attribution(source, m.start(1), m.end(1), ref, "cs_back_reference")
                return None
        vague = None
        candidates = [h for h in hits.get(VAGUE_SOURCES, ()) if h[1] <= verb_start]
        for v in (self.vague_subject.finditer(plain[:verb_start + 30]) if candidates else ()):
            if v.start() < verb_start <= v.end() + 1:
                vague = v
        if vague is not None:
            return _Attribution(None, vague.start(), vague.end(), vague.group(),
                                "uc_vague_attribution", vague=True)
        place = self.place_subject.search(trimmed) if hits.get(PLACES) else None
        if place:
            return _Attribution(None, place.start(1), place.end(1), place.group(1),
                                "uc_place_as_speaker", place=True)
        before = [n for n in names if n.end <= verb_start and n.kind != "adjective"]
        for n in reversed(before):
            gap = text[n.end:verb_start]
            if _BACKREF_GAP.match(gap):
                return n
            inner = gap.strip()
            if inner == "," and n.kind in ("person", "org", "outlet", "registry") and (
                    text[:n.start].rstrip().endswith(",")):
                return n  # "her mother, Fiona, said"
            if (len(inner) > 1 and inner.startswith(",") and inner.endswith(",")
                    and len(gap.split()) <= 24
                    and not _BOUNDARY.search(gap) and ";" not in gap):
                return n
            if ";" in gap or _BOUNDARY.search(gap) or len(gap.split()) > 24:
                break
        return self._participle_subject(names, verb_start, plain, text)

    def _participle_subject(self, names, verb_start, plain, text):
        """"Raab defended the party's actions, saying…": a reporting participle after a
        comma reports the speech of its clause's subject, the name the sentence opens with."""
        if not (plain[:verb_start].rstrip().endswith(",")
                and plain[verb_start:].split(maxsplit=1)[0].lower().endswith("ing")):
            return None
        subject = next((n for n in names if n.kind in ("person", "org", "outlet", "registry")
                        and n.end <= verb_start), None)
        if subject is None or len(text[:subject.start].split()) > 3:
            return None
        gap = text[subject.end:verb_start]
        if ";" in gap or _BOUNDARY.search(gap) or len(gap.split()) > 24:
            return None
        return subject

    def _resolve(self, ref: str, memory: Memory) -> _Source | None:
        if ref in ("he", "she", "the minister", "the spokesperson", "the spokesman",
                   "the spokeswoman", "the expert", "the official", "the president",
                   "the senator", "the governor", "the mayor", "the ambassador"):
            return memory.person
        if ref in ("they", "the authors", "the researchers", "the team"):
            return memory.document or memory.anything if ref != "they" else memory.anything
        if ref in _DOCUMENT_REFS:
            return memory.cited_document or memory.document
        return memory.document or (memory.anything if ref == "it" else None)

    def _backref_after(self, text, pos, memory):
        m = re.match(r"\s+(he|she|they|the \w+)\b", text[pos:], re.IGNORECASE)
        if m and m.group(1).lower() in self.backrefs:
            return self._resolve(m.group(1).lower(), memory)
        return None


def continue_quotations(analyses, cited_by_position) -> None:
    """A quotation running over several sentences is the speaker's in each: sentences
    that share a quotation with a cited sentence, or that are nothing but a quotation
    right before a short attribution ("“…” / Holmes testified."), are cited too."""
    by_region = {}
    for s, quotes, *_ in analyses:
        for r in quotes:
            by_region.setdefault(r, []).append(s)
    for _region, members in by_region.items():
        cited = [cited_by_position[m.position] for m in members
                 if m.position in cited_by_position]
        if not cited:
            continue
        for m in members:
            if m.position not in cited_by_position and re.search(r"\w\w", m.text):
                cited_by_position[m.position] = [
                    _Attribution(a.source, 0, 0, "quotation", "cs_quotation")
                    for a in cited[0]
                ]
    for i, (s, _quotes, _plain, *_rest) in enumerate(analyses[1:], start=1):
        # A paragraph that opens with a quotation mark, with no attribution of its own,
        # right after a cited quotation continues the same speaker.
        before, before_quotes = analyses[i - 1][0], analyses[i - 1][1]
        if (s.position not in cited_by_position and s.text.lstrip()[:1] in "“\"‘"
                and before.position in cited_by_position and before_quotes):
            cited_by_position[s.position] = [
                _Attribution(a.source, 0, 0, "quotation", "cs_quotation")
                for a in cited_by_position[before.position]
            ]
    for i, (s, quotes, plain, *_rest) in enumerate(analyses[:-1]):
        nxt = analyses[i + 1][0]
        if (s.position not in cited_by_position and quotes and not plain.strip(" .,")
                and nxt.position in cited_by_position and len(nxt.text.split()) <= 8):
            cited_by_position[s.position] = [
                _Attribution(a.source, 0, 0, "quotation", "cs_quotation")
                for a in cited_by_position[nxt.position]
            ]
