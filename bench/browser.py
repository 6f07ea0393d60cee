"""Key press to saved highlight in headless Chromium (Debian's /usr/bin/chromium).

The reviewer moves to a sentence with `j`, presses `2` (Unverified claim), and the clock
stops when the sentence's fresh HTML (the script fetches it only after a 201) is in the
page and painted. Both timestamps are taken inside the page (performance.now), so
Playwright's own round trips are not counted.
"""

import shutil

from .figures import NOT_BUILT
from .stage import percentiles

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

_ARM = """(id) => {
  const body = document.querySelector("[data-body]");
  const old = body.querySelector(`[data-sentence="${id}"]`);
  let pressed = null;
  window.addEventListener("keydown", (e) => { if (e.key === "2") pressed = performance.now(); },
                          { capture: true, once: true });
  window.__benchDone = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      const now = body.querySelector(`[data-sentence="${id}"]`);
      // The script swaps in the sentence's fresh HTML only after the server saved it.
      if (now && now !== old) {
        observer.disconnect();
        requestAnimationFrame(() => resolve(performance.now() - pressed));
      }
    });
    observer.observe(body, { childList: true, subtree: true });
  });
}"""


def key_to_highlight(base: str, manifest: dict, article_id: int, *, n: int) -> dict:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"status": "n/a (playwright not installed)"}
    if not shutil.which(CHROMIUM):
        return {"status": "n/a (no /usr/bin/chromium; scripts/install.sh --test installs it)"}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=username]", "bench-browser")
            page.fill("input[name=password]", manifest["password"])
            page.click("button[type=submit], input[type=submit]")
            page.wait_for_load_state()
            response = page.goto(f"{base}/articles/{article_id}/review/")
            if response is None or response.status == 404:
                return NOT_BUILT
            if response.status != 200:
                return {"status": f"error: HTTP {response.status}"}
            load_ms = page.evaluate(
                "() => { const t = performance.getEntriesByType('navigation')[0];"
                " return t.loadEventEnd - t.startTime; }"
            )
            if not page.query_selector("[data-workspace]"):
                return NOT_BUILT
            times, errors = [], 0
            for i in range(n + 2):
                page.keyboard.press("j")
                page.wait_for_timeout(250)  # let the panel refresh that "j" schedules pass
                sentence = page.evaluate(
                    "() => document.querySelector('[data-body] .is-current')?.dataset.sentence"
                )
                page.evaluate(_ARM, sentence)
                page.keyboard.press("2")
                ms = page.evaluate(
                    "() => Promise.race([window.__benchDone,"
                    " new Promise((r) => setTimeout(() => r(null), 10000))])"
                )
                if ms is None:  # no highlight within 10 s
                    errors += 1
                    continue
                if i >= 2:
                    times.append(ms)
            return {**percentiles(times), "errors": errors, "page_load_ms": round(load_ms)}
        finally:
            browser.close()
