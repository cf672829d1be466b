"""The report of a project import: per row what happened, or would happen, and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

NEW = "neu"
CHANGED = "geändert"
UNCHANGED = "unverändert"
REFUSED = "abgelehnt"
OUTCOMES = (NEW, CHANGED, UNCHANGED, REFUSED)


@dataclass
class RowReport:
    """What happened, or would happen, to one row of the file."""

    line: int  # the row number as a spreadsheet counts it: the header is row 1
    title: str
    outcome: str = ""
    nr: int | None = None
    changes: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return self.outcome == REFUSED


@dataclass
class ImportReport:
    dry_run: bool
    rows: list[RowReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the file as a whole cannot be read; no rows
    committed: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {outcome: self.count(outcome) for outcome in OUTCOMES}

    @property
    def refused(self) -> bool:
        return bool(self.errors) or any(row.refused for row in self.rows)

    @property
    def has_changes(self) -> bool:
        return bool(self.count(NEW) or self.count(CHANGED))

    @property
    def counts_text(self) -> str:
        return ", ".join(f"{count} {outcome}" for outcome, count in self.counts.items())

    @property
    def summary(self) -> str:
        """One German sentence: what was stored, what would be, or why nothing was."""
        if self.errors:
            return _("Die Datei wurde nicht gelesen; nichts gespeichert.")
        if self.refused:
            refused = self.count(REFUSED)
            return ngettext(
                "Nichts gespeichert: %(n)s Zeile ist abgelehnt (%(counts)s). Der Import speichert alles oder "
                "nichts; bitte korrigieren Sie die Datei.",
                "Nichts gespeichert: %(n)s Zeilen sind abgelehnt (%(counts)s). Der Import speichert alles oder "
                "nichts; bitte korrigieren Sie die Datei.",
                refused,
            ) % {"n": refused, "counts": self.counts_text}
        if self.dry_run:
            return _("Probelauf, nichts gespeichert. Beim Import: %(counts)s.") % {"counts": self.counts_text}
        return _("Importiert: %(counts)s.") % {"counts": self.counts_text}
