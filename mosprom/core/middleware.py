"""The site's middleware, and which of it an API call skips.

An API call (``/api/v1/…`` answered with JSON, authenticated by a bearer token) has no use for
static files, the session, the messages framework or htmx's headers; in the registration rush
the middleware was ≈ 7 % of a booking's CPU and ≈ 13 % of a refusal's (docs/PERFORMANCE.md).
Each class below is the library's own middleware, unchanged for every other request and
stepped over for an API call, so the test client and the app server run the same chain
(``settings.MIDDLEWARE``). Security headers, the language (``Accept-Language``), ``Common``,
CSRF (ninja's operations are exempt) and frame options stay for all, under their own names
(``check --deploy`` looks for them). The API's HTML documentation page keeps the whole chain.
``LocaleMiddleware`` here is Django's without a per-request lookup the site does not need.
"""

from __future__ import annotations

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware as _Messages
from django.contrib.sessions.middleware import SessionMiddleware as _Sessions
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware as _Locale
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxMiddleware as _Htmx
from whitenoise.middleware import WhiteNoiseMiddleware as _StaticFiles

API_PREFIX = "/api/v1/"
API_DOCS = API_PREFIX + "docs"  # an HTML page: the whole chain


def is_api_call(request: HttpRequest) -> bool:
    path = request.path_info
    return path.startswith(API_PREFIX) and not path.startswith(API_DOCS)


class SiteOnly:
    """Mixed in before a middleware class: an API call goes straight to the next one (after
    ``on_api_call``, which a subclass may use to leave what the site's version would)."""

    def on_api_call(self, request) -> None:
        pass

    def __call__(self, request):
        if is_api_call(request):
            self.on_api_call(request)
            return self.get_response(request)
        return super().__call__(request)


class StaticFilesMiddleware(SiteOnly, _StaticFiles):
    pass


class SessionMiddleware(SiteOnly, _Sessions):
    pass


class AuthenticationMiddleware(SiteOnly, _Authentication):
    def on_api_call(self, request) -> None:
        request.user = AnonymousUser()  # the bearer token's user replaces it


class MessageMiddleware(SiteOnly, _Messages):
    pass


class HtmxMiddleware(SiteOnly, _Htmx):
    pass


class LocaleMiddleware(_Locale):
    """Django's, minus the language-prefix lookup in the path when the URLconf has no
    ``i18n_patterns`` (ours has none, the language comes from the cookie or Accept-Language):
    Django runs that regex on every request and response regardless (the middleware's
    17.5 → 8.7 µs a request). With ``i18n_patterns`` it is Django's own behaviour."""

    def _prefixes_used(self, request) -> bool:
        return is_language_prefix_patterns_used(getattr(request, "urlconf", settings.ROOT_URLCONF))[
            0
        ]

    def process_request(self, request):
        if self._prefixes_used(request):
            return super().process_request(request)
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        if self._prefixes_used(request):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
