"""The office's triage of ideas from the public: the list (confirmed ideas), one idea with the submitter's address
and attachment, and one form per step (answer, merge, forward to an agenda, adopt as project, decline).

Every step: load, ask the rules, call one service, then redirect (PRG) with a German message, or render the page
again with the service's refusal on the step's form.
"""

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from werkstatt.accounts import rules
from werkstatt.meetings.models import Meeting
from werkstatt.office.access import office_required, require
from werkstatt.office.forms import form_add_service_errors
from werkstatt.participation import selectors_ideas as selectors
from werkstatt.participation.forms_ideas import AdoptForm, AnswerForm, DeclineForm, ForwardForm, MergeForm
from werkstatt.participation.models import Idea
from werkstatt.participation.services import ideas as services

PAGE_SIZE = 50


@dataclass(frozen=True)
class Step:
    slug: str  # in the URL
    key: str  # services.ALLOWED_FROM
    label: Any
    button: Any


STEPS = (
    Step("antworten", services.ANSWER, gettext_lazy("Danken und antworten"), gettext_lazy("Antwort senden")),
    Step(
        "zusammenfuehren",
        services.MERGE,
        gettext_lazy("Mit einer anderen Idee zusammenführen"),
        gettext_lazy("Zusammenführen"),
    ),
    Step(
        "tagesordnung",
        services.FORWARD,
        gettext_lazy("Auf die Tagesordnung einer Sitzung setzen"),
        gettext_lazy("Auf die Tagesordnung setzen"),
    ),
    Step(
        "projekt",
        services.ADOPT,
        gettext_lazy("Als Projektidee ins Projektregister aufnehmen"),
        gettext_lazy("Projekt anlegen"),
    ),
    Step("ablehnen", services.DECLINE, gettext_lazy("Nicht weiterverfolgen"), gettext_lazy("Ablehnen")),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def _require_triage(user: Any) -> None:
    require(rules.can_triage_ideas(user))


def _form(step: Step, idea: Idea, data: Any = None) -> forms.Form:
    prefix = step.slug
    if step.key == services.MERGE:
        return MergeForm(
            data,
            prefix=prefix,
            candidates=selectors.merge_candidates(idea),
            lookup=Idea.objects.filter(confirmed_at__isnull=False),
        )
    if step.key == services.FORWARD:
        return ForwardForm(
            data,
            prefix=prefix,
            meetings=services.forwardable_meetings(idea.workshop),
            lookup=Meeting.objects.select_related("workshop"),
        )
    if step.key == services.ADOPT:
        return AdoptForm(data, prefix=prefix)
    if step.key == services.DECLINE:
        return DeclineForm(data, prefix=prefix)
    return AnswerForm(data, prefix=prefix)


def _call(step: Step, user: Any, idea: Idea, data: dict[str, Any]) -> Idea:
    answer = data.get("answer", "")
    calls: dict[str, Callable[[], Idea]] = {
        services.ANSWER: lambda: services.idea_answer(actor=user, idea=idea, answer=answer),
        services.MERGE: lambda: services.idea_merge(actor=user, idea=idea, into=data["into"], answer=answer),
        services.FORWARD: lambda: services.idea_forward_to_agenda(
            actor=user, idea=idea, meeting=data["meeting"], number=data["number"], answer=answer
        ),
        services.ADOPT: lambda: services.idea_adopt_as_project(actor=user, idea=idea, answer=answer),
        services.DECLINE: lambda: services.idea_decline(actor=user, idea=idea, reason=answer),
    }
    return calls[step.key]()


def _success_message(idea: Idea) -> str:
    return _("Die Idee ist jetzt „%(status)s“. Die Einsenderin oder der Einsender erhält eine E-Mail.") % {
        "status": idea.get_status_display()
    }


# --- pages ------------------------------------------------------------------------------------------------------


@office_required
def idea_list(request: HttpRequest) -> HttpResponse:
    _require_triage(request.user)
    filters = selectors.IdeaFilter.from_query(request.GET, statuses=selectors.status_choices(public=False))
    page = Paginator(selectors.office_idea_list(filters), PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "participation/ideas/office_list.html",
        {
            "filters": filters,
            "page": page,
            "query": filters.as_query(),
            "workshops": list(selectors.workshops_for_ideas()),
            "statuses": selectors.status_choices(public=False),
            "new_count": selectors.ideas_new_count(),
        },
    )


def _render_detail(
    request: HttpRequest, idea: Idea, *, bound: forms.Form | None = None, status: int = 200
) -> HttpResponse:
    steps = [step for step in STEPS if idea.status in services.ALLOWED_FROM[step.key]]
    step_forms = [
        (step, bound if bound is not None and bound.prefix == step.slug else _form(step, idea)) for step in steps
    ]
    return render(
        request,
        "participation/ideas/office_detail.html",
        {
            "idea": idea,
            "step_forms": step_forms,
            "open_step": bound.prefix if bound is not None else "",
            "public_url": reverse("participation:idea-detail", args=[idea.pk]),
        },
        status=status,
    )


@office_required
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_triage(request.user)
    return _render_detail(request, selectors.office_idea_get(pk))


@office_required
def idea_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """The attachment, for the office only; never public."""
    _require_triage(request.user)
    idea = selectors.office_idea_get(pk)
    if not idea.attachment:
        raise Http404(_("Diese Idee hat keinen Anhang."))
    try:
        with idea.attachment.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError as error:
        raise Http404(_("Der Anhang ist nicht mehr vorhanden.")) from error
    content_type = mimetypes.guess_type(idea.attachment.name)[0] or "application/octet-stream"
    # Small files (at most PARTICIPATION_MAX_ATTACHMENT_MB), always as a download, never shown inline.
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, idea.attachment_name or "anhang") or ""
    response["Cache-Control"] = "private, no-store"
    return response


@office_required
@require_POST
def idea_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require_triage(request.user)
    step = STEP_BY_SLUG.get(action)
    if step is None:
        raise Http404(_("Diesen Schritt gibt es nicht."))
    idea = selectors.office_idea_get(pk)
    form = _form(step, idea, request.POST)
    if form.is_valid():
        try:
            idea = _call(step, request.user, idea, form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _success_message(idea))
            return redirect(reverse("office:idea-detail", args=[pk]))
    if idea.status not in services.ALLOWED_FROM[step.key]:
        # The step is no longer on the page (e.g. a second click after the first went through): say why on top.
        for text in form.non_field_errors():
            messages.error(request, str(text))
        return redirect(reverse("office:idea-detail", args=[pk]))
    return _render_detail(request, idea, bound=form)
