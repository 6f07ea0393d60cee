"""Quantities as the cross-article rules need them: the suggestion engine's figures
(`suggestions.engine.quantities.find_quantities`, one parser for the whole app) with the
interval their wording allows.

"$190,000 million" is 1.9 × 10¹¹ USD, "35.8%" is 35.8 percent, "one third of" is 33.3
percent, "38 times" is a count of 38. Each quantity keeps its span and the interval its
wording allows: "$240 billion" is 235–245 billion read as rounded, "more than $100 billion"
is anything above 100 billion, "about 50 billion cubic meters" is 45–55 billion. The engine
finds and values the figures; this module only decides which of them are claims (not years,
dates, ages, names such as "Boeing 737", descriptions such as "the two leaders") and how far
their rounding reaches.
"""

import math
import re
from dataclasses import dataclass

from suggestions.engine.quantities import find_quantities

# Determiners and possessives before a small word number make it a description ("the two
# leaders"), not a count anyone could check.
_DESCRIPTIVE = {"the", "these", "those", "their", "its", "his", "her", "our", "both", "all",
                "my", "your", "'s", "’s", "s"}

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


def _interval(value: float, tol: float, comparator: str) -> tuple[float, float]:
    if comparator in ("more_than", "at_least"):
        return value, math.inf
    if comparator in ("less_than", "at_most"):
        return -math.inf, value
    if comparator == "about":
        tol = max(tol, 0.1 * abs(value))
    return value - tol, value + tol


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


# The engine's comparators, in this module's words.
_COMPARATORS = {">": "more_than", ">=": "at_least", "<": "less_than", "<=": "at_most",
                "~": "about", "~<": "about", "~>": "about"}
_MEASURE_UNITS = {"bbl": "barrel", "mi": "mile", "pp": "percent_point", "years": "year",
                  "months": "month", "weeks": "week", "days": "day"}
# Words ending in "s" that the engine's plural-noun guess can take for the thing counted.
_NOT_NOUNS = frozenset({"has", "was", "is", "does", "as", "this", "thus", "its", "his", "hers",
                        "ours", "yours", "theirs", "us", "plus", "across", "versus"})
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\s?\d+)?")


def parse_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text` that can be a claim's figure, in order of appearance."""
    found = []
    for q in find_quantities(text):
        if q.kind not in _KINDS or q.value is None:
            continue  # years and dates are periods (extraction reads them); ages, numbers
        unit_counted_end = _KINDS[q.kind](q, text)
        if unit_counted_end is None:
            continue
        unit, counted, end = unit_counted_end
        comparator = _COMPARATORS.get(q.comparator, "")
        value = 100 * q.value if q.kind == "fraction" else q.value
        digits = _DIGITS.search(q.text)
        if q.kind == "fraction" or not digits:
            tol = 0.5 if q.kind == "fraction" else 0.0
        else:
            written = digits.group().replace(". ", ".")
            number = float(written.replace(",", ""))
            tol = _tolerance(written, q.value / number if number else 1.0)
        low, high = _interval(value, tol, comparator)
        found.append(Quantity(q.start, end, text[q.start:end], value, low, high, unit, counted,
                              comparator))
    return found


def _money(q, text):
    # "¥" is the yuan in copy about China as often as the yen; the engine reads it as yen.
    return ("CNY" if q.unit == "JPY" and "¥" in q.text else q.unit), "", q.end


def _fraction(q, text):
    # "one third of the gas" is a share; "a third term" is an ordinal, "the first three
    # quarters of 2021" a period and "7/32" a bond price.
    if (not q.text[:1].isalpha() or not re.match(r"\s+of\b", text[q.end:])
            or re.search(r"\b(?:first|last|past|next)\s+$", text[max(0, q.start - 8):q.start],
                         re.IGNORECASE)):
        return None
    return "percent", "", q.end


def _count(q, text):
    before = text[max(0, q.start - 12):q.start].lower().split()
    if q.text[:1].isalpha() and before and (before[-1] in _DESCRIPTIVE
                                            or before[-1].endswith(("'s", "’s"))):
        return None  # "the two leaders": a description, not a count anyone could check
    digits = _DIGITS.search(q.text)
    if q.unit in _NOT_NOUNS or digits and _is_date_or_name(
            text, q.start + digits.start(), q.end, digits.group()):
        return None
    # The claim's span runs to the thing counted: "15 agreements", "28 people in close…".
    noun = re.compile(rf"\s+(?:[a-z][\w-]*\s+){{0,2}}?{re.escape(q.unit)}\b").match(text, q.end)
    return "count", q.unit, noun.end() if noun else q.end


def _ordinal(q, text):
    if re.match(r"\s+[A-Z]", text[q.end:]):
        return None  # "the 20th Congress": part of a name
    noun = re.match(r"\s+([a-z][\w-]*)", text[q.end:])
    return "ordinal", noun.group(1) if noun else "", q.end


_KINDS = {
    "money": _money,
    "percent": lambda q, text: ("percent", "", q.end),
    "fraction": _fraction,
    "measure": lambda q, text: (_MEASURE_UNITS.get(q.unit, q.unit), "", q.end),
    "count": _count,
    "ordinal": _ordinal,
}

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
