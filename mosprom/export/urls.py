"""Export pages under /export/: public (events, an event, its exporter showcase, the fair
vote), a company's (/export/my/…: applications, documents, participation, the outcome
report, voting) and the organisers' (/export/manage/…)."""

from django.urls import path

from mosprom.export import (
    views_company,
    views_manage,
    views_manage_votes,
    views_participation,
    views_public,
)

app_name = "export"

urlpatterns = [
    # Public.
    path("", views_public.event_list, name="event_list"),
    path("<int:pk>/", views_public.event_detail, name="event_detail"),
    path("<int:pk>/showcase/", views_public.showcase, name="showcase"),
    path("votes/", views_public.vote_list, name="vote_list"),
    path("votes/<int:pk>/", views_public.vote_detail, name="vote_detail"),
    # A company's applications.
    path("my/", views_company.my_applications, name="my_applications"),
    path("<int:pk>/apply/", views_company.apply, name="apply"),
    path("my/applications/<int:pk>/", views_company.application_detail, name="my_application"),
    path("my/applications/<int:pk>/edit/", views_company.application_edit, name="my_edit"),
    path("my/applications/<int:pk>/documents/", views_company.documents, name="my_documents"),
    path(
        "my/documents/<int:pk>/remove/",
        views_company.document_remove,
        name="my_document_remove",
    ),
    path("documents/<int:pk>/", views_company.document_download, name="document_download"),
    path(
        "my/applications/<int:pk>/status/<slug:to>/",
        views_company.transition,
        name="my_transition",
    ),
    # A company's participation.
    path(
        "my/applications/<int:pk>/checklist/",
        views_participation.checklist,
        name="my_checklist",
    ),
    path("my/applications/<int:pk>/meetings/", views_participation.meetings, name="my_meetings"),
    path("my/meetings/<int:pk>/", views_participation.meeting_edit, name="my_meeting"),
    path("my/applications/<int:pk>/report/", views_participation.report, name="outcome_report"),
    path("my/votes/<int:pk>/", views_participation.vote, name="my_vote"),
    # Organisers.
    path("manage/", views_manage.events, name="manage_events"),
    path("manage/new/", views_manage.event_new, name="manage_event_new"),
    path("manage/<int:pk>/edit/", views_manage.event_edit, name="manage_event_edit"),
    path("manage/<int:pk>/", views_manage.application_list, name="manage_applications"),
    path(
        "manage/applications/<int:pk>/",
        views_manage.application_detail,
        name="manage_application",
    ),
    path(
        "manage/applications/<int:pk>/status/<slug:to>/",
        views_manage.transition,
        name="manage_transition",
    ),
    path("manage/<int:pk>/reports/", views_manage.reports, name="manage_reports"),
    path("manage/<int:pk>/reports/remind/", views_manage.remind, name="manage_remind"),
    path("manage/votes/", views_manage_votes.rounds, name="manage_votes"),
    path("manage/votes/new/", views_manage_votes.round_new, name="manage_vote_new"),
    path("manage/votes/<int:pk>/", views_manage_votes.round_edit, name="manage_vote"),
    path(
        "manage/votes/<int:pk>/publish/",
        views_manage_votes.round_publish,
        name="manage_vote_publish",
    ),
    path(
        "manage/candidates/<int:pk>/",
        views_manage_votes.candidate_edit,
        name="manage_candidate",
    ),
]
