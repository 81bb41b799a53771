"""The waitlist: joining, offers that hold places, acceptance, expiry, hand-over, leaving."""

from __future__ import annotations

import datetime as dt

import pytest

from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.tourism import errors, notifications
from mosprom.tourism.booking import booking_cancel
from mosprom.tourism.models import BookingStatus, SeasonAllowance, Session, WaitlistStatus
from mosprom.tourism.tasks import expire_offer
from mosprom.tourism.tests.factories import (
    enqueued,
    make_booking,
    make_season,
    make_session,
    participants_for,
    use_dummy_tasks,
)
from mosprom.tourism.waitlist import (
    waitlist_accept,
    waitlist_decline,
    waitlist_expire,
    waitlist_join,
    waitlist_leave,
    waitlist_offer_next,
)

pytestmark = pytest.mark.django_db


def full_session(capacity: int = 3, **fields) -> tuple[Session, list]:
    session = make_session(capacity=capacity, **fields)
    bookings = [make_booking(session=session) for _ in range(capacity)]
    return session, bookings


def taken(session: Session) -> int:
    return Session.objects.values_list("taken", flat=True).get(pk=session.pk)


def test_join_only_when_the_places_wanted_are_not_free():
    session = make_session(capacity=3)
    make_booking(session=session, places=2)
    with pytest.raises(errors.NotFull):
        waitlist_join(user=make_user(), session=session, places=1)
    entry = waitlist_join(user=make_user(), session=session, places=2)  # 1 free, 2 wanted
    assert entry.status == WaitlistStatus.WAITING
    assert taken(session) == 2  # waiting holds nothing


def test_join_refusals():
    session, bookings = full_session()
    user = make_user()
    waitlist_join(user=user, session=session, places=1)
    with pytest.raises(errors.AlreadyWaiting):
        waitlist_join(user=user, session=session, places=2)
    with pytest.raises(errors.AlreadyBooked):
        waitlist_join(user=bookings[0].user, session=session, places=1)
    with pytest.raises(errors.TooManyPlaces):
        waitlist_join(user=make_user(), session=session, places=3)
    with pytest.raises(errors.EmailNotConfirmed):
        waitlist_join(user=make_user(confirmed=False), session=session, places=1)


def test_join_refused_when_the_quota_could_never_allow_it():
    season = make_season(places_per_person=2)
    user = make_user()
    make_booking(session=make_session(season=season), user=user, places=2)
    session, _ = full_session(season=season)
    with pytest.raises(errors.QuotaExceeded):
        waitlist_join(user=user, session=session, places=1)


def test_freed_places_go_to_the_first_in_line_that_fits(
    settings, django_capture_on_commit_callbacks
):
    backend = use_dummy_tasks(settings)
    session, bookings = full_session(capacity=3)
    wants_two = waitlist_join(user=make_user(), session=session, places=2)
    wants_one = waitlist_join(user=make_user(), session=session, places=1)
    backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=bookings[0], actor=bookings[0].user)
    wants_two.refresh_from_db()
    wants_one.refresh_from_db()
    assert wants_two.status == WaitlistStatus.WAITING  # two places do not fit in one
    assert wants_one.status == WaitlistStatus.OFFERED
    assert wants_one.offer_expires_at == wants_one.offered_at + dt.timedelta(hours=12)
    assert taken(session) == 3  # the offer holds the freed place
    (mail,) = enqueued(backend, notifications.send_waitlist_offer)
    assert mail.args == [wants_one.pk]
    (expiry,) = enqueued(backend, expire_offer)
    assert expiry.task.run_after == wants_one.offer_expires_at
    assert expiry.args == [wants_one.pk]

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=bookings[1], actor=bookings[1].user)
    wants_two.refresh_from_db()
    assert wants_two.status == WaitlistStatus.WAITING  # still only one place free
    assert taken(session) == 2
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=bookings[2], actor=bookings[2].user)
    wants_two.refresh_from_db()
    assert wants_two.status == WaitlistStatus.OFFERED
    assert taken(session) == 3


def test_accepting_books_under_the_rules_and_consumes_the_held_places():
    session, bookings = full_session(capacity=2)
    user = make_user()
    entry = waitlist_join(user=user, session=session, places=1)
    booking_cancel(booking=bookings[0], actor=bookings[0].user)
    entry.refresh_from_db()
    booking = waitlist_accept(entry=entry, participants=participants_for(session, 1))
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.user == user
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.ACCEPTED
    assert entry.booking == booking
    assert taken(session) == 2
    assert SeasonAllowance.objects.get(user=user).taken == 1
    with pytest.raises(errors.OfferExpired):
        waitlist_accept(entry=entry, participants=participants_for(session, 1))


def test_accept_refused_by_a_rule_keeps_the_offer_open():
    session, bookings = full_session(capacity=2)
    entry = waitlist_join(user=make_user(), session=session, places=1)
    booking_cancel(booking=bookings[0], actor=bookings[0].user)
    entry.refresh_from_db()
    with pytest.raises(errors.TooManyPlaces):
        waitlist_accept(entry=entry, participants=participants_for(session, 2))
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    assert taken(session) == 2


def test_accepting_fewer_places_passes_the_rest_on():
    session = make_session(capacity=4)
    bookings = [make_booking(session=session, places=2) for _ in range(2)]
    first = waitlist_join(user=make_user(), session=session, places=2)
    second = waitlist_join(user=make_user(), session=session, places=1)
    booking_cancel(booking=bookings[0], actor=bookings[0].user)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.status == WaitlistStatus.WAITING
    assert first.status == WaitlistStatus.OFFERED
    booking = waitlist_accept(entry=first, participants=participants_for(session, 1))
    assert booking.places == 1
    second.refresh_from_db()
    assert second.status == WaitlistStatus.OFFERED
    assert taken(session) == 4


def test_expiry_releases_and_hands_over(settings):
    use_dummy_tasks(settings)
    session, bookings = full_session(capacity=1)
    first = waitlist_join(user=make_user(), session=session, places=1)
    second = waitlist_join(user=make_user(), session=session, places=1)
    booking_cancel(booking=bookings[0], actor=bookings[0].user)
    first.refresh_from_db()
    assert first.status == WaitlistStatus.OFFERED

    # The task, if it runs early, does nothing but come back at expiry.
    assert expire_offer.call(first.pk) is False
    first.refresh_from_db()
    assert first.status == WaitlistStatus.OFFERED

    with clock.frozen(first.offer_expires_at + dt.timedelta(seconds=1)):
        assert expire_offer.call(first.pk) is True
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.status == WaitlistStatus.EXPIRED
        assert second.status == WaitlistStatus.OFFERED
        assert taken(session) == 1
        assert expire_offer.call(first.pk) is False  # twice is harmless
        assert taken(session) == 1


def test_accepting_too_late_hands_over_and_says_so():
    session, bookings = full_session(capacity=1)
    first = waitlist_join(user=make_user(), session=session, places=1)
    second = waitlist_join(user=make_user(), session=session, places=1)
    booking_cancel(booking=bookings[0], actor=bookings[0].user)
    first.refresh_from_db()
    with (
        clock.frozen(first.offer_expires_at + dt.timedelta(minutes=1)),
        pytest.raises(errors.OfferExpired),
    ):
        waitlist_accept(entry=first, participants=participants_for(session))
    second.refresh_from_db()
    assert second.status == WaitlistStatus.OFFERED
    assert taken(session) == 1


def test_declining_hands_over():
    session, bookings = full_session(capacity=1)
    first = waitlist_join(user=make_user(), session=session, places=1)
    second = waitlist_join(user=make_user(), session=session, places=1)
    booking_cancel(booking=bookings[0], actor=bookings[0].user)
    first.refresh_from_db()
    assert waitlist_decline(entry=first).status == WaitlistStatus.DECLINED
    second.refresh_from_db()
    assert second.status == WaitlistStatus.OFFERED
    assert taken(session) == 1
    assert waitlist_expire(entry=first) is False


def test_leaving_the_line_and_leaving_an_offer():
    session, bookings = full_session(capacity=1)
    first = waitlist_join(user=make_user(), session=session, places=1)
    second = waitlist_join(user=make_user(), session=session, places=1)
    with pytest.raises(errors.Forbidden):
        waitlist_leave(entry=second, actor=make_user())
    assert waitlist_leave(entry=second, actor=second.user).status == WaitlistStatus.LEFT
    booking_cancel(booking=bookings[0], actor=bookings[0].user)
    first.refresh_from_db()
    assert first.status == WaitlistStatus.OFFERED
    waitlist_leave(entry=first, actor=first.user)
    first.refresh_from_db()
    assert first.status == WaitlistStatus.LEFT
    assert taken(session) == 0  # nobody left in line: the place is free for anyone
    make_booking(session=session, user=second.user)  # leaving the line closes nothing else


def test_offers_never_outlive_registration_and_stop_after_it():
    season = make_season(offer_hours=48)
    session, bookings = full_session(capacity=1, season=season)
    entry = waitlist_join(user=make_user(), session=session, places=1)
    closes = session.registration_closes_at()
    with clock.frozen(closes - dt.timedelta(hours=5)):
        booking_cancel(booking=bookings[0], actor=bookings[0].user)
    entry.refresh_from_db()
    assert entry.offer_expires_at == closes

    late = make_session(capacity=1, season=season)
    booking = make_booking(session=late)
    waiting = waitlist_join(user=make_user(), session=late, places=1)
    with clock.frozen(late.registration_closes_at() + dt.timedelta(hours=1)):
        booking_cancel(booking=booking, actor=booking.user)
        assert waitlist_offer_next(session=late) == []
    waiting.refresh_from_db()
    assert waiting.status == WaitlistStatus.WAITING
    assert taken(late) == 0


def test_accepting_before_any_offer_says_so_and_books_nothing():
    session, _ = full_session()
    entry = waitlist_join(user=make_user(), session=session, places=1)
    with pytest.raises(errors.NoOffer) as refused:
        waitlist_accept(entry=entry, participants=participants_for(session, 1))
    assert refused.value.code == "no_offer"
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WAITING
    assert taken(session) == 3
