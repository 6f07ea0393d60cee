"""Numbers and quantities in news text, with their values in base units.

Reusable on its own (no Django, no other engine module): the suggestion rules ask whether a
sentence states a checkable figure, and the cross-article claims (issue 16) need the
normalised value, unit, comparator and period of each one:

    >>> [q.describe() for q in find_quantities("trade reached $190,000 million in 2022")]
    ['money 190000000000 USD', 'year 2022']

Written with regular expressions rather than quantulum3 (well kept, but 7 ms a sentence
and 1.6 s to load, against an import budget of about 0.2 ms a sentence, and it read
"£71.6million" as £71) or number-parser (numbers in words only). Values are floats;
`approximate` and `comparator` keep the wording's precision ("about", "more than"), which
decides whether two figures agree.
"""

import re
from dataclasses import dataclass

import ahocorasick

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a hundred": 100, "hundred": 100,
    "a dozen": 12, "dozen": 12, "dozens": 24, "scores": 40, "hundreds": 200,
    "thousands": 2000, "millions": 2e6, "billions": 2e9,
}
_FRACTIONS = {
    "half": 0.5, "a half": 0.5, "one half": 0.5, "a third": 1 / 3, "one third": 1 / 3,
    "one-third": 1 / 3, "two thirds": 2 / 3, "two-thirds": 2 / 3, "a quarter": 0.25,
    "one quarter": 0.25, "three quarters": 0.75, "three-quarters": 0.75, "a fifth": 0.2,
    "one fifth": 0.2, "a tenth": 0.1,
}
_SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "crore": 1e7,
    "lakh": 1e5,
}
_CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "₽": "RUB",
                   "₹": "INR", "a$": "AUD", "c$": "CAD", "hk$": "HKD"}
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "usd": "USD", "euro": "EUR", "euros": "EUR",
    "eur": "EUR", "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "gbp": "GBP",
    "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "yen": "JPY", "rouble": "RUB",
    "roubles": "RUB", "ruble": "RUB", "rubles": "RUB", "rupee": "INR", "rupees": "INR",
}
_MEASURES = {
    "cubic meters": "m3", "cubic metres": "m3", "tonnes": "t", "tonne": "t", "tons": "t",
    "ton": "t", "barrels": "bbl", "barrel": "bbl", "kilometres": "km", "kilometers": "km",
    "km": "km", "miles": "mi", "mile": "mi", "kilograms": "kg", "kg": "kg", "ounces": "oz",
    "ounce": "oz", "points": "points", "percentage points": "pp", "megawatts": "MW",
    "gigawatts": "GW", "mw": "MW", "gw": "GW", "hectares": "ha", "acres": "acre",
    "degrees": "deg", "years": "years", "months": "months", "weeks": "weeks", "days": "days",
    "hours": "hours", "minutes": "minutes",
}
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november"
           "|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec")
_COMPARATORS = {
    "more than": ">", "over": ">", "above": ">", "exceeded": ">", "exceeding": ">",
    "at least": ">=", "up to": "<=", "as many as": "<=", "as much as": "<=", "nearly": "~<",
    "almost": "~<", "less than": "<", "fewer than": "<", "under": "<", "below": "<",
    "about": "~", "around": "~", "roughly": "~", "approximately": "~", "some": "~",
    "an estimated": "~", "estimated": "~", "just over": "~>", "just under": "~<",
}

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# "67. 56 billion": a decimal point typed with a space, only before a scale word.
_SPACED_DECIMAL = r"\d+\.\s\d+(?=\s*(?:thousand|million|billion|trillion|bn)\b)"
_WORD_NUMBER = "|".join(sorted((re.escape(w) for w in _SMALL), key=len, reverse=True))
_FRACTION = "|".join(sorted((re.escape(w) for w in _FRACTIONS), key=len, reverse=True))
_SCALE = r"thousand|million|billion|trillion|crore|lakh|bn|mn|mln|tn|[mkb](?![a-z])"
_SIGN = r"(?:us\$|hk\$|a\$|c\$|[$£€¥₽₹])"
_CUR_WORD = "|".join(sorted(_CURRENCY_WORDS, key=len, reverse=True))
_MEASURE = "|".join(sorted((re.escape(w) for w in _MEASURES), key=len, reverse=True))
_COMPARATOR = "|".join(sorted((re.escape(w) for w in _COMPARATORS), key=len, reverse=True))

# A digit glued to letters ("CLc1", "G7", "F-35") is a name or a code, not a figure.
_NUMBER = rf"(?<![A-Za-z\d.,-])(?:{_SPACED_DECIMAL}|{_DIGITS}|\b(?:{_WORD_NUMBER})\b)"

_PATTERN = re.compile(
    rf"""
    (?:\b(?P<cmp>{_COMPARATOR})\s+)?
    (?:
      (?P<age>\b\d{{1,3}}-year-old\b)
    | (?P<date>\b\d{{1,4}}(?P<dsep>[/.-])\d{{1,2}}(?P=dsep)\d{{2,4}}\b(?![/.-]\d)
              |\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?
              |\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b\.?(?:,?\s+\d{{4}})?)
    | (?P<fraction_digits>\b\d+-\d+/\d+\b|(?<![/\d])\d+/\d+(?![/\d]))
    | (?P<frac>\b(?:{_FRACTION})\b)
    | (?P<sign>{_SIGN})\s?(?P<snum>{_NUMBER})(?:\s?-?(?P<sscale>{_SCALE}))?
    | (?P<num>{_NUMBER})
      (?:\s?(?:to|-|–|and)\s?(?P<num2>{_DIGITS})(?=\s?(?:%|per\s?cent|percent|{_SCALE})))?
      (?:\s?-?(?P<scale>{_SCALE})(?:\s+(?P<scale2>{_SCALE}))?)?
      (?:\s?(?P<pct>%|per\s?cent\b|percent\b)
       |\s?-?(?P<curword>(?:{_CUR_WORD}))\b
       |\s(?P<measure>{_MEASURE})\b
       |(?P<ordinal>st|nd|rd|th)\b)?
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
_DIGIT_OR_SIGN = re.compile(rf"\d|{_SIGN}", re.IGNORECASE)
# Number words are found with an automaton: an alternation of fifty words tried at every
# character cost more than the whole figure pattern.
_NUMBER_WORDS = ahocorasick.Automaton()
for _w in [*_SMALL, *_FRACTIONS]:
    _NUMBER_WORDS.add_word(_w, len(_w))
_NUMBER_WORDS.make_automaton()


def _anchors(text: str) -> list[int]:
    """Where a figure may be: each digit or currency sign, and each number word."""
    starts = [m.start() for m in _DIGIT_OR_SIGN.finditer(text)]
    lowered = text.lower()
    if len(lowered) == len(text):
        n = len(text)
        for end, length in _NUMBER_WORDS.iter(lowered):
            start = end - length + 1
            if (start == 0 or not lowered[start - 1].isalnum()) and (
                    end + 1 >= n or not lowered[end + 1].isalnum()):
                starts.append(start)
    else:
        starts += [m.start() for m in re.finditer(
            rf"\b(?:{_WORD_NUMBER}|{_FRACTION})\b", text, re.IGNORECASE)]
    return sorted(set(starts))
# The longest text a figure can start with before its anchor: "approximately ", "September ".
_LEAD_IN = max(len(w) for w in [*_COMPARATORS, "september"]) + 2
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)$")
_FOLLOWING_NOUN = re.compile(
    r"\s+(?:[a-z][\w-]*\s+){0,2}?([a-z][\w-]*s|people|children|men|women|staff|police"
    r"|personnel|aircraft|cattle)\b"
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """One figure as written and as a value.

    kind: money, percent, fraction, measure, count, number, year, date, age, ordinal.
    value: in base units (a currency's unit, a percentage as written, a count); None for
    dates. unit: ISO currency code, "%", a measure's symbol, or the counted noun.
    """

    start: int
    end: int
    text: str
    kind: str
    value: float | None
    unit: str = ""
    comparator: str = ""
    approximate: bool = False

    @property
    def is_checkable_figure(self) -> bool:
        """A figure a reader could check: money, a share, a measure or a count of things.
        Years, dates, ages and ordinals place a claim but are not its figure."""
        if self.kind in ("money", "percent", "fraction", "measure"):
            return True
        # "three diseases", "two sides": small counts in words are wording, not figures.
        return self.kind == "count" and (
            (self.value or 0) >= 10 or (self.value or 0) >= 2 and self.text[:1].isdigit()
        )

    def describe(self) -> str:
        value = "" if self.value is None else f" {self.value:g}" if self.value < 1e6 else (
            f" {self.value:.0f}")
        return f"{self.kind}{value}{' ' + self.unit if self.unit else ''}".strip()


def parse_number(text: str) -> float | None:
    """A number as written, in digits or words: "190,000", "67. 56", "one third",
    "two dozen", "3.3 million". None when it is not a number."""
    t = text.strip().lower()
    if not t:
        return None
    if t in _FRACTIONS:
        return _FRACTIONS[t]
    parts = t.split()
    scale = 1.0
    if len(parts) > 1 and parts[-1] in _SCALES:
        scale = _SCALES[parts[-1]]
        t = " ".join(parts[:-1])
    if t in _SMALL:
        return _SMALL[t] * scale
    words = t.replace("-", " ").split()
    if words and all(w in _SMALL for w in words):
        total = 0.0
        for w in words:
            n = _SMALL[w]
            total = total * n if n in (100, 12) and total else total + n
        return total * scale
    t = t.replace(",", "").replace(" ", "")
    try:
        return float(t) * scale
    except ValueError:
        return None


def find_quantities(text: str) -> list[Quantity]:
    """Every figure in `text`, in order, with offsets into it."""
    found = []
    pos = 0
    # Every figure holds a digit, a currency sign or a number word, and starts at most a
    # comparator or a month before it: the full pattern runs from just before each such
    # anchor instead of from every character (a pass of it over a whole sentence cost
    # ~130 µs, more than the rest of the rules together). `_find_plain` is the reference.
    for anchor in _anchors(text):
        if anchor < pos:
            continue
        m = _PATTERN.search(text, max(pos, anchor - _LEAD_IN))
        if m is None:
            break
        pos = max(m.end(), pos + 1)
        q = _quantity(m, text)
        if q is not None:
            found.append(q)
    return found


def _find_plain(text: str) -> list[Quantity]:
    """The same as `find_quantities`, one pass of the pattern over the whole text."""
    return [q for q in (_quantity(m, text) for m in _PATTERN.finditer(text)) if q is not None]


def _quantity(m: re.Match, text: str) -> Quantity | None:
    g = m.groupdict()
    cmp_word = (g["cmp"] or "").lower()
    comparator = _COMPARATORS.get(cmp_word, "")
    approximate = comparator.startswith("~")
    start, end = m.start(), m.end()
    span = text[start:end]
    common = {"start": start, "end": end, "text": span, "comparator": comparator,
              "approximate": approximate}
    if g["age"]:
        return Quantity(kind="age", value=float(g["age"].split("-")[0]), unit="years", **common)
    if g["date"]:
        return Quantity(kind="date", value=None, **common)
    if g["fraction_digits"]:
        whole, _, frac = g["fraction_digits"].rpartition("-")
        num, den = frac.split("/")
        if not float(den):
            return None  # "1/0" odds, a path, a typo: not a fraction of anything
        value = (float(whole) if whole else 0) + float(num) / float(den)
        return Quantity(kind="fraction", value=value, **common)
    if g["frac"]:
        return Quantity(kind="fraction", value=_FRACTIONS[g["frac"].lower()], **common)
    if g["sign"]:
        value = parse_number(g["snum"])
        if value is None:
            return None
        value *= _scale(g["sscale"])
        return Quantity(kind="money", value=value, unit=_CURRENCY_SIGNS[g["sign"].lower()],
                        **common)
    raw = g["num"]
    if raw is None:
        return None
    value = parse_number(raw)
    if value is None:
        return None
    if g["scale"] and not (g["scale"].lower() in ("m", "k", "b") and not g["curword"]):
        value *= _scale(g["scale"]) * _scale(g["scale2"])
    if g["num2"]:
        approximate = True
        common["approximate"] = True
    if g["pct"]:
        return Quantity(kind="percent", value=value, unit="%", **common)
    if g["curword"]:
        return Quantity(kind="money", value=value, unit=_CURRENCY_WORDS[g["curword"].lower()],
                        **common)
    if g["measure"]:
        return Quantity(kind="measure", value=value, unit=_MEASURES[g["measure"].lower()],
                        **common)
    if g["ordinal"]:
        return Quantity(kind="ordinal", value=value, **common)
    is_word = raw[0].isalpha()
    if not is_word and _YEAR.match(raw) and not g["scale"]:
        return Quantity(kind="year", value=value, **common)
    noun = _FOLLOWING_NOUN.match(text, end)
    if noun:
        return Quantity(kind="count", value=value, unit=noun.group(1).lower(), **common)
    if is_word and raw.lower() in ("one", "zero"):
        return None  # "one of the", "one day": not a figure
    return Quantity(kind="number", value=value, **common)


def _scale(word: str | None) -> float:
    return _SCALES.get((word or "").lower(), 1.0)
