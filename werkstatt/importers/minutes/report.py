"""The report of importing one document: what was recognised, matched, created, and what is uncertain.

The office preview, the command line and the tests read the same report. A dry run and a commit
produce the same report (the dry run rolls back), except for ``committed`` and ``meeting_pk``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkstatt.importers.minutes.document import SourceDocument
from werkstatt.importers.minutes.parsed import ERROR, INFO, WARNING, Finding, ParsedSession

# Outcomes of a document
NEW = "neu"  # a session that did not exist is created
UPDATED = "aktualisiert"  # a corrected version of a document imported before: the session is updated
UNCHANGED = "unverändert"  # the same document (content hash) was imported before: nothing to do
REFUSED = "abgelehnt"  # errors: nothing stored
OUTCOMES = (NEW, UPDATED, UNCHANGED, REFUSED)

# Actions on an entity
CREATE = "neu"
MATCH = "zugeordnet"  # an existing record is used
CHANGE = "geändert"
REMOVE = "entfernt"


@dataclass(frozen=True)
class PlannedEntity:
    kind: str  # German, e.g. "Sitzung", "Person", "Organisation", "Ort", "TOP", "Projekt", "Beratung", "Datei"
    label: str  # e.g. "Sven Guntermann" or "TOP 4 Aktueller Sachstand …"
    action: str  # CREATE, MATCH, CHANGE or REMOVE
    detail: str = ""  # e.g. "als „Wirtschaftsregion Lausitz GmbH“" or the changed fields


@dataclass
class SourceLine:
    """One line of the source beside the preview, marked with the worst finding on it."""

    number: int  # 1-based for people
    text: str
    level: str = ""  # "", INFO, WARNING or ERROR
    messages: list[str] = field(default_factory=list)


@dataclass
class DocumentReport:
    file_name: str
    dry_run: bool
    outcome: str = ""  # one of OUTCOMES
    format_label: str = ""
    sha512: str = ""
    parsed: ParsedSession | None = None
    findings: list[Finding] = field(default_factory=list)  # reader notes, parser and matching findings
    entities: list[PlannedEntity] = field(default_factory=list)
    source: list[SourceLine] = field(default_factory=list)
    committed: bool = False
    meeting_pk: int | None = None
    meeting_label: str = ""  # "16. Sitzung der Werkstatt 4"

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == WARNING]

    @property
    def infos(self) -> list[Finding]:
        return [f for f in self.findings if f.level == INFO]

    @property
    def refused(self) -> bool:
        return self.outcome == REFUSED

    @property
    def summary(self) -> str:
        """One German sentence: what was stored, what would be, or why nothing was."""
        label = self.meeting_label or self.file_name
        if self.outcome == REFUSED:
            return ngettext(
                "„%(file)s“: nichts gespeichert, %(n)s Fehler.",
                "„%(file)s“: nichts gespeichert, %(n)s Fehler.",
                len(self.errors),
            ) % {"file": self.file_name, "n": len(self.errors)}
        if self.outcome == UNCHANGED:
            return _("„%(file)s“ wurde schon importiert (%(label)s); nichts geändert.") % {
                "file": self.file_name,
                "label": label,
            }
        warnings = ngettext("%(n)s Warnung", "%(n)s Warnungen", len(self.warnings)) % {"n": len(self.warnings)}
        if self.outcome == UPDATED:
            text = _("wird aktualisiert") if self.dry_run else _("aktualisiert")
        else:
            text = _("wird neu angelegt") if self.dry_run else _("neu angelegt")
        prefix = _("Probelauf: ") if self.dry_run else ""
        return f"{prefix}{label} {text} ({warnings})."


def source_lines(document: SourceDocument, findings: list[Finding]) -> list[SourceLine]:
    """The document's lines with the findings that point at them (worst level wins)."""
    rank = {"": 0, INFO: 1, WARNING: 2, ERROR: 3}
    lines = [SourceLine(number=i + 1, text=text) for i, text in enumerate(document.lines)]
    for finding in findings:
        if finding.line is None or not 0 <= finding.line < len(lines):
            continue
        line = lines[finding.line]
        line.messages.append(finding.message)
        if rank[finding.level] > rank[line.level]:
            line.level = finding.level
    return lines
