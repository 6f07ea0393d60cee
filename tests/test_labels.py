"""Label knowledge lives in annotations/labels.py; every page, stylesheet and script reads it.

The tests change one label's initial, key, colours and definition in that module alone and
look for the change on each surface: nothing may keep a copy of its own.
"""

import dataclasses
import json
import re

import pytest
from django.urls import reverse

from annotations import labels
from annotations.labels import Label
from provenance.services import source_create

TEXT = "Council Bus Headline\nOfficials say the depot will cost $90 million. Buses run often.\n"


@pytest.fixture
def relabelled(monkeypatch):
    """Unverified claim, as if labels.py said: initial Q, key 7, other colours and words."""
    changed = tuple(
        dataclasses.replace(
            item, initial="Q", key="7", colour="#123456", tint="#fedcba",
            definition="A made-up definition, written only in labels.py.",
        )
        if item.label == Label.UNVERIFIED_CLAIM
        else item
        for item in labels.LABELS
    )
    monkeypatch.setattr(labels, "LABELS", changed)
    return labels.info(Label.UNVERIFIED_CLAIM)


@pytest.fixture
def article(make_article):
    return make_article(TEXT, title="Council bus plan")


@pytest.fixture
def claim(alice, article, make_annotation):
    """Alice's whole-sentence unverified claim on the second sentence."""
    return make_annotation(alice, article.sentences.get(position=1), Label.UNVERIFIED_CLAIM)


def _luminance(hex_colour):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a, b):
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("item", labels.LABELS, ids=lambda item: item.value)
def test_every_labels_colours_are_readable_at_wcag_aa(item):
    assert _contrast("#ffffff", item.colour) >= 4.5  # the initial, white on the tag
    assert _contrast("#1d1d1f", item.tint) >= 4.5  # body text on the highlight


def test_every_label_has_its_knowledge_in_codebook_order():
    assert [item.value for item in labels.LABELS] == Label.values
    assert len({item.key for item in labels.LABELS}) == len(Label)
    assert len({item.initial for item in labels.LABELS}) == len(Label)


def test_a_colour_that_is_not_plain_hex_is_refused_before_it_reaches_the_stylesheet():
    with pytest.raises(ValueError, match="#rrggbb"):
        dataclasses.replace(labels.LABELS[0], colour="red; } body { display: none")


def test_the_workspace_legend_buttons_and_shortcuts_follow_labels_py(
    client, alice, article, relabelled
):
    client.force_login(alice)
    page = client.get(reverse("annotations:article-review", args=[article.pk])).content.decode()
    assert "A made-up definition, written only in labels.py." in page
    assert 'data-label="unverified_claim" aria-keyshortcuts="7"' in page
    assert "<kbd>7</kbd></th><td>Unverified claim; press again to remove it</td>" in page
    assert '<span class="tag tag-unverified_claim" aria-hidden="true">Q</span>' in page


def test_the_workspace_script_reads_keys_and_names_from_labels_py(
    client, alice, article, relabelled
):
    client.force_login(alice)
    page = client.get(reverse("annotations:article-review", args=[article.pk])).content.decode()
    data = re.search(r'<script id="label-data" type="application/json">(.*?)</script>', page)
    assert {"value": "unverified_claim", "name": "Unverified claim", "key": "7",
            "needsSource": False} in json.loads(data.group(1))


def test_highlights_and_panel_rows_show_the_initial_from_labels_py(
    client, alice, article, claim, relabelled
):
    client.force_login(alice)
    page = client.get(reverse("annotations:article-review", args=[article.pk])).content.decode()
    assert re.search(r'class="tag tag-unverified_claim"[^>]*><span aria-hidden="true">Q</span>',
                     page)
    panel = client.get(reverse("annotations:sentence", args=[claim.sentence_id])).json()["panel"]
    assert '<span class="tag tag-unverified_claim" aria-hidden="true">Q</span>' in panel


def test_the_guide_defines_each_label_and_its_key_from_labels_py(client, alice, relabelled):
    client.force_login(alice)
    page = client.get(reverse("annotations:guide")).content.decode()
    heading = '<h2 id="unverified_claim"><span class="tag tag-unverified_claim" aria-hidden="true">'
    assert heading + "Q" in page
    assert "A made-up definition, written only in labels.py." in page
    assert "<kbd>7</kbd> Unverified claim" in page
    assert "Whose statistics?" in page  # the label's examples, from its guide partial


def test_the_adjudication_page_shows_the_initial_from_labels_py(
    client, carol, article, claim, relabelled
):
    client.force_login(carol)
    page = client.get(reverse("review:adjudicate", args=[article.pk])).content.decode()
    assert '<span class="tag tag-unverified_claim" aria-hidden="true">Q</span>' in page


def test_the_source_page_shows_the_label_mix_with_initials_from_labels_py(
    client, alice, bob, carol, claim, make_annotation, relabelled
):
    source = source_create(name="Transit Authority", kind="government_body")
    make_annotation(bob, claim.sentence, Label.CITED_SOURCE, source=source)
    client.force_login(carol)  # who sees both reviewers' labels (test_independent_review.py)
    page = client.get(reverse("review:source-detail", args=[source.slug])).content.decode()
    assert '<span class="tag tag-unverified_claim" aria-hidden="true">Q</span> Unverified' in page


def test_label_colours_come_from_labels_py_through_labels_css(client, relabelled):
    css = client.get(reverse("annotations:label-styles")).content.decode()
    assert ".tag-unverified_claim { background: #123456; }" in css
    assert ".hl-unverified_claim { background: #fedcba; }" in css
    assert ".label-unverified_claim { --label-colour: #123456;" in css


def test_text_under_several_labels_gets_a_stripe_of_each_labels_tint(client):
    css = client.get(reverse("annotations:label-styles")).content.decode()
    assert (
        ".hl-sensational_framing.hl-unverified_claim.hl-cited_source { background: "
        "linear-gradient(#ffdcd6 0% 33.33%, #ffeaa8 33.33% 66.67%, #d6e6ff 66.67% 100%); }"
    ) in css
    assert css.count("linear-gradient") == 4  # three pairs and the triple


def test_every_page_links_labels_css_at_an_address_that_changes_with_its_colours(
    client, alice, monkeypatch
):
    client.force_login(alice)
    before = re.search(r'href="(/labels\.css\?v=\w+)"', client.get("/").content.decode())
    cached = client.get(before.group(1))
    assert cached["Content-Type"] == "text/css; charset=utf-8"
    assert "immutable" in cached["Cache-Control"]
    changed = (dataclasses.replace(labels.LABELS[0], colour="#000000"), *labels.LABELS[1:])
    monkeypatch.setattr(labels, "LABELS", changed)
    after = re.search(r'href="(/labels\.css\?v=\w+)"', client.get("/").content.decode())
    assert after.group(1) != before.group(1)
    assert client.get(before.group(1))["Cache-Control"] == "no-cache"  # an old address


def test_the_workspace_has_no_inline_script_but_its_json_data(client, alice, article):
    client.force_login(alice)
    page = client.get(reverse("annotations:article-review", args=[article.pk])).content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline == [' id="label-data" type="application/json"']
