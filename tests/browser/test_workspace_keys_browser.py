"""The workspace by keyboard (issue 13): keys for every action, the current sentence kept in
the middle of the screen, the source type-ahead's Enter, Try again only where it can help,
the reopening position, rejected annotations and the phone's bottom sheet."""

import re

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from provenance.models import Source
from provenance.services import source_create
from review import services as review_services

from .conftest import DESKTOP, PHONE, open_workspace, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = """Brookhaven council's SHOCKING bus plan is a DEVASTATING blow
Officials say the new depot will cost $90 million. According to the Brookhaven Transit \
Authority, buses will run every ten minutes.
The mayor called the plan "a disaster". Ridership rose 4% last year.
"""
# Long enough to scroll: 40 paragraphs of two sentences.
LONG = "A long article\n" + "".join(
    f"Paragraph {i} opens with a claim about the depot. It closes with a second thought.\n"
    for i in range(1, 41)
)


@pytest.fixture
def article(make_article):
    return make_article(TEXT, title="Bus plan")


def el(page, sentence):
    return page.locator(f'[data-sentence="{sentence.pk}"]')


def nth(article, position):
    return article.sentences.get(position=position)


def target_text(page):
    return page.locator("[data-target]")


def open_as(page, user, article):
    """Signed in, the workspace open and its suggestions drawn (they load after the page and
    move the text down: positions are measured after that)."""
    sign_in(page, user)
    open_workspace(page, article)
    if page.locator("[data-suggestions]").count():
        page.locator("[data-suggestions][data-ready]").wait_for(state="attached")
    return page


def test_a_label_key_with_nothing_selected_labels_nothing_and_says_why(
    page, alice, make_article
):
    """As in INCEpTION and doccano, a label needs a target: the key neither labels the
    headline nor scrolls to it; the live region says what to do."""
    article = make_article(LONG, title="A long article")
    open_as(page, alice, article)
    page.evaluate("window.scrollTo(0, 600)")
    page.keyboard.press("1")
    expect(page.get_by_role("alert")).to_contain_text("Select a sentence first")
    expect(target_text(page)).to_have_text("No sentence selected.")
    assert page.evaluate("window.scrollY") == 600
    assert Annotation.objects.count() == 0


def sentence_box(page):
    return page.evaluate(
        """() => {
            const r = document.querySelector('.sentence.is-current').getBoundingClientRect();
            const side = document.querySelector('[data-side]');
            const fixed = getComputedStyle(side).position === 'fixed';
            const height = fixed ? side.getBoundingClientRect().top : innerHeight;
            return {top: r.top, bottom: r.bottom, height,
                    maxScroll: document.documentElement.scrollHeight - innerHeight,
                    scrollY: scrollY};
        }"""
    )


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_moving_with_j_and_k_keeps_the_sentence_in_the_middle_third(
    new_page, alice, make_article, size
):
    """On the phone, "visible" is the text above the bottom sheet."""
    article = make_article(LONG, title="A long article")
    page = new_page(size)
    open_as(page, alice, article)
    for presses in range(1, 61):
        page.keyboard.press("j" if presses <= 50 else "k")
        box = sentence_box(page)
        third = box["height"] / 3
        # The focus ring (3 px outline, 2 px offset) is never cut off at an edge...
        assert box["top"] - 5 >= 0 and box["bottom"] + 5 <= box["height"], (presses, box)
        # ...and once the page can scroll that far, the sentence sits in the middle third.
        if box["scrollY"] > 0 and box["scrollY"] < box["maxScroll"]:
            assert third <= box["top"] and box["bottom"] <= 2 * third, (presses, box)
    expect(target_text(page)).to_have_text(re.compile(r"^Sentence 40 "))


def test_a_label_key_pressed_again_takes_the_label_off(page, alice, article):
    open_as(page, alice, article)
    page.keyboard.press("j")
    page.keyboard.press("j")
    target = el(page, nth(article, 1))
    page.keyboard.press("2")
    expect(target.locator(".tag-unverified_claim")).to_have_count(1)
    page.keyboard.press("2")
    expect(target.locator(".tag-unverified_claim")).to_have_count(0)
    expect(page.locator("[data-toast]")).to_contain_text("Deleted Unverified claim.")
    assert Annotation.objects.get().deleted_at is not None
    page.keyboard.press("u")  # and the usual undo brings it back
    expect(target.locator(".tag-unverified_claim")).to_have_count(1)


def test_e_edits_and_x_deletes_the_reviewers_annotation(page, alice, article, make_annotation):
    annotation = make_annotation(alice, nth(article, 1), "unverified_claim")
    open_as(page, alice, article)
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("e")
    form = page.locator("[data-edit-form]")
    expect(form.get_by_label("Unverified claim")).to_be_focused()
    form.get_by_label("Sensational framing").check()
    form.get_by_role("button", name="Save changes").click()
    expect(el(page, nth(article, 1)).locator(".tag-sensational_framing")).to_have_count(1)
    page.locator(".sentence.is-current").focus()
    page.keyboard.press("x")
    expect(el(page, nth(article, 1)).locator(".tag")).to_have_count(0)
    annotation.refresh_from_db()
    assert (annotation.label, annotation.deleted_at is not None) == ("sensational_framing", True)


def test_shift_j_goes_to_the_next_unreviewed_sentence(page, alice, article, make_annotation):
    make_annotation(alice, nth(article, 2), "unverified_claim")  # sentence 3 is reviewed
    open_as(page, alice, article)
    page.keyboard.press("j")
    page.keyboard.press("j")  # sentence 2
    page.keyboard.press("0")
    expect(el(page, nth(article, 1))).to_have_attribute("data-reviewed", "1")
    page.keyboard.press("J")
    expect(target_text(page)).to_have_text(re.compile(r"^Sentence 4 "))
    page.keyboard.press("J")
    expect(target_text(page)).to_have_text(re.compile(r"^Sentence 5 "))
    page.keyboard.press("J")  # on past the end, from the top
    expect(target_text(page)).to_have_text(re.compile(r"^Sentence 1 "))


def test_a_phrase_is_chosen_and_extended_word_by_word_without_a_mouse(page, alice, article):
    open_as(page, alice, article)
    page.keyboard.press("j")  # the headline
    page.keyboard.press("w")
    expect(target_text(page)).to_have_text("Sentence 1, phrase: “Brookhaven”")
    page.keyboard.press("w")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowLeft")
    expect(target_text(page)).to_have_text("Sentence 1, phrase: “council's SHOCKING”")
    assert page.evaluate("getSelection().toString()") == "council's SHOCKING"
    page.keyboard.press("1")
    mark = el(page, nth(article, 0)).locator("mark.hl-sensational_framing")
    expect(mark).to_have_text("council's SHOCKING")
    saved = Annotation.objects.get()
    assert article.body[saved.phrase_start:saved.phrase_end] == "council's SHOCKING"
    assert saved.quote == "council's SHOCKING"
    page.keyboard.press("w")  # a phrase, then moving on: the selection goes with it
    page.keyboard.press("j")
    expect(target_text(page)).to_have_text("Sentence 2 (whole sentence)")
    assert page.evaluate("getSelection().toString()") == ""


def test_the_shortcut_list_names_every_key(page, alice, article):
    open_as(page, alice, article)
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    for action in ("Next unreviewed sentence", "Edit your annotation", "Delete your annotation",
                   "press again to remove it", "Extend the phrase by a word",
                   "previous word of the sentence as the phrase"):
        expect(dialog).to_contain_text(action)


def test_try_again_is_offered_only_when_it_could_succeed(page, alice, article, make_annotation):
    make_annotation(alice, nth(article, 1), "unverified_claim")
    open_as(page, alice, article)
    el(page, nth(article, 1)).click()
    page.locator("[data-composer]").get_by_role("button", name="Unverified claim").click()
    error = page.locator("[data-error]")
    expect(error).to_contain_text("already gave this sentence that label")
    expect(error.get_by_role("button", name="Try again")).to_be_hidden()
    page.context.set_offline(True)
    page.locator("[data-composer]").get_by_role("button", name="Sensational framing").click()
    expect(error).to_contain_text("Couldn't reach the server")
    expect(error.get_by_role("button", name="Try again")).to_be_visible()
    page.context.set_offline(False)


def combo(page):
    return page.get_by_role("combobox", name=re.compile("Source cited"))


def test_enter_in_the_source_type_ahead_picks_the_existing_source(page, alice, article):
    bta = source_create(name="Brookhaven Transit Authority", kind="government_body",
                        aliases=["BTA"])
    open_as(page, alice, article)
    el(page, nth(article, 2)).click()
    page.keyboard.press("3")
    combo(page).press_sequentially("Brookhaven Tr")
    combo(page).press("Enter")  # at once: before the type-ahead's pause is over
    expect(page.locator("[data-panel] .row-source")).to_contain_text(bta.name)
    assert Annotation.objects.get().source == bta
    assert Source.objects.count() == 1


def test_the_type_ahead_never_adds_a_half_typed_or_existing_name(page, alice, article):
    source_create(name="Brookhaven Transit Authority", kind="government_body", aliases=["BTA"])
    open_as(page, alice, article)
    el(page, nth(article, 2)).click()
    page.keyboard.press("3")
    combo(page).press_sequentially("bta")
    expect(page.get_by_role("option", name=re.compile("Brookhaven Transit"))).to_be_visible()
    expect(page.get_by_role("option", name=re.compile("Add"))).to_have_count(0)
    combo(page).fill("")
    combo(page).press_sequentially("Zeta Nobody")
    expect(page.get_by_role("option", name=re.compile("Add “Zeta Nobody”"))).to_be_visible()
    combo(page).press("Enter")
    expect(page.locator("[data-error]")).to_contain_text("No source in the registry")
    expect(page.locator("[data-new-source]").first).to_be_hidden()
    assert Source.objects.count() == 1 and Annotation.objects.count() == 0


def test_the_workspace_reopens_on_the_sentence_the_reviewer_was_on(page, alice, bob, article):
    open_as(page, alice, article)
    for _ in range(3):
        page.keyboard.press("j")
    expect(target_text(page)).to_have_text(re.compile(r"^Sentence 3 "))
    open_workspace(page, article)
    expect(target_text(page)).to_have_text(re.compile(r"^Sentence 3 "))
    page.keyboard.press("2")  # the keys act there at once
    expect(el(page, nth(article, 2)).locator(".tag-unverified_claim")).to_have_count(1)


def test_a_rejected_annotation_is_struck_through_and_says_so(
    page, alice, carol, article, make_annotation
):
    annotation = make_annotation(alice, nth(article, 1), "unverified_claim")
    review_services.annotations_verdict(annotations=[(annotation, 1)], status="rejected", by=carol,
                                        reason="the source is named")
    open_as(page, alice, article)
    el(page, nth(article, 1)).click()
    row = page.locator("[data-panel] .annotation-row")
    expect(row).to_have_class(re.compile(r"\bis-rejected\b"))
    expect(row.locator(".row-head")).to_contain_text("Rejected: Unverified claim")
    decoration = row.locator(".row-label").evaluate("e => getComputedStyle(e).textDecorationLine")
    assert decoration == "line-through"


def test_on_a_phone_the_tools_sheet_leaves_most_of_the_text_visible(new_page, alice, article):
    page = new_page(PHONE)
    open_as(page, alice, article)
    el(page, nth(article, 1)).click()
    side = page.locator("[data-side]")
    height = side.evaluate("e => e.getBoundingClientRect().height")
    assert height < PHONE["height"] / 4, height
    expect(page.locator("[data-composer]").get_by_role("button", name="Unverified claim")
           ).to_be_in_viewport()
    toggle = page.get_by_role("button", name="Annotations, note, finish")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("[data-panel]")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_ten_sentences_are_labelled_in_twenty_keys(page, alice, make_article):
    """The figure for the report: one move and one label key a sentence, as before."""
    article = make_article(LONG, title="A long article")
    open_as(page, alice, article)
    keys = []
    for i in range(10):
        keys += ["j", "2" if i % 2 else "0"]
    for key in keys:
        page.keyboard.press(key)
        if key != "j":
            expect(page.locator("[data-error]")).to_be_hidden()
    expect(page.locator("[data-progress-text]")).to_have_text(
        re.compile(r"^10 of \d+ sentences reviewed")
    )
    assert len(keys) == 20
