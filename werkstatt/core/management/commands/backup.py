"""``bin/werkstatt backup FILE [--force] [--allow-missing]``: database and media files in one archive.

Consistent while the site runs (werkstatt/core/backup.py, docs/operations.md). Exit code 1 with a German message
if the backup is refused; then no file is written.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format

from werkstatt.core.backup import BackupError, backup_create, vendor_label


def format_count(value: int) -> str:
    return number_format(value, use_l10n=True, force_grouping=True)


def counted(value: int, one: str, many: str) -> str:
    """``1 Datei``, ``2 Dateien``, ``1.441 Zeilen``."""
    return f"{format_count(value)} {one if value == 1 else many}"


def format_bytes(value: int) -> str:
    return f"{number_format(value / 1024 / 1024, decimal_pos=1, use_l10n=True)} MB"


def format_seconds(value: float) -> str:
    return f"{number_format(value, decimal_pos=1, use_l10n=True)} s"


class Command(BaseCommand):
    help = (
        "Sichert Datenbank und Mediendateien (MEDIA_ROOT) zusammen in eine Archivdatei (tar, mit .gz-Endung "
        "komprimiert). Konsistent auch bei laufendem Betrieb."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="Die Archivdatei, z. B. werkstatt-2025-05-20.tar")
        parser.add_argument("--force", action="store_true", help="Eine vorhandene Datei FILE ersetzen.")
        parser.add_argument(
            "--allow-missing",
            action="store_true",
            help="Auch sichern, wenn Dateien fehlen, auf die die Datenbank verweist (sie stehen dann im Manifest).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_create(
                Path(options["file"]), overwrite=options["force"], allow_missing=options["allow_missing"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        for name in report.missing:
            self.stderr.write(f"Warnung: Datei fehlt in MEDIA_ROOT und damit in der Sicherung: {name}")
        self.stdout.write(
            f"Sicherung geschrieben: {report.path} ({vendor_label(report.vendor)}, "
            f"{counted(report.tables, 'Tabelle', 'Tabellen')}, {counted(report.rows, 'Zeile', 'Zeilen')}, "
            f"{counted(report.files, 'Datei', 'Dateien')}, {format_bytes(report.bytes)}) "
            f"in {format_seconds(report.seconds)}."
        )
