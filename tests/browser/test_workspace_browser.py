"""The reviewer workspace in a real Chromium: what a reviewer does, end to end."""

import re

import pytest
from playwright.sync_api import expect

from annotations import services
from annotations.models import Annotation, SentenceReview
from provenance.models import Reliability, Source
from provenance.services import source_create

from .conftest import PHONE, open_workspace, sign_in

# live_server reads from another thread, so rows must be committed: a transactional test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

TEXT = """Brookhaven council's SHOCKING bus plan is a DEVASTATING blow
Officials say the new depot will cost $90 million. According to the Brookhaven Transit \
Authority, buses will run every ten minutes.
The mayor called the plan "a disaster". Ridership rose 4% last year.
Like and subscribe for more!
"""
TITLE = "Brookhaven council's SHOCKING bus plan is a DEVASTATING blow"


@pytest.fixture
def article(make_article):
    return make_article(TEXT, title=TITLE)


def sentence(article, position):
    return article.sentences.get(position=position)


def sentence_el(page, s):
    return page.locator(f'[data-sentence="{s.pk}"]')


def char_box(element, text, last=False):
    """The middle of the first (or last) character of `text` inside `element`, on screen."""
    box = element.evaluate(
        """(el, [text, last]) => {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              const at = node.data.indexOf(text);
              if (at < 0) continue;
              const range = document.createRange();
              const i = last ? at + text.length - 1 : at;
              range.setStart(node, i);
              range.setEnd(node, i + 1);
              const r = range.getBoundingClientRect();
              return {x: last ? r.right - 1 : r.left + 1, y: r.top + r.height / 2};
            }
            return null;
        }""",
        [text, last],
    )
    assert box, f"{text!r} is not on the page"
    return box


def drag_select(page, start_element, start_text, end_element=None, end_text=None):
    """Select with the mouse from the first letter of one text to the last of another."""
    a = char_box(start_element, start_text)
    b = char_box(end_element or start_element, end_text or start_text, last=True)
    page.mouse.move(a["x"], a["y"])
    page.mouse.down()
    page.mouse.move((a["x"] + b["x"]) / 2, (a["y"] + b["y"]) / 2, steps=3)
    page.mouse.move(b["x"], b["y"], steps=3)
    page.mouse.up()


def label_button(page, name):
    return page.locator("[data-composer]").get_by_role("button", name=name, exact=True)


def panel(page):
    return page.locator("[data-panel]")


def test_a_reviewer_signs_in_sees_the_queue_and_signs_out(page, alice, article, assign):
    assign(alice, article)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    sign_in(page, alice)
    expect(page.get_by_role("heading", name="My queue")).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_whole_sentence_is_labelled_with_the_keyboard_alone(page, alice, article):
    sign_in(page, alice)
    open_workspace(page, article)
    target = sentence(article, 1)
    page.keyboard.press("j")  # the headline
    page.keyboard.press("ArrowDown")  # "Officials say ..."
    page.keyboard.press("Enter")
    expect(page.locator("[data-target]")).to_have_text("Sentence 2 (whole sentence)")
    page.keyboard.press("2")
    expect(sentence_el(page, target).locator(".tag-unverified_claim")).to_have_count(1)
    expect(panel(page).locator(".annotation-row")).to_contain_text("Unverified claim")
    saved = Annotation.objects.get()
    assert (saved.sentence, saved.reviewer, saved.label) == (target, alice, "unverified_claim")
    assert saved.phrase_start is None
    expect(page.locator("[data-progress-text]")).to_have_text("1 of 5 sentences reviewed")
    assert page.errors == []


def test_a_phrase_selected_with_the_mouse_is_labelled(page, alice, article):
    sign_in(page, alice)
    open_workspace(page, article)
    target = sentence(article, 0)
    drag_select(page, sentence_el(page, target), "SHOCKING")
    expect(page.locator("[data-target]")).to_have_text("Sentence 1, phrase: “SHOCKING”")
    label_button(page, "Sensational framing").click()
    highlight = sentence_el(page, target).locator("mark.hl-sensational_framing")
    expect(highlight).to_have_text("SHOCKING")
    saved = Annotation.objects.get()
    assert saved.quote == "SHOCKING"
    assert article.body[saved.phrase_start : saved.phrase_end] == "SHOCKING"


def test_a_selection_across_two_sentences_is_refused_with_a_message(page, alice, article):
    sign_in(page, alice)
    open_workspace(page, article)
    drag_select(
        page,
        sentence_el(page, sentence(article, 1)), "million",
        sentence_el(page, sentence(article, 2)), "According",
    )
    expect(page.locator("[data-selection-message]")).to_contain_text("spans two sentences")
    assert Annotation.objects.count() == 0


def test_a_cited_source_is_picked_by_its_alias_with_the_keyboard(page, alice, article):
    bta = source_create(
        name="Brookhaven Transit Authority", kind="government_body", aliases=["BTA"]
    )
    sign_in(page, alice)
    open_workspace(page, article)
    sentence_el(page, sentence(article, 2)).click()
    page.keyboard.press("3")
    combo = page.get_by_role("combobox", name=re.compile("Source cited"))
    expect(combo).to_be_focused()
    combo.press_sequentially("bta")
    option = page.get_by_role("option", name=re.compile("Brookhaven Transit Authority"))
    expect(option).to_be_visible()
    combo.press("Enter")
    expect(panel(page).locator(".row-source")).to_contain_text("Brookhaven Transit Authority")
    saved = Annotation.objects.get()
    assert (saved.label, saved.source) == ("cited_source", bta)


def test_a_missing_source_is_added_unrated_and_flagged_for_review(page, alice, article):
    sign_in(page, alice)
    open_workspace(page, article)
    sentence_el(page, sentence(article, 3)).click()
    label_button(page, "Cited source").click()
    combo = page.get_by_role("combobox", name=re.compile("Source cited"))
    combo.press_sequentially("Mayor Dana Ruiz")
    page.get_by_role("option", name=re.compile("Add “Mayor Dana Ruiz” as a new source")).click()
    page.get_by_label("Kind").select_option("official_person")
    page.get_by_role("button", name="Add source").click()
    expect(panel(page).locator(".row-source")).to_contain_text("awaiting review")
    source = Source.objects.get(name="Mayor Dana Ruiz")
    assert (source.kind, source.reliability) == ("official_person", Reliability.UNRATED)
    assert source.needs_review and source.created_by == alice
    assert Annotation.objects.get().source == source


def open_on_own_annotation(page, alice, article, make_annotation, label, **fields):
    """Alice's annotation on sentence 2, her workspace open with that sentence selected."""
    target = sentence(article, 1)
    annotation = make_annotation(alice, target, label, **fields)
    sign_in(page, alice)
    open_workspace(page, article)
    sentence_el(page, target).click()
    return annotation, target


def test_a_reviewer_edits_their_annotation(page, alice, article, make_annotation):
    annotation, target = open_on_own_annotation(
        page, alice, article, make_annotation, "sensational_framing"
    )
    panel(page).get_by_role("button", name="Edit").click()
    page.get_by_label("Unverified claim").check()
    page.locator("[data-edit-form] [data-note]").fill("'Officials say' is vague.")
    page.get_by_role("button", name="Save changes").click()
    expect(panel(page).locator(".note")).to_have_text("'Officials say' is vague.")
    expect(sentence_el(page, target).locator(".tag-unverified_claim")).to_have_count(1)
    annotation.refresh_from_db()
    assert (annotation.label, annotation.note, annotation.version) == (
        "unverified_claim", "'Officials say' is vague.", 2,
    )


def test_a_deleted_annotation_comes_back_with_undo(page, alice, article, make_annotation):
    annotation, target = open_on_own_annotation(
        page, alice, article, make_annotation, "unverified_claim"
    )
    panel(page).get_by_role("button", name=re.compile("^Delete")).click()
    expect(panel(page)).to_contain_text("No annotations on this sentence yet.")
    annotation.refresh_from_db()
    assert annotation.deleted_at is not None
    page.get_by_role("button", name="Undo").click()
    expect(panel(page).locator(".annotation-row")).to_have_count(1)
    expect(sentence_el(page, target).locator(".tag-unverified_claim")).to_have_count(1)
    annotation.refresh_from_db()
    assert annotation.deleted_at is None


def edit_behind_the_pages_back(page, alice, article, make_annotation, *, theirs, mine):
    """Open the edit form, let another tab save `theirs`, then save `mine` from the page."""
    annotation, _ = open_on_own_annotation(
        page, alice, article, make_annotation, "unverified_claim", note="first thoughts"
    )
    panel(page).get_by_role("button", name="Edit").click()
    services.annotation_update(annotation=annotation, expected_version=1, by=alice, note=theirs)
    page.locator("[data-edit-form] [data-note]").fill(mine)
    page.get_by_role("button", name="Save changes").click()
    return annotation


def test_a_stale_edit_shows_both_versions_and_keeps_the_chosen_one(
    page, alice, article, make_annotation
):
    annotation = edit_behind_the_pages_back(
        page, alice, article, make_annotation, theirs="from the other tab", mine="from this page"
    )
    conflict = page.locator("[data-conflict]")
    expect(conflict.locator("[data-mine]")).to_contain_text("from this page")
    expect(conflict.locator("[data-theirs]")).to_contain_text("from the other tab")
    annotation.refresh_from_db()
    assert annotation.note == "from the other tab"  # nothing overwritten yet
    conflict.get_by_role("button", name="Keep mine").click()
    expect(panel(page).locator(".note")).to_have_text("from this page")
    annotation.refresh_from_db()
    assert (annotation.note, annotation.version) == ("from this page", 3)


def test_taking_the_other_version_after_a_conflict_discards_the_edit(
    page, alice, article, make_annotation
):
    annotation = edit_behind_the_pages_back(
        page, alice, article, make_annotation, theirs="theirs", mine="mine"
    )
    page.get_by_role("button", name="Take theirs").click()
    expect(panel(page).locator(".note")).to_have_text("theirs")
    annotation.refresh_from_db()
    assert (annotation.note, annotation.version) == ("theirs", 2)


def test_a_note_with_html_is_shown_as_text_and_runs_nothing(page, alice, article):
    note = "<img src=x onerror=alert(1)>"
    sign_in(page, alice)
    open_workspace(page, article)
    sentence_el(page, sentence(article, 1)).click()
    page.get_by_label(re.compile("^Note")).fill(note)
    label_button(page, "Unverified claim").click()
    expect(panel(page).locator(".note")).to_have_text(note)
    assert panel(page).locator("img").count() == 0
    page.reload()
    page.locator("[data-workspace][data-ready]").wait_for(state="attached")
    sentence_el(page, sentence(article, 1)).click()
    expect(panel(page).locator(".note")).to_have_text(note)
    assert page.dialogs == [] and page.errors == []
    assert Annotation.objects.get().note == note


def test_a_failed_save_keeps_the_note_for_a_retry(page, alice, article):
    sign_in(page, alice)
    open_workspace(page, article)
    sentence_el(page, sentence(article, 1)).click()
    page.get_by_label(re.compile("^Note")).fill("'Officials say' is vague.")
    page.context.set_offline(True)
    label_button(page, "Unverified claim").click()
    expect(page.locator("[data-error]")).to_contain_text("Couldn't reach the server")
    expect(page.get_by_label(re.compile("^Note"))).to_have_value("'Officials say' is vague.")
    page.context.set_offline(False)
    page.get_by_role("button", name="Try again").click()
    expect(panel(page).locator(".note")).to_have_text("'Officials say' is vague.")
    assert Annotation.objects.get().note == "'Officials say' is vague."


def test_in_open_review_a_second_reviewer_sees_the_annotation_but_cannot_edit_it(
    page, alice, bob, article, make_annotation, settings
):
    settings.PROVENANCE_INDEPENDENT_REVIEW = False  # the default hides it until adjudication
    target = sentence(article, 1)
    make_annotation(alice, target, "unverified_claim", note="alice's reason")
    sign_in(page, bob)
    open_workspace(page, article)
    expect(sentence_el(page, target).locator(".tag-unverified_claim")).to_have_count(1)
    sentence_el(page, target).click()
    row = panel(page).locator(".annotation-row")
    expect(row).to_contain_text("alice's reason")
    expect(row).to_contain_text("Read-only")
    expect(row.get_by_role("button")).to_have_count(0)


def test_the_queue_progress_moves_as_sentences_are_reviewed(page, alice, article, assign):
    assign(alice, article)
    sign_in(page, alice)
    expect(page.locator(f'[data-progress="{article.pk}"]')).to_have_text("0 of 5 reviewed (0%)")
    open_workspace(page, article)
    page.keyboard.press("j")
    page.keyboard.press("1")
    headline = sentence_el(page, sentence(article, 0))
    expect(headline.locator(".tag-sensational_framing")).to_have_count(1)
    page.keyboard.press("j")
    page.keyboard.press("0")
    expect(sentence_el(page, sentence(article, 1)).locator(".tag-none")).to_have_count(1)
    expect(page.locator("[data-progress-text]")).to_have_text("2 of 5 sentences reviewed")
    page.get_by_role("button", name="Done with this article").click()
    # 3 of 5 are unreviewed: the reviewer is asked first, with the count.
    expect(page.get_by_text("3 sentences are still unreviewed")).to_be_visible()
    page.get_by_role("button", name="Mark as done anyway").click()
    expect(page.get_by_role("heading", name="My queue")).to_be_visible()
    expect(page.locator(f'[data-progress="{article.pk}"]')).to_have_text("2 of 5 reviewed (40%)")
    assert SentenceReview.objects.filter(reviewer=alice).count() == 1


def test_the_shortcut_overlay_lists_every_shortcut(page, alice, article):
    sign_in(page, alice)
    open_workspace(page, article)
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    for action in ("Next sentence", "Sensational framing", "Unverified claim", "Cited source",
                   "No label", "Undo the last delete"):
        expect(dialog).to_contain_text(action)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_the_legend_defines_each_label_on_focus_and_boilerplate_stays_folded(
    page, alice, article
):
    sign_in(page, alice)
    open_workspace(page, article)
    term = page.locator(".legend-term", has_text="Unverified claim")
    definition = page.get_by_role("tooltip").filter(has_text="no traceable source")
    expect(definition).to_be_hidden()
    term.focus()
    expect(definition).to_be_visible()
    boilerplate = page.get_by_text("Like and subscribe for more!")
    expect(boilerplate).to_be_hidden()
    page.get_by_text(re.compile("Boilerplate, not annotated")).click()
    expect(boilerplate).to_be_visible()
    boilerplate.click()  # readable when unfolded, but never chosen for a label
    expect(page.locator("[data-target]")).to_have_text("No sentence selected.")


def test_the_workspace_works_on_a_phone_screen(new_page, alice, article):
    page = new_page(PHONE)
    sign_in(page, alice)
    open_workspace(page, article)
    target = sentence_el(page, sentence(article, 2))
    target.click()
    button = label_button(page, "Unverified claim")
    expect(button).to_be_in_viewport()
    button.click()
    expect(target.locator(".tag-unverified_claim")).to_have_count(1)
    # Nothing is wider than the screen, so nothing needs sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert Annotation.objects.filter(reviewer=alice).count() == 1


def test_the_label_shortcut_keys_come_from_labels_py(page, alice, article, monkeypatch):
    import dataclasses

    from annotations import labels

    swapped = {"sensational_framing": "2", "unverified_claim": "1"}
    monkeypatch.setattr(labels, "LABELS", tuple(
        dataclasses.replace(item, key=swapped.get(item.value, item.key)) for item in labels.LABELS
    ))
    sign_in(page, alice)
    open_workspace(page, article)
    target = sentence_el(page, sentence(article, 1))
    target.click()
    page.keyboard.press("2")
    expect(target.locator(".tag-sensational_framing")).to_have_count(1)
    assert list(Annotation.objects.values_list("label", flat=True)) == ["sensational_framing"]


def record_requests(page):
    """The requests the page sends from now on, as (method, path)."""
    from urllib.parse import urlparse

    sent = []
    page.on("request", lambda r: sent.append((r.method, urlparse(r.url).path)))
    return sent


def test_a_save_is_one_request_that_redraws_the_sentence_and_its_panel(page, alice, article):
    target = sentence(article, 1)
    sign_in(page, alice)
    open_workspace(page, article)
    sentence_el(page, target).click()
    expect(panel(page)).to_contain_text("No annotations on this sentence yet.")
    sent = record_requests(page)
    label_button(page, "Unverified claim").click()
    expect(sentence_el(page, target).locator(".tag-unverified_claim")).to_have_count(1)
    expect(panel(page).locator(".annotation-row")).to_contain_text("Unverified claim")
    page.wait_for_timeout(300)  # room for any follow-up request to show up
    assert sent == [("POST", f"/workspace/sentences/{target.pk}/annotations/")]


def test_a_delete_and_its_undo_are_one_request_each(page, alice, article, make_annotation):
    annotation, target = open_on_own_annotation(
        page, alice, article, make_annotation, "unverified_claim"
    )
    expect(panel(page).locator(".annotation-row")).to_have_count(1)
    sent = record_requests(page)
    panel(page).get_by_role("button", name=re.compile("^Delete")).click()
    expect(page.locator("[data-toast]")).to_contain_text("Deleted Unverified claim.")
    page.keyboard.press("u")
    expect(page.locator("[data-toast]")).to_contain_text("Annotation restored.")
    expect(sentence_el(page, target).locator(".tag-unverified_claim")).to_have_count(1)
    page.wait_for_timeout(300)
    assert sent == [
        ("POST", f"/workspace/annotations/{annotation.pk}/delete/"),
        ("POST", f"/workspace/annotations/{annotation.pk}/restore/"),
    ]


def test_a_refused_save_shows_the_servers_words_in_the_error_bar(
    page, alice, article, make_annotation
):
    target = sentence(article, 1)
    make_annotation(alice, target, "unverified_claim")
    sign_in(page, alice)
    open_workspace(page, article)
    sentence_el(page, target).click()
    label_button(page, "Unverified claim").click()
    error = page.get_by_role("alert")
    expect(error).to_contain_text("You already gave this sentence that label")
    error.get_by_role("button", name="Dismiss").click()
    expect(error).to_be_hidden()
    assert Annotation.objects.count() == 1
