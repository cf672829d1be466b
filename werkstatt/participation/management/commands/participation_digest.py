"""``manage.py participation_digest`` (``bin/werkstatt participation-digest``): send the weekly digest.

Meant for a weekly timer (docs/operations.md): one mail per address with every public event since its weekly
subscriptions were last sent, grouped by subscription. Running it again sends nothing new; an address with
nothing new gets no mail.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from werkstatt.participation.services.subscriptions import digest_send


class Command(BaseCommand):
    help = (
        "Versendet den Wochenüberblick an alle bestätigten wöchentlichen Abonnements: eine E-Mail je Adresse mit "
        "allem Neuen seit dem letzten Überblick. Ein zweiter Aufruf versendet nichts Neues."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = digest_send()
        self.stdout.write(
            ngettext(
                "Wochenüberblick: %(mails)d E-Mail versandt (%(events)d Ereignisse).",
                "Wochenüberblick: %(mails)d E-Mails versandt (%(events)d Ereignisse).",
                report.mails,
            )
            % {"mails": report.mails, "events": report.events}
        )
