"""The mails of the subscriptions: events told to immediate subscribers, and the "already subscribed" notice."""

from django_tasks import task


@task()
def deliver_events() -> int:
    """Tell the immediate subscribers about every undelivered event; returns the number of mails sent.

    Enqueued once per transaction that recorded events (``werkstatt.participation.events``); it takes every
    undelivered event, so a run that failed is made up by the next one."""
    from werkstatt.participation.services.subscriptions import deliver_events as deliver

    return deliver()


@task()
def send_already_subscribed(pk: int) -> bool:
    """Tell the address of subscription ``pk`` that it already has it (the page never says so)."""
    from werkstatt.participation.services.subscriptions import subscription_already_mail

    message = subscription_already_mail(pk)
    if message is None:
        return False
    message.send()
    return True
