"""Create the Reviewer and Editor groups with their model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWER = {
    "provenance": ["view_source", "add_source", "view_sourcealias", "view_article",
                   "view_sentence"],
    "annotations": ["view_annotation", "add_annotation", "change_annotation",
                    "view_assignment", "view_sentencereview", "add_sentencereview"],
}
EDITOR = {
    "provenance": ["view_source", "add_source", "change_source", "delete_source",
                   "view_sourcealias", "add_sourcealias", "change_sourcealias",
                   "delete_sourcealias", "view_article", "add_article", "change_article",
                   "view_sentence", "change_sentence"],
    "annotations": ["view_annotation", "add_annotation", "change_annotation",
                    "adjudicate_annotation", "view_assignment", "add_assignment",
                    "change_assignment", "delete_assignment", "view_sentencereview"],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations run; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in (("Reviewer", REVIEWER), ("Editor", EDITOR)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in grants.items():
            perms = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            group.permissions.add(*perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Reviewer", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0001_initial"),
        ("provenance", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
