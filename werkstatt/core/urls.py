from django.urls import path

from werkstatt.core import health

app_name = "health"
urlpatterns = [
    path("", health.ready, name="ready"),
    path("live/", health.live, name="live"),
]
