"""Adjudicating the longest seed article (38 content sentences) labelled by two reviewers:
keystrokes and seconds, before (the page as it was: one click and one full reload per
verdict) and after (the keyboard-driven page).

    .venv/bin/python -m bench.adjudication [--out bench/out]

Both pages run on the production server (scripts/serve.sh) over a copy of one SQLite
database, driven by Playwright in Debian's Chromium at 1280×800; the "before" page is
served from the commit before this work (git archive), so it is the page editors had.
The seconds are machine seconds (requests, rendering, reloads), not an editor's reading
time, which is the same on both pages. No test asserts a time; the keyboard flow itself is
tested in tests/browser/test_adjudication_seed_browser.py.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEED = "000_1091d28e9cd68ae2.txt"
BEFORE = "5401db3"  # main before the adjudication work
CUES_HYPE = re.compile(r"!|massive|huge|shocking|game.?chang|blow|destroy|crush|historic", re.I)
CUES_CLAIM = re.compile(r"\d|\bwill\b|experts?|reports?|claim|announc|plan", re.I)


def cues(text: str) -> set[str]:
    """Labels from surface cues, standing in for a reviewer (deterministic, not a model)."""
    labels = set()
    shouted = [w for w in re.findall(r"[A-Za-z]{3,}", text) if w.isupper()]
    if shouted or CUES_HYPE.search(text):
        labels.add("sensational_framing")
    if CUES_CLAIM.search(text):
        labels.add("unverified_claim")
    return labels


def second_opinion(labels: set[str], i: int) -> set[str]:
    """bob departs from alice on every fourth content sentence: drops a label or adds one."""
    if i % 4 != 3:
        return set(labels)
    if labels:
        return set(sorted(labels)[1:])
    return {"unverified_claim"}


def label_article(article, alice, bob) -> dict:
    """alice and bob answer every content sentence; returns the final labels an editor who
    sides with alice would give: {sentence_id: [labels]}."""
    from annotations import services

    truth = {}
    for i, sentence in enumerate(article.sentences.filter(is_boilerplate=False)
                                 .order_by("position")):
        mine = cues(sentence.text)
        for reviewer, labels in ((alice, mine), (bob, second_opinion(mine, i))):
            for label in sorted(labels):
                services.annotation_create(reviewer=reviewer, sentence=sentence, label=label)
            if not labels:
                services.sentence_mark_no_label(reviewer=reviewer, sentence=sentence)
        truth[sentence.pk] = sorted(mine)
    return truth


def keyboard_plan(article, truth) -> list[tuple[str, str | None]]:
    """The keys an editor presses, each with the endpoint whose answer it waits for:
    accept where reviewers agree (Shift+A, Enter), disagreements only (d), then per
    disagreement j and the final labels' keys (0 for no label), and close (Shift+C, Enter).
    """
    from annotations import labels
    from review.adjudication import adjudication

    plan = [("Shift+A", None), ("Enter", "accept-agreed"), ("d", None)]
    for row in adjudication(article).rows:
        if not row.disagree:
            continue
        plan.append(("j", None))
        final = truth[row.sentence.pk]
        keys = [labels.info(label).key for label in final] or ["0"]
        plan += [(key, "decision") for key in keys]
    plan += [("Shift+C", None), ("Enter", "close")]
    return plan


def press(page, plan) -> None:
    """Press the plan's keys, each waiting for the answer it asks for (if any)."""
    for key, waits_for in plan:
        if waits_for == "close":
            with page.expect_navigation():
                page.keyboard.press(key)
        elif waits_for:
            with page.expect_response(lambda r, w=waits_for: f"/{w}/" in r.url):
                page.keyboard.press(key)
        else:
            page.keyboard.press(key)


def setup(database_url: str, out: Path) -> None:
    """Seeds, alice and bob (reviewers), carol (editor), and the two reviewers' labels."""
    import django

    os.environ["DATABASE_URL"] = database_url
    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from provenance.models import Article
    from review.models import Assignment

    call_command("load_seeds")
    article = Article.objects.get(origin__endswith=SEED)
    people = {}
    for name, group in (("alice", "Reviewer"), ("bob", "Reviewer"), ("carol", "Editor")):
        user = User.objects.create_user(name, password=f"{name}-bench", is_staff=group == "Editor")
        user.groups.add(Group.objects.get(name=group))
        people[name] = user
    for name in ("alice", "bob"):
        Assignment.objects.create(article=article, reviewer=people[name], status="done")
    truth = label_article(article, people["alice"], people["bob"])
    plan = keyboard_plan(article, truth)
    from annotations.models import Annotation

    annotations = Annotation.objects.live().filter(sentence__article=article).count()
    out.write_text(json.dumps({"article": article.pk, "plan": plan, "annotations": annotations,
                               "content": len(truth),
                               "truth": {str(k): v for k, v in truth.items()}}))


def _sign_in(page, base):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "carol")
    page.fill("input[name=password]", "carol-bench")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def after(page, base, info) -> dict:
    """The keyboard-driven page: every key of the plan, waiting for each request's answer."""
    page.goto(f"{base}/review/articles/{info['article']}/adjudicate/")
    page.locator("[data-adjudicate][data-ready]").wait_for(state="attached")
    start = time.monotonic()
    press(page, info["plan"])
    page.get_by_text("Article closed as adjudicated.").wait_for()
    return {"keystrokes": len(info["plan"]), "seconds": round(time.monotonic() - start, 2),
            "requests": sum(1 for _, w in info["plan"] if w), "reloads": 1}


def before(page, base, info) -> dict:
    """The page as it was: for each annotation, Accept or Reject (a form post and a full
    reload), then Close. An editor siding with alice accepts what her labels say."""
    url = f"{base}/review/articles/{info['article']}/adjudicate/"
    page.goto(url)
    truth = info["truth"]
    clicks = 0
    start = time.monotonic()
    while True:
        pending = page.locator(".adj-annotation.status-submitted")
        if not pending.count():
            break
        card = pending.first
        form = card.locator("form")
        sentence = card.locator("xpath=ancestor::tr[1]").get_attribute("data-sentence")
        label = next(c.removeprefix("label-") for c in card.get_attribute("class").split()
                     if c.startswith("label-"))
        verdict = "Accept" if label in truth[sentence] else "Reject"
        with page.expect_navigation():
            form.get_by_role("button", name=re.compile(f"^{verdict} ")).click()
        clicks += 1
    with page.expect_navigation():
        page.get_by_role("button", name="Close as adjudicated").click()
    clicks += 1
    return {"clicks": clicks, "seconds": round(time.monotonic() - start, 2),
            "requests": clicks, "reloads": clicks}


def main(argv=None):
    from playwright.sync_api import sync_playwright

    from .browser import ARGS, CHROMIUM
    from .server import ROOT, Server

    parser = argparse.ArgumentParser(prog="python -m bench.adjudication", description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="adjudication-bench-") as tmp:
        tmp = Path(tmp)
        db = tmp / "after.sqlite3"
        env = {**os.environ, "PROVENANCE_IGNORE_DOTENV": "1", "DEBUG": "false",
               "SECRET_KEY": "bench-throwaway-" + "x" * 40, "DATABASE_URL": f"sqlite:///{db}"}
        python = str(ROOT / ".venv" / "bin" / "python")
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([python, "-c", "import sys; from bench.adjudication import setup; "
                        "setup(sys.argv[1], __import__('pathlib').Path(sys.argv[2]))",
                        f"sqlite:///{db}", str(tmp / "info.json")],
                       cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
                       check=True)
        info = json.loads((tmp / "info.json").read_text())
        shutil.copy(db, tmp / "before.sqlite3")
        old = tmp / "before-tree"
        old.mkdir()
        archive = subprocess.run(["git", "archive", BEFORE], cwd=ROOT, capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        (old / ".venv").symlink_to(ROOT / ".venv")
        results = {}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            for name, tree, database, drive in (
                ("after", ROOT, db, after),
                ("before", old, tmp / "before.sqlite3", before),
            ):
                with Server(f"sqlite:///{database}", workers=2, root=tree) as server:
                    page = browser.new_page(viewport={"width": 1280, "height": 800})
                    _sign_in(page, server.url)
                    results[name] = drive(page, server.url, info)
                    page.close()
            browser.close()
    summary = {"article": SEED, "content_sentences": info["content"],
               "annotations": info["annotations"], **results}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "adjudication.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    sys.exit(main())
