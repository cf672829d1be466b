from django.core.management.base import BaseCommand

from werkstatt.geo.services import geo_reference_data_load


class Command(BaseCommand):
    help = (
        "Lädt oder aktualisiert die Landkreise und Gemeinden der Lausitz (BKG VG5000, Stand 01.01.2021) "
        "und die Einwohnerzahlen der Landkreise (Stand 31.12.2018)."
    )

    def handle(self, *args: object, **options: object) -> None:
        districts, municipalities = geo_reference_data_load()
        self.stdout.write(self.style.SUCCESS(f"{districts} Landkreise und {municipalities} Gemeinden sind aktuell."))
