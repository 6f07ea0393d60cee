"""The rules: from an article's sentences to explained suggestions.

Each rule follows a line of CODEBOOK.md (quoted in `RULES`), not the wording of any
article. Pure Python: no Django, no database, so the import, the benchmark and the tests
call the same code, and the claims work of issue 16 can reuse it.

One pass over the article keeps what later sentences need: the people and documents named
so far (for "she said", "the report stated") and the quotations (a quotation that runs
over several sentences is the speaker's in each of them). Finding the names is names.py's
job and deciding whom a sentence cites attribution.py's; this module turns what they find,
with the lexicon's words for hype and vagueness, into one proposal per label.
"""

import re
from dataclasses import dataclass

from .attribution import (
    LEAD,
    PLACES,
    VAGUE_SOURCES,
    VERBS,
    Attributor,
    Memory,
    continue_quotations,
    first_hit,
    iter_hits,
)
from .lexicon import Lexicon, PhraseMatcher, _alternation, default_lexicon
from .names import NameFinder, capitalised_vocabulary
from .quantities import find_quantities
from .registry import RegistryMatcher
from .text import blank_quotes, quote_regions

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


_VAGUE_PHRASES = ("vague", "phrases")
_HEDGES = ("vague", "hedges")
_FUTURE = ("vague", "future")
_STRONG = ("vague", "strong_assertion_verbs")
_LOADED = ("hype", "loaded")
_CERTAINTY = ("hype", "certainty")
_INTENSIFIERS = ("hype", "intensifiers")
_GRANDIOSE = ("hype", "grandiose")
_MATCHED = (LEAD, VERBS, VAGUE_SOURCES, _VAGUE_PHRASES, PLACES, _HEDGES, _FUTURE, _STRONG,
            _LOADED, _CERTAINTY, _INTENSIFIERS, _GRANDIOSE)
_FIRST_PERSON = re.compile(r"^\W*(?:let['’]s|let us|we\b|i\b|you\b|here['’]s|so yeah)",
                           re.IGNORECASE)
_CAPS_WORD = re.compile(r"(?<![\w&'’-])[A-Z][A-Z'’-]*[A-Z](?![\w&'’-])")
_EXCLAIM = re.compile(r"!")
_UPPER = re.compile(r"[A-Z]")
_LOWER = re.compile(r"[a-z]")


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
        self.name_finder = NameFinder(lex, self.registry)
        self.attributor = Attributor(lex, self.registry)
        self.vague_phrases = lex.pattern("vague", "phrases")
        self.hedges = lex.pattern("vague", "hedges")
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

    # --- the article ----------------------------------------------------------------

    def suggest(self, body: str, sentences) -> list[Proposal]:
        regions = quote_regions(body)
        content = [s for s in sentences if not s.is_boilerplate]
        capitalised = capitalised_vocabulary(content)
        memory = Memory()
        proposals, cited_by_position, analyses = [], {}, []
        for s in content:
            quotes = [r for r in regions if r[0] < s.end and s.start < r[1]]
            plain = blank_quotes(s.text, s.start, quotes)
            hits = self.phrases.hits(plain)
            names = self.name_finder.find(s, plain, capitalised, memory)
            attributions = self.attributor.find(s, plain, names, memory, hits)
            analyses.append((s, quotes, plain, names, attributions, hits))
            specific = [a for a in attributions if a.source and not a.vague and not a.place]
            self.attributor.remember_sentence(memory, names, specific)
            if specific:
                cited_by_position[s.position] = specific
        continue_quotations(analyses, cited_by_position)
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
        for m in iter_hits(hits, _VAGUE_PHRASES, plain):
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
        future = first_hit(hits, _FUTURE, plain)
        if future:
            out.append(Proposal(s.id, s.position, UNVERIFIED, "uc_certain_prediction",
                                f"states a future as certain: “{future.group()}”",
                                s.start + future.start(), s.start + future.end()))
            return out
        verb = first_hit(hits, _STRONG, plain)
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
            for m in iter_hits(hits, pattern, plain):
                word = m.group()
                # A capitalised loaded word mid-sentence is part of a name ("Chaos Theory").
                if word[0].isupper() and plain[:m.start()].strip() and word.lower() != word:
                    continue
                add(rule, f"{why}: “{word}”", m)
                break
        m = first_hit(hits, _INTENSIFIERS, plain)
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
