"""The people of the tests: users in the roles' groups, all with one password (test users only)."""

from django.contrib.auth.models import Group, User

PASSWORD = "test-password-7"


def make_user(username: str, group: str | None = None, **flags: bool) -> User:
    """A user with PASSWORD, in the roles migration's `group` when given."""
    user = User.objects.create_user(username, password=PASSWORD, **flags)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user
