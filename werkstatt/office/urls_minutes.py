"""Recording the minutes: results, files, comments, approval, publication and errata."""

from django.urls import URLPattern, path

from werkstatt.office.views import minutes

urlpatterns: list[URLPattern] = [
    path("sitzungen/<int:pk>/protokoll/", minutes.minutes, name="minutes"),
    path("sitzungen/<int:pk>/protokoll/<int:item_pk>/", minutes.result_save, name="result-save"),
    path("sitzungen/<int:pk>/protokoll/<int:item_pk>/bestaetigen/", minutes.minutes_approve, name="minutes-approve"),
    path("sitzungen/<int:pk>/protokoll/anmerkungen/", minutes.comment_add, name="comment-add"),
    path("sitzungen/<int:pk>/protokoll/berichtigungen/", minutes.erratum_add, name="erratum-add"),
    path("sitzungen/<int:pk>/protokoll/dateien/", minutes.file_upload, name="file-upload"),
    path("dateien/<int:pk>/", minutes.file_download, name="file-download"),
]
