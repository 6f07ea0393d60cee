"""Playwright fixtures: one Chromium for these tests, a fresh page per test against live_server.

Debian's Chromium is used (`playwright install` cannot download browsers here). Tests run
in the main thread with the sync API; tests/conftest.py sets DJANGO_ALLOW_ASYNC_UNSAFE so
the ORM may be used next to Playwright's event loop.
"""

import contextlib
import re
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # Without these Chromium keeps trying to reach outside hosts.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item so fixtures can see whether it failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """Chromium for the tests in this folder, stopped after the last of them."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def viewport():
    """Override in a test module (or parametrize) for another screen size."""
    return DESKTOP


@pytest.fixture
def new_page(browser, live_server, request, viewport):
    """Open pages in their own browser contexts (separate cookies: separate users).

    Each page records JavaScript errors and dialogs; a failing test leaves a screenshot of
    every page in test-artifacts/.
    """
    from django.db import connections

    contexts = []

    def make(size=None):
        context = browser.new_context(viewport=size or viewport, base_url=live_server.url)
        # Generous: a loaded 2-core machine can take seconds for a first page; a real
        # failure only waits longer, it never passes.
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.errors = []
        page.dialogs = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))

        def on_dialog(dialog):
            page.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        contexts.append((context, page))
        return page

    yield make

    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::")[-1])
        for i, (_, page) in enumerate(contexts):
            # A failed screenshot (page already closed) must not hide the test's failure.
            with contextlib.suppress(Exception):
                page.screenshot(path=str(ARTIFACTS / f"{name}-{i}.png"), full_page=True)
    for context, _ in contexts:
        context.close()
    # The live server thread and this thread each hold a connection; an open one keeps
    # PostgreSQL from dropping the test database at the end of the session.
    connections.close_all()


@pytest.fixture
def page(new_page):
    return new_page()


def sign_in(page, user, password=None, next_path="/"):
    """Sign in through the real login form, as a person would."""
    page.goto(next_path)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password or f"{user.username}-pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def open_workspace(page, article):
    page.goto(article.get_absolute_url())
    page.locator("[data-workspace][data-ready]").wait_for(state="attached")
    return page


@pytest.fixture
def signed_in(page, alice):
    return sign_in(page, alice)
