"""The double opt-in mail of every kind of submission."""

from importlib import import_module

from django_tasks import task

# The mail of each kind: a function ``(pk: int) -> EmailMultiAlternatives | None`` (None when the submission is
# gone or already confirmed), built with ``werkstatt.participation.mail.confirmation_mail``.
CONFIRMATION_MAILS = {
    "idea": "werkstatt.participation.services.ideas.idea_confirmation_mail",
    "comment": "werkstatt.participation.services.comments.comment_confirmation_mail",
    "subscription": "werkstatt.participation.services.subscriptions.subscription_confirmation_mail",
}


@task()
def send_confirmation(kind: str, pk: int) -> bool:
    """Send the confirmation link for submission ``pk`` of ``kind``; returns whether a mail went out."""
    module_name, function_name = CONFIRMATION_MAILS[kind].rsplit(".", 1)
    message = getattr(import_module(module_name), function_name)(pk)
    if message is None:
        return False
    message.send()
    return True
