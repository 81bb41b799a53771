"""Public and visitor reads of tourism: the calendar, an experience's page, my tickets, my
place on waitlists.

Availability is read from the ``Session.taken`` counter (docs/adr/0004-capacity-counters.md),
never aggregated over bookings, so a page of sessions costs one query however many there are;
what the viewer already holds on that page (bookings, waitlist places) costs one more each.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Q, QuerySet
from django.http import Http404

from mosprom.core import clock
from mosprom.core.prepared import NOT_READ, PreparedQuery
from mosprom.registry.models import Industry, Membership
from mosprom.tourism.models import (
    Booking,
    BookingStatus,
    Experience,
    Feedback,
    Season,
    SeasonAllowance,
    Session,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)

OPEN_WAITLIST = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class Availability(enum.StrEnum):
    """What a visitor can do about a session right now."""

    OPEN = "open"  # registration open, places left: book
    SOLD_OUT = "sold_out"  # registration open, no places: join the waitlist
    NOT_OPEN_YET = "not_open_yet"
    CLOSED = "closed"  # the deadline before the session has passed
    STARTED = "started"
    CANCELLED = "cancelled"


def session_availability(session: Session, *, now: dt.datetime | None = None) -> Availability:
    """The session's state for booking at ``now``; needs ``session.season`` loaded."""
    now = now or clock.now()
    if session.status == SessionStatus.CANCELLED:
        return Availability.CANCELLED
    if session.starts_at <= now:
        return Availability.STARTED
    if now < session.season.registration_opens_at:
        return Availability.NOT_OPEN_YET
    if now >= session.registration_closes_at():
        return Availability.CLOSED
    if session.places_left <= 0:
        return Availability.SOLD_OUT
    return Availability.OPEN


# --- Calendar -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarFilters:
    """The calendar's filters; ``None``/``False`` means «any»."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str | None = None
    industry: str | None = None  # ОКВЭД division code of the enterprise, e.g. «26»
    okrug: str | None = None
    age: int | None = None  # the participant's age: experiences that admit it
    step_free: bool = False
    places_left: bool = False

    def any(self) -> bool:
        values = (getattr(self, name) for name in self.__dataclass_fields__)
        return any(value is not None and value is not False for value in values)


def _public_sessions() -> QuerySet[Session]:
    """Scheduled sessions of published experiences, with all a card shows joined."""
    return Session.objects.filter(
        status=SessionStatus.SCHEDULED, experience__is_published=True
    ).select_related(
        "season",
        "experience__enterprise__industry",
        "experience__site",
    )


def calendar_sessions(*, filters: CalendarFilters) -> QuerySet[Session]:
    """Upcoming public sessions matching every filter, soonest first (one query per page).

    Dates are Moscow days; without ``date_from`` the calendar starts now, and it never shows
    sessions that have already started.
    """
    now = clock.now()
    qs = _public_sessions().filter(starts_at__gt=now)
    if filters.date_from:
        qs = qs.filter(starts_at__gte=clock.start_of_day(filters.date_from))
    if filters.date_to:
        qs = qs.filter(starts_at__lt=clock.start_of_day(filters.date_to + dt.timedelta(days=1)))
    if filters.kind:
        qs = qs.filter(experience__kind=filters.kind)
    if filters.industry:
        qs = qs.filter(experience__enterprise__industry__code=filters.industry)
    if filters.okrug:
        # The site's okrug; an experience without a site is where its enterprise is.
        qs = qs.filter(
            Q(experience__site__okrug=filters.okrug)
            | Q(experience__site__isnull=True, experience__enterprise__okrug=filters.okrug)
        )
    if filters.age is not None:
        qs = qs.filter(experience__min_age__lte=filters.age)
    if filters.step_free:
        qs = qs.filter(experience__step_free=True)
    if filters.places_left:
        qs = qs.filter(taken__lt=F("capacity"))
    return qs.order_by("starts_at", "id")


def calendar_industries() -> QuerySet[Industry]:
    """Industries of enterprises that offer published experiences, for the calendar's filter."""
    return (
        Industry.objects.filter(enterprises__experiences__is_published=True)
        .distinct()
        .order_by("code")
        .only("code", "name")
    )


@dataclass
class SessionCard:
    """A session as the visitor sees it: availability and what they already hold there."""

    session: Session
    availability: Availability
    booking_code: str | None = None  # the viewer's confirmed booking on it
    waitlist_entry: WaitlistEntry | None = None  # the viewer's open waitlist place

    @property
    def places_left(self) -> int:
        return self.session.places_left

    @property
    def can_book(self) -> bool:
        return self.availability == Availability.OPEN and not self.holds_something

    @property
    def can_wait(self) -> bool:
        return self.availability == Availability.SOLD_OUT and not self.holds_something

    @property
    def holds_something(self) -> bool:
        return self.booking_code is not None or self.waitlist_entry is not None


def session_cards(*, sessions: Iterable[Session], user) -> list[SessionCard]:
    """Cards for ``sessions`` (season and experience loaded); two queries for a logged-in user.

    The viewer's own confirmed bookings and open waitlist places on these sessions are looked up
    in one query each, whatever the number of sessions.
    """
    sessions = list(sessions)
    now = clock.now()
    booked: dict[int, str] = {}
    waiting: dict[int, WaitlistEntry] = {}
    if user is not None and user.is_authenticated and sessions:
        ids = [s.pk for s in sessions]
        booked = dict(
            Booking.objects.filter(
                user=user, session_id__in=ids, status=BookingStatus.CONFIRMED
            ).values_list("session_id", "code")
        )
        waiting = {
            entry.session_id: entry
            for entry in WaitlistEntry.objects.filter(
                user=user, session_id__in=ids, status__in=OPEN_WAITLIST
            )
        }
    return [
        SessionCard(
            session=s,
            availability=session_availability(s, now=now),
            booking_code=booked.get(s.pk),
            waitlist_entry=waiting.get(s.pk),
        )
        for s in sessions
    ]


@dataclass
class CalendarDay:
    day: dt.date
    cards: list[SessionCard] = field(default_factory=list)


def group_by_day(cards: Sequence[SessionCard]) -> list[CalendarDay]:
    """Cards (already in time order) grouped by their Moscow date."""
    return [
        CalendarDay(day=day, cards=list(group))
        for day, group in itertools.groupby(
            cards, key=lambda c: clock.localtime(c.session.starts_at).date()
        )
    ]


def upcoming_sessions(*, limit: int = 6) -> list[Session]:
    """The soonest public sessions that still have free places (for the home page)."""
    return list(
        calendar_sessions(filters=CalendarFilters(places_left=True)).filter(
            season__registration_opens_at__lte=clock.now()
        )[:limit]
    )


# --- Experience page ------------------------------------------------------------------------


def _may_preview(user, experience: Experience) -> bool:
    """Organisers and the enterprise's hosts may see an experience before it is published."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_organiser:
        return True
    return (
        user.is_host
        and Membership.objects.filter(user=user, enterprise_id=experience.enterprise_id).exists()
    )


def experience_for_visitor(*, user, pk: int) -> Experience:
    """A published experience with its enterprise, site and photos; raises Http404 otherwise.

    An unpublished one is shown to organisers and to hosts of its enterprise (a preview).
    """
    experience = (
        Experience.objects.select_related("enterprise__industry", "site")
        .prefetch_related("photos")
        .filter(pk=pk)
        .first()
    )
    if experience is None or not (experience.is_published or _may_preview(user, experience)):
        raise Http404
    return experience


def experience_sessions(*, experience: Experience) -> QuerySet[Session]:
    """The experience's scheduled sessions that have not started, soonest first."""
    return (
        Session.objects.filter(
            experience=experience, status=SessionStatus.SCHEDULED, starts_at__gt=clock.now()
        )
        .select_related("season", "experience__enterprise__industry", "experience__site")
        .order_by("starts_at", "id")
    )


@dataclass(frozen=True)
class Rating:
    average: float | None
    count: int
    recent: list[Feedback]


def experience_rating(*, experience: Experience, recent: int = 5) -> Rating:
    """The average and the number of ratings, and the latest comments (two queries)."""
    feedback = Feedback.objects.filter(booking__session__experience=experience)
    figures = feedback.aggregate(average=Avg("rating"), count=Count("id"))
    comments = list(
        feedback.exclude(comment="")
        .order_by("-created_at", "-id")
        .only("rating", "comment", "created_at")[:recent]
        if figures["count"]
        else []
    )
    average = round(figures["average"], 1) if figures["average"] is not None else None
    return Rating(average=average, count=figures["count"], recent=comments)


# --- Booking --------------------------------------------------------------------------------


SESSION_FOR_BOOKING = PreparedQuery(
    lambda pk: Session.objects.select_related(
        "season", "experience__enterprise", "experience__site"
    ).filter(pk=pk, experience__is_published=True),
    sentinel=-7_391_466_123,
)


def session_for_booking(*, pk: int, found=NOT_READ) -> Session:
    """A public session with its experience, enterprise, site and season; Http404 otherwise.

    Read on every booking attempt, so its SQL is compiled once per process; ``found`` is the
    answer of ``SESSION_FOR_BOOKING`` for ``pk`` when it was read already (with the token)."""
    session = SESSION_FOR_BOOKING.first(pk) if found is NOT_READ else found
    if session is None:
        raise Http404
    return session


def season_places_left(*, user, season: Season) -> int:
    """How many more places ``user`` may take in ``season``: the quota minus what they hold."""
    row = (
        SeasonAllowance.objects.filter(user=user, season=season)
        .values_list("allowed", "taken")
        .first()
    )
    if row is None:
        return season.places_per_person
    allowed, taken = row
    return max(allowed - taken, 0)


def holds_booking(*, user, session: Session) -> bool:
    """Whether ``user`` already has a confirmed booking on ``session`` (one per person)."""
    return Booking.objects.filter(
        user=user, session=session, status=BookingStatus.CONFIRMED
    ).exists()


def no_shows_in_season(*, user, season_id: int) -> int:
    """How many of ``user``'s bookings in the season were marked no-show."""
    return Booking.objects.filter(user=user, session__season_id=season_id, no_show=True).count()


def allowance_taken(*, user, season_id: int) -> int:
    """Places ``user`` holds in the season by the quota counter (0 before their first)."""
    taken = (
        SeasonAllowance.objects.filter(user=user, season_id=season_id)
        .values_list("taken", flat=True)
        .first()
    )
    return taken or 0


def booking_of_user(*, user, session: Session) -> Booking | None:
    """``user``'s confirmed booking on ``session``, if any."""
    return Booking.objects.filter(
        user=user, session=session, status=BookingStatus.CONFIRMED
    ).first()


# --- My tickets -----------------------------------------------------------------------------


def _bookings_with_session() -> QuerySet[Booking]:
    return Booking.objects.select_related(
        "session__season", "session__experience__enterprise", "session__experience__site"
    )


def tickets_upcoming(*, user) -> QuerySet[Booking]:
    """``user``'s confirmed bookings on sessions that have not ended, soonest first."""
    return (
        _bookings_with_session()
        .filter(user=user, status=BookingStatus.CONFIRMED, session__ends_at__gt=clock.now())
        .order_by("session__starts_at", "id")
    )


def tickets_history(*, user) -> QuerySet[Booking]:
    """``user``'s other bookings (past or cancelled), most recent session first."""
    return (
        _bookings_with_session()
        .filter(user=user)
        .filter(Q(status=BookingStatus.CANCELLED) | Q(session__ends_at__lte=clock.now()))
        .order_by("-session__starts_at", "-id")
    )


def ticket_for_owner(*, user, code: str) -> Booking:
    """``user``'s booking with ticket ``code``, participants and feedback loaded.

    Raises Http404 for an unknown code and for somebody else's ticket alike, so codes cannot
    be probed.
    """
    booking = (
        _bookings_with_session()
        .select_related("feedback")
        .prefetch_related("participants")
        .filter(user=user, code=code.upper())
        .first()
        if user.is_authenticated
        else None
    )
    if booking is None:
        raise Http404
    return booking


def may_leave_feedback(*, booking: Booking) -> bool:
    """The booker attended (was checked in) and has not rated yet."""
    return (
        booking.status == BookingStatus.CONFIRMED
        and booking.checked_in_at is not None
        and not has_feedback(booking)
    )


def has_feedback(booking: Booking) -> bool:
    """Whether the booking has been rated (uses the loaded relation when there is one)."""
    try:
        return booking.feedback is not None
    except Feedback.DoesNotExist:
        return False


def may_cancel(*, booking: Booking) -> bool:
    """A confirmed booking may be cancelled by its owner until the session starts."""
    return booking.status == BookingStatus.CONFIRMED and booking.session.starts_at > clock.now()


# --- Waitlist -------------------------------------------------------------------------------


def waitlist_open_entries(*, user) -> QuerySet[WaitlistEntry]:
    """``user``'s places on waitlists still open (waiting or with an offer), soonest first."""
    if not user.is_authenticated:
        return WaitlistEntry.objects.none()
    return (
        WaitlistEntry.objects.filter(user=user, status__in=OPEN_WAITLIST)
        .select_related("session__season", "session__experience__enterprise")
        .order_by("session__starts_at", "id")
    )


def waitlist_entry_of_user(*, user, pk: int) -> WaitlistEntry:
    """``user``'s waitlist entry ``pk`` with its session; Http404 for anybody else's."""
    entry = (
        WaitlistEntry.objects.select_related(
            "session__season", "session__experience__enterprise", "session__experience__site"
        )
        .filter(pk=pk, user=user)
        .first()
        if user.is_authenticated
        else None
    )
    if entry is None:
        raise Http404
    return entry


def waitlist_offer_is_open(*, entry: WaitlistEntry) -> bool:
    """The entry holds an offer that has not expired yet."""
    return (
        entry.status == WaitlistStatus.OFFERED
        and entry.offer_expires_at is not None
        and entry.offer_expires_at > clock.now()
    )
