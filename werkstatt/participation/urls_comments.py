"""Comments of the public (namespace ``participation``)."""

from django.urls import path

from werkstatt.participation.views import comments

urlpatterns = [
    path("mitmachen/kommentare/projekt/<int:pk>/", comments.project_comment_create, name="comment-create-project"),
    path("mitmachen/kommentare/sitzung/<int:pk>/", comments.meeting_comment_create, name="comment-create-meeting"),
    path("mitmachen/kommentare/<int:pk>/melden/", comments.comment_report_view, name="comment-report"),
]
