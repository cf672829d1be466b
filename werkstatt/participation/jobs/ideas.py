"""The mail to the submitter of an idea after each triage step of the office."""

from django_tasks import task


@task()
def send_idea_answer(pk: int) -> bool:
    """Tell the submitter of idea ``pk`` its new status and the office's answer; returns whether a mail went out
    (not when the idea or its address is gone)."""
    from werkstatt.participation.services.ideas import idea_answer_mail

    message = idea_answer_mail(pk)
    if message is None:
        return False
    message.send()
    return True
