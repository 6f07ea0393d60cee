"""Importing articles: offsets, segmentation repairs, boilerplate, idempotency, bad input."""

import json

import pytest
from django.core.management import CommandError, call_command

from provenance.ingestion.parsers import ArticleInput
from provenance.ingestion.sanitise import html_to_text
from provenance.ingestion.services import article_import
from provenance.models import Article, Sentence, Source
from tests.conftest import SEEDS


def run_import(*args, **kwargs):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *args, stdout=out, stderr=err, **kwargs)
    except CommandError as exc:
        return out.getvalue(), err.getvalue() + str(exc), False
    return out.getvalue(), err.getvalue(), True


def test_seed_folder_imports_exactly_five_articles_with_metadata_titles(seeded):
    metadata = json.loads((SEEDS / "metadata.json").read_text())
    assert len(seeded) == 5
    assert {a.title for a in seeded} == {m["title"] for m in metadata.values()}
    cryptopolitan = Article.objects.get(origin__endswith="002_904f3ea47eb1fa17.txt")
    assert cryptopolitan.publisher.name == "Cryptopolitan"
    assert cryptopolitan.publication_kind == "syndicated article"


def test_every_seed_sentence_is_the_exact_body_slice_and_they_tile_the_text(seeded):
    for article in seeded:
        sentences = list(article.sentences.order_by("position"))
        assert [s.position for s in sentences] == list(range(len(sentences)))
        covered = [False] * len(article.body)
        previous_end = 0
        for s in sentences:
            assert s.text == article.body[s.start : s.end]
            assert s.text == s.text.strip() and s.text
            assert s.start >= previous_end
            previous_end = s.end
            for i in range(s.start, s.end):
                covered[i] = True
        # Every non-whitespace character lies in exactly one sentence.
        for i, ch in enumerate(article.body):
            if not ch.isspace():
                assert covered[i], f"{article.origin}: {ch!r} at {i} is in no sentence"


def test_seed_file_bytes_are_the_article_bodies(seeded):
    for article in seeded:
        raw = (SEEDS / article.origin.rsplit("/", 1)[-1]).read_bytes().decode("utf-8")
        assert article.body == raw.replace("\r\n", "\n")


def sentence_containing(fragment):
    return Sentence.objects.get(text__contains=fragment)


def test_a_decimal_point_typed_with_a_space_does_not_split_the_sentence(seeded):
    s = sentence_containing("67. 56 billion")
    assert s.text.startswith("China exported to Russia goods with 67. 56 billion dollars")
    assert s.text.endswith("79.32 billion dollars.")


def test_a_stray_full_stop_before_a_lowercase_continuation_does_not_split(seeded):
    s = sentence_containing("which will take place on 16 October")
    assert "Communist Party of China. which will take place on 16 October" in s.text
    assert s.text.startswith("He will be crowned")


def test_line_breaks_end_sentences_and_headlines_stand_alone(seeded):
    heading = sentence_containing("Technological Ties and Global Alignments")
    assert heading.text == "Technological Ties and Global Alignments"
    assert heading.is_heading
    title = Sentence.objects.get(text__startswith="Russia And China JUST ANNOUNCED")
    assert title.position == 0 and title.is_heading


SEED_BOILERPLATE = [
    ("#russia #oil #gas", "hashtag"),
    ("If You Like This Video; Like, Share, Comment And Subscribe.", "subscribe"),
    ("This Means A Lot To Us!", "subscribe"),
    ("Thanks For Watching Our Video;", "outro"),
    ("More Details In The Video", "outro"),
    ("Saturday, July 22, 2023", "date"),
    ("China and Russia", "section"),
    ("No comments:", "comment"),
    ("Post a Comment", "comment"),
    ("Leave a Reply", "comment"),
    ("Your email address will not be published.", "comment"),
    ("Required fields are marked *", "comment"),
    ("This site uses Akismet to reduce spam.", "spam"),
    ("Learn how your comment data is processed.", "spam"),
]


@pytest.mark.parametrize(("fragment", "reason_word"), SEED_BOILERPLATE)
def test_seed_boilerplate_lines_are_flagged_with_a_reason(seeded, fragment, reason_word):
    s = (
        Sentence.objects.get(text__startswith=fragment)
        if fragment != "China and Russia"
        else (Sentence.objects.get(text="China and Russia"))
    )
    assert s.is_boilerplate
    assert reason_word in s.boilerplate_reason
    assert not s.is_heading


def test_seeds_have_no_other_boilerplate_and_credit_lines_stay_content(seeded):
    flagged = Sentence.objects.filter(is_boilerplate=True).count()
    assert flagged == len(SEED_BOILERPLATE)
    credit = Sentence.objects.get(text="Source: Cryptopolitan")
    assert not credit.is_boilerplate
    for s in Sentence.objects.filter(is_boilerplate=False):
        assert s.boilerplate_reason == ""


@pytest.mark.parametrize(
    "line",
    [
        "By Jane Doe",
        "Source: Reuters",
        "Share prices fell 3% after the announcement.",
        "Analysts like to comment on the pipeline, and some subscribe to the view that it "
        "will never be built, according to the ministry's own long report of last year.",
        "The blog was started on Monday, July 3, 2023, by two former diplomats.",
    ],
)
def test_content_that_resembles_boilerplate_is_not_flagged(make_article, line):
    article = make_article(f"Real Headline\n{line}\n")
    assert not article.sentences.filter(is_boilerplate=True).exists()


@pytest.mark.parametrize(
    "line",
    [
        "Please like and subscribe!",
        "Don't forget to subscribe to our channel.",
        "#breaking #news",
        "Leave a comment",
        "3 Comments",
        "Thank you for watching!",
        "Monday, 3 July 2023",
    ],
)
def test_common_page_furniture_is_flagged(make_article, line):
    article = make_article(f"Real Headline\nA real sentence about trade.\n{line}\n")
    flagged = list(article.sentences.filter(is_boilerplate=True).values_list("text", flat=True))
    assert flagged == [line]


def test_reimporting_the_same_text_adds_nothing_and_says_unchanged(seeded):
    before = (Article.objects.count(), Sentence.objects.count(), Source.objects.count())
    out, err, ok = run_import(str(SEEDS))
    assert ok
    assert "imported 0, unchanged 5, failed 0" in out
    assert (Article.objects.count(), Sentence.objects.count(), Source.objects.count()) == before


def test_import_prints_a_summary_with_sentence_and_boilerplate_counts(db):
    out, err, ok = run_import(str(SEEDS), quiet=True)
    assert ok
    total = Sentence.objects.count()
    boiler = Sentence.objects.filter(is_boilerplate=True).count()
    assert f"imported 5, unchanged 0, failed 0; {total} sentences ({boiler} boilerplate)" in out


def test_crlf_and_lf_texts_are_the_same_article(make_article):
    first = make_article("Title line\r\nOne sentence here. Another one.\r\n")
    again = article_import(
        data=ArticleInput(text="Title line\nOne sentence here. Another one.\n", origin="x.txt")
    )
    assert not again.created and again.article == first
    assert "\r" not in first.body


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("latin1.txt", "Caf\xe9 au lait.".encode("latin-1"), "not valid UTF-8"),
        ("empty.txt", b"   \n\n ", "is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary"),
        ("late-nul.txt", b"A sentence. " * 1000 + b"\x00 and more.", "binary"),
        ("nul.jsonl", b'{"title": "T", "text": "A \\u0000 sentence."}\n', "NUL characters"),
        ("big.txt", b"A sentence. " * 2000, "larger than the limit"),
        ("bad.jsonl", b'{"title": "x", "text": "ok"}\n{not json}\n', "line 2: is not valid JSON"),
        ("notext.jsonl", b'{"title": "No body"}\n', 'line 1: has no "text" or "html"'),
        ("weird.pdf", b"%PDF-1.4", "unsupported type .pdf"),
    ],
)
def test_bad_input_names_the_file_and_reason_and_writes_nothing(
    db, tmp_path, name, content, reason
):
    path = tmp_path / name
    path.write_bytes(content)
    out, err, ok = run_import(str(path), max_bytes=20_000)
    assert not ok
    assert name in err and reason in err
    if name == "bad.jsonl":
        # The good first line is its own article; only the bad line failed.
        assert Article.objects.count() == 1
        assert "imported 1, unchanged 0, failed 1" in out
    else:
        assert Article.objects.count() == 0
        assert Sentence.objects.count() == 0


def test_a_missing_path_is_a_clear_error(db, tmp_path):
    out, err, ok = run_import(str(tmp_path / "nope.txt"))
    assert not ok and "nope.txt: does not exist" in err


def test_jsonl_imports_each_line_with_its_metadata(db, tmp_path):
    lines = [
        {
            "title": "First",
            "text": "One. Two.",
            "url": "https://example.org/1",
            "publisher": "Example Times",
            "author": "A. Writer",
            "published_on": "2024-05-16",
        },
        {"title": "Second", "html": "<p>Three &amp; four.</p><script>alert(1)</script>"},
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines))
    out, err, ok = run_import(str(path))
    assert ok, err
    first = Article.objects.get(title="First")
    assert first.publisher.name == "Example Times"
    assert str(first.published_on) == "2024-05-16" and first.author == "A. Writer"
    second = Article.objects.get(title="Second")
    assert second.body == "Three & four."


def test_a_bad_date_in_jsonl_is_reported_with_its_line(db, tmp_path):
    path = tmp_path / "dates.jsonl"
    path.write_text(json.dumps({"title": "T", "text": "A.", "published_on": "last May"}))
    out, err, ok = run_import(str(path))
    assert not ok and "line 1" in err and "not a date" in err
    assert Article.objects.count() == 0


def test_html_is_reduced_to_safe_text_with_paragraphs_kept(db, tmp_path):
    html = (
        "<html><head><title>Pipeline &amp; Power</title><style>p{color:red}</style></head>"
        "<body><h1>Pipeline &amp; Power</h1>"
        '<p onclick="steal()">Gas flows <b>east</b>&nbsp;now.</p>'
        "<script>document.cookie</script>"
        '<p><a href="javascript:alert(1)">Officials</a> said so.<img src=x onerror=alert(1)></p>'
        "</body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html)
    out, err, ok = run_import(str(path))
    assert ok, err
    article = Article.objects.get()
    assert article.title == "Pipeline & Power"
    assert article.body == "Pipeline & Power\n\nGas flows east\xa0now.\n\nOfficials said so."
    for bad in ("script", "cookie", "onclick", "steal", "onerror", "javascript", "<", "color"):
        assert bad not in article.body


def test_html_to_text_keeps_line_breaks_from_br():
    assert html_to_text("<p>one<br>two</p><p>three</p>") == "one\ntwo\n\nthree"


def test_the_size_limit_is_configurable(db, tmp_path, settings):
    path = tmp_path / "medium.txt"
    path.write_text("A sentence. " * 100)
    out, err, ok = run_import(str(path), max_bytes=500)
    assert not ok and "larger than the limit of 500 bytes" in err
    out, err, ok = run_import(str(path), max_bytes=5000)
    assert ok


def test_sentences_are_bulk_inserted_not_one_query_per_row(db, django_assert_max_num_queries):
    text = "Headline\n" + " ".join(f"Sentence number {i} is here." for i in range(300))
    with django_assert_max_num_queries(20):
        result = article_import(data=ArticleInput(text=text, title="Long", origin="long.txt"))
    assert result.article.sentences.count() == 301


def test_the_article_history_records_the_import(seeded):
    article = seeded[0]
    assert article.history.count() == 1
    assert article.history.get().history_type == "+"


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # Read as a list counting up (11., 12.) when pysbd saw both paragraphs at once.
        (
            "The vote was postponed to March 11.\n"
            "Officials said turnout fell to 12. Many voters stayed home.\n",
            [
                "The vote was postponed to March 11.",
                "Officials said turnout fell to 12.",
                "Many voters stayed home.",
            ],
        ),
        (
            "Options are a) raise taxes\nb) cut spending. Both are unpopular.\n",
            ["Options are a) raise taxes", "b) cut spending.", "Both are unpopular."],
        ),
        # "U.S." then a line starting "The": pysbd read on across the line break.
        (
            "(AP) Officials met envoys from the U.S.\nThe talks ended early.\n",
            ["(AP) Officials met envoys from the U.S.", "The talks ended early."],
        ),
        # The codebook's repairs (CODEBOOK.md, "Unit"): a title, a closing parenthesis and a
        # quotation's "?" before its attribution end no sentence; a bare "Really?" does.
        (
            'Lt. Col. Alexander Vindman testified. Rep. Ilhan Omar (D-Minn.) spoke.\n'
            '"Who are we? " she wrote. "Really?" Yes. Really? yes.\n',
            [
                "Lt. Col. Alexander Vindman testified.",
                "Rep. Ilhan Omar (D-Minn.) spoke.",
                '"Who are we? " she wrote.',
                '"Really?"',
                "Yes.",
                "Really?",
                "yes.",
            ],
        ),
        # nupunkt reads a capital "A" or "I" after a stop as a possible initial.
        (
            "The mayor said so. A third one followed. We won. I think so.\n",
            ["The mayor said so.", "A third one followed.", "We won.", "I think so."],
        ),
    ],
)
def test_each_paragraph_is_split_as_if_it_stood_alone(make_article, text, sentences):
    article = make_article(text)
    assert list(article.sentences.order_by("position").values_list("text", flat=True)) == sentences


def test_the_number_of_queries_of_an_import_does_not_grow_with_the_article(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    # The first import in a process also builds the suggestion rules from the registry.
    article_import(data=ArticleInput(text="Warm up.\nThe first sentence.", origin="w.txt"))
    for n in (2, 300):
        # Both with a suggestion to store (an unsourced figure), so both insert them.
        text = f"Headline {n}\nThe plan costs $9 million. " + " ".join(
            f"Sentence number {i} is here." for i in range(n))
        with CaptureQueriesContext(connection) as queries:
            article_import(data=ArticleInput(text=text, origin=f"{n}.txt"))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_history_row_of_an_import_is_the_one_a_save_would_write(db, root):
    """The importer writes the article's history row itself; it must not differ."""
    from django.test import RequestFactory
    from simple_history.models import HistoricalRecords

    request = RequestFactory().post("/api/articles/import/")
    request.user = root
    HistoricalRecords.context.request = request  # as the history middleware does
    try:
        imported = article_import(
            data=ArticleInput(
                text="Headline\nOne sentence.\n",
                origin="a.txt",
                title="T",
                url="https://example.org/a",
                author="A. Writer",
            ),
            imported_by=root,
        ).article
        saved = Article.objects.create(
            title="T",
            body="Other body.",
            content_sha256="0" * 64,
            origin="a.txt",
            url="https://example.org/a",
            author="A. Writer",
            imported_by=root,
        )
    finally:
        del HistoricalRecords.context.request
    skip = {"id", "history_id", "history_date", "content_sha256", "created_at"}
    rows = [
        {k: v for k, v in a.history.values().get().items() if k not in skip}
        for a in (imported, saved)
    ]
    assert rows[0] == rows[1]
    assert rows[0]["history_type"] == "+" and rows[0]["history_user_id"] == root.pk
    assert imported.history.get().created_at == imported.created_at


@pytest.mark.parametrize("workers", [1, 2])
def test_a_metadata_entry_that_is_not_an_object_stops_the_command_naming_it(tmp_path, db,
                                                                            workers):
    (tmp_path / "metadata.json").write_text(json.dumps({"a.txt": "A title"}))
    (tmp_path / "a.txt").write_text("Title\nSome words here.\n")
    with pytest.raises(CommandError, match="the entry for 'a.txt' must be an object"):
        call_command("import_articles", str(tmp_path), quiet=True, workers=workers)
    assert not Article.objects.exists()
