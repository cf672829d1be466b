from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from werkstatt.accounts import rules
from werkstatt.office.access import office_required
from werkstatt.office.selectors import dashboard_for_user
from werkstatt.office.selectors_projects import projects_waiting_count
from werkstatt.participation.selectors_comments import comments_to_moderate_count
from werkstatt.participation.selectors_ideas import ideas_new_count


@office_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    board = dashboard_for_user(user)
    plannable = [w for w in board.workshops if rules.can_plan_meeting(user, w)]
    sees_projects = rules.can_view_project_internals(user)
    triages_ideas = rules.can_triage_ideas(user)
    moderates = rules.moderates_comments(user)
    return render(
        request,
        "office/dashboard.html",
        {
            "board": board,
            "plannable": plannable,
            "sees_projects": sees_projects,
            "can_create_project": rules.can_manage_projects(user),
            "projects_waiting": projects_waiting_count(user) if sees_projects else 0,
            "can_view_status_report": rules.can_view_any_status_report(user),
            "can_import_minutes": rules.can_import_minutes(user),
            "triages_ideas": triages_ideas,
            "ideas_new": ideas_new_count() if triages_ideas else 0,
            "moderates_comments": moderates,
            "comments_waiting": comments_to_moderate_count(user) if moderates else 0,
        },
    )
