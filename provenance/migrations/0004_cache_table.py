"""The table of the database cache (settings.CACHES), made with the migrations.

The cache holds the sign-in throttle's counts. In each process's memory they would be
per gunicorn worker and per instance, so ten workers would allow ten times the rate;
in the database every instance behind the load balancer counts the same attempts.
`createcachetable` is idempotent, and Django's test runner calls it as well.
"""

from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("provenance", "0003_sentence_text_trigram")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop, elidable=False)]
