"""The three roles as groups, each with exactly its permissions.

Permissions are normally created after all migrations (post_migrate), so this migration creates
the ones it needs itself; post_migrate then finds them present. The table is copied here rather
than imported so the migration keeps meaning what it meant when it was written.
"""

from django.db import migrations

PERMISSIONS = {
    "lookup_customer": "Can look up customers",
    "view_unmasked_pii": "Can see unmasked names, mobiles and emails",
    "view_raw_response": "Can see the raw API response",
    "view_all_audit": "Can view every audit entry",
    "export_audit": "Can export audit entries",
}
GROUPS = {
    "Support agents": ["lookup_customer", "view_unmasked_pii", "view_raw_response"],
    "Store managers": ["lookup_customer"],
    "Auditors": ["view_all_audit", "export_audit"],
}


def create_roles(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="customers", model="auditentry")
    permissions = {
        codename: Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in PERMISSIONS.items()
    }
    for group_name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.set([permissions[codename] for codename in codenames])


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0001_audit"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
