from django.urls import path

from werkstatt.exports import views

app_name = "exports"
urlpatterns = [
    path("sitzungen/<int:pk>/ergebnisprotokoll.pdf", views.minutes_pdf, name="minutes-pdf"),
    path("sitzungen/<int:pk>/ergebnisprotokoll.docx", views.minutes_docx, name="minutes-docx"),
    path("sitzungen/<int:pk>/tagesordnung.pdf", views.agenda_pdf, name="agenda-pdf"),
    path("sitzungen/<int:pk>/termin.ics", views.meeting_ics, name="meeting-ics"),
    path("projekte/export.csv", views.project_register_csv, name="project-register-csv"),
]
