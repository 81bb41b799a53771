"""Tourism figures for analytics and the programme's audience.

A session is *held* in a period when it is scheduled (not cancelled) and started within the
period, by now. ``tourism_figures`` counts held sessions per format and the distinct sites
that hosted them, in one query, plus the participants below.

``participants`` counts places, not bookings (a booking may hold a visitor and companions):
places of confirmed bookings at scheduled (not cancelled) sessions that started within the
period and have already started, minus the places of bookings marked as no-show. Cancelled
bookings and bookings of cancelled sessions never count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet, Sum

from mosprom.core import clock
from mosprom.core.periods import Period
from mosprom.tourism.models import (
    Booking,
    BookingStatus,
    ExperienceKind,
    Session,
    SessionStatus,
)


def sessions_held(*, period: Period) -> QuerySet[Session]:
    """Scheduled sessions that started within ``period`` and by now."""
    start, end = period.bounds()
    return Session.objects.filter(
        status=SessionStatus.SCHEDULED,
        starts_at__gte=start,
        starts_at__lt=end,
        starts_at__lte=clock.now(),
    )


@dataclass(frozen=True)
class TourismFigures:
    sessions: int  # held sessions of every format
    excursions: int
    master_classes: int
    lectures: int
    other: int  # tastings and special events
    sites: int  # distinct production sites that hosted a held session
    participants: int  # see ``participants``


def tourism_figures(*, period: Period) -> TourismFigures:
    """Held sessions per format, the sites that hosted them and the participants of
    ``period``, in two queries."""
    kind = "experience__kind"
    row = sessions_held(period=period).aggregate(
        sessions=Count("id"),
        excursions=Count("id", filter=Q(**{kind: ExperienceKind.EXCURSION})),
        master_classes=Count("id", filter=Q(**{kind: ExperienceKind.MASTER_CLASS})),
        lectures=Count("id", filter=Q(**{kind: ExperienceKind.LECTURE})),
        sites=Count("experience__site", distinct=True),
    )
    other = row["sessions"] - row["excursions"] - row["master_classes"] - row["lectures"]
    return TourismFigures(other=other, participants=participants(period=period), **row)


def records_since() -> dt.date | None:
    """The Moscow day of the first scheduled session: tourism's records start there."""
    first = Session.objects.filter(status=SessionStatus.SCHEDULED).aggregate(
        first=Min("starts_at")
    )["first"]
    return clock.localtime(first).date() if first else None


def participants(*, period: Period) -> int:
    """Places of confirmed, attended (not no-show) bookings at sessions held in ``period``, in
    one query."""
    start, end = period.bounds()
    total = Booking.objects.filter(
        status=BookingStatus.CONFIRMED,
        session__status=SessionStatus.SCHEDULED,
        session__starts_at__gte=start,
        session__starts_at__lt=end,
        session__starts_at__lte=clock.now(),
    ).aggregate(places=Sum("places", filter=Q(no_show=False)))["places"]
    return total or 0
