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
    path("zahlen-und-fakten/", views.facts, name="facts"),
    path("zahlen-und-fakten/<str:figure>.csv", views.facts_csv, name="facts-csv"),
    path("karte/", views.project_map, name="map"),
    path("karte/projekte.geojson", views.project_map_data, name="map-data"),
    path("karte/landkreise.geojson", views.map_districts, name="map-districts"),
    path("karte/gemeinden.geojson", views.map_municipalities, name="map-municipalities"),
    path("landkreise/", views.district_list, name="district-list"),
    path("landkreise/<str:ags>/", views.district_detail, name="district-detail"),
    path("suche/", search_views.search_page, name="search"),
]
