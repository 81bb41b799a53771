"""Host cabinet (/host/tours/…) and organiser back office for tourism (/manage/tours/…)."""

from django.urls import path

from mosprom.tourism import views_host, views_manage

urlpatterns = [
    path("host/tours/", views_host.session_list, name="host_sessions"),
    path("host/tours/sessions/<int:pk>/", views_host.session_detail, name="host_session"),
    path("host/tours/sessions/<int:pk>/attendees/", views_host.attendees, name="host_attendees"),
    path(
        "host/tours/sessions/<int:pk>/attendees.csv",
        views_host.attendees_csv,
        name="host_attendees_csv",
    ),
    path("host/tours/sessions/<int:pk>/checkin/", views_host.checkin, name="host_checkin"),
    path(
        "host/tours/sessions/<int:pk>/cancel/",
        views_host.session_cancel,
        name="host_session_cancel",
    ),
    path("host/tours/sessions/<int:pk>/no-shows/", views_host.no_shows, name="host_no_shows"),
    path(
        "host/tours/participants/<int:pk>/passport/",
        views_host.reveal_passport,
        name="host_reveal_passport",
    ),
    path("manage/tours/experiences/", views_manage.experience_list, name="manage_experiences"),
    path(
        "manage/tours/experiences/new/",
        views_manage.experience_new,
        name="manage_experience_new",
    ),
    path(
        "manage/tours/experiences/<int:pk>/",
        views_manage.experience_edit,
        name="manage_experience_edit",
    ),
    path(
        "manage/tours/experiences/<int:pk>/sessions/new/",
        views_manage.session_new,
        name="manage_session_new",
    ),
    path(
        "manage/tours/sessions/<int:pk>/",
        views_manage.session_edit,
        name="manage_session_edit",
    ),
    path("manage/tours/seasons/", views_manage.season_list, name="manage_seasons"),
    path("manage/tours/seasons/new/", views_manage.season_new, name="manage_season_new"),
    path("manage/tours/seasons/<int:pk>/", views_manage.season_edit, name="manage_season_edit"),
]
