"""The forms of ideas: submitting one (for everybody, and a simpler one for children and young people) and the
office's triage steps. The forms parse input; the rules (length, place, attachment, states) are the services'."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from werkstatt.geo.models import Municipality
from werkstatt.meetings.models import Meeting
from werkstatt.organizations.models import Workshop
from werkstatt.participation.forms import EmailForm
from werkstatt.participation.models import Idea
from werkstatt.participation.services.ideas import ATTACHMENT_ACCEPT


class WorkshopChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Workshop) -> str:
        return f"{obj.label}: {obj.title}"


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        return obj.display_name


def _text_input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "kern-form-input__input", **attrs})


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "kern-form-input__select"})


def _textarea(rows: int = 8) -> forms.Textarea:
    return forms.Textarea(attrs={"class": "kern-form-input__input", "rows": rows})


class IdeaForm(EmailForm):
    """Submit an idea: workshop, title, description, place (municipality and/or a point on the map),
    an optional attachment, the e-mail address."""

    young = False

    workshop = WorkshopChoiceField(
        queryset=Workshop.objects.order_by("number"),
        label=_("Werkstatt"),
        empty_label=_("– bitte wählen –"),
        help_text=_("Zu welchem Thema passt Ihre Idee? Die Werkstatt berät darüber."),
        error_messages={
            "required": _("Bitte wählen Sie eine Werkstatt."),
            "invalid_choice": _("Bitte wählen Sie eine Werkstatt aus der Liste."),
        },
        widget=_select(),
    )
    title = forms.CharField(
        label=_("Titel Ihrer Idee"),
        max_length=200,
        help_text=_("Höchstens 200 Zeichen, z. B. „Radweg zwischen Lübbenau und Vetschau“."),
        error_messages={
            "required": _("Bitte geben Sie einen Titel an."),
            "max_length": _(
                "Der Titel ist zu lang: höchstens %(limit_value)d Zeichen, eingegeben wurden %(show_value)d."
            ),
        },
        widget=_text_input(),
    )
    description = forms.CharField(
        label=_("Beschreibung"),
        help_text=_("Was schlagen Sie vor, für wen, und was würde es in der Lausitz verbessern?"),
        error_messages={"required": _("Bitte beschreiben Sie Ihre Idee.")},
        widget=_textarea(),
        strip=False,
    )
    municipality = MunicipalityChoiceField(
        queryset=Municipality.objects.order_by("name"),
        required=False,
        label=_("Gemeinde"),
        empty_label=_("– keine bestimmte Gemeinde –"),
        help_text=_("Wo soll Ihre Idee umgesetzt werden? Sie können zusätzlich einen Punkt auf der Karte wählen."),
        error_messages={"invalid_choice": _("Bitte wählen Sie eine Gemeinde aus der Liste.")},
        widget=_select(),
    )
    latitude = forms.DecimalField(
        required=False,
        max_digits=8,
        decimal_places=5,
        label=_("Breite des Punkts auf der Karte"),
        widget=forms.HiddenInput(attrs={"data-idea-map-latitude": ""}),
    )
    longitude = forms.DecimalField(
        required=False,
        max_digits=8,
        decimal_places=5,
        label=_("Länge des Punkts auf der Karte"),
        widget=forms.HiddenInput(attrs={"data-idea-map-longitude": ""}),
    )
    attachment = forms.FileField(
        required=False,
        label=_("Anhang"),
        help_text=_(
            "Eine PDF-Datei oder ein Bild (JPEG, PNG), z. B. eine Skizze. Der Anhang wird nicht veröffentlicht; "
            "nur die Geschäftsstelle sieht ihn."
        ),
        widget=forms.ClearableFileInput(attrs={"class": "kern-form-input__input", "accept": ATTACHMENT_ACCEPT}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["class"] = "kern-form-input__input"

    @property
    def map_after(self) -> str:
        """The field after which the template shows the map."""
        return "municipality"


class YoungIdeaForm(IdeaForm):
    """The same submission for children and young people: fewer fields, short sentences, du-form."""

    young = True
    latitude = None  # type: ignore[assignment]
    longitude = None  # type: ignore[assignment]
    attachment = None  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["workshop"].label = _("Zu welchem Thema passt deine Idee?")
        fields["workshop"].help_text = _(
            "Such dir das Thema aus, das am besten passt. Wenn du unsicher bist, ist das nicht schlimm."
        )
        fields["workshop"].error_messages["required"] = _("Bitte such dir ein Thema aus.")
        fields["title"].label = _("Wie heißt deine Idee?")
        fields["title"].help_text = _("Ein kurzer Name für deine Idee, zum Beispiel „Skaterpark in Forst“.")
        fields["title"].error_messages["required"] = _("Bitte gib deiner Idee einen Namen.")
        fields["description"].label = _("Was ist deine Idee?")
        fields["description"].help_text = _("Schreib auf, was du dir wünschst und warum. Ein paar Sätze reichen.")
        fields["description"].error_messages["required"] = _("Bitte schreib kurz, was deine Idee ist.")
        fields["municipality"].label = _("Wo soll das sein?")
        fields["municipality"].help_text = _("Such deinen Ort aus. Du kannst das auch leer lassen.")
        fields["email"].label = _("Deine E-Mail-Adresse")
        fields["email"].help_text = _(
            "Wir schicken dir eine E-Mail. Klick auf den Link darin. Deine Adresse zeigen wir niemandem."
        )
        fields["email"].error_messages["required"] = _("Bitte gib deine E-Mail-Adresse an.")
        fields["email"].error_messages["invalid"] = _(
            "Diese E-Mail-Adresse stimmt nicht. Sie sieht so aus: name@beispiel.de"
        )

    @property
    def map_after(self) -> str:
        return ""


# --- the office's triage steps ---------------------------------------------------------------------------------


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Antwort an die Einsenderin oder den Einsender"),
        help_text=_("Wird mit der Idee veröffentlicht und per E-Mail geschickt."),
        widget=_textarea(5),
        error_messages={"required": _("Bitte schreiben Sie eine Antwort; sie wird mit der Idee veröffentlicht.")},
    )


class OptionalAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Antwort (optional)"),
        required=False,
        help_text=_("Wird mit der Idee veröffentlicht und per E-Mail geschickt."),
        widget=_textarea(3),
    )


class DeclineForm(forms.Form):
    answer = forms.CharField(
        label=_("Begründung"),
        help_text=_("Wird mit der Idee veröffentlicht und per E-Mail geschickt."),
        widget=_textarea(5),
        error_messages={"required": _("Bitte begründen Sie die Ablehnung; die Begründung wird veröffentlicht.")},
    )


class LookupChoiceField(forms.ModelChoiceField):
    """Offers the rows of ``queryset`` but accepts any row of ``lookup``, so that the service, not the form,
    says why a row that is not offered cannot be used (e.g. a session that is over)."""

    lookup: Any = None

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        lookup: Any = self.lookup if self.lookup is not None else self.queryset
        try:
            return lookup.get(pk=value)
        except (ValueError, TypeError, ValidationError, lookup.model.DoesNotExist) as error:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from error


class IdeaChoiceField(LookupChoiceField):
    def label_from_instance(self, obj: Idea) -> str:
        return f"Nr. {obj.pk}: {obj.title}"


class MergeForm(OptionalAnswerForm):
    into = IdeaChoiceField(
        queryset=Idea.objects.none(),
        label=_("Zusammenführen mit"),
        empty_label=_("– Idee wählen –"),
        error_messages={
            "required": _("Bitte wählen Sie die Idee, mit der diese zusammengeführt wird."),
            "invalid_choice": _("Mit dieser Idee kann nicht zusammengeführt werden."),
        },
        widget=_select(),
    )

    def __init__(self, *args: Any, candidates: Any, lookup: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["into", "answer"])
        into = self.fields["into"]
        assert isinstance(into, LookupChoiceField)  # noqa: S101 - declared above
        into.queryset = candidates
        into.lookup = lookup


class MeetingChoiceField(LookupChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        from werkstatt.core.dates import format_date

        return f"{obj.title} am {format_date(obj.date)} ({obj.get_state_display()})"


class ForwardForm(OptionalAnswerForm):
    meeting = MeetingChoiceField(
        queryset=Meeting.objects.none(),
        label=_("Sitzung"),
        empty_label=_("– kommende Sitzung wählen –"),
        error_messages={
            "required": _("Bitte wählen Sie eine kommende Sitzung der Werkstatt."),
            "invalid_choice": _("Auf die Tagesordnung dieser Sitzung kann die Idee nicht gesetzt werden."),
        },
        widget=_select(),
    )
    number = forms.CharField(
        label=_("Nummer des Tagesordnungspunkts"),
        max_length=20,
        help_text=_("z. B. 5 oder 4.1; die folgenden Punkte rücken nach."),
        error_messages={"required": _("Bitte geben Sie die Nummer des Tagesordnungspunkts an.")},
        widget=_text_input(),
    )

    def __init__(self, *args: Any, meetings: Any, lookup: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["meeting", "number", "answer"])
        meeting = self.fields["meeting"]
        assert isinstance(meeting, LookupChoiceField)  # noqa: S101 - declared above
        meeting.queryset = meetings
        meeting.lookup = lookup


class AdoptForm(OptionalAnswerForm):
    pass
