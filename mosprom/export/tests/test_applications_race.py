"""Acceptance races on a real PostgreSQL: many threads, each with its own connection, then count.

An event never holds more accepted applications than places (``ExportEvent.taken`` under a
CHECK, moved by conditional UPDATEs in the transaction of the status change); these tests try
hard to break that, and to make two transitions wait on each other in a cycle.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.export.applications import application_transition
from mosprom.export.errors import ExportError
from mosprom.export.models import (
    HOLDS_PLACE,
    Application,
    ApplicationStatus,
    ApplicationTransition,
    ExportEvent,
)
from mosprom.export.tests.factories import make_application, make_export_event
from mosprom.tourism.tests.factories import use_dummy_tasks

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

S = ApplicationStatus


def race(attempt, items: list) -> list[str]:
    """Run ``attempt(item)`` for every item at once (one thread each, released by a barrier).

    Each attempt answers a short tag; an ExportError becomes its code, anything else
    "error: …" (which the tests forbid: a deadlock or a CHECK violation lands there). Every
    thread closes its own connection.
    """
    barrier = threading.Barrier(len(items))

    def run(item) -> str:
        try:
            barrier.wait(timeout=30)
            return attempt(item)
        except ExportError as refusal:
            return refusal.code
        except Exception as failure:
            return f"error: {failure!r}"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(run, items))


def fresh(application: Application) -> Application:
    """The application as a request would load it (its own connection, its own objects)."""
    return Application.objects.select_related("event", "enterprise", "created_by").get(
        pk=application.pk
    )


def move(application: Application, actor, to: str) -> str:
    return application_transition(application=fresh(application), actor=actor, to=to).status


def assert_counter_true(event: ExportEvent) -> None:
    event.refresh_from_db()
    holding = Application.objects.filter(event=event, status__in=HOLDS_PLACE).count()
    assert event.taken == holding
    assert event.taken <= event.places


def test_20_acceptances_for_7_places_accept_exactly_7(settings):
    use_dummy_tasks(settings)
    event = make_export_event(places=7)
    organiser = make_user(role=Role.ORGANISER)
    pending = [make_application(event=event, status=S.IN_REVIEW) for _ in range(20)]

    outcomes = Counter(race(lambda a: move(a, organiser, S.ACCEPTED), pending))

    assert outcomes == {S.ACCEPTED: 7, "no_places_left": 13}, outcomes
    event.refresh_from_db()
    assert event.taken == 7
    assert Application.objects.filter(event=event, status=S.ACCEPTED).count() == 7
    assert Application.objects.filter(event=event, status=S.IN_REVIEW).count() == 13
    assert ApplicationTransition.objects.filter(to_status=S.ACCEPTED).count() == 7
    assert_counter_true(event)


def test_two_organisers_accepting_the_same_application_take_one_place(settings):
    use_dummy_tasks(settings)
    event = make_export_event(places=7)
    first, second = make_user(role=Role.ORGANISER), make_user(role=Role.ORGANISER)
    pending = [make_application(event=event, status=S.IN_REVIEW) for _ in range(5)]
    # Every application accepted by two organisers at the same moment.
    items = [(application, organiser) for application in pending for organiser in (first, second)]

    outcomes = Counter(race(lambda item: move(item[0], item[1], S.ACCEPTED), items))

    assert outcomes == {S.ACCEPTED: 5, "invalid_transition": 5}, outcomes
    event.refresh_from_db()
    assert event.taken == 5
    for application in pending:
        moves = ApplicationTransition.objects.filter(application=application)
        assert list(moves.values_list("from_status", "to_status")) == [(S.IN_REVIEW, S.ACCEPTED)]
    assert_counter_true(event)


def test_withdrawals_racing_acceptances_keep_the_counter_and_never_deadlock(settings):
    use_dummy_tasks(settings)
    event = make_export_event(places=6)
    organiser = make_user(role=Role.ORGANISER)
    holders = [make_application(event=event, status=S.ACCEPTED) for _ in range(6)]
    waiting = [make_application(event=event, status=S.WAITLISTED) for _ in range(6)]
    pending = [make_application(event=event, status=S.IN_REVIEW) for _ in range(4)]
    # Holders leave (their places pass to the waitlist) while organisers accept from the
    # waitlist and from review, and companies leave the waitlist.
    items = [
        *[(a, a.created_by, S.WITHDRAWN) for a in holders[:4]],
        *[(a, organiser, S.ACCEPTED) for a in waiting[:3]],
        *[(a, a.created_by, S.WITHDRAWN) for a in waiting[3:5]],
        *[(a, organiser, S.ACCEPTED) for a in pending],
        *[(a, a.created_by, S.CONFIRMED) for a in holders[4:]],
    ]

    outcomes = Counter(race(lambda item: move(*item), items))

    assert not [tag for tag in outcomes if tag.startswith("error")], outcomes
    assert set(outcomes) <= {
        S.WITHDRAWN,
        S.ACCEPTED,
        S.CONFIRMED,
        "no_places_left",
        "invalid_transition",
    }, outcomes
    assert outcomes[S.CONFIRMED] == 2
    assert_counter_true(event)
    event.refresh_from_db()
    still_waiting = Application.objects.filter(event=event, status=S.WAITLISTED).count()
    # A place freed with someone waiting is never left empty: the waitlist got it first.
    assert event.taken == event.places or still_waiting == 0
    # Every promotion is in the history, without an actor.
    promoted = ApplicationTransition.objects.filter(
        application__event=event, from_status=S.WAITLISTED, to_status=S.ACCEPTED, actor=None
    ).count()
    assert promoted >= 1
