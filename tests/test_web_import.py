"""Import by URL: a real HTTP server on 127.0.0.1, the command, the API, the editors' page
and a real task-queue worker process (issue 14)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from provenance.models import Article, UrlImport, UrlImportItem

from .webserver import LocalWeb
from .worker import run_worker

NEWS = "aeb/04a6711caa7c"  # a New York Times opinion piece
LEGACY = "transcoded/ff0f958ade71.cp1251"  # Russian, Windows-1251, no charset declared


@pytest.fixture(scope="module")
def web():
    server = LocalWeb()
    yield server
    server.close()


@pytest.fixture
def local_fetch(settings):
    """The local server is on 127.0.0.1, which only this setting lets the fetch reach."""
    settings.PROVENANCE_FETCH_ALLOW_PRIVATE = True
    settings.PROVENANCE_FETCH_TIMEOUT = 3
    return settings


def import_url(*urls):
    """import_articles --url: (stdout, stderr, the CommandError message or "")."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", url=list(urls), stdout=out, stderr=err)
        failed = ""
    except CommandError as exc:
        failed = str(exc)
    return out.getvalue(), err.getvalue(), failed


# --- The command -------------------------------------------------------------------------
def test_import_articles_url_fetches_the_page_and_imports_its_article(web, local_fetch, db):
    out, _, failed = import_url(web.page(NEWS))
    assert not failed and "imported 1" in out
    article = Article.objects.get()
    assert article.title == "Opinion | Republicans Are Following Trump to Nowhere"
    assert article.url == web.page(NEWS)
    assert "Americans have gone to the polls four times this month" in article.body


def test_a_page_in_an_undeclared_legacy_encoding_is_read_not_refused(web, local_fetch, db):
    import_url(web.page(LEGACY))
    assert "Диета Аткинса" in Article.objects.get().title


def test_the_same_url_twice_adds_nothing_and_says_so(web, local_fetch, db):
    import_url(web.page(NEWS))
    out, _, _ = import_url(web.page(NEWS))
    assert "already imported as article" in out and Article.objects.count() == 1


def test_a_page_behind_redirects_is_imported_under_its_final_url(web, local_fetch, db):
    import_url(web.url(f"/redirect/3/pages/{NEWS}"))
    assert Article.objects.get().url == web.page(NEWS)


@pytest.mark.parametrize(("path", "message"), [
    ("/redirect/6/pages/" + NEWS, "redirects more than 5 times"),
    ("/to-file", "is not an http:// or https:// URL"),
    ("/pages/aeb/no-such-page", "answered 404"),
    ("/image.png", "is not a web page (it is image/png)"),
])
def test_a_bad_page_fails_with_a_message_naming_the_problem(web, local_fetch, db, path, message):
    _, err, failed = import_url(web.url(path))
    assert message in err and "1 article(s) failed" in failed
    assert not Article.objects.exists()


def test_a_host_that_refuses_the_connection_is_reported_unreachable(local_fetch, db):
    _, err, _ = import_url("http://127.0.0.1:9/article")
    assert "cannot be reached: 127.0.0.1 did not accept the connection" in err


def test_a_host_that_does_not_exist_is_reported_unreachable(local_fetch, db):
    _, err, _ = import_url("http://no-such-host.invalid/article")
    assert "the host no-such-host.invalid was not found" in err


def test_a_page_that_does_not_answer_in_time_fails_with_a_timeout(web, local_fetch, db):
    local_fetch.PROVENANCE_FETCH_TIMEOUT = 1
    _, err, _ = import_url(web.url("/slow"))
    assert "did not answer within 1 seconds" in err


def test_a_page_larger_than_the_limit_is_cut_off_and_refused(web, local_fetch, db):
    local_fetch.PROVENANCE_FETCH_MAX_BYTES = 1024 * 1024
    _, err, _ = import_url(web.url("/big"))
    assert "larger than the limit of 1,048,576 bytes" in err


def test_a_page_with_nothing_readable_fails(web, local_fetch, db):
    url = web.add("empty.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
    _, err, _ = import_url(url)
    assert "has nothing readable" in err


def test_one_bad_url_fails_only_itself(web, local_fetch, db):
    out, err, failed = import_url(web.url("/image.png"), web.page(NEWS))
    assert "imported 1, unchanged 0, failed 1" in out + err
    assert Article.objects.count() == 1


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/", "http://localhost/", "http://10.1.2.3/", "http://192.168.0.1/",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://0.0.0.0/",
])
def test_private_loopback_and_link_local_addresses_are_refused(settings, db, url):
    settings.PROVENANCE_FETCH_ALLOW_PRIVATE = False
    _, err, _ = import_url(url)
    assert "points to a private or local address" in err
    assert not Article.objects.exists()


def test_a_url_with_credentials_or_another_scheme_is_refused(settings, db):
    _, err, _ = import_url("https://user:secret@example.org/a", "ftp://example.org/a")
    assert "carries a user name or password" in err
    assert "is not an http:// or https:// URL" in err


# --- The API -----------------------------------------------------------------------------
def test_an_editor_queues_urls_and_gets_a_row_per_url_to_follow(api, carol, web, local_fetch):
    response = api.as_user(carol).post(
        "/api/articles/import-urls/", {"urls": [web.page(NEWS), web.page(LEGACY)]},
        format="json",
    )
    assert response.status_code == 202
    body = response.json()
    assert [(i["url"], i["status"]) for i in body["items"]] == [
        (web.page(NEWS), "queued"), (web.page(LEGACY), "queued")]
    assert body["done"] is False
    assert response["Location"].endswith(f"/api/url-imports/{body['id']}/")
    assert api.get(response["Location"]).json()["id"] == body["id"]


def test_a_bad_url_refuses_the_whole_request_naming_it_and_queues_nothing(api, carol):
    response = api.as_user(carol).post(
        "/api/articles/import-urls/", {"urls": ["https://ok.example/a", "javascript:alert(1)"]},
        format="json",
    )
    assert response.status_code == 400
    assert "javascript:alert(1): is not an http:// or https:// URL" in str(response.json())
    assert not UrlImport.objects.exists()


def test_an_empty_list_of_urls_is_refused(api, carol):
    response = api.as_user(carol).post("/api/articles/import-urls/", {"urls": []},
                                       format="json")
    assert response.status_code == 400 and not UrlImport.objects.exists()


def test_a_reviewer_cannot_import_urls(api, alice):
    response = api.as_user(alice).post("/api/articles/import-urls/",
                                       {"urls": ["https://ok.example/a"]}, format="json")
    assert response.status_code == 403 and not UrlImport.objects.exists()


def test_anonymous_requests_to_import_urls_get_401(api, db):
    response = api.post("/api/articles/import-urls/", {"urls": ["https://ok.example/a"]},
                        format="json")
    assert response.status_code == 401


def test_an_editor_cannot_see_another_editors_url_import(api, carol, root):
    batch = api.as_user(carol).post(
        "/api/articles/import-urls/", {"urls": ["https://ok.example/a"]}, format="json"
    ).json()
    assert api.as_user(root).get(f"/api/url-imports/{batch['id']}/").status_code == 404


# --- The page ----------------------------------------------------------------------------
def test_an_editor_pastes_urls_and_is_taken_to_their_progress(client, carol, web, local_fetch):
    client.force_login(carol)
    pasted = f"{web.page(NEWS)}\n\n{web.page(LEGACY)}\n"
    response = client.post("/review/imports/", {"urls": pasted})
    batch = UrlImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/review/imports/{batch.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "2 URLs: 2 still importing" in page and web.page(NEWS) in page
    assert "review/url_import.js" in page


def test_the_page_says_which_pasted_url_is_bad(client, carol):
    client.force_login(carol)
    response = client.post("/review/imports/", {"urls": "https://ok.example/a\nnot-a-url"})
    assert response.status_code == 400
    assert "not-a-url: is not an http:// or https:// URL" in response.content.decode()
    assert not UrlImport.objects.exists()


def test_a_reviewer_cannot_open_the_import_page(client, alice):
    client.force_login(alice)
    assert client.get("/review/imports/").status_code == 403


def test_another_editor_cannot_open_your_import(client, carol, root):
    from provenance.ingestion.batches import url_import_create

    batch = url_import_create(urls=["https://ok.example/a"], created_by=carol)
    client.force_login(root)
    assert client.get(f"/review/imports/{batch.pk}/").status_code == 404


# --- A real worker process ---------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_imports_a_batch_and_one_bad_url_fails_only_itself(api, web):
    from django.contrib.auth.models import Group

    from provenance.roles import EDITOR_GROUP

    editor = _editor(Group, EDITOR_GROUP)
    response = api.as_user(editor).post("/api/articles/import-urls/", {"urls": [
        web.page(NEWS), web.url("/image.png"), web.page(LEGACY), "http://127.0.0.1:9/x",
    ]}, format="json")
    run_worker()
    body = api.get(response["Location"]).json()
    rows = {item["url"]: item for item in body["items"]}
    assert body["done"] is True
    assert rows[web.page(NEWS)]["status"] == "imported"
    assert rows[web.page(NEWS)]["article_title"].startswith("Opinion | Republicans")
    assert rows[web.page(LEGACY)]["status"] == "imported"
    assert rows[web.url("/image.png")]["message"] == "is not a web page (it is image/png)"
    assert "did not accept the connection" in rows["http://127.0.0.1:9/x"]["message"]
    assert Article.objects.count() == 2
    assert set(Article.objects.values_list("imported_by", flat=True)) == {editor.pk}


@pytest.mark.django_db(transaction=True)
def test_the_import_page_shows_each_urls_result_once_the_worker_ran(client, web):
    from django.contrib.auth.models import Group

    from provenance.roles import EDITOR_GROUP

    client.force_login(_editor(Group, EDITOR_GROUP))
    url = client.post("/review/imports/", {"urls": f"{web.page(NEWS)} {web.page(NEWS)}x"})[
        "Location"]
    run_worker()
    rows = client.get(url + "rows/").content.decode()
    assert "1 failed" in rows and "all done" in rows
    assert "Imported" in rows and "answered 404" in rows
    item = UrlImportItem.objects.get(status="imported")
    assert f'href="{item.article.get_absolute_url()}"' in rows


def _editor(group_model, name):
    """An editor in a transactional test, where an earlier one may have flushed the role
    groups that the migrations made."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from provenance.roles import sync_role_groups

    sync_role_groups(group_model=group_model, permission_model=Permission)
    user = get_user_model().objects.create_user("ed", password="ed-pw", is_staff=True)
    user.groups.add(group_model.objects.get(name=name))
    return user
