from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from config.api import api
from mosprom.core.middleware import API_PREFIX

urlpatterns = [
    # The API first: its prefix is its own, and a booking in a rush should not be matched
    # against every page's pattern before it.
    path(API_PREFIX.removeprefix("/"), api.urls),
    path("", include("mosprom.web.urls")),
    path("accounts/", include("mosprom.accounts.urls")),
    path("enterprises/", include("mosprom.registry.urls")),
    path("", include("mosprom.tourism.urls")),
    path("games/", include("mosprom.games.urls")),
    path("export/", include("mosprom.export.urls")),
    path("sez/", include("mosprom.sez.urls")),
    path("", include("mosprom.media.urls")),
    path("manage/figures/press/", include("mosprom.analytics.urls_press")),
    path("", include("mosprom.analytics.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

if not settings.PRODUCTION:
    # In production the reverse proxy serves uploads (docs/OPERATIONS.md).
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.lstrip('/')}<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
