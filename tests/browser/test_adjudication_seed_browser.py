"""The 38-sentence seed article, labelled by two reviewers, adjudicated by keyboard alone.

The same labels and keys as the benchmark (python -m bench.adjudication), which reports
the seconds; this test checks that the keys do the whole job and asserts no time.
"""

import pytest
from playwright.sync_api import expect

from bench.adjudication import SEED, keyboard_plan, label_article, press
from review.models import SentenceDecision

from .conftest import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_longest_seed_article_is_adjudicated_by_keyboard_in_the_planned_keystrokes(
    page, seeded, alice, bob, carol
):
    article = next(a for a in seeded if a.origin.endswith(SEED))
    assert article.sentences.filter(is_boilerplate=False).count() == 38
    truth = label_article(article, alice, bob)
    plan = keyboard_plan(article, truth)
    sign_in(page, carol, next_path=f"/review/articles/{article.pk}/adjudicate/")
    page.locator("[data-adjudicate][data-ready]").wait_for(state="attached")
    press(page, plan)
    expect(page.get_by_text("Article closed as adjudicated.")).to_be_visible()
    decided = dict(SentenceDecision.objects.filter(sentence__article=article)
                   .values_list("sentence_id", "labels"))
    assert decided == {pk: ",".join(labels) for pk, labels in truth.items()}
    assert len(plan) < 60  # 38 sentences; the old page needed a click and a reload per verdict
    assert page.errors == []
