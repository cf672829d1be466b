"""Participation of the public: ideas, comments, subscriptions, and the little that is stored about a participant.

Privacy by design (docs/participation.md): the only thing required of a participant is an e-mail address.
Every field of these models is listed, with its purpose, on the privacy page (``werkstatt.participation.privacy``),
which fails its test when a field has no purpose there. Nothing here has a history table: what a participant
deletes is gone.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from werkstatt.geo.models import latitude_field, longitude_field


class Participant(models.Model):
    """An e-mail address that submitted or subscribed something. No name, no password, no IP address."""

    email = models.EmailField(_("E-Mail-Adresse"), max_length=254, unique=True)
    created_at = models.DateTimeField(_("erstmals angegeben"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("Adresse bestätigt"), null=True, blank=True)
    last_active_at = models.DateTimeField(_("zuletzt aktiv"), auto_now_add=True)

    class Meta:
        verbose_name = _("Teilnehmende Person")
        verbose_name_plural = _("Teilnehmende")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


class IdeaStatus(models.TextChoices):
    NEW = "new", _("eingegangen")
    ANSWERED = "answered", _("beantwortet")
    MERGED = "merged", _("mit einer anderen Idee zusammengeführt")
    ON_AGENDA = "on_agenda", _("auf der Tagesordnung einer Werkstatt")
    PROJECT = "project", _("als Projektidee aufgenommen")
    DECLINED = "declined", _("nicht weiterverfolgt")


class Idea(models.Model):
    """A project idea from the public for one workshop ("Idee einreichen")."""

    workshop = models.ForeignKey(
        "organizations.Workshop", on_delete=models.PROTECT, related_name="ideas", verbose_name=_("Werkstatt")
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"))
    municipality = models.ForeignKey(
        "geo.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("Gemeinde"),
    )
    latitude = latitude_field()
    longitude = longitude_field()
    attachment = models.FileField(_("Anhang"), upload_to="ideen/%Y/", blank=True)
    attachment_name = models.CharField(_("Dateiname des Anhangs"), max_length=255, blank=True)
    by_young_person = models.BooleanField(_("von Kindern oder Jugendlichen"), default=False)
    participant = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("eingereicht von"),
    )
    created_at = models.DateTimeField(_("eingereicht"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bestätigt"), null=True, blank=True)
    status = models.CharField(_("Stand"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.NEW)
    answer = models.TextField(_("Antwort der Geschäftsstelle"), blank=True)
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beantwortet von"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_ideas",
        verbose_name=_("zusammengeführt mit"),
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("Tagesordnungspunkt"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("Projekt"),
    )

    class Meta:
        verbose_name = _("Idee")
        verbose_name_plural = _("Ideen")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "confirmed_at"], name="idea_status_confirmed")]

    def __str__(self) -> str:
        return self.title


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("wartet auf Freigabe")
    PUBLISHED = "published", _("veröffentlicht")
    REJECTED = "rejected", _("nicht veröffentlicht")


class Comment(models.Model):
    """A comment on a public project or on published minutes, or the official answer to one."""

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="public_comments",
        verbose_name=_("Projekt"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="public_comments",
        verbose_name=_("Sitzung"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("geschrieben von (E-Mail-Adresse)"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="public_comments",
        verbose_name=_("geschrieben von (Konto)"),
    )
    author_name = models.CharField(_("angezeigter Name"), max_length=80, blank=True)
    body = models.TextField(_("Text"))
    created_at = models.DateTimeField(_("geschrieben"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bestätigt"), null=True, blank=True)
    status = models.CharField(_("Stand"), max_length=20, choices=CommentStatus.choices, default=CommentStatus.PENDING)
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    rejection_reason = models.CharField(_("Grund der Ablehnung"), max_length=500, blank=True)
    moderated_at = models.DateTimeField(_("moderiert am"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderiert von"),
    )
    is_official = models.BooleanField(_("offizielle Antwort"), default=False)
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("Antwort auf"),
    )

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(project__isnull=False) & Q(meeting__isnull=True))
                | (Q(project__isnull=True) & Q(meeting__isnull=False)),
                name="comment_on_project_or_meeting",
                violation_error_message=_("Ein Kommentar gehört zu genau einem Projekt oder einer Sitzung."),
            )
        ]
        indexes = [models.Index(fields=["status", "confirmed_at"], name="comment_status_confirmed")]

    def __str__(self) -> str:
        return self.body[:60]


class CommentReport(models.Model):
    """A reader reported a published comment. Who reported it is not stored."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("Kommentar"))
    reason = models.CharField(_("Grund der Meldung"), max_length=500)
    created_at = models.DateTimeField(_("gemeldet"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erledigt von"),
    )

    class Meta:
        verbose_name = _("Meldung eines Kommentars")
        verbose_name_plural = _("Meldungen von Kommentaren")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.reason[:60]


class SubscriptionTopic(models.TextChoices):
    WORKSHOP = "workshop", _("Werkstatt")
    PROJECT = "project", _("Projekt")
    DISTRICT = "district", _("Landkreis")
    NEWS = "news", _("Neuigkeiten")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("sofort")
    WEEKLY = "weekly", _("einmal wöchentlich")


class Subscription(models.Model):
    """An address follows a workshop, a project, a district or the news; confirmed by a link (double opt-in)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="subscriptions", verbose_name=_("E-Mail-Adresse")
    )
    topic = models.CharField(_("Thema"), max_length=20, choices=SubscriptionTopic.choices)
    workshop = models.ForeignKey(
        "organizations.Workshop",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("Werkstatt"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("Projekt"),
    )
    district = models.ForeignKey(
        "geo.District",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("Landkreis"),
    )
    frequency = models.CharField(_("Häufigkeit"), max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    created_at = models.DateTimeField(_("angemeldet"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bestätigt"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("zuletzt benachrichtigt"), null=True, blank=True)

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        topic="workshop",
                        workshop__isnull=False,
                        project__isnull=True,
                        district__isnull=True,
                    )
                    | Q(topic="project", workshop__isnull=True, project__isnull=False, district__isnull=True)
                    | Q(topic="district", workshop__isnull=True, project__isnull=True, district__isnull=False)
                    | Q(topic="news", workshop__isnull=True, project__isnull=True, district__isnull=True)
                ),
                name="subscription_topic_matches_target",
                violation_error_message=_("Das Abonnement passt nicht zu seinem Thema."),
            )
        ]
        indexes = [models.Index(fields=["topic", "confirmed_at"], name="subscription_topic_confirmed")]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} ({self.participant_id})"


class EventKind(models.TextChoices):
    SESSION_PLANNED = "session_planned", _("neuer Sitzungstermin")
    MINUTES_PUBLISHED = "minutes_published", _("Protokoll veröffentlicht")
    PROJECT_PUBLISHED = "project_published", _("neues Projekt")
    PROJECT_STATE = "project_state", _("neuer Stand eines Projekts")
    MILESTONE = "milestone", _("Meilenstein")
    NEWS_PUBLISHED = "news_published", _("Neuigkeit")


class Event(models.Model):
    """Something subscribers may want to hear about. Recorded in the transaction of the write that caused it;
    told to subscribers afterwards by a background job (immediately) or in the weekly digest."""

    kind = models.CharField(_("Art"), max_length=30, choices=EventKind.choices)
    key = models.CharField(_("Schlüssel"), max_length=100, unique=True)
    title = models.CharField(_("Titel"), max_length=400)
    workshop = models.ForeignKey(
        "organizations.Workshop",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Werkstatt"),
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("Projekt")
    )
    district = models.ForeignKey(
        "geo.District", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("Landkreis")
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("Sitzung")
    )
    news_item = models.ForeignKey(
        "news.NewsItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Neuigkeit"),
    )
    created_at = models.DateTimeField(_("eingetreten"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("sofort-Benachrichtigungen versandt"), null=True, blank=True)

    class Meta:
        verbose_name = _("Ereignis")
        verbose_name_plural = _("Ereignisse")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["created_at"], name="event_created")]

    def __str__(self) -> str:
        return self.title


class RateLimitHit(models.Model):
    """One submission through a public form, for the rate limits. ``key`` is a keyed hash (HMAC with the
    installation's secret) of the IP address or the e-mail address, never the address itself; rows older than
    the rate window are deleted by the retention job."""

    scope = models.CharField(_("Formular"), max_length=20)
    key = models.CharField(_("Schlüssel (HMAC)"), max_length=64)
    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Formularnutzung")
        verbose_name_plural = _("Formularnutzungen")
        indexes = [models.Index(fields=["scope", "key", "created_at"], name="ratelimit_scope_key_time")]

    def __str__(self) -> str:
        return f"{self.scope} {self.created_at:%Y-%m-%d %H:%M}"
