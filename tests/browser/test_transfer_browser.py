"""The editors' upload and export pages in a real Chromium: files up with their verdicts,
an export down, and axe-core's WCAG 2.1 AA rules at desktop and phone sizes."""

import csv
import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from annotations import services
from provenance.models import Article, Source

from .conftest import DESKTOP, PHONE, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

STORY = b"Port Visit\nThe minister visited the port on Monday. Officials said trade grew.\n"
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def file(name, data, mime="text/plain"):
    return {"name": name, "mimeType": mime, "buffer": data}


def assert_accessible(page):
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_an_editor_uploads_two_files_and_reads_each_files_verdict(page, carol):
    sign_in(page, carol, next_path="/review/uploads/")
    page.get_by_label("Files to import").set_input_files([
        file("port.txt", STORY),
        file("latin1.txt", "Caf\xe9 prices rose.".encode("latin-1")),
    ])
    expect(page.get_by_text("2 files chosen: port.txt, latin1.txt")).to_be_visible()
    page.get_by_role("button", name="Upload and import").click()
    status = page.get_by_role("status").filter(has_text="2 files:")
    expect(status).to_have_text("2 files: 1 imported, 0 with nothing new, 1 refused.")
    article = Article.objects.get()
    good = page.locator('[data-upload-outcome="imported"]')
    expect(good).to_contain_text(f"Imported as article {article.pk}: ")
    expect(good.get_by_role("link", name="Port Visit")).to_have_attribute(
        "href", f"/articles/{article.pk}/review/")
    bad = page.locator('[data-upload-outcome="refused"]')
    expect(bad).to_contain_text("Refused: latin1.txt: ")
    expect(bad).to_contain_text("UTF-8")
    assert page.errors == []


def test_each_file_shows_its_own_progress_until_its_verdict_arrives(page, carol):
    sign_in(page, carol, next_path="/review/uploads/")
    held = []

    def hold_the_first_upload(route):
        # Its answer waits, to see the page while it does.
        if route.request.method == "POST" and not held:
            held.append(route)
        else:
            route.continue_()

    page.route("**/review/uploads/", hold_the_first_upload)
    page.get_by_label("Files to import").set_input_files([
        file("port.txt", STORY), file("second.txt", b"Second\nAnother story. More words.\n")])
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_role("status")).to_have_text("Uploading 1 of 2: port.txt")
    expect(page.get_by_role("progressbar", name="Upload of port.txt")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Upload of second.txt")).to_be_visible()
    expect(page.get_by_role("button", name="Upload and import")).to_be_disabled()
    held[0].continue_()
    expect(page.get_by_role("status")).to_have_text(
        "2 files: 2 imported, 0 with nothing new, 0 refused.")
    expect(page.get_by_role("progressbar")).to_have_count(0)


def test_a_file_dropped_on_the_zone_is_uploaded(page, carol):
    sign_in(page, carol, next_path="/review/uploads/")
    transfer = page.evaluate_handle("""() => {
        const data = new DataTransfer();
        data.items.add(new File(["Dropped Story\\nIt rained all week. Roads closed."],
                                "dropped.md", {type: "text/markdown"}));
        return data;
    }""")
    page.locator("[data-dropzone]").dispatch_event("drop", {"dataTransfer": transfer})
    expect(page.get_by_text("1 file chosen: dropped.md")).to_be_visible()
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator('[data-upload-outcome="imported"]')).to_contain_text("Imported as article")
    assert Article.objects.get().origin == "dropped.md"


@pytest.fixture
def cited(alice, make_article):
    article = make_article("Trade Story\nA ministry spokesman said exports rose. Few agree.\n")
    source = Source.objects.create(name="Wire Agency", slug="wire-agency")
    sentences = article.sentences.order_by("position")
    services.annotation_create(reviewer=alice, sentence=sentences[1], label="cited_source",
                               source=source)
    services.annotation_create(reviewer=alice, sentence=sentences[2], label="unverified_claim")
    return article


def test_an_editor_downloads_an_export_of_the_chosen_label_as_csv(page, carol, cited):
    sign_in(page, carol, next_path="/review/export/")
    page.get_by_label("CSV: one row per annotation").check()
    page.get_by_label("Cited source", exact=True).check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download export").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(io.StringIO(f.read())))
    assert [(r["label"], r["source_name"]) for r in rows] == [("cited_source", "Wire Agency")]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280x800", "390x844"])
def test_the_upload_and_export_pages_pass_axe_wcag_21_aa(page, carol, cited, viewport):
    sign_in(page, carol, next_path="/review/uploads/")
    assert_accessible(page)
    page.get_by_label("Files to import").set_input_files([
        file("port.txt", STORY), file("scan.pdf", b"%PDF", "application/pdf")])
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_role("status").filter(has_text="2 files:")).to_be_visible()
    assert_accessible(page)
    # Nothing wider than the screen: a phone scrolls down, never sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    page.goto("/review/export/")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.goto("/review/export/?format=csv&created_after=soon")
    expect(page.get_by_role("alert")).to_contain_text("The export was not started")
    assert_accessible(page)
