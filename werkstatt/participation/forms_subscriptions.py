"""The subscribe form: how often, and the address (what is followed comes from the link, not the form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from werkstatt.participation.forms import EmailForm
from werkstatt.participation.models import Frequency


class SubscribeForm(EmailForm):
    frequency = forms.ChoiceField(
        label=_("Wie oft möchten Sie benachrichtigt werden?"),
        choices=[
            (Frequency.IMMEDIATE.value, _("sofort bei jeder Neuigkeit (eine E-Mail je Neuigkeit)")),
            (Frequency.WEEKLY.value, _("einmal wöchentlich als Überblick")),
        ],
        initial=Frequency.IMMEDIATE.value,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Bitte wählen Sie, wie oft Sie benachrichtigt werden möchten."),
            "invalid_choice": _("Bitte wählen Sie „sofort“ oder „einmal wöchentlich“."),
        },
    )
