"""The search index: one row per findable object, with its text as shown and as the database searches it.

Who may see a row is decided at query time by the selectors of the object's app (``search/selectors.py``);
the index itself holds public and internal content alike. The full-text part lives beside these rows and
depends on the database (docs/search.md): on PostgreSQL two generated ``tsvector`` columns of this table, on
SQLite the FTS5 table ``search_fts`` (rowid = ``SearchEntry.pk``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchKind(models.TextChoices):
    """The kinds of hits, in the order the results page lists them; values are the ``art`` of the query string."""

    PROJECT = "projekte", _("Projekte")
    MINUTES = "protokolle", _("Sitzungen und Protokolle")
    NEWS = "neuigkeiten", _("Neuigkeiten")
    DOCUMENT = "dokumente", _("Dokumente")
    ORGANIZATION = "organisationen", _("Organisationen")
    PERSON = "personen", _("Personen")


class SearchEntry(models.Model):
    kind = models.CharField(_("Art"), max_length=20, choices=SearchKind.choices)
    object_id = models.PositiveBigIntegerField(_("Objekt"))
    title = models.CharField(_("Titel"), max_length=500)
    context = models.CharField(_("Einordnung"), max_length=500, blank=True, help_text=_("z. B. die Sitzung eines TOP"))
    body = models.TextField(_("Text"), blank=True)
    # Only for readers of the minutes of ``meeting_id``: an agenda item's result.
    restricted = models.TextField(_("Ergebnis (nur mit Zugang zum Protokoll)"), blank=True)
    meeting_id = models.PositiveBigIntegerField(_("Sitzung"), null=True, blank=True)
    date = models.DateField(_("Datum"), null=True, blank=True)
    # Filters as delimited lists (",4,2," and ",2024,2026,"), matched with ``contains``.
    workshops = models.CharField(_("Werkstätten"), max_length=200, blank=True)
    years = models.CharField(_("Jahre"), max_length=400, blank=True)
    district = models.CharField(_("Kreisschlüssel"), max_length=5, blank=True)
    # The texts above folded (``search.text.fold_text``): what the database's full-text index is built from.
    search_title = models.TextField(blank=True)
    search_body = models.TextField(blank=True)
    search_restricted = models.TextField(blank=True)

    class Meta:
        verbose_name = _("Sucheintrag")
        verbose_name_plural = _("Sucheinträge")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_object")]
        indexes = [models.Index(fields=["kind", "district"], name="search_entry_kind_district_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class SearchWord(models.Model):
    """A word of the index (lower case, as written), for compounds and the typo suggestions."""

    word = models.CharField(max_length=40, unique=True)
    folded = models.CharField(max_length=60)
    stem = models.CharField(max_length=60, db_index=True)
    length = models.PositiveSmallIntegerField(db_index=True)

    class Meta:
        verbose_name = _("Wort des Suchindex")
        verbose_name_plural = _("Wörter des Suchindex")

    def __str__(self) -> str:
        return self.word
