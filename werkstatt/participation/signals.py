"""Events for subscribers, recorded from the writes that cause them (see ``werkstatt.participation.events``)."""


def connect() -> None:
    from werkstatt.participation import events

    events.connect()
