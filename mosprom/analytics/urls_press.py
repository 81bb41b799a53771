"""The press-release page, mounted at /manage/figures/press/ (namespace "press")."""

from django.urls import path

from mosprom.analytics import views_press

app_name = "press"

urlpatterns = [
    path("", views_press.release_page, name="release"),
]
