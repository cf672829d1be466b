"""Planning a session for a workshop, with the next number proposed and the standing agenda."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from werkstatt.accounts import rules
from werkstatt.meetings import services
from werkstatt.meetings.selectors import meeting_get_for_user
from werkstatt.meetings.services.planning import meeting_next_number
from werkstatt.office.access import office_required, require
from werkstatt.office.forms import MeetingEditForm, MeetingPlanForm, form_add_service_errors
from werkstatt.office.views.agenda import may_edit
from werkstatt.organizations.models import Workshop


@office_required
def meeting_plan(request: HttpRequest, number: int) -> HttpResponse:
    workshop = Workshop.objects.filter(number=number).first()
    if workshop is None:
        raise Http404(_("Diese Werkstatt gibt es nicht."))
    require(rules.can_plan_meeting(request.user, workshop))
    form = MeetingPlanForm(request.POST or None, initial={"number": meeting_next_number(workshop)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_plan(
                actor=request.user,
                workshop=workshop,
                number=data["number"],
                date=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                location=data["location"],
                address=form.address(),
                chair=data["chair"],
                chair_function=data["chair_function"],
                minute_taker=data["minute_taker"],
                minute_taker_function=data["minute_taker_function"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return redirect("office:meeting-detail", pk=meeting.pk)
    return render(request, "office/meeting_plan.html", {"form": form, "workshop": workshop})


@office_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Date, times, place, chair and minute-taker of a planned or invited session."""
    meeting = meeting_get_for_user(request.user, pk).meeting
    if not may_edit(request, meeting):
        return redirect("office:meeting-detail", pk=pk)
    posted = request.method == "POST"
    form = MeetingEditForm(request.POST if posted else None, initial=MeetingEditForm.initial_for(meeting))
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            updated = services.meeting_update(
                actor=request.user,
                meeting=meeting,
                date=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                location=data["location"],
                address=form.address(),
                chair=data["chair"],
                chair_function=data["chair_function"],
                minute_taker=data["minute_taker"],
                minute_taker_function=data["minute_taker_function"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            if updated.ics_sequence > meeting.ics_sequence:
                messages.success(
                    request, _("Die Planung ist gespeichert. Die geänderte Einladung wird an die Mitglieder versandt.")
                )
            else:
                messages.success(request, _("Die Planung ist gespeichert."))
            return redirect("office:meeting-detail", pk=pk)
    return render(request, "office/meeting_edit.html", {"form": form, "meeting": meeting})
