from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from werkstatt.core.models import TimeStampedModel


class Body(TimeStampedModel):
    """The region's process; everything hangs below one so a second region can be hosted later."""

    name = models.CharField(_("Name"), max_length=200, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=50, blank=True)
    website = models.URLField(_("Website"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Körperschaft / Prozess")
        verbose_name_plural = _("Körperschaften / Prozesse")

    def __str__(self) -> str:
        return self.name


class LegislativeTerm(TimeStampedModel):
    """A funding period of the process (Förderperiode, OParl ``LegislativeTerm``), e.g. 2020 to 2026 under the InvKG."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="legislative_terms", verbose_name=_("Prozess")
    )
    name = models.CharField(_("Bezeichnung"), max_length=200)
    start_date = models.DateField(_("Beginn"))
    end_date = models.DateField(_("Ende"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Förderperiode")
        verbose_name_plural = _("Förderperioden")
        ordering = ["body", "start_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "name"],
                name="legislative_term_unique_name_per_body",
                violation_error_message=_("Eine Förderperiode mit dieser Bezeichnung gibt es schon."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="legislative_term_end_after_start",
                violation_error_message=_("Das Ende der Förderperiode darf nicht vor ihrem Beginn liegen."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrganizationKind(models.TextChoices):
    CHANCELLERY = "chancellery", _("Staatskanzlei")
    MINISTRY = "ministry", _("Ministerium")
    STATE_AGENCY = "state_agency", _("Landesbehörde")
    DISTRICT = "district", _("Landkreis / kreisfreie Stadt")
    MUNICIPALITY = "municipality", _("Stadt / Gemeinde")
    LOCAL_ACTION_GROUP = "local_action_group", _("Lokale Aktionsgruppe (LAG)")
    MUNICIPAL_GROUP = "municipal_group", _("Kommunale Arbeitsgemeinschaft")
    UNIVERSITY = "university", _("Hochschule / Forschung")
    CHAMBER = "chamber", _("Kammer")
    UNION = "union", _("Gewerkschaft")
    CIVIL_SOCIETY = "civil_society", _("Zivilgesellschaft")
    COMPANY = "company", _("Unternehmen / Gesellschaft")
    BANK = "bank", _("Förderbank")
    WORKING_GROUP = "working_group", _("Arbeitsgruppe")
    DEVELOPMENT_AGENCY = "development_agency", _("Strukturentwicklungsgesellschaft")
    OTHER = "other", _("Sonstige")


class Organization(TimeStampedModel):
    """Any organisation: member institutions, sponsors, the State Chancellery, the bank, the working group."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("Prozess"))
    name = models.CharField(_("Name"), max_length=250)
    short_name = models.CharField(_("Kurzname"), max_length=50, blank=True)
    kind = models.CharField(_("Art"), max_length=30, choices=OrganizationKind.choices, default=OrganizationKind.OTHER)
    website = models.URLField(_("Website"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "name"],
                name="organization_unique_name_per_body",
                violation_error_message=_("Eine Organisation mit diesem Namen gibt es schon."),
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name as member lists write it.

        An abbreviation follows the name in parentheses (``Industrie- und Handelskammer Cottbus (IHK)``);
        a short form of several words is used on its own (``LAG Elbe-Elster``).
        """
        if not self.short_name:
            return self.name
        if " " in self.short_name:
            return self.short_name
        return f"{self.name} ({self.short_name})"


class Workshop(TimeStampedModel):
    """A Werkstatt: one of the thematic workshops of the process."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="workshops", verbose_name=_("Prozess"))
    number = models.PositiveSmallIntegerField(_("Nummer"), help_text=_("z. B. 4 für Werkstatt 4"))
    title = models.CharField(_("Titel"), max_length=250)
    mission = models.TextField(_("Auftrag / Ziel"), blank=True)
    next_session_date = models.DateField(
        _("Nächste Sitzung (angekündigt)"),
        null=True,
        blank=True,
        help_text=_("Der öffentlich angekündigte Termin der nächsten Sitzung."),
    )
    comment_moderation = models.CharField(
        _("Moderation der Kommentare"),
        max_length=10,
        choices=[
            ("pre", _("vor der Veröffentlichung prüfen")),
            ("post", _("sofort veröffentlichen, danach prüfen")),
        ],
        default="pre",
        help_text=_(
            "Ob Kommentare zu Projekten und Protokollen dieser Werkstatt erst nach Freigabe erscheinen (Vorgabe) "
            "oder sofort nach Bestätigung der Adresse und danach geprüft werden."
        ),
    )
    members: "models.ManyToManyField[Organization, WorkshopMember]" = models.ManyToManyField(
        Organization, through="WorkshopMember", related_name="workshops", verbose_name=_("Mitgliedsorganisationen")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Werkstatt")
        verbose_name_plural = _("Werkstätten")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number"],
                name="workshop_unique_number_per_body",
                violation_error_message=_("Eine Werkstatt mit dieser Nummer gibt es schon."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="workshop_number_positive"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"Werkstatt {self.number}"


class FocusArea(models.Model):
    """A Schwerpunkt of a workshop, e.g. "IUC-Modellregion Gesundheit"."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="focus_areas", verbose_name=_("Werkstatt")
    )
    title = models.CharField(_("Titel"), max_length=250)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Schwerpunkt")
        verbose_name_plural = _("Schwerpunkte")
        ordering = ["workshop", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "title"], name="focus_area_unique_title_per_workshop")
        ]

    def __str__(self) -> str:
        return self.title


class WorkshopMember(models.Model):
    """An organisation sitting in a workshop, from ``since`` until ``until``."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="member_links", verbose_name=_("Werkstatt")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="workshop_links", verbose_name=_("Organisation")
    )
    since = models.DateField(_("seit"), null=True, blank=True)
    until = models.DateField(_("bis"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Mitgliedsorganisation")
        verbose_name_plural = _("Mitgliedsorganisationen")
        ordering = ["workshop", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "organization", "since"],
                name="workshop_member_unique",
                violation_error_message=_("Diese Organisation ist ab diesem Datum schon Mitglied der Werkstatt."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="workshop_member_until_after_since",
                violation_error_message=_("„bis“ darf nicht vor „seit“ liegen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} in {self.workshop}"


class Person(TimeStampedModel):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="persons", verbose_name=_("Prozess"))
    title = models.CharField(_("Akademischer Titel"), max_length=50, blank=True, help_text=_("z. B. Prof. Dr.-Ing."))
    given_name = models.CharField(_("Vorname"), max_length=100)
    family_name = models.CharField(_("Nachname"), max_length=100)
    qualification = models.CharField(
        _("Berufsbezeichnung / Abschluss"), max_length=100, blank=True, help_text=_("z. B. Diplom-Ingenieur")
    )
    function = models.CharField(_("Funktion"), max_length=250, blank=True, help_text=_("z. B. Geschäftsführer"))
    email = models.EmailField(_("E-Mail-Adresse"), blank=True, help_text=_("Für Einladungen und Protokolle"))
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="persons",
        verbose_name=_("Organisation"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("Benutzerkonto"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.title, self.given_name, self.family_name) if part)

    @property
    def details(self) -> list[str]:
        """Qualification and function, e.g. ``["Diplom-Ingenieur", "Werkstattsprecher"]``."""
        return [part for part in (self.qualification, self.function) if part]


class MembershipRole(models.TextChoices):
    SPEAKER = "speaker", _("Werkstattsprecher/in")
    DEPUTY = "deputy", _("Stellvertretung")
    DELEGATE = "delegate", _("Delegierte/r")
    GUEST = "guest", _("Gast")


class Membership(TimeStampedModel):
    """A person in a workshop, in a role, on behalf of an organisation."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Person"))
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Werkstatt")
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.DELEGATE)
    on_behalf_of = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("für die Organisation"),
    )
    start_date = models.DateField(_("von"), null=True, blank=True)
    end_date = models.DateField(_("bis"), null=True, blank=True)
    statement = models.TextField(_("Statement"), blank=True, help_text=_("z. B. das Zitat des Werkstattsprechers"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["workshop", "role", "person"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_end_after_start",
                violation_error_message=_("Das Ende der Mitgliedschaft darf nicht vor ihrem Beginn liegen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} – {self.workshop}"
