"""``manage.py search_reindex`` (``bin/werkstatt search-reindex``): build the search index anew.

The index follows every write by itself (``search/signals.py``); this covers what was written without signals
(bulk updates, raw SQL, a restored backup) and a first build after an upgrade. Safe to run at any time: it
replaces the index in one transaction, so searches see the old index until the new one is complete.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from werkstatt.search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Baut den Suchindex neu auf (Projekte, Protokolle, Neuigkeiten, Dokumente, Organisationen, Personen)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = search_index_rebuild()
        message = ngettext(
            "Suchindex neu aufgebaut: %(count)d Eintrag.", "Suchindex neu aufgebaut: %(count)d Einträge.", count
        ) % {"count": count}
        self.stdout.write(self.style.SUCCESS(message))
