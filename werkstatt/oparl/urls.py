from django.urls import path, re_path

from werkstatt.oparl import views

app_name = "oparl"
urlpatterns = [
    path("", views.system, name="system"),
    path("body", views.body_list, name="body-list"),
    path("body/<int:pk>", views.body_detail, name="body"),
    path("body/<int:pk>/<str:segment>", views.body_sublist, name="body-sublist"),
    path("organization/<str:key>/meeting", views.organization_meetings, name="organization-meeting"),
    path("file/<int:pk>/zugriff", views.file_access, name="file-access"),
    path("file/<int:pk>/download", views.file_download, name="file-download"),
    path("<str:segment>/<str:key>", views.object_detail, name="object"),
    # Everything else below the API's address: an OParl error object, not the HTML 404 page.
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
