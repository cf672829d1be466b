"""Source and licence of the reference geodata in ``data/``, as ``data/SOURCE.md`` states them.

The BKG licence (dl-de/by-2-0) asks for this source note wherever the data is shown or passed on:
on a web page linked to the BKG, with the licence and a reference to the dataset. The data was
changed (selection, simplification, rounding), hence "Daten verändert". Keep in step with SOURCE.md
(a test compares them).
"""

ATTRIBUTION = "© GeoBasis-DE / BKG (2021), Daten verändert"
ATTRIBUTION_URL = "https://www.bkg.bund.de"
PROVIDER = "Bundesamt für Kartographie und Geodäsie (BKG)"
LICENCE_NAME = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"
DATASET = "VG5000 Ebenen, Stand 01.01.2021 (Verwaltungsgebiete 1:5 000 000)"
DATASET_URL = (
    "https://gdz.bkg.bund.de/index.php/default/open-data/"
    "verwaltungsgebiete-1-5-000-000-ebenen-stand-01-01-vg5000-ebenen-01-01.html"
)
