"""Round trip: a JSONL export loaded into a database with the same articles."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from annotations.models import Annotation, SentenceReview
from provenance.models import Source
from tests.test_api_claims import corpus_fixture  # noqa: F401 - provides "corpus"


def export_jsonl(**filters) -> str:
    out = io.StringIO()
    call_command("export_annotations", stdout=out, **filters)
    return out.getvalue()


def comparable(jsonl: str) -> list[dict]:
    """Rows without database ids, which differ between databases."""
    drop = {"annotation_id", "article_id", "sentence_id"}
    rows = [{k: v for k, v in json.loads(line).items() if k not in drop}
            for line in jsonl.splitlines()]
    return sorted(rows, key=lambda r: (r["sentence_start"], r["reviewer"], r["label"],
                                       r["source_name"] or ""))


def empty_of_annotations():
    """Leave only the articles: what a fresh database holds after importing the corpus."""
    Annotation.history.all().delete()
    Annotation.objects.all().delete()
    Source.objects.filter(published_articles__isnull=True).delete()
    get_user_model().objects.filter(username__in=["alice", "bob"]).delete()


def restore_into_empty(tmp_path, exported: str) -> str:
    """Empty the database of annotations, import `exported`; what the command printed."""
    empty_of_annotations()
    out = io.StringIO()
    call_command("import_annotations", str(write(tmp_path, exported)), stdout=out)
    return out.getvalue()


def write(tmp_path, text, name="export.jsonl"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_export_restores_every_annotation_exactly_with_reviewers_and_sources(
    corpus, tmp_path
):
    exported = export_jsonl()
    said = restore_into_empty(tmp_path, exported)
    assert "imported 6 annotation(s); 0 already present" in said
    # Everything but the rating of a source the restore had to create (see the next test).
    assert comparable(export_jsonl()) == comparable(
        exported.replace('"source_reliability": "high"', '"source_reliability": "unrated"')
    )
    alice = get_user_model().objects.get(username="alice")
    assert not alice.has_usable_password() and alice.groups.filter(name="Reviewer").exists()
    assert Source.objects.get(name="Dana Ruiz").kind == "official_person"


def test_a_restored_rating_without_its_rationale_comes_back_unrated_and_is_reported(
    corpus, tmp_path
):
    said = restore_into_empty(tmp_path, export_jsonl())
    assert "Harbour Gazette (unrated: the file rates it high without a rationale)" in said
    gazette = Source.objects.get(name="Harbour Gazette")
    assert (gazette.reliability, gazette.reliability_set_by) == ("unrated", None)


def test_importing_the_same_export_twice_adds_nothing(corpus, tmp_path):
    path = write(tmp_path, export_jsonl())
    out = io.StringIO()
    call_command("import_annotations", str(path), stdout=out)
    assert "imported 0 annotation(s); 6 already present" in out.getvalue()
    assert Annotation.objects.live().count() == 6


def test_a_bad_row_is_reported_by_line_and_nothing_is_written(corpus, tmp_path):
    lines = export_jsonl().splitlines()
    empty_of_annotations()
    bad = json.loads(lines[2])
    bad["quote"] = "not what the sentence says"
    lines[2] = json.dumps(bad)
    lines[4] = "{not json"
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 bad row"):
        call_command("import_annotations", str(write(tmp_path, "\n".join(lines))), stderr=err)
    assert "line 3: The quote does not match" in err.getvalue()
    assert "line 5: is not valid JSON" in err.getvalue()
    assert Annotation.objects.count() == 0
    assert not get_user_model().objects.filter(username__in=["alice", "bob"]).exists()
    assert not Source.objects.filter(name="Dana Ruiz").exists()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"article_content_sha256": "0" * 64}, "no article with content hash"),
        ({"sentence_start": 1, "sentence_end": 2}, "has no sentence at 1–2"),
        ({"label": "clickbait"}, "Unknown label"),
        ({"status": "maybe"}, "unknown status"),
        ({"created_at": "yesterday"}, "not an ISO 8601 timestamp"),
        ({"reviewer": ""}, '"reviewer" must be a non-empty string'),
    ],
)
def test_each_kind_of_bad_row_gets_a_reason(corpus, tmp_path, change, reason):
    row = json.loads(export_jsonl().splitlines()[0])
    row.update(change)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_annotations", str(write(tmp_path, json.dumps(row))), stderr=err)
    assert "line 1: " in err.getvalue() and reason in err.getvalue()


def test_a_row_repeated_in_the_file_is_refused(corpus, tmp_path):
    first = export_jsonl().splitlines()[0]
    empty_of_annotations()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_annotations", str(write(tmp_path, f"{first}\n{first}\n")),
                     stderr=err)
    assert "line 2: repeats the annotation on line 1" in err.getvalue()
    assert Annotation.objects.count() == 0


IMPORT = "/api/import/annotations"


def test_each_restored_annotation_has_one_created_row_in_its_history_by_the_importer(
    api, carol, corpus
):
    exported = export_jsonl()
    Annotation.history.all().delete()
    Annotation.objects.all().delete()
    response = api.as_user(carol).post(
        "/api/import/annotations", exported, content_type="application/x-ndjson"
    )
    assert response.status_code == 200, response.content
    restored = list(Annotation.objects.all())
    assert len(restored) == 6
    dates = set()
    for annotation in restored:
        (row,) = Annotation.history.filter(id=annotation.pk)
        assert row.history_type == "+"
        assert row.history_change_reason == f"restored from the body of POST {IMPORT}"
        assert row.history_user == carol
        fields = [f.attname for f in Annotation._meta.concrete_fields]
        assert [getattr(row, f) for f in fields] == [getattr(annotation, f) for f in fields]
        dates.add(row.history_date)
    assert len(dates) == 1  # one import, one moment


def test_a_bad_last_row_leaves_nothing_written_when_every_reviewer_and_source_is_known(
    corpus, tmp_path
):
    """Rows are written while later ones are still being checked; the last must undo them."""
    lines = export_jsonl().splitlines()
    Annotation.objects.all().delete()
    history = Annotation.history.count()
    bad = json.loads(lines[-1])
    bad["quote"] = "not what the sentence says"
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 bad row"):
        path = write(tmp_path, "\n".join([*lines, json.dumps(bad)]))
        call_command("import_annotations", str(path), stderr=err)
    assert f"line {len(lines) + 1}: The quote does not match" in err.getvalue()
    assert Annotation.objects.count() == 0 and Annotation.history.count() == history


def test_a_twin_written_since_the_check_fails_the_whole_batch(corpus):
    """The database has the last word on duplicates (a concurrent writer may add a twin
    after the importer looked): nothing of the batch is written."""
    from annotations.services import annotation_bulk_create

    twin, fresh = corpus["b_other"], corpus["s2"]
    rows = [
        {"sentence_id": s.pk, "reviewer_id": twin.reviewer_id, "label": twin.label, "quote": s.text}
        for s in (fresh, twin.sentence)
    ]
    before = (Annotation.objects.count(), Annotation.history.count())
    with pytest.raises(ValidationError, match="already exist"):
        annotation_bulk_create(rows=rows)
    assert (Annotation.objects.count(), Annotation.history.count()) == before


def test_an_imported_label_replaces_the_reviewers_no_label_mark(corpus, tmp_path):
    exported = export_jsonl(reviewer="bob", label=["unverified_claim"])
    sentence = corpus["s1"]
    Annotation.objects.filter(reviewer__username="bob", label="unverified_claim").delete()
    SentenceReview.objects.create(sentence=sentence, reviewer=corpus["b_uc"].reviewer)
    call_command("import_annotations", str(write(tmp_path, exported)), stdout=io.StringIO())
    assert not SentenceReview.objects.filter(sentence=sentence).exists()


def test_the_api_import_is_for_editors_and_reports_counts(api, alice, carol, corpus):
    exported = export_jsonl()
    Annotation.objects.filter(reviewer__username="bob").delete()
    response = api.as_user(alice).post(
        "/api/import/annotations", exported, content_type="application/x-ndjson"
    )
    assert response.status_code == 403
    assert Annotation.objects.count() == 4  # alice's 3 live + 1 deleted
    response = api.as_user(carol).post(
        "/api/import/annotations", exported, content_type="application/x-ndjson"
    )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 3 and response.json()["skipped"] == 3


def test_the_api_import_takes_an_uploaded_file_and_lists_bad_lines(api, carol, corpus):
    upload = io.BytesIO(b'{"label": "x"}\n')
    upload.name = "export.jsonl"
    response = api.as_user(carol).post(
        "/api/import/annotations", {"file": upload}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] == 1
    assert "nothing imported" in response.json()["detail"]


def _export_of(seeded, tmp_path, reviewers):
    """An export of `reviewers` × content sentences × two labels, then an empty table."""
    sentences = [s for a in seeded for s in a.sentences.filter(is_boilerplate=False)]
    users = [get_user_model().objects.create_user(f"r{reviewers}-{i}") for i in range(reviewers)]
    Annotation.objects.bulk_create(
        Annotation(sentence=s, reviewer=u, label=label, quote=s.text)
        for u in users for s in sentences
        for label in ("unverified_claim", "sensational_framing")
    )
    path = write(tmp_path, export_jsonl(), name=f"export-{reviewers}.jsonl")
    count = Annotation.objects.count()
    Annotation.objects.all().delete()
    return path, count


def test_a_large_export_is_restored_in_queries_that_do_not_grow_with_its_size(
    seeded, tmp_path
):
    """Speed is the benchmark's to measure (bench: import_annotations); what a test can
    hold is that rows are written in bulk, not with a query each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for reviewers in (2, 12):
        path, rows = _export_of(seeded, tmp_path, reviewers)
        with CaptureQueriesContext(connection) as queries:
            call_command("import_annotations", str(path), stdout=io.StringIO())
        assert Annotation.objects.count() == rows
        counts.append(len(queries.captured_queries))
        Annotation.objects.all().delete()
    assert counts[0] == counts[1], counts


def test_rows_on_a_closed_article_are_refused_by_name_and_nothing_is_written(corpus, tmp_path):
    """Closing means closed for a restore too, even an editor's: reopen first."""
    from django.utils import timezone

    crypto = corpus["crypto"]
    path = write(tmp_path, export_jsonl())
    # Twins already live are skipped, not refused: restoring the same file twice is fine.
    crypto.__class__.objects.filter(pk=crypto.pk).update(adjudicated_at=timezone.now())
    out = io.StringIO()
    call_command("import_annotations", str(path), stdout=out)
    assert "imported 0 annotation(s); 6 already present" in out.getvalue()
    on_crypto = Annotation.objects.filter(sentence__article=crypto)
    on_crypto.filter(reviewer__username="bob").delete()
    before = (Annotation.objects.count(), Annotation.history.count())
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_annotations", str(path), stderr=err)
    assert f"article {crypto.pk} {crypto.title[:20]!r}"[:-1] in err.getvalue()
    assert "is closed for adjudication; an editor must reopen it" in err.getvalue()
    assert (Annotation.objects.count(), Annotation.history.count()) == before
