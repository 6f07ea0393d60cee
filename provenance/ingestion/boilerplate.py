"""Which sentences are page furniture rather than article content.

All rules live here, in the order they are tried, so a reviewer can read why a line was
flagged. Following CODEBOOK.md ("Boilerplate"): bylines and "Source: …" credit lines are
content and are never flagged.
"""

import re

_I = re.IGNORECASE

CALL_TO_ACTION = "call to like, share or subscribe"
OUTRO = "video outro"
HASHTAGS = "hashtag line"
COMMENT_FORM = "comment form"
SPAM_NOTICE = "spam-filter notice"
BLOG_DATE = "blog date header"
BLOG_SECTION = "blog section title"
NAVIGATION = "navigation or share buttons"

_WEEKDAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
)

# (reason, pattern) tried against each sentence's text, first match wins.
SENTENCE_RULES = [
    (CALL_TO_ACTION, re.compile(r"\b(like|share|comment)\b.{0,40}\bsubscribe\b", _I)),
    (
        CALL_TO_ACTION,
        re.compile(
            r"^(please\s+)?(like|share|subscribe)(\s*(,|and|&)\s*(like|share|subscribe|comment))+",
            _I,
        ),
    ),
    (CALL_TO_ACTION, re.compile(r"^(please\s+)?subscribe\W*$", _I)),
    (CALL_TO_ACTION, re.compile(r"\b(hit|smash|ring) the (like|bell|notification)", _I)),
    (CALL_TO_ACTION, re.compile(r"^(don'?t forget to|make sure to) (like|subscribe|share)", _I)),
    (CALL_TO_ACTION, re.compile(r"^subscribe (to|for|now)\b", _I)),
    (OUTRO, re.compile(r"\bthanks? (you )?for watching\b", _I)),
    (OUTRO, re.compile(r"^(more|full) details (are )?in the video\W*$", _I)),
    (OUTRO, re.compile(r"^(watch|see) the (full )?video\b.{0,60}$", _I)),
    (HASHTAGS, re.compile(r"^(#[\w-]+[\s,]*)+$")),
    (COMMENT_FORM, re.compile(r"^(leave a (reply|comment)|post a comment)\W*$", _I)),
    (COMMENT_FORM, re.compile(r"^(no|\d+) comments?\W*$", _I)),
    (COMMENT_FORM, re.compile(r"^your email address will not be published", _I)),
    (COMMENT_FORM, re.compile(r"^required fields are marked", _I)),
    (COMMENT_FORM, re.compile(r"^(cancel reply|submit comment|notify me of (new|follow-up))", _I)),
    (SPAM_NOTICE, re.compile(r"\buses akismet to reduce spam\b", _I)),
    (SPAM_NOTICE, re.compile(r"^learn how your comment data is processed\W*$", _I)),
    (BLOG_DATE, re.compile(rf"^({_WEEKDAY},?\s+)?{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}$", _I)),
    (BLOG_DATE, re.compile(rf"^({_WEEKDAY},?\s+)?\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}$", _I)),
    (BLOG_DATE, re.compile(r"^(posted on\s+)?\d{4}-\d{2}-\d{2}$", _I)),
    (NAVIGATION, re.compile(r"^(share (this|on)|(share|tweet|pin)( (on|it))?)\W*$", _I)),
    (
        NAVIGATION,
        re.compile(
            r"^(home|menu|skip to (main )?content|read more|next post"
            r"|previous post|older posts?|newer posts?)\W*$",
            _I,
        ),
    ),
]

# A line this short whose first sentence is furniture is furniture throughout: the
# "This Means A Lot To Us!" after a subscribe call, "Required fields are marked *".
SHORT_LINE_WORDS = 30
# A blog's section (label) title: a line of a few words right below its date header.
SECTION_TITLE_WORDS = 5


# Furniture is short; a long sentence that mentions subscribing is content.
MAX_WORDS = 25

# Words that every match of a rule searched anywhere in the sentence contains, in lower
# case, by the rule's pattern: most sentences contain none, and looking for a word costs a
# fraction of the search. (Rules anchored at the start fail at once on content.) A rule
# whose pattern changes is simply searched until its words are updated here.
_NEEDLES = {
    r"\b(like|share|comment)\b.{0,40}\bsubscribe\b": ("subscribe",),
    r"\b(hit|smash|ring) the (like|bell|notification)": ("hit the", "smash the", "ring the"),
    r"\bthanks? (you )?for watching\b": ("for watching",),
    r"\buses akismet to reduce spam\b": ("akismet",),
}
_RULES = [(reason, p.search, _NEEDLES.get(p.pattern, ())) for reason, p in SENTENCE_RULES]
# re's IGNORECASE also matches "i" with "İ" and "ı", and "s" with "ſ", which lower() keeps.
_FOLDED_BY_RE_ONLY = re.compile("[İıſ]")


def reason_for(text: str) -> str:
    """The rule that flags `text` as boilerplate, or "" for content."""
    text = text.strip()
    if len(text.split()) > MAX_WORDS:
        return ""
    lowered = "" if _FOLDED_BY_RE_ONLY.search(text) else text.lower()
    for reason, search, needles in _RULES:
        if needles and lowered and not any(needle in lowered for needle in needles):
            continue
        if search(text):
            return reason
    return ""


def classify(segments) -> list[str]:
    """A boilerplate reason ("" for content) for each segment, in order.

    `segments` carry `.text` and `.line_index`; line context matters for the two rules
    that cannot be decided sentence by sentence.
    """
    reasons = [reason_for(s.text) for s in segments]
    if not any(reasons):
        return reasons  # both line rules start from a flagged sentence

    lines: dict[int, list[int]] = {}
    for i, s in enumerate(segments):
        lines.setdefault(s.line_index, []).append(i)

    for members in lines.values():
        flagged = [reasons[i] for i in members if reasons[i]]
        if flagged and sum(len(segments[i].text.split()) for i in members) <= SHORT_LINE_WORDS:
            for i in members:
                reasons[i] = reasons[i] or flagged[0]

    line_order = sorted(lines)
    for previous, current in zip(line_order, line_order[1:], strict=False):
        members = lines[current]
        if len(members) != 1 or reasons[members[0]]:
            continue
        above = lines[previous]
        if any(reasons[i] == BLOG_DATE for i in above):
            text = segments[members[0]].text
            if len(text.split()) <= SECTION_TITLE_WORDS and not text.rstrip().endswith("."):
                reasons[members[0]] = BLOG_SECTION
    return reasons
