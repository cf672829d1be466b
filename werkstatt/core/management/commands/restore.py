"""``bin/werkstatt restore FILE [--force]``: database and media files from an archive of ``backup``.

The archive is checked completely before anything changes. Only into an empty database (no tables) and an empty
MEDIA_ROOT; ``--force`` replaces both entirely. Exit code 1 with a German message if refused.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from werkstatt.core.backup import BackupError, backup_restore, vendor_label
from werkstatt.core.management.commands.backup import counted, format_seconds


class Command(BaseCommand):
    help = (
        "Stellt Datenbank und Mediendateien aus einer Sicherung von „backup“ wieder her. Prüft das Archiv "
        "vollständig, bevor etwas verändert wird; nur in eine leere Datenbank und einen leeren MEDIA_ROOT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="Die Archivdatei einer Sicherung")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Eine nicht leere Datenbank und einen nicht leeren MEDIA_ROOT vollständig ersetzen (alles darin "
            "geht verloren).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(Path(options["file"]), force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        replaced = " (vorherige Daten ersetzt)" if report.replaced else ""
        self.stdout.write(
            f"Wiederhergestellt{replaced}: Sicherung vom {report.created_at}, {vendor_label(report.vendor)}, "
            f"{counted(report.tables, 'Tabelle', 'Tabellen')} mit {counted(report.rows, 'Zeile', 'Zeilen')}, "
            f"{counted(report.files, 'Datei', 'Dateien')}, in {format_seconds(report.seconds)}. Zeilenzahlen und "
            "Prüfsummen aller Tabellen und Dateien stimmen mit der Sicherung überein."
        )
        if report.pending_migrations:
            self.stdout.write(
                "Der Programmstand ist neuer als die Sicherung; jetzt „bin/werkstatt migrate“ ausführen "
                f"({', '.join(report.pending_migrations[:5])})."
            )
