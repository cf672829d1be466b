"""``manage.py import_projects FILE [--dry-run] [--user NAME]``: a project list from CSV, with a report per row."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from werkstatt.importers.projects_csv import REFUSED, ImportReport, import_projects


def report_lines(report: ImportReport) -> list[str]:
    """The report as German text lines: warnings, then one line per row with indented details."""
    lines = [f"Fehler: {error}" for error in report.errors]
    lines += [f"Warnung: {warning}" for warning in report.warnings]
    for row in report.rows:
        nr = f" (Nr. {row.nr})" if row.nr is not None else ""
        lines.append(f"Zeile {row.line}: {row.outcome} – {row.title or '(ohne Titel)'}{nr}")
        lines += [f"    {detail}" for detail in (row.reasons if row.outcome == REFUSED else row.changes)]
    lines.append(report.summary)
    return lines


class Command(BaseCommand):
    help = (
        "Importiert eine Projektliste (CSV mit den Spalten des Projektregister-Exports). Alles oder nichts: "
        "ist eine Zeile abgelehnt, wird nichts gespeichert. Mit --dry-run nur prüfen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV-Datei (UTF-8 oder Windows-1252, Semikolon als Trennzeichen)")
        parser.add_argument("--dry-run", action="store_true", help="Nur prüfen und berichten, nichts speichern.")
        parser.add_argument(
            "--user", default="", help="Benutzername der Geschäftsstelle, der in der Änderungshistorie steht."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Die Datei „{path}“ lässt sich nicht lesen: {error.strerror}.") from error
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Einen Benutzer „{options['user']}“ gibt es nicht.")
        try:
            report = import_projects(content, actor=actor, dry_run=options["dry_run"])
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        for line in report_lines(report)[:-1]:
            self.stdout.write(line)
        if report.refused:
            raise CommandError(report.summary)
        self.stdout.write(self.style.SUCCESS(report.summary))
