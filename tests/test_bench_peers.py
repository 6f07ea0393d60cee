"""The side-by-side harness's own parts, with no peer installed (it never runs here).

python -m bench.peers downloads Label Studio and doccano, so no test runs it. What can be
checked without them: the workload follows the rules every tool's import needs, and it
is a valid restore for Provenance, and the table reads its ratios the right way round.
"""

import random

import pytest
from django.core.management import call_command

from annotations.models import Annotation
from bench.peers import cli, workload
from bench.peers.provenance import annotation_lines, articles_jsonl
from exports.restore import import_jsonl

SENTENCES = [
    (0, 60, "The council said on Monday that the new bridge will open in May."),
    (61, 90, "Critics called it a disaster."),
    (91, 120, "Nobody has seen the figures."),
]


def test_spans_lie_in_their_sentences_and_never_repeat_a_reviewers_label():
    spans = workload.plan_spans(SENTENCES, random.Random(1), count=20, sources=["Wire"])

    assert len(spans) == 20
    assert len({(s.sentence_start, s.reviewer, s.label) for s in spans}) == 20
    for s in spans:
        assert s.sentence_start <= s.start < s.end <= s.sentence_end
        assert (s.source == "Wire") == (s.label == "cited_source")
    again = workload.plan_spans(SENTENCES, random.Random(1), count=20, sources=["Wire"])
    assert again == spans


def test_an_article_too_short_for_its_spans_gets_what_fits():
    spans = workload.plan_spans(SENTENCES[:1], random.Random(2), count=20, sources=["Wire"])

    # One sentence holds three reviewers times three labels.
    assert len(spans) == 9


@pytest.mark.django_db
def test_the_workload_restores_into_provenance_span_for_span(tmp_path, carol):
    plan = workload.build(45, "test")
    path = tmp_path / "articles.jsonl"
    path.write_text(articles_jsonl(plan))

    call_command("import_articles", str(path), quiet=True)
    report = import_jsonl(annotation_lines(plan), by=carol)

    assert plan["annotations"] == 45 and len(plan["articles"]) == 3
    assert report.created == 45
    assert sorted(report.reviewers_created) == list(workload.REVIEWERS)
    first = workload.spans(plan["articles"][0])[0]
    stored = Annotation.objects.filter(
        sentence__article__content_sha256=plan["articles"][0]["sha256"],
        sentence__start=first.sentence_start, reviewer__username=first.reviewer,
        label=first.label,
    ).get()
    assert (stored.phrase_start or stored.sentence.start) == first.start
    assert (stored.phrase_end or stored.sentence.end) == first.end


def test_the_table_gives_each_peer_as_a_multiple_of_provenance():
    def fig(name, page, export=None):
        return {"tool": name, "page": {"p95_ms": page}, "save": {"p95_ms": 10.0},
                "export": {"seconds": export, "peak_mb": 80.0},
                "import": {"seconds": 30.0, "cpu_s": 20.0}}

    results = {"tools": {"provenance": fig("Provenance", 20.0, 2.0),
                         "label-studio": fig("Label Studio", 1000.0, 16.0),
                         "doccano": fig("doccano", 500.0)}}

    table = cli.table(results)

    page = next(line for line in table.splitlines() if line.startswith("| page of 100"))
    assert "20.0 ms |" in page and "1,000.0 ms (×50.0)" in page and "500.0 ms (×25.0)" in page
    export = next(line for line in table.splitlines() if line.startswith("| full export"))
    assert export.endswith("| n/a |")
