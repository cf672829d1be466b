"""The "my data" link by e-mail."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from werkstatt.participation.mail import absolute_url, participation_mail
from werkstatt.participation.models import Participant
from werkstatt.participation.tokens import mydata_token


@task()
def send_mydata_link(participant_pk: int) -> bool:
    """Mail the "my data" link to participant ``participant_pk``; nothing when it was deleted in the meantime."""
    participant = Participant.objects.filter(pk=participant_pk).first()
    if participant is None:
        return False
    url = absolute_url(reverse("participation:mydata", args=[mydata_token(participant.pk)]))
    participation_mail(
        to=participant.email,
        subject=_("Ihre Daten in der Werkstatt Lausitz"),
        template="participation/mail/mydata",
        context={"mydata_link": url, "hours": settings.PARTICIPATION_MYDATA_LINK_HOURS},
    ).send()
    return True
