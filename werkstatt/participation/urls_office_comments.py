"""The moderation of the comments in the back office (namespace ``office``, under /office/)."""

from django.urls import path

from werkstatt.participation.views import office_comments

urlpatterns = [
    path("kommentare/", office_comments.comment_queue, name="comment-queue"),
    path("kommentare/<int:pk>/", office_comments.comment_detail, name="comment-detail"),
    path("kommentare/<int:pk>/freigeben/", office_comments.comment_publish_view, name="comment-publish"),
    path("kommentare/<int:pk>/ablehnen/", office_comments.comment_reject_view, name="comment-reject"),
    path("kommentare/<int:pk>/antworten/", office_comments.comment_answer_view, name="comment-answer"),
    path(
        "kommentare/<int:pk>/meldungen-erledigen/",
        office_comments.comment_report_resolve_view,
        name="comment-report-resolve",
    ),
]
