"""The forms of the comments: writing one (public), reporting one (public), and moderating (office)."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkstatt.office.forms import KernFormMixin
from werkstatt.participation.forms import EmailForm, PublicForm
from werkstatt.participation.services.comments import AUTHOR_NAME_MAX, REASON_MAX, comment_body, report_reason


class CommentForm(KernFormMixin, EmailForm):
    """A comment. The address is asked only of visitors without an account (``with_email=False`` drops it)."""

    body = forms.CharField(
        label=_("Ihr Kommentar"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Bitte schreiben Sie Ihren Kommentar.")},
    )
    author_name = forms.CharField(
        label=_("Angezeigter Name"),
        required=False,
        max_length=AUTHOR_NAME_MAX,
        help_text=_("Erscheint über Ihrem Kommentar. Ohne Namen steht dort „Anonym“."),
        error_messages={"max_length": _("Bitte höchstens %(limit_value)d Zeichen.")},
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def __init__(self, *args: Any, with_email: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_email:
            del self.fields["email"]
        self.fields["body"].help_text = gettext(
            "Höchstens %(chars)s Zeichen und %(links)d Links. Ihr Text erscheint genau so, wie Sie ihn schreiben."
        ) % {
            "chars": f"{settings.PARTICIPATION_MAX_COMMENT_CHARS:,}".replace(",", "."),
            "links": settings.PARTICIPATION_MAX_COMMENT_LINKS,
        }

    def clean_body(self) -> str:
        return comment_body(self.cleaned_data["body"])


class ReportForm(KernFormMixin, PublicForm):
    reason = forms.CharField(
        label=_("Warum melden Sie diesen Kommentar?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Zum Beispiel: beleidigend, falsche Tatsachen, Werbung, persönliche Daten anderer. Höchstens 500 Zeichen."
        ),
        error_messages={"required": _("Bitte geben Sie an, warum Sie den Kommentar melden.")},
    )

    def clean_reason(self) -> str:
        return report_reason(self.cleaned_data["reason"])


class RejectForm(KernFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Grund (wird der Verfasserin oder dem Verfasser mitgeteilt)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Bitte geben Sie einen Grund an; er wird der Verfasserin oder dem Verfasser mitgeteilt."),
            "max_length": _("Bitte höchstens %(limit_value)d Zeichen."),
        },
    )


class AnswerForm(KernFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Offizielle Antwort"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Bitte schreiben Sie die Antwort.")},
    )
