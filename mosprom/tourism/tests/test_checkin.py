"""Check-in at the door (once per ticket) and no-shows after the start."""

from __future__ import annotations

import datetime as dt

import pytest

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.registry.tests.factories import make_membership
from mosprom.tourism import errors
from mosprom.tourism.booking import booking_cancel
from mosprom.tourism.checkin import CheckinKind, booking_mark_no_show, checkin
from mosprom.tourism.tests.factories import make_booking, make_experience, make_session
from mosprom.tourism.tickets import ticket_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return make_session()


@pytest.fixture
def host(session):
    user = make_user(role=Role.HOST)
    make_membership(user, session.experience.enterprise)
    return user


def test_a_typed_code_is_admitted_once(session, host):
    booking = make_booking(session=session, places=2)
    typed = f"{booking.code[:4].lower()}-{booking.code[4:].lower()}"
    first = checkin(token_or_code=typed, session=session, actor=host)
    assert first.kind == CheckinKind.VALID and first.ok
    assert "мест — 2" in first.message
    booking.refresh_from_db()
    assert booking.checked_in_at is not None
    assert booking.checked_in_by == host

    second = checkin(token_or_code=booking.code, session=session, actor=host)
    assert second.kind == CheckinKind.ALREADY_USED and not second.ok
    assert "уже использован" in second.message


def test_the_qr_token_is_admitted_once(session, host):
    booking = make_booking(session=session)
    token = ticket_token(booking)
    assert checkin(token_or_code=token, session=session, actor=host).kind == CheckinKind.VALID
    again = checkin(token_or_code=token, session=session, actor=host)
    assert again.kind == CheckinKind.ALREADY_USED


def test_wrong_session_cancelled_and_unknown(session, host):
    elsewhere = make_booking(session=make_session(experience=session.experience))
    result = checkin(token_or_code=elsewhere.code, session=session, actor=host)
    assert result.kind == CheckinKind.WRONG_SESSION
    assert "другой сеанс" in result.message
    elsewhere.refresh_from_db()
    assert elsewhere.checked_in_at is None

    cancelled = make_booking(session=session)
    booking_cancel(booking=cancelled, actor=cancelled.user)
    result = checkin(token_or_code=cancelled.code, session=session, actor=host)
    assert result.kind == CheckinKind.CANCELLED
    assert "отменена" in result.message

    for junk in ("", "ZZZZZZZZ", "not-a-token:forged"):
        assert checkin(token_or_code=junk, session=session, actor=host).kind == CheckinKind.UNKNOWN


def test_only_the_sessions_hosts_and_organisers_check_in(session):
    booking = make_booking(session=session)
    other_host = make_user(role=Role.HOST)
    make_membership(other_host, make_experience().enterprise)
    for outsider in (booking.user, other_host):
        with pytest.raises(errors.Forbidden):
            checkin(token_or_code=booking.code, session=session, actor=outsider)
    organiser = make_user(role=Role.ORGANISER)
    assert checkin(token_or_code=booking.code, session=session, actor=organiser).ok


def test_no_show_only_after_the_start_and_never_for_a_checked_in_booking(session, host):
    absent = make_booking(session=session)
    present = make_booking(session=session)
    with pytest.raises(errors.InvalidRequest, match="после начала"):
        booking_mark_no_show(booking=absent, actor=host, no_show=True)
    checkin(token_or_code=present.code, session=session, actor=host)
    present.refresh_from_db()
    with clock.frozen(session.starts_at + dt.timedelta(hours=2)):
        assert booking_mark_no_show(booking=absent, actor=host, no_show=True).no_show
        with pytest.raises(errors.InvalidRequest, match="отмечены на входе"):
            booking_mark_no_show(booking=present, actor=host, no_show=True)
        assert not booking_mark_no_show(booking=absent, actor=host, no_show=False).no_show
        with pytest.raises(errors.Forbidden):
            booking_mark_no_show(booking=absent, actor=absent.user, no_show=True)
