from django.urls import path

from werkstatt.exports import feeds, views

app_name = "exports"
urlpatterns = [
    path("sitzungen/<int:pk>/ergebnisprotokoll.pdf", views.minutes_pdf, name="minutes-pdf"),
    path("sitzungen/<int:pk>/ergebnisprotokoll.docx", views.minutes_docx, name="minutes-docx"),
    path("sitzungen/<int:pk>/tagesordnung.pdf", views.agenda_pdf, name="agenda-pdf"),
    path("sitzungen/<int:pk>/termin.ics", views.meeting_ics, name="meeting-ics"),
    path("projekte/export.csv", views.project_register_csv, name="project-register-csv"),
    # Calendars to subscribe to and Atom feeds: the public view, whoever fetches them.
    path("termine.ics", views.calendar_all, name="calendar-all"),
    path("werkstaetten/<int:number>/termine.ics", views.calendar_workshop, name="calendar-workshop"),
    path("neuigkeiten/feed.atom", feeds.NewsFeed(), name="news-feed"),
    path("werkstaetten/<int:number>/neuigkeiten.atom", feeds.WorkshopNewsFeed(), name="news-feed-workshop"),
    path("protokolle/feed.atom", feeds.MinutesFeed(), name="minutes-feed"),
    path("werkstaetten/<int:number>/protokolle.atom", feeds.WorkshopMinutesFeed(), name="minutes-feed-workshop"),
    path("meilensteine/feed.atom", feeds.MilestonesFeed(), name="milestones-feed"),
    path(
        "werkstaetten/<int:number>/meilensteine.atom",
        feeds.WorkshopMilestonesFeed(),
        name="milestones-feed-workshop",
    ),
    path("landkreise/<str:ags>/meilensteine.atom", feeds.DistrictMilestonesFeed(), name="milestones-feed-district"),
    path("projekte/export.json", views.project_register_json, name="project-register-json"),
    path("sitzungen/export.csv", views.meetings_csv, name="meetings-csv"),
    path("sitzungen/export.json", views.meetings_json, name="meetings-json"),
]
