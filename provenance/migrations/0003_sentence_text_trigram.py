"""A trigram index for the claims API's `q` (case-insensitive "text contains").

Django writes `icontains` on PostgreSQL as UPPER(text) LIKE UPPER('%term%'), which no
B-tree can serve; a GIN index of trigrams over UPPER(text) can, and it also gives the
planner statistics for that expression. Without them PostgreSQL guessed that one sentence
in the whole table matches and chose a plan that took 3.3 s on the benchmark's million
annotations (28 ms with the index).

PostgreSQL only (pg_trgm is a trusted extension, so the database owner may create it):
SQLite answers `q` from its own scan, which is fast at the sizes SQLite is meant for.
"""

from django.db import migrations

INDEX = "sentence_text_upper_trgm_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON provenance_sentence "
        "USING gin (UPPER(text) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("provenance", "0002_article_adjudication")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
