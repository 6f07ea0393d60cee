"""The claim rules on plain text: quantities, extraction and grouping, no database."""

import datetime as dt
import math

import pytest

from crossclaims import grouping
from crossclaims.extraction import (
    ArticleContext,
    SentenceText,
    article_context,
    assertion_terms,
    extract_claims,
)
from crossclaims.quantities import format_value, parse_quantities


def one(text):
    (q,) = parse_quantities(text)
    return q


@pytest.mark.parametrize("text, value, unit", [
    ("trade reached $190,000 million", 1.9e11, "USD"),
    ("worth 146.88 billion dollars", 1.4688e11, "USD"),
    ("goods with 67. 56 billion dollars", 6.756e10, "USD"),
    ("an increase of 35.8%", 35.8, "percent"),
    ("about one third of the gas", 100 / 3, "percent"),
    ("they met 38 times", 38, "count"),
    ("€2.5bn in aid", 2.5e9, "EUR"),
])
def test_quantities_are_normalised_to_base_units(text, value, unit):
    q = one(text)
    assert math.isclose(q.value, value, rel_tol=1e-9)
    assert q.unit == unit


def test_a_figure_allows_the_rounding_its_wording_implies():
    q = one("$240 billion")
    assert (q.low, q.high) == (235e9, 245e9)
    assert one("146.88 billion dollars").high - 146.88e9 == pytest.approx(0.005e9)


def test_a_bound_is_open_on_one_side():
    q = one("exceeded $100 billion")
    assert q.comparator == "more_than"
    assert q.low == 100e9 and q.high == math.inf


def test_years_dates_and_names_are_not_quantities():
    assert parse_quantities("In 2021, on 24 February, the Power of Siberia 2 pipeline and "
                            "COVID-19 and the 20th Congress") == []


def test_a_description_is_not_a_count():
    assert parse_quantities("the two leaders met") == []


def test_format_value_reads_like_copy():
    assert format_value(1.9e11, "USD") == "USD 190 billion"
    assert format_value(35.8, "percent_change") == "35.8%"


def claims_of(*sentences, date=None):
    texts, start = [], 0
    for text in sentences:
        texts.append(SentenceText(start, text, starts_paragraph=True))
        start += len(text) + 1
    context = article_context(texts, published_on=date)
    return [c for c in extract_claims(texts, context) if c.kind == "quantity"]


def test_imports_and_exports_are_one_flow_from_seller_to_buyer():
    (exported,) = claims_of("Brazil exported goods to Canada worth 3.2 billion dollars in 2020.")
    (imported,) = claims_of("Canada imported $3.2 billion in goods from Brazil in 2020.")
    assert exported.measure == imported.measure == "flow||brazil,canada|USD"


def test_trade_between_two_countries_is_one_measure_whichever_is_named_first():
    (a,) = claims_of("Trade between India and Japan reached $20 billion in 2019.")
    (b,) = claims_of("Japan and India saw bilateral trade of $21 billion in 2019.")
    assert a.measure == b.measure


def test_the_period_nearest_the_figure_is_its_period():
    up, down = claims_of(
        "Chip imports will reach $2.45 billion in 2022, up from $1.82 billion in 2021 in India."
    )
    assert (up.period.start.year, down.period.start.year) == (2022, 2021)
    assert up.period.basis == "stated"


def test_last_year_is_read_from_the_articles_date():
    (claim,) = claims_of("India's exports to Japan rose 12% last year.", date=dt.date(2023, 7, 1))
    assert claim.period.start == dt.date(2022, 1, 1)
    assert claim.period.basis == "article"
    assert claim.unit == "percent_change" and claim.direction == "up"


def test_a_target_is_not_an_outcome():
    (claim,) = claims_of("India and Japan aim to reach a target of $50 billion worth of trade.")
    assert claim.status == "target"


def test_a_trend_without_a_figure_is_a_claim_about_the_measure():
    (claim,) = claims_of("Trade between India and Japan increased dramatically in 2021.")
    assert claim.value is None and claim.direction == "up"
    assert claim.measure.endswith("|change")


def test_a_date_line_in_the_boilerplate_dates_the_article():
    context = article_context([], boilerplate=["Saturday, July 22, 2023"])
    assert context.date == dt.date(2023, 7, 22)


def test_negation_is_kept_on_the_root_it_negates():
    assert "~alli" in assertion_terms("China and Russia are not allies.", ArticleContext())
    assert "~limit" in assertion_terms("An unlimited friendship.", ArticleContext())


def test_a_negation_ends_on_the_word_it_negates():
    terms = assertion_terms("Nor did he condemn the operation.", ArticleContext())
    assert "~condemn" in terms
    # Past the word it negates ("first", "think") it says nothing about a name or a verb.
    assert "vindman" in assertion_terms(
        "It wasn't the first time Vindman registered concerns.", ArticleContext())
    assert "rais" in assertion_terms("He does not think that raising it helps.", ArticleContext())


def test_a_short_heading_is_a_topic_not_a_claim():
    heading = SentenceText(0, "Strategic Meet-ups and Soaring Trade", True, is_heading=True)
    assert extract_claims([heading], ArticleContext(parties=("china", "russia"))) == []
    headline = SentenceText(0, "A hunter who ate a wild rabbit in China has caught the plague.",
                            True, is_heading=True)
    (claim,) = extract_claims([headline], ArticleContext())
    assert claim.kind == "assertion"


def test_a_change_after_a_figure_that_measures_nothing_is_read_without_failing():
    claims = claims_of("The index fell 102.2 points, or 0.36%, to 27,934.02.")
    assert any(c.unit == "percent_change" for c in claims)


@pytest.mark.parametrize("text", [
    "He will serve a third term.",               # an ordinal, not a share
    "in the first three quarters of 2021",       # a period
    "the bond rose 7/32 in price",               # a price, not a share
    "Boeing 737 jets were grounded.",            # a name
])
def test_fractions_and_names_that_are_not_figures(text):
    assert parse_quantities(text) == []


def record(pk, article, value=None, *, measure="trade||a,b|USD", year=2021, status="outcome",
           kind="quantity", terms=(), spread=0.5):
    start = dt.date(year, 1, 1) if year else None
    end = dt.date(year, 12, 31) if year else None
    return grouping.Record(
        pk, article, kind, measure if kind == "quantity" else "", terms, ("a", "b"), value,
        None if value is None else value - spread, None if value is None else value + spread,
        "", status, start, end,
    )


def relations(result):
    return {(link.a, link.b): link.relation for link in result.links}


def test_the_same_period_with_different_values_conflicts():
    result = grouping.group([record(1, 1, 100), record(2, 2, 140)])
    assert result.clusters == [[1, 2]]
    assert relations(result)[(1, 2)] == grouping.CONFLICTS


def test_values_within_rounding_agree():
    result = grouping.group([record(1, 1, 100), record(2, 2, 100.4)])
    assert relations(result)[(1, 2)] == grouping.AGREES


def test_different_periods_and_targets_are_compatible():
    result = grouping.group([record(1, 1, 100), record(2, 2, 140, year=2022),
                             record(3, 3, 200, year=None, status="target")])
    assert set(relations(result).values()) == {grouping.COMPATIBLE}


def test_a_split_keeps_two_claims_apart_and_a_confirmation_joins_them():
    split = grouping.group([record(1, 1, 100), record(2, 2, 100)], cannot_link=[(1, 2)])
    assert split.clusters == []
    joined = grouping.group([record(1, 1, 100), record(2, 2, 5, measure="other||a,b|USD")],
                            must_link=[(1, 2)])
    assert joined.clusters == [[1, 2]]


def test_assertions_saying_opposite_things_conflict():
    a = record(1, 1, kind="assertion", terms=("~alli", "partner", "declar", "summit"))
    b = record(2, 2, kind="assertion", terms=("alli", "partner", "declar", "summit"))
    noise = [record(i, i, kind="assertion", terms=(f"w{i}", f"v{i}", "x")) for i in range(3, 9)]
    result = grouping.group([a, b, *noise])
    assert [1, 2] in result.clusters
    assert relations(result)[(1, 2)] == grouping.CONFLICTS


def test_a_huge_group_is_judged_without_comparing_every_pair():
    records = [record(i, i % 50, 100) for i in range(1, 5001)] + [record(9999, 7, 300)]
    result = grouping.group(records)
    conflicts = [link for link in result.links if link.relation == grouping.CONFLICTS]
    assert len(result.links) < 5100
    assert [link for link in conflicts if 9999 in (link.a, link.b)]


def test_the_attribution_is_the_speaker_and_the_cue_as_written():
    from crossclaims.extraction import attribution_phrase

    assert attribution_phrase("On August 9, a report from Business Insider said that Russia "
                              "imported $6.7 billion.") == "a report from Business Insider said"
    assert attribution_phrase("Trade reached $190 billion in 2022, according to Chinese "
                              "customs data.") == "according to Chinese customs data"
