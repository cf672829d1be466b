"""The project register as the exports read it: CSV (``projects_csv``) and JSON (``projects_json``) alike.

What a user gets is what the register shows them (``project_register(user, filters)``, in its order);
``show_finances`` says whether the money of a project may be shown to them
(``rules.can_view_project_finances``: for the public only once the finances are published). The whole
register costs a fixed number of queries: the register itself (read in chunks), the other workshops
and the focus areas of all its projects in one query each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from werkstatt.accounts import rules
from werkstatt.projects.models import Project
from werkstatt.projects.selectors import ProjectFilter, project_register

CHUNK_SIZE = 500


@dataclass(frozen=True)
class RegisterEntry:
    project: Project
    show_finances: bool
    other_workshops: list[int]  # numbers, ascending
    focus_areas: list[str]  # titles, alphabetical


def _related(register: QuerySet[Project]) -> tuple[dict[int, list[int]], dict[int, list[str]]]:
    """Other workshops' numbers and focus area titles of every project in ``register``: two queries."""
    pks = register.values("pk")
    workshops: dict[int, list[int]] = defaultdict(list)
    through = Project.other_workshops.through
    for project_id, number in through.objects.filter(project_id__in=pks).values_list("project_id", "workshop__number"):
        workshops[project_id].append(number)
    areas: dict[int, list[str]] = defaultdict(list)
    area_through = Project.focus_areas.through
    for project_id, title in area_through.objects.filter(project_id__in=pks).values_list(
        "project_id", "focusarea__title"
    ):
        areas[project_id].append(title)
    return workshops, areas


def register_entries(user: Any, filters: ProjectFilter) -> Iterator[RegisterEntry]:
    """One entry per project of the register as ``user`` sees it, in the register's order."""
    register = project_register(user, filters)
    workshops, areas = _related(register)
    for project in register.iterator(chunk_size=CHUNK_SIZE):
        yield RegisterEntry(
            project=project,
            show_finances=rules.can_view_project_finances(user, project),
            other_workshops=sorted(workshops.get(project.pk, [])),
            focus_areas=sorted(areas.get(project.pk, []), key=str.casefold),
        )
