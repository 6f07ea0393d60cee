"""Suggestions in the workspace, in a real Chromium: shown apart, explained, accepted and
dismissed with the keyboard, accepted in bulk after a confirmation, switched off."""

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from suggestions.models import Decision, SuggestionDecision

from ..worker import run_worker
from .conftest import open_workspace, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT = """Stadium plan for Brookhaven
The stadium will cost $900 million.
Experts say the merger will cut prices.
The council's draconian parking rules will crush local shops.
"""


@pytest.fixture
def article(make_article, tasks_run_at_once):
    """Imported with its suggestions computed as the import queues them."""
    return make_article(TEXT, title="Stadium plan")


def open_with_suggestions(page, alice, article):
    sign_in(page, alice)
    open_workspace(page, article)
    page.locator("[data-suggestions][data-ready]").wait_for(state="attached")
    return page


def chips(page):
    return page.locator("[data-suggestion]")


def test_suggestions_are_dashed_chips_explained_on_focus(page, alice, article):
    open_with_suggestions(page, alice, article)
    expect(chips(page).first).to_be_visible()
    figure = article.sentences.get(position=1)
    chip = page.locator(f'[data-sentence="{figure.pk}"] [data-suggestion]')
    chip.focus()
    expect(chip.locator(".why")).to_be_visible()
    expect(chip.locator(".why")).to_contain_text("figure “$900 million” with no source")
    assert chip.evaluate("el => getComputedStyle(el).borderStyle") == "dashed"
    assert page.errors == []


def test_enter_accepts_a_suggestion_as_the_reviewers_own_annotation(page, alice, article):
    open_with_suggestions(page, alice, article)
    figure = article.sentences.get(position=1)
    chip = page.locator(f'[data-sentence="{figure.pk}"] [data-suggestion]')
    chip.focus()
    page.keyboard.press("Enter")
    sentence = page.locator(f'[data-sentence="{figure.pk}"]')
    expect(sentence.locator(".tag-unverified_claim")).to_have_count(1)
    expect(sentence.locator("[data-suggestion]")).to_have_count(0)
    annotation = Annotation.objects.get()
    assert annotation.reviewer == alice and annotation.quote == "$900 million"
    assert annotation.suggestion_decision.rule == "uc_unsourced_figure"
    assert page.errors == []


def test_x_dismisses_and_s_moves_to_the_next_suggestion(page, alice, article):
    open_with_suggestions(page, alice, article)
    before = chips(page).count()
    page.keyboard.press("s")
    expect(chips(page).first).to_be_focused()
    page.keyboard.press("x")
    expect(chips(page)).to_have_count(before - 1)
    assert SuggestionDecision.objects.get().decision == Decision.DISMISSED
    assert not Annotation.objects.exists()


def test_accept_all_of_one_label_asks_first(page, alice, article):
    open_with_suggestions(page, alice, article)
    page.locator("[data-accept-all=unverified_claim]").click()
    # The fixture answers every dialog "Cancel": the page asked, and nothing was saved.
    expect(chips(page).first).to_be_visible()
    assert page.dialogs and page.dialogs[-1].startswith("Accept all")
    assert not Annotation.objects.exists()


def test_the_switch_hides_suggestions_and_is_remembered(page, alice, article):
    open_with_suggestions(page, alice, article)
    page.get_by_label("Show suggestions").uncheck()
    expect(chips(page).first).to_be_hidden()
    open_workspace(page, article)
    page.locator("[data-suggestions][data-ready]").wait_for(state="attached")
    expect(page.get_by_label("Show suggestions")).not_to_be_checked()
    expect(chips(page)).to_have_count(0)


def test_the_bar_says_suggestions_are_being_computed_until_the_worker_is_done(
        page, alice, make_article):
    article = make_article(TEXT, title="Stadium plan")  # queued; no worker has run
    open_with_suggestions(page, alice, article)
    expect(page.locator("[data-suggestions-count]")).to_have_text(
        "Suggestions are being computed…")
    expect(chips(page)).to_have_count(0)
    run_worker()
    # The page asks again by itself and draws them.
    expect(chips(page).first).to_be_visible(timeout=20_000)
    expect(page.locator("[data-suggestions-count]")).to_contain_text("open suggestion")
    assert page.errors == []
