"""The suggestion rules on the codebook's own examples, the quantity parser and the
registry matcher. No database: the engine is plain Python."""

import random

import pytest

from suggestions.engine.lexicon import Lexicon
from suggestions.engine.quantities import find_quantities, parse_number
from suggestions.engine.registry import RegistryEntry, RegistryMatcher
from suggestions.engine.rules import (
    CITED,
    RULES,
    SENSATIONAL,
    UNVERIFIED,
    SentenceText,
    Suggester,
)

REUTERS = RegistryEntry(1, "Reuters", "wire_agency")
WHO = RegistryEntry(2, "World Health Organization", "government_body")
GAZETTE = RegistryEntry(3, "Harbour Gazette", "news_outlet")


@pytest.fixture(scope="module")
def engine():
    registry = RegistryMatcher([("Reuters", REUTERS), ("World Health Organization", WHO),
                                ("WHO", WHO), ("Harbour Gazette", GAZETTE)])
    return Suggester(registry=registry)


def suggest(engine, *lines):
    """Suggestions for an article of `lines`, one sentence (and paragraph) each."""
    body = "\n".join(lines)
    sentences, pos = [], 0
    for i, line in enumerate(lines):
        sentences.append(SentenceText(i + 1, i, pos, pos + len(line), line, False, False, True))
        pos += len(line) + 1
    return body, engine.suggest(body, sentences)


def labels_of(proposals, position=0):
    return {p.label for p in proposals if p.position == position}


# --- quantities ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "kind", "value", "unit"), [
    ("trade reached $190,000 million", "money", 1.9e11, "USD"),
    ("reaching 146.88 billion dollars", "money", 1.4688e11, "USD"),
    ("goods with 67. 56 billion dollars", "money", 6.756e10, "USD"),
    ("the £71.6million fee", "money", 7.16e7, "GBP"),
    ("an increase of 35.8% year-on-year", "percent", 35.8, "%"),
    ("fatal in up to 90 per cent of cases", "percent", 90, "%"),
    ("about one third of the amount", "fraction", 1 / 3, ""),
    ("50 billion cubic meters of gas", "measure", 5e10, "m3"),
    ("3248 cases reported worldwide", "count", 3248, "cases"),
])
def test_quantities_are_normalised_to_base_units(text, kind, value, unit):
    (q,) = [q for q in find_quantities(text) if q.kind not in ("year", "date")]
    assert (q.kind, q.unit) == (kind, unit)
    assert q.value == pytest.approx(value)
    assert text[q.start:q.end] == q.text


def test_quantities_keep_the_wordings_comparator():
    (q,) = find_quantities("more than 50 million deaths")
    assert q.comparator == ">" and q.value == pytest.approx(5e7)
    (q,) = find_quantities("about 400 jets")
    assert q.approximate


def test_years_dates_ages_and_codes_are_not_figures():
    found = find_quantities("On November 5 the 55-year-old G7 envoy, in 2019, saw CLc1 fall")
    assert [q.kind for q in found] == ["date", "age", "year"]
    assert not any(q.is_checkable_figure for q in found)


@pytest.mark.parametrize("text", [
    "Published 12/03/2026.", "on 03/04/2026 at noon", "updated 2026-03-12",
    "see example.com/2013/02/story", "odds of 1/0",
])
def test_numeric_dates_and_paths_are_not_figures_and_never_divide_by_zero(text):
    """Slashed dates once read as the fraction "12/0" and raised ZeroDivisionError, so an
    article with such a date got no suggestions and no claims."""
    assert not any(q.is_checkable_figure for q in find_quantities(text))


def test_numbers_in_words_parse():
    assert parse_number("two dozen") == 24
    assert parse_number("one third") == pytest.approx(1 / 3)
    assert parse_number("3.3 million") == pytest.approx(3.3e6)
    assert parse_number("not a number") is None


# --- registry ----------------------------------------------------------------------------

def test_the_automaton_finds_what_the_plain_search_finds():
    rng = random.Random(7)
    names = [(f"Source {i} Agency", RegistryEntry(i, f"Source {i} Agency", "other"))
             for i in range(300)]
    names += [("AP", RegistryEntry(1000, "Associated Press", "wire_agency"))]
    matcher = RegistryMatcher(names)
    words = ["the", "said", "Source", "Agency", "AP", "ap", "12", "Source 7 Agency",
             "Source 70 Agency", "news", "Source 299 Agency,"]
    for _ in range(200):
        text = " ".join(rng.choice(words) for _ in range(30))
        assert matcher.find(text) == matcher.find_plain(text)


def test_short_capitalised_names_match_only_as_written():
    matcher = RegistryMatcher([("WHO", WHO)])
    assert matcher.find("people who said so") == []
    assert [m.entry for m in matcher.find("the WHO said so")] == [WHO]


# --- the codebook's examples -----------------------------------------------------------

def test_according_to_a_named_body_is_a_cited_source(engine):
    _, found = suggest(engine, "Fares will rise in May, according to the Brookhaven Transit "
                               "Authority.")
    (cited,) = [p for p in found if p.label == CITED]
    assert cited.source_name == "Brookhaven Transit Authority"
    assert cited.source_id is None and "new source?" in cited.explanation


def test_a_named_official_telling_a_registry_outlet_cites_both(engine):
    _, found = suggest(engine, "Norvale CFO Priya Shah told the Harbour Gazette that the "
                               "merger would close in June.")
    names = {p.source_name for p in found if p.label == CITED}
    assert names == {"Priya Shah", "Harbour Gazette"}
    assert {p.source_id for p in found if p.label == CITED} == {None, GAZETTE.source_id}


def test_a_speaker_reported_by_a_participle_clause_is_cited(engine):
    _, found = suggest(engine, "Mayor Dana Ruiz defended the budget, saying the city had "
                               "no other choice.")
    (cited,) = [p for p in found if p.label == CITED]
    assert cited.source_name == "Dana Ruiz" and "“saying”" in cited.explanation
    assert UNVERIFIED not in labels_of(found)


def test_a_person_the_rules_name_with_a_title_resolves_to_the_registry_entry():
    shah = RegistryEntry(7, "Priya Shah", "official_person")
    engine = Suggester(registry=RegistryMatcher([("Priya Shah", shah)]))
    _, found = suggest(engine, "Norvale CFO Priya Shah told reporters that the merger "
                               "would close in June.")
    (cited,) = [p for p in found if p.label == CITED]
    assert cited.source_id == shah.source_id


def test_a_registry_source_resolves_to_its_entry(engine):
    body, found = suggest(engine, "Reuters reported that the talks had stalled.")
    (cited,) = [p for p in found if p.label == CITED]
    assert cited.source_id == REUTERS.source_id
    assert body[cited.phrase_start:cited.phrase_end] == "Reuters"
    assert cited.explanation == "names Reuters, attribution “reported”"


@pytest.mark.parametrize("sentence", [
    "Experts say the merger will cut prices.",
    "Reports suggest the coach will resign.",
    "It was revealed that the budget doubled.",
    "The move was seen as a snub by the league.",
])
def test_vague_attribution_is_unverified_never_cited(engine, sentence):
    _, found = suggest(engine, sentence)
    assert labels_of(found) == {UNVERIFIED}
    assert found[0].rule in ("uc_vague_attribution",)


def test_a_country_named_as_the_speaker_is_not_a_source(engine):
    _, found = suggest(engine, "Norway says the pipeline deal with Denmark is off.")
    assert labels_of(found) == {UNVERIFIED}
    assert found[0].rule == "uc_place_as_speaker"


def test_an_unsourced_figure_is_unverified_with_the_figure_as_phrase(engine):
    body, found = suggest(engine, "The stadium will cost $900 million.")
    (claim,) = found
    assert claim.label == UNVERIFIED and claim.rule == "uc_unsourced_figure"
    assert body[claim.phrase_start:claim.phrase_end] == "$900 million"


def test_a_strong_rise_stated_as_a_number_is_not_hype(engine):
    _, found = suggest(engine, "Ticket sales soared 40% year on year.")
    assert SENSATIONAL not in labels_of(found)


def test_an_intensifier_with_no_figure_is_hype(engine):
    _, found = suggest(engine, "Sales of both companies in Russia grew exponentially.")
    assert SENSATIONAL in labels_of(found)


def test_a_loaded_word_quoted_from_a_named_speaker_is_not_the_writers(engine):
    _, found = suggest(engine, "The mayor called the plan “a disaster” on Tuesday.")
    assert SENSATIONAL not in labels_of(found)


def test_the_same_word_in_the_writers_voice_is_hype(engine):
    _, found = suggest(engine, "The council's draconian parking rules will crush local shops.")
    (hype,) = [p for p in found if p.label == SENSATIONAL]
    assert hype.rule == "sf_loaded_word" and "draconian" in hype.explanation


def test_capitals_for_emphasis_are_hype_but_acronyms_are_not(engine):
    _, found = suggest(engine, "Brookhaven council's SHOCKING bus plan is a DEVASTATING blow "
                               "to drivers")
    assert any(p.rule == "sf_capitals" for p in found)
    _, found = suggest(engine, "The NATO and UN envoys met EU officials in Brussels on Monday.")
    assert not any(p.rule == "sf_capitals" for p in found)


def test_a_certain_prediction_is_hype_and_a_claim(engine):
    _, found = suggest(engine, "There is no doubt fares will fall next year.")
    assert labels_of(found) == {SENSATIONAL, UNVERIFIED}


def test_a_pronoun_cites_the_person_named_before(engine):
    _, found = suggest(engine, "Mayor Dana Ruiz presented the budget to the council on Monday.",
                       "She said the vote would follow in March.")
    (cited,) = [p for p in found if p.position == 1 and p.label == CITED]
    assert cited.rule == "cs_back_reference" and cited.source_name == "Dana Ruiz"


def test_a_surname_resolves_to_the_full_name_given_earlier(engine):
    _, found = suggest(engine, "Ambassador Gordon Sondland arrived in Brussels on Monday.",
                       "Sondland said he had spoken to the president.")
    (cited,) = [p for p in found if p.position == 1 and p.label == CITED]
    assert cited.source_name == "Gordon Sondland"


def test_a_quotation_over_several_sentences_is_the_speakers_in_each(engine):
    _, found = suggest(engine, "Coach Ana Lee said: “We played well. The referees decided it.”")
    assert labels_of(found) == {CITED}


def test_a_paragraph_opening_a_quotation_continues_the_cited_speaker(engine):
    _, found = suggest(engine, "“We lost the ball too often,” Coach Ana Lee said.",
                       "“Next week we will be better.”")
    (cited,) = [p for p in found if p.position == 1 and p.label == CITED]
    assert cited.rule == "cs_quotation" and cited.source_name == "Ana Lee"


def test_a_credit_line_is_a_cited_source():
    engine = Suggester()
    _, found = suggest(engine, "Source: Cryptopolitan")
    (cited,) = found
    assert cited.rule == "cs_credit_line" and cited.source_name == "Cryptopolitan"


def test_each_label_is_suggested_at_most_once_per_sentence(engine):
    _, found = suggest(engine, "Experts say shocking, devastating, catastrophic changes will "
                               "cost $9 billion, reports suggest.")
    labels = [p.label for p in found]
    assert len(labels) == len(set(labels))


def test_muted_rules_are_not_suggested():
    engine = Suggester(muted={"uc_unsourced_figure"})
    _, found = suggest(engine, "The stadium will cost $900 million.")
    assert all(p.rule != "uc_unsourced_figure" for p in found)


def test_an_editors_cue_phrase_extends_the_lexicon():
    engine = Suggester(lexicon=Lexicon.load(extra=[("loaded_word", "splendiferous")]))
    _, found = suggest(engine, "The splendiferous new stadium opened in Brookhaven.")
    assert any(p.rule == "sf_loaded_word" for p in found)


def test_an_editors_removal_takes_a_word_out():
    engine = Suggester(lexicon=Lexicon.load(removed=[("loaded_word", "draconian")]))
    _, found = suggest(engine, "The draconian rules stay in place.")
    assert not any(p.rule == "sf_loaded_word" for p in found)


def test_every_rule_names_the_codebook_line_it_follows():
    assert all(rule.codebook and rule.label in (CITED, UNVERIFIED, SENSATIONAL)
               for rule in RULES.values())


def test_boilerplate_gets_no_suggestions(engine):
    body = "Experts say prices will rise.\nLike and subscribe!"
    sentences = [SentenceText(1, 0, 0, 29, body[:29]),
                 SentenceText(2, 1, 30, len(body), body[30:], is_boilerplate=True)]
    assert {p.position for p in engine.suggest(body, sentences)} == {0}
