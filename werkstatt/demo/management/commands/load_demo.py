from django.core.management.base import BaseCommand

from werkstatt.accounts.models import Role
from werkstatt.accounts.services import user_create_or_reset
from werkstatt.demo.loader import demo_load
from werkstatt.meetings.services.documents import documents_archive_missing

DEMO_USERNAME = "buero"
DEMO_PASSWORD = "Lausitz-Werkstatt-2024"


class Command(BaseCommand):
    help = "Lädt die Demodaten (Werkstatt 4, 16. Sitzung) und legt die Demo-Anmeldung der Geschäftsstelle an."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--no-login", action="store_true", help="Keine Demo-Anmeldung anlegen.")

    def handle(self, *args: object, **options: object) -> None:
        report = demo_load()
        # The published documents are stored when the load commits; this catches up on a database loaded
        # before they were stored (or after a failed render), so the demo's downloads have their checksums.
        outcomes = documents_archive_missing(actor=None)
        archived = [outcome for outcome in outcomes if outcome.document is not None]
        if report.total:
            details = ", ".join(f"{count} {kind}" for kind, count in report.created.items())
            self.stdout.write(self.style.SUCCESS(f"Demodaten geladen: {details}."))
        elif not archived:
            self.stdout.write("Demodaten sind bereits vollständig vorhanden; nichts geändert.")
        for outcome in outcomes:
            what = f"{outcome.kind.label} der {outcome.meeting.title}"
            if outcome.error:
                self.stderr.write(f"{what} konnte nicht als PDF gespeichert werden: {outcome.error}")
            elif outcome.document is not None:
                self.stdout.write(f"{what} als PDF gespeichert.")
        if not options["no_login"]:
            user_create_or_reset(
                username=DEMO_USERNAME,
                password=DEMO_PASSWORD,
                role=Role.OFFICE,
                first_name="Demo",
                last_name="Geschäftsstelle",
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo-Anmeldung (Geschäftsstelle): Benutzername „{DEMO_USERNAME}“, Passwort „{DEMO_PASSWORD}“ "
                    "– Arbeitsbereich unter http://127.0.0.1:8000/konto/anmelden/"
                )
            )
