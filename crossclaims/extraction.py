"""Claims read from an article's content sentences: every checkable quantity with what it
measures, of whom, when, which way and on whose word; and each sentence's assertion, for the
checkable statements that carry no figure. This module reads the quantities; the
assertions are in assertions.py, and what both share about the article in article.py.

Pure Python on text: no database, so the rules are tested and measured on plain strings,
and the command, the services and the benchmark all share them. The words the rules read
are in `lexicon`; the numbers come from `quantities`.
"""

import datetime as dt
import re

from . import lexicon
from .article import (
    MONTH_NAMES,
    QUANTITY,
    ArticleContext,
    ClaimDraft,
    Period,
    SentenceText,
    article_context,
    attribution_phrase,
    parties_of,
    places,
    status_of,
    title_of,
    words_of,
)
from .assertions import assertion_claim, assertion_terms, root_of
from .quantities import Quantity, parse_quantities

# Where the services, the benchmark and the tests import the claim rules from; the rules
# themselves are split: the article and the shared readings in article.py, assertions in
# assertions.py, quantities here.
__all__ = [
    "ArticleContext", "ClaimDraft", "Period", "SentenceText", "article_context",
    "assertion_terms", "attribution_phrase", "extract_claims", "quantity_claims", "root_of",
]

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTH = re.compile(r"\b(" + "|".join(MONTH_NAMES) + r")\b", re.IGNORECASE)
# "last year" is a period; "from the previous year" is only the base of a change.
_RELATIVE = re.compile(r"\b(last|this) (year|month)\b", re.IGNORECASE)
_PART_OF_YEAR = re.compile(
    r"\b(?:the )?first (half|(?:two|three) quarters|quarter) of (1[89]\d\d|20\d\d)\b",
    re.IGNORECASE,
)
# Clause boundaries inside a sentence: a figure belongs to the words of its own clause.
_CLAUSE = re.compile(r";|\s—\s|\bwhile\b|\bwhereas\b|\bbut\b|\.\s+(?=[a-z])")


# --- sentences to claims ----------------------------------------------------------------

def extract_claims(sentences: list[SentenceText], context: ArticleContext) -> list[ClaimDraft]:
    """Claims of an article's content sentences, in order."""
    claims = []
    previous_year = None
    for sentence in sentences:
        if sentence.starts_paragraph:
            previous_year = None
        years = {int(y) for y in _YEAR.findall(sentence.text)}
        found = quantity_claims(sentence, context, inherited_year=previous_year)
        if sentence.is_label:
            found = [c for c in found if c.value is not None]
        elif assertion := assertion_claim(sentence, context):
            found.append(assertion)
        claims += found
        previous_year = years.pop() if len(years) == 1 else None
    return claims


def _clauses(text: str):
    bounds = [0] + [m.end() for m in _CLAUSE.finditer(text)] + [len(text)]
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def quantity_claims(sentence: SentenceText, context: ArticleContext, *, inherited_year=None):
    text = sentence.text
    drafts = []
    quantities = parse_quantities(text)
    for a, b in _clauses(text):
        clause = text[a:b]
        in_clause = [q for q in quantities if a <= q.start < b]
        words = words_of(clause, a)
        for q in in_clause:
            draft = _quantity_claim(sentence, context, q, clause, a, words, inherited_year,
                                    sentence_words=words_of(text))
            if (draft and not draft.measure and draft.unit == "percent_change" and drafts
                    and drafts[-1].measure):
                # "…reaching $146.88 billion in 2021, an increase of 35.8%": a change with
                # nothing named beside it is the change of the figure just given. (A figure
                # before it with no measure has none to lend: "".split("|") is [""].)
                measure, goods, parties, _ = drafts[-1].measure.split("|")
                draft.measure = "|".join([measure, goods, parties, "change"])
                draft.subject, draft.parties = drafts[-1].subject, drafts[-1].parties
            if draft:
                drafts.append(draft)
        # "Trade between China and Russia increased dramatically in 2021": a trend with no
        # figure is still a checkable claim about the measure.
        if not in_clause and (
            draft := _trend_claim(sentence, context, clause, a, words, inherited_year)
        ):
            drafts.append(draft)
    return drafts


def _nearest(words, position, vocabulary, *, before=14, after=8):
    """The vocabulary word nearest to `position`, preferring the words before it (a figure
    usually follows what it measures: "trade reached $190 billion")."""
    best = None
    for i, (word, start, _) in enumerate(words):
        if word not in vocabulary:
            continue
        index_of_position = next((j for j, w in enumerate(words) if w[1] >= position),
                                 len(words))
        distance = index_of_position - i
        if 0 < distance <= before:
            score = distance
        elif -after <= distance <= 0:
            score = before + 1 - distance
        else:
            continue
        if best is None or score < best[0]:
            best = (score, i, word, start)
    return best


def _gap(start, end, span):
    """Characters between a word at start:end and the figure at span."""
    return start - span[1] if start >= span[1] else span[0] - end


def _period(clause: str, clause_start: int, span: tuple[int, int], context: ArticleContext,
            inherited_year) -> Period:
    if m := _PART_OF_YEAR.search(clause):
        year = int(m.group(2))
        months = {"half": 6, "quarter": 3, "two quarters": 6, "three quarters": 9}
        end_month = months[m.group(1).lower()]
        end = dt.date(year, end_month, 30 if end_month in (6, 9) else 31)
        return Period(dt.date(year, 1, 1), end, m.group(), "stated")
    # "since 2014" starts a span that runs to now; it is not the figure's period.
    years = [(int(m.group(1)), m.start() + clause_start, m.end() + clause_start, m.group())
             for m in _YEAR.finditer(clause)
             if not re.search(r"\bsince\s+$", clause[max(0, m.start() - 7):m.start()])]
    months = [(m.start() + clause_start, m) for m in _MONTH.finditer(clause)]
    month = min(months, key=lambda x: _gap(x[0], x[0] + 3, span))[1] if months else None
    if years:
        # The year nearest the figure, counted from the figure's end for a year after it:
        # "$2.45 billion in 2022, up from $1.82 billion in 2021".
        year, y_start, _, written = min(years, key=lambda y: _gap(y[1], y[2], span))
        if month and _gap(month.start() + clause_start, month.end() + clause_start, span) < 40:
            index = MONTH_NAMES.index(month.group(1).lower()) + 1
            return _month(year, index, f"{month.group()} {year}", "stated")
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), written, "stated")
    relative = _RELATIVE.search(clause)
    if relative and relative.group(2).lower() == "year":
        if context.date:
            shift = 0 if relative.group(1).lower() == "this" else -1
            year = context.date.year + shift
            return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), relative.group(),
                          "article")
        return Period(text=relative.group())
    if month:
        index = MONTH_NAMES.index(month.group(1).lower()) + 1
        if context.date:
            year = context.date.year - (index > context.date.month)
            return _month(year, index, month.group(), "article")
        return Period(text=month.group())
    if inherited_year:
        return Period(dt.date(inherited_year, 1, 1), dt.date(inherited_year, 12, 31),
                      str(inherited_year), "context")
    return Period()


def _month(year, month, text, basis):
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
    return Period(dt.date(year, month, 1), last, text, basis)


def _goods(words, lo, hi):
    kinds = sorted({lexicon.GOODS[w] for w, s, _ in words if lo <= s < hi and w in lexicon.GOODS})
    return "+".join(kinds)


def _flow_parties(clause, clause_start, measure_start, role):
    """(seller, buyer) of a flow: "Russia imported goods from China" and "Russian purchases
    of Chinese-made chips" are both China → Russia. A side the text does not give is "*"."""
    named = [(p, s + clause_start) for p, s, _ in places(clause)]
    after = clause[measure_start - clause_start:]
    before = [p for p, s in named if s < measure_start]
    subject = before[-1] if before else None
    seller = buyer = None
    if m := re.search(r"\bfrom\s+(?:the\s+)?([A-Z][A-Za-z]+(?: [A-Z][a-z]+)?)", after):
        seller = _place_of(m.group(1))
    if m := re.search(r"\b(?:to|by)\s+(?:the\s+)?([A-Z][A-Za-z]+(?: [A-Z][a-z]+)?)", after):
        buyer = _place_of(m.group(1))
    if role == "buyer":
        buyer = subject or buyer
        # "purchases of Chinese-made microchips": the maker named right after the noun.
        maker = r"\W*\w+\W+(?:of\s+)?(?:the\s+)?([A-Z][a-z]+)(?:-made)?\b"
        if seller is None and (m := re.match(maker, after)):
            seller = _place_of(m.group(1))
    else:
        seller = subject or seller
    return seller or "*", buyer or "*"


def _place_of(words: str) -> str | None:
    for place, _, _ in places(words):
        return place
    return None


def _quantity_claim(sentence, context, q: Quantity, clause, clause_start, words,
                    inherited_year, sentence_words=()) -> ClaimDraft | None:
    position = q.start
    after_text = sentence.text[q.end:q.end + 40].lower()
    unit, direction, (value, low, high) = _percent_kind(q, sentence, words, after_text)
    measure_hit = _nearest(words, position, lexicon.MEASURES.keys(), before=20)
    if unit in ("count", "ordinal"):
        counted = _counted(q, unit, words, sentence_words)
        measure_hit = None
    if unit == "percent_share":
        measure_hit = _share_of(q, after_text) or measure_hit
    period = _period(clause, clause_start, (q.start, q.end), context, inherited_year)
    status = status_of(words)
    goods = ""
    if measure_hit:
        measure, goods, parties, subject = _measured(measure_hit, words, clause, clause_start,
                                                     context)
    elif unit in ("count", "ordinal"):
        measure = counted
        parties = parties_of(clause, context)
        subject = f"{'–'.join(map(title_of, parties))} {counted}"
    else:
        measure = ""
        parties = parties_of(clause, context)
        subject = ""
    dimension = {"percent_change": "change", "percent_share": "share",
                 "ordinal": "count"}.get(unit, unit)
    key = "|".join([measure, goods, ",".join(parties), dimension]) if measure else ""
    return ClaimDraft(
        kind=QUANTITY, start=sentence.start + q.start, end=sentence.start + q.end,
        as_written=q.text, subject=subject, measure=key, value=value, low=low, high=high,
        unit=unit, comparator=q.comparator, direction=direction, status=status,
        period=period, parties=parties, attribution=attribution_phrase(sentence.text),
    )


def _percent_kind(q: Quantity, sentence, words, after_text):
    """(unit, direction, (value, low, high)): a percentage is a share ("40% of") or a
    change ("rose 12%", signed by its direction); other units pass through."""
    unit, direction, values = q.unit, "", (q.value, q.low, q.high)
    if unit != "percent":
        return unit, direction, values
    change = _nearest(words, q.start, lexicon.UP | lexicon.DOWN, before=4, after=3)
    based = any(b in sentence.text.lower() for b in lexicon.CHANGE_BASES)
    if re.match(r"\s*of\b", after_text) and not change:
        unit = "percent_share"
    elif change or based:
        unit = "percent_change"
        word = change[2] if change else "increase"
        direction = "down" if word in lexicon.DOWN else "up"
        value, low, high = values
        if direction == "down" and value > 0:
            values = (-value, -high, -low)
    return unit, direction, values


def _counted(q: Quantity, unit, words, sentence_words) -> str:
    """What a count or an ordinal counts ("12 ships", "met five times", "the third summit")."""
    counted = lexicon.COUNTED.get(q.counted, "")
    if not counted and q.counted in ("times", "time"):
        verb = _nearest(words, q.start, lexicon.COUNTED_VERBS.keys(), before=6, after=0)
        counted = lexicon.COUNTED_VERBS[verb[2]] if verb else ""
    if not counted and unit == "ordinal":
        noun = _nearest(sentence_words, q.start, lexicon.COUNTED.keys(), before=12, after=2)
        counted = lexicon.COUNTED[noun[2]] if noun else ""
    return counted or q.counted or "things"


def _share_of(q: Quantity, after_text):
    """The measure a share is of ("40% of the total trade"), as a _nearest hit, or None."""
    m = re.match(r"\s*of\s+(?:the\s+|its\s+|their\s+)?(?:total\s+)?([\w\s-]{0,40})",
                 after_text)
    if not m:
        return None
    share_words = words_of(m.group(1))
    for word, start, _ in share_words:
        if word in lexicon.MEASURES:
            return (0, None, word, q.end + m.start(1) + start)
    return None


def _measured(measure_hit, words, clause, clause_start, context):
    """(measure, goods, parties, subject) of a figure whose measure word was found."""
    word = measure_hit[2]
    measure, role = lexicon.MEASURES[word]
    index = next(i for i, w in enumerate(words) if w[1] >= measure_hit[3]) if words else 0
    goods = ""
    if measure == "flow":
        parties = flow = _flow_parties(clause, clause_start, words[index][1], role)
        goods = _goods(words, 0, 10**9)
        subject = f"{title_of(flow[0])} → {title_of(flow[1])} exports"
    elif measure == "trade":
        parties = parties_of(clause, context)
        subject = f"{'–'.join(map(title_of, parties))} trade"
    else:
        parties = parties_of(clause, context)
        goods = _goods(words, 0, 10**9)
        subject = f"{'–'.join(map(title_of, parties))} {measure}"
    if goods in ("", "equipment") and measure != "flow":
        goods = ""
    if goods:
        subject += f" ({goods})"
    return measure, goods, parties, subject


def _trend_claim(sentence, context, clause, clause_start, words, inherited_year):
    change = [(w, s) for w, s, _ in words if w in lexicon.UP | lexicon.DOWN]
    if not change:
        return None
    word, position = change[0]
    before = sentence.text[max(0, position - 4):position].lower()
    if before.endswith("to "):
        return None  # "a commitment to increase trade" is an intention, not a trend
    hit = _nearest(words, position, {k for k, v in lexicon.MEASURES.items()
                                     if v[0] in ("trade", "flow")}, before=8, after=4)
    if not hit:
        return None
    measure, role = lexicon.MEASURES[hit[2]]
    index = hit[1]
    if measure == "flow":
        parties = _flow_parties(clause, clause_start, words[index][1], role)
        goods = _goods(words, 0, 10**9)
        subject = f"{title_of(parties[0])} → {title_of(parties[1])} exports"
        if goods:
            subject += f" ({goods})"
    else:
        parties = parties_of(clause, context)
        goods = ""
        subject = f"{'–'.join(map(title_of, parties))} trade"
    direction = "down" if word in lexicon.DOWN else "up"
    start = min(words[index][1], position)
    end = max(words[index][2], position + len(word))
    return ClaimDraft(
        kind=QUANTITY, start=sentence.start + start, end=sentence.start + end,
        as_written=sentence.text[start:end], subject=subject,
        measure="|".join([measure, goods, ",".join(parties), "change"]), unit="percent_change",
        direction=direction, status=status_of(words),
        period=_period(clause, clause_start, (position, position + len(word)), context,
                       inherited_year),
        parties=parties, attribution=attribution_phrase(sentence.text),
    )
