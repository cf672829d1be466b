from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Benutzername oder Passwort stimmen nicht. Bitte achten Sie auf Groß- und Kleinschreibung."),
        "inactive": _("Dieses Benutzerkonto ist gesperrt."),
    }
