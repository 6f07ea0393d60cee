"""Give the role groups their suggestion permissions; create the muting policy's row."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from provenance.roles import sync_role_groups


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_role_groups(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )
    apps.get_model("suggestions", "MutingPolicy").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0001_initial"),
        ("annotations", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
