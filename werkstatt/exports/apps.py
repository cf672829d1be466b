import logging

from django.apps import AppConfig

# Libraries that report every step at INFO, which is the project's log level: WeasyPrint
# ("Step 5 - Creating layout - Page 1", also while it loads its own stylesheets on import) and
# fontTools' WOFF2 decoder ("Processing ... => ..."). Their warnings and errors still show.
CHATTY_LOGGERS = ("weasyprint.progress", "fontTools.ttLib.woff2")


class ExportsConfig(AppConfig):
    name = "werkstatt.exports"
    verbose_name = "Exporte"

    def ready(self) -> None:
        for name in CHATTY_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
