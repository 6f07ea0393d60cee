"""The admin's source and article pages, driven as an editor drives them: the change form
is read from the rendered page, edited and posted back, and the rows afterwards (history
included) are what the registry and corpus services write."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from provenance.models import Article, Sentence, Source, SourceAlias
from provenance.services import source_create
from tests.test_registry import registry_rows


class _FormFields(HTMLParser):
    """The values a browser would submit from the page's change form."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea, self._in_form = {}, None, None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form or a.get("disabled") is not None:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
            else:
                self.data[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def change_form(client, url) -> dict:
    """GET the admin page at `url` and return its form's fields, as a browser would post
    them unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    parser = _FormFields()
    parser.feed(response.content.decode())
    # A textarea's first newline belongs to the markup, not to the value.
    return {k: v.removeprefix("\n") for k, v in parser.data.items()}


@pytest.fixture
def gazette(db):
    return source_create(name="Harbour Gazette", kind="news_outlet", aliases=["The Gazette"])


@pytest.fixture
def editor(client, carol):
    client.force_login(carol)
    return client


def source_url(source):
    return reverse("admin:provenance_source_change", args=[source.pk])


def test_editing_a_source_in_the_admin_writes_one_history_row_naming_the_editor(
    editor, carol, gazette
):
    form = change_form(editor, source_url(gazette))
    form.update(name="Harbour Gazette Online", country="Ireland", reliability="high",
                reliability_note="Corrects errors openly; names its sources.")
    before = Source.history.filter(id=gazette.pk).count()
    response = editor.post(source_url(gazette), form)
    assert response.status_code == 302, response.content.decode()
    assert Source.history.filter(id=gazette.pk).count() == before + 1
    row = Source.history.filter(id=gazette.pk).latest("history_date")
    assert row.history_user == carol
    assert row.history_change_reason == "edited name, country; reliability: high"
    assert (row.name, row.reliability, row.reliability_set_by) == (
        "Harbour Gazette Online", "high", carol
    )


def test_a_rating_changed_in_the_admin_records_who_set_it_and_when(editor, carol, gazette):
    form = change_form(editor, source_url(gazette))
    form.update(reliability="mixed", reliability_note="Syndicates wire copy unchecked.")
    editor.post(source_url(gazette), form)
    gazette.refresh_from_db()
    assert gazette.reliability_set_by == carol and gazette.reliability_set_at is not None


def test_an_unchanged_source_form_saved_in_the_admin_writes_no_history(editor, gazette):
    before = registry_rows()
    response = editor.post(source_url(gazette), change_form(editor, source_url(gazette)))
    assert response.status_code == 302
    assert registry_rows() == before


def test_aliases_added_and_removed_in_the_admin_keep_their_own_history(
    editor, carol, gazette
):
    form = change_form(editor, source_url(gazette))
    form["aliases-0-DELETE"] = "on"  # "The Gazette"
    form["aliases-1-alias"] = "HG"
    response = editor.post(source_url(gazette), form)
    assert response.status_code == 302, response.content.decode()
    assert list(gazette.aliases.values_list("alias", flat=True)) == ["HG"]
    changes = SourceAlias.history.order_by("history_date").values_list(
        "alias", "history_type", "history_user__username", "history_change_reason"
    )
    assert list(changes)[-2:] == [
        ("The Gazette", "-", "carol", "alias removed"), ("HG", "+", "carol", "alias added")
    ]


def test_an_alias_given_twice_in_the_admin_add_form_is_refused_and_nothing_is_written(
    editor
):
    form = change_form(editor, reverse("admin:provenance_source_add"))
    form.update({"name": "Brookhaven Transit Authority", "slug": "bta", "kind": "government_body",
                 "aliases-0-alias": "BTA", "aliases-TOTAL_FORMS": "2",
                 "aliases-1-alias": "bta ", "aliases-1-source": ""})
    before = registry_rows()
    response = editor.post(reverse("admin:provenance_source_add"), form)
    assert response.status_code == 200
    assert "“bta” is given twice." in response.content.decode()
    assert registry_rows() == before


def test_an_alias_equal_to_another_sources_name_is_refused_in_the_admin(editor, gazette):
    other = source_create(name="Brookhaven Transit Authority", kind="government_body")
    form = change_form(editor, source_url(other))
    form.update({"country": "Ireland", "aliases-0-alias": "harbour  gazette"})
    before = registry_rows()
    response = editor.post(source_url(other), form)
    assert response.status_code == 200
    assert (
        "“harbour gazette” is already in the registry, as the name of “Harbour Gazette”."
        in response.content.decode()
    )
    assert registry_rows() == before  # the country was not saved either


def test_an_alias_held_by_another_source_is_refused_in_the_admin_add_form(editor, gazette):
    form = change_form(editor, reverse("admin:provenance_source_add"))
    form.update({"name": "Gazette Weekly", "slug": "gazette-weekly", "kind": "news_outlet",
                 "aliases-0-alias": "the gazette"})
    before = registry_rows()
    response = editor.post(reverse("admin:provenance_source_add"), form)
    assert response.status_code == 200
    assert "already in the registry, as an alias of “Harbour Gazette”" in (
        response.content.decode()
    )
    assert registry_rows() == before


def test_a_source_added_in_the_admin_names_the_editor_as_creator(editor, carol):
    form = change_form(editor, reverse("admin:provenance_source_add"))
    form.update({"name": "Gazette Weekly", "slug": "gazette-weekly", "kind": "news_outlet",
                 "aliases-0-alias": "GW"})
    response = editor.post(reverse("admin:provenance_source_add"), form)
    assert response.status_code == 302, response.content.decode()
    source = Source.objects.get(name="Gazette Weekly")
    assert source.created_by == carol
    assert list(source.aliases.values_list("alias", flat=True)) == ["GW"]
    assert [(h.history_type, h.history_user) for h in source.history.all()] == [("+", carol)]


# Articles ----------------------------------------------------------------------------------


def article_url(article):
    return reverse("admin:provenance_article_change", args=[article.pk])


def test_editing_an_article_in_the_admin_writes_one_history_row_naming_the_editor(
    editor, carol, gazette, make_article
):
    article = make_article(title="Bus plan")
    sentences = list(Sentence.objects.filter(article=article).values_list("start", "end", "text"))
    form = change_form(editor, article_url(article))
    form.update(title="Council approves bus plan", author="Sam Reed", publisher=gazette.pk,
                url="https://example.org/bus")
    before = article.history.count()
    response = editor.post(article_url(article), form)
    assert response.status_code == 302, response.content.decode()
    assert article.history.count() == before + 1
    row = article.history.latest("history_date")
    assert row.history_user == carol
    assert row.history_change_reason == "edited title, publisher, url, author"
    assert (row.title, row.publisher_id) == ("Council approves bus plan", gazette.pk)
    unchanged = Sentence.objects.filter(article=article).values_list("start", "end", "text")
    assert list(unchanged) == sentences


def test_a_body_posted_to_the_admin_article_form_is_ignored(editor, make_article):
    article = make_article()
    form = change_form(editor, article_url(article))
    form.update(title="New title", body="Something else entirely.")
    editor.post(article_url(article), form)
    article.refresh_from_db()
    assert article.title == "New title"
    assert article.body.startswith("Headline Here\nThe first sentence.")


def test_a_bad_url_in_the_admin_article_form_is_refused_and_nothing_is_written(
    editor, make_article
):
    article = make_article()
    form = change_form(editor, article_url(article))
    form.update(title="New title", url="not a url")
    before = article.history.count()
    response = editor.post(article_url(article), form)
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    article.refresh_from_db()
    assert (article.title, article.history.count()) == ("Article 1", before)


def test_an_unchanged_article_form_saved_in_the_admin_writes_no_history(editor, make_article):
    article = make_article()
    before = Article.history.count()
    response = editor.post(article_url(article), change_form(editor, article_url(article)))
    assert response.status_code == 302
    assert Article.history.count() == before


def test_reverting_a_source_from_its_history_page_writes_one_history_row_naming_the_editor(
    editor, carol, gazette
):
    first = gazette.history.earliest("history_date")
    form = change_form(editor, source_url(gazette))
    editor.post(source_url(gazette), {**form, "name": "Gazette of the Harbour"})
    url = reverse("admin:provenance_source_simple_history", args=[gazette.pk, first.history_id])
    before = gazette.history.count()
    response = editor.post(url, change_form(editor, url))
    assert response.status_code == 302, response.content.decode()
    gazette.refresh_from_db()
    assert gazette.name == "Harbour Gazette"
    assert gazette.history.count() == before + 1
    row = gazette.history.latest("history_date")
    assert (row.history_user, row.history_change_reason) == (carol, "edited name")
