"""``bin/werkstatt participation-retention``: apply the retention rules of the participation (run daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from werkstatt.participation.services.privacy import retention_run


class Command(BaseCommand):
    help = (
        "Löscht unbestätigte Einsendungen und Adressen nach PARTICIPATION_UNCONFIRMED_DAYS, lange inaktive Adressen "
        "nach PARTICIPATION_RETENTION_DAYS, abgelaufene Einträge der Missbrauchsbegrenzung und erledigte "
        "Hintergrundaufträge. Täglich ausführen (docs/operations.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_run()
        for line in report.lines():
            self.stdout.write(line)
