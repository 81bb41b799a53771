"""The public and visitor reads: calendar filters, availability, experience visibility, rating,
my tickets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.registry.tests.factories import make_enterprise, make_membership, make_site
from mosprom.tourism import selectors
from mosprom.tourism.models import (
    Booking,
    BookingStatus,
    ExperienceKind,
    Feedback,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from mosprom.tourism.selectors import Availability, CalendarFilters
from mosprom.tourism.tests.factories import (
    make_booking,
    make_experience,
    make_season,
    make_session,
)

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """``hour:minute`` Moscow time on ``day``."""
    return clock.start_of_day(day) + dt.timedelta(hours=hour, minutes=minute)


@pytest.fixture
def season():
    return make_season()


def day(season, n: int) -> dt.date:
    return season.starts_on + dt.timedelta(days=n)


def titles(qs) -> list[str]:
    return [s.experience.title for s in qs]


# --- Calendar -------------------------------------------------------------------------------


def test_calendar_lists_upcoming_public_sessions_soonest_first(season):
    later = make_session(season=season, starts_at=at(day(season, 2), 15))
    sooner = make_session(season=season, starts_at=at(day(season, 1), 10))
    cancelled = make_session(season=season, status=SessionStatus.CANCELLED)
    hidden = make_session(season=season, experience=make_experience(is_published=False))

    found = list(selectors.calendar_sessions(filters=CalendarFilters()))

    assert found == [sooner, later]
    assert cancelled not in found and hidden not in found


def test_calendar_hides_sessions_that_have_started(season):
    session = make_session(season=season, starts_at=at(day(season, 1), 10))
    with clock.frozen(session.starts_at + dt.timedelta(minutes=1)):
        assert not selectors.calendar_sessions(filters=CalendarFilters()).exists()
    with clock.frozen(session.starts_at - dt.timedelta(minutes=1)):
        assert selectors.calendar_sessions(filters=CalendarFilters()).get() == session


def test_date_range_is_whole_moscow_days(season):
    # 00:30 and 23:30 Moscow belong to that day although they are another day in UTC.
    early = make_session(season=season, starts_at=at(day(season, 1), 0, 30))
    late = make_session(season=season, starts_at=at(day(season, 1), 23, 30))
    next_day = make_session(season=season, starts_at=at(day(season, 2), 0, 30))

    one_day = CalendarFilters(date_from=day(season, 1), date_to=day(season, 1))
    assert list(selectors.calendar_sessions(filters=one_day)) == [early, late]
    from_next = CalendarFilters(date_from=day(season, 2))
    assert list(selectors.calendar_sessions(filters=from_next)) == [next_day]


def test_filters_by_kind_industry_age_step_free(season):
    toys = make_enterprise(short_name="Игрушки", industry_code="32")
    master = make_session(
        season=season,
        experience=make_experience(
            enterprise=toys, kind=ExperienceKind.MASTER_CLASS, min_age=7, step_free=True
        ),
    )
    excursion = make_session(
        season=season, experience=make_experience(kind=ExperienceKind.EXCURSION, min_age=14)
    )

    def found(**filters):
        return list(selectors.calendar_sessions(filters=CalendarFilters(**filters)))

    assert found(kind=ExperienceKind.MASTER_CLASS) == [master]
    assert found(industry="32") == [master]
    assert found(industry="26") == [excursion]
    assert found(age=6) == []
    assert found(age=10) == [master]
    assert set(found(age=14)) == {master, excursion}
    assert found(step_free=True) == [master]


def test_okrug_is_the_sites_or_else_the_enterprises(season):
    enterprise = make_enterprise(okrug="CAO")
    at_zelenograd = make_session(
        season=season,
        experience=make_experience(
            enterprise=enterprise, site=make_site(enterprise, okrug="ZELAO")
        ),
    )
    no_site = make_experience(enterprise=enterprise)
    no_site.site = None
    no_site.save()
    in_centre = make_session(season=season, experience=no_site)

    zelao = CalendarFilters(okrug="ZELAO")
    assert list(selectors.calendar_sessions(filters=zelao)) == [at_zelenograd]
    cao = CalendarFilters(okrug="CAO")
    assert list(selectors.calendar_sessions(filters=cao)) == [in_centre]


def test_places_left_filter_reads_the_counter(season):
    full = make_session(season=season, capacity=1)
    make_booking(session=full)
    free = make_session(season=season, capacity=2)

    found = list(selectors.calendar_sessions(filters=CalendarFilters(places_left=True)))

    assert found == [free]


def test_industries_are_those_with_published_experiences(season):
    make_experience(enterprise=make_enterprise(industry_code="32"))
    make_experience(enterprise=make_enterprise(industry_code="10"), is_published=False)
    make_enterprise(industry_code="30")

    assert [i.code for i in selectors.calendar_industries()] == ["32"]


def test_filters_any():
    assert not CalendarFilters().any()
    assert CalendarFilters(step_free=True).any()
    assert CalendarFilters(age=0).any()


# --- Availability ---------------------------------------------------------------------------


def test_availability_follows_the_season_rules_and_the_counter():
    season = make_season(registration_opens_at=clock.now() + dt.timedelta(days=1))
    session = make_session(season=season, capacity=1)
    closes = session.registration_closes_at()

    assert selectors.session_availability(session) == Availability.NOT_OPEN_YET
    opened = season.registration_opens_at
    assert selectors.session_availability(session, now=opened) == Availability.OPEN
    session.taken = 1
    assert selectors.session_availability(session, now=opened) == Availability.SOLD_OUT
    assert selectors.session_availability(session, now=closes) == Availability.CLOSED
    assert selectors.session_availability(session, now=session.starts_at) == Availability.STARTED
    session.status = SessionStatus.CANCELLED
    assert selectors.session_availability(session, now=opened) == Availability.CANCELLED


def test_session_cards_know_what_the_viewer_holds(season, django_assert_num_queries):
    visitor = make_user()
    booked = make_session(season=season)
    booking = make_booking(session=booked, user=visitor)
    full = make_session(season=season, capacity=1)
    make_booking(session=full)
    entry = WaitlistEntry.objects.create(session=full, user=visitor, places=1)
    other = make_session(season=season)
    sessions = list(selectors.calendar_sessions(filters=CalendarFilters()))

    with django_assert_num_queries(2):
        cards = {c.session: c for c in selectors.session_cards(sessions=sessions, user=visitor)}

    assert cards[booked].booking_code == booking.code
    assert not cards[booked].can_book
    assert cards[full].waitlist_entry == entry
    assert cards[full].availability == Availability.SOLD_OUT
    assert not cards[full].can_wait
    assert cards[other].can_book
    with django_assert_num_queries(0):
        anonymous = selectors.session_cards(sessions=sessions, user=AnonymousUser())
    assert all(card.booking_code is None for card in anonymous)
    assert next(c for c in anonymous if c.session == full).can_wait


def test_group_by_day_uses_moscow_dates(season):
    make_session(season=season, starts_at=at(day(season, 1), 0, 30))
    make_session(season=season, starts_at=at(day(season, 1), 23, 0))
    make_session(season=season, starts_at=at(day(season, 3), 12, 0))
    cards = selectors.session_cards(
        sessions=selectors.calendar_sessions(filters=CalendarFilters()), user=None
    )

    days = selectors.group_by_day(cards)

    assert [(d.day, len(d.cards)) for d in days] == [(day(season, 1), 2), (day(season, 3), 1)]


def test_upcoming_sessions_have_places_and_open_registration(season):
    bookable = make_session(season=season, starts_at=at(day(season, 1), 10))
    full = make_session(season=season, starts_at=at(day(season, 1), 9), capacity=1)
    make_booking(session=full)
    make_session(
        season=make_season(registration_opens_at=clock.now() + dt.timedelta(hours=1)),
        starts_at=at(day(season, 1), 8),
    )

    assert selectors.upcoming_sessions() == [bookable]


# --- Experience page ------------------------------------------------------------------------


def test_unpublished_experience_is_shown_only_to_its_hosts_and_organisers():
    enterprise = make_enterprise()
    experience = make_experience(enterprise=enterprise, is_published=False)
    member = make_user(role=Role.HOST)
    make_membership(member, enterprise)

    for viewer in (AnonymousUser(), make_user(), make_user(role=Role.HOST)):
        with pytest.raises(Http404):
            selectors.experience_for_visitor(user=viewer, pk=experience.pk)
    for viewer in (member, make_user(role=Role.ORGANISER)):
        assert selectors.experience_for_visitor(user=viewer, pk=experience.pk) == experience
    with pytest.raises(Http404):
        selectors.experience_for_visitor(user=member, pk=experience.pk + 1000)


def test_experience_sessions_are_the_scheduled_future_ones(season):
    experience = make_experience()
    first = make_session(season=season, experience=experience, starts_at=at(day(season, 1), 10))
    second = make_session(season=season, experience=experience, starts_at=at(day(season, 2), 10))
    make_session(season=season, experience=experience, status=SessionStatus.CANCELLED)
    make_session(season=season)  # another experience

    assert list(selectors.experience_sessions(experience=experience)) == [first, second]


def test_rating_is_average_count_and_latest_comments(season):
    session = make_session(season=season)
    for rating, comment in ((5, "Отлично"), (4, ""), (2, "Шумно")):
        booking = make_booking(session=session)
        Booking.objects.filter(pk=booking.pk).update(checked_in_at=clock.now())
        Feedback.objects.create(booking=booking, rating=rating, comment=comment)

    rating = selectors.experience_rating(experience=session.experience)

    assert rating.count == 3
    assert rating.average == pytest.approx(3.7)
    assert [f.comment for f in rating.recent] == ["Шумно", "Отлично"]
    empty = selectors.experience_rating(experience=make_experience())
    assert (empty.average, empty.count, empty.recent) == (None, 0, [])


# --- Booking and tickets --------------------------------------------------------------------


def test_season_places_left_is_quota_minus_held(season):
    visitor = make_user()
    assert selectors.season_places_left(user=visitor, season=season) == 3
    make_booking(session=make_session(season=season), user=visitor, places=2)
    assert selectors.season_places_left(user=visitor, season=season) == 1


def test_session_for_booking_hides_unpublished(season):
    hidden = make_session(season=season, experience=make_experience(is_published=False))
    with pytest.raises(Http404):
        selectors.session_for_booking(pk=hidden.pk)
    shown = make_session(season=season)
    assert selectors.session_for_booking(pk=shown.pk) == shown


def test_tickets_upcoming_and_history(season):
    visitor = make_user()
    soon = make_booking(session=make_session(season=season), user=visitor)
    cancelled = make_booking(session=make_session(season=season), user=visitor)
    Booking.objects.filter(pk=cancelled.pk).update(status=BookingStatus.CANCELLED)
    make_booking(session=make_session(season=season))  # somebody else's

    assert list(selectors.tickets_upcoming(user=visitor)) == [soon]
    assert list(selectors.tickets_history(user=visitor)) == [cancelled]
    with clock.frozen(soon.session.ends_at + dt.timedelta(hours=1)):
        assert list(selectors.tickets_upcoming(user=visitor)) == []
        assert set(selectors.tickets_history(user=visitor)) == {soon, cancelled}


def test_a_ticket_is_only_its_owners(season):
    booking = make_booking(session=make_session(season=season))

    assert selectors.ticket_for_owner(user=booking.user, code=booking.code.lower()) == booking
    for viewer in (make_user(), make_user(role=Role.ORGANISER), AnonymousUser()):
        with pytest.raises(Http404):
            selectors.ticket_for_owner(user=viewer, code=booking.code)


def test_cancel_until_start_and_feedback_after_check_in(season):
    booking = make_booking(session=make_session(season=season))
    assert selectors.may_cancel(booking=booking)
    assert not selectors.may_leave_feedback(booking=booking)
    with clock.frozen(booking.session.starts_at):
        assert not selectors.may_cancel(booking=booking)

    booking.checked_in_at = booking.session.starts_at
    assert selectors.may_leave_feedback(booking=booking)
    Feedback.objects.create(booking=booking, rating=5)
    booking.refresh_from_db()
    assert not selectors.may_leave_feedback(booking=booking)


def test_waitlist_entries_of_a_user_are_the_open_ones(season):
    visitor = make_user()
    session = make_session(season=season)
    waiting = WaitlistEntry.objects.create(session=session, user=visitor, places=1)
    WaitlistEntry.objects.create(
        session=make_session(season=season), user=visitor, places=1, status=WaitlistStatus.LEFT
    )

    assert list(selectors.waitlist_open_entries(user=visitor)) == [waiting]
    assert list(selectors.waitlist_open_entries(user=AnonymousUser())) == []
    with pytest.raises(Http404):
        selectors.waitlist_entry_of_user(user=make_user(), pk=waiting.pk)
    assert not selectors.waitlist_offer_is_open(entry=waiting)
    waiting.status = WaitlistStatus.OFFERED
    waiting.offer_expires_at = clock.now() + dt.timedelta(hours=1)
    assert selectors.waitlist_offer_is_open(entry=waiting)
    waiting.offer_expires_at = clock.now()
    assert not selectors.waitlist_offer_is_open(entry=waiting)
