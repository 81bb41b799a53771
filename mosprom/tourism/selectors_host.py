"""Reads for the host cabinet and the organiser back office.

Every read takes the viewer and enforces the scope itself: organisers (and administrators) see
the whole programme; a host sees only what belongs to the enterprises they are a member of
(registry.Membership); anybody else gets PermissionDenied. Unknown ids are Http404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from mosprom.accounts.models import User
from mosprom.core import clock
from mosprom.registry.models import Enterprise, Membership, ProductionSite
from mosprom.tourism.models import (
    Booking,
    BookingStatus,
    Experience,
    Participant,
    Season,
    Session,
    SessionStatus,
    WaitlistStatus,
)


class Period:
    """Values of the «when» filter of the sessions list."""

    UPCOMING = "upcoming"
    PAST = "past"
    CANCELLED = "cancelled"
    ALL = "all"
    CHOICES = (UPCOMING, PAST, CANCELLED, ALL)


def may_use_cabinet(user: User | None) -> bool:
    """Hosts and organisers (administrators included) have the cabinet."""
    return bool(user is not None and user.is_authenticated and (user.is_host or user.is_organiser))


def _require_cabinet(viewer: User) -> None:
    if not may_use_cabinet(viewer):
        raise PermissionDenied


def _require_organiser(viewer: User) -> None:
    if not (viewer.is_authenticated and viewer.is_organiser):
        raise PermissionDenied


def _enterprise_scope(viewer: User) -> Q:
    """A filter on enterprise ids the viewer acts for; everything for organisers."""
    if viewer.is_organiser:
        return Q()
    return Q(pk__in=Membership.objects.filter(user=viewer).values("enterprise_id"))


def may_manage_enterprise(*, viewer: User, enterprise_id: int) -> bool:
    """Organisers manage every enterprise; a host those they are a member of."""
    if not may_use_cabinet(viewer):
        return False
    if viewer.is_organiser:
        return True
    return Membership.objects.filter(user=viewer, enterprise_id=enterprise_id).exists()


def _require_enterprise(viewer: User, enterprise_id: int) -> None:
    if not may_manage_enterprise(viewer=viewer, enterprise_id=enterprise_id):
        raise PermissionDenied


# --- Enterprises and sites ------------------------------------------------------------------

ENTERPRISE_CHOICES_LIMIT = 50


def enterprises_for(*, viewer: User, q: str = "", limit: int = ENTERPRISE_CHOICES_LIMIT):
    """Enterprises the viewer may publish experiences for, by name: a host's own ones; for
    organisers up to ``limit`` matching ``q`` (name or INN), those hosting tours first."""
    _require_cabinet(viewer)
    enterprises = (
        Enterprise.objects.filter(_enterprise_scope(viewer))
        .only("id", "short_name", "inn", "hosts_tours")
        .order_by("-hosts_tours", "short_name", "id")
    )
    for word in q.split()[:5]:
        enterprises = enterprises.filter(
            Q(short_name__icontains=word) | Q(legal_name__icontains=word) | Q(inn__startswith=word)
        )
    return list(enterprises[:limit])


def enterprise_get_for(*, viewer: User, pk: int) -> Enterprise:
    """One enterprise the viewer may publish experiences for."""
    _require_cabinet(viewer)
    enterprise = Enterprise.objects.filter(pk=pk).first()
    if enterprise is None:
        raise Http404
    _require_enterprise(viewer, enterprise.pk)
    return enterprise


def sites_of(*, enterprise: Enterprise) -> QuerySet[ProductionSite]:
    """The enterprise's production sites, by name."""
    return ProductionSite.objects.filter(enterprise=enterprise).order_by("name", "id")


# --- Experiences ----------------------------------------------------------------------------


def experiences_for(*, viewer: User, q: str = "") -> QuerySet[Experience]:
    """Experiences of the enterprises in the viewer's scope matching ``q`` (title or enterprise),
    with enterprise and site joined and the number of upcoming scheduled sessions counted:
    one query per page."""
    _require_cabinet(viewer)
    experiences = Experience.objects.select_related("enterprise", "site")
    if not viewer.is_organiser:
        experiences = experiences.filter(
            enterprise_id__in=Membership.objects.filter(user=viewer).values("enterprise_id")
        )
    for word in q.split()[:5]:
        experiences = experiences.filter(
            Q(title__icontains=word) | Q(enterprise__short_name__icontains=word)
        )
    return experiences.annotate(
        upcoming_sessions=Count(
            "sessions",
            filter=Q(
                sessions__starts_at__gte=clock.now(),
                sessions__status=SessionStatus.SCHEDULED,
            ),
        )
    ).order_by("enterprise__short_name", "title", "id")


def experience_get_for(*, viewer: User, pk: int) -> Experience:
    """One experience the viewer may edit, with its enterprise, site and photos."""
    _require_cabinet(viewer)
    experience = (
        Experience.objects.select_related("enterprise", "site")
        .prefetch_related("photos")
        .filter(pk=pk)
        .first()
    )
    if experience is None:
        raise Http404
    _require_enterprise(viewer, experience.enterprise_id)
    return experience


def experience_sessions(*, experience: Experience) -> QuerySet[Session]:
    """The experience's sessions that have not ended yet, soonest first."""
    return (
        Session.objects.filter(experience=experience, ends_at__gt=clock.now())
        .select_related("season")
        .order_by("starts_at", "id")
    )


# --- Seasons --------------------------------------------------------------------------------


def seasons_for(*, viewer: User) -> QuerySet[Season]:
    """Every season, newest first, with the number of sessions; organisers only."""
    _require_organiser(viewer)
    return Season.objects.annotate(session_count=Count("sessions")).order_by("-starts_on", "-id")


def season_get_for(*, viewer: User, pk: int) -> Season:
    """One season for an organiser to edit."""
    _require_organiser(viewer)
    season = Season.objects.filter(pk=pk).first()
    if season is None:
        raise Http404
    return season


def season_choices(*, include: Season | None = None) -> list[Season]:
    """Seasons a new session can belong to (not over yet), plus ``include`` (the current one)."""
    seasons = list(Season.objects.filter(ends_on__gte=clock.today()).order_by("starts_on", "id"))
    if include is not None and all(s.pk != include.pk for s in seasons):
        seasons.insert(0, include)
    return seasons


# --- Sessions -------------------------------------------------------------------------------


def host_sessions_for(
    *, viewer: User, period: str = Period.UPCOMING, q: str = ""
) -> QuerySet[Session]:
    """Sessions of the enterprises in the viewer's scope, in the given period, matching ``q``
    (title or enterprise), with experience, enterprise, site and season joined and the checked
    in places summed: one query per page."""
    _require_cabinet(viewer)
    now = clock.now()
    sessions = Session.objects.select_related(
        "experience__enterprise", "experience__site", "season"
    )
    if not viewer.is_organiser:
        sessions = sessions.filter(
            experience__enterprise_id__in=Membership.objects.filter(user=viewer).values(
                "enterprise_id"
            )
        )
    for word in q.split()[:5]:
        sessions = sessions.filter(
            Q(experience__title__icontains=word)
            | Q(experience__enterprise__short_name__icontains=word)
        )
    order = ("starts_at", "id")
    if period == Period.UPCOMING:
        sessions = sessions.filter(ends_at__gt=now, status=SessionStatus.SCHEDULED)
    elif period == Period.PAST:
        sessions = sessions.filter(ends_at__lte=now, status=SessionStatus.SCHEDULED)
        order = ("-starts_at", "-id")
    elif period == Period.CANCELLED:
        sessions = sessions.filter(status=SessionStatus.CANCELLED)
        order = ("-starts_at", "-id")
    else:
        order = ("-starts_at", "-id")
    return sessions.annotate(
        checked_in_places=Sum(
            "bookings__places",
            filter=Q(
                bookings__status=BookingStatus.CONFIRMED, bookings__checked_in_at__isnull=False
            ),
        )
    ).order_by(*order)


def host_session_get(*, viewer: User, pk: int) -> Session:
    """One session the viewer may run (its enterprise's host or an organiser), with experience,
    enterprise, site and season joined."""
    _require_cabinet(viewer)
    session = (
        Session.objects.select_related("experience__enterprise", "experience__site", "season")
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise Http404
    _require_enterprise(viewer, session.experience.enterprise_id)
    return session


@dataclass(frozen=True)
class SessionFigures:
    """The head counts of one session, for its cabinet page and the check-in screen."""

    bookings: int
    places: int
    checked_in_bookings: int
    checked_in_places: int
    no_show_places: int
    cancelled_bookings: int
    waiting: int

    @property
    def expected_places(self) -> int:
        """Places booked but not checked in yet."""
        return self.places - self.checked_in_places


def session_figures(*, session: Session) -> SessionFigures:
    """Head counts of ``session`` (the caller has already been allowed to see it): two queries."""
    confirmed = Q(status=BookingStatus.CONFIRMED)
    checked = confirmed & Q(checked_in_at__isnull=False)
    row = Booking.objects.filter(session=session).aggregate(
        n_bookings=Count("id", filter=confirmed),
        n_places=Sum("places", filter=confirmed, default=0),
        n_checked_in_bookings=Count("id", filter=checked),
        n_checked_in_places=Sum("places", filter=checked, default=0),
        n_no_show_places=Sum("places", filter=confirmed & Q(no_show=True), default=0),
        n_cancelled_bookings=Count("id", filter=Q(status=BookingStatus.CANCELLED)),
    )
    waiting = session.waitlist.filter(status=WaitlistStatus.WAITING).count()
    return SessionFigures(waiting=waiting, **{key[2:]: value for key, value in row.items()})


def _participants() -> Prefetch:
    return Prefetch("participants", queryset=Participant.objects.order_by("position", "id"))


def session_attendees(
    *, viewer: User, session: Session, include_cancelled: bool = False
) -> QuerySet[Booking]:
    """The bookings of ``session`` with their participants and bookers, confirmed ones first,
    in the order they were made; two queries for any number of rows."""
    _require_enterprise(viewer, session.experience.enterprise_id)
    bookings = Booking.objects.filter(session=session)
    if not include_cancelled:
        bookings = bookings.filter(status=BookingStatus.CONFIRMED)
    # "confirmed" sorts after "cancelled", so a descending status puts confirmed ones first.
    return (
        bookings.select_related("user", "checked_in_by")
        .prefetch_related(_participants())
        .order_by("-status", "created_at", "id")
    )


def bookings_for_no_shows(*, viewer: User, session: Session) -> QuerySet[Booking]:
    """Confirmed bookings of ``session`` not checked in, with participants, in booking order."""
    _require_enterprise(viewer, session.experience.enterprise_id)
    return (
        Booking.objects.filter(
            session=session, status=BookingStatus.CONFIRMED, checked_in_at__isnull=True
        )
        .select_related("user")
        .prefetch_related(_participants())
        .order_by("created_at", "id")
    )


def booking_get_for(*, viewer: User, session: Session, pk: int) -> Booking:
    """One booking of ``session`` for its host or an organiser."""
    _require_enterprise(viewer, session.experience.enterprise_id)
    booking = Booking.objects.filter(session=session, pk=pk).first()
    if booking is None:
        raise Http404
    return booking


def participant_get_for(*, viewer: User, pk: int) -> Participant:
    """One participant for the host of their session or an organiser, with the booking, the
    session and its experience joined."""
    _require_cabinet(viewer)
    participant = (
        Participant.objects.select_related("booking__session__experience__enterprise")
        .filter(pk=pk)
        .first()
    )
    if participant is None:
        raise Http404
    _require_enterprise(viewer, participant.booking.session.experience.enterprise_id)
    return participant
