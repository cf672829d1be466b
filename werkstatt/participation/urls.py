from django.urls import include, path

from werkstatt.participation.views import confirm

app_name = "participation"
urlpatterns = [
    path("mitmachen/bestaetigen/<str:token>/", confirm.confirm, name="confirm"),
    path("", include("werkstatt.participation.urls_ideas")),
    path("", include("werkstatt.participation.urls_comments")),
    path("", include("werkstatt.participation.urls_subscriptions")),
    path("", include("werkstatt.participation.urls_privacy")),
]
