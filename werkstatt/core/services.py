"""Helpers every service uses: validate a whole row, save it, and record who did it."""

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


REASON_MAX_LENGTH = 100


def _fit_reason(reason: str) -> str | None:
    if not reason:
        return None
    return reason if len(reason) <= REASON_MAX_LENGTH else reason[: REASON_MAX_LENGTH - 1] + "…"


def save_validated(instance: M, *, actor: Any | None, reason: str = "", exclude: list[str] | None = None) -> M:
    """Run all model validation, then save with the actor and reason in the history row."""
    instance.full_clean(exclude=exclude)
    # Set or clear both on every save: simple-history reads them from the instance, so an earlier
    # save of the same object would otherwise lend this one its actor and reason.
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor  # type: ignore[attr-defined]
    else:
        instance.__dict__.pop("_history_user", None)
    # simple-history keeps the reason in a column of 100 characters; PostgreSQL refuses longer ones.
    instance._change_reason = _fit_reason(reason)  # type: ignore[attr-defined]
    instance.save()
    return instance
