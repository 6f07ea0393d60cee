"""Editors adjudicating, and reviewers fixing sentence boundaries, in a real Chromium."""

import pytest
from playwright.sync_api import expect

from annotations import services
from annotations.models import Annotation

from .conftest import open_workspace, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# pysbd cuts "...the council. which meets..." at the stray full stop only when a capital
# follows; here the second piece starts with a capital, so it is two sentences to join.
TEXT = """Council Vote Headline
The vote went to the council. Which meets on Monday? Officials say it will pass.
Experts claim fares will double.
"""


@pytest.fixture
def article(make_article):
    return make_article(TEXT, title="Council Vote Headline")


def sentence_el(page, sentence):
    return page.locator(f'[data-sentence="{sentence.pk}"]')


def test_an_editor_accepts_and_rejects_side_by_side_with_the_mouse_and_closes_the_article(
    page, article, alice, bob, carol
):
    s = list(article.sentences.order_by("position"))
    kept = services.annotation_create(reviewer=alice, sentence=s[4], label="unverified_claim",
                                      note="vague experts")
    dropped = services.annotation_create(reviewer=bob, sentence=s[4],
                                         label="sensational_framing")
    services.annotation_create(reviewer=bob, sentence=s[3], label="unverified_claim")
    services.sentence_mark_no_label(reviewer=alice, sentence=s[3])

    sign_in(page, carol, next_path=f"/review/articles/{article.pk}/adjudicate/")
    page.locator("[data-adjudicate][data-ready]").wait_for(state="attached")
    expect(page.locator(".adj-who", has_text="alice")).to_have_count(5)
    expect(page.get_by_text("Reviewers disagree")).to_have_count(2)

    # Choosing an annotation shows its reason field; the reason goes with the verdict.
    page.get_by_text("vague experts").click()
    page.get_by_label("Reason for Unverified claim by alice").fill("vague attribution")
    page.get_by_role("button", name="Accept Unverified claim by alice").click()
    expect(page.get_by_text("Accepted by carol: vague attribution")).to_be_visible()
    page.get_by_role("button", name="Reject Sensational framing by bob").click()
    page.get_by_role("button", name="Accept Unverified claim by bob").click()
    expect(page.get_by_text("Rejected by carol")).to_be_visible()
    for position in (0, 1, 2):
        sentence = page.locator(f'[data-row][data-sentence="{s[position].pk}"]')
        sentence.get_by_role("button", name="No label").click()
        expect(sentence.locator(".adj-final")).to_contain_text("set by carol")

    page.get_by_role("button", name="Close as adjudicated").click()
    page.get_by_role("button", name="Close it").click()
    expect(page.get_by_text("Closed by carol")).to_be_visible()
    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert (kept.status, kept.status_reason) == ("accepted", "vague attribution")
    assert dropped.status == "rejected"


def test_a_reviewer_cannot_open_the_adjudication_page(page, article, alice):
    sign_in(page, alice, next_path=f"/review/articles/{article.pk}/adjudicate/")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_text("Only editors adjudicate.")).to_be_visible()
    expect(page.get_by_role("button", name="Close as adjudicated")).to_have_count(0)


def test_a_reviewer_joins_two_sentences_and_the_annotation_keeps_its_words(
    page, article, alice
):
    s = list(article.sentences.order_by("position"))
    first, second = s[1], s[2]
    assert first.text == "The vote went to the council."
    annotation = services.annotation_create(reviewer=alice, sentence=second,
                                            label="unverified_claim")
    sign_in(page, alice)
    open_workspace(page, article)
    sentence_el(page, first).click()
    page.get_by_text("Sentence boundaries").click()
    page.get_by_role("button", name="Join with next sentence").click()
    expect(page.get_by_role("status")).to_contain_text("Joined with the next sentence.")
    joined = sentence_el(page, first)
    expect(joined).to_contain_text("The vote went to the council. Which meets on Monday?")
    expect(sentence_el(page, second)).to_have_count(0)
    annotation.refresh_from_db()
    assert annotation.sentence_id == first.pk and annotation.quote == "Which meets on Monday?"
    expect(joined.locator("mark")).to_have_text("Which meets on Monday?")


def test_a_reviewer_splits_a_sentence_at_the_cursor(page, article, alice):
    s = list(article.sentences.order_by("position"))
    services.annotation_create(reviewer=alice, sentence=s[1], label="sensational_framing")
    from annotations.boundaries import sentence_join

    joined = sentence_join(sentence=s[1], by=alice)  # whole-sentence label becomes a phrase
    sign_in(page, alice)
    open_workspace(page, article)
    element = sentence_el(page, joined)
    element.click()
    # Put the caret just before "Which", as a click in the text does.
    element.evaluate(
        """(el) => {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              const at = node.data.indexOf("Which");
              if (at < 0) continue;
              const range = document.createRange();
              range.setStart(node, at);
              range.collapse(true);
              const selection = window.getSelection();
              selection.removeAllRanges();
              selection.addRange(range);
              el.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
              return;
            }
        }"""
    )
    page.get_by_text("Sentence boundaries").click()
    page.get_by_role("button", name="Split at cursor").click()
    expect(page.get_by_text("Which meets on Monday?", exact=True)).to_be_visible()
    texts = list(article.sentences.order_by("position").values_list("text", flat=True))
    assert texts[1:3] == ["The vote went to the council.", "Which meets on Monday?"]
    assert Annotation.objects.get().sentence.text == "The vote went to the council."


def test_a_join_over_another_reviewers_annotation_is_refused_without_naming_them(
    page, article, alice, bob
):
    s = list(article.sentences.order_by("position"))
    services.annotation_create(reviewer=bob, sentence=s[3], label="unverified_claim")
    sign_in(page, alice)
    open_workspace(page, article)
    sentence_el(page, s[3]).click()
    page.get_by_text("Sentence boundaries").click()
    page.get_by_role("button", name="Join with next sentence").click()
    expect(page.locator("[data-error]")).to_contain_text("Another reviewer has annotated")
    assert article.sentences.count() == 5


def test_a_join_redraws_its_paragraph_in_one_request_without_reloading_the_page(
    page, article, alice
):
    from urllib.parse import urlparse

    s = list(article.sentences.order_by("position"))
    sign_in(page, alice)
    open_workspace(page, article)
    sentence_el(page, s[1]).click()
    expect(page.locator("[data-panel-sentence]")).to_be_attached()
    page.evaluate("window.notReloaded = true")
    sent = []
    page.on("request", lambda r: sent.append((r.method, urlparse(r.url).path)))
    page.get_by_text("Sentence boundaries").click()
    page.get_by_role("button", name="Join with next sentence").click()
    expect(sentence_el(page, s[2])).to_have_count(0)
    page.wait_for_timeout(300)  # room for any follow-up request to show up
    assert sent == [("POST", f"/workspace/sentences/{s[1].pk}/join/")]
    assert page.evaluate("window.notReloaded") is True
    # Later sentences are renumbered in place: the one after the join is now the third.
    sentence_el(page, s[3]).click()
    expect(page.locator("[data-target]")).to_have_text("Sentence 3 (whole sentence)")
