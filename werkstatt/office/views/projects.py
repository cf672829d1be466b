"""The projects in the back office: the list, a project's page with the steps the user may take,
the fact sheet form, milestones and documents.

Every view: load through the selector (which refuses those who may not see the office's project
pages), ask the rules, call one service, then redirect (PRG) with a German message, or render the
form again with the service's refusal on it.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from werkstatt.accounts import rules
from werkstatt.documents.services import file_upload
from werkstatt.geo.models import District
from werkstatt.office.access import office_required, require
from werkstatt.office.forms import form_add_service_errors
from werkstatt.office.forms_projects import MilestoneForm, ProjectFileForm, ProjectForm, StepForm
from werkstatt.office.selectors_projects import (
    ProjectPage,
    milestone_of,
    office_project_get,
    require_project_office,
    session_steps,
    steps_for_user,
    waiting_filter,
)
from werkstatt.organizations.models import Workshop
from werkstatt.organizations.services import body_get_or_create_default
from werkstatt.projects import services, workflow
from werkstatt.projects.selectors import SORTS, ProjectFilter, project_register
from werkstatt.projects.services import GrantFigures
from werkstatt.projects.workflow import FundingInstrument, ProjectState

PAGE_SIZE = 50
SORT_LABELS = {
    "titel": gettext_lazy("Titel (A–Z)"),
    "-titel": gettext_lazy("Titel (Z–A)"),
    "stand": gettext_lazy("Stand (Idee zuerst)"),
    "-stand": gettext_lazy("Stand (am weitesten zuerst)"),
    "werkstatt": gettext_lazy("Werkstatt"),
    "bestaetigt": gettext_lazy("IMAG-Bestätigung (älteste zuerst)"),
    "-bestaetigt": gettext_lazy("IMAG-Bestätigung (neueste zuerst)"),
    "-geaendert": gettext_lazy("zuletzt geändert"),
}


def _detail_url(pk: int, anchor: str = "") -> str:
    url = reverse("office:project-detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


def _refused(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    texts = error.messages if isinstance(error, ValidationError) else [str(error)]
    for text in texts:
        messages.error(request, text)


# --- the list --------------------------------------------------------------------------------------


@office_required
def project_list(request: HttpRequest) -> HttpResponse:
    """All projects, public or not, filtered like the public register; "meine=1" keeps those waiting
    for a step of the user."""
    user = request.user
    require_project_office(user)
    filters = ProjectFilter.from_query(request.GET)
    projects = project_register(user, filters)
    mine = request.GET.get("meine") == "1"
    if mine:
        condition = waiting_filter(user)
        projects = projects.filter(condition) if condition is not None else projects.none()
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("seite"))
    rows = [(project, len(steps_for_user(user, project))) for project in page.object_list]
    query = filters.as_query(**({"meine": "1"} if mine else {}))
    return render(
        request,
        "office/project_list.html",
        {
            "filters": filters,
            "mine": mine,
            "page": page,
            "rows": rows,
            "query": query,
            "workshops": list(Workshop.objects.order_by("number")),
            "districts": list(District.objects.order_by("name")),
            "states": ProjectState.choices,
            "instruments": FundingInstrument.choices,
            "sorts": [(key, SORT_LABELS.get(key, key)) for key in SORTS if key in SORT_LABELS],
            "can_create": rules.can_manage_projects(user),
        },
    )


# --- one project -----------------------------------------------------------------------------------


def _render_detail(
    request: HttpRequest, page: ProjectPage, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    """The project's page; ``bound`` holds a posted form that came back with errors, by its key."""
    user = request.user
    project = page.project
    bound = bound or {}
    step_forms = [
        bound.get(f"schritt-{step.target}") or StepForm(step=step, project=project)
        for step in steps_for_user(user, project)
    ]
    can_keep_milestones = rules.can_keep_milestones(user)
    can_edit = rules.can_edit_project(user, project)
    return render(
        request,
        "office/project_detail.html",
        {
            "page": page,
            "project": project,
            "step_forms": step_forms,
            "open_step": next((key for key in bound if key.startswith("schritt-")), ""),
            "session_steps": session_steps(project),
            "can_edit": can_edit,
            "can_keep_milestones": can_keep_milestones,
            "milestone_form": bound.get("meilenstein")
            or (MilestoneForm(prefix="meilenstein") if can_keep_milestones else None),
            "file_form": bound.get("dokument") or (ProjectFileForm() if can_edit else None),
            "terminal": project.state in workflow.TERMINAL_STATES,
        },
        status=status,
    )


@office_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, office_project_get(request.user, pk))


@office_required
@require_POST
def project_step(request: HttpRequest, pk: int, target: str) -> HttpResponse:
    """Take one step of the pipeline with its decision date, note and, for an approval, grant figures."""
    page = office_project_get(request.user, pk)
    project = page.project
    try:
        step = workflow.get_step(project.instrument, project.state, target)
    except ValidationError as error:
        # Not (or no longer) a step from here: e.g. an approval before the working group's confirmation.
        _refused(request, error)
        return redirect(_detail_url(pk, "schritte"))
    require(rules.can_take_step(request.user, step))
    form = StepForm(request.POST, step=step, project=project)
    if form.is_valid():
        data = form.cleaned_data
        grant = (
            GrantFigures(total_cost=data["total_cost"], eligible_cost=data["eligible_cost"], grant=data["grant"])
            if step.needs_grant
            else None
        )
        try:
            services.project_transition(
                actor=request.user,
                project=project,
                target=target,
                decision_date=data["decision_date"],
                note=data["note"],
                grant=grant,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("„%(step)s“ ist erfasst: Das Projekt ist jetzt „%(state)s“.")
                % {"step": step.label, "state": workflow.state_label(target)},
            )
            return redirect(_detail_url(pk, "verlauf"))
    if step.from_session:
        # There is no form for it on the page: say why at the top.
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
        return redirect(_detail_url(pk, "schritte"))
    return _render_detail(request, page, bound={form.prefix or "": form})


# --- the fact sheet ----------------------------------------------------------------------------------


@office_required
def project_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_project_office(user)
    require(rules.can_manage_projects(user))
    posted = request.method == "POST"
    form = ProjectForm(request.POST if posted else None, creating=True)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_create(
                actor=user,
                body=body_get_or_create_default(),
                state=data["state"],
                received_on=data["received_on"],
                note=data["note"],
                other_workshops=data["other_workshops"],
                focus_areas=data["focus_areas"],
                **form.fact_sheet(),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Das Projekt „%(title)s“ ist angelegt (%(state)s).")
                % {"title": project.title, "state": project.get_state_display()},
            )
            return redirect(_detail_url(project.pk))
    return render(request, "office/project_form.html", {"form": form, "project": None})


@office_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    page = office_project_get(request.user, pk)
    project = page.project
    require(rules.can_edit_project(request.user, project))
    posted = request.method == "POST"
    form = ProjectForm(
        request.POST if posted else None, creating=False, project=project, initial=ProjectForm.initial_for(project)
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            services.project_update(
                actor=request.user,
                project=project,
                other_workshops=data["other_workshops"],
                focus_areas=data["focus_areas"],
                **form.fact_sheet(),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Der Projektsteckbrief ist gespeichert."))
            return redirect(_detail_url(pk))
    return render(request, "office/project_form.html", {"form": form, "project": project})


# --- milestones ---------------------------------------------------------------------------------------


def _milestone_values(form: MilestoneForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {name: data[name] for name in ("kind", "title", "planned_date", "actual_date", "note")}


@office_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    page = office_project_get(request.user, pk)
    require(rules.can_keep_milestones(request.user))
    form = MilestoneForm(request.POST, prefix="meilenstein")
    if form.is_valid():
        try:
            milestone = services.milestone_save(actor=request.user, project=page.project, **_milestone_values(form))
        except ValidationError as error:
            form_add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Der Meilenstein „%(label)s“ ist gespeichert.") % {"label": milestone.label})
            return redirect(_detail_url(pk, "meilensteine"))
    return _render_detail(request, page, bound={"meilenstein": form})


@office_required
def milestone_edit(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    page = office_project_get(request.user, pk)
    milestone = milestone_of(page, milestone_pk)
    require(rules.can_keep_milestones(request.user))
    posted = request.method == "POST"
    form = MilestoneForm(request.POST if posted else None, initial=MilestoneForm.initial_for(milestone))
    if posted and form.is_valid():
        try:
            services.milestone_save(
                actor=request.user, project=page.project, milestone=milestone, **_milestone_values(form)
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Der Meilenstein „%(label)s“ ist gespeichert.") % {"label": milestone.label})
            return redirect(_detail_url(pk, "meilensteine"))
    return render(
        request,
        "office/milestone_form.html",
        {"page": page, "project": page.project, "milestone": milestone, "form": form},
    )


@office_required
def milestone_delete(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    """GET asks (works without JavaScript), POST deletes."""
    page = office_project_get(request.user, pk)
    milestone = milestone_of(page, milestone_pk)
    require(rules.can_keep_milestones(request.user))
    if request.method == "POST":
        label = milestone.label
        try:
            services.milestone_delete(actor=request.user, milestone=milestone)
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        else:
            messages.success(request, _("Der Meilenstein „%(label)s“ ist gelöscht.") % {"label": label})
        return redirect(_detail_url(pk, "meilensteine"))
    return render(
        request, "office/milestone_delete.html", {"page": page, "project": page.project, "milestone": milestone}
    )


# --- documents ----------------------------------------------------------------------------------------


@office_required
@require_POST
def project_file_upload(request: HttpRequest, pk: int) -> HttpResponse:
    page = office_project_get(request.user, pk)
    project = page.project
    require(rules.can_edit_project(request.user, project))
    form = ProjectFileForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = file_upload(
                actor=request.user, upload=data["file"], name=data["name"], public=data["public"], attach_to=[project]
            )
        except ValidationError as error:
            form_add_service_errors(form, error, "file")
        else:
            visibility = _("öffentlich") if document.public else _("nur intern sichtbar")
            messages.success(
                request,
                _("Die Datei „%(name)s“ ist hochgeladen (%(visibility)s).")
                % {"name": document.name, "visibility": visibility},
            )
            return redirect(_detail_url(pk, "dokumente"))
    return _render_detail(request, page, bound={"dokument": form})
