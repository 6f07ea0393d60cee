"""Every page, as the role that can see it, checked by axe-core (WCAG 2.1 A and AA) at the
desktop and the phone size, and for sideways scrolling on the phone.

axe-core's script ships inside the axe-playwright-python wheel: nothing is fetched.
One test per screen size visits every page, so Chromium and the data are set up twice, not
once per page (the machine is small).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from annotations import services as annotation_services
from crossclaims import services as claim_services
from provenance.models import UrlImport, UrlImportItem, UrlImportStatus
from provenance.services import source_create

from .conftest import DESKTOP, PHONE, open_workspace, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

TEXT = """Brookhaven council's SHOCKING bus plan is a DEVASTATING blow
Officials say the new depot will cost $90 million. According to the Brookhaven Transit \
Authority, buses will run every ten minutes.
Japan and India traded goods worth $20 billion in 2019, according to the Trade Ministry.
Like and subscribe for more!
"""
SECOND = "Another view\nBilateral trade between Japan and India was $31 billion in 2019.\n"


@pytest.fixture
def world(make_article, alice, bob, carol, assign):
    """An article two reviewers labelled (with a cited source), a claim group, an import."""
    article = make_article(TEXT, title="Brookhaven's bus plan")
    other = make_article(SECOND, title="Another view")
    assign(alice, article)
    assign(bob, article)
    bta = source_create(name="Brookhaven Transit Authority", kind="government_body")
    first, second = article.sentences.filter(is_boilerplate=False).order_by("position")[1:3]
    for reviewer in (alice, bob):
        annotation_services.annotation_create(
            reviewer=reviewer, sentence=first, label="unverified_claim", note="vague",
        )
        annotation_services.annotation_create(
            reviewer=reviewer, sentence=second, label="cited_source", source=bta,
        )
    for a in (article, other):
        claim_services.claims_extract(article=a)
    claim_services.groups_rebuild()
    batch = UrlImport.objects.create(created_by=carol)
    UrlImportItem.objects.create(batch=batch, position=0, url="https://example.org/a",
                                 status=UrlImportStatus.FAILED, message="Not found (404).")
    return {"article": article, "source": bta, "batch": batch}


def pages(world):
    """(who, path) for every page, each as the role that can see it."""
    from crossclaims.models import ClaimGroup

    article, batch = world["article"], world["batch"]
    group = ClaimGroup.objects.first()
    assert group is not None, "the two articles' trade figures should form a claim group"
    yield None, "/accounts/login/"
    yield "alice", "/"
    yield "alice", article.get_absolute_url()
    yield "alice", "/guide/"
    yield "alice", "/account/token/"
    yield "alice", world["source"].get_absolute_url()
    yield "alice", "/claims/"
    yield "alice", f"/claims/groups/{group.pk}/"
    yield "alice", "/articles/999999/review/"  # the not-found page
    yield "carol", "/"
    yield "carol", f"/review/articles/{article.pk}/adjudicate/"
    yield "carol", "/review/overview/"
    yield "carol", f"/review/overview/articles/{article.pk}/"
    yield "carol", f"/review/overview/reviewers/{world['alice'].pk}/"
    yield "carol", "/suggestions/report/"
    yield "carol", "/review/imports/"
    yield "carol", "/review/uploads/"
    yield "carol", "/review/export/"
    yield "carol", batch.get_absolute_url()
    yield "carol", "/admin/annotations/annotation/agreement/"
    yield "carol", "/admin/"


def check(page, path):
    """axe's WCAG 2.1 AA violations on the page, and any sideways overflow, as text."""
    problems = []
    results = Axe().run(page, options=WCAG_AA)
    if results.violations_count:
        problems.append(f"{path}: {results.generate_report()}")
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    if width > viewport:
        wide = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                 .filter((el) => el.getBoundingClientRect().right > limit + 1)
                 .slice(0, 5).map((el) => el.tagName + '.' + el.className)""",
            viewport,
        )
        problems.append(f"{path}: {width} px wide on a {viewport} px screen: {wide}")
    return problems


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_page_passes_axe_wcag21_aa_and_fits_the_screen(
    new_page, world, alice, carol, size
):
    world = {**world, "alice": alice}
    users = {"alice": alice, "carol": carol}
    problems = []
    browser_pages = {}
    for who, path in pages(world):
        if who not in browser_pages:
            page = new_page(size)
            if who:
                sign_in(page, users[who])
            browser_pages[who] = page
        page = browser_pages[who]
        page.goto(path)
        page.wait_for_load_state()
        if page.locator("[data-workspace]").count():
            page.locator("[data-workspace][data-ready]").wait_for(state="attached")
        if page.locator("[data-suggestions]").count():  # the chips, drawn after the page
            page.locator("[data-suggestions][data-ready]").wait_for(state="attached")
        problems += check(page, path)
    # The workspace with a sentence chosen and its panel drawn, as a reviewer works in it.
    page = browser_pages["alice"]
    open_workspace(page, world["article"])
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.locator("[data-panel] .annotation-row").first.wait_for(state="attached")
    sheet = page.get_by_role("button", name="Annotations, note, finish")
    if sheet.is_visible():  # the phone's bottom sheet, opened to show the panel
        sheet.click()
    page.locator("[data-panel] .annotation-row").first.wait_for()
    problems += check(page, "workspace with a sentence chosen")
    page.keyboard.press("?")
    problems += check(page, "workspace shortcut list")
    page.keyboard.press("Escape")
    # The edit form (e), and the source type-ahead with its list open (3, then a name).
    page.keyboard.press("e")
    page.locator("[data-edit-form]").wait_for()
    problems += check(page, "workspace edit form")
    page.keyboard.press("Escape")
    page.locator(".sentence.is-current").focus()
    page.keyboard.press("j")
    page.keyboard.press("3")
    combo = page.locator("[data-composer] [data-source-input]")
    combo.press_sequentially("Brook")
    page.get_by_role("option").first.wait_for()
    problems += check(page, "workspace source type-ahead")
    combo.press("Escape")
    # "Done" with sentences unreviewed asks first, on a page of its own; then signing out.
    page.get_by_role("button", name="Done with this article").click()
    page.get_by_role("button", name="Mark as done anyway").wait_for()
    problems += check(page, "finish confirmation")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    problems += check(page, "signed out")
    assert not problems, "\n\n".join(problems)
