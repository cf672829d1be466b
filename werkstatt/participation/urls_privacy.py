"""Public pages of privacy and "my data" (namespace ``participation``)."""

from django.urls import path

from werkstatt.participation.views import privacy

urlpatterns = [
    path("mitmachen/", privacy.overview, name="overview"),
    path("datenschutz/", privacy.privacy_page, name="privacy"),
    path("mitmachen/meine-daten/", privacy.mydata_request, name="mydata-request"),
    path("mitmachen/meine-daten/<str:token>/", privacy.mydata, name="mydata"),
    path("mitmachen/meine-daten/<str:token>/export.json", privacy.mydata_export_json, name="mydata-export"),
    path("mitmachen/meine-daten/<str:token>/loeschen/", privacy.mydata_delete, name="mydata-delete"),
]
