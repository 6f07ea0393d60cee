"""Agreement statistics, checked against worked examples and the krippendorff package."""

import math
import random

import krippendorff
import numpy as np
import pytest

from annotations import services
from review.agreement import (
    article_agreement,
    cohens_kappa,
    krippendorff_alpha_nominal,
    percent_agreement,
    reviewed_answers,
    sentences_with_disagreement,
)


def pairs_from_table(yes_yes, yes_no, no_yes, no_no):
    return (
        [(1, 1)] * yes_yes + [(1, 0)] * yes_no + [(0, 1)] * no_yes + [(0, 0)] * no_no
    )


def test_cohens_kappa_matches_the_worked_example_on_wikipedia():
    # Wikipedia, "Cohen's kappa", worked example: 50 grant proposals read by A and B;
    # 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no; p_o = 0.7, p_e = 0.5, kappa = 0.4.
    pairs = pairs_from_table(20, 5, 10, 15)
    assert percent_agreement(pairs) == pytest.approx(0.7)
    assert cohens_kappa(pairs) == pytest.approx(0.4)


def test_cohens_kappa_matches_the_second_worked_example_on_wikipedia():
    # Wikipedia, "Cohen's kappa", "Same percentages but different numbers": 45/15/25/15
    # gives kappa = 0.1304, and 25/35/5/35 gives kappa = 0.2593.
    assert cohens_kappa(pairs_from_table(45, 15, 25, 15)) == pytest.approx(0.1304, abs=1e-4)
    assert cohens_kappa(pairs_from_table(25, 35, 5, 35)) == pytest.approx(0.2593, abs=1e-4)


def test_krippendorff_alpha_matches_his_binary_two_observer_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section A:
    # two observers, ten units of binary data, alpha = 0.095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert krippendorff_alpha_nominal(list(zip(a, b, strict=True))) == pytest.approx(
        0.095, abs=5e-4
    )


def test_krippendorff_alpha_matches_his_nominal_example_with_missing_values():
    # Krippendorff (2011), section C: four observers, twelve units, missing values;
    # nominal alpha = 0.743.
    n = None
    observers = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    units = [[o[i] for o in observers if o[i] is not None] for i in range(12)]
    assert krippendorff_alpha_nominal(units) == pytest.approx(0.743, abs=5e-4)


@pytest.mark.parametrize("seed", range(20))
def test_krippendorff_alpha_equals_the_krippendorff_package_on_random_data(seed):
    rng = random.Random(seed)
    coders, units_count = rng.randint(2, 5), rng.randint(5, 40)
    categories = rng.randint(2, 4)
    matrix = [
        [rng.randrange(categories) if rng.random() > 0.2 else None for _ in range(units_count)]
        for _ in range(coders)
    ]
    units = [[row[i] for row in matrix if row[i] is not None] for i in range(units_count)]
    ours = krippendorff_alpha_nominal(units)
    data = np.array([[np.nan if v is None else v for v in row] for row in matrix], dtype=float)
    try:
        theirs = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    except ValueError:
        theirs = None  # the package refuses data with a single value, as we return None
    if ours is None or theirs is None or math.isnan(theirs):
        assert ours is None
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


def test_kappa_is_undefined_when_both_coders_used_one_category():
    assert cohens_kappa([(0, 0)] * 5) is None
    assert krippendorff_alpha_nominal([[0, 0]] * 5) is None


@pytest.fixture
def reviewed_article(make_article, alice, bob):
    article = make_article(
        "Headline Words\nOne claim. Two claim. Three claim. Four claim.\nPlease like and subscribe!"
    )
    s = list(article.sentences.filter(is_boilerplate=False).order_by("position"))
    # Sentences 1-4: alice and bob agree on 1 (unverified), disagree on 2, agree on 3
    # ("no label" from both), and only alice reviewed 4.
    services.annotation_create(reviewer=alice, sentence=s[1], label="unverified_claim")
    services.annotation_create(reviewer=bob, sentence=s[1], label="unverified_claim")
    services.annotation_create(reviewer=alice, sentence=s[2], label="sensational_framing")
    services.sentence_mark_no_label(reviewer=bob, sentence=s[2])
    services.sentence_mark_no_label(reviewer=alice, sentence=s[3])
    services.sentence_mark_no_label(reviewer=bob, sentence=s[3])
    services.annotation_create(reviewer=alice, sentence=s[4], label="unverified_claim")
    return article, s


def test_article_agreement_counts_only_sentences_two_reviewers_reviewed(reviewed_article):
    article, s = reviewed_article
    results = {r.label: r for r in article_agreement(article)}
    assert results["unverified_claim"].sentences == 3
    assert results["unverified_claim"].percent == pytest.approx(1.0)
    assert results["sensational_framing"].percent == pytest.approx(2 / 3)
    assert results["sensational_framing"].kappa == pytest.approx(0.0)
    assert results["cited_source"].alpha is None  # nobody used it: undefined, not 1


def test_disagreements_are_the_sentences_with_different_label_sets(reviewed_article):
    article, s = reviewed_article
    answers = reviewed_answers(article.sentences.all())
    assert sentences_with_disagreement(answers) == {s[2].pk}
