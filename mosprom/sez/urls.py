"""SEZ pages under /sez/: the public zone page, a resident's reports (/sez/my/…,
/sez/reports/…) and the organisers' back office (/sez/manage/…)."""

from django.urls import path

from mosprom.sez import views, views_manage, views_resident

app_name = "sez"

urlpatterns = [
    path("", views.zone, name="zone"),
    # A resident's reports.
    path("my/", views_resident.my_reports, name="my_reports"),
    path(
        "my/<int:membership_pk>/periods/<int:period_pk>/",
        views_resident.report_file,
        name="report_file",
    ),
    path("reports/<int:pk>/", views_resident.report_detail, name="report_detail"),
    # Organisers.
    path("manage/", views_manage.periods, name="manage_periods"),
    path("manage/periods/<int:pk>/", views_manage.period, name="manage_period"),
    path("manage/versions/<int:pk>/", views_manage.version_review, name="version_review"),
    path("manage/kpi/", views_manage.kpi_dashboard, name="kpi"),
    path("manage/kpi/xlsx/", views_manage.kpi_xlsx, name="kpi_xlsx"),
    path("manage/residents/", views_manage.residents, name="residents"),
    path("manage/residents/<int:pk>/plans/", views_manage.resident_plans, name="resident_plans"),
]
