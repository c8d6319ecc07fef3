"""Agents see members' names: the view_member_name permission, given to the support agents.

Store managers do not get it (they see names masked, as before). Like 0002_roles, the
permission is created here rather than left to post_migrate, so the group can hold it now.
"""

from django.db import migrations

CODENAME = "view_member_name"
NAME = "Can see members' names unmasked"
GROUP = "Support agents"


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="customers", model="auditentry")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=CODENAME, defaults={"name": NAME}
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="customers", codename=CODENAME).delete()


class Migration(migrations.Migration):
    dependencies = [("customers", "0007_audit_rollup")]

    operations = [
        migrations.AlterModelOptions(
            name="auditentry",
            options={
                "default_permissions": (),
                "ordering": ["-created_at", "-id"],
                "permissions": [
                    ("lookup_customer", "Can look up customers"),
                    ("view_unmasked_pii", "Can see unmasked names, mobiles and emails"),
                    ("view_member_name", "Can see members' names unmasked"),
                    ("view_raw_response", "Can see the raw API response"),
                    ("view_all_audit", "Can view every audit entry"),
                    ("export_audit", "Can export audit entries"),
                ],
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit entries",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
