"""Assignment now lives in the review app (review/0001): drop it from this app's state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0003_claim_filter_indexes"),
        ("review", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalAssignment"),
                migrations.DeleteModel(name="Assignment"),
            ],
        ),
    ]
