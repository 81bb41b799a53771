"""A first-come booking's writes on PostgreSQL as one statement (ADR 0004, docs/PERFORMANCE.md).

The ORM path of ``booking.booking_create`` — no-show count, "already booked" check, allowance
upsert and conditional UPDATE, the session's conditional UPDATE, a savepoint, the booking and
participant INSERTs, BEGIN and COMMIT — is a dozen round trips and most of a booking's CPU. On
PostgreSQL the same writes are one data-modifying ``WITH`` statement, which is its own
transaction (or a savepoint inside the caller's), each step running only if the one before it
succeeded:

1. ``guard``: the person's no-shows in the season are under the season's limit;
2. ``allowance``: the season allowance is created or moved by ``places`` only while it stays
   within the quota (the same conditional write as ``take_allowance``);
3. ``seat``: the session's ``taken`` is moved only if the allowance moved and the session is
   scheduled with room (the same conditional UPDATE as ``take_session_places``);
4. ``booking`` and ``people``: the rows, only if the seat was taken;
5. ``follow_up``: when the tasks run on the database task backend, the row of the booking's
   follow-up task (``tasks.booking_confirmed``: mail, reminder, purge), written by the same
   statement — an outbox: the task exists exactly when the booking does, without a second
   round trip and a second commit (ADR 0006). Other backends get it enqueued after the commit.

The counters' guarantees are the same conditional writes and CHECK constraints as on the ORM
path; the partial unique index still refuses a second active booking (IntegrityError, mapped
to AlreadyBooked by the caller). When a step finds no room the statement writes nothing after
it; the one case that has written something by then — the allowance moved, the seat refused —
makes the statement fail (a division by zero in its last line, SQLSTATE 22012), so the
allowance goes back with it: nothing outlives a refusal. Refusals are told apart afterwards,
on the refusal path only, in the ORM path's order: no-shows, already booked, quota, cancelled,
sold out. The row locks are held for the one statement, not across round trips.

SQLite (the embedded mode) keeps the ORM path; ``tourism/tests`` run the booking rules over both.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from functools import cache

from django.db import DataError, connection, router, transaction
from django.db.models.signals import pre_save
from django.tasks.signals import task_enqueued
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from mosprom.tourism import errors, selectors
from mosprom.tourism.models import (
    Booking,
    BookingStatus,
    Participant,
    Session,
    SessionStatus,
)
from mosprom.tourism.personal_data import person_rows
from mosprom.tourism.tasks import booking_confirmed

# Tests switch this off to run the ORM path on PostgreSQL too.
ENABLED = True

BOOK_FIRST_COME = """
WITH guard AS (
    SELECT %(no_show_limit)s = 0 OR (
        SELECT count(*) FROM tourism_booking b
        JOIN tourism_session s ON s.id = b.session_id
        WHERE b.user_id = %(user)s AND s.season_id = %(season)s AND b.no_show
    ) < %(no_show_limit)s AS ok
), allowance AS (
    INSERT INTO tourism_seasonallowance AS a (user_id, season_id, allowed, taken)
    SELECT %(user)s, %(season)s, %(limit)s, %(places)s
    FROM guard WHERE guard.ok AND %(places)s <= %(limit)s
    ON CONFLICT (user_id, season_id) DO UPDATE
        SET taken = a.taken + EXCLUDED.taken, allowed = EXCLUDED.allowed
        WHERE a.taken <= EXCLUDED.allowed - EXCLUDED.taken
    RETURNING a.taken
), seat AS (
    UPDATE tourism_session SET taken = taken + %(places)s
    WHERE id = %(session)s AND status = %(scheduled)s AND taken <= capacity - %(places)s
        AND EXISTS (SELECT FROM allowance)
    RETURNING taken
), booking AS (
    INSERT INTO tourism_booking (created_at, updated_at, session_id, user_id, places, status,
        code, idempotency_key, cancelled_by_session, no_show, reminder_task_id)
    SELECT %(now)s, %(now)s, %(session)s, %(user)s, %(places)s, %(confirmed)s,
        %(code)s, %(key)s, false, false, ''
    FROM seat
    RETURNING id
), people AS (
    INSERT INTO tourism_participant (booking_id, position, full_name, birth_date,
        passport_encrypted)
    SELECT booking.id, p.position, p.full_name, p.birth_date, p.passport
    FROM booking, jsonb_to_recordset(%(people)s::jsonb)
        AS p(position smallint, full_name text, birth_date date, passport text)
    RETURNING id, position
){follow_up}
SELECT (SELECT ok FROM guard), (SELECT taken FROM allowance), (SELECT taken FROM seat),
    (SELECT id FROM booking), (SELECT array_agg(id ORDER BY position) FROM people),
    -- The allowance moved but the seat was refused: fail, so that the allowance goes back.
    CASE WHEN EXISTS (SELECT FROM allowance) THEN 1 / (SELECT count(*) FROM seat)::int END
"""

# The follow-up task's row, its columns taken from the task backend's model; its arguments are
# [the new booking's id, *more_args] (``booking_confirmed(booking_id, with_passports)``).
FOLLOW_UP = """, follow_up AS (
    INSERT INTO {table} ({columns})
    SELECT {values} FROM booking
    RETURNING 1
)"""

SEAT_REFUSED = "22012"  # division_by_zero: the last line of BOOK_FIRST_COME


def keep_as_prefetched(booking: Booking, participants: list[Participant]) -> None:
    """The answer that follows lists them: keep them as ``prefetch_related`` would (no query)."""
    listed = booking.participants.all()
    listed._result_cache, listed._prefetch_done = participants, True
    booking._prefetched_objects_cache = {"participants": listed}


def available() -> bool:
    return ENABLED and connection.vendor == "postgresql"


@cache
def _statement(with_follow_up: bool) -> str:
    """The statement's text, the same string every time (psycopg prepares it by its text)."""
    if not with_follow_up:
        return BOOK_FIRST_COME.replace("{follow_up}", "")
    quote = connection.ops.quote_name
    fields = DBTaskResult._meta.concrete_fields
    values = [
        "jsonb_build_object('args', jsonb_build_array(booking.id) || %(t_more_args)s::jsonb, "
        "'kwargs', '{}'::jsonb)"
        if field.attname == "args_kwargs"
        else f"%(t_{field.attname})s"
        for field in fields
    ]
    follow_up = FOLLOW_UP.format(
        table=quote(DBTaskResult._meta.db_table),
        columns=", ".join(quote(field.column) for field in fields),
        values=", ".join(values),
    )
    return BOOK_FIRST_COME.replace("{follow_up}", follow_up)


def _outbox_backend() -> DatabaseBackend | None:
    """The database task backend, when the follow-up task's rows live in this database."""
    backend = booking_confirmed.get_backend()
    if isinstance(backend, DatabaseBackend) and router.db_for_write(DBTaskResult) == (
        connection.alias
    ):
        return backend
    return None


# Per row only these change; every other column is the same for every follow-up row.
PER_ROW = ("id", "enqueued_at", "args_kwargs")


@cache
def _shared_columns(backend_alias: str, using: str) -> tuple[dict, dict]:
    """The columns every follow-up row shares — their values and the statement's parameters —
    from one row built the way ``DatabaseBackend.enqueue`` builds it: the task's options, the
    model's defaults, its pre_save handlers (``run_after`` None → "at once") and the fields'
    own. Once per process, backend and database."""
    backend = booking_confirmed.get_backend()
    backend.validate_task(booking_confirmed)
    row = DBTaskResult(
        id=backend._get_id(),
        args_kwargs={"args": [], "kwargs": {}},
        priority=booking_confirmed.priority,
        task_path=booking_confirmed.module_path,
        queue_name=booking_confirmed.queue_name,
        run_after=booking_confirmed.run_after,
        backend_name=backend.alias,
    )
    pre_save.send(DBTaskResult, instance=row, raw=False, using=using, update_fields=None)
    shared = [f for f in DBTaskResult._meta.concrete_fields if f.attname not in PER_ROW]
    values = {f.attname: f.pre_save(row, add=True) for f in shared}
    params = {f"t_{f.attname}": f.get_db_prep_save(values[f.attname], connection) for f in shared}
    return values, params


def _follow_up(backend: DatabaseBackend, *, with_passports: bool) -> tuple[DBTaskResult, dict]:
    """The follow-up row (unsaved, its first argument waiting for the booking's id) and the
    statement's parameters for it."""
    values, shared = _shared_columns(backend.alias, connection.alias)
    row = DBTaskResult(
        **values,
        id=backend._get_id(),
        enqueued_at=timezone.now(),  # as auto_now_add
        args_kwargs={"args": [None, with_passports], "kwargs": {}},
    )
    meta = DBTaskResult._meta
    return row, {
        **shared,
        "t_id": meta.pk.get_db_prep_save(row.id, connection),
        "t_enqueued_at": meta.get_field("enqueued_at").get_db_prep_save(
            row.enqueued_at, connection
        ),
        # [the booking's id, *these]: the statement puts the new id first.
        "t_more_args": json.dumps(row.args_kwargs["args"][1:]),
    }


def schedule_booking_work(booking: Booking, *, with_passports: bool) -> None:
    """On commit, one deferred task (``tasks.booking_confirmed``): the confirmation mail, the
    24-hour reminder and the passport purge. (The booking statement writes it itself on the
    database task backend.)"""
    transaction.on_commit(lambda: booking_confirmed.enqueue(booking.pk, with_passports))


def book_first_come(
    *, user, session: Session, people, idempotency_key: str | None, with_passports: bool
) -> Booking:
    """Move both counters, write the booking and its follow-up task in one statement; raise the
    refusal otherwise.

    The statement is its own transaction, or a savepoint inside the caller's (so that its
    failure leaves the caller's transaction usable). A clash on a unique index is raised as
    IntegrityError. On success ``booking.taken_after`` is the session's counter right after this
    booking (the answer needs no re-read)."""
    season = session.season
    booking = Booking(
        session=session, user=user, places=len(people), idempotency_key=idempotency_key
    )
    booking.updated_at = booking.created_at
    participants = person_rows(Participant, people, booking=booking)
    params = {
        "no_show_limit": season.no_show_limit,
        "user": user.pk,
        "season": season.pk,
        "limit": season.places_per_person,
        "places": booking.places,
        "session": session.pk,
        "scheduled": SessionStatus.SCHEDULED.value,
        "confirmed": BookingStatus.CONFIRMED.value,
        "now": booking.created_at,
        "code": booking.code,
        "key": idempotency_key,
        # One JSON parameter rather than four arrays: psycopg dumps arrays in Python.
        "people": json.dumps(
            [
                {
                    "position": p.position,
                    "full_name": p.full_name,
                    "birth_date": p.birth_date and p.birth_date.isoformat(),
                    "passport": p.passport_encrypted,
                }
                for p in participants
            ]
        ),
    }
    backend = _outbox_backend()
    if backend is not None:
        follow_up, follow_up_params = _follow_up(backend, with_passports=with_passports)
        params.update(follow_up_params)
    try:
        own_transaction = transaction.atomic() if connection.in_atomic_block else nullcontext()
        with own_transaction, connection.cursor() as cursor:
            cursor.execute(_statement(backend is not None), params)
            no_shows_ok, allowance, taken, booking_id, participant_ids, _ = cursor.fetchone()
    except DataError as failed:
        if getattr(failed.__cause__, "sqlstate", None) != SEAT_REFUSED:
            raise
        raise _refusal(user=user, session=session, no_shows_ok=True, allowance=True) from None
    if booking_id is None:
        raise _refusal(user=user, session=session, no_shows_ok=no_shows_ok, allowance=allowance)
    booking.pk = booking_id
    booking._state.adding, booking._state.db = False, connection.alias
    for participant, pk in zip(participants, participant_ids, strict=True):
        participant.pk = pk
        participant._state.adding, participant._state.db = False, connection.alias
    keep_as_prefetched(booking, participants)
    booking.taken_after = taken
    if backend is None:
        schedule_booking_work(booking, with_passports=with_passports)
    else:
        follow_up.args_kwargs["args"][0] = booking.pk
        follow_up._state.adding, follow_up._state.db = False, connection.alias
        # What DatabaseBackend.enqueue sends (its receivers log the new task), once the row is
        # committed: the statement is its own transaction or part of the caller's.
        transaction.on_commit(
            lambda: task_enqueued.send(type(backend), task_result=follow_up.task_result)
        )
    return booking


def _refusal(*, user, session: Session, no_shows_ok: bool, allowance) -> errors.TourismError:
    """Which step refused, in the ORM path's order (read on the refusal path only, after the
    statement wrote nothing). ``allowance`` is None when the quota step found no room."""
    season = session.season
    if not no_shows_ok:
        return errors.NoShowLimited(
            count=selectors.no_shows_in_season(user=user, season_id=season.pk)
        )
    if selectors.holds_booking(user=user, session=session):
        return errors.AlreadyBooked()
    if allowance is None:
        return errors.QuotaExceeded(
            allowed=season.places_per_person,
            taken=selectors.allowance_taken(user=user, season_id=season.pk),
        )
    if Session.objects.filter(pk=session.pk, status=SessionStatus.CANCELLED).exists():
        return errors.SessionCancelled()
    return errors.SoldOut()
