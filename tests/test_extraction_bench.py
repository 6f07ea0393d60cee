"""The extraction benchmark's metric and its evaluation set (bench/extraction.py)."""

import gzip
import json

import pytest

from bench import extraction
from bench.extraction import DATA, aggregate, score, shingles, tokens


def test_tokens_are_runs_of_word_characters_in_any_script():
    assert tokens("Hello, world! It's 2019.") == ["Hello", "world", "It", "s", "2019"]
    assert tokens("Привет, мир") == ["Привет", "мир"]
    assert tokens("") == []


def test_shingles_are_counted_4_grams_and_a_short_text_is_one_shingle():
    assert shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingles("a b c d a b c d")[("a", "b", "c", "d")] == 2
    assert shingles("just two") == {("just", "two"): 1}
    assert shingles("  ...  ") == {}


def test_identical_texts_score_one():
    s = score("The cat sat on the mat today.", "the cat  sat on the mat today")
    # Case is kept, as in the benchmark: "The" and "the" differ.
    assert s.fn == s.fp == 1 and s.tp == 3
    s = score("The cat sat on the mat.", "The cat sat on the mat.")
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)


def test_extra_text_lowers_precision_and_missing_text_recall():
    gold = "one two three four five six seven eight"
    more = score(gold, gold + " nav menu home about")
    assert more.recall == 1.0 and more.precision == pytest.approx(5 / 9)
    less = score(gold, "one two three four five")
    assert less.precision == 1.0 and less.recall == pytest.approx(2 / 5)


def test_an_empty_extraction_has_no_precision_and_counts_zero_in_page_f1():
    s = score("one two three four five", "")
    assert s.precision is None and s.recall == 0.0 and s.f1 == 0.0
    # The benchmark's mean precision leaves the page out; its recall counts it.
    figures = aggregate([s, score("a b c d", "a b c d")])
    assert figures["precision"] == 1.0 and figures["recall"] == 0.5


def test_the_set_is_complete_and_its_gold_is_utf8():
    entries = [json.loads(line) for line in (DATA / "manifest.jsonl").open(encoding="utf-8")]
    assert len(entries) >= 100
    assert len({e["id"] for e in entries}) == len(entries)
    for entry in entries:
        html = gzip.decompress((DATA / entry["html"]).read_bytes())
        html.decode(entry["encoding"])  # the bytes are in the encoding the manifest names
        assert (DATA / entry["gold"]).read_text("utf-8").strip(), entry["id"]
    legacy = [e for e in entries if e["subset"] == "transcoded"]
    assert {e["encoding"] for e in legacy} >= {"cp1252", "gb2312", "shift_jis", "iso8859-2"}
    for entry in legacy:
        with pytest.raises(UnicodeDecodeError):
            gzip.decompress((DATA / entry["html"]).read_bytes()).decode("utf-8")


def test_the_harness_scores_the_importer_beside_the_whole_page_importer_of_before(capsys):
    extraction.main(["--extractor", "importer", "--extractor", "whole-page", "--subset", "aeb",
                     "--subset", "transcoded", "--limit", "2", "--jobs", "1"])
    out = capsys.readouterr().out
    assert "== by subset" in out and "== metadata importer fills" in out
    transcoded = [line for line in out.splitlines()  # the per-page lines, not the worst list
                  if line.startswith("transcoded/") and " F1 " not in line]
    # The importer reads legacy encodings; the importer before issue 14 refused them.
    assert transcoded and all("not_utf8" in line for line in transcoded)
    assert all(line.split()[3].count("/") == 2 for line in transcoded)
