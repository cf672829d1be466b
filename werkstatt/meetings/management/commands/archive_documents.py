"""``manage.py archive_documents [--meeting PK]`` (``bin/werkstatt archive-documents``): store missing published
documents.

For every session with published minutes but no stored minutes PDF, and every invited session without a
stored invitation (agenda PDF): render, store and link it, as the services do when minutes are published or a
session is invited. Meant for sessions from before the documents were stored, and to catch up after a failed
render (the log names the session). Running it again stores nothing. The exit code is 1 if a document could
not be made.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import ngettext

from werkstatt.meetings.models import Meeting
from werkstatt.meetings.services.documents import documents_archive_missing


class Command(BaseCommand):
    help = (
        "Speichert fehlende veröffentlichte Dokumente: das PDF des Ergebnisprotokolls veröffentlichter Sitzungen und "
        "die Tagesordnung eingeladener Sitzungen. Ein zweiter Aufruf ändert nichts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--meeting", type=int, default=None, metavar="PK", help="Nur diese Sitzung (Nummer in der URL)."
        )
        parser.add_argument(
            "--user", default="", help="Benutzername der Geschäftsstelle, der in der Änderungshistorie steht."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        meeting = None
        if options["meeting"] is not None:
            meeting = Meeting.objects.select_related("workshop").filter(pk=options["meeting"]).first()
            if meeting is None:
                raise CommandError(f"Eine Sitzung mit der Nummer {options['meeting']} gibt es nicht.")
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Einen Benutzer „{options['user']}“ gibt es nicht.")
        outcomes = documents_archive_missing(actor=actor, meeting=meeting)
        stored = failed = 0
        for outcome in outcomes:
            what = f"{outcome.kind.label} der {outcome.meeting.title}"
            if outcome.error:
                failed += 1
                self.stderr.write(f"Fehler: {what} konnte nicht gespeichert werden: {outcome.error}")
            elif outcome.document is None:
                self.stdout.write(f"{what}: übersprungen, die Sitzung hat sich währenddessen geändert.")
            else:
                stored += 1
                document = outcome.document
                self.stdout.write(
                    f"{what} gespeichert: {document.file_name}, {filesizeformat(document.size or 0)}, "
                    f"SHA-512 {document.sha512[:16]}…"
                )
        if not outcomes:
            self.stdout.write(
                f"Für die {meeting.title} fehlt kein Dokument; nichts geändert."
                if meeting is not None
                else "Alle veröffentlichten Protokolle und Einladungen sind bereits gespeichert; nichts geändert."
            )
            return
        summary = ngettext("%(count)d Dokument gespeichert", "%(count)d Dokumente gespeichert", stored) % {
            "count": stored
        }
        if failed:
            raise CommandError(f"{summary}, {failed} nicht: siehe oben.")
        self.stdout.write(self.style.SUCCESS(f"{summary}."))
