"""What the imports keep: the original document each imported session came from."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from werkstatt.core.models import TimeStampedModel
from werkstatt.documents.models import File
from werkstatt.meetings.models import Meeting


class SourceFormat(models.TextChoices):
    # The values of ``importers.minutes.document`` (TEXT, DOCX, PDF).
    TEXT = "text", _("Text")
    DOCX = "docx", _("Word (DOCX)")
    PDF = "pdf", _("PDF")


class MinutesSource(TimeStampedModel):
    """One imported document of a session's minutes: the original file with its checksum.

    A session may have several (each corrected version that was imported); the newest is the
    session's source document. The file is internal (not public) and is not among the session's
    attachments; its ``text`` is the text the reader extracted.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="minutes_sources", verbose_name=_("Sitzung")
    )
    file = models.ForeignKey(
        File, on_delete=models.PROTECT, related_name="minutes_sources", verbose_name=_("Originaldokument")
    )
    sha512 = models.CharField(_("SHA-512-Prüfsumme"), max_length=128, db_index=True)
    file_name = models.CharField(_("Dateiname"), max_length=250)
    format = models.CharField(_("Format"), max_length=10, choices=SourceFormat.choices)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="minutes_imports",
        verbose_name=_("importiert von"),
        help_text=_("Leer: vom System (Kommandozeile ohne Benutzer)."),
    )
    warning_count = models.PositiveIntegerField(_("Warnungen"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Importiertes Protokoll")
        verbose_name_plural = _("Importierte Protokolle")
        ordering = ["meeting", "-created", "-pk"]
        get_latest_by = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.meeting})"
