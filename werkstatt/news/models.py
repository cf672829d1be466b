from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from werkstatt.core.models import TimeStampedModel
from werkstatt.organizations.models import Body, Workshop


class NewsItem(TimeStampedModel):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="news_items", verbose_name=_("Prozess"))
    title = models.CharField(_("Titel"), max_length=300)
    date = models.DateField(_("Datum"))
    teaser = models.TextField(_("Anreißer"), blank=True)
    text = models.TextField(_("Text"), blank=True, help_text=_("Bereinigter Rich Text"))
    source_url = models.URLField(_("Quelle"), blank=True)
    workshops = models.ManyToManyField(Workshop, blank=True, related_name="news_items", verbose_name=_("Werkstätten"))
    published = models.BooleanField(_("veröffentlicht"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Neuigkeit")
        verbose_name_plural = _("Neuigkeiten")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "date", "title"],
                name="news_item_unique_title_per_day",
                violation_error_message=_("Eine Neuigkeit mit diesem Titel gibt es an diesem Tag schon."),
            )
        ]

    def __str__(self) -> str:
        return self.title
