"""Helpers every service uses: validate a whole row, save it, and record who did it."""

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def save_validated(instance: M, *, actor: Any | None, reason: str = "", exclude: list[str] | None = None) -> M:
    """Run all model validation, then save with the actor and reason in the history row."""
    instance.full_clean(exclude=exclude)
    # Set or clear both on every save: simple-history reads them from the instance, so an earlier
    # save of the same object would otherwise lend this one its actor and reason.
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor  # type: ignore[attr-defined]
    else:
        instance.__dict__.pop("_history_user", None)
    instance._change_reason = reason or None  # type: ignore[attr-defined]
    instance.save()
    return instance
