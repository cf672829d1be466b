import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from werkstatt.core.models import TimeStampedModel
from werkstatt.documents.models import File
from werkstatt.geo.models import Location
from werkstatt.meetings.workflow import PUBLIC_AGENDA_STATES, MeetingState, MinutesState
from werkstatt.organizations.models import Organization, Person, Workshop

AGENDA_NUMBER_RE = re.compile(r"^\d{1,3}(\.\d{1,3})*$")
agenda_number_validator = RegexValidator(
    AGENDA_NUMBER_RE,
    _("Eine TOP-Nummer besteht aus Zahlen, getrennt durch einzelne Punkte, z. B. „4“ oder „4.1“."),
)


class Meeting(TimeStampedModel):
    """A numbered session of a workshop."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("Werkstatt")
    )
    number = models.PositiveSmallIntegerField(
        _("Sitzungsnummer"), null=True, blank=True, help_text=_("Leer, wenn die Nummer nicht überliefert ist.")
    )
    date = models.DateField(_("Datum"))
    start_time = models.TimeField(_("Beginn"), null=True, blank=True)
    end_time = models.TimeField(_("Ende"), null=True, blank=True)
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings", verbose_name=_("Ort")
    )
    chair = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_meetings",
        verbose_name=_("Sitzungsleitung"),
    )
    chair_function = models.CharField(_("Funktion der Sitzungsleitung"), max_length=250, blank=True)
    minute_taker = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="minuted_meetings",
        verbose_name=_("Protokollant/in"),
    )
    minute_taker_function = models.CharField(_("Funktion der Protokollführung"), max_length=250, blank=True)
    state = models.CharField(_("Status"), max_length=20, choices=MeetingState.choices, default=MeetingState.PLANNED)
    minutes_state = models.CharField(
        _("Status des Protokolls"), max_length=20, choices=MinutesState.choices, default=MinutesState.DRAFT
    )
    attendees = models.ManyToManyField(
        Person, blank=True, related_name="attended_meetings", verbose_name=_("Anwesende Personen")
    )
    attending_organizations = models.ManyToManyField(
        Organization, blank=True, related_name="attended_meetings", verbose_name=_("Anwesende Organisationen")
    )
    files = models.ManyToManyField(File, blank=True, related_name="meetings", verbose_name=_("Anlagen"))
    # The published documents, stored once and never rendered again (open data: OParl Meeting.invitation and
    # Meeting.resultsProtocol). A new version (an erratum, a changed invitation) is a new File; the earlier one
    # stays, and the history rows of the meeting point to each. PROTECT: the file behind published minutes is
    # not deleted by accident (the admin refuses and says why); replacing it goes through the services.
    minutes_document = models.ForeignKey(
        File,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Veröffentlichtes Ergebnisprotokoll (PDF)"),
    )
    invitation_document = models.ForeignKey(
        File,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Einladung mit Tagesordnung (PDF)"),
    )
    ics_sequence = models.PositiveIntegerField(
        _("Version der Kalendereinladung"),
        default=0,
        help_text=_("Steigt mit jeder geänderten oder abgesagten Einladung (iCalendar SEQUENCE)."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-date", "-start_time", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "number"],
                name="meeting_unique_number_per_workshop",
                violation_error_message=_("Diese Werkstatt hat schon eine Sitzung mit dieser Nummer."),
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="meeting_end_after_start",
                violation_error_message=_("Das Ende der Sitzung muss nach ihrem Beginn liegen."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if self.number:
            return f"{self.number}. Sitzung der {self.workshop.label}"
        return f"Sitzung der {self.workshop.label} vom {self.date:%d.%m.%Y}"

    def clean(self) -> None:
        if self.end_time is not None and self.start_time is None:
            raise ValidationError({"start_time": _("Ohne Beginn kann kein Ende angegeben werden.")})

    @property
    def start(self) -> dt.datetime | None:
        if self.start_time is None:
            return None
        return timezone.make_aware(dt.datetime.combine(self.date, self.start_time))

    @property
    def end(self) -> dt.datetime | None:
        if self.end_time is None:
            return None
        return timezone.make_aware(dt.datetime.combine(self.date, self.end_time))

    @property
    def minutes_are_public(self) -> bool:
        return self.minutes_state == MinutesState.PUBLISHED

    @property
    def agenda_is_public(self) -> bool:
        return self.state in PUBLIC_AGENDA_STATES


class AgendaItemKind(models.TextChoices):
    ORDINARY = "ordinary", _("Tagesordnungspunkt")
    MINUTES_APPROVAL = "minutes_approval", _("Bestätigung des Protokolls")
    PROJECT_REPORT = "project_report", _("Sachstand der Projekte")
    PROJECT_PRESENTATION = "project_presentation", _("Projektvorstellung")


class AgendaItem(TimeStampedModel):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("Sitzung")
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"))
    number = models.CharField(_("TOP-Nummer"), max_length=20, validators=[agenda_number_validator])
    title = models.CharField(_("Titel"), max_length=500)
    note = models.TextField(_("Erläuterung"), blank=True, help_text=_("Ergänzung unter dem Titel, z. B. Schwerpunkte"))
    public = models.BooleanField(_("öffentlich"), default=True)
    kind = models.CharField(_("Art"), max_length=30, choices=AgendaItemKind.choices, default=AgendaItemKind.ORDINARY)
    approves_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_by_items",
        verbose_name=_("bestätigt das Protokoll der Sitzung"),
    )
    result = models.TextField(_("Ergebnis"), blank=True, help_text=_("Bereinigter Rich Text"))
    result_version = models.PositiveIntegerField(
        _("Version des Ergebnisses"),
        default=0,
        help_text=_("Für gleichzeitiges Bearbeiten: steigt mit jedem Speichern."),
    )
    files = models.ManyToManyField(File, blank=True, related_name="agenda_items", verbose_name=_("Anlagen"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agenda_item_unique_order"),
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="agenda_item_unique_number",
                violation_error_message=_("Diese TOP-Nummer gibt es in der Sitzung schon."),
            ),
        ]

    def __str__(self) -> str:
        return f"TOP {self.number} {self.title}"

    def clean(self) -> None:
        if self.kind == AgendaItemKind.MINUTES_APPROVAL:
            if self.approves_meeting_id is None:
                raise ValidationError(
                    {
                        "approves_meeting": _(
                            "Ein TOP zur Bestätigung eines Protokolls nennt die Sitzung, deren Protokoll er bestätigt."
                        )
                    }
                )
        elif self.approves_meeting_id is not None:
            raise ValidationError(
                {"approves_meeting": _("Nur ein TOP zur Bestätigung eines Protokolls verweist auf eine Sitzung.")}
            )
        if self.approves_meeting_id is not None and self.approves_meeting_id == self.meeting_id:
            raise ValidationError({"approves_meeting": _("Eine Sitzung kann nicht ihr eigenes Protokoll bestätigen.")})


class AgendaItemPresenter(models.Model):
    """Who presented an item, with function and organisation as stated at that time."""

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="presenters", verbose_name=_("TOP")
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="presentations", verbose_name=_("Person")
    )
    group_label = models.CharField(
        _("Gruppe"), max_length=200, blank=True, help_text=_("Statt einer Person, z. B. „Alle Werkstattmitglieder“")
    )
    function = models.CharField(_("Funktion (damals)"), max_length=250, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="presentations",
        verbose_name=_("Organisation"),
    )
    organization_name = models.CharField(_("Organisation (wie genannt)"), max_length=250, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Vortragende/r")
        verbose_name_plural = _("Vortragende")
        ordering = ["agenda_item", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(group_label="")) | (Q(person__isnull=True) & ~Q(group_label="")),
                name="presenter_person_or_group",
                violation_error_message=_("Vortragende sind entweder eine Person oder eine Gruppe."),
            ),
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        """As the minutes write it: ``Jan Lewerenz, Leiter Lausitz-Büro, Investitionsbank des Landes Brandenburg``."""
        name = self.person.name if self.person else self.group_label
        return ", ".join(part for part in (name, self.function, self.organization_name) if part)


class MinutesComment(TimeStampedModel):
    """A member's remark on circulated minutes, for the office to consider before approval."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="minutes_comments", verbose_name=_("Sitzung")
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="comments", verbose_name=_("TOP")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="minutes_comments", verbose_name=_("von")
    )
    text = models.TextField(_("Anmerkung"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Anmerkung zum Protokoll")
        verbose_name_plural = _("Anmerkungen zum Protokoll")
        ordering = ["meeting", "created", "pk"]

    def __str__(self) -> str:
        return f"{self.author} zu {self.meeting}"


class Erratum(TimeStampedModel):
    """A visible correction of approved minutes: approved minutes are never edited."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="errata", verbose_name=_("Sitzung"))
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="errata", verbose_name=_("TOP")
    )
    text = models.TextField(_("Berichtigung"), help_text=_("Bereinigter Rich Text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="errata", verbose_name=_("von")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Berichtigung")
        verbose_name_plural = _("Berichtigungen")
        ordering = ["meeting", "created", "pk"]

    def __str__(self) -> str:
        return f"Berichtigung zu {self.meeting}"
