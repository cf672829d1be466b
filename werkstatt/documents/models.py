from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from werkstatt.core.models import TimeStampedModel


class File(TimeStampedModel):
    """An uploaded or generated document, or an attachment the minutes list by name only."""

    name = models.CharField(_("Bezeichnung"), max_length=250)
    file = models.FileField(_("Datei"), upload_to="files/%Y/%m/", blank=True)
    file_name = models.CharField(_("Dateiname"), max_length=250, blank=True)
    mime_type = models.CharField(_("MIME-Typ"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("Größe in Bytes"), null=True, blank=True)
    sha512 = models.CharField(_("SHA-512-Prüfsumme"), max_length=128, blank=True)
    text = models.TextField(_("Extrahierter Text"), blank=True)
    public = models.BooleanField(_("öffentlich"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Datei")
        verbose_name_plural = _("Dateien")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_content(self) -> bool:
        return bool(self.file)
