"""Booking places on a session, cancelling them, cancelling a whole session.

The counters are the database's (docs/adr/0004-capacity-counters.md): a booking moves the
person's season allowance, then the session's ``taken``, each by one conditional UPDATE, then
inserts the booking, all in one transaction. Every path that moves counters locks rows in the
same order — allowance, session, booking/waitlist entry — so no two transactions wait on each
other in a cycle. Mail and deferred work are scheduled on commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mosprom.core import clock
from mosprom.registry.selectors import user_can_manage_enterprise
from mosprom.tourism import booking_sql, errors, selectors
from mosprom.tourism.booking_sql import schedule_booking_work
from mosprom.tourism.models import (
    Booking,
    BookingStatus,
    Experience,
    IdRequirement,
    LotteryDraw,
    Participant,
    Season,
    SeasonAllowance,
    Session,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from mosprom.tourism.personal_data import passport_normalise, person_rows
from mosprom.tourism.tasks import send_reminder, unschedule

logger = logging.getLogger(__name__)

IDEMPOTENCY_KEY_MAX = 64
FULL_NAME_MAX = 255


@dataclass(frozen=True)
class ParticipantData:
    """A person named on a booking, as typed: the first one is the booker."""

    full_name: str
    birth_date: dt.date | None
    passport: str = ""  # series and number as typed, e.g. "45 06 123456"


@dataclass(frozen=True)
class CheckedPerson:
    full_name: str
    birth_date: dt.date | None
    passport_digits: str


def can_host_session(*, user, session: Session) -> bool:
    """Organisers, and hosts who are members of the session's enterprise."""
    return user_can_manage_enterprise(user=user, enterprise=session.experience.enterprise)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Full years of a person born on ``birth_date`` on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


# --- Rules that need no lock ---------------------------------------------------------------


def format_moment(value: dt.datetime) -> str:
    return formats.date_format(clock.localtime(value), "j E Y, H:i")


def check_can_register(
    *, user, session: Session, sold_out_places: int = 0, count_no_shows: bool = True
) -> None:
    """Raise the refusal that applies to ``user`` registering for ``session`` now, if any.

    Covers the account, the session's state, the registration window and the no-show rule;
    shared by booking and joining the waitlist. With ``sold_out_places``, a session whose
    counter (as read) leaves fewer free places is refused as sold out before any query.
    ``count_no_shows=False`` leaves the no-show rule to the caller's write (``booking_sql``).
    """
    if not user.email_confirmed:
        raise errors.EmailNotConfirmed()
    if session.status != SessionStatus.SCHEDULED:
        raise errors.SessionCancelled()
    if not session.experience.is_published:
        raise errors.NotFound()
    season = session.season
    now = clock.now()
    if now < season.registration_opens_at:
        raise errors.RegistrationNotOpen(opens=format_moment(season.registration_opens_at))
    if now >= session.registration_closes_at():
        raise errors.DeadlinePassed(days=season.close_days_before)
    if sold_out_places and session.taken + sold_out_places > session.capacity:
        # The counter as read for this request already says no: answer before the queries
        # below and the counters' transaction (in a rush most answers are this one). The
        # conditional UPDATE of ``take_session_places`` stays the guarantee.
        raise errors.SoldOut()
    if season.no_show_limit and count_no_shows:
        no_shows = selectors.no_shows_in_season(user=user, season_id=season.pk)
        if no_shows >= season.no_show_limit:
            raise errors.NoShowLimited(count=no_shows)


def _check_participants(
    *, experience: Experience, session: Session, participants: list[ParticipantData]
) -> list[CheckedPerson]:
    session_day = clock.localtime(session.starts_at).date()
    today = clock.today()
    checked = []
    for number, person in enumerate(participants, start=1):
        name = " ".join((person.full_name or "").split())
        label = name or _("Участник %(n)s") % {"n": number}
        if not name:
            raise errors.IdentificationRequired(name=label, what=_("фамилию, имя и отчество"))
        if len(name) > FULL_NAME_MAX:
            raise errors.InvalidRequest(
                ngettext(
                    "%(name)s: ФИО не длиннее %(max)s символа.",
                    "%(name)s: ФИО не длиннее %(max)s символов.",
                    FULL_NAME_MAX,
                ),
                name=label[:40],
                max=FULL_NAME_MAX,
            )
        if person.birth_date is not None and person.birth_date > today:
            raise errors.InvalidRequest(
                _("%(name)s: дата рождения не может быть в будущем."), name=label
            )
        if experience.min_age:
            if person.birth_date is None:
                raise errors.AgeRestricted(
                    ngettext(
                        "%(name)s: укажите дату рождения — участие с %(age)s года.",
                        "%(name)s: укажите дату рождения — участие с %(age)s лет.",
                        experience.min_age,
                    ),
                    name=label,
                    age=experience.min_age,
                )
            if age_on(person.birth_date, session_day) < experience.min_age:
                raise errors.AgeRestricted(name=label, age=experience.min_age)
        digits = ""
        if experience.id_requirement == IdRequirement.PASSPORT:
            try:
                digits = passport_normalise(person.passport)
            except ValueError:
                raise errors.IdentificationRequired(
                    name=label, what=_("серию и номер паспорта (10 цифр)")
                ) from None
        checked.append(
            CheckedPerson(full_name=name, birth_date=person.birth_date, passport_digits=digits)
        )
    return checked


def check_booking_rules(
    *,
    user,
    session: Session,
    participants: list[ParticipantData],
    max_places: int | None = None,
    first_come: bool = False,
    in_statement: bool = False,
) -> list[CheckedPerson]:
    """Every rule of a booking that needs no lock; returns the participants, normalised.

    ``first_come`` (a booking from the open sale, not a waitlist offer that holds its places)
    refuses a session already full by its counter as read, before any query. ``in_statement``
    leaves the no-show limit and "already booked" to the write (``booking_sql``), which
    checks both in the same statement that moves the counters."""
    experience = session.experience
    limit = max_places if max_places is not None else experience.max_places_per_booking
    places = len(participants) if first_come and 1 <= len(participants) <= limit else 0
    check_can_register(
        user=user, session=session, sold_out_places=places, count_no_shows=not in_statement
    )
    if not 1 <= len(participants) <= limit:
        raise errors.TooManyPlaces(max=limit)
    checked = _check_participants(experience=experience, session=session, participants=participants)
    if not in_statement and selectors.holds_booking(user=user, session=session):
        raise errors.AlreadyBooked()
    return checked


# --- Counters (ADR 0004) --------------------------------------------------------------------


def take_allowance(*, user, season: Season, places: int) -> None:
    """Add ``places`` to the person's season allowance or raise QuotaExceeded (locks the row)."""
    SeasonAllowance.objects.bulk_create(
        [SeasonAllowance(user=user, season=season, allowed=season.places_per_person)],
        ignore_conflicts=True,
    )
    # The limit is the season's current rule, written back so the CHECK guards the same number.
    limit = season.places_per_person
    took = SeasonAllowance.objects.filter(
        user=user, season=season, taken__lte=limit - places
    ).update(taken=F("taken") + places, allowed=limit)
    if not took:
        taken = selectors.allowance_taken(user=user, season_id=season.pk)
        raise errors.QuotaExceeded(allowed=limit, taken=taken)


def take_session_places(*, session: Session, places: int) -> None:
    """Add ``places`` to the session's ``taken`` or raise SoldOut / SessionCancelled."""
    took = Session.objects.filter(
        pk=session.pk, status=SessionStatus.SCHEDULED, taken__lte=F("capacity") - places
    ).update(taken=F("taken") + places)
    if not took:
        if Session.objects.filter(pk=session.pk, status=SessionStatus.CANCELLED).exists():
            raise errors.SessionCancelled()
        raise errors.SoldOut()


def release_session_places(*, session_id: int, places: int) -> None:
    """Take ``places`` off the session's ``taken`` (never below zero)."""
    moved = Session.objects.filter(pk=session_id, taken__gte=places).update(
        taken=F("taken") - places
    )
    if not moved:
        logger.error("session %s: cannot release %s places, counter lower", session_id, places)


def _release_allowance(*, user_id: int, season_id: int, places: int) -> None:
    moved = SeasonAllowance.objects.filter(
        user_id=user_id, season_id=season_id, taken__gte=places
    ).update(taken=F("taken") - places)
    if not moved:
        logger.error("allowance %s@%s: cannot release %s places", user_id, season_id, places)


def lock_allowances(*, season_id: int, user_ids) -> None:
    list(
        SeasonAllowance.objects.select_for_update()
        .filter(season_id=season_id, user_id__in=list(user_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def lock_session(session_id: int) -> Session:
    """Lock the session row for the rest of the transaction and return it fresh."""
    return Session.objects.select_for_update().get(pk=session_id)


# --- Booking --------------------------------------------------------------------------------


def _clean_key(key: str | None) -> str | None:
    key = (key or "").strip()
    if not key:
        return None
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise errors.InvalidRequest(
            ngettext(
                "Ключ идемпотентности не длиннее %(max)s символа.",
                "Ключ идемпотентности не длиннее %(max)s символов.",
                IDEMPOTENCY_KEY_MAX,
            ),
            max=IDEMPOTENCY_KEY_MAX,
        )
    return key


def _booking_by_key(user, key: str) -> Booking | None:
    return Booking.objects.filter(user=user, idempotency_key=key).first()


def insert_booking(
    *, user, session: Session, people: list[CheckedPerson], idempotency_key: str | None = None
) -> Booking:
    """Write the booking and its participants (counters already moved by the caller)."""
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                session=session, user=user, places=len(people), idempotency_key=idempotency_key
            )
    except IntegrityError as clash:
        # One active booking per person and session, one answer per idempotency key.
        raise errors.AlreadyBooked() from clash
    written = Participant.objects.bulk_create(person_rows(Participant, people, booking=booking))
    booking_sql.keep_as_prefetched(booking, written)
    return booking


def refuse_until_drawn(session: Session) -> None:
    """A lottery session takes applications, not bookings, until its draw has run; the
    places the draw leaves free are then booked first come, first served."""
    if (
        session.is_lottery
        and not LotteryDraw.objects.filter(session_id=session.pk, drawn_at__isnull=False).exists()
    ):
        from mosprom.tourism.errors_lottery import LotterySession

        raise LotterySession()


def booking_create(
    *,
    user,
    session: Session,
    participants: list[ParticipantData],
    idempotency_key: str | None = None,
) -> Booking:
    """Confirm one place per participant, or raise a TourismError and change nothing.

    Never exceeds the session's capacity or the person's season quota under any concurrency;
    a retry with the same idempotency key returns the first booking.
    """
    key = _clean_key(idempotency_key)
    if key and (first := _booking_by_key(user, key)) is not None:
        return first
    refuse_until_drawn(session)
    in_statement = booking_sql.available()
    try:
        people = check_booking_rules(
            user=user,
            session=session,
            participants=participants,
            first_come=True,
            in_statement=in_statement,
        )
        with_passports = any(person.passport_digits for person in people)
        try:
            if in_statement:  # one statement, its own transaction (or a savepoint)
                booking = booking_sql.book_first_come(
                    user=user,
                    session=session,
                    people=people,
                    idempotency_key=key,
                    with_passports=with_passports,
                )
            else:
                with transaction.atomic():
                    take_allowance(user=user, season=session.season, places=len(people))
                    take_session_places(session=session, places=len(people))
                    booking = insert_booking(
                        user=user, session=session, people=people, idempotency_key=key
                    )
                    schedule_booking_work(booking, with_passports=with_passports)
        except IntegrityError as clash:
            # One active booking per person and session, one answer per idempotency key.
            raise errors.AlreadyBooked() from clash
    except errors.TourismError:
        # A retry that raced its own first attempt gets the first attempt's answer.
        if key and (first := _booking_by_key(user, key)) is not None:
            return first
        raise
    return booking


# --- Cancelling ----------------------------------------------------------------------------


def booking_cancel(*, booking: Booking, actor) -> Booking:
    """Cancel a booking and free its places at once; cancelling twice changes nothing.

    The booker, the session's hosts and organisers may cancel until the session starts. The
    freed places go to the waitlist.
    """
    from mosprom.tourism.waitlist import waitlist_offer_next

    session = booking.session
    if booking.user_id != actor.pk and not can_host_session(user=actor, session=session):
        raise errors.Forbidden()
    if booking.status == BookingStatus.CANCELLED:
        return booking
    if booking.checked_in_at is not None or session.starts_at <= clock.now():
        raise errors.NotCancellable()
    with transaction.atomic():
        lock_allowances(season_id=session.season_id, user_ids=[booking.user_id])
        current = Booking.objects.select_for_update().get(pk=booking.pk)
        if current.status == BookingStatus.CONFIRMED:
            Booking.objects.filter(pk=booking.pk).update(
                status=BookingStatus.CANCELLED, cancelled_at=clock.now(), reminder_task_id=""
            )
            _release_allowance(
                user_id=current.user_id, season_id=session.season_id, places=current.places
            )
            release_session_places(session_id=session.pk, places=current.places)
            unschedule(send_reminder, current.reminder_task_id)
            waitlist_offer_next(session=session)
    booking.refresh_from_db()
    return booking


def session_cancel(*, session: Session, actor, reason: str) -> Session:
    """Cancel a session: every booking cancelled and told by mail, the waitlist closed, places
    and quotas released, all in one transaction; cancelling twice changes nothing."""
    if not can_host_session(user=actor, session=session):
        raise errors.Forbidden()
    if session.status == SessionStatus.CANCELLED:
        return session
    if session.ends_at <= clock.now():
        raise errors.NotCancellable(_("Сеанс уже прошёл, его нельзя отменить."))
    now = clock.now()
    with transaction.atomic():
        bookers = Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED)
        lock_allowances(
            season_id=session.season_id, user_ids=set(bookers.values_list("user_id", flat=True))
        )
        flipped = Session.objects.filter(pk=session.pk, status=SessionStatus.SCHEDULED).update(
            status=SessionStatus.CANCELLED,
            cancelled_at=now,
            cancel_reason=(reason or "").strip(),
            taken=0,  # every booking and open offer below is closed in this transaction
        )
        if flipped:
            cancelled = list(
                bookers.select_for_update()
                .order_by("pk")
                .values("pk", "user_id", "places", "reminder_task_id")
            )
            Booking.objects.filter(pk__in=[row["pk"] for row in cancelled]).update(
                status=BookingStatus.CANCELLED,
                cancelled_at=now,
                cancelled_by_session=True,
                reminder_task_id="",
            )
            per_user = Counter()
            for row in cancelled:
                per_user[row["user_id"]] += row["places"]
            for user_id, places in sorted(per_user.items()):
                _release_allowance(user_id=user_id, season_id=session.season_id, places=places)
            WaitlistEntry.objects.filter(
                session=session, status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
            ).update(status=WaitlistStatus.EXPIRED, closed_at=now)
            for row in cancelled:
                unschedule(send_reminder, row["reminder_task_id"])
            booking_ids = [row["pk"] for row in cancelled]
            transaction.on_commit(lambda: _notify_session_cancelled(booking_ids))
    session.refresh_from_db()
    return session


def _notify_session_cancelled(booking_ids: list[int]) -> None:
    from mosprom.tourism.notifications import send_session_cancelled

    for booking_id in booking_ids:
        send_session_cancelled.enqueue(booking_id)
