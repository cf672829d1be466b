"""Ideas from the public: submit (also in a simpler form for children and young people), list, one idea."""

from django.urls import URLPattern, path

from werkstatt.participation.views import ideas

urlpatterns: list[URLPattern] = [
    path("mitmachen/ideen/", ideas.idea_list, name="idea-list"),
    path("mitmachen/ideen/neu/", ideas.idea_create, name="idea-create"),
    path("mitmachen/ideen/neu/jugend/", ideas.idea_create_young, name="idea-create-young"),
    path("mitmachen/ideen/eingereicht/", ideas.idea_submitted, name="idea-submitted"),
    path("mitmachen/ideen/<int:pk>/", ideas.idea_detail, name="idea-detail"),
]
