"""API calls step over the site-only middleware (``core/middleware.py``); pages and the API's
HTML documentation keep the whole chain."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.utils.functional import SimpleLazyObject

from mosprom.core.middleware import (
    AuthenticationMiddleware,
    HtmxMiddleware,
    MessageMiddleware,
    SessionMiddleware,
    StaticFilesMiddleware,
    is_api_call,
)

API = "/api/v1/tourism/sessions/1/bookings"
PAGE = "/tours/"
DOCS = "/api/v1/docs"


def _through(middleware_class, rf, path, *, method="get", prepare=None):
    """The request as the next middleware received it (None if it never got there)."""
    seen = []
    middleware = middleware_class(lambda request: seen.append(request) or HttpResponse("ok"))
    request = getattr(rf, method)(path)
    if prepare:
        prepare(request)
    response = middleware(request)
    return (seen[0] if seen else None), response


def test_what_counts_as_an_api_call(rf):
    from django.urls import reverse

    assert is_api_call(rf.post(API))
    assert is_api_call(rf.get(reverse("api:openapi-json")))
    assert not is_api_call(rf.get(DOCS))
    assert reverse("api:openapi-view") == DOCS  # where ninja serves the HTML page
    assert not is_api_call(rf.get(PAGE))
    assert not is_api_call(rf.get("/api/v2-not-ours/"))


@pytest.mark.parametrize(
    ("middleware_class", "attribute"),
    [(SessionMiddleware, "session"), (MessageMiddleware, "_messages"), (HtmxMiddleware, "htmx")],
)
def test_an_api_call_steps_over_site_middleware(rf, middleware_class, attribute):
    placeholder = object()  # for messages, which need a session before them

    def with_session(request):
        request.session = placeholder

    for path, expected in [(API, False), (PAGE, True), (DOCS, True)]:
        request, response = _through(middleware_class, rf, path, prepare=with_session)
        assert request is not None and response.status_code == 200
        if attribute == "session":  # the middleware replaces the placeholder with its own
            assert (request.session is not placeholder) is expected, path
        else:
            assert hasattr(request, attribute) is expected, path


def test_an_api_call_has_an_anonymous_user_until_its_token_says_otherwise(rf):
    request, _ = _through(AuthenticationMiddleware, rf, API)
    assert isinstance(request.user, AnonymousUser)
    page, _ = _through(
        AuthenticationMiddleware, rf, PAGE, prepare=lambda r: setattr(r, "session", {})
    )
    assert isinstance(page.user, SimpleLazyObject)  # read from the session when used


@pytest.mark.django_db
def test_pages_and_static_files_keep_the_whole_chain(client, settings):
    # A page: CSRF cookie, frame options, the session's Vary.
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert response["X-Frame-Options"] == "DENY"
    # An API call: still frame options and the security headers, no cookies.
    api = client.get("/api/v1/tourism/sessions")
    assert api.status_code == 200
    assert api["X-Frame-Options"] == "DENY"
    assert api["X-Content-Type-Options"] == "nosniff"
    assert not api.cookies
    assert "Cookie" not in api.get("Vary", "")


def test_static_files_are_still_served_and_api_calls_pass(rf, tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "probe.txt").write_text("static")
    settings.WHITENOISE_AUTOREFRESH = True
    request, response = _through(StaticFilesMiddleware, rf, f"{settings.STATIC_URL}probe.txt")
    assert request is None and response.status_code == 200  # served by WhiteNoise
    request, response = _through(StaticFilesMiddleware, rf, API)
    assert request is not None and response.content == b"ok"


@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.8"}, {"HTTP_ACCEPT_LANGUAGE": "ru"}],
)
@pytest.mark.parametrize("cookie", [None, "en", "ru"])
@pytest.mark.parametrize("path", [API, PAGE, "/no-such-page/"])
def test_the_language_is_django_s_answer(rf, headers, cookie, path):
    from django.conf import settings
    from django.middleware.locale import LocaleMiddleware as Django
    from django.utils import translation

    from mosprom.core.middleware import LocaleMiddleware as Ours

    status = 404 if path.startswith("/no-such") else 200
    answers = []
    for middleware_class in (Django, Ours):
        request = rf.get(path, **headers)
        if cookie:
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = cookie
        middleware = middleware_class(lambda r: HttpResponse(status=status))
        with translation.override(None):
            response = middleware(request)
        answers.append((request.LANGUAGE_CODE, response.get("Vary"), response["Content-Language"]))
    assert answers[0] == answers[1]


def test_with_language_prefixes_in_the_urlconf_it_is_django_s_own(rf, monkeypatch):
    from mosprom.core import middleware

    monkeypatch.setattr(
        middleware, "is_language_prefix_patterns_used", lambda urlconf: (True, True)
    )
    calls = []
    monkeypatch.setattr(
        middleware._Locale, "process_request", lambda self, request: calls.append("request")
    )
    monkeypatch.setattr(
        middleware._Locale,
        "process_response",
        lambda self, request, response: calls.append("response") or response,
    )
    middleware.LocaleMiddleware(lambda r: HttpResponse())(rf.get(PAGE))
    assert calls == ["request", "response"]
