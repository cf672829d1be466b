"""What the participation stores, and why: the inventory behind the privacy page (``/datenschutz/``).

Every concrete field of every participation model has a German purpose here. The page is generated from this
inventory, the models' own field names (``verbose_name``) and the retention settings, so it says what is actually
stored. A test fails when a model gets a field that has no purpose here: adding a field means explaining it.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from werkstatt.participation.models import (
    Comment,
    CommentReport,
    Event,
    Idea,
    Participant,
    RateLimitHit,
    Subscription,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NUMBER = _("laufende Nummer, die die Einträge miteinander verknüpft; sagt nichts über Sie")

# model → {field name: purpose}; the order of the models is the order on the page.
INVENTORY: dict[type[models.Model], dict[str, "StrOrPromise"]] = {
    Participant: {
        "id": NUMBER,
        "email": _(
            "die einzige Angabe, die wir von Ihnen brauchen: für den Bestätigungslink, für Benachrichtigungen, "
            "die Sie bestellt haben, für Antworten auf Ihre Idee und für den Link zu „Meine Daten“. Sie wird nie "
            "veröffentlicht und nicht weitergegeben."
        ),
        "created_at": _(
            "wann die Adresse zum ersten Mal angegeben wurde: unbestätigte Adressen werden danach gelöscht"
        ),
        "confirmed_at": _("wann Sie die Adresse mit dem Link bestätigt haben (Einwilligung, Double-Opt-in)"),
        "last_active_at": _(
            "wann Sie zuletzt etwas eingereicht oder bestätigt haben: nach langer Inaktivität wird die Adresse gelöscht"
        ),
    },
    Idea: {
        "id": NUMBER,
        "workshop": _("die Werkstatt, an die sich die Idee richtet"),
        "title": _("Titel der Idee, wird veröffentlicht"),
        "description": _("Beschreibung der Idee, wird veröffentlicht"),
        "municipality": _("Gemeinde, in der die Idee verwirklicht werden soll (freiwillig)"),
        "latitude": _("Ort der Idee auf der Karte (freiwillig), nicht Ihr Wohnort"),
        "longitude": _("Ort der Idee auf der Karte (freiwillig), nicht Ihr Wohnort"),
        "attachment": _("eine Datei, die Sie der Idee beigefügt haben (freiwillig)"),
        "attachment_name": _("der Name dieser Datei, wie Sie sie hochgeladen haben"),
        "by_young_person": _("ob die Idee von Kindern oder Jugendlichen kommt (freiwillig, ohne Altersangabe)"),
        "participant": _("Verknüpfung mit Ihrer E-Mail-Adresse, für Rückfragen und die Antwort"),
        "created_at": _("wann die Idee eingereicht wurde"),
        "confirmed_at": _("wann Sie die Idee bestätigt haben; erst dann zählt sie"),
        "status": _("Stand der Bearbeitung, wird veröffentlicht"),
        "answer": _("Antwort der Geschäftsstelle, wird veröffentlicht"),
        "answered_at": _("wann die Geschäftsstelle geantwortet hat"),
        "answered_by": _("welches Konto der Geschäftsstelle geantwortet hat"),
        "merged_into": _("die Idee, mit der diese zusammengeführt wurde"),
        "agenda_item": _("der Tagesordnungspunkt, auf dem die Idee beraten wird"),
        "project": _("das Projekt, das aus der Idee entstanden ist"),
    },
    Comment: {
        "id": NUMBER,
        "project": _("das Projekt, zu dem der Kommentar gehört"),
        "meeting": _("die Sitzung, zu deren Protokoll der Kommentar gehört"),
        "participant": _("Verknüpfung mit Ihrer E-Mail-Adresse (wird nicht veröffentlicht)"),
        "user": _("das Konto, wenn angemeldet kommentiert wurde"),
        "author_name": _("der Name, den Sie zum Kommentar angeben (freiwillig), wird veröffentlicht"),
        "body": _("der Text des Kommentars, wird nach der Freigabe veröffentlicht"),
        "created_at": _("wann der Kommentar geschrieben wurde"),
        "confirmed_at": _("wann Sie den Kommentar bestätigt haben"),
        "status": _("ob der Kommentar wartet, veröffentlicht oder nicht veröffentlicht ist"),
        "published_at": _("wann der Kommentar veröffentlicht wurde"),
        "rejection_reason": _("warum ein Kommentar nicht veröffentlicht wurde"),
        "moderated_at": _("wann der Kommentar geprüft wurde"),
        "moderated_by": _("welches Konto den Kommentar geprüft hat"),
        "is_official": _("ob es eine offizielle Antwort der Geschäftsstelle ist"),
        "reply_to": _("der Kommentar, auf den geantwortet wird"),
    },
    CommentReport: {
        "id": NUMBER,
        "comment": _("der gemeldete Kommentar"),
        "reason": _("der angegebene Grund; wer gemeldet hat, wird nicht gespeichert"),
        "created_at": _("wann gemeldet wurde"),
        "resolved_at": _("wann die Meldung erledigt wurde"),
        "resolved_by": _("welches Konto die Meldung erledigt hat"),
    },
    Subscription: {
        "id": NUMBER,
        "participant": _("Verknüpfung mit Ihrer E-Mail-Adresse, an die die Benachrichtigungen gehen"),
        "topic": _("worüber Sie benachrichtigt werden möchten"),
        "workshop": _("die abonnierte Werkstatt"),
        "project": _("das abonnierte Projekt"),
        "district": _("der abonnierte Landkreis"),
        "frequency": _("ob Sie sofort oder einmal wöchentlich benachrichtigt werden"),
        "created_at": _("wann Sie das Abonnement bestellt haben"),
        "confirmed_at": _("wann Sie es bestätigt haben (Einwilligung, Double-Opt-in)"),
        "last_sent_at": _("wann zuletzt benachrichtigt wurde, damit nichts doppelt kommt"),
    },
    Event: {
        "id": NUMBER,
        "kind": _("Art des Ereignisses (neue Sitzung, Protokoll, Projektstand, Neuigkeit)"),
        "key": _("Kennung, damit ein Ereignis nur einmal gemeldet wird"),
        "title": _("Titel für die Benachrichtigung; enthält keine Angaben über Teilnehmende"),
        "workshop": _("die betroffene Werkstatt"),
        "project": _("das betroffene Projekt"),
        "district": _("der betroffene Landkreis"),
        "meeting": _("die betroffene Sitzung"),
        "news_item": _("die betroffene Neuigkeit"),
        "created_at": _("wann das Ereignis eingetreten ist"),
        "delivered_at": _("wann die sofortigen Benachrichtigungen verschickt wurden"),
    },
    RateLimitHit: {
        "id": NUMBER,
        "scope": _("welches Formular genutzt wurde"),
        "key": _(
            "ein Schlüssel, der aus IP-Adresse oder E-Mail-Adresse mit einem geheimen Schlüssel berechnet wird "
            "(HMAC); die Adressen selbst werden nicht gespeichert und lassen sich daraus nicht zurückgewinnen. "
            "Dient nur der Begrenzung von Massen-Einsendungen."
        ),
        "created_at": _("wann das Formular genutzt wurde"),
    },
}


# What each table is, in one German sentence.
DESCRIPTIONS: dict[type[models.Model], "StrOrPromise"] = {
    Participant: _(
        "Ihre E-Mail-Adresse, sobald Sie etwas einreichen oder abonnieren. Kein Name, kein Passwort, keine IP-Adresse."
    ),
    Idea: _("Ideen, die Sie für eine Werkstatt eingereicht haben."),
    Comment: _("Kommentare zu Projekten und Protokollen, und die offiziellen Antworten darauf."),
    CommentReport: _("Meldungen veröffentlichter Kommentare. Wer meldet, wird nicht gespeichert."),
    Subscription: _("Ihre Abonnements von Benachrichtigungen."),
    Event: _("Was Abonnentinnen und Abonnenten gemeldet wird. Enthält keine Angaben über Personen."),
    RateLimitHit: _(
        "Zählung der Einsendungen gegen Missbrauch, nur als nicht umkehrbarer Schlüssel und nur kurze Zeit "
        "(siehe Speicherdauer)."
    ),
}


@dataclass(frozen=True)
class StoredField:
    name: str
    label: str
    purpose: str


@dataclass(frozen=True)
class StoredModel:
    key: str
    label: str
    description: str
    fields: list[StoredField]


def missing_purposes() -> list[str]:
    """``model.field`` of every concrete field without a purpose in the inventory (and of purposes without a field)."""
    missing = []
    for model, purposes in INVENTORY.items():
        names = [field.name for field in model._meta.concrete_fields]
        missing += [f"{model._meta.label}.{name}" for name in names if name not in purposes]
        missing += [f"{model._meta.label}.{name} (kein Feld)" for name in purposes if name not in names]
    return missing


def stored_models() -> list[StoredModel]:
    """The inventory as the privacy page shows it: each model with each stored field and its purpose."""
    shown = []
    for model, purposes in INVENTORY.items():
        meta = model._meta
        fields = [
            StoredField(name=field.name, label=str(field.verbose_name), purpose=str(purposes.get(field.name, "")))
            for field in meta.concrete_fields
        ]
        shown.append(
            StoredModel(
                key=meta.model_name or "",
                label=str(meta.verbose_name_plural),
                description=str(DESCRIPTIONS.get(model, "")),
                fields=fields,
            )
        )
    return shown


@dataclass(frozen=True)
class Retention:
    """The retention rules, with the numbers of this installation."""

    unconfirmed_days: int
    retention_days: int
    rate_window_minutes: int
    mydata_link_hours: int
    job_result_days: int

    @property
    def retention_text(self) -> str:
        days = self.retention_days
        if days % 365 == 0:
            years = days // 365
            return ngettext("%(days)d Tagen (einem Jahr)", "%(days)d Tagen (%(years)d Jahren)", years) % {
                "days": days,
                "years": years,
            }
        return ngettext("%(days)d Tag", "%(days)d Tagen", days) % {"days": days}


def retention() -> Retention:
    return Retention(
        unconfirmed_days=settings.PARTICIPATION_UNCONFIRMED_DAYS,
        retention_days=settings.PARTICIPATION_RETENTION_DAYS,
        rate_window_minutes=settings.PARTICIPATION_RATE_WINDOW_MINUTES,
        mydata_link_hours=settings.PARTICIPATION_MYDATA_LINK_HOURS,
        job_result_days=settings.PARTICIPATION_JOB_RESULT_DAYS,
    )
