"""Claim groups out, as JSON or CSV: rows in (the plain data of
crossclaims.selectors.group_data), lines out. The API streams them."""

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder

from provenance.text import spreadsheet_safe

FORMATS = {"json": "application/json", "csv": "text/csv; charset=utf-8"}

CSV_HEADER = [
    "group_id", "group_subject", "group_has_conflict", "claim_id", "kind", "article_id",
    "article_title", "sentence_id", "sentence_text", "as_written", "value", "unit",
    "normalised", "comparator", "status", "period_start", "period_end", "period_as_written",
    "period_basis", "attribution", "source_name", "source_reliability", "conflicts_with",
]


def json_lines(groups: Iterable[dict]) -> Iterator[str]:
    """One JSON array of groups, written a group at a time."""
    yield "["
    for i, group in enumerate(groups):
        yield ("," if i else "") + json.dumps(group, cls=DjangoJSONEncoder, ensure_ascii=False)
    yield "]\n"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    # Every text cell is neutralised: a subject or a sentence starting with "=" must not
    # run as a formula in the editor's spreadsheet.
    return spreadsheet_safe(str(value)) if isinstance(value, str) else str(value)


def csv_lines(groups: Iterable[dict]) -> Iterator[str]:
    """One row per claim in a group, with the group's columns repeated; UTF-8 with a BOM so
    spreadsheet programs read it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    yield "\ufeff" + buffer.getvalue()
    for group in groups:
        for m in group["members"]:
            buffer.seek(0)
            buffer.truncate()
            source = m["source"] or {}
            writer.writerow([_cell(v) for v in (
                group["id"], group["subject"], group["has_conflict"], m["claim"], m["kind"],
                m["article"]["id"], m["article"]["title"], m["sentence"]["id"],
                m["sentence"]["text"], m["as_written"], m["value"], m["unit"],
                m["normalised"], m["comparator"], m["status"], m["period"]["start"],
                m["period"]["end"], m["period"]["as_written"], m["period"]["basis"],
                m["attribution"], source.get("name"), source.get("reliability"),
                " ".join(f"c{c}" for c in m["conflicts_with"]),
            )])
            yield buffer.getvalue()


def pieces(fmt: str, groups: Iterable[dict]) -> Iterator[bytes]:
    lines = csv_lines(groups) if fmt == "csv" else json_lines(groups)
    for line in lines:
        yield line.encode("utf-8")
