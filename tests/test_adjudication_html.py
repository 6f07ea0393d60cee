"""The adjudication page's fast row renderer (review/adjudication_html.py) draws exactly
what its reference template (_adj_row.html, with _final_labels.html) draws, byte for byte."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from annotations import labels, services
from provenance.services import source_create
from review import adjudication_html
from review import services as review_services
from review.adjudication import adjudication

TEXT = """Headline & <words>
Experts say trade will "double". Reuters reported the <b>deal</b>. Calm line. Another 'one'.
Fifth sentence is here. Sixth sentence is here. Seventh sentence is here.
"""


@pytest.fixture
def rows(make_article, alice, bob, carol, assign):
    """Rows of every kind: disagreeing, agreeing, "no label" by all, not reviewed by one,
    decided by the editor (with a note), settled by the verdicts (accepted and rejected,
    with reasons), phrases, a cited source and notes with markup."""
    article = make_article(TEXT)
    s = list(article.sentences.filter(is_boilerplate=False).order_by("position"))
    assign(alice, article)
    assign(bob, article)
    reuters = source_create(name="Reuters & <Co>", kind="wire_agency")
    create = services.annotation_create
    create(reviewer=alice, sentence=s[1], label="unverified_claim", note="<b>vague</b> 'experts'")
    create(reviewer=bob, sentence=s[1], label="sensational_framing",
           phrase=(s[1].start, s[1].start + 7))
    a = create(reviewer=alice, sentence=s[2], label="cited_source", source=reuters)
    b = create(reviewer=bob, sentence=s[2], label="cited_source", source=reuters)
    for who in (alice, bob):
        services.sentence_mark_no_label(reviewer=who, sentence=s[3])
    services.sentence_mark_no_label(reviewer=alice, sentence=s[4])
    c = create(reviewer=alice, sentence=s[5], label="unverified_claim")
    d = create(reviewer=bob, sentence=s[5], label="sensational_framing")
    create(reviewer=alice, sentence=s[6], label="unverified_claim")
    create(reviewer=bob, sentence=s[6], label="unverified_claim")
    review_services.annotations_verdict(annotations=[(a, a.version), (b, b.version)],
                                        status="accepted", by=carol, reason='fine "yes" <ok>')
    review_services.annotations_verdict(annotations=[(c, c.version)], status="accepted",
                                        by=carol)
    review_services.annotations_verdict(annotations=[(d, d.version)], status="rejected",
                                        by=carol, reason="not hype")
    review_services.sentence_decide(sentence=s[1], labels=["unverified_claim"], by=carol,
                                    note="<i>settled</i> & done")
    review_services.sentence_decide(sentence=s[3], labels=[], by=carol)
    return adjudication(article).rows


def test_every_kind_of_row_is_drawn_as_the_template_draws_it(rows):
    for row in rows:
        expected = render_to_string("review/_adj_row.html", {"row": row, "labels": labels.LABELS})
        assert adjudication_html.row(row) == expected


def test_the_page_loop_is_drawn_as_the_template_draws_it(rows):
    drawn = adjudication_html.rows(rows)
    assert drawn == "".join(
        render_to_string("review/_adj_row.html", {"row": row, "labels": labels.LABELS})
        for row in rows
    )
    assert "Reuters &amp; &lt;Co&gt;" in drawn and "<b>" not in drawn
    for kind in ("is-decided", "is-disagreement", "adj-agreed", "adj-basis", "status-rejected",
                 "status-accepted", "Not reviewed", ">No label<", "adj-quote", "from the verdicts",
                 "set by carol"):
        assert kind in drawn, kind


def test_the_page_holds_the_templates_rows_where_the_loop_was(client, carol, rows):
    article = rows[0].sentence.article
    client.force_login(carol)
    page = client.get(reverse("review:adjudicate", args=[article.pk])).content.decode()
    reference = "".join(
        render_to_string("review/_adj_row.html", {"row": row, "labels": labels.LABELS})
        for row in rows
    )
    assert '<ol class="adj-rows" data-rows>\n      ' + reference + "\n    </ol>" in page
