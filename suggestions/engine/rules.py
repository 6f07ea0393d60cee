"""The rules: from an article's sentences to explained suggestions.

Each rule follows a line of CODEBOOK.md (quoted in `RULES`), not the wording of any
article. Pure Python: no Django, no database, so the import, the benchmark and the tests
call the same code, and the claims work of issue 16 can reuse it.

One pass over the article keeps what later sentences need: the people and documents named
so far (for "she said", "the report stated") and the quotations (a quotation that runs
over several sentences is the speaker's in each of them).
"""

import re
from dataclasses import dataclass, field

from .lexicon import Lexicon, PhraseMatcher, _alternation, default_lexicon
from .quantities import find_quantities
from .registry import RegistryMatcher
from .text import Name, blank_quotes, names_in, quote_regions

CITED = "cited_source"
UNVERIFIED = "unverified_claim"
SENSATIONAL = "sensational_framing"


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    label: str
    name: str
    codebook: str  # the line of the codebook the rule follows


RULES = {r.code: r for r in [
    Rule("cs_named_attribution", CITED, "Named source with an attribution verb",
         "The sentence attributes information to a specific, named source."),
    Rule("cs_according_to", CITED, "“According to” a named source",
         "…according to the Brookhaven Transit Authority."),
    Rule("cs_back_reference", CITED, "Back-reference to a source named earlier",
         "Pronouns and back-references count when the referent was named earlier."),
    Rule("cs_quotation", CITED, "Continues a named speaker's quotation",
         "The sentence attributes information to a specific, named source."),
    Rule("cs_credit_line", CITED, "“Source: X” credit line",
         "A “Source: X” credit line is a cited source for that line only."),
    Rule("uc_vague_attribution", UNVERIFIED, "Vague attribution",
         "Vague attributions: experts, analysts, officials, media articles, statistics show."),
    Rule("uc_place_as_speaker", UNVERIFIED, "Country or city as the speaker",
         "A country, city or company named only as the speaker is not a traceable source."),
    Rule("uc_unsourced_figure", UNVERIFIED, "Figure with no source",
         "A checkable assertion (… number …) that has no traceable source."),
    Rule("uc_certain_prediction", UNVERIFIED, "Prediction stated as certain",
         "…or a prediction stated as certain."),
    Rule("uc_unsourced_event", UNVERIFIED, "Event or intention with no source",
         "A checkable assertion (event, intention, cause, trend) that has no traceable source."),
    Rule("sf_capitals", SENSATIONAL, "Capitals for emphasis",
         "Hype in capitals."),
    Rule("sf_loaded_word", SENSATIONAL, "Loaded word in the writer's voice",
         "Loaded adjectives … Mark it only if the writer adopts the word in their own voice."),
    Rule("sf_certainty_marker", SENSATIONAL, "Certainty marker",
         "Certainty markers (“no doubt”, “clearly”)."),
    Rule("sf_unsupported_intensifier", SENSATIONAL, "Intensifier with no figure",
         "An intensifier with no figure … is hype (“grew exponentially”)."),
    Rule("sf_grandiose", SENSATIONAL, "The whole world, us against them",
         "“The whole world is watching”, us-against-them framing."),
    Rule("sf_exclamation", SENSATIONAL, "Exclamation in the writer's voice",
         "Wording that makes events … more emotional than the facts support."),
]}
LABEL_ORDER = (SENSATIONAL, UNVERIFIED, CITED)
_PRIORITY = {code: i for i, code in enumerate(RULES)}


@dataclass(slots=True)
class SentenceText:
    id: int | None
    position: int
    start: int
    end: int
    text: str
    is_boilerplate: bool = False
    is_heading: bool = False
    starts_paragraph: bool = False


@dataclass(slots=True)
class Proposal:
    """One suggestion: a label on a sentence, the phrase it rests on, why."""

    sentence_id: int | None
    position: int
    label: str
    rule: str
    explanation: str
    phrase_start: int | None = None  # absolute offsets into the body, like annotations
    phrase_end: int | None = None
    source_id: int | None = None
    source_name: str = ""  # the registry's name, or the name as written for a new source

    @property
    def is_new_source(self) -> bool:
        return self.label == CITED and self.source_id is None


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
class _Memory:
    person: _Source | None = None
    document: _Source | None = None
    anything: _Source | None = None
    cited_document: _Source | None = None  # "the report" is the last document cited
    surnames: dict = field(default_factory=dict)


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
_BOUNDARY = re.compile(r"(?<![A-Z])\.\s+[A-Z]|[.!?][\"”’]?\s*$")
_DOCUMENT_REFS = frozenset({"the report", "the study", "the survey", "the article",
                            "the statement", "the document", "the paper", "the analysis",
                            "the data", "the letter"})
_LEAD = ("attribution", "lead_phrases")
_VERBS = ("attribution", "verbs")
_VAGUE_SOURCES = ("vague", "sources")
_VAGUE_PHRASES = ("vague", "phrases")
_PLACES = ("vague", "places")
_HEDGES = ("vague", "hedges")
_FUTURE = ("vague", "future")
_STRONG = ("vague", "strong_assertion_verbs")
_LOADED = ("hype", "loaded")
_CERTAINTY = ("hype", "certainty")
_INTENSIFIERS = ("hype", "intensifiers")
_GRANDIOSE = ("hype", "grandiose")
_MATCHED = (_LEAD, _VERBS, _VAGUE_SOURCES, _VAGUE_PHRASES, _PLACES, _HEDGES, _FUTURE, _STRONG,
            _LOADED, _CERTAINTY, _INTENSIFIERS, _GRANDIOSE)


def _bare(word: str) -> str:
    """A word without surrounding punctuation or a possessive: "government's" → government."""
    word = word.strip(".,;:!?()\"“”").lower()
    return word.removesuffix("'s").removesuffix("’s").strip("'’")


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


def _iter(hits, key, text):
    return [_Hit(a, b, text) for a, b in hits.get(key, ())]


def _first(hits, key, text):
    spans = hits.get(key)
    return _Hit(*spans[0], text) if spans else None


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
_FIRST_PERSON = re.compile(r"^\W*(?:let['’]s|let us|we\b|i\b|you\b|here['’]s|so yeah)",
                           re.IGNORECASE)
_CAPS_WORD = re.compile(r"(?<![\w&'’-])[A-Z][A-Z'’-]*[A-Z](?![\w&'’-])")
_EXCLAIM = re.compile(r"!")
_UPPER = re.compile(r"[A-Z]")
_LOWER = re.compile(r"[a-z]")
_ORG_TAIL = None  # built per lexicon below


class Suggester:
    """The rules with their compiled lexicon and registry; reuse one per import run."""

    def __init__(self, lexicon: Lexicon | None = None, registry: RegistryMatcher | None = None,
                 muted=frozenset(), passage=True, broad=True):
        self.passage = passage
        self.broad = broad
        self.lexicon = lex = lexicon or default_lexicon()
        self.registry = registry or RegistryMatcher([])
        self.muted = frozenset(muted)
        self.attribution_verbs = lex.pattern("attribution", "verbs")
        self.lead = lex.pattern("attribution", "lead_phrases")
        self.backrefs = lex.set_of("attribution", "back_references")
        self.verb_words = lex.set_of("attribution", "verbs")
        self.org_heads = lex.set_of("attribution", "organisation_heads")
        self.titles = lex.set_of("attribution", "person_titles")
        self.outlet_words = lex.set_of("attribution", "outlet_words")
        self.vague_sources = lex.set_of("vague", "sources")
        self.vague_subject = re.compile(
            rf"(?<![\w-])(?:(?:some|many|most|several|other|western|foreign|local|senior|"
            rf"political|health|government|industry|independent|leading|top|the)\s+)*"
            rf"(?:{lex.alternation('vague', 'sources')})"
            rf"(?:\s+(?:in|from|at|close\s+to|familiar\s+with)\s+[\w ]{{1,30}}?)?"
            rf"\s+(?:\w+\s+){{0,2}}?(?:{lex.alternation('vague', 'verbs')})(?![\w-])",
            re.IGNORECASE,
        )
        self.vague_phrases = lex.pattern("vague", "phrases")
        self.places = lex.set_of("vague", "places")
        self.hedges = lex.pattern("vague", "hedges")
        lower_places = [p for p in lex.words("vague", "places") if " " in p and p.islower()]
        self.place_subject = re.compile(
            rf"(?:^|[\s,;:(—–-])((?:both\s+|and\s+)?(?:{_alternation(lower_places)}))\s*,?\s*$",
            re.IGNORECASE,
        )
        self.future = lex.pattern("vague", "future")
        strong = [w for w in lex.words("vague", "assertion_verbs")
                  if w not in ("is", "are", "was", "were", "has been", "have been", "had been")]
        self.assertion = re.compile(
            rf"(?<![\w-])(?:{_alternation(strong)})(?![\w-])", re.IGNORECASE
        )
        lists = dict(lex.lists)
        lists[_STRONG] = strong
        self.phrases = PhraseMatcher({k: lists[k] for k in _MATCHED})
        self.loaded = lex.pattern("hype", "loaded")
        self.certainty = lex.pattern("hype", "certainty")
        self.intensifiers = lex.pattern("hype", "intensifiers")
        self.grandiose = lex.pattern("hype", "grandiose")
        self.acronyms = frozenset(lex.words("hype", "acronyms"))
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

    # --- the article ----------------------------------------------------------------

    def suggest(self, body: str, sentences) -> list[Proposal]:
        regions = quote_regions(body)
        content = [s for s in sentences if not s.is_boilerplate]
        capitalised = self._capitalised_vocabulary(content)
        memory = _Memory()
        proposals, cited_by_position, analyses = [], {}, []
        for s in content:
            quotes = [r for r in regions if r[0] < s.end and s.start < r[1]]
            plain = blank_quotes(s.text, s.start, quotes)
            hits = self.phrases.hits(plain)
            names = self._names(s, plain, capitalised, memory)
            attributions = self._attributions(s, plain, names, memory, hits)
            analyses.append((s, quotes, plain, names, attributions, hits))
            specific = [a for a in attributions if a.source and not a.vague and not a.place]
            for n in names:
                if n.kind in ("person", "org", "outlet", "registry"):
                    self._remember(memory, self._source_of(n))
            if specific:
                cited_by_position[s.position] = specific
                for a in specific:
                    self._remember(memory, a.source)
                    if a.source.kind != "person":
                        memory.cited_document = a.source
        self._quotations(analyses, cited_by_position)
        paragraphs = self._paragraph_of(content)
        for s, _quotes, plain, names, attributions, hits in analyses:
            cited = cited_by_position.get(s.position, [])
            proposals.extend(self._cited(s, cited))
            covered = bool(cited) or self.passage and self._passage_cited(s, content, paragraphs,
                                                         cited_by_position)
            quantities = find_quantities(plain)
            sensational = self._sensational(s, plain, hits, quantities)
            proposals.extend(self._unverified(s, plain, names, attributions, bool(cited),
                                              covered, hits, quantities,
                                              hyped=bool(sensational)))
            proposals.extend(sensational)
        return [p for p in _one_per_label(proposals) if p.rule not in self.muted]

    def _capitalised_vocabulary(self, sentences) -> frozenset:
        """Words written with a capital inside sentences: a capital at a sentence's start
        makes a name only if the word is written so elsewhere too."""
        words = set()
        for s in sentences:
            for m in re.finditer(r"(?<=[\w,;:)] )[A-Z][\w'’-]+", s.text):
                words.add(m.group())
        return frozenset(words)

    def _paragraph_of(self, sentences) -> dict:
        paragraph, out = 0, {}
        for s in sentences:
            if s.starts_paragraph:
                paragraph += 1
            out[s.position] = paragraph
        return out

    def _passage_cited(self, s, content, paragraphs, cited_by_position) -> bool:
        """Codebook: no unverified label for "detail of an event whose source is named in
        the same passage" — read as the sentence just before or after, in one paragraph."""
        for other in (s.position - 1, s.position + 1):
            if other in cited_by_position and paragraphs.get(other) == paragraphs[s.position]:
                return True
        return False

    # --- names and sources ------------------------------------------------------------

    def _names(self, s: SentenceText, plain: str, capitalised, memory) -> list[Name]:
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

    def _full_name(self, person: str, memory: _Memory) -> str:
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

    def _remember(self, memory: _Memory, source: _Source) -> None:
        memory.anything = source
        if source.kind == "person":
            memory.person = source
        else:
            memory.document = source

    # --- attribution ----------------------------------------------------------------

    def _attributions(self, s: SentenceText, plain: str, names, memory,
                      hits) -> list[_Attribution]:
        text = s.text
        found = []
        credit = _CREDIT.match(text) or _TWEET_CREDIT.match(text)
        if credit:
            start, end = credit.span("name")
            n = next((n for n in names if start <= n.start < end), None)
            source = self._source_of(n) if n else _Source(credit.group("name"), "unknown")
            return [_Attribution(source, start, end, text[:start].strip(" :—–-") or "credit",
                                 "cs_credit_line")]
        for m in _iter(hits, _LEAD, plain):
            after = self._name_after(names, m.end(), text, window=40)
            if after is not None:
                found.append(self._attribution(after, m.group(), "cs_according_to"))
            else:
                vague = self._vague_after(plain, m.end())
                if vague:
                    found.append(_Attribution(None, m.start(), vague, m.group(),
                                              "uc_vague_attribution", vague=True))
        for m in _iter(hits, _VERBS, plain):
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
        return _Attribution(self._source_of(n), n.start, n.end, cue, rule)

    def _source_of(self, n: Name) -> _Source:
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
                local = _Memory()
                for n in earlier:
                    self._remember(local, self._source_of(n))
                source = self._resolve(ref, local) or self._resolve(ref, memory)
                if source is not None:
                    return _Attribution(source, m.start(1), m.end(1), ref, "cs_back_reference")
                return None
        vague = None
        candidates = [h for h in hits.get(_VAGUE_SOURCES, ()) if h[1] <= verb_start]
        for v in (self.vague_subject.finditer(plain[:verb_start + 30]) if candidates else ()):
            if v.start() < verb_start <= v.end() + 1:
                vague = v
        if vague is not None:
            return _Attribution(None, vague.start(), vague.end(), vague.group(),
                                "uc_vague_attribution", vague=True)
        place = self.place_subject.search(trimmed) if hits.get(_PLACES) else None
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

    def _resolve(self, ref: str, memory: _Memory) -> _Source | None:
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

    def _quotations(self, analyses, cited_by_position) -> None:
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

    # --- proposals ------------------------------------------------------------------

    def _cited(self, s: SentenceText, attributions) -> list[Proposal]:
        out, seen = [], set()
        for a in attributions:
            key = (a.source.entry.source_id if a.source.entry else a.source.name.lower())
            if key in seen:
                continue
            seen.add(key)
            phrase = (s.start + a.start, s.start + a.end) if a.end > a.start else (None, None)
            if a.rule == "cs_quotation":
                why = f"continues a quotation from {a.source.name}"
            elif a.rule == "cs_back_reference":
                why = f"“{a.cue}” refers back to {a.source.name}, named earlier"
            elif a.rule == "cs_credit_line":
                why = f"credit line naming {a.source.name}"
            else:
                why = f"names {a.source.name}, attribution “{a.cue}”"
            if a.source.entry is None:
                why += " (new source?)"
            out.append(Proposal(
                s.id, s.position, CITED, a.rule, why, *phrase,
                source_id=a.source.entry.source_id if a.source.entry else None,
                source_name=a.source.name,
            ))
        return out

    def _unverified(self, s, plain, names, attributions, cited, covered, hits, quantities,
                    hyped=False) -> list[Proposal]:
        out = []
        text = s.text
        named = [a for a in attributions if a.source and not a.vague and not a.place]

        def beside_named(start, end):
            return any(a.start - 25 <= end and start <= a.end + 25 for a in named)

        for a in attributions:
            if a.vague and beside_named(a.start, a.end):
                continue  # "a report from Business Insider said": the report is named
            if a.vague or a.place:
                what = ("vague attribution" if a.vague
                        else "a country or city named only as the speaker")
                out.append(Proposal(s.id, s.position, UNVERIFIED, a.rule,
                                    f"{what}: “{text[a.start:a.end].strip()}”",
                                    s.start + a.start, s.start + a.end))
        for m in _iter(hits, _VAGUE_PHRASES, plain):
            if named and (beside_named(m.start(), m.end()) or "according to" in plain[m.end():]):
                continue  # "is expected, according to Deputy Prime Minister Novak"
            out.append(Proposal(s.id, s.position, UNVERIFIED, "uc_vague_attribution",
                                f"vague or passive attribution: “{m.group()}”",
                                s.start + m.start(), s.start + m.end()))
        if cited or covered or s.is_heading or plain.rstrip().endswith("?"):
            return out
        if _FIRST_PERSON.match(plain) or not plain.strip():
            return out
        hedged = hits.get(_HEDGES)
        figures = [q for q in quantities if q.is_checkable_figure]
        if figures:
            q = figures[0]
            out.append(Proposal(s.id, s.position, UNVERIFIED, "uc_unsourced_figure",
                                f"figure “{q.text}” with no source",
                                s.start + q.start, s.start + q.end))
            return out
        if hedged:
            return out
        future = _first(hits, _FUTURE, plain)
        if future:
            out.append(Proposal(s.id, s.position, UNVERIFIED, "uc_certain_prediction",
                                f"states a future as certain: “{future.group()}”",
                                s.start + future.start(), s.start + future.end()))
            return out
        verb = _first(hits, _STRONG, plain)
        named = [n for n in names if n.kind != "adjective"]
        placed = any(q.kind in ("date", "year") for q in quantities)
        if hyped and not verb and not placed:
            return out  # codebook: when the hype is the only assertion, sensational only
        if len(plain.split()) >= 6 and (verb or named and (placed or self.broad)):
            cue = verb.group() if verb else named[0].text
            out.append(Proposal(s.id, s.position, UNVERIFIED, "uc_unsourced_event",
                                f"asserts an event, intention or trend (“{cue}”) with no source",
                                *((s.start + verb.start(), s.start + verb.end()) if verb
                                  else (None, None))))
        return out

    def _sensational(self, s, plain, hits, quantities) -> list[Proposal]:
        out = []

        def add(rule, why, m):
            out.append(Proposal(s.id, s.position, SENSATIONAL, rule, why,
                                s.start + m.start(), s.start + m.end()))

        shouting = _CAPS_WORD.search(plain)
        if shouting:
            upper = len(_UPPER.findall(plain))
            mostly_caps = upper > 0.8 * (upper + len(_LOWER.findall(plain)))
        if shouting and not mostly_caps:
            words = plain.split()
            caps = [m for m in _CAPS_WORD.finditer(plain)
                    if m.group() not in self.acronyms and len(m.group()) >= 4
                    and len(plain[:m.start()].split()) >= 2 and m.group().isalpha()
                    and not re.match(r"\s*(?:[=\d)]|\()", plain[m.end():])
                    and not plain[:m.start()].endswith("(")]
            # Acronyms are short and come alone; shouting is a run of words or a long one.
            if len(words) >= 4 and (len(caps) >= 2 or any(len(c.group()) >= 7 for c in caps)):
                add("sf_capitals", "capitals for emphasis: “" + " ".join(
                    c.group() for c in caps[:4]) + "”", caps[0])
        for rule, pattern, why in (
            ("sf_loaded_word", _LOADED, "the writer's own loaded word"),
            ("sf_certainty_marker", _CERTAINTY, "certainty marker"),
            ("sf_grandiose", _GRANDIOSE, "inflates the stakes"),
        ):
            for m in _iter(hits, pattern, plain):
                word = m.group()
                # A capitalised loaded word mid-sentence is part of a name ("Chaos Theory").
                if word[0].isupper() and plain[:m.start()].strip() and word.lower() != word:
                    continue
                add(rule, f"{why}: “{word}”", m)
                break
        m = _first(hits, _INTENSIFIERS, plain)
        if m and not any(q.is_checkable_figure for q in quantities):
            add("sf_unsupported_intensifier",
                f"intensifier “{m.group()}” with no figure in the sentence", m)
        m = _EXCLAIM.search(plain)
        if m and len(plain.split()) >= 2:
            add("sf_exclamation", "exclamation in the writer's voice", m)
        return out


def _one_per_label(proposals) -> list[Proposal]:
    """Each label at most once per sentence (one per source for citations), from the rule
    listed first in RULES."""
    proposals.sort(key=lambda p: (p.position, LABEL_ORDER.index(p.label), _PRIORITY[p.rule]))
    kept, seen = [], set()
    for p in proposals:
        key = (p.position, p.label, (p.source_id, p.source_name.lower()) if p.label == CITED
               else None)
        if key in seen:
            continue
        seen.add(key)
        kept.append(p)
    return kept
