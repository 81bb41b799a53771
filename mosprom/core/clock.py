"""One clock for the whole platform, so tests can set the time explicitly.

Code asks ``clock.now()`` instead of ``timezone.now()``; tests wrap a block in
``with clock.frozen(dt):``. Display is in Europe/Moscow (settings.TIME_ZONE), storage in UTC.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_global_frozen: list[dt.datetime] = []


def now() -> dt.datetime:
    """The current aware datetime, or the frozen one inside ``frozen()``."""
    return _global_frozen[-1] if _global_frozen else timezone.now()


def today() -> dt.date:
    """Today's date in the display time zone (Moscow)."""
    return timezone.localdate(now())


@contextlib.contextmanager
def frozen(moment: dt.datetime) -> Iterator[dt.datetime]:
    """Freeze ``now()`` at ``moment`` for every thread (tests only)."""
    if timezone.is_naive(moment):
        raise ValueError("clock.frozen() needs an aware datetime")
    _global_frozen.append(moment)
    try:
        yield moment
    finally:
        _global_frozen.pop()


def localtime(moment: dt.datetime) -> dt.datetime:
    """``moment`` in the display time zone (Moscow)."""
    return timezone.localtime(moment)


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the display time zone, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
