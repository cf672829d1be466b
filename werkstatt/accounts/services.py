from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from werkstatt.accounts.models import Role, User

OFFICE_APP_LABELS = ("geo", "documents", "organizations", "meetings", "news")


@transaction.atomic
def user_create_or_reset(
    *, username: str, password: str, role: str = Role.MEMBER, first_name: str = "", last_name: str = "", email: str = ""
) -> User:
    """Create a login, or give an existing one this password and role (used for the demo login)."""
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role = Role(role)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.is_staff = role in (Role.OFFICE, Role.ADMIN)
    user.is_superuser = role == Role.ADMIN
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if role == Role.OFFICE:
        # The office maintains all of Werkstatt's records in the admin, but not logins.
        user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=OFFICE_APP_LABELS))
    return user
