"""Every page shows the site's icon, and browsers asking for /favicon.ico get it too."""

import re

import pytest

pytestmark = pytest.mark.django_db


def icon_href(page):
    links = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert len(links) == 1, page
    return links[0]


def fetch(client, url):
    response = client.get(url, follow=True)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_the_sign_in_page_links_an_icon_that_is_served(client):
    response, _ = fetch(client, "/accounts/login/")
    icon, body = fetch(client, icon_href(response.text))
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    assert body.startswith(b"<svg") and b"<script" not in body


def test_favicon_ico_leads_to_the_same_icon(client):
    page, _ = fetch(client, "/accounts/login/")
    response, body = fetch(client, "/favicon.ico")
    assert response.redirect_chain == [(icon_href(page.text), 302)]
    assert response.status_code == 200 and body.startswith(b"<svg")


def test_the_admin_pages_show_the_icon_too(client, carol):
    sign_in = client.get("/admin/login/")
    client.force_login(carol)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert icon_href(sign_in.text) == icon_href(index.text)
    assert icon_href(index.text).endswith(".svg")


def test_a_workspace_page_shows_the_icon(client, alice, make_article, assign):
    article = make_article()
    assign(alice, article)
    client.force_login(alice)
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert icon_href(page.text).endswith(".svg")
