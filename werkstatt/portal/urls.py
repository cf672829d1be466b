from django.urls import path

from werkstatt.portal import views
from werkstatt.search import views as search_views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("werkstaetten/", views.workshop_list, name="workshop-list"),
    path("werkstaetten/<int:number>/", views.workshop_detail, name="workshop-detail"),
    path("sitzungen/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("projekte/", views.project_list, name="project-list"),
    path("projekte/<int:pk>/", views.project_detail, name="project-detail"),
    path("neuigkeiten/", views.news_list, name="news-list"),
    path("neuigkeiten/<int:pk>/", views.news_detail, name="news-detail"),
    path("organisationen/<int:pk>/", views.organization_detail, name="organization-detail"),
    path("personen/<int:pk>/", views.person_detail, name="person-detail"),
    path("offene-daten/", views.open_data, name="open-data"),
    path("suche/", search_views.search_page, name="search"),
]
