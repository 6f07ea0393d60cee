"""Numbers and quantities as news copy writes them, normalised to base units.

"$190,000 million" is 1.9 × 10¹¹ USD, "146.88 billion dollars" is 1.4688 × 10¹¹ USD, "35.8%"
is 35.8 percent, "one third" is 33.3 percent, "38 times" is a count of 38. Each quantity
keeps the span it was read from (offsets into the text given) and the interval its wording
allows: "$240 billion" is 235–245 billion read as rounded, "more than $100 billion" is
anything above 100 billion, "about 50 billion cubic meters" is 45–55 billion.

Issue 15 (suggestions, branch `suggest`) plans a number and quantity parser too. It did not
exist when this was written, so this is a self-contained module with no Django import: the
two can be unified later by making one of them call the other.

Years (1800–2100 with nothing after them) and calendar dates are not quantities here;
`extraction` reads them as periods.
"""

import math
import re
from dataclasses import dataclass

# Scale words and abbreviations copy uses after a number.
SCALES = {
    "thousand": 1e3, "k": 1e3,
    "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9,
    "trillion": 1e12, "tn": 1e12, "trn": 1e12,
}
# Symbols before and words after a number that name a currency (ISO 4217 codes).
CURRENCY_SYMBOLS = {"us$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY"}
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "usd": "USD", "us dollars": "USD",
    "euro": "EUR", "euros": "EUR", "eur": "EUR",
    "pound": "GBP", "pounds": "GBP", "gbp": "GBP",
    "yuan": "CNY", "renminbi": "CNY", "cny": "CNY", "rmb": "CNY",
    "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB", "rub": "RUB",
    "yen": "JPY", "rupees": "INR", "rupee": "INR",
}
# Measurement units after a number (and their base unit).
UNITS = {
    "cubic meters": "m3", "cubic metres": "m3", "cubic meter": "m3", "cubic metre": "m3",
    "barrels": "barrel", "barrel": "barrel",
    "tonnes": "t", "tonne": "t", "tons": "t", "ton": "t",
    "kilometres": "km", "kilometers": "km", "km": "km", "miles": "mile",
    "megawatts": "MW", "mw": "MW", "gigawatts": "GW", "gw": "GW",
}
DURATIONS = {"year": "year", "years": "year", "month": "month", "months": "month",
             "week": "week", "weeks": "week", "day": "day", "days": "day",
             "decade": "decade", "decades": "decade"}
WORD_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12,
}
FRACTIONS = {"half": 1 / 2, "third": 1 / 3, "thirds": 1 / 3, "quarter": 1 / 4,
             "quarters": 1 / 4, "fifth": 1 / 5, "fifths": 1 / 5, "tenth": 1 / 10}
# Words before a number that bound it or say it is approximate.
COMPARATORS = [
    ("more than", "more_than"), ("over", "more_than"), ("above", "more_than"),
    ("exceeded", "more_than"), ("exceeding", "more_than"), ("exceeds", "more_than"),
    ("upwards of", "more_than"), ("at least", "at_least"), ("no less than", "at_least"),
    ("less than", "less_than"), ("under", "less_than"), ("below", "less_than"),
    ("fewer than", "less_than"), ("at most", "at_most"), ("up to", "at_most"),
    ("no more than", "at_most"),
    ("about", "about"), ("around", "about"), ("roughly", "about"), ("some", "about"),
    ("approximately", "about"), ("nearly", "about"), ("almost", "about"),
    ("close to", "about"), ("an estimated", "about"), ("estimated", "about"),
]
# Determiners and possessives before a small word number make it a description ("the two
# leaders"), not a count anyone could check.
_DESCRIPTIVE = {"the", "these", "those", "their", "its", "his", "her", "our", "both", "all",
                "my", "your", "'s", "’s", "s"}

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"thousand|million|billion|trillion|mln|mn|bn|tn|trn|k|m|b"
_CURRENCY_WORD = "|".join(sorted(map(re.escape, CURRENCY_WORDS), key=len, reverse=True))
_UNIT = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_NUMERIC = re.compile(
    rf"(?P<sym>US\$|\$|€|£|¥)?\s?"
    # "67. 56 billion": a decimal point typed with a space, which the sentence splitter
    # also repairs (README); only believed when a scale or currency follows.
    rf"(?P<num>{_NUMBER})(?:\.\s(?P<frac>\d{{1,3}})(?=\s(?:{_SCALE}|{_CURRENCY_WORD})\b))?"
    rf"(?P<ord>st|nd|rd|th)?"
    rf"(?:\s?-?(?P<scale>{_SCALE})\b)?"
    rf"(?:\s(?P<cur>{_CURRENCY_WORD})\b)?"
    rf"(?:\s?(?P<pct>%|percent\b|per\scent\b|percentage\spoints?\b))?"
    rf"(?:\s(?P<unit>{_UNIT})\b)?",
    re.IGNORECASE,
)
_WORDNUM = "|".join(WORD_NUMBERS)
_WORDS = re.compile(
    rf"\b(?P<a>one|a|an|{_WORDNUM})(?:[\s-](?P<b>{_WORDNUM}))?"
    rf"(?:\s(?P<frac>{'|'.join(FRACTIONS)})\b)?"
    rf"(?:\s(?P<scale>thousand|million|billion|trillion)\b)?"
    rf"(?:\s(?P<cur>{_CURRENCY_WORD})\b)?"
    rf"(?:\s(?P<pct>percent|per\scent)\b)?",
    re.IGNORECASE,
)
_HALF = re.compile(r"\b(?P<frac>half)\s+of\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_MONTHS = frozenset([
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
])


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    text: str
    value: float
    low: float
    high: float
    # "USD", "percent", "m3", "count", "ordinal", "year" (a duration), …
    unit: str
    # For counts and ordinals, the thing counted as written ("agreements", "times").
    counted: str = ""
    comparator: str = ""

    @property
    def dimension(self) -> str:
        return f"{self.unit}:{self.counted}" if self.counted else self.unit


def _tolerance(digits: str, scale: float) -> float:
    """Half a unit of the last digit the writer gave, read as rounding: "146.88" ±0.005,
    "240" ±5. Trailing zeros of a whole number are taken as rounding too, but a round number
    is not read as looser than ±5%, or "$200 billion" would agree with $150 billion."""
    digits = digits.replace(",", "")
    if "." in digits:
        places = len(digits.split(".")[1])
        tol = 0.5 * 10 ** -places
    else:
        stripped = digits.rstrip("0")
        zeros = len(digits) - len(stripped) if stripped else 0
        tol = 0.5 * 10**zeros
    value = float(digits)
    if value and tol > 0.05 * value and "." not in digits:
        tol = max(0.05 * value, 0.5)
    return tol * scale


def _comparator(text: str, start: int) -> tuple[str, int]:
    before = text[max(0, start - 24):start].lower()
    for words, code in COMPARATORS:
        if re.search(rf"\b{re.escape(words)}\s*$", before):
            return code, start - (len(before) - before.rstrip().rfind(words.split()[0]))
    return "", start


def _interval(value: float, tol: float, comparator: str) -> tuple[float, float]:
    if comparator in ("more_than", "at_least"):
        return value, math.inf
    if comparator in ("less_than", "at_most"):
        return -math.inf, value
    if comparator == "about":
        tol = max(tol, 0.1 * abs(value))
    return value - tol, value + tol


def _next_word(text: str, end: int, *, skip_capitalised: int = 0) -> tuple[str, int]:
    """The next lowercase word after `end` (skipping up to `skip_capitalised` capitalised
    ones: "four Central Asian countries"), with where it ends."""
    pos = end
    for _ in range(skip_capitalised + 1):
        match = _WORD.match(text, pos + 1) if text[pos:pos + 1] == " " else None
        if not match:
            return "", end
        word = match.group()
        if word[0].islower():
            return word, match.end()
        pos = match.end()
    return "", end


def _is_date_or_name(text: str, start: int, end: int, number: str) -> bool:
    before = text[max(0, start - 12):start].lower().split()
    after = text[end:end + 12].lower().split()
    if before and before[-1].strip(",.") in _MONTHS:   # "May 24", "August 9"
        return True
    if after and after[0].strip(",.") in _MONTHS:      # "24 February", "16 October"
        return True
    if start and (text[start - 1] == "-" or text[start - 1].isalpha()):  # "COVID-19", "G20"
        return True
    # "Power of Siberia 2", "Boeing 737": a bare number right after a capitalised word.
    words_before = text[max(0, start - 12):start].split()
    return bool(words_before and words_before[-1][:1].isupper() and "." not in number)


def parse_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, in order of appearance."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def add(q: Quantity | None):
        if q is None or any(q.start < e and s < q.end for s, e in taken):
            return
        taken.append((q.start, q.end))
        found.append(q)

    for m in _NUMERIC.finditer(text):
        add(_numeric_quantity(m, text))
    for m in _WORDS.finditer(text):
        add(_word_quantity(m, text))
    for m in _HALF.finditer(text):
        add(Quantity(m.start(), m.end("frac"), m.group("frac"), 50.0, 49.5, 50.5, "percent"))

    found.sort(key=lambda q: q.start)
    return found


def _numeric_quantity(m, text: str) -> Quantity | None:
    """The quantity a _NUMERIC match writes ("$3.2bn", "40%", "12 ships"), or None when it
    is a year, a date, a name or nothing countable."""
    number, sym, scale_word = m.group("num"), m.group("sym"), m.group("scale")
    digits = number + ("." + m.group("frac") if m.group("frac") else "")
    value = float(digits.replace(",", ""))
    scale = SCALES[scale_word.lower()] if scale_word else 1.0
    # A bare "m" or "b" is a scale only after a currency ("$3m"); "38 m" is not.
    if scale_word and scale_word.lower() in ("m", "b", "k") and not sym:
        scale_word, scale = None, 1.0
    currency = (CURRENCY_SYMBOLS.get(sym.lower()) if sym else None) or (
        CURRENCY_WORDS.get(m.group("cur").lower()) if m.group("cur") else None
    )
    start = m.start("sym") if sym else m.start("num")
    end = m.end()
    if not (scale_word or m.group("cur") or m.group("pct") or m.group("unit")):
        # Trim what the optional groups did not match.
        end = m.end("ord") if m.group("ord") else m.end("num")
        if m.group("frac"):
            end = m.end("frac")
    comparator, start = _comparator(text, start)
    counted = ""
    if m.group("pct"):
        unit = "percent_point" if "point" in m.group("pct").lower() else "percent"
    elif currency:
        unit = currency
    elif m.group("unit"):
        unit = UNITS[m.group("unit").lower()]
    elif m.group("ord"):
        if re.match(r"\s+[A-Z]", text[end:]):
            return None  # "the 20th Congress": part of a name
        unit = "ordinal"
        counted, _ = _next_word(text, end)
    else:
        is_year = (not scale_word and "," not in number and "." not in digits
                   and len(number) == 4 and 1800 <= value <= 2100)
        if is_year or _is_date_or_name(text, m.start("num"), end, number):
            return None
        word, word_end = _next_word(text, end, skip_capitalised=2)
        if word.lower() in DURATIONS:
            unit, end = DURATIONS[word.lower()], word_end
        elif scale_word:
            unit = "count"
        elif word:
            unit, counted, end = "count", word.lower(), word_end
        else:
            return None
    value *= scale
    tol = _tolerance(digits, scale)
    low, high = _interval(value, tol, comparator)
    return Quantity(start, end, text[start:end], value, low, high, unit, counted, comparator)


def _word_quantity(m, text: str) -> Quantity | None:
    """The quantity a _WORDS match writes ("two thirds", "three million", "five ships"), or
    None."""
    a, b, frac = m.group("a").lower(), m.group("b"), m.group("frac")
    if a in ("a", "an", "one") and not (frac or m.group("scale")):
        return None
    if a in ("a", "an") and frac and not re.match(r"\s+of\b", text[m.end():]):
        return None  # "a third term" is an ordinal, not a fraction
    if re.search(r"\b(?:first|last|past|next)\s+$", text[max(0, m.start() - 8):m.start()],
                 re.IGNORECASE):
        return None  # "the first three quarters of 2021" is a period
    value = 1.0 if a in ("a", "an", "one") else float(WORD_NUMBERS[a])
    if b:
        value = value * 100 if b.lower() == "hundred" else value + WORD_NUMBERS[b.lower()]
    start, end = m.start(), m.end()
    comparator, start = _comparator(text, start)
    if frac:
        pct = 100 * value * FRACTIONS[frac.lower()]
        low, high = _interval(pct, 0.5, comparator)
        return Quantity(start, end, text[start:end], pct, low, high, "percent", "", comparator)
    scale = SCALES[m.group("scale").lower()] if m.group("scale") else 1.0
    value *= scale
    currency = CURRENCY_WORDS.get(m.group("cur").lower()) if m.group("cur") else None
    counted = ""
    if m.group("pct"):
        unit = "percent"
    elif currency:
        unit = currency
    else:
        before = text[max(0, start - 12):start].lower().split()
        if before and (before[-1] in _DESCRIPTIVE or before[-1].endswith(("'s", "’s"))):
            return None
        word, word_end = _next_word(text, end, skip_capitalised=2)
        if not word:
            return None
        if word.lower() in DURATIONS:
            unit, end = DURATIONS[word.lower()], word_end
        elif scale > 1:
            unit = "count"
        else:
            unit, counted, end = "count", word.lower(), word_end
    low, high = _interval(value, 0.5 * scale if scale > 1 else 0, comparator)
    return Quantity(start, end, text[start:end], value, low, high, unit, counted, comparator)


def format_value(value: float | None, unit: str) -> str:
    """A normalised value as people read it: "1.9 × 10^11 USD" becomes "USD 190 billion"."""
    if value is None:
        return ""
    if unit in ("percent", "percent_change", "percent_share"):
        return f"{value:g}%"
    if unit == "percent_point":
        return f"{value:g} percentage points"
    for name, size in (("trillion", 1e12), ("billion", 1e9), ("million", 1e6)):
        if abs(value) >= size:
            number = f"{value / size:,.3f}".rstrip("0").rstrip(".")
            return f"{unit} {number} {name}" if unit.isupper() else f"{number} {name} {unit}"
    number = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{unit} {number}" if unit.isupper() else f"{number} {unit}"
