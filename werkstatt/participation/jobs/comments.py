"""The mails about comments, besides the confirmation link: release and rejection, to the author."""

from django_tasks import task


@task()
def send_comment_decision(pk: int) -> bool:
    """Tell the author of comment ``pk`` that it was released or rejected (with the reason); returns whether a
    mail went out (none for a comment that is gone or has no address)."""
    from werkstatt.participation.services.comments import comment_decision_mail

    message = comment_decision_mail(pk)
    if message is None:
        return False
    message.send()
    return True
