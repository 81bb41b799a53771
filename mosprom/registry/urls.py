from django.urls import path

from mosprom.registry import views, views_hosts, views_import

app_name = "registry"

urlpatterns = [
    path("", views.enterprise_list, name="enterprise_list"),
    path("<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("import/", views_import.import_upload, name="import"),
    path("import/<int:pk>/", views_import.import_preview, name="import_preview"),
    path("hosts/", views_hosts.invitation_list, name="invitation_list"),
    path("hosts/join/<uuid:token>/", views_hosts.invitation_accept, name="invitation_accept"),
]
