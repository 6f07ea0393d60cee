"""Assertions: the checkable statements that carry no figure, read as the roots of what a
sentence asserts ("~root" when negated), so that two articles' sentences can be compared.

Pure Python on text, like the rest of the claim rules (extraction.py calls it).
"""

import snowballstemmer

from . import lexicon
from .article import (
    ASSERTION,
    TOKEN,
    ArticleContext,
    ClaimDraft,
    SentenceText,
    attribution_phrase,
    parties_of,
    places,
    status_of,
    title_of,
    words_of,
)

_STEMMER = snowballstemmer.stemmer("english")


def _root(word: str) -> tuple[str, bool]:
    """A word's root and whether its prefix negates it: general English morphology
    (Snowball's stem, then a derivational suffix and a negating prefix), no word list."""
    stem = _STEMMER.stemWord(word)
    negated = False
    if stem.startswith("un") and len(stem) >= 6 and stem[2] not in "dit":
        stem, negated = stem[2:], True
    for suffix, keep in (("ship", ""), ("anc", ""), ("enc", ""), ("ian", "ia"), ("ier", "i")):
        if stem.endswith(suffix) and len(stem) - len(suffix) >= 4:
            stem = stem[: -len(suffix)] + keep
            stem = _STEMMER.stemWord(stem)
            break
    return stem, negated


def root_of(word: str) -> str:
    """The root `assertion_terms` writes for `word`, negation aside."""
    return _root(word)[0]


def assertion_terms(text: str, context: ArticleContext | None = None) -> tuple[str, ...]:
    """The roots of what a sentence asserts, with function words and figures left out; a
    root negated by "not", "no", "nor" or a prefix is written "~root". Places are kept as
    "@place" terms, except the article's own parties (in an article about China and Russia
    every sentence names them, so they tell its sentences apart no better than "the")."""
    own = set(context.parties) if context else set()
    people = {name.lower() for name in context.people} if context else set()
    terms = []

    def add(term):
        if term not in terms:
            terms.append(term)

    pieces, last = [], 0
    for place, start, end in places(text):
        pieces.append(text[last:start])
        if place not in own:
            pieces.append(f" @{place.replace(' ', '_')} ")
        else:
            pieces.append(" ")
        last = end
    pieces.append(text[last:])
    negate_next = False
    for raw in " ".join(pieces).split():
        if raw.startswith("@"):
            add(raw.rstrip(".,;:!?'’\""))
            continue
        for m in TOKEN.finditer(raw):
            word = m.group().lower().strip(".'’").replace("’", "'")
            if word.endswith("n't") or word in lexicon.NEGATIONS:
                negate_next = True
                continue
            word = word.removesuffix("'s")
            if negate_next and word in lexicon.NEGATION_PASSES:
                continue
            # The negation ends on the first word past auxiliaries and pronouns, whether or
            # not that word is a term: "it wasn't the first time Vindman…" negates "first",
            # not the name three words on.
            negated_here, negate_next = negate_next, False
            if (not word or not word[0].isalpha() or word in lexicon.STOPWORDS
                    or word in people or len(word) < 3 or m.group()[0].isupper()
                    and negated_here):
                continue
            root, negated = _root(word)
            if root in lexicon.STOPWORDS:
                continue
            if negated_here:
                negated = not negated
            add(f"~{root}" if negated else root)
    return tuple(terms)


def assertion_claim(sentence: SentenceText, context: ArticleContext) -> ClaimDraft | None:
    terms = assertion_terms(sentence.text, context)
    # Fewer than three content words is a fragment or a signpost ("Let's look closer"), not
    # a checkable assertion.
    if len(terms) < 3:
        return None
    parties = parties_of(sentence.text, context)
    stripped = sentence.text.strip()
    offset = sentence.text.find(stripped)
    return ClaimDraft(
        kind=ASSERTION, start=sentence.start + offset,
        end=sentence.start + offset + len(stripped), as_written=stripped[:200],
        subject=", ".join(map(title_of, parties)), parties=parties, terms=terms,
        status=status_of(words_of(sentence.text)), attribution=attribution_phrase(sentence.text),
    )
