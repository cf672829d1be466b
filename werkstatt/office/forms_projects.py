"""Forms of the office's project pages: the fact sheet, a step of the pipeline, milestones, documents,
and a project on a session's agenda with its outcome. They parse and check input; the services write."""

import decimal
import re
from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from werkstatt.core.numbers import format_eur
from werkstatt.documents.validators import ACCEPT, max_upload_mb
from werkstatt.geo.models import District, Municipality
from werkstatt.meetings.models import agenda_number_validator
from werkstatt.office.forms import KernFormMixin, OrganizationChoiceField, PersonChoiceField
from werkstatt.organizations.models import FocusArea, Organization, Person, Workshop
from werkstatt.projects.models import ConsultationOutcome, Milestone, MilestoneKind, Project
from werkstatt.projects.services import FACT_SHEET_FIELDS, INITIAL_STATES
from werkstatt.projects.workflow import INSTRUMENT_CHANGEABLE_STATES, ProjectState, Step, state_label
from werkstatt.projects.workflow import FundingInstrument as Instrument

# German amounts: "716.000,50", "716000,50", "716000", "716 000 €"; a dot only ever groups thousands.
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_PLAIN = re.compile(r"\d+(?:,\d+)?")
_DOT_DECIMAL = re.compile(r"\d+\.\d{1,2}")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
MAX_AMOUNT = decimal.Decimal("1000000000000")  # the fields hold 14 digits, two of them cents


def _date_input() -> forms.DateInput:
    # Date inputs take and show ISO values, whatever the page's language.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EuroField(forms.Field):
    """An amount in euros as Germans write it: dots group thousands, a comma separates the cents.

    "716.000,00", "716000" and "716 000 €" are read; "716000.50" is refused, because the dot could be
    a thousands separator or an English decimal point, and guessing would store a wrong amount.
    """

    default_error_messages = {
        "invalid": _(
            "Bitte geben Sie den Betrag in Euro an, z. B. „716.000“ oder „716.000,50“: "
            "Punkte trennen die Tausender, das Komma die Cent."
        ),
        "dot_decimal": _(
            "„%(value)s“ ist nicht eindeutig: Im Deutschen trennt der Punkt die Tausender. "
            "Bitte schreiben Sie die Cent mit Komma, z. B. „%(suggestion)s“."
        ),
        "cents": _("Bitte geben Sie höchstens zwei Nachkommastellen (Cent) an."),
        "too_large": _("Der Betrag ist zu groß; höchstens 999.999.999.999,99 EUR."),
    }

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("in Euro, z. B. „716.000“ oder „716.000,50“"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "40"})

    def to_python(self, value: Any) -> decimal.Decimal | None:
        text = "" if value in self.empty_values else str(value).strip()
        text = _SPACES.sub("", text.replace("€", "").removesuffix("EUR").removesuffix("Euro"))
        if not text:
            return None
        if _DOT_DECIMAL.fullmatch(text) and not _GROUPED.fullmatch(text):
            raise forms.ValidationError(
                self.error_messages["dot_decimal"],
                code="dot_decimal",
                params={"value": text, "suggestion": text.replace(".", ",")},
            )
        if not (_GROUPED.fullmatch(text) or _PLAIN.fullmatch(text)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        whole, _sep, cents = text.partition(",")
        if len(cents) > 2:
            raise forms.ValidationError(self.error_messages["cents"], code="cents")
        amount = decimal.Decimal(f"{whole.replace('.', '')}.{cents or '0'}")
        if amount >= MAX_AMOUNT:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        return amount

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, decimal.Decimal | int):
            return format_eur(value, symbol=False)
        return value


class CoordinateField(forms.DecimalField):
    """Latitude or longitude in degrees; a comma or a dot may separate the decimals (coordinates have
    no thousands)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=8, decimal_places=5, required=False, **kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> decimal.Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
            if re.fullmatch(r"-?\d+\.\d{6,}", value):  # more places than stored: about a metre is enough
                value = str(decimal.Decimal(value).quantize(decimal.Decimal("0.00001")))
        return super().to_python(value)


class WorkshopChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        workshop: Workshop = obj
        return f"{workshop.label}: {workshop.title}"


class WorkshopMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        workshop: Workshop = obj
        return f"{workshop.label}: {workshop.title}"


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        municipality: Municipality = obj
        return f"{municipality.display_name} ({municipality.district.display_name})"


class FocusAreaMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        area: FocusArea = obj
        return f"{area.workshop.label}: {area.title}"


# --- the fact sheet ------------------------------------------------------------------------------

# The groups of the fact sheet form, each shown as a fieldset: (legend, field names).
FACT_SHEET_GROUPS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (_("Eingang"), ("state", "received_on", "note")),
    (_("Projekt und Träger"), ("title", "sponsor", "contact", "lead_workshop", "other_workshops", "focus_areas")),
    (_("Förderung"), ("instrument", "funding_area", "total_cost", "eligible_cost", "grant")),
    (_("Ort"), ("municipality", "district", "latitude", "longitude")),
    (
        _("Beschreibung und Zeitplan"),
        ("description", "expected_effect", "expected_jobs", "planned_start", "planned_end"),
    ),
    (_("Veröffentlichung"), ("public", "public_contact", "public_finances")),
)


class ProjectForm(KernFormMixin, forms.Form):
    """The fact sheet (Projektsteckbrief). ``creating`` adds how the project came in: idea or fact sheet,
    received on which day, with a note."""

    state = forms.TypedChoiceField(
        label=_("Stand bei Eingang"),
        choices=[(state.value, state.label) for state in ProjectState if state in INITIAL_STATES],
        initial=ProjectState.IDEA,
        widget=forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
    )
    received_on = forms.DateField(
        label=_("eingegangen am"), required=False, widget=_date_input(), help_text=_("leer lassen: heute")
    )
    note = forms.CharField(
        label=_("Bemerkung zum Eingang"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("z. B. „per E-Mail vom Projektträger“"),
    )

    title = forms.CharField(
        label=_("Titel"), max_length=300, error_messages={"required": _("Bitte geben Sie den Titel des Projekts an.")}
    )
    sponsor = OrganizationChoiceField(
        label=_("Projektträger"), queryset=Organization.objects.order_by("name"), required=False
    )
    contact = PersonChoiceField(
        label=_("Ansprechperson"),
        queryset=Person.objects.select_related("organization").order_by("family_name", "given_name"),
        required=False,
    )
    lead_workshop = WorkshopChoiceField(
        label=_("Federführende Werkstatt"), queryset=Workshop.objects.order_by("number"), required=False
    )
    other_workshops = WorkshopMultipleChoiceField(
        label=_("Weitere Werkstätten"),
        queryset=Workshop.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "kern-form-check__checkbox"}),
    )
    focus_areas = FocusAreaMultipleChoiceField(
        label=_("Schwerpunkte"),
        queryset=FocusArea.objects.select_related("workshop").order_by("workshop__number", "order", "pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "kern-form-check__checkbox"}),
        help_text=_("Nur Schwerpunkte der federführenden oder einer weiteren Werkstatt des Projekts"),
    )
    instrument = forms.ChoiceField(
        label=_("Förderinstrument"), choices=Instrument.choices, initial=Instrument.INVKG_ARM1
    )
    funding_area = forms.ChoiceField(
        label=_("Förderbereich (§ 4 InvKG)"),
        choices=[("", _("– noch offen –")), *Project._meta.get_field("funding_area").choices],  # type: ignore[misc]
        required=False,
    )
    total_cost = EuroField(label=_("Gesamtkosten (EUR)"), required=False)
    eligible_cost = EuroField(label=_("Förderfähige Kosten (EUR)"), required=False)
    grant = EuroField(
        label=_("Zuwendung (EUR)"),
        required=False,
        help_text=_("höchstens 90 % der förderfähigen Kosten, mindestens 25.000 EUR"),
    )
    municipality = MunicipalityChoiceField(
        label=_("Gemeinde"),
        queryset=Municipality.objects.select_related("district").order_by("name"),
        required=False,
        empty_label=_("– keine –"),
    )
    district = forms.ModelChoiceField(
        label=_("Landkreis / kreisfreie Stadt"),
        queryset=District.objects.order_by("name"),
        required=False,
        empty_label=_("– ergibt sich aus der Gemeinde –"),
        help_text=_("Nur nötig, wenn keine Gemeinde angegeben ist (z. B. für ein Projekt im ganzen Landkreis)"),
    )
    latitude = CoordinateField(label=_("Breite"), help_text=_("optional, in Grad, z. B. 51,75631"))
    longitude = CoordinateField(label=_("Länge"), help_text=_("optional, in Grad, z. B. 14,33289"))
    description = forms.CharField(
        label=_("Beschreibung"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )
    expected_effect = forms.CharField(
        label=_("Erwartete Wirkung"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("z. B. Arbeitsplätze, Wertschöpfung, Versorgung"),
    )
    expected_jobs = forms.IntegerField(label=_("Erwartete Arbeitsplätze"), required=False, min_value=0)
    planned_start = forms.DateField(label=_("Geplanter Beginn"), required=False, widget=_date_input())
    planned_end = forms.DateField(label=_("Geplantes Ende"), required=False, widget=_date_input())
    public = forms.BooleanField(
        label=_("im öffentlichen Projektregister"),
        required=False,
        initial=True,
        help_text=_("Titel, Träger, Werkstatt, Stand, Ort, Beschreibung, Zeitleiste und Meilensteine sind öffentlich."),
    )
    public_contact = forms.BooleanField(
        label=_("Ansprechperson öffentlich"),
        required=False,
        help_text=_("Name und Funktion der Ansprechperson erscheinen auf der öffentlichen Projektseite."),
    )
    public_finances = forms.BooleanField(
        label=_("Kosten und Zuwendung öffentlich"),
        required=False,
        help_text=_("Erst nach der Bewilligung möglich."),
    )

    def __init__(self, *args: Any, creating: bool, project: Project | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            for name in ("state", "received_on", "note"):
                del self.fields[name]
        if project is not None and project.state not in INSTRUMENT_CHANGEABLE_STATES:
            field = self.fields["instrument"]
            field.disabled = True
            field.help_text = _("Nach der Empfehlung kann das Förderinstrument nicht mehr geändert werden.")

    @staticmethod
    def initial_for(project: Project) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(project, name)
            for name in (
                "title",
                "instrument",
                "funding_area",
                "total_cost",
                "eligible_cost",
                "grant",
                "latitude",
                "longitude",
                "description",
                "expected_effect",
                "expected_jobs",
                "planned_start",
                "planned_end",
                "public",
                "public_contact",
                "public_finances",
            )
        }
        initial.update(
            sponsor=project.sponsor_id,
            contact=project.contact_id,
            lead_workshop=project.lead_workshop_id,
            municipality=project.municipality_id,
            # A district that follows from the municipality is not repeated: changing the municipality moves it.
            district=project.district_id if project.municipality_id is None else None,
            other_workshops=[w.pk for w in project.other_workshops.all()],
            focus_areas=[a.pk for a in project.focus_areas.all()],
        )
        return initial

    def groups(self) -> Iterator[tuple[Any, list[forms.BoundField]]]:
        for legend, names in FACT_SHEET_GROUPS:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                yield legend, fields

    def fact_sheet(self) -> dict[str, Any]:
        """The fact sheet fields for ``project_create`` / ``project_update``."""
        data = self.cleaned_data
        values = {name: data[name] for name in FACT_SHEET_FIELDS}
        if self.fields["instrument"].disabled:
            del values["instrument"]
        return values


# --- a step of the pipeline ------------------------------------------------------------------------


class StepForm(KernFormMixin, forms.Form):
    """One step the user may take: a decision date, a note and, for an approval, the grant figures."""

    decision_date = forms.DateField(
        label=_("Datum der Entscheidung"),
        required=False,
        widget=_date_input(),
        error_messages={"required": _("Bitte geben Sie das Datum der Entscheidung an.")},
    )
    note = forms.CharField(
        label=_("Bemerkung"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Bitte begründen Sie diesen Schritt in der Bemerkung.")},
    )
    total_cost = EuroField(
        label=_("Gesamtkosten (EUR)"), error_messages={"required": _("Bitte geben Sie die Gesamtkosten an.")}
    )
    eligible_cost = EuroField(
        label=_("Förderfähige Kosten (EUR)"),
        error_messages={"required": _("Bitte geben Sie die förderfähigen Kosten an.")},
    )
    grant = EuroField(
        label=_("Zuwendung (EUR)"),
        help_text=_("laut Zuwendungsbescheid; höchstens 90 % der förderfähigen Kosten, mindestens 25.000 EUR"),
        error_messages={"required": _("Bitte geben Sie die Zuwendung an.")},
    )

    def __init__(self, *args: Any, step: Step, project: Project, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"schritt-{step.target}")
        kwargs.setdefault(
            "initial",
            {"total_cost": project.total_cost, "eligible_cost": project.eligible_cost, "grant": project.grant},
        )
        super().__init__(*args, **kwargs)
        self.step = step
        self.fields["decision_date"].required = step.needs_decision_date
        if not step.needs_decision_date:
            # No date is invented: a step entered without one keeps an empty date.
            self.fields["decision_date"].help_text = _("leer lassen, wenn das Datum nicht bekannt ist")
        self.fields["note"].required = step.needs_note
        if step.needs_note:
            self.fields["note"].help_text = _("Pflicht: der Grund, wie er dem Projektträger mitgeteilt wurde")
        if not step.needs_grant:
            for name in ("total_cost", "eligible_cost", "grant"):
                del self.fields[name]

    @property
    def target_label(self) -> str:
        return state_label(self.step.target)


# --- milestones and documents ------------------------------------------------------------------------


class MilestoneForm(KernFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Art"), choices=MilestoneKind.choices, initial=MilestoneKind.GROUND_BREAKING)
    title = forms.CharField(
        label=_("Bezeichnung"),
        required=False,
        max_length=200,
        help_text=_("Pflicht bei „Sonstiger Meilenstein“, sonst optional, z. B. „Eröffnung des Bürgerhauses“"),
    )
    planned_date = forms.DateField(label=_("geplant am"), required=False, widget=_date_input())
    actual_date = forms.DateField(
        label=_("stattgefunden am"),
        required=False,
        widget=_date_input(),
        help_text=_("erst eintragen, wenn der Meilenstein stattgefunden hat"),
    )
    note = forms.CharField(
        label=_("Bemerkung"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and data.get("planned_date") is None and data.get("actual_date") is None:
            self.add_error("planned_date", _("Bitte geben Sie an, wann der Meilenstein geplant ist oder stattfand."))
        return data

    @staticmethod
    def initial_for(milestone: Milestone) -> dict[str, Any]:
        return {
            "kind": milestone.kind,
            "title": milestone.title,
            "planned_date": milestone.planned_date,
            "actual_date": milestone.actual_date,
            "note": milestone.note,
        }


class ProjectFileForm(KernFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Datei"),
        help_text=_("PDF, DOCX, PPTX, XLSX, ODT, ODP, ODS, PNG oder JPEG, höchstens %(limit)s MB"),
        error_messages={
            "required": _("Bitte wählen Sie eine Datei aus."),
            "empty": _("Die Datei ist leer."),
            "invalid": _("Das ist keine Datei. Bitte wählen Sie eine Datei aus."),
        },
    )
    name = forms.CharField(
        label=_("Bezeichnung"),
        required=False,
        max_length=250,
        help_text=_("z. B. „Projektsteckbrief“; leer gelassen: der Dateiname"),
    )
    public = forms.BooleanField(
        label=_("öffentlich"),
        required=False,
        help_text=_("Öffentliche Dokumente erscheinen auf der öffentlichen Projektseite; sonst sehen sie nur "
                    "Geschäftsstelle, Förderbank und Staatskanzlei."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "dokument")
        super().__init__(*args, **kwargs)
        file_field = self.fields["file"]
        file_field.help_text = str(file_field.help_text) % {"limit": max_upload_mb()}
        file_field.widget.attrs["accept"] = ACCEPT


# --- sessions: a project on the agenda, and the session's outcome ---------------------------------------


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        project: Project = obj
        workshop = project.lead_workshop.label if project.lead_workshop else _("ohne federführende Werkstatt")
        return f"{project.title} ({workshop}, {project.get_state_display()})"


class PutOnAgendaForm(KernFormMixin, forms.Form):
    project = ProjectChoiceField(
        label=_("Projekt"),
        queryset=Project.objects.none(),
        empty_label=_("– bitte wählen –"),
        help_text=_("Projekte in Qualifizierung, vorgestellte und zurückgestellte Projekte"),
        error_messages={
            "required": _("Bitte wählen Sie ein Projekt aus."),
            "invalid_choice": _(
                "Dieses Projekt kann nicht auf diese Tagesordnung: Es steht schon darauf, oder es ist nicht mehr "
                "in Qualifizierung, vorgestellt oder zurückgestellt."
            ),
        },
    )
    number = forms.CharField(
        label=_("TOP-Nummer"),
        max_length=20,
        validators=[agenda_number_validator],
        help_text=_("z. B. „5“, oder „5.1“ für einen Unterpunkt von TOP 5"),
        error_messages={"required": _("Bitte geben Sie die TOP-Nummer an.")},
    )
    title = forms.CharField(
        label=_("Titel des TOP"),
        required=False,
        max_length=500,
        help_text=_("leer lassen: „Vorstellung Investitionsprojekt „…““ bzw. „Vorstellung STARK-Projekt „…““"),
    )
    presenter = PersonChoiceField(
        label=_("Vortragende Person"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("– später eintragen –"),
    )

    def __init__(self, *args: Any, projects: QuerySet[Project], persons: QuerySet[Person], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "projekt")
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["project"]).queryset = projects
        cast(forms.ModelChoiceField, self.fields["presenter"]).queryset = persons


class OutcomeForm(KernFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Ergebnis der Beratung"),
        choices=ConsultationOutcome.choices,
        widget=forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
        error_messages={"required": _("Bitte wählen Sie das Ergebnis der Beratung.")},
    )
    conditions = forms.CharField(
        label=_("Auflagen / Bemerkung"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pflicht bei „Empfehlung mit Auflagen“"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "ergebnis")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("outcome") == ConsultationOutcome.RECOMMENDATION_WITH_CONDITIONS
            and not data.get("conditions", "").strip()
        ):
            self.add_error("conditions", _("Bitte nennen Sie die Auflagen der Empfehlung."))
        return data
