"""The "Board staff" permission group: what board staff may edit in the Django admin (the README: the board's
vocabularies), given to everyone who is board staff already. New board staff get it from
centres.services.board_staff_add.

Permissions are normally created after migrations (post_migrate), so on a fresh database the ones this group
needs are created here, with the names Django gives them.
"""

from django.db import migrations

# A frozen copy of centres.permissions.BOARD_STAFF_GROUP and BOARD_STAFF_ADMIN_PERMISSIONS.
GROUP = "Board staff"
MODELS = {("people", "vocabularyterm"): "vocabulary term"}
ACTIONS = ("add", "change", "delete", "view")


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    BoardMembership = apps.get_model("centres", "BoardMembership")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for (app_label, model), verbose_name in MODELS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        for action in ACTIONS:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {verbose_name}"},
            )
            group.permissions.add(permission)
    for membership in BoardMembership.objects.select_related("user"):
        membership.user.groups.add(group)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("centres", "0001_centres_roles_invitations"),
        ("people", "0002_folded_names_for_search"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
