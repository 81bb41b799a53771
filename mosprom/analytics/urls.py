"""Pages of the programme's figures: the public page and the organisers' back office."""

from django.urls import path

from mosprom.analytics import views, views_manage

app_name = "analytics"

urlpatterns = [
    path("programme/figures/", views.programme, name="programme"),
    path("manage/figures/", views_manage.dashboard, name="dashboard"),
    path("manage/figures/chart/<slug:key>.csv", views_manage.chart_csv, name="chart_csv"),
    path("manage/figures/chart/<slug:key>.xlsx", views_manage.chart_xlsx, name="chart_xlsx"),
    path("manage/figures/kpi/", views_manage.kpis, name="kpis"),
    path("manage/figures/import/", views_manage.kpi_import_upload, name="import"),
    path("manage/figures/import/check/", views_manage.kpi_import_preview, name="import_preview"),
]
