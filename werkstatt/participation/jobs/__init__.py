"""Background jobs of the participation (Django's tasks API; the queue is the database by default, see settings.TASKS).

Jobs take primary keys only, never an address or a text, so the queue holds no personal data. They are enqueued
after the commit of the write that caused them: nothing is sent for a write that was rolled back, and a job
never looks for a row that is not committed yet.
"""

from typing import Any

from django.db import transaction


def enqueue_after_commit(job: Any, *args: Any) -> None:
    """Put ``job(*args)`` on the queue once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: job.enqueue(*args))
