"""Planning a session for a workshop, with the next number proposed and the standing agenda."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from werkstatt.accounts import rules
from werkstatt.geo.services import LocationInput
from werkstatt.meetings import services
from werkstatt.meetings.services.planning import meeting_next_number
from werkstatt.office.access import office_required, require
from werkstatt.office.forms import MeetingPlanForm
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
                address=LocationInput(
                    description=data["description"],
                    street_address=data["street_address"],
                    postal_code=data["postal_code"],
                    locality=data["locality"],
                ),
                chair=data["chair"],
                chair_function=data["chair_function"],
                minute_taker=data["minute_taker"],
                minute_taker_function=data["minute_taker_function"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            return redirect("office:meeting-detail", pk=meeting.pk)
    return render(request, "office/meeting_plan.html", {"form": form, "workshop": workshop})


def _add_service_errors(form: MeetingPlanForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
