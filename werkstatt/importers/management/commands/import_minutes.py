"""``manage.py import_minutes FILE... [--dry-run] [--workshop N] [--user NAME]``: legacy result minutes.

Each file is imported on its own, all or nothing: a refused file does not stop the others. For each
file the command prints the report (summary, findings, what was created, matched or changed); at the
end one line with the counts per outcome. The exit code is 1 if any file was refused.
"""

import sys
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from werkstatt.importers.minutes.parsed import ERROR, INFO, WARNING
from werkstatt.importers.minutes.report import OUTCOMES, REFUSED, DocumentReport
from werkstatt.importers.minutes.services import minutes_import

LEVEL_LABELS = {ERROR: "Fehler", WARNING: "Warnung", INFO: "Hinweis"}


def report_lines(report: DocumentReport) -> list[str]:
    """The report as German text lines: the summary, then indented findings and entities."""
    lines = [report.summary]
    for finding in report.findings:
        lines.append(f"    {LEVEL_LABELS.get(finding.level, finding.level)}: {finding.message}")
    for entity in report.entities:
        detail = f" ({entity.detail})" if entity.detail else ""
        lines.append(f"    {entity.kind} {entity.action}: {entity.label}{detail}")
    return lines


def counts_line(reports: list[DocumentReport], *, dry_run: bool) -> str:
    counts = {outcome: sum(1 for r in reports if r.outcome == outcome) for outcome in OUTCOMES}
    text = ", ".join(f"{count} {outcome}" for outcome, count in counts.items())
    files = "Datei" if len(reports) == 1 else "Dateien"
    prefix = "Probelauf, nichts gespeichert: " if dry_run else ""
    return f"{prefix}{len(reports)} {files}: {text}."


class Command(BaseCommand):
    help = (
        "Importiert Ergebnisprotokolle (Text, Word oder PDF) als Sitzungen. Jede Datei für sich, alles oder "
        "nichts; dieselbe Datei noch einmal ändert nichts, eine korrigierte Fassung aktualisiert die Sitzung. "
        "Mit --dry-run nur prüfen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="Protokolldateien (.txt, .docx, .pdf)")
        parser.add_argument("--dry-run", action="store_true", help="Nur prüfen und berichten, nichts speichern.")
        parser.add_argument(
            "--workshop",
            type=int,
            default=None,
            metavar="N",
            help="Nummer der Werkstatt, wenn das Protokoll sie nicht nennt.",
        )
        parser.add_argument(
            "--user", default="", help="Benutzername der Geschäftsstelle, der in der Änderungshistorie steht."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(name) for name in options["files"]]
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            names = ", ".join(f"„{name}“" for name in missing)
            which = "Diese Datei gibt" if len(missing) == 1 else "Diese Dateien gibt"
            raise CommandError(f"{which} es nicht: {names}.")
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Einen Benutzer „{options['user']}“ gibt es nicht.")
        reports: list[DocumentReport] = []
        progress = tqdm(
            paths,
            desc="Protokolle",
            unit="Datei",
            file=sys.stderr,
            # One file needs no bar; ``None`` lets tqdm leave it out where stderr is not a terminal.
            disable=True if len(paths) < 2 else None,
        )
        started = time.monotonic()
        for path in progress:
            try:
                content = path.read_bytes()
            except OSError as error:
                raise CommandError(f"Die Datei „{path}“ lässt sich nicht lesen: {error.strerror}.") from error
            try:
                report = minutes_import(
                    content=content,
                    file_name=path.name,
                    actor=actor,
                    workshop_number=options["workshop"],
                    dry_run=options["dry_run"],
                )
            except PermissionDenied as error:
                raise CommandError(str(error)) from error
            reports.append(report)
            with tqdm.external_write_mode():
                for line in report_lines(report):
                    self.stdout.write(line)
        elapsed = time.monotonic() - started
        summary = counts_line(reports, dry_run=options["dry_run"])
        if options["verbosity"] > 1:
            self.stdout.write(f"{elapsed / len(reports):.2f} s je Datei")
        if any(report.outcome == REFUSED for report in reports):
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
