"""The base of every public participation form: the e-mail address and the honeypot field.

The honeypot is a text field that people never see (it is moved off screen, hidden from screen readers and
skipped by the keyboard) and that form-filling robots fill in. A submission with it filled is refused with a
neutral message and changes nothing.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"


class PublicForm(forms.Form):
    """A public form with the honeypot; ``_form.html`` renders the trap apart from the visible fields."""

    honeypot_field = HONEYPOT_FIELD

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Bitte lassen Sie dieses Feld leer"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get(HONEYPOT_FIELD):
            raise forms.ValidationError(
                _("Ihre Einsendung konnte nicht angenommen werden. Bitte laden Sie die Seite neu."), code="trap"
            )
        return cleaned


class EmailForm(PublicForm):
    """A public form that asks for nothing but the address (data minimisation)."""

    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        help_text=_("Sie erhalten eine E-Mail mit einem Link zur Bestätigung. Die Adresse wird nicht veröffentlicht."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The address comes last, before the trap, in forms that add their own fields.
        self.order_fields([name for name in self.fields if name not in ("email", HONEYPOT_FIELD)])


def client_ip(request: Any) -> str:
    """The client's IP address as the server sees it. Behind a reverse proxy, the proxy must set REMOTE_ADDR
    to the client (nginx: ``real_ip``; docs/operations.md); a forwarded header is never trusted here."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")
