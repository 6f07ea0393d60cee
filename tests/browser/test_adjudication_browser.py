"""Editors adjudicating by keyboard in a real Chromium, on a desktop and on a phone."""

import pytest
from playwright.sync_api import expect

from annotations import services
from review.models import SentenceDecision

from .conftest import DESKTOP, PHONE, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT = """Council Vote Headline
Experts claim fares will double. The mayor said the plan is fair.
Officials say the SHOCKING plan will pass. Calm closing line.
"""


@pytest.fixture
def article(make_article, alice, bob, assign):
    """Two reviewers: they agree on sentences 2, 3 and 5 and disagree on 1 and 4."""
    article = make_article(TEXT, title="Council Vote Headline")
    assign(alice, article)
    assign(bob, article)
    s = list(article.sentences.order_by("position"))
    services.annotation_create(reviewer=alice, sentence=s[0], label="sensational_framing")
    services.sentence_mark_no_label(reviewer=bob, sentence=s[0])
    for who in (alice, bob):
        services.annotation_create(reviewer=who, sentence=s[1], label="unverified_claim")
        services.sentence_mark_no_label(reviewer=who, sentence=s[2])
        services.sentence_mark_no_label(reviewer=who, sentence=s[4])
    services.annotation_create(reviewer=alice, sentence=s[3], label="unverified_claim")
    services.annotation_create(reviewer=bob, sentence=s[3], label="unverified_claim")
    services.annotation_create(reviewer=bob, sentence=s[3], label="sensational_framing")
    return article


def open_adjudication(page, carol, article):
    sign_in(page, carol, next_path=f"/review/articles/{article.pk}/adjudicate/")
    page.locator("[data-adjudicate][data-ready]").wait_for(state="attached")
    page.evaluate("window.notReloaded = true")


def row(page, article, position):
    sentence = article.sentences.get(position=position)
    return page.locator(f'[data-row][data-sentence="{sentence.pk}"]')


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_editor_adjudicates_a_whole_article_by_keyboard_without_a_reload(
    page, article, carol, viewport
):
    open_adjudication(page, carol, article)
    page.keyboard.press("Shift+A")
    dialog = page.get_by_role("dialog", name="Accept where reviewers agree?")
    expect(dialog).to_contain_text("Accept 2 annotations on 3 sentences")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("settled 3 sentences")
    page.keyboard.press("d")  # disagreements only: sentences 1 and 4
    page.keyboard.press("j")
    expect(row(page, article, 0)).to_have_attribute("aria-current", "true")
    page.keyboard.press("0")  # the headline: no label
    expect(row(page, article, 0).locator(".adj-final")).to_contain_text("No label")
    page.keyboard.press("j")
    expect(row(page, article, 3)).to_have_attribute("aria-current", "true")
    page.keyboard.press("2")  # unverified claim only: bob's hype label is rejected
    expect(row(page, article, 3).locator(".adj-final")).to_contain_text("Unverified claim")
    expect(page.locator("[data-summary]")).to_contain_text("5 of 5")
    assert page.evaluate("window.notReloaded") is True
    page.keyboard.press("Shift+C")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Article closed as adjudicated.")).to_be_visible()
    article.refresh_from_db()
    assert article.adjudicated_by == carol
    assert SentenceDecision.objects.filter(sentence__article=article).count() == 5
    assert page.errors == []


def test_a_and_r_give_verdicts_and_e_writes_the_reason(page, article, carol):
    open_adjudication(page, carol, article)
    for _ in range(4):
        page.keyboard.press("j")
    current = row(page, article, 3)
    expect(current).to_have_attribute("aria-current", "true")
    page.keyboard.press("a")  # alice's unverified claim
    expect(current.locator(".status-accepted")).to_have_count(1)
    page.keyboard.press("l")
    page.keyboard.press("l")  # bob's sensational framing
    page.keyboard.press("r")
    expect(current.locator(".status-rejected")).to_have_count(1)
    page.keyboard.press("e")
    page.keyboard.type("The writer quotes the mayor.")
    page.keyboard.press("Enter")
    expect(current.locator(".status-rejected .adj-verdict")).to_contain_text(
        "Rejected by carol: The writer quotes the mayor.")
    assert page.errors == []


def test_x_selects_annotations_for_one_bulk_verdict(page, article, carol):
    open_adjudication(page, carol, article)
    for _ in range(4):
        page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("l")
    page.keyboard.press("x")
    expect(page.locator("[data-selected-count]")).to_have_text("2 annotations selected")
    page.keyboard.press("r")
    expect(page.get_by_role("status")).to_contain_text("Rejected 2 annotations.")
    expect(row(page, article, 3).locator(".status-rejected")).to_have_count(2)
    expect(page.locator("[data-selected-count]")).to_have_text("No annotation selected")


def test_a_label_key_with_no_sentence_chosen_asks_for_one(page, article, carol):
    open_adjudication(page, carol, article)
    page.keyboard.press("2")
    expect(page.locator("[data-error]")).to_contain_text("Choose a sentence first")
    assert not SentenceDecision.objects.exists()


def test_the_question_mark_lists_every_shortcut(page, article, carol):
    open_adjudication(page, carol, article)
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    for words in ("Next sentence", "Accept the annotation", "Reject the annotation",
                  "Write the reason", "Final labels: no label", "Show disagreements only",
                  "Accept every annotation where all reviewers agree"):
        expect(dialog).to_contain_text(words)


def test_a_stale_final_label_shows_the_other_editors_change(page, article, carol, root):
    from review import services as review_services

    open_adjudication(page, carol, article)
    page.keyboard.press("j")
    sentence = article.sentences.get(position=0)
    review_services.sentence_decide(sentence=sentence, labels=["sensational_framing"], by=root)
    page.keyboard.press("0")
    expect(page.locator("[data-error]")).to_contain_text("Nothing was overwritten")
    expect(row(page, article, 0).locator(".adj-final")).to_contain_text("set by root")


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
@pytest.mark.parametrize("path", ["adjudicate", "overview", "agreement"])
def test_the_editors_pages_fit_a_phone_without_sideways_scrolling(
    page, article, carol, viewport, path
):
    url = {
        "adjudicate": f"/review/articles/{article.pk}/adjudicate/",
        "overview": f"/review/overview/articles/{article.pk}/",
        "agreement": "/admin/annotations/annotation/agreement/",
    }[path]
    sign_in(page, carol)
    page.goto(url)
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width} px wide"
