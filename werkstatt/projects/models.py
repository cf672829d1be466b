"""Projects (OParl ``Paper``): the fact sheet, its path through the pipeline, consultations and milestones."""

import decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from werkstatt.core.models import TimeStampedModel
from werkstatt.documents.models import File
from werkstatt.geo.models import POINT_INCOMPLETE, District, Municipality, latitude_field, longitude_field
from werkstatt.meetings.models import AgendaItem, Meeting
from werkstatt.organizations.models import Body, FocusArea, Organization, Person, Workshop
from werkstatt.projects.workflow import APPROVED_STATES, FundingInstrument, ProjectState

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The rules of the coal-regions investment act for a grant (DESIGN.md section 2).
MAX_FUNDING_RATE = decimal.Decimal("0.90")
MIN_GRANT = decimal.Decimal("25000")


class FundingArea(models.TextChoices):
    """The nine funding areas of § 4 Abs. 1 of the Investitionsgesetz Kohleregionen (InvKG)."""

    ECONOMIC_INFRASTRUCTURE = "1", _("1 – Wirtschaftsnahe Infrastruktur")
    TRANSPORT = "2", _("2 – Verkehr")
    PUBLIC_WELFARE = "3", _("3 – Öffentliche Fürsorge (Gesundheit, Bildung, Betreuung)")
    URBAN_DEVELOPMENT = "4", _("4 – Städtebau, Stadt- und Regionalentwicklung")
    DIGITALISATION = "5", _("5 – Digitalisierung, Breitband- und Mobilfunkinfrastruktur")
    TOURISM = "6", _("6 – Touristische Infrastruktur")
    RESEARCH = "7", _("7 – Forschung, Innovation und Technologietransfer")
    CLIMATE = "8", _("8 – Klima- und Umweltschutz")
    NATURE = "9", _("9 – Naturschutz und Landschaftspflege")


def _money(verbose_name: "StrOrPromise") -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(decimal.Decimal("0"))],
    )


class Project(TimeStampedModel):
    """A project of the structural change, from idea to opening."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="projects", verbose_name=_("Prozess"))
    title = models.CharField(_("Titel"), max_length=300)
    sponsor = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sponsored_projects",
        verbose_name=_("Projektträger"),
    )
    contact = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_for_projects",
        verbose_name=_("Ansprechperson"),
    )
    lead_workshop = models.ForeignKey(
        Workshop,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_projects",
        verbose_name=_("Federführende Werkstatt"),
    )
    other_workshops = models.ManyToManyField(
        Workshop, blank=True, related_name="heard_projects", verbose_name=_("Weitere Werkstätten")
    )
    instrument = models.CharField(
        _("Förderinstrument"), max_length=20, choices=FundingInstrument.choices, default=FundingInstrument.INVKG_ARM1
    )
    funding_area = models.CharField(
        _("Förderbereich (§ 4 InvKG)"), max_length=2, choices=FundingArea.choices, blank=True
    )
    state = models.CharField(_("Stand"), max_length=20, choices=ProjectState.choices, default=ProjectState.IDEA)

    total_cost = _money(_("Gesamtkosten (EUR)"))
    eligible_cost = _money(_("Förderfähige Kosten (EUR)"))
    grant = _money(_("Zuwendung (EUR)"))

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("Gemeinde"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("Landkreis / kreisfreie Stadt"),
    )
    latitude = latitude_field()
    longitude = longitude_field()

    description = models.TextField(_("Beschreibung"), blank=True)
    expected_effect = models.TextField(
        _("Erwartete Wirkung"), blank=True, help_text=_("z. B. Arbeitsplätze, Wertschöpfung, Versorgung")
    )
    expected_jobs = models.PositiveIntegerField(_("Erwartete Arbeitsplätze"), null=True, blank=True)
    planned_start = models.DateField(_("Geplanter Beginn"), null=True, blank=True)
    planned_end = models.DateField(_("Geplantes Ende"), null=True, blank=True)
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="projects", verbose_name=_("Schwerpunkte"))
    files = models.ManyToManyField(File, blank=True, related_name="projects", verbose_name=_("Dokumente"))

    # The dates of the decisions on the way; written only by the transition service, with the status change.
    presented_on = models.DateField(_("vorgestellt am"), null=True, blank=True)
    recommended_on = models.DateField(_("empfohlen am"), null=True, blank=True)
    forwarded_on = models.DateField(_("weitergeleitet am"), null=True, blank=True)
    confirmed_on = models.DateField(_("IMAG-bestätigt am"), null=True, blank=True)
    applied_on = models.DateField(_("Förderantrag am"), null=True, blank=True)
    approved_on = models.DateField(_("bewilligt am"), null=True, blank=True)

    # Public flags per field group.
    public = models.BooleanField(
        _("im öffentlichen Projektregister"),
        default=True,
        help_text=_("Titel, Träger, Werkstatt, Stand, Ort, Beschreibung, Zeitleiste und Meilensteine."),
    )
    public_contact = models.BooleanField(_("Ansprechperson öffentlich"), default=False)
    public_finances = models.BooleanField(
        _("Kosten und Zuwendung öffentlich"), default=False, help_text=_("Erst nach der Bewilligung möglich.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Projekt")
        verbose_name_plural = _("Projekte")
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["state"], name="project_state_idx"),
            models.Index(fields=["public", "state"], name="project_public_state_idx"),
            models.Index(fields=["confirmed_on"], name="project_confirmed_on_idx"),
            # The register's default order and "last changed": the first page is read from the index instead of
            # joining and sorting every project (bench/RESULTS.md).
            models.Index(fields=["title", "id"], name="project_title_idx"),
            models.Index(fields=["modified", "id"], name="project_modified_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(grant__isnull=True) | Q(grant__gte=MIN_GRANT),
                name="project_grant_minimum",
                violation_error_message=_("Eine Zuwendung beträgt mindestens 25.000 EUR."),
            ),
            models.CheckConstraint(
                condition=Q(grant__isnull=True)
                | Q(eligible_cost__isnull=True)
                | Q(grant__lte=F("eligible_cost") * MAX_FUNDING_RATE),
                name="project_grant_max_rate",
                violation_error_message=_("Die Zuwendung darf höchstens 90 % der förderfähigen Kosten betragen."),
            ),
            models.CheckConstraint(
                condition=Q(eligible_cost__isnull=True)
                | Q(total_cost__isnull=True)
                | Q(eligible_cost__lte=F("total_cost")),
                name="project_eligible_within_total",
                violation_error_message=_("Die förderfähigen Kosten können nicht höher sein als die Gesamtkosten."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="project_end_after_start",
                violation_error_message=_("Das geplante Ende darf nicht vor dem geplanten Beginn liegen."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def funding_rate(self) -> decimal.Decimal | None:
        """The grant as a share of the eligible cost, e.g. ``Decimal("0.9")``."""
        if self.grant is None or not self.eligible_cost:
            return None
        return self.grant / self.eligible_cost

    @property
    def is_approved(self) -> bool:
        return self.approved_on is not None or self.state in APPROVED_STATES

    @property
    def finances_are_public(self) -> bool:
        return self.public and self.public_finances and self.is_approved

    @property
    def kind_label(self) -> str:
        """As the minutes say it: "STARK-Projekt" or "Investitionsprojekt"."""
        return "STARK-Projekt" if self.instrument == FundingInstrument.STARK else "Investitionsprojekt"

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        if self.grant is not None and self.eligible_cost is None:
            errors.setdefault("eligible_cost", []).append(
                ValidationError(_("Zu einer Zuwendung gehören die förderfähigen Kosten."))
            )
        if self.grant is not None and self.eligible_cost and self.grant > self.eligible_cost * MAX_FUNDING_RATE:
            errors.setdefault("grant", []).append(
                ValidationError(
                    _(
                        "Die Zuwendung von %(grant)s EUR ist mehr als 90 %% der förderfähigen Kosten "
                        "(höchstens %(max)s EUR)."
                    ),
                    params={
                        "grant": _format_eur(self.grant),
                        "max": _format_eur(self.eligible_cost * MAX_FUNDING_RATE),
                    },
                )
            )
        if self.grant is not None and self.grant < MIN_GRANT:
            errors.setdefault("grant", []).append(
                ValidationError(
                    _("Eine Zuwendung beträgt mindestens 25.000 EUR; angegeben sind %(grant)s EUR."),
                    params={"grant": _format_eur(self.grant)},
                )
            )
        if self.public_finances and not self.is_approved:
            errors.setdefault("public_finances", []).append(
                ValidationError(_("Kosten und Zuwendung dürfen erst nach der Bewilligung veröffentlicht werden."))
            )
        if (self.latitude is None) != (self.longitude is None):
            errors.setdefault("latitude", []).append(ValidationError(POINT_INCOMPLETE))
        if (
            self.municipality is not None
            and self.district_id is not None
            and self.municipality.district_id != self.district_id
        ):
            errors.setdefault("district", []).append(
                ValidationError(_("Die Gemeinde liegt nicht in diesem Landkreis."))
            )
        if errors:
            raise ValidationError(errors)


# ``Project.finances_are_public`` as a filter, for counting and summing in SQL; keep the two in step.
FINANCES_ARE_PUBLIC = Q(public=True, public_finances=True) & (
    Q(approved_on__isnull=False) | Q(state__in=APPROVED_STATES)
)


def _format_eur(value: decimal.Decimal) -> str:
    from werkstatt.core.numbers import format_eur

    return format_eur(value, symbol=False)


class ProjectStatusChange(models.Model):
    """One step of a project through the pipeline: a recorded decision, never changed afterwards."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("Projekt")
    )
    from_state = models.CharField(_("von"), max_length=20, choices=ProjectState.choices, blank=True)
    to_state = models.CharField(_("nach"), max_length=20, choices=ProjectState.choices)
    decision_date = models.DateField(_("Datum der Entscheidung"), null=True, blank=True)
    note = models.TextField(_("Bemerkung"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_status_changes",
        verbose_name=_("erfasst von"),
    )
    consultation = models.ForeignKey(
        "Consultation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_changes",
        verbose_name=_("Beratung"),
    )
    created = models.DateTimeField(_("erfasst am"), default=timezone.now)

    class Meta:
        verbose_name = _("Statuswechsel")
        verbose_name_plural = _("Statuswechsel")
        ordering = ["project", "created", "pk"]
        indexes = [models.Index(fields=["to_state", "decision_date"], name="status_change_to_date_idx")]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_from_state_display()} → {self.get_to_state_display()}"


class ConsultationRole(models.TextChoices):
    PRESENTATION = "presentation", _("Vorstellung")
    DELIBERATION = "deliberation", _("Beratung")
    RECOMMENDATION = "recommendation", _("Votum")
    NOTICE = "notice", _("Kenntnisnahme")


class ConsultationOutcome(models.TextChoices):
    RECOMMENDATION = "recommendation", _("konsensuale Empfehlung")
    RECOMMENDATION_WITH_CONDITIONS = "recommendation_conditions", _("Empfehlung mit Auflagen")
    DEFERRAL = "deferral", _("Zurückstellung")
    NO_RECOMMENDATION = "no_recommendation", _("keine Empfehlung")
    NOTICE = "notice", _("Kenntnisnahme")


class Consultation(TimeStampedModel):
    """A project heard in a session of a workshop (OParl ``Consultation``)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="consultations", verbose_name=_("Projekt")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("Sitzung")
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("TOP"),
    )
    authoritative = models.BooleanField(
        _("federführend"), default=False, help_text=_("Die Sitzung der federführenden Werkstatt entscheidet.")
    )
    role = models.CharField(
        _("Rolle"), max_length=20, choices=ConsultationRole.choices, default=ConsultationRole.PRESENTATION
    )
    outcome = models.CharField(_("Ergebnis"), max_length=30, choices=ConsultationOutcome.choices, blank=True)
    conditions = models.TextField(_("Auflagen / Bemerkung"), blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recorded_consultations",
        verbose_name=_("Ergebnis erfasst von"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Beratung")
        verbose_name_plural = _("Beratungen")
        ordering = ["meeting__date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "meeting"],
                name="consultation_unique_per_meeting",
                violation_error_message=_("Das Projekt steht schon auf der Tagesordnung dieser Sitzung."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome="recommendation_conditions") | ~Q(conditions=""),
                name="consultation_conditions_stated",
                violation_error_message=_("Bei einer Empfehlung mit Auflagen werden die Auflagen genannt."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} in {self.meeting}"

    @property
    def workshop(self) -> Workshop:
        return self.meeting.workshop


class MilestoneKind(models.TextChoices):
    GROUND_BREAKING = "ground_breaking", _("Spatenstich")
    FOUNDATION_STONE = "foundation_stone", _("Grundsteinlegung")
    TOPPING_OUT = "topping_out", _("Richtfest")
    OPENING = "opening", _("Eröffnung")
    COMMISSIONING = "commissioning", _("Inbetriebnahme")
    OTHER = "other", _("Sonstiger Meilenstein")


class Milestone(TimeStampedModel):
    """A dated event of a project: planned, and once it happened, with its actual date."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("Projekt"))
    kind = models.CharField(_("Art"), max_length=20, choices=MilestoneKind.choices)
    title = models.CharField(
        _("Bezeichnung"), max_length=200, blank=True, help_text=_("Pflicht bei „Sonstiger Meilenstein“")
    )
    planned_date = models.DateField(_("geplant am"), null=True, blank=True)
    actual_date = models.DateField(_("stattgefunden am"), null=True, blank=True)
    note = models.TextField(_("Bemerkung"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["project", "planned_date", "actual_date", "pk"]
        indexes = [
            models.Index(fields=["planned_date"], name="milestone_planned_idx"),
            models.Index(fields=["actual_date"], name="milestone_actual_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_date__isnull=False) | Q(actual_date__isnull=False),
                name="milestone_has_a_date",
                violation_error_message=_("Ein Meilenstein hat ein geplantes oder ein tatsächliches Datum."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="other") | ~Q(title=""),
                name="milestone_other_has_title",
                violation_error_message=_("Ein sonstiger Meilenstein braucht eine Bezeichnung."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.title or str(self.get_kind_display())

    @property
    def date(self):  # type: ignore[no-untyped-def]
        return self.actual_date or self.planned_date

    @property
    def done(self) -> bool:
        return self.actual_date is not None

    def clean(self) -> None:
        if self.actual_date is not None and self.actual_date > timezone.localdate():
            raise ValidationError(
                {
                    "actual_date": _(
                        "Ein Meilenstein kann nicht in der Zukunft stattgefunden haben; bitte „geplant am“ nutzen."
                    )
                }
            )
