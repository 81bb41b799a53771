"""The tourism demo: a current season across the seed enterprises, consistent counters."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Sum
from django_tasks_db.models import DBTaskResult

from mosprom.accounts.demo import accounts_demo_load
from mosprom.core import clock, crypto
from mosprom.registry.demo import registry_demo_load, registry_demo_memberships_load
from mosprom.tourism.booking import age_on
from mosprom.tourism.demo import season_name, tourism_demo_load
from mosprom.tourism.models import (
    Booking,
    BookingStatus,
    Experience,
    ExperienceKind,
    Feedback,
    IdRequirement,
    Participant,
    SeasonAllowance,
    Session,
    WaitlistEntry,
    WaitlistStatus,
)
from mosprom.tourism.selectors import Availability, session_availability

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    registry_demo_load()
    accounts_demo_load()
    registry_demo_memberships_load()
    return tourism_demo_load()


def experience_of(enterprise: str) -> Experience:
    return Experience.objects.get(enterprise__short_name=enterprise)


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Experience,
            Session,
            Booking,
            Participant,
            WaitlistEntry,
            SeasonAllowance,
            Feedback,
        )
    )


def test_a_current_season_open_for_registration(demo):
    season = demo.season
    today = clock.today()

    assert demo.created
    assert season.name == season_name(today)
    assert season.starts_on <= today <= season.ends_on
    assert season.registration_opens_at < clock.now()
    assert (season.close_days_before, season.places_per_person) == (3, 3)
    bookable = [
        s
        for s in Session.objects.select_related("season")
        if session_availability(s) == Availability.OPEN
    ]
    assert len(bookable) >= 8


def test_the_experiences_the_seeds_name(demo):
    toys = experience_of("Московский комбинат игрушек")
    assert toys.kind == ExperienceKind.MASTER_CLASS and toys.min_age == 7
    mikron = experience_of("Микрон")
    assert mikron.kind == ExperienceKind.EXCURSION and mikron.min_age == 14
    assert mikron.id_requirement == IdRequirement.PASSPORT
    assert experience_of("Трансмаш").kind == ExperienceKind.EXCURSION
    assert experience_of("Элтеза").kind == ExperienceKind.EXCURSION
    tasting = experience_of("Останкинский мясоперерабатывающий завод")
    assert tasting.kind == ExperienceKind.TASTING
    assert Experience.objects.filter(kind=ExperienceKind.LECTURE).count() == 1
    for experience in Experience.objects.select_related("site"):
        assert experience.is_published
        assert experience.site is not None and experience.site.enterprise_id == (
            experience.enterprise_id
        )
        assert experience.meeting_point
        assert experience.sessions.exists()


def test_counters_equal_the_bookings(demo):
    for session in Session.objects.all():
        booked = session.bookings.filter(status=BookingStatus.CONFIRMED).aggregate(
            n=Sum("places", default=0)
        )["n"]
        assert session.taken == booked <= session.capacity, session
    for allowance in SeasonAllowance.objects.all():
        held = Booking.objects.filter(
            user_id=allowance.user_id, session__season=allowance.season
        ).aggregate(n=Sum("places"))["n"]
        assert allowance.taken == held <= allowance.allowed


def test_nearly_full_and_one_full_with_a_waitlist(demo):
    sessions = list(Session.objects.filter(starts_at__gt=clock.now()))
    nearly_full = [s for s in sessions if 0 < s.places_left <= 2]
    full = [s for s in sessions if s.places_left == 0]
    assert len(nearly_full) >= 3
    (sold_out,) = full
    waiting = list(sold_out.waitlist.order_by("created_at"))
    assert len(waiting) == 3
    assert all(entry.status == WaitlistStatus.WAITING for entry in waiting)
    assert waiting[0].user.email == "visitor@demo.mosprom.local"


def test_bookings_respect_the_rules(demo):
    for booking in Booking.objects.select_related("session__experience").prefetch_related(
        "participants"
    ):
        experience = booking.session.experience
        people = list(booking.participants.all())
        assert len(people) == booking.places <= experience.max_places_per_booking
        day = clock.localtime(booking.session.starts_at).date()
        for person in people:
            assert person.full_name
            assert age_on(person.birth_date, day) >= experience.min_age
            if experience.id_requirement == IdRequirement.PASSPORT:
                digits = crypto.decrypt(person.passport_encrypted)
                assert len(digits) == 10 and digits.isdigit()
            else:
                assert person.passport_encrypted == ""
    # one active booking per person and session (the constraint would have refused otherwise)
    assert Booking.objects.values("session", "user").distinct().count() == Booking.objects.count()


def test_demo_visitor_has_a_ticket_and_yesterday_was_attended(demo):
    ticket = Booking.objects.get(user__email="visitor@demo.mosprom.local")
    assert ticket.places == 2
    assert ticket.session.starts_at > clock.now()
    past = Session.objects.get(starts_at__lt=clock.now())
    held = past.bookings.all()
    assert held.filter(checked_in_at__isnull=False).count() == held.count() - 1
    assert held.filter(no_show=True).count() == 1
    assert held.filter(checked_in_by__email="host@demo.mosprom.local").exists()
    assert Feedback.objects.filter(booking__session=past).count() == 3


def test_loading_sends_nothing_and_schedules_nothing(demo):
    assert mail.outbox == []
    assert not DBTaskResult.objects.exists()


def test_second_run_changes_nothing(demo):
    before = counts()

    again = tourism_demo_load()

    assert not again.created
    assert again.season == demo.season
    assert counts() == before


def test_without_the_registry_demo_nothing_is_made():
    result = tourism_demo_load()

    assert result.season is None
    assert counts() == (0, 0, 0, 0, 0, 0, 0)


def test_demo_data_command_loads_the_tours():
    out = StringIO()
    call_command("demo_data", stdout=out)

    assert f"season «{season_name(clock.today())}»" in out.getvalue()
    assert Session.objects.count() == 14
    out = StringIO()
    call_command("demo_data", stdout=out)
    assert "already loaded" in out.getvalue()
    assert Session.objects.count() == 14
