"""Concurrent writers on annotations and sentences lose nothing and break no rule.

Each test races real requests, one thread and one database connection each, released
together by a barrier, several rounds over a fresh article. After every round: no request
answered 5xx, every refusal is a 409/412 (or a 400 that says why), every acknowledged write
is still there (or history shows what came after it), and every row keeps the data rules
(`invariant_problems`). A test fails with the share of rounds that went wrong, so a
regression shows its rate, not only its first symptom.

The same file runs on SQLite (whose IMMEDIATE transactions queue writers at BEGIN) and on
PostgreSQL (where row locks are what keeps writers apart).
"""

import os
import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.signals import got_request_exception
from django.db import connection
from rest_framework.test import APIClient

from annotations import boundaries, services
from annotations.models import Annotation
from provenance.models import Article, Sentence, Source
from provenance.roles import sync_role_groups
from provenance.services import source_create

pytestmark = pytest.mark.django_db(transaction=True)

# Eight rounds catch each race this file was written against in nearly every run (on
# PostgreSQL each went wrong in a third to all of the rounds) and keep the file within
# seconds per engine; PROVENANCE_RACE_ROUNDS=50 makes a soak run of it.
ROUNDS = int(os.environ.get("PROVENANCE_RACE_ROUNDS", "8"))
# Each thread waits a random moment up to this long after the barrier, so that rounds try
# different interleavings instead of the one the scheduler happens to favour.
JITTER = 0.004
TEXT = (
    "Headline Words\nThe vote went to the council. Which meets on Monday? Yes it does.\n"
    "Another paragraph here, round {n}."
)
HISTORY_FIELDS = ("sentence_id", "label", "phrase_start", "phrase_end", "quote", "source_id",
                  "note", "status", "deleted_at", "version")


@pytest.fixture(autouse=True)
def roles(db):
    # A transactional test starts from a flushed database, without the groups the data
    # migration made.
    sync_role_groups(group_model=Group, permission_model=Permission)


@pytest.fixture
def dave(roles):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("dave", password="dave-pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def rounds(make_article):
    """A fresh article per round: (article, its sentences in order, body)."""

    def make():
        for n in range(ROUNDS):
            article = make_article(TEXT.format(n=n))
            yield article, list(article.sentences.order_by("position")), article.body

    return make


def phrase(body, text):
    start = body.index(text)
    return start, start + len(text)


# Racing ------------------------------------------------------------------------------------


class Answer:
    """What one racing request got back: a status and JSON, or the exception it raised."""

    def __init__(self, name, response=None, error=None):
        self.name, self.error = name, error
        self.status = response.status_code if response is not None else None
        self.data = None
        if response is not None and response.get("Content-Type", "").startswith(
            "application/json"
        ):
            self.data = response.json()

    @property
    def ok(self):
        return self.status is not None and 200 <= self.status < 300

    def __repr__(self):
        return f"{self.name}: {self.status} {self.error!r}"


def race(**requests):
    """Send each request ({name: Request}) from its own thread with its own connection, all
    released by one barrier; return {name: Answer}."""
    barrier = threading.Barrier(len(requests))
    answers, crashes = {}, {}

    def crashed(sender, request=None, **kwargs):
        # Every test client hears every view's exception (one signal), so racing clients
        # would each claim the other's; note it by thread, to say what a 500 was.
        crashes[threading.get_ident()] = sys.exc_info()[1]

    def run(name, request):
        try:
            client = APIClient(raise_request_exception=False)
            client.force_authenticate(request.user)
            connection.ensure_connection()  # connect before the barrier, not inside the race
            barrier.wait(timeout=20)
            time.sleep(random.uniform(0, JITTER))
            response = getattr(client, request.method)(
                request.url, request.data, format="json", headers=request.headers
            )
            answers[name] = Answer(name, response, crashes.get(threading.get_ident()))
        except Exception as exc:
            answers[name] = Answer(name, error=exc)
        finally:
            # An open connection per thread would keep PostgreSQL's test database busy
            # and make its teardown hang.
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in requests.items()]
    got_request_exception.connect(crashed)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        got_request_exception.disconnect(crashed)
    assert not any(t.is_alive() for t in threads), "a racing request never finished"
    return answers


def refusal_problems(answers):
    """No 5xx, no crash; a refusal is 409/412, or a 400 whose body says why."""
    problems = []
    for answer in answers.values():
        if answer.status is None or answer.status >= 500:
            problems.append(f"{answer.name} answered {answer.status}: {answer.error!r}")
        elif answer.status >= 300 and not (
            answer.status in (409, 412) or (answer.status == 400 and answer.data)
        ):
            problems.append(f"{answer.name} answered {answer.status}: {answer.data}")
    return problems


def recorded_problems(answer):
    """The annotation a 2xx answer described is what history holds for that version."""
    if not answer.ok:
        return []
    data = answer.data
    rows = list(Annotation.history.filter(id=data["id"], version=data["version"]))
    if len(rows) != 1:
        return [f"{answer.name}: {len(rows)} history rows for acknowledged version "
                f"{data['version']}"]
    return [
        f"{answer.name}: history of version {data['version']} has {column}="
        f"{getattr(rows[0], column)!r}, the answer said {data[column]!r}"
        for column in ("phrase_start", "phrase_end", "quote", "label", "note", "status")
        if getattr(rows[0], column) != data[column]
    ]


def acknowledged_annotation_problems(answer):
    """As recorded_problems, and what the reviewer wrote (label, quote, note, deleted or
    not) is what the row still says: joins and splits move annotations, never change them."""
    problems = recorded_problems(answer)
    if not answer.ok or problems:
        return problems
    data = answer.data
    current = Annotation.objects.filter(pk=data["id"]).first()
    if current is None:
        return [f"{answer.name}: annotation {data['id']} is gone"]
    for column in ("quote", "label", "note", "status"):
        if getattr(current, column) != data[column]:
            problems.append(f"{answer.name}: the row now has {column}={getattr(current, column)!r},"
                            f" acknowledged {data[column]!r}")
    if (current.deleted_at is None) != (data["deleted_at"] is None):
        problems.append(f"{answer.name}: acknowledged deleted_at={data['deleted_at']}, "
                        f"the row has {current.deleted_at}")
    return problems


def sentence_problems(answer):
    """Sentences a 2xx join or split answered with exist with those boundaries."""
    if not answer.ok:
        return []
    parts = answer.data if isinstance(answer.data, list) else [answer.data]
    problems = []
    for part in parts:
        row = Sentence.objects.filter(pk=part["id"]).values("start", "end").first()
        if row != {"start": part["start"], "end": part["end"]}:
            problems.append(f"{answer.name}: acknowledged sentence {part} is now {row}")
    return problems


# The data rules -----------------------------------------------------------------------------


def invariant_problems(articles=None):
    """Every rule a row must keep, over `articles` (all of them by default), as a list of
    what is broken.

    Sentences follow one another through the body in position order (0, 1, 2, …) without
    overlapping, each with text == body[start:end].
    Every annotation's quote is the body at its offsets (a whole-sentence annotation's: its
    sentence's text); a live one lies inside its sentence (a deleted one may lie across a
    later split: restoring it is refused). History holds one row per version, versions
    1, 2, 3, … in order, and its last row is the row as it stands.
    """
    articles = Article.objects.filter(pk__in=[a.pk for a in articles]) if articles else (
        Article.objects.all()
    )
    problems = []
    for article in articles:
        body, end = article.body, 0
        rows = list(article.sentences.order_by("position"))
        if [s.position for s in rows] != list(range(len(rows))):
            problems.append(f"article {article.pk}: positions {[s.position for s in rows]}")
        for s in rows:
            if s.text != body[s.start : s.end] or s.start < end:
                problems.append(f"sentence {s.pk} ({s.start}-{s.end}) is not its body slice "
                                "or overlaps the one before")
            end = s.end
    for a in Annotation.objects.filter(sentence__article__in=articles).select_related(
        "sentence__article"
    ):
        s, body = a.sentence, a.sentence.article.body
        whole = a.phrase_start is None
        start, end = (s.start, s.end) if whole else (a.phrase_start, a.phrase_end)
        if a.quote != body[start:end]:
            problems.append(f"annotation {a.pk}: quote {a.quote!r} but the body at "
                            f"{start}-{end} says {body[start:end]!r}")
        if a.deleted_at is None and not (s.start <= start < end <= s.end):
            problems.append(f"annotation {a.pk}: {start}-{end} outside its sentence "
                            f"{s.pk} ({s.start}-{s.end})")
        history = list(a.history.order_by("history_date", "history_id"))
        versions = [h.version for h in history]
        if versions != list(range(1, a.version + 1)):
            problems.append(f"annotation {a.pk} at version {a.version}: history versions "
                            f"{versions}")
        elif any(getattr(history[-1], f) != getattr(a, f) for f in HISTORY_FIELDS):
            problems.append(f"annotation {a.pk}: the last history row is not the row")
    return problems


def assert_invariants():
    problems = invariant_problems()
    assert not problems, "\n".join(problems)


def report(name, failures):
    """Fail with the share of rounds that went wrong and what each one showed."""
    assert not failures, f"{name}: {len(failures)}/{ROUNDS} rounds went wrong:\n" + "\n".join(
        f"  round {n}: {'; '.join(problems)}" for n, problems in failures
    )
    assert_invariants()


def play(name, rounds, scenario, check=None):
    """Each round, `scenario(n, sentences, body)` sets up and returns the requests to race
    ({name: Request}); each answer is checked by its request's `check`, the round by
    `check(answers)` if given, and the article by `invariant_problems`."""
    failures = []
    for n, (article, s, body) in enumerate(rounds()):
        requests = scenario(n, s, body)
        answers = race(**requests)
        problems = refusal_problems(answers) + invariant_problems([article])
        for key, request in requests.items():
            problems += request.check(answers[key])
        if check is not None:
            problems += check(answers)
        if problems:
            failures.append((n, problems))
    report(name, failures)


# The requests, as the workspace and the editors' pages send them ---------------------------


@dataclass
class Request:
    user: object
    method: str
    url: str
    data: dict | None = None
    headers: dict = field(default_factory=dict)
    check: Callable = acknowledged_annotation_problems


def edit(user, a, span):
    return Request(user, "patch", f"/api/annotations/{a.pk}/",
                   {"phrase_start": span[0], "phrase_end": span[1]}, {"If-Match": a.etag})


def delete(user, a):
    return Request(user, "delete", f"/api/annotations/{a.pk}/", None, {"If-Match": a.etag})


def restore(user, a):
    return Request(user, "post", f"/api/annotations/{a.pk}/restore/", {})


def create(user, sentence, **fields):
    return Request(user, "post", "/api/annotations/",
                   {"sentence": sentence.pk, "label": "unverified_claim", **fields})


def join(user, sentence):
    return Request(user, "post", f"/api/review/sentences/{sentence.pk}/join/",
                   {"start": sentence.start, "end": sentence.end}, check=sentence_problems)


def split(user, sentence, at):
    return Request(user, "post", f"/api/review/sentences/{sentence.pk}/split/",
                   {"at": at, "start": sentence.start, "end": sentence.end},
                   check=sentence_problems)


def verdict(user, a, status):
    # The later verdict supersedes the earlier one; the round's check compares the row
    # with the later answer.
    return Request(user, "post", f"/api/review/annotations/{a.pk}/verdict/",
                   {"status": status, "reason": f"{user} says {status}"},
                   check=recorded_problems)


def annotate(reviewer, sentence, span=None, deleted=False):
    a = services.annotation_create(reviewer=reviewer, sentence=sentence,
                                   label="unverified_claim", phrase=span)
    if deleted:
        a = services.annotation_delete(annotation=a, expected_version=1, by=reviewer)
    return a


# Boundaries racing annotation writes -------------------------------------------------------


def test_a_join_racing_an_edit_loses_neither(rounds, alice, carol):
    """A reviewer narrows a whole-sentence annotation on the second sentence to a phrase
    while an editor joins that sentence with the one before it."""

    def scenario(n, s, body):
        a = annotate(alice, s[2])
        return {"edit": edit(alice, a, phrase(body, "Monday")), "join": join(carol, s[1])}

    play("join vs PATCH", rounds, scenario)


def test_a_split_racing_an_edit_loses_neither(rounds, alice, carol):
    """A reviewer moves a phrase within the right part, or across the split point, while an
    editor splits the sentence."""

    def scenario(n, s, body):
        joined = boundaries.sentence_join(sentence=s[1], by=carol)
        a = annotate(alice, joined, phrase(body, "Monday"))
        to = phrase(body, "meets on Monday" if n % 2 else "council. Which")
        return {"edit": edit(alice, a, to), "split": split(carol, joined, body.index("Which"))}

    play("split vs PATCH", rounds, scenario)


def test_a_join_racing_a_delete_loses_neither(rounds, alice, carol):
    def scenario(n, s, body):
        return {"delete": delete(alice, annotate(alice, s[2])), "join": join(carol, s[1])}

    play("join vs DELETE", rounds, scenario)


def test_a_split_racing_a_delete_loses_neither(rounds, alice, carol):
    def scenario(n, s, body):
        joined = boundaries.sentence_join(sentence=s[1], by=carol)
        a = annotate(alice, joined, phrase(body, "Monday"))
        return {"delete": delete(alice, a), "split": split(carol, joined, body.index("Which"))}

    play("split vs DELETE", rounds, scenario)


def test_a_join_racing_a_restore_loses_neither(rounds, alice, carol):
    def scenario(n, s, body):
        a = annotate(alice, s[2], deleted=True)
        return {"restore": restore(alice, a), "join": join(carol, s[1])}

    play("join vs restore", rounds, scenario)


def test_a_split_racing_a_restore_loses_neither(rounds, alice, carol):
    """The deleted phrase lies in the right part (it follows the split either way), or
    across the split point (then whichever of the split and the restore comes second is
    refused)."""

    def scenario(n, s, body):
        joined = boundaries.sentence_join(sentence=s[1], by=carol)
        span = phrase(body, "Monday" if n % 2 else "council. Which")
        a = annotate(alice, joined, span, deleted=True)
        return {"restore": restore(alice, a), "split": split(carol, joined, body.index("Which"))}

    play("split vs restore", rounds, scenario)


def test_a_join_racing_a_create_loses_neither(rounds, alice, carol):
    """A reviewer labels a phrase of the second sentence, or all of it, as an editor joins
    it with the sentence before."""

    def scenario(n, s, body):
        start, end = phrase(body, "Monday")
        fields = {"phrase_start": start, "phrase_end": end} if n % 2 else {}
        return {"create": create(alice, s[2], **fields), "join": join(carol, s[1])}

    play("join vs create", rounds, scenario)


def test_a_split_racing_a_create_loses_neither(rounds, alice, carol):
    def scenario(n, s, body):
        joined = boundaries.sentence_join(sentence=s[1], by=carol)
        start, end = phrase(body, "Monday" if n % 2 else "council")
        return {
            "create": create(alice, joined, phrase_start=start, phrase_end=end),
            "split": split(carol, joined, body.index("Which")),
        }

    play("split vs create", rounds, scenario)


# The registry and the review ----------------------------------------------------------------


def test_a_merge_racing_a_citation_of_the_duplicate_leaves_no_citation_behind(
    rounds, alice, carol
):
    """A reviewer cites a duplicate source while an editor merges it into the survivor:
    the citation ends up on the survivor, or is refused with a 4xx."""
    sources = {}

    def scenario(n, s, body):
        survivor = source_create(name=f"Reuters {n}", kind="wire_agency")
        duplicate = source_create(name=f"Reuters News {n}", kind="wire_agency")
        sources.update(survivor=survivor, duplicate=duplicate)
        merge = Request(carol, "post", f"/api/review/sources/{survivor.pk}/merge/",
                        {"duplicates": [duplicate.pk]}, check=lambda answer: [])
        return {"cite": create(alice, s[1], label="cited_source", source=duplicate.pk),
                "merge": merge}

    def check(answers):
        survivor, duplicate = sources["survivor"], sources["duplicate"]
        problems = []
        if answers["merge"].ok and Source.objects.filter(pk=duplicate.pk).exists():
            problems.append("the merge answered 200 but the duplicate is still there")
        if answers["cite"].ok:
            cited = Annotation.objects.get(pk=answers["cite"].data["id"])
            if answers["merge"].ok and cited.source_id != survivor.pk:
                problems.append(f"the citation points at {cited.source_id}, not the survivor")
        return problems

    play("merge vs citation", rounds, scenario, check)


def test_two_verdicts_at_once_are_both_recorded_in_turn(rounds, alice, carol, dave):
    annotations = []

    def scenario(n, s, body):
        annotations.append(a := annotate(alice, s[1]))
        return {"accept": verdict(carol, a, "accepted"), "reject": verdict(dave, a, "rejected")}

    def check(answers):
        a = Annotation.objects.get(pk=annotations[-1].pk)
        problems = []
        if a.version != 3:
            problems.append(f"version {a.version} after two verdicts, not 3")
        if all(answer.ok for answer in answers.values()):
            last = max(answers.values(), key=lambda answer: answer.data["version"])
            if a.status != last.data["status"]:
                problems.append(f"the row says {a.status}; the later verdict said "
                                f"{last.data['status']}")
        return problems

    play("verdict vs verdict", rounds, scenario, check)


def test_a_close_racing_a_reviewers_edit_never_lets_the_edit_land_after_it(
    rounds, alice, carol
):
    """An editor closes the article while its reviewer edits an annotation: the edit lands
    before the close (and the close then covers it) or is refused as closed; never after."""
    from review import services as review_services

    annotations = []

    def scenario(n, s, body):
        a = annotate(alice, s[1])
        annotations.append(a)
        for sentence in s:
            if not sentence.is_boilerplate:
                review_services.sentence_decide(sentence=sentence, labels=[], by=carol)
        a.refresh_from_db()
        close = Request(carol, "post", f"/api/review/articles/{s[1].article_id}/close/", {},
                        check=lambda answer: [])
        start, end = phrase(body, "council")
        return {"edit": edit(alice, a, (start, end)), "close": close}

    def check(answers):
        a = Annotation.objects.select_related("sentence__article").get(pk=annotations[-1].pk)
        closed_at = a.sentence.article.adjudicated_at
        problems = []
        if not answers["close"].ok or closed_at is None:
            problems.append(f"the close did not go through: {answers['close']}")
        elif answers["edit"].ok:
            edited = a.history.filter(history_change_reason__startswith="edited").first()
            if edited.history_date > closed_at:
                problems.append("the edit was written after the article closed")
        elif answers["edit"].status != 409 or "closed" not in answers["edit"].data["detail"]:
            problems.append(f"the edit was refused otherwise: {answers['edit']}")
        return problems

    play("close vs edit", rounds, scenario, check)


def test_two_closes_at_once_close_the_article_once_and_refuse_the_other(rounds, carol, dave):
    """Two editors (or two tabs) close one article: one closes it, the other is told it
    already is (409), and history records a single close."""
    from review import services as review_services

    articles = []

    def scenario(n, s, body):
        for sentence in s:
            if not sentence.is_boilerplate:
                review_services.sentence_decide(sentence=sentence, labels=[], by=carol)
        articles.append(s[0].article_id)
        url = f"/api/review/articles/{s[0].article_id}/close/"
        return {"carol": Request(carol, "post", url, {}, check=lambda answer: []),
                "dave": Request(dave, "post", url, {}, check=lambda answer: [])}

    def check(answers):
        article = Article.objects.get(pk=articles[-1])
        closes = article.history.filter(history_change_reason="adjudicated").count()
        ok = [a for a in answers.values() if a.ok]
        refused = [a for a in answers.values() if not a.ok]
        problems = [] if closes == 1 else [f"{closes} closes in history"]
        if len(ok) != 1 or article.adjudicated_by.username != ok[0].name:
            problems.append(f"not exactly one close went through: {answers}")
        problems += [f"refused otherwise: {a}" for a in refused
                     if a.status != 409 or "already closed" not in a.data["detail"]]
        return problems

    play("close vs close", rounds, scenario, check)


def test_two_chained_merges_at_once_never_fail_and_lose_no_citation(rounds, alice, carol, dave):
    """A is merged into B while B is merged into C: both go through in turn (A, B, C end
    as C), or the one that still names a source merged away meanwhile is refused with a
    409 that says so; nothing is left citing a source that is gone."""
    cited = []

    def scenario(n, s, body):
        a, b, c = (source_create(name=f"{x} Agency {n}", kind="wire_agency") for x in "ABC")
        cited[:] = [annotate_citation(alice, s[1], a), annotate_citation(alice, s[2], b)]
        merge = "/api/review/sources/{}/merge/"
        return {
            "a_into_b": Request(carol, "post", merge.format(b.pk), {"duplicates": [a.pk]},
                                check=lambda answer: []),
            "b_into_c": Request(dave, "post", merge.format(c.pk), {"duplicates": [b.pk]},
                                check=lambda answer: []),
        }

    def check(answers):
        problems = [f"refused otherwise: {a}" for a in answers.values() if not a.ok
                    and (a.status != 409 or "no longer in the registry" not in a.data["detail"])]
        if not any(a.ok for a in answers.values()):
            problems.append(f"both merges were refused: {answers}")
        for pk in cited:
            source_id = Annotation.objects.get(pk=pk).source_id
            if not Source.objects.filter(pk=source_id).exists():
                problems.append(f"annotation {pk} cites source {source_id}, which is gone")
        return problems

    play("merge vs merge", rounds, scenario, check)


def annotate_citation(reviewer, sentence, source):
    return services.annotation_create(
        sentence=sentence, reviewer=reviewer, label="cited_source", source=source
    ).pk
