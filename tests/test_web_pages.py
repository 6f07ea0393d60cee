"""Web pages imported as a reader sees them: the article, its metadata, any encoding,
its publisher from the registry, and near-duplicates flagged (issue 14)."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from provenance.domains import publisher_for_page, source_domain_add
from provenance.ingestion import parsers
from provenance.ingestion.parsers import ArticleInput, InputError
from provenance.ingestion.services import article_import
from provenance.models import Article, NearDuplicate, Source, SourceDomain
from provenance.services import source_create

from .webserver import MANIFEST, page_bytes

MAX = 10 * 1024 * 1024

PARAGRAPHS = [
    "The town council approved the budget on Tuesday night after a debate that lasted "
    "almost four hours and drew more residents than any meeting this year.",
    "Most of the new money goes to road repairs, which the council has postponed for three "
    "winters in a row while potholes spread across the northern districts.",
    "Schools receive a smaller increase, enough to replace the roof of the primary school "
    "on Mill Lane but not the heating system that parents have complained about.",
    "Opposition members said the plan relies on a property tax rise that the council has "
    "not yet put to a vote, and that the figures for next year are guesses.",
]


def news_page(*, title="Budget passes after a long night", site="Town Crier",
              canonical="https://www.towncrier.example/news/budget", lang="en-GB",
              extra_head="", paragraphs=PARAGRAPHS) -> bytes:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs[:2])
    rest = "\n".join(f"<p>{p}</p>" for p in paragraphs[2:])
    ld = json.dumps({
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
        "author": {"@type": "Person", "name": "Ann Smith"},
        "datePublished": "2024-05-16T09:30:00Z",
    })
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<meta property="og:site_name" content="{site}">
<link rel="canonical" href="{canonical}">
<script type="application/ld+json">{ld}</script>{extra_head}
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/weather">Weather forecast for the week</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<article>
<h1>{title}</h1>
{body}
<h2>What the money pays for</h2>
<ul><li>Road repairs in the northern districts before the winter.</li>
<li>A new roof for the primary school on Mill Lane.</li></ul>
<blockquote><p>"We did what we could with what we had," the mayor said after the vote.</p>
</blockquote>
<figure><img src="/mayor.jpg" alt=""><figcaption>The mayor speaking at the council meeting
on Tuesday.</figcaption></figure>
{rest}
</article>
<aside><h3>Related stories</h3><ul><li><a href="/a">Parking fees to rise in June</a></li>
<li><a href="/b">Library opens on Sundays</a></li></ul></aside>
<footer><p>Subscribe to our newsletter for the latest local news.</p>
<p>Copyright 2024 Town Crier Media Ltd. All rights reserved.</p></footer>
</body></html>""".encode()


def from_page(data=None, **kwargs):
    return parsers.from_html(data or news_page(**kwargs), "page.html", max_bytes=MAX)


# --- The article -------------------------------------------------------------------------
def test_a_news_page_keeps_its_headline_subheadings_lists_quotes_and_captions():
    text = from_page().text
    assert text.startswith("Budget passes after a long night\n")
    for kept in ("What the money pays for", "A new roof for the primary school",
                 "We did what we could", "The mayor speaking at the council meeting",
                 PARAGRAPHS[0], PARAGRAPHS[3]):
        assert kept in text


def test_a_news_page_loses_its_navigation_cookie_banner_related_links_and_footer():
    text = from_page().text
    for dropped in ("Weather forecast", "We use cookies", "Parking fees to rise",
                    "Subscribe to our newsletter", "All rights reserved"):
        assert dropped not in text


def test_markup_in_the_article_never_reaches_the_body():
    paragraphs = [p + ' <img src=x onerror="alert(1)"><script>alert(2)</script>'
                  for p in PARAGRAPHS]
    text = from_page(paragraphs=paragraphs).text
    assert "alert" not in text and "<" not in text


def test_a_page_without_an_article_is_imported_whole_and_the_message_says_so(tmp_path, db):
    page = tmp_path / "listing.html"
    page.write_text("<html><head><title>Listings</title></head><body><ul>"
                    + "".join(f"<li><a href='/{i}'>Item {i}</a></li>" for i in range(8))
                    + "</ul></body></html>", "utf-8")
    from io import StringIO

    out = StringIO()
    call_command("import_articles", str(page), stdout=out)
    assert "no main text was found on the page" in out.getvalue()
    assert "Item 7" in Article.objects.get().body


# --- Metadata ----------------------------------------------------------------------------
def test_the_title_is_the_headline_not_the_site_name_of_the_title_tag():
    assert from_page().title == "Budget passes after a long night"


def test_author_date_site_name_canonical_url_and_language_come_from_the_page():
    article = from_page()
    assert article.author == "Ann Smith"
    assert str(article.published_on) == "2024-05-16"
    assert article.site_name == "Town Crier"
    assert article.url == "https://www.towncrier.example/news/budget"
    assert article.language == "en"


def test_metadata_json_wins_over_what_the_page_says(tmp_path, db):
    (tmp_path / "page.html").write_bytes(news_page())
    (tmp_path / "metadata.json").write_text(json.dumps({"page.html": {
        "title": "Our title", "author": "Our author", "published_on": "2020-01-02",
        "publisher": "Our publisher", "language": "de",
    }}))
    call_command("import_articles", str(tmp_path), quiet=True)
    article = Article.objects.select_related("publisher").get()
    assert (article.title, article.author, str(article.published_on), article.language) == (
        "Our title", "Our author", "2020-01-02", "de")
    assert article.publisher.name == "Our publisher"


# --- Encodings ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "page_id", sorted(p for p, e in MANIFEST.items() if e["subset"] == "transcoded")
)
def test_a_page_in_a_legacy_encoding_reads_exactly_as_its_utf8_original(page_id):
    original = MANIFEST[page_id]["variant_of"]
    legacy = parsers.from_html(page_bytes(page_id), page_id, max_bytes=MAX)
    utf8 = parsers.from_html(page_bytes(original), original, max_bytes=MAX)
    assert (legacy.title, legacy.text) == (utf8.title, utf8.text)


def test_the_http_charset_decodes_a_page_that_declares_nothing():
    html = news_page().replace(b'<meta charset="utf-8">', b"").decode().replace(
        "council", "conseil municipal à Genève").encode("cp1252")
    article = parsers.from_html(html, "p.html", max_bytes=MAX, http_charset="windows-1252")
    assert "conseil municipal à Genève" in article.text


def test_plain_text_that_is_not_utf8_is_refused_naming_the_encoding_option(tmp_path, db):
    (tmp_path / "a.txt").write_bytes("Caf\u00e9 cr\u00e8me au march\u00e9.\n".encode("cp1252"))
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path / "a.txt"), quiet=True)
    assert not Article.objects.exists()
    with pytest.raises(InputError, match="--encoding"):
        parsers.from_text((tmp_path / "a.txt").read_bytes(), "a.txt", max_bytes=MAX)


def test_plain_text_imports_in_the_encoding_given(tmp_path, db):
    (tmp_path / "a.txt").write_bytes("Caf\u00e9 cr\u00e8me au march\u00e9.\n".encode("cp1252"))
    call_command("import_articles", str(tmp_path / "a.txt"), encoding="cp1252", quiet=True)
    assert Article.objects.get().body.startswith("Café crème au marché.")


def test_an_unknown_encoding_name_is_refused_before_anything_is_read(tmp_path, db):
    (tmp_path / "a.txt").write_text("Text.\n")
    with pytest.raises(CommandError, match="not an encoding"):
        call_command("import_articles", str(tmp_path / "a.txt"), encoding="klingon-8")


# --- Publishers --------------------------------------------------------------------------
def _import_page(**kwargs) -> Article:
    return article_import(data=from_page(**kwargs)).article


def test_a_page_from_a_subdomain_is_published_by_the_source_owning_the_domain(db):
    bbc = source_create(name="BBC", kind="news_outlet")
    source_domain_add(source=bbc, domain="bbc.co.uk")
    article = _import_page(site="BBC News", canonical="https://news.bbc.co.uk/1/hi/world")
    assert article.publisher == bbc


def test_a_page_from_an_unknown_site_gets_a_new_source_to_review_named_after_it(db):
    article = _import_page(site="Town Crier")
    publisher = Source.objects.get(pk=article.publisher_id)
    assert (publisher.name, publisher.needs_review) == ("Town Crier", True)
    assert list(publisher.domains.values_list("domain", flat=True)) == ["towncrier.example"]


def test_the_next_page_from_that_site_finds_the_same_source(db):
    first = _import_page()
    second = _import_page(title="Another story", paragraphs=PARAGRAPHS[::-1] + ["More. " * 5],
                          canonical="https://sport.towncrier.example/x")
    assert second.publisher_id == first.publisher_id
    assert Source.objects.count() == 1


def test_a_page_calling_itself_a_registered_source_does_not_become_that_source(db):
    bbc = source_create(name="BBC", kind="news_outlet")
    source_domain_add(source=bbc, domain="bbc.co.uk")
    article = _import_page(site="BBC", canonical="https://evil.example/fake")
    assert article.publisher != bbc
    assert article.publisher.name == "BBC (evil.example)" and article.publisher.needs_review
    assert list(bbc.domains.values_list("domain", flat=True)) == ["bbc.co.uk"]


def test_a_domain_is_stored_lower_case_without_www_and_has_one_owner(db):
    a = source_create(name="A")
    b = source_create(name="B")
    assert source_domain_add(source=a, domain="https://WWW.Example.COM/path").domain == (
        "example.com")
    with pytest.raises(ValidationError, match="already belongs to “A”"):
        source_domain_add(source=b, domain="example.com")
    assert SourceDomain.objects.count() == 1


def test_a_text_import_with_a_url_creates_no_source(db):
    article = article_import(data=ArticleInput(
        text="Head\nA sentence here. " * 3, origin="a.txt", url="https://nobody.example/a"
    )).article
    assert article.publisher is None
    assert publisher_for_page(url="https://nobody.example/a", create=False) is None


def test_the_workspace_shows_the_pages_publisher_and_that_it_awaits_review(client, alice, db):
    article = _import_page()
    client.force_login(alice)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Town Crier" in page and "awaiting an editor" in page


# --- Duplicates and near-duplicates ------------------------------------------------------
def test_reimporting_the_same_url_adds_nothing(db):
    first = article_import(data=ArticleInput(text="Head\nOne text. " * 5, origin="a",
                                             url="https://x.example/a"))
    again = article_import(data=ArticleInput(text="Head\nAnother text. " * 5, origin="b",
                                             url="https://x.example/a"))
    assert (again.created, again.article.pk, again.same) == (False, first.article.pk, "url")
    assert "already imported as article" in again.describe()


def _story(intro: str, outro: str = "") -> str:
    return "\n\n".join([intro, *PARAGRAPHS, *(p.replace("council", "board")
                                              for p in PARAGRAPHS), outro]) + "\n"


def test_a_syndicated_copy_is_imported_and_flagged_with_its_twin_and_the_share_in_common(db):
    original = article_import(data=ArticleInput(text=_story("Budget passes"), origin="a")).article
    copy = article_import(data=ArticleInput(
        text=_story("Town budget approved (AP)", "Copyright 2024 The Associated Press."),
        origin="b",
    ))
    assert copy.created
    flag = NearDuplicate.objects.get(article=copy.article)
    assert flag.twin == original and 0.85 < flag.shared < 1
    assert f"near-duplicate of article {original.pk}" in copy.describe()


def test_an_unrelated_article_is_not_flagged(db):
    article_import(data=ArticleInput(text=_story("Budget passes"), origin="a"))
    other = " ".join(f"Unrelated sentence number {i} about the weather today." for i in range(40))
    article_import(data=ArticleInput(text=other, origin="b"))
    assert not NearDuplicate.objects.exists()


def test_an_editor_sees_the_twin_linked_in_the_workspace(client, carol, db):
    original = article_import(data=ArticleInput(text=_story("Budget passes"), origin="a")).article
    copy = article_import(data=ArticleInput(text=_story("Copy of it"), origin="b")).article
    client.force_login(carol)
    page = client.get(copy.get_absolute_url()).content.decode()
    assert f'href="{original.get_absolute_url()}"' in page and "Near-duplicate of" in page


def test_the_article_api_names_its_twin_and_the_share_in_common(api, alice, db):
    original = article_import(data=ArticleInput(text=_story("Budget passes"), origin="a")).article
    copy = article_import(data=ArticleInput(text=_story("Copy of it"), origin="b")).article
    body = api.as_user(alice).get(f"/api/articles/{copy.pk}/").json()
    [twin] = body["near_duplicates"]
    assert twin["twin"] == original.pk and twin["twin_title"] == original.title
    assert 0.9 < twin["shared"] <= 1


# --- Domains through the API and merges -------------------------------------------------
def test_an_editor_gives_a_new_source_its_web_domains(api, carol):
    response = api.as_user(carol).post(
        "/api/sources/", {"name": "BBC", "domains": ["bbc.co.uk", "https://www.BBC.com/"]},
        format="json",
    )
    assert response.status_code == 201
    assert sorted(response.json()["domains"]) == ["bbc.co.uk", "bbc.com"]


def test_a_domain_another_source_owns_refuses_the_new_source_whole(api, carol):
    source_domain_add(source=source_create(name="BBC"), domain="bbc.co.uk")
    response = api.as_user(carol).post(
        "/api/sources/", {"name": "Fake BBC", "domains": ["bbc.co.uk"]}, format="json"
    )
    assert response.status_code == 400
    assert "“bbc.co.uk” already belongs to “BBC”" in str(response.json())
    assert not Source.objects.filter(name="Fake BBC").exists()


def test_merging_sources_keeps_the_duplicates_domains(db, carol):
    from review.services import source_merge

    survivor = source_create(name="BBC")
    duplicate = _import_page(site="BBC News", canonical="https://news.bbc.co.uk/x").publisher
    source_merge(survivor=survivor, duplicates=[duplicate], by=carol)
    assert list(survivor.domains.values_list("domain", flat=True)) == ["news.bbc.co.uk"]


def test_an_uploaded_page_without_an_article_says_so_in_the_api_response(api, carol):
    listing = b"<html><body><ul>" + b"".join(
        b"<li><a href='/%d'>Item %d</a></li>" % (i, i) for i in range(8)) + b"</ul></body></html>"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api.as_user(carol).post(
        "/api/articles/", {"file": SimpleUploadedFile("listing.html", listing, "text/html")},
        format="multipart",
    )
    assert response.status_code == 201
    assert "no main text was found on the page" in response.json()["message"]


def test_a_title_with_bidirectional_overrides_still_imports_without_them(db):
    article = _import_page(title="Budget \u202epasses\u202c after a long night")
    assert article.title == "Budget passes after a long night"
