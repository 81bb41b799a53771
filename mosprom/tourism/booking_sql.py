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
4. ``booking`` and ``people``: the rows, only if the seat was taken.

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

from contextlib import nullcontext

from django.db import DataError, connection, transaction

from mosprom.tourism import errors, selectors
from mosprom.tourism.models import (
    Booking,
    BookingStatus,
    Participant,
    Session,
    SessionStatus,
)
from mosprom.tourism.personal_data import passport_encrypt

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
    FROM booking, unnest(%(positions)s::smallint[], %(names)s::text[], %(births)s::date[],
        %(passports)s::text[]) AS p(position, full_name, birth_date, passport)
    RETURNING id, position
)
SELECT (SELECT ok FROM guard), (SELECT taken FROM allowance), (SELECT taken FROM seat),
    (SELECT id FROM booking), (SELECT array_agg(id ORDER BY position) FROM people),
    -- The allowance moved but the seat was refused: fail, so that the allowance goes back.
    CASE WHEN EXISTS (SELECT FROM allowance) THEN 1 / (SELECT count(*) FROM seat)::int END
"""

SEAT_REFUSED = "22012"  # division_by_zero: the last line of BOOK_FIRST_COME


def participants_of(booking: Booking, people) -> list[Participant]:
    """The participant rows of ``booking`` (unsaved), in order: the first is the booker."""
    return [
        Participant(
            booking=booking,
            position=position,
            full_name=person.full_name,
            birth_date=person.birth_date,
            passport_encrypted=passport_encrypt(person.passport_digits),
        )
        for position, person in enumerate(people)
    ]


def keep_as_prefetched(booking: Booking, participants: list[Participant]) -> None:
    """The answer that follows lists them: keep them as ``prefetch_related`` would (no query)."""
    listed = booking.participants.all()
    listed._result_cache, listed._prefetch_done = participants, True
    booking._prefetched_objects_cache = {"participants": listed}


def available() -> bool:
    return ENABLED and connection.vendor == "postgresql"


def book_first_come(*, user, session: Session, people, idempotency_key: str | None) -> Booking:
    """Move both counters and write the booking in one statement; raise the refusal otherwise.

    The statement is its own transaction, or a savepoint inside the caller's (so that its
    failure leaves the caller's transaction usable). A clash on a unique index is raised as
    IntegrityError. On success ``booking.taken_after`` is the session's counter right after this
    booking (the answer needs no re-read)."""
    season = session.season
    booking = Booking(
        session=session, user=user, places=len(people), idempotency_key=idempotency_key
    )
    booking.updated_at = booking.created_at
    participants = participants_of(booking, people)
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
        "positions": [p.position for p in participants],
        "names": [p.full_name for p in participants],
        "births": [p.birth_date for p in participants],
        "passports": [p.passport_encrypted for p in participants],
    }
    try:
        own_transaction = transaction.atomic() if connection.in_atomic_block else nullcontext()
        with own_transaction, connection.cursor() as cursor:
            cursor.execute(BOOK_FIRST_COME, params)
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
