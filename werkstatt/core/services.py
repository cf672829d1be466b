"""Helpers every service uses: validate a whole row, save it, and record who did it."""

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def save_validated(instance: M, *, actor: Any | None, reason: str = "", exclude: list[str] | None = None) -> M:
    """Run all model validation, then save with the actor and reason in the history row."""
    instance.full_clean(exclude=exclude)
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save()
    return instance
