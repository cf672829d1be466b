from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from werkstatt.core.models import TimeStampedModel

# An optional point (WGS 84, five decimals: about a metre), used by places and projects alike.
POINT_INCOMPLETE = _("Breite und Länge werden nur zusammen angegeben.")


def latitude_field() -> models.DecimalField:
    return models.DecimalField(
        _("Breite"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )


def longitude_field() -> models.DecimalField:
    return models.DecimalField(
        _("Länge"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )


class District(TimeStampedModel):
    """A Landkreis or kreisfreie Stadt of the Lausitz (reference data, BKG VG5000)."""

    ags = models.CharField(_("Kreisschlüssel"), max_length=5, unique=True, validators=[RegexValidator(r"^\d{5}$")])
    name = models.CharField(_("Name"), max_length=100)
    name_dsb = models.CharField(_("Name (niedersorbisch)"), max_length=100, blank=True)
    kind = models.CharField(_("Art"), max_length=50)
    population = models.PositiveIntegerField(_("Einwohnerzahl"), null=True, blank=True)
    population_date = models.DateField(_("Stand der Einwohnerzahl"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Landkreis / kreisfreie Stadt")
        verbose_name_plural = _("Landkreise und kreisfreie Städte")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.name}/{self.name_dsb}" if self.name_dsb else self.name


class Municipality(TimeStampedModel):
    """A Gemeinde or Stadt (reference data, BKG VG5000)."""

    ags = models.CharField(_("Gemeindeschlüssel"), max_length=8, unique=True, validators=[RegexValidator(r"^\d{8}$")])
    name = models.CharField(_("Name"), max_length=100)
    name_dsb = models.CharField(_("Name (niedersorbisch)"), max_length=100, blank=True)
    kind = models.CharField(_("Art"), max_length=50)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("Landkreis")
    )
    latitude = models.DecimalField(_("Breite"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("Länge"), max_digits=8, decimal_places=5, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Gemeinde")
        verbose_name_plural = _("Gemeinden")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.name}/{self.name_dsb}" if self.name_dsb else self.name


class Location(TimeStampedModel):
    """Where a session takes place: a building or room with its address."""

    description = models.CharField(_("Bezeichnung"), max_length=200, blank=True, help_text=_("z. B. Bürgerzentrum"))
    room = models.CharField(_("Raum"), max_length=100, blank=True)
    street_address = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("Postleitzahl"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("Eine Postleitzahl hat fünf Ziffern."))],
    )
    locality = models.CharField(_("Ort"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="locations",
        verbose_name=_("Gemeinde"),
    )
    latitude = latitude_field()
    longitude = longitude_field()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Ort")
        verbose_name_plural = _("Orte")

    def __str__(self) -> str:
        return self.address_line

    def clean(self) -> None:
        if not (self.description or self.street_address or self.locality):
            raise ValidationError(_("Ein Ort braucht eine Bezeichnung oder eine Anschrift."))
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(POINT_INCOMPLETE)

    @property
    def address_line(self) -> str:
        """As the minutes write it: ``Bürgerzentrum, Uferstraße 6, 04916 Herzberg (Elster)``."""
        town = " ".join(part for part in (self.postal_code, self.locality) if part)
        return ", ".join(part for part in (self.description, self.room, self.street_address, town) if part)
