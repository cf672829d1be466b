from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from werkstatt.accounts import rules
from werkstatt.office.access import office_required
from werkstatt.office.selectors import dashboard_for_user


@office_required
def dashboard(request: HttpRequest) -> HttpResponse:
    board = dashboard_for_user(request.user)
    plannable = [w for w in board.workshops if rules.can_plan_meeting(request.user, w)]
    return render(
        request,
        "office/dashboard.html",
        {
            "board": board,
            "plannable": plannable,
            "can_view_status_report": rules.can_view_any_status_report(request.user),
        },
    )
