"""The people of the tests: users in the roles' groups, all with one password (test users only)."""

from django.contrib.auth.models import Group, Permission, User

from customers.accounts.roles import GROUPS

PASSWORD = "test-password-7"


def role_group(name: str) -> Group:
    """A role's group as the roles migration makes it (a transactional test's flush empties the
    table after each test; post_migrate brings the permissions back, not the groups)."""
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="customers", codename__in=GROUPS[name])
    )
    return group


def make_user(username: str, group: str | None = None, **flags: bool) -> User:
    """A user with PASSWORD, in the role's `group` when given."""
    user = User.objects.create_user(username, password=PASSWORD, **flags)
    if group:
        user.groups.add(role_group(group))
    return user
