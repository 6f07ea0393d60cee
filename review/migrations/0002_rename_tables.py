"""The moved tables take the review app's names; permissions follow their content types."""

from django.db import migrations

from provenance.roles import sync_role_groups


def move_content_types(apps, schema_editor):
    """Re-label the content types, so existing permissions (and the groups holding them)
    stay attached instead of being recreated empty under "review"."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("assignment", "historicalassignment"):
        if ContentType.objects.filter(app_label="review", model=model).exists():
            continue
        ContentType.objects.filter(app_label="annotations", model=model).update(
            app_label="review"
        )
    sync_role_groups(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(
        app_label="review", model__in=["assignment", "historicalassignment"]
    ).update(app_label="annotations")


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("annotations", "0004_assignment_moved_to_review"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelTable(name="assignment", table=None),
        migrations.AlterModelTable(name="historicalassignment", table=None),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
