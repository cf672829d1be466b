from django.urls import include, path

from werkstatt.office.views import dashboard, report, sessions

app_name = "office"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("sitzungen/<int:pk>/", sessions.meeting_detail, name="meeting-detail"),
    path("sitzungen/<int:pk>/status/<str:action>/", sessions.meeting_action, name="meeting-action"),
    path("sachstand/", report.status_report_page, name="status-report"),
    path("sachstand.pdf", report.status_report_pdf, name="status-report-pdf"),
    path("sitzungen/<int:pk>/sachstand/", report.status_report_attach_view, name="status-report-attach"),
    path("", include("werkstatt.office.urls_planning")),
    path("", include("werkstatt.office.urls_minutes")),
    path("", include("werkstatt.office.urls_import")),
    path("", include("werkstatt.office.urls_minutes_import")),
    path("", include("werkstatt.office.urls_projects")),
    path("", include("werkstatt.participation.urls_office")),
]
