"""The workspace's fast sentence renderer (annotations/sentence_html.py) draws exactly what
its reference templates (_sentence.html, _blocks.html) draw, byte for byte."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from annotations import selectors, sentence_html
from annotations.models import Annotation, SentenceReview
from review import services as review_services

TEXT = """Council's <b>SHOCKING</b> bus plan & "more"
Officials say the depot will cost $90 million. According to the Transit Authority, buses run often.
A second paragraph's only sentence, with 'quotes' & <tags>.
Budget and Transport
The mayor called the plan "a disaster".
Like and subscribe for more!
"""


@pytest.fixture
def views(alice, bob, carol, make_article, make_annotation):
    article = make_article(TEXT, title="Fast path")
    content = list(article.sentences.filter(is_boilerplate=False).order_by("position"))
    first, second = content[1], content[2]
    # Whole-sentence labels by one and by several reviewers; overlapping and nested
    # phrases of different labels; a phrase ending where another starts.
    make_annotation(alice, first, "unverified_claim")
    make_annotation(bob, first, "unverified_claim")
    make_annotation(carol, first, "sensational_framing")
    make_annotation(alice, second, "sensational_framing", phrase=(second.start, second.start + 9))
    make_annotation(bob, second, "unverified_claim", phrase=(second.start + 4, second.start + 20))
    make_annotation(carol, second, "unverified_claim", phrase=(second.start + 9, second.end))
    make_annotation(bob, content[0], "sensational_framing", phrase=(content[0].start + 10,
                    content[0].start + 24))
    SentenceReview.objects.create(sentence=content[3], reviewer=alice)
    # An editor's verdicts: a rejected whole-sentence label beside one that stands, a
    # sentence whose only whole-sentence label was rejected, a rejected phrase.
    struck = make_annotation(bob, content[4], "unverified_claim")
    rejected = [a for a in Annotation.objects.filter(sentence__in=[first, second, content[4]])
                if (a.reviewer, a.sentence, a.label) in {(carol, first, "sensational_framing"),
                                                         (alice, second, "sensational_framing"),
                                                         (alice, first, "unverified_claim")}]
    review_services.annotations_verdict(
        annotations=[(a, a.version) for a in [*rejected, struck]], status="rejected", by=carol)
    # An editor sees every reviewer's annotations, also under independent review.
    workspace = selectors.workspace(article, carol)
    views = [view for block in workspace.blocks for view in block.items]
    # Markers as other apps draw them, hostile text included.
    views[1].markers = [
        selectors.SentenceMarker(label="Claim <3>", title='In "group" & more', href="/g/1?a=1&b=2"),
        selectors.SentenceMarker(label="Conflict", title="Sources disagree", href="/g/2",
                                 warning=True),
    ]
    return workspace.blocks


def test_every_kind_of_sentence_is_drawn_as_the_template_draws_it(views):
    drawn = [view for block in views for view in block.items]
    assert {block.kind for block in views} == {"heading", "paragraph", "boilerplate"}
    for view in drawn:
        assert sentence_html.sentence(view) == render_to_string(
            "annotations/_sentence.html", {"sv": view}
        )


def test_the_blocks_are_drawn_as_the_template_draws_them(views):
    fast = sentence_html.blocks(views)
    assert fast == render_to_string("annotations/_blocks.html", {"blocks": views})
    assert "&lt;b&gt;SHOCKING" in fast and "<b>" not in fast
    assert "Boilerplate, not annotated: 1 line</summary>" in fast
    assert 'is-rejected" title="Rejected by an editor"' in fast
    assert "reviewers, rejected)" not in fast and ", rejected)" in fast
    assert 'class="sentence hl hl-unverified_claim is-rejected' in fast


def test_no_blocks_draw_nothing_as_the_template_does():
    assert sentence_html.blocks([]) == render_to_string("annotations/_blocks.html",
                                                        {"blocks": []})


def test_the_workspace_page_holds_the_templates_blocks_where_the_include_was(client, carol,
                                                                              views):
    article = views[0].items[0].sentence.article
    client.force_login(carol)
    page = client.get(reverse("annotations:article-review", args=[article.pk])).content.decode()
    drawn = selectors.workspace(article, carol).blocks  # without the fixture's markers
    reference = render_to_string("annotations/_blocks.html", {"blocks": drawn})
    assert "</kbd> lists every key.</p>\n      " + reference + "\n    </section>" in page
