"""The editors' upload page (/review/uploads/): several files at once, each imported by its
own service with that service's message, a bad file refused alone and writing nothing."""

import html
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from annotations import services
from annotations.models import Annotation
from provenance import roles
from provenance.models import Article
from tests.hostile import database_fingerprint

URL = "/review/uploads/"
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}
STORY = ("Minister Visits Port\n"
         "The minister visited the port on Monday. Officials said trade grew.\n")
OTHER = "# Floods Recede\n\nWater levels fell overnight. Residents returned home.\n"
PAGE = (b"<!doctype html><html><head><title>Rail Link Opens</title></head><body><article>"
        b"<h1>Rail Link Opens</h1><p>The new rail link opened on Friday after six years of "
        b"work. Passengers praised the quieter trains.</p><p>The operator said more services "
        b"would follow in the spring.</p></article></body></html>")


def upload(name, data):
    return SimpleUploadedFile(name, data if isinstance(data, bytes) else data.encode())


def post(client, *files, **extra):
    return client.post(URL, {"files": list(files)}, **extra)


def page_text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def editor(client, carol):
    client.force_login(carol)
    return client


def test_an_editor_uploads_several_articles_at_once_and_reads_each_ones_message(editor):
    response = post(editor, upload("port.txt", STORY), upload("floods.md", OTHER),
                    upload("rail.html", PAGE))
    assert response.status_code == 200
    text = page_text(response)
    assert "3 files: 3 imported, 0 with nothing new, 0 refused." in text
    for article in Article.objects.all():
        assert f"Imported as article {article.pk}: " in text
        assert article.imported_by.username == "carol"
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "# Floods Recede", "Minister Visits Port", "Rail Link Opens"]
    port = Article.objects.get(origin="port.txt")
    assert f"{port.sentences.count()} sentences (" in text


def test_a_bad_file_is_refused_alone_and_the_others_still_import(editor):
    response = post(editor, upload("port.txt", STORY), upload("scan.pdf", b"%PDF-1.4"),
                    upload("latin1.txt", "Caf\xe9 owners said prices rose.".encode("latin-1")),
                    upload("floods.md", OTHER))
    assert response.status_code == 400
    text = page_text(response)
    assert "4 files: 2 imported, 0 with nothing new, 2 refused." in text
    assert "scan.pdf: has an unsupported type .pdf; use .txt, .md, .html or .jsonl" in text
    assert "latin1.txt: " in text and "UTF-8" in text
    assert set(Article.objects.values_list("origin", flat=True)) == {"port.txt", "floods.md"}


def test_each_file_sent_alone_by_the_pages_script_gets_its_own_fragment_and_status(editor):
    response = post(editor, upload("port.txt", STORY), **FETCH)
    assert response.status_code == 201
    text = page_text(response)
    assert text.lstrip().startswith('<li class="upload-result upload-imported"')
    assert "<html" not in text
    article = Article.objects.get()
    assert f'href="/articles/{article.pk}/review/"' in text

    again = post(editor, upload("copy.txt", STORY), **FETCH)
    assert again.status_code == 200
    assert (f"Not imported again: already imported as article {article.pk} (the same text)"
            in page_text(again))
    assert Article.objects.count() == 1


def test_a_web_page_without_an_article_says_its_whole_page_was_kept(editor):
    bare = (b"<html><body><div>Prices rose again in March, the office said. Shops "
            b"reported fewer customers.</div></body></html>")
    response = post(editor, upload("bare.html", bare), **FETCH)
    assert response.status_code == 201
    article = Article.objects.get()
    assert article.sentences.exists()
    assert ("no main text was found on the page, so its whole text was imported with "
            "boilerplate flagged") in page_text(response)


def test_an_article_over_the_size_limit_is_refused_with_413_and_writes_nothing(editor, settings):
    settings.PROVENANCE_MAX_IMPORT_BYTES = 100
    before = database_fingerprint()
    response = post(editor, upload("long.txt", STORY * 5), **FETCH)
    assert response.status_code == 413
    assert "long.txt: is 445 bytes, larger than the limit of 100 bytes" in page_text(response)
    assert database_fingerprint() == before


def test_an_annotation_export_over_its_limit_is_refused_with_413(editor, settings):
    settings.PROVENANCE_MAX_ANNOTATION_IMPORT_BYTES = 10
    response = post(editor, upload("backup.jsonl", '{"label": "unverified_claim"}\n'), **FETCH)
    assert response.status_code == 413
    assert "larger than the limit of 10 bytes" in page_text(response)


HOSTILE = {
    "invalid-utf8.txt": b"\xff\xfe\xfa bad bytes \xc3\x28",
    "empty.txt": b"",
    "blank.md": b"   \n\n  ",
    "nul.txt": b"A sentence.\x00\x00\x00 Another.",
    "nul.html": b"<html><body><p>Text\x00here</p></body></html>",
    "empty.html": b"",
    "markup-only.html": b"<html><head><script>x()</script></head><body></body></html>",
    "program.exe": b"MZ\x90\x00\x03",
    "noextension": b"Plain words.",
    "garbage.jsonl": b"\x00\x01\x02\xff",
    "deep.jsonl": b"[" * 100_000 + b"]" * 100_000,
    "not-json.jsonl": b"this is not json\n",
    "wrong-row.jsonl": b'{"label": "unverified_claim", "reviewer": "x"}\n',
    "bad-article-line.jsonl": b'{"text": "Fine text here."}\n{"text": 5}\n',
    "../../etc/passwd.txt": b"root:x:0:0\n",
    "nul-in-name\x00.txt": b"Words.",
}
SANITISED_NAMES = {"../../etc/passwd.txt": "passwd.txt", "nul-in-name\x00.txt": "nul-in-name.txt"}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_is_refused_with_a_message_and_writes_nothing(editor, name):
    before = database_fingerprint()
    response = post(editor, upload(name, HOSTILE[name]), **FETCH)
    if name in SANITISED_NAMES:
        # The multipart parser keeps only a clean base name; the text itself is fine.
        assert response.status_code == 201
        assert Article.objects.get().origin == SANITISED_NAMES[name]
        return
    assert 400 <= response.status_code < 500
    text = page_text(response)
    assert 'data-upload-outcome="refused"' in text
    assert "Refused: " in text
    assert database_fingerprint() == before


def test_a_huge_file_among_good_ones_is_refused_without_a_500(editor, settings):
    settings.PROVENANCE_MAX_IMPORT_BYTES = 1000
    huge = upload("huge.html", b"<p>" + b"word " * 50_000 + b"</p>")
    response = post(editor, huge, upload("port.txt", STORY))
    assert response.status_code == 400
    text = page_text(response)
    assert "huge.html: is 250,007 bytes, larger than the limit of 1,000 bytes" in text
    assert list(Article.objects.values_list("origin", flat=True)) == ["port.txt"]


def test_a_request_over_the_upload_limit_is_refused_before_importing(editor, settings):
    settings.PROVENANCE_MAX_ANNOTATION_IMPORT_BYTES = 100
    response = post(editor, upload("port.txt", STORY * 2000), **FETCH)
    assert response.status_code == 413
    assert "the upload is larger than the limit" in page_text(response)
    assert not Article.objects.exists()


def test_metadata_json_uploaded_with_the_files_gives_titles_and_publishers(editor):
    metadata = {"port.txt": {"title": "Port visit", "publisher": "Harbour Times",
                             "published_on": "2024-05-16"}}
    response = post(editor, upload("metadata.json", json.dumps(metadata)),
                    upload("port.txt", STORY), upload("floods.md", OTHER))
    assert response.status_code == 200
    assert "2 files: 2 imported" in page_text(response)
    port = Article.objects.get(origin="port.txt")
    assert (port.title, port.publisher.name, str(port.published_on)) == (
        "Port visit", "Harbour Times", "2024-05-16")
    assert Article.objects.get(origin="floods.md").publisher is None


def test_the_script_sends_metadata_json_beside_each_file(editor):
    metadata = {"port.txt": {"title": "Port visit"}}
    response = editor.post(URL, {"files": [upload("port.txt", STORY)],
                                 "metadata": upload("metadata.json", json.dumps(metadata))},
                           **FETCH)
    assert response.status_code == 201
    assert Article.objects.get().title == "Port visit"


@pytest.mark.parametrize("metadata, reason", [
    (b"{not json", "is not valid JSON"),
    (b'["port.txt"]', "must map file names to objects"),
    (b'{"port.txt": "Port visit"}', "the entry for 'port.txt' must be an object"),
    (b'{"port.txt": {"published_on": "last Monday"}}', "is not a date like 2024-05-16"),
    (b'{"port.txt": {"title": "Port\\u0000visit"}}', "The article contains NUL characters"),
    (b'[' * 50_000 + b']' * 50_000, "is nested too deeply to be metadata"),
    (b'\xff\xfe{}', "is not valid JSON"),
])
def test_bad_metadata_refuses_the_files_it_describes_and_writes_nothing(editor, metadata, reason):
    before = database_fingerprint()
    response = post(editor, upload("metadata.json", metadata), upload("port.txt", STORY))
    assert response.status_code == 400
    assert reason in page_text(response)
    assert database_fingerprint() == before


def test_a_jsonl_of_articles_imports_every_line(editor):
    lines = [{"title": "One", "text": "First story text. It has two sentences."},
             {"title": "Two", "html": "<p>Second story.</p><p>More words here.</p>"}]
    body = "\n".join(json.dumps(line) for line in lines)
    response = post(editor, upload("batch.jsonl", body), **FETCH)
    assert response.status_code == 201
    text = page_text(response)
    assert "Imported 2 of 2 article(s)" in text
    assert "line 1: imported as article" in text
    assert sorted(Article.objects.values_list("title", flat=True)) == ["One", "Two"]


def test_a_jsonl_of_articles_with_one_bad_line_imports_none(editor):
    body = ('{"text": "A good story. Fine."}\n{"text": "Another good story."}\n'
            '{"title": "no text"}\n')
    response = post(editor, upload("batch.jsonl", body), **FETCH)
    assert response.status_code == 400
    assert 'batch.jsonl, line 3: has no "text" or "html"' in page_text(response)
    assert not Article.objects.exists()


@pytest.fixture
def exported(alice, make_article, client):
    """A JSONL export of alice's annotation, then the annotation deleted: a backup to restore."""
    article = make_article()
    sentence = article.sentences.get(position=1)
    annotation = services.annotation_create(reviewer=alice, sentence=sentence,
                                            label="unverified_claim", note="check this")
    out = io.StringIO()
    call_command("export_annotations", stdout=out)
    services.annotation_delete(annotation=annotation, expected_version=None, by=alice)
    return out.getvalue()


def test_an_annotation_export_is_restored_with_the_restores_report(editor, exported):
    response = post(editor, upload("backup.jsonl", exported), **FETCH)
    assert response.status_code == 201
    assert "Restored 1 annotation(s) of 1 row(s); 0 already present" in page_text(response)
    restored = Annotation.objects.live().get()
    assert (restored.reviewer.username, restored.note) == ("alice", "check this")

    again = post(editor, upload("backup.jsonl", exported), **FETCH)
    assert again.status_code == 200
    assert "Restored 0 annotation(s) of 1 row(s); 1 already present" in page_text(again)


def test_an_annotation_export_with_a_bad_row_is_refused_naming_the_line(editor, exported):
    row = json.loads(exported)
    bad = json.dumps(row) + "\n" + json.dumps({**row, "label": "gossip"}) + "\n"
    before = database_fingerprint()
    response = post(editor, upload("backup.jsonl", bad), **FETCH)
    assert response.status_code == 400
    text = page_text(response)
    assert "backup.jsonl: 1 bad row(s), nothing imported" in text
    assert "line 2: " in text
    assert database_fingerprint() == before


def test_an_empty_upload_is_refused_asking_for_a_file(editor):
    response = editor.post(URL, {})
    assert response.status_code == 400
    assert "Choose at least one file to upload." in page_text(response)


def _reader(db):
    """A user of the Reader role, where the role exists (issue 13's other half adds it)."""
    name = getattr(roles, "READER_GROUP", None)
    if name is None:
        return None
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("rita", password="rita-pw")
    group = Group.objects.filter(name=name).first()
    if group is None:
        return None
    user.groups.add(group)
    return user


@pytest.mark.parametrize("who, get_status", [
    ("anonymous", 302), ("alice", 403), ("reader", 403), ("carol", 200), ("root", 200),
])
def test_only_editors_may_open_and_use_the_upload_page(client, people, who, get_status):
    user = _reader(None) if who == "reader" else people[who]
    if who == "reader" and user is None:
        pytest.skip("no Reader role in this version")
    if user is not None:
        client.force_login(user)
    response = client.get(URL)
    assert response.status_code == get_status
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/?next=/review/uploads/")
    posted = post(client, upload("port.txt", STORY), **FETCH)
    assert posted.status_code == (201 if get_status == 200 else get_status)
    assert Article.objects.exists() == (get_status == 200)


def test_a_post_without_the_csrf_token_is_refused(carol):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    response = post(client, upload("port.txt", STORY))
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_the_editors_queue_and_the_url_import_page_link_to_the_upload_page(editor):
    assert 'href="/review/uploads/"' in page_text(editor.get("/"))
    assert 'href="/review/uploads/"' in page_text(editor.get("/review/imports/"))


def test_a_reviewer_sees_no_link_to_the_upload_page(client, alice):
    client.force_login(alice)
    assert 'href="/review/uploads/"' not in page_text(client.get("/"))


def test_more_files_than_one_request_may_carry_get_a_400_not_a_500(editor, settings):
    files = [upload(f"f{i}.txt", f"Story {i}\nWords number {i}.\n") for i in range(6)]
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 5
    response = post(editor, *files)
    assert response.status_code == 400
    assert not Article.objects.exists()


def test_a_malformed_content_length_is_not_a_500(editor):
    response = post(editor, upload("port.txt", STORY), CONTENT_LENGTH="lots", **FETCH)
    assert response.status_code < 500
