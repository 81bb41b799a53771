from django.urls import path
from django.views.generic import RedirectView

from mosprom.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("backoffice/", views.backoffice, name="backoffice"),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False), name="api_docs"),
    path("healthz", views.healthz, name="healthz"),
]
