"""The catalogue services (tourism.catalogue) on their own: rights checked inside the write, and
the capacity rule held by the conditional UPDATE rather than by what the caller last read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.registry.tests.factories import make_membership
from mosprom.tourism import catalogue
from mosprom.tourism.models import Session
from mosprom.tourism.tests.factories import make_booking, make_season, make_session

pytestmark = pytest.mark.django_db


def _update(session: Session, actor, **changes) -> Session:
    values = {
        "season": session.season,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "capacity": session.capacity,
    } | changes
    return catalogue.session_update(actor=actor, session=session, **values)


def test_capacity_guard_uses_the_row_not_the_callers_copy():
    session = make_session(capacity=10)
    stale = Session.objects.get(pk=session.pk)  # read before anybody booked
    for _ in range(3):
        make_booking(session=session, places=2)
    organiser = make_user(role=Role.ORGANISER)
    assert stale.taken == 0
    with pytest.raises(ValidationError) as caught:
        _update(stale, organiser, capacity=5)
    assert "Уже занято мест: 6" in str(caught.value.message_dict["capacity"])
    session.refresh_from_db()
    assert session.capacity == 10


def test_a_booked_session_keeps_its_time_even_from_a_stale_copy():
    session = make_session()
    stale = Session.objects.get(pk=session.pk)
    make_booking(session=session)
    with pytest.raises(ValidationError):
        _update(
            stale,
            make_user(role=Role.ORGANISER),
            starts_at=stale.starts_at + dt.timedelta(hours=1),
            ends_at=stale.ends_at + dt.timedelta(hours=1),
        )
    session.refresh_from_db()
    assert session.starts_at == stale.starts_at


@pytest.mark.parametrize("role", [Role.VISITOR, Role.HOST])
def test_writes_check_rights_themselves(role):
    session = make_session()
    outsider = make_user(role=role)
    with pytest.raises(PermissionDenied):
        _update(session, outsider, capacity=30)
    with pytest.raises(PermissionDenied):
        catalogue.session_create(
            actor=outsider,
            experience=session.experience,
            season=session.season,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            capacity=5,
        )
    with pytest.raises(PermissionDenied):
        catalogue.season_update(actor=outsider, season=session.season, data={})
    session.refresh_from_db()
    assert session.capacity == 20


def test_a_member_host_may_update_their_session():
    session = make_session()
    host = make_user(role=Role.HOST)
    make_membership(host, session.experience.enterprise)
    assert _update(session, host, capacity=30).capacity == 30


def test_season_create_rejects_a_window_ending_before_it_starts():
    season = make_season()
    data = {
        "name": "Зима",
        "starts_on": season.starts_on,
        "ends_on": season.starts_on - dt.timedelta(days=1),
        "registration_opens_at": season.registration_opens_at,
        "close_days_before": 3,
        "places_per_person": 3,
        "no_show_limit": 2,
        "offer_hours": 12,
    }
    with pytest.raises(ValidationError) as caught:
        catalogue.season_create(actor=make_user(role=Role.ORGANISER), data=data)
    assert "ends_on" in caught.value.message_dict
