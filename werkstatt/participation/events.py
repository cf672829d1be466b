"""Recording of events for subscribers (filled in by the subscriptions work)."""


def connect() -> None:
    """Connect the receivers that record events."""
