"""The first-come booking as one statement on PostgreSQL (``tourism.booking_sql``).

``test_booking.py`` and ``test_booking_race.py`` run every rule on this path and on the ORM's;
these tests cover what only this path has: a refusal found by the statement itself, after the
request's own read said there was room, must leave every counter as it was, and the answer's
counter comes from the statement.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.tasks.signals import task_enqueued
from django.test.utils import CaptureQueriesContext
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.tourism import booking_sql, errors
from mosprom.tourism.booking import booking_create
from mosprom.tourism.models import (
    Booking,
    BookingStatus,
    IdRequirement,
    SeasonAllowance,
    Session,
    SessionStatus,
)
from mosprom.tourism.tasks import booking_confirmed
from mosprom.tourism.tests.factories import (
    make_booking,
    make_experience,
    make_season,
    make_session,
    participants_for,
    use_dummy_tasks,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _statement_path():
    assert booking_sql.available(), "PostgreSQL runs the statement path by default"


def _stale(session: Session) -> Session:
    """The session as a request read it before the others wrote."""
    return Session.objects.select_related("season", "experience").get(pk=session.pk)


def _allowance(user, season) -> int | None:
    return (
        SeasonAllowance.objects.filter(user=user, season=season)
        .values_list("taken", flat=True)
        .first()
    )


def test_a_confirmed_booking_is_one_statement_and_answers_the_counter(settings):
    use_dummy_tasks(settings)
    session = make_session(capacity=5)
    make_booking(session=session)
    user = make_user()
    with CaptureQueriesContext(connection) as queries:
        booking = booking_create(
            user=user, session=_stale(session), participants=participants_for(session, 2)
        )
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith("WITH")]
    assert len(writes) == 1 and "tourism_seasonallowance" in writes[0]
    # (Inside the test's transaction the booking's own is a savepoint; the ORM path adds
    # another around its INSERT.)
    assert len([q for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")]) == 1
    assert booking.taken_after == 3 == Session.objects.get(pk=session.pk).taken
    assert [p.position for p in booking.participants.all()] == [0, 1]
    assert list(booking.participants.values_list("pk", flat=True)) == [
        p.pk for p in booking.participants.all()
    ]
    # What the statement wrote (handed over as one JSON parameter) is what was asked.
    people = participants_for(session, 2)
    assert list(
        booking.participants.order_by("position").values_list("full_name", "birth_date")
    ) == [(p.full_name, p.birth_date) for p in people]
    assert _allowance(user, session.season) == 2


def test_a_seat_refused_by_the_statement_leaves_the_allowance_untouched():
    session = make_session(capacity=1)
    read = _stale(session)  # taken 0: the request's short cut lets it through
    make_booking(session=session)
    user = make_user()
    with pytest.raises(errors.SoldOut):
        booking_create(user=user, session=read, participants=participants_for(session, 1))
    assert _allowance(user, session.season) is None  # the upsert was rolled back
    assert Session.objects.get(pk=session.pk).taken == 1
    assert not Booking.objects.filter(user=user).exists()


def test_a_seat_refused_after_an_existing_allowance_moved_is_rolled_back():
    season = make_season(places_per_person=3)
    first, full = make_session(season=season), make_session(season=season, capacity=1)
    user = make_user()
    make_booking(session=first, user=user)
    read = _stale(full)
    make_booking(session=full)
    with pytest.raises(errors.SoldOut):
        booking_create(user=user, session=read, participants=participants_for(full, 1))
    assert _allowance(user, season) == 1


def test_a_session_cancelled_after_the_read_is_refused_as_cancelled():
    session = make_session()
    read = _stale(session)
    Session.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)
    user = make_user()
    with pytest.raises(errors.SessionCancelled):
        booking_create(user=user, session=read, participants=participants_for(session, 1))
    assert _allowance(user, session.season) is None


def test_already_booked_is_told_before_the_quota_it_also_exhausts():
    season = make_season(places_per_person=2)
    session = make_session(season=season)
    user = make_user()
    make_booking(session=session, user=user, places=2)
    with pytest.raises(errors.AlreadyBooked):
        booking_create(user=user, session=session, participants=participants_for(session, 1))


def test_quota_refusal_names_what_the_person_holds():
    season = make_season(places_per_person=2)
    user = make_user()
    make_booking(session=make_session(season=season), user=user, places=2)
    with pytest.raises(errors.QuotaExceeded) as refused:
        make_booking(session=make_session(season=season), user=user)
    assert "2" in refused.value.text
    assert _allowance(user, season) == 2


def test_no_shows_are_counted_by_the_statement():
    season = make_season(no_show_limit=2)
    user = make_user()
    for _ in range(2):
        booking = make_booking(session=make_session(season=season), user=user)
        Booking.objects.filter(pk=booking.pk).update(no_show=True)
    with pytest.raises(errors.NoShowLimited) as refused:
        make_booking(session=make_session(season=season), user=user)
    assert "2" in refused.value.text
    assert _allowance(user, season) == 2  # the two earlier bookings, nothing more


def test_a_clash_on_the_unique_index_is_already_booked_and_moves_nothing():
    session = make_session()
    user = make_user()
    read = _stale(session)
    make_booking(session=session, user=user)
    # The statement path reads no "already booked" before writing: the partial unique index
    # refuses the second row inside the statement, and the counters it moved go back.
    with pytest.raises(errors.AlreadyBooked):
        booking_create(user=user, session=read, participants=participants_for(session, 1))
    assert Session.objects.get(pk=session.pk).taken == 1
    assert _allowance(user, session.season) == 1
    assert Booking.objects.filter(user=user, status=BookingStatus.CONFIRMED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_statement_is_its_own_and_a_refused_seat_undoes_it():
    session = make_session(capacity=1)
    read = _stale(session)
    make_booking(session=session)
    user = make_user()
    assert not connection.in_atomic_block
    with CaptureQueriesContext(connection) as queries, pytest.raises(errors.SoldOut):
        booking_create(user=user, session=read, participants=participants_for(session, 1))
    assert not [q for q in queries.captured_queries if "SAVEPOINT" in q["sql"]]
    assert _allowance(user, session.season) is None  # the failed statement took it back
    assert Session.objects.get(pk=session.pk).taken == 1
    booking = make_booking(session=make_session(season=session.season), user=user)
    assert booking.taken_after == 1 and _allowance(user, session.season) == 1


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
BY_THE_BACKEND = ("id", "enqueued_at", "args_kwargs")  # differ between any two enqueues


@pytest.mark.parametrize("id_requirement", [IdRequirement.NONE, IdRequirement.PASSPORT])
def test_the_statement_writes_the_follow_up_task_row_the_backend_would(settings, id_requirement):
    settings.TASKS = DATABASE_TASKS
    session = make_session(experience=make_experience(id_requirement=id_requirement))
    with_passports = id_requirement == IdRequirement.PASSPORT
    user = make_user()
    with CaptureQueriesContext(connection) as queries:
        booking = booking_create(
            user=user, session=_stale(session), participants=participants_for(session, 1)
        )
    # No INSERT of its own: the booking's statement wrote it.
    task_writes = [
        q["sql"] for q in queries.captured_queries if DBTaskResult._meta.db_table in q["sql"]
    ]
    assert len(task_writes) == 1 and task_writes[0].lstrip().startswith("WITH")
    row = DBTaskResult.objects.get()
    assert row.args_kwargs == {"args": [booking.pk, with_passports], "kwargs": {}}
    assert row.status == "READY" and row.run_after == get_date_max()
    assert abs(row.enqueued_at - clock.now()) < dt.timedelta(minutes=1)
    # Column for column what DatabaseBackend.enqueue writes for the same call.
    same = booking_confirmed.enqueue(booking.pk, with_passports).db_result
    same.refresh_from_db()
    columns = [
        f.attname for f in DBTaskResult._meta.concrete_fields if f.attname not in BY_THE_BACKEND
    ]
    assert [getattr(row, c) for c in columns] == [getattr(same, c) for c in columns]
    assert same.args_kwargs == row.args_kwargs
    same.delete()
    # The worker runs it (its own code for one row; its loop would close the test's
    # connection): the ticket goes out.
    mail.outbox.clear()
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="test",
        excluded_queue_names=[],
    ).run_task(DBTaskResult.objects.ready().get())
    assert DBTaskResult.objects.get(pk=row.pk).status == "SUCCESSFUL"
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_a_refused_booking_leaves_no_task_row(settings):
    settings.TASKS = DATABASE_TASKS
    season = make_season(places_per_person=2)
    first, full, other = (make_session(season=season, capacity=c) for c in (5, 1, 5))
    user = make_user()
    make_booking(session=first, user=user)
    read = _stale(full)
    make_booking(session=full)
    before = DBTaskResult.objects.count()
    # Refused by the seat step after the allowance moved (the statement fails) and by the
    # quota step (the statement writes nothing).
    with pytest.raises(errors.SoldOut):
        booking_create(user=user, session=read, participants=participants_for(full, 1))
    with pytest.raises(errors.QuotaExceeded):
        booking_create(user=user, session=_stale(other), participants=participants_for(other, 2))
    assert DBTaskResult.objects.count() == before == 2


def test_the_enqueued_signal_follows_the_commit(settings, django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE_TASKS
    session = make_session()
    heard = []

    def listener(sender, task_result, **kwargs):
        heard.append((task_result.id, task_result.args, task_result.task.func))

    task_enqueued.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            booking = make_booking(session=session)
        assert heard == []  # not before the commit
        for callback in callbacks:
            callback()
    finally:
        task_enqueued.disconnect(listener)
    row = DBTaskResult.objects.get()
    assert heard == [(str(row.pk), [booking.pk, False], booking_confirmed.func)]


def test_other_task_backends_get_the_follow_up_enqueued_after_the_commit(
    settings, django_capture_on_commit_callbacks
):
    backend = use_dummy_tasks(settings)
    with django_capture_on_commit_callbacks(execute=True):
        booking = make_booking()
    assert [(r.task.func, r.args) for r in backend.results] == [
        (booking_confirmed.func, [booking.pk, False])
    ]
    assert not DBTaskResult.objects.exists()
