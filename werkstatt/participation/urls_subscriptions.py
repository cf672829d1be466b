from django.urls import path

from werkstatt.participation.views import subscriptions

urlpatterns = [
    path("mitmachen/abonnieren/", subscriptions.subscribe, name="subscribe"),
    path("mitmachen/abonnieren/gesendet/", subscriptions.subscribe_sent, name="subscribe-sent"),
    path("mitmachen/abmelden/<str:token>/", subscriptions.unsubscribe, name="unsubscribe"),
]
