"""Projects in sessions: putting a project on a session's agenda, and recording what the session said.

The outcome of the lead workshop's session moves the project (``consultation_record_outcome``);
"Vorstellung erfassen" records that it was presented there without a vote yet.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkstatt.accounts import rules
from werkstatt.meetings.services import PresenterInput
from werkstatt.meetings.workflow import MeetingState
from werkstatt.office import selectors_planning as choices
from werkstatt.office.access import office_required, require
from werkstatt.office.forms import form_add_service_errors
from werkstatt.office.forms_projects import OutcomeForm, PutOnAgendaForm
from werkstatt.office.selectors_projects import consultation_get, projects_hearable_in
from werkstatt.office.views.agenda import may_edit, meeting_page_for_planning, render_agenda
from werkstatt.organizations.models import Person
from werkstatt.projects import services
from werkstatt.projects.models import Consultation
from werkstatt.projects.workflow import ProjectState, state_label

# From these states, a presentation in the lead workshop's session is a step of its own.
PRESENTABLE_STATES = frozenset({ProjectState.QUALIFICATION, ProjectState.DEFERRED})


@dataclass
class ConsultationPanel:
    """A consultation with what the user may do about it now."""

    consultation: Consultation
    form: OutcomeForm | None
    can_present: bool
    waiting_for_session: bool  # the outcome comes once the session is held


def consultation_panel(user: object, consultation: Consultation, form: OutcomeForm | None = None) -> ConsultationPanel:
    meeting = consultation.meeting
    held = meeting.state == MeetingState.HELD
    open_ = rules.can_record_consultation(user, meeting) and not consultation.outcome
    return ConsultationPanel(
        consultation=consultation,
        form=(form or OutcomeForm(prefix=f"ergebnis-{consultation.pk}")) if open_ and held else None,
        can_present=open_ and held and consultation.authoritative
        and consultation.project.state in PRESENTABLE_STATES,
        waiting_for_session=open_ and not held,
    )  # fmt: skip


def _consultation_url(meeting_pk: int, consultation_pk: int) -> str:
    return reverse("office:consultation", args=[meeting_pk, consultation_pk])


def _presenter(person: Person | None) -> list[PresenterInput]:
    if person is None:
        return []
    organization = person.organization
    return [
        PresenterInput(
            person=person,
            function=person.function,
            organization=organization,
            organization_name=organization.display_name if organization else "",
        )
    ]


@office_required
@require_POST
def agenda_project_add(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Projekt auf die Tagesordnung setzen": a presentation item with the project's consultation."""
    page = meeting_page_for_planning(request, pk)
    meeting = page.meeting
    require(rules.can_record_consultation(request.user, meeting))
    if not may_edit(request, meeting):
        return redirect("office:agenda", pk=pk)
    form = PutOnAgendaForm(
        request.POST, projects=projects_hearable_in(meeting), persons=choices.persons_for_picking(meeting)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.project_put_on_agenda(
                actor=request.user,
                project=data["project"],
                meeting=meeting,
                number=data["number"],
                title=data["title"],
                presenters=_presenter(data["presenter"]),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            item = consultation.agenda_item
            messages.success(
                request,
                _("„%(project)s“ steht als TOP %(number)s auf der Tagesordnung.")
                % {"project": consultation.project.title, "number": item.number if item else ""},
            )
            return redirect(reverse("office:agenda", args=[pk]) + (f"#top-{item.pk}" if item else ""))
    return render_agenda(request, page, project_form=form)


@office_required
def consultation(request: HttpRequest, pk: int, consultation_pk: int) -> HttpResponse:
    """A project heard in a session: what was recorded, and the forms to record the outcome or the
    presentation once the session is held."""
    page = meeting_page_for_planning(request, pk)
    meeting = page.meeting
    found = consultation_get(request.user, meeting, consultation_pk)
    form: OutcomeForm | None = None
    if request.method == "POST":
        require(rules.can_record_consultation(request.user, meeting))
        action = request.POST.get("aktion", "")
        if action == "ergebnis":
            form = OutcomeForm(request.POST, prefix=f"ergebnis-{found.pk}")
            if form.is_valid():
                try:
                    recorded = services.consultation_record_outcome(
                        actor=request.user,
                        consultation=found,
                        outcome=form.cleaned_data["outcome"],
                        conditions=form.cleaned_data["conditions"],
                    )
                except ValidationError as error:
                    form_add_service_errors(form, error)
                except PermissionDenied as error:
                    form.add_error(None, str(error))
                else:
                    recorded.project.refresh_from_db(fields=["state"])
                    messages.success(
                        request,
                        _("Das Ergebnis „%(outcome)s“ ist erfasst; das Projekt ist „%(state)s“.")
                        % {
                            "outcome": recorded.get_outcome_display(),
                            "state": state_label(recorded.project.state),
                        },
                    )
                    return redirect(_consultation_url(pk, found.pk))
        elif action == "vorstellung":
            try:
                services.project_transition(
                    actor=request.user,
                    project=found.project,
                    target=ProjectState.PRESENTED,
                    consultation=found,
                    decision_date=meeting.date,
                    note=_("Vorgestellt in der %(meeting)s") % {"meeting": meeting.title},
                )
            except (ValidationError, PermissionDenied) as error:
                texts = error.messages if isinstance(error, ValidationError) else [str(error)]
                for text in texts:
                    messages.error(request, text)
            else:
                messages.success(
                    request,
                    _("Die Vorstellung in der %(meeting)s ist erfasst; das Projekt ist „%(state)s“.")
                    % {"meeting": meeting.title, "state": state_label(ProjectState.PRESENTED)},
                )
            return redirect(_consultation_url(pk, found.pk))
        else:
            return HttpResponseBadRequest(_("Unbekannte Aktion."))
    return render(
        request,
        "office/consultation.html",
        {
            "page": page,
            "meeting": meeting,
            "panel": consultation_panel(request.user, found, form),
            "can_edit_agenda": rules.can_edit_meeting(request.user, meeting),
        },
    )
