"""Projects in the back office: list, fact sheet, steps, milestones, documents, and projects in sessions."""

from django.urls import URLPattern, path

from werkstatt.office.views import consultations, projects

urlpatterns: list[URLPattern] = [
    path("projekte/", projects.project_list, name="project-list"),
    path("projekte/neu/", projects.project_create, name="project-create"),
    path("projekte/<int:pk>/", projects.project_detail, name="project-detail"),
    path("projekte/<int:pk>/bearbeiten/", projects.project_edit, name="project-edit"),
    path("projekte/<int:pk>/schritt/<str:target>/", projects.project_step, name="project-step"),
    path("projekte/<int:pk>/meilensteine/", projects.milestone_add, name="milestone-add"),
    path("projekte/<int:pk>/meilensteine/<int:milestone_pk>/", projects.milestone_edit, name="milestone-edit"),
    path(
        "projekte/<int:pk>/meilensteine/<int:milestone_pk>/loeschen/",
        projects.milestone_delete,
        name="milestone-delete",
    ),
    path("projekte/<int:pk>/dokumente/", projects.project_file_upload, name="project-file-upload"),
    path("sitzungen/<int:pk>/tagesordnung/projekt/", consultations.agenda_project_add, name="agenda-project-add"),
    path("sitzungen/<int:pk>/beratungen/<int:consultation_pk>/", consultations.consultation, name="consultation"),
]
