"""The Reader role: a group for integrations and researchers that read adjudicated articles
through the API (provenance/roles.py says what it may do)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from provenance.roles import sync_role_groups


def forwards(apps, schema_editor):
    # Permissions are created after all migrations ran; a fresh database has none yet.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_role_groups(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Reader").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0003_sentence_decision"),
        ("suggestions", "0002_roles_and_policy"),
        ("provenance", "0006_article_independent_review"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
