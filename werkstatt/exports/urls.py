from django.urls import path

from werkstatt.exports import views

app_name = "exports"
urlpatterns = [
    path("sitzungen/<int:pk>/ergebnisprotokoll.pdf", views.minutes_pdf, name="minutes-pdf"),
    path("sitzungen/<int:pk>/ergebnisprotokoll.docx", views.minutes_docx, name="minutes-docx"),
    path("sitzungen/<int:pk>/tagesordnung.pdf", views.agenda_pdf, name="agenda-pdf"),
    path("sitzungen/<int:pk>/termin.ics", views.meeting_ics, name="meeting-ics"),
    path("projekte/export.csv", views.project_register_csv, name="project-register-csv"),
    path("projekte/export.json", views.project_register_json, name="project-register-json"),
    path("sitzungen/export.csv", views.meetings_csv, name="meetings-csv"),
    path("sitzungen/export.json", views.meetings_json, name="meetings-json"),
]
