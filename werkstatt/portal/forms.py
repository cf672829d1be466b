"""Forms of the public pages. They only render: the register's filters are parsed by
``projects.selectors.ProjectFilter``, which also says in German what it ignored."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from werkstatt.geo.models import District, Municipality
from werkstatt.organizations.models import FocusArea, Workshop
from werkstatt.projects.models import Project
from werkstatt.projects.selectors import ProjectFilter
from werkstatt.projects.workflow import FundingInstrument, ProjectState

ALL = ("", _("alle"))


class ProjectFilterForm(forms.Form):
    """The filter form above the register (GET). Field names are the query parameters of ``ProjectFilter``."""

    werkstatt = forms.ChoiceField(label=_("Werkstatt"), required=False)
    stand = forms.ChoiceField(label=_("Stand"), required=False)
    foerderung = forms.ChoiceField(label=_("Förderinstrument"), required=False)
    kreis = forms.ChoiceField(label=_("Landkreis / kreisfreie Stadt"), required=False)
    gemeinde = forms.ChoiceField(label=_("Gemeinde"), required=False)
    schwerpunkt = forms.ChoiceField(label=_("Schwerpunkt"), required=False)
    sortierung = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, filters: ProjectFilter, visible: QuerySet[Project], **kwargs: Any) -> None:
        """``visible``: the projects the user may see; the municipality list offers only theirs."""
        super().__init__(initial=filters.as_query(), **kwargs)
        fields = self.fields
        fields["werkstatt"].choices = [  # type: ignore[attr-defined]
            ALL,
            *((w.number, f"{w.label}: {w.title}") for w in Workshop.objects.order_by("number")),
        ]
        fields["stand"].choices = [ALL, *ProjectState.choices]  # type: ignore[attr-defined]
        fields["foerderung"].choices = [ALL, *FundingInstrument.choices]  # type: ignore[attr-defined]
        fields["kreis"].choices = [  # type: ignore[attr-defined]
            ALL,
            *((d.ags, d.display_name) for d in District.objects.order_by("name")),
        ]
        # Only places with projects, and the one asked for (a shared link may name a place without any).
        municipalities = Municipality.objects.filter(
            Q(pk__in=visible.values("municipality_id")) | Q(ags=filters.municipality or None)
        ).order_by("name")
        fields["gemeinde"].choices = [  # type: ignore[attr-defined]
            ALL,
            *((m.ags, m.display_name) for m in municipalities),
        ]
        fields["schwerpunkt"].choices = [  # type: ignore[attr-defined]
            ALL,
            *(
                (a.pk, f"{a.title} ({a.workshop.label})")
                for a in FocusArea.objects.select_related("workshop").order_by("workshop__number", "order", "pk")
            ),
        ]
        for name, field in fields.items():
            if name != "sortierung":
                field.widget.attrs["class"] = "kern-form-input__select"
