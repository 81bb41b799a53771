"""Abuse limits: per-account and per-IP fixed-window counters in Django's cache.

A *scope* names what is limited (``booking``, ``lottery_apply``, ``signup``, ``login``,
``password_reset``, ``confirm_resend``); each scope has up to two limits, ``account`` and
``ip``, written ``"<count>/<period>"`` with the period in seconds or ``s``/``m``/``h``/``d``
(``"10/m"``, ``"30/15m"``). Every attempt counts, allowed or not; the window is fixed, so
``Retry-After`` is the time left until it turns over.

Settings (all optional, read on every call so tests and the bench can change them):

- ``RATE_LIMITS``: ``{scope: {"account": "...", "ip": "..."}}`` merged over
  ``DEFAULT_RATE_LIMITS`` limit by limit; ``None`` or ``""`` switches one limit off.
- ``RATE_LIMITS_ENABLED``: ``False`` switches every limit off (default: on, except under
  the test runner, whose many requests from 127.0.0.1 must not trip them; the tests of the
  limits switch them on).
- ``RATE_LIMIT_CACHE``: the cache alias holding the counters (default ``"default"``).

Storage: one atomic ``cache.incr`` per limit on the usual path (``cache.add`` starts a new
window, ``incr`` again if another request started it first), so booking costs two cache
operations, no database query. The counters must live where every app process sees them:
in production a shared cache — Redis (``django.core.cache.backends.redis.RedisCache``,
atomic ``INCR``) or memcached; ``DatabaseCache`` also works but its ``incr`` is a read and a
write, so concurrent attempts may be under-counted. The embedded default (``LocMemCache``)
counts per process: with N workers a client may get up to N times the limit.

Services and views of other contexts use ``rate_limit_check`` (raises ``RateLimited``);
Django views use the ``rate_limit`` decorator (an HTML 429 page), django-ninja operations
``api_rate_limit`` (JSON ``{"detail", "code": "rate_limited"}``).
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mosprom.core import clock
from mosprom.core.logs import quietly

DEFAULT_RATE_LIMITS: dict[str, dict[str, str | None]] = {
    # A person books a few sessions, never dozens a minute; a school or a plant's office
    # behind one address books for many people, hence the wider per-IP limit.
    "booking": {"account": "10/m", "ip": "120/m"},
    "lottery_apply": {"account": "10/m", "ip": "120/m"},
    # A captain registers a team (or signs up alone) for a few games, never dozens a minute.
    "game_registration": {"account": "10/m", "ip": "120/m"},
    "signup": {"account": "5/h", "ip": "20/h"},
    "login": {"account": "10/15m", "ip": "50/15m"},
    "password_reset": {"account": "5/h", "ip": "20/h"},
    "confirm_resend": {"account": "5/h", "ip": "20/h"},
}

KINDS = ("account", "ip")
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    period: int  # seconds


@functools.lru_cache(maxsize=256)
def parse_rate(value: str | None) -> Rate | None:
    """``"10/m"`` → Rate(10, 60); ``None`` or ``""`` → no limit; anything else is an error."""
    if value in (None, ""):
        return None
    match = _RATE.match(str(value))
    if match is None:
        raise ValueError(f"bad rate {value!r}: use '<count>/<period>', e.g. '10/m' or '30/15m'")
    count, number, unit = match.groups()
    period = int(number or 1) * _UNITS[unit]
    if not unit and not number:
        raise ValueError(f"bad rate {value!r}: the period needs a unit or a number of seconds")
    if period <= 0:
        raise ValueError(f"bad rate {value!r}: the period must be positive")
    return Rate(count=int(count), period=period)


def limits_for(scope: str) -> dict[str, Rate | None]:
    """The limits of ``scope``: the defaults with ``settings.RATE_LIMITS`` merged over them."""
    configured = (getattr(settings, "RATE_LIMITS", None) or {}).get(scope, {})
    merged = {**DEFAULT_RATE_LIMITS.get(scope, {}), **configured}
    return {kind: parse_rate(merged.get(kind)) for kind in KINDS}


def enabled() -> bool:
    return bool(getattr(settings, "RATE_LIMITS_ENABLED", not getattr(settings, "TESTING", False)))


def _cache():
    return caches[getattr(settings, "RATE_LIMIT_CACHE", "default")]


class RateLimited(Exception):
    """Too many attempts; ``retry_after`` is whole seconds until the window turns over."""

    code = "rate_limited"
    http_status = 429

    def __init__(self, *, scope: str, retry_after: int) -> None:
        self.scope = scope
        self.retry_after = max(1, retry_after)
        super().__init__(self.text)

    @property
    def text(self) -> str:
        # Units as abbreviations: «45 с», «3 мин» read right with any number, no plural forms.
        if self.retry_after < 60:
            wait = _("%(n)s с") % {"n": self.retry_after}
        else:
            wait = _("%(n)s мин") % {"n": math.ceil(self.retry_after / 60)}
        return _("Слишком много попыток подряд. Подождите %(wait)s и попробуйте снова.") % {
            "wait": wait
        }


def _count(key: str, timeout: int) -> int:
    """Add one to the counter at ``key`` and return it; one atomic operation when it exists."""
    cache = _cache()
    try:
        return cache.incr(key)
    except ValueError:  # no counter yet in this window
        if cache.add(key, 1, timeout):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr: a new window, start it
            cache.set(key, 1, timeout)
            return 1


def _digest(value: str) -> str:
    # Keys hold no personal data (e-mails, addresses) and stay short for memcached.
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def rate_limit_check(*, scope: str, account: Any = None, ip: str | None = None) -> None:
    """Count one attempt in ``scope`` for ``account`` and ``ip``; raise RateLimited past a limit.

    ``account`` is anything that names the person (a user id, a normalised e-mail); a
    missing account or address is not counted.
    """
    if not enabled():
        return
    now = clock.now().timestamp()
    limits = limits_for(scope)
    exceeded: list[int] = []
    for kind, who in (("account", account), ("ip", ip)):
        rate = limits[kind]
        if rate is None or who in (None, ""):
            continue
        window = int(now // rate.period)
        window_end = (window + 1) * rate.period
        key = f"rl:{scope}:{kind}:{_digest(str(who))}:{rate.period}:{window}"
        # The counter outlives its window by a second so a late incr never resurrects it.
        if _count(key, math.ceil(window_end - now) + 1) > rate.count:
            exceeded.append(math.ceil(window_end - now))
    if exceeded:
        raise RateLimited(scope=scope, retry_after=max(exceeded))


# --- Who is asking ----------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, as the reverse proxy sets it (docs/OPERATIONS.md)."""
    return request.META.get("REMOTE_ADDR") or None


def by_user(request: HttpRequest) -> Any:
    """The signed-in user (session or API token), or None."""
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    return user.pk if user is not None and getattr(user, "is_authenticated", False) else None


def by_posted_email(request: HttpRequest) -> str | None:
    """The e-mail typed into the form (login, sign-up, reset), normalised."""
    email = (request.POST.get("email") or "").strip().lower()
    return f"email:{email}" if email else None


# --- Decorators -------------------------------------------------------------------------------

Account = Callable[[HttpRequest], Any]


def rate_limited_page(request: HttpRequest, error: RateLimited) -> HttpResponse:
    """The site's answer: a page in Russian, status 429 and ``Retry-After``."""
    response = render(
        request,
        "core/rate_limited.html",
        {"message": error.text, "retry_after": error.retry_after},
        status=429,
    )
    response["Retry-After"] = str(error.retry_after)
    return quietly(response)


def rate_limited_json(error: RateLimited) -> HttpResponse:
    """The API's answer: ``{"detail", "code": "rate_limited"}``, 429 and ``Retry-After``."""
    response = JsonResponse(
        {"detail": error.text, "code": error.code},
        status=429,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(error.retry_after)
    return quietly(response)


def rate_limit(
    scope: str, *, account: Account = by_user, methods: tuple[str, ...] = ("POST",)
) -> Callable:
    """Limit a Django view: requests with one of ``methods`` count; past a limit, a 429 page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if request.method in methods:
                try:
                    rate_limit_check(scope=scope, account=account(request), ip=client_ip(request))
                except RateLimited as error:
                    return rate_limited_page(request, error)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def api_rate_limit(scope: str, *, account: Account = by_user) -> Callable:
    """Limit a django-ninja operation (put it below the route decorator, so auth ran first)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            try:
                rate_limit_check(scope=scope, account=account(request), ip=client_ip(request))
            except RateLimited as error:
                return rate_limited_json(error)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
