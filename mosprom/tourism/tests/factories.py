"""Test data for tourism: a season open for registration, an experience, a session, a booking.

Defaults give a bookable session: registration opened yesterday, the session a week ahead.
Bookings go through ``booking_create`` so every counter stays consistent.
"""

from __future__ import annotations

import datetime as dt
import itertools

from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.registry.tests.factories import make_enterprise, make_site
from mosprom.tourism.booking import ParticipantData, booking_create
from mosprom.tourism.models import (
    Booking,
    Experience,
    ExperienceKind,
    IdRequirement,
    Season,
    Session,
)

_seq = itertools.count(1)
ADULT_BIRTH_DATE = dt.date(1990, 5, 17)
PASSPORT = "45 06 123456"


def make_season(**fields) -> Season:
    """A season from a week ahead for two weeks, registration open since yesterday."""
    today = clock.today()
    fields.setdefault("name", f"Открой#Моспром — сезон {next(_seq)}")
    fields.setdefault("starts_on", today + dt.timedelta(days=7))
    fields.setdefault("ends_on", fields["starts_on"] + dt.timedelta(days=14))
    fields.setdefault("registration_opens_at", clock.now() - dt.timedelta(days=1))
    return Season.objects.create(**fields)


def make_experience(*, enterprise=None, site=None, **fields) -> Experience:
    """An excursion at a site of ``enterprise`` (a new enterprise unless given)."""
    enterprise = enterprise or make_enterprise()
    if site is None:
        site = make_site(enterprise)
    fields.setdefault("kind", ExperienceKind.EXCURSION)
    fields.setdefault("title", f"Экскурсия по цеху {next(_seq)}")
    fields.setdefault("meeting_point", "Проходная №1")
    return Experience.objects.create(enterprise=enterprise, site=site, **fields)


def make_session(
    *,
    experience: Experience | None = None,
    season: Season | None = None,
    starts_at: dt.datetime | None = None,
    capacity: int = 20,
    **fields,
) -> Session:
    """A session at 11:00 Moscow on the season's second day (or at ``starts_at``)."""
    season = season or make_season()
    experience = experience or make_experience()
    if starts_at is None:
        day = season.starts_on + dt.timedelta(days=1)
        starts_at = clock.start_of_day(day) + dt.timedelta(hours=11)
    fields.setdefault("ends_at", starts_at + dt.timedelta(minutes=experience.duration_minutes))
    return Session.objects.create(
        experience=experience, season=season, starts_at=starts_at, capacity=capacity, **fields
    )


def participants_for(
    session: Session, places: int = 1, *, birth_date: dt.date = ADULT_BIRTH_DATE
) -> list[ParticipantData]:
    """``places`` adults with the data ``session``'s experience requires."""
    passport = PASSPORT if session.experience.id_requirement == IdRequirement.PASSPORT else ""
    return [
        ParticipantData(
            full_name=f"Участник Тестовый {i + 1}", birth_date=birth_date, passport=passport
        )
        for i in range(places)
    ]


def make_booking(
    *,
    session: Session | None = None,
    user=None,
    places: int = 1,
    participants: list[ParticipantData] | None = None,
    idempotency_key: str | None = None,
) -> Booking:
    """A confirmed booking made through ``booking_create`` (a new visitor unless given)."""
    session = session or make_session()
    user = user or make_user()
    return booking_create(
        user=user,
        session=session,
        participants=participants or participants_for(session, places),
        idempotency_key=idempotency_key,
    )


DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def use_dummy_tasks(settings):
    """Switch to the dummy task backend (keeps what was enqueued, runs nothing); returns it."""
    from django.tasks import task_backends

    settings.TASKS = DUMMY_TASKS
    return task_backends["default"]


def enqueued(backend, task_) -> list:
    """The results of ``task_`` that ``backend`` (dummy) holds, in order."""
    return [result for result in backend.results if result.task.func is task_.func]
