from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Organisation-wide roles; speaker and delegate come from workshop memberships."""

    MEMBER = "member", _("Mitglied / Delegierte")
    OFFICE = "office", _("Geschäftsstelle")
    BANK = "bank", _("Förderbank (ILB)")
    CHANCELLERY = "chancellery", _("Staatskanzlei")
    ADMIN = "admin", _("Administration")


class User(AbstractUser):
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("Benutzerkonto")
        verbose_name_plural = _("Benutzerkonten")
