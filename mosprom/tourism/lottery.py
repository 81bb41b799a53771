"""Lottery sessions: applications during the registration window, one seeded draw at the close.

The draw is reproducible by anyone holding the applications: the seed is the SHA-256 of the
closing time and the sorted ids of the applications in the draw, the order a shuffle of the
eligible ids by ``random.Random(seed)``. Winners are booked through the booking counters
(``take_allowance`` then ``take_session_places``, ADR 0004), so the season quota holds across
draws and first-come bookings; an applicant the quota cannot seat is skipped for the next one.
Applicants who do not fit join the waitlist in drawn order. A person (normalised full name and
birth date) named in more than one application of a draw voids all those applications.

Locks: the draw row (serialises applications against the draw), then the applicants'
allowances in primary-key order, then the session — the booking path's order after the first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mosprom.core import clock
from mosprom.tourism import errors
from mosprom.tourism import errors_lottery as lottery_errors
from mosprom.tourism.booking import (
    CheckedPerson,
    ParticipantData,
    check_booking_rules,
    insert_booking,
    lock_allowances,
    lock_session,
    schedule_booking_work,
    take_allowance,
    take_session_places,
)
from mosprom.tourism.models import (
    LotteryApplication,
    LotteryDraw,
    LotteryParticipant,
    LotteryStatus,
    Participant,
    SeasonAllowance,
    Session,
    SessionStatus,
    WaitlistEntry,
)
from mosprom.tourism.personal_data import person_rows
from mosprom.tourism.tasks import run_lottery_draw, schedule_at, send_lottery_outcome

OUTCOMES = ("won", "waitlisted", "lost", "void")


# --- The published arithmetic ------------------------------------------------------------------


def lottery_seed(*, application_ids, closes_at: dt.datetime) -> str:
    """The draw's seed: sha256 of the closing time (UTC, ISO 8601) and the sorted ids."""
    moment = closes_at.astimezone(dt.UTC).isoformat()
    ids = ",".join(str(pk) for pk in sorted(application_ids))
    return hashlib.sha256(f"{moment}|{ids}".encode()).hexdigest()


def lottery_order(*, application_ids, seed: str) -> list[int]:
    """The drawn order: the sorted ids shuffled by ``random.Random`` seeded with ``seed``."""
    order = sorted(application_ids)
    random.Random(int(seed, 16)).shuffle(order)  # noqa: S311 - reproducible on purpose
    return order


def person_key(full_name: str, birth_date: dt.date | None) -> tuple[str, str]:
    """Who a named participant is, for the duplicate rule: case- and space-insensitive name
    (ё = е) and birth date."""
    name = " ".join((full_name or "").split()).casefold().replace("ё", "е")
    return name, birth_date.isoformat() if birth_date else ""


def duplicated_applications(applications) -> dict[int, str]:
    """Application id → the full name of a person also named in another application."""
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    names: dict[tuple[str, str], str] = {}
    for application in applications:
        for person in application.participants.all():
            key = person_key(person.full_name, person.birth_date)
            seen[key].add(application.pk)
            names.setdefault(key, person.full_name)
    void: dict[int, str] = {}
    for key, ids in seen.items():
        if len(ids) > 1:
            for pk in ids:
                void.setdefault(pk, names[key])
    return void


def mask_name(full_name: str) -> str:
    """«Иванов Иван Иванович» → «И***в И. И.» for the public result."""
    parts = full_name.split()
    if not parts:
        return "***"
    surname = parts[0]
    head = f"{surname[0]}***{surname[-1]}" if len(surname) > 2 else f"{surname[0]}***"
    return " ".join([head, *(f"{part[0]}." for part in parts[1:])])


# --- Applying ----------------------------------------------------------------------------------


def lottery_closes_at(session: Session) -> dt.datetime:
    """When applications close and the draw runs: a day before the session's registration
    closes, so that places the winners give back can still be offered to the waitlist."""
    return session.registration_closes_at() - dt.timedelta(days=1)


def lottery_schedule_draw(*, session: Session) -> None:
    """On commit: the draw task at the session's registration close (call when a session is
    set to lottery; applying calls it for the first application)."""
    closes_at = lottery_closes_at(session)
    session_id = session.pk
    transaction.on_commit(lambda: schedule_at(run_lottery_draw, closes_at, session_id))


def lottery_apply(
    *, user, session: Session, participants: list[ParticipantData]
) -> LotteryApplication:
    """Enter ``user`` and their named companions in the session's draw, or raise a TourismError
    and change nothing. One active application per person and session (a unique constraint)."""
    if session.status == SessionStatus.SCHEDULED and not session.is_lottery:
        raise lottery_errors.NotLottery()
    people = check_booking_rules(user=user, session=session, participants=participants)
    allowance = SeasonAllowance.objects.filter(user=user, season_id=session.season_id).first()
    taken = allowance.taken if allowance else 0
    if taken + len(people) > session.season.places_per_person:
        raise errors.QuotaExceeded(allowed=session.season.places_per_person, taken=taken)
    with transaction.atomic():
        draw, created = LotteryDraw.objects.get_or_create(
            session=session, defaults={"closes_at": lottery_closes_at(session)}
        )
        draw = LotteryDraw.objects.select_for_update().get(pk=draw.pk)
        if draw.is_drawn or clock.now() >= lottery_closes_at(session):
            raise lottery_errors.LotteryClosed()
        try:
            with transaction.atomic():
                application = LotteryApplication.objects.create(
                    session=session, user=user, places=len(people)
                )
        except IntegrityError as clash:
            raise lottery_errors.AlreadyApplied() from clash
        LotteryParticipant.objects.bulk_create(
            person_rows(LotteryParticipant, people, application=application)
        )
        if created:
            lottery_schedule_draw(session=session)
    return application


def lottery_withdraw(*, application: LotteryApplication, actor) -> LotteryApplication:
    """Take an application out of the draw before the close; withdrawing twice changes nothing."""
    if application.user_id != actor.pk and not actor.is_organiser:
        raise errors.Forbidden()
    if application.status == LotteryStatus.WITHDRAWN:
        return application
    with transaction.atomic():
        draw = LotteryDraw.objects.select_for_update().filter(session_id=application.session_id)
        draw = draw.first()
        closed = draw is None or draw.is_drawn or clock.now() >= draw.closes_at
        if closed or application.status != LotteryStatus.APPLIED:
            raise lottery_errors.NotWithdrawable()
        LotteryApplication.objects.filter(pk=application.pk, status=LotteryStatus.APPLIED).update(
            status=LotteryStatus.WITHDRAWN, withdrawn_at=clock.now()
        )
    application.refresh_from_db()
    return application


# --- The draw ----------------------------------------------------------------------------------


@dataclass
class _Outcome:
    status: str
    text: str = ""
    booking: object = None


def _entries(session: Session):
    return list(
        LotteryApplication.objects.filter(session_id=session.pk)
        .exclude(status=LotteryStatus.WITHDRAWN)
        .select_related("user")
        .prefetch_related("participants")
        .order_by("pk")
    )


def lottery_draw(*, session: Session) -> LotteryDraw:
    """Draw the session once its applications have closed; drawing again returns the first draw.

    Publishes seed, order and result; books the winners (tickets by the usual mail) within
    capacity and each winner's season quota; queues the others who fit the quota on the
    waitlist in drawn order; voids applications that share a named person.
    """
    with transaction.atomic():
        draw, _created = LotteryDraw.objects.get_or_create(
            session=session, defaults={"closes_at": lottery_closes_at(session)}
        )
        draw = LotteryDraw.objects.select_for_update().get(pk=draw.pk)
        if draw.is_drawn:
            return draw
        closes_at = lottery_closes_at(session)
        if clock.now() < closes_at:
            raise errors.TourismError(_("Приём заявок ещё не закрыт."))
        applications = _entries(session)
        season = session.season
        SeasonAllowance.objects.bulk_create(
            [
                SeasonAllowance(user_id=uid, season=season, allowed=season.places_per_person)
                for uid in sorted({a.user_id for a in applications})
            ],
            ignore_conflicts=True,
        )
        lock_allowances(season_id=season.pk, user_ids={a.user_id for a in applications})
        locked = lock_session(session.pk)
        seed = lottery_seed(application_ids=[a.pk for a in applications], closes_at=closes_at)
        void = duplicated_applications(applications)
        order = lottery_order(
            application_ids=[a.pk for a in applications if a.pk not in void], seed=seed
        )
        by_id = {a.pk: a for a in applications}
        outcomes: dict[int, _Outcome] = {
            pk: _Outcome(
                "void",
                _(
                    "Заявка аннулирована: %(name)s указан(а) в нескольких заявках этого "
                    "розыгрыша. Каждого участника можно назвать только в одной заявке."
                )
                % {"name": name},
            )
            for pk, name in void.items()
        }
        waitlist = []
        for pk in order:
            outcomes[pk] = _seat(session=locked, application=by_id[pk], waitlist=waitlist)
        WaitlistEntry.objects.bulk_create(waitlist)
        result = {key: [] for key in OUTCOMES}
        for pk in [*order, *sorted(void)]:
            result[outcomes[pk].status].append(pk)
            application = by_id[pk]
            application.status = (
                LotteryStatus.WON
                if outcomes[pk].status == "won"
                else LotteryStatus.VOID
                if outcomes[pk].status == "void"
                else LotteryStatus.LOST
            )
            application.outcome = outcomes[pk].text
            application.booking = outcomes[pk].booking
        LotteryApplication.objects.bulk_update(applications, ["status", "outcome", "booking"])
        told = [pk for pk in [*order, *sorted(void)] if outcomes[pk].status != "won"]
        transaction.on_commit(lambda: _tell_outcomes(told))
        draw.closes_at, draw.seed, draw.order, draw.result = closes_at, seed, order, result
        draw.drawn_at = clock.now()
        draw.save(update_fields=["closes_at", "seed", "order", "result", "drawn_at"])
    return draw


def _tell_outcomes(application_ids: list[int]) -> None:
    for pk in application_ids:
        send_lottery_outcome.enqueue(pk)


def _seat(*, session: Session, application: LotteryApplication, waitlist: list) -> _Outcome:
    people = list(application.participants.all())
    if session.status != SessionStatus.SCHEDULED:
        return _Outcome("lost", _("Сеанс отменён."))
    try:
        with transaction.atomic():
            take_allowance(user=application.user, season=session.season, places=len(people))
            take_session_places(session=session, places=len(people))
            booking = insert_booking(
                user=application.user,
                session=session,
                people=[CheckedPerson(p.full_name, p.birth_date, "") for p in people],
            )
    except errors.QuotaExceeded as refusal:
        return _Outcome("lost", refusal.text)
    except errors.SoldOut:
        waitlist.append(
            WaitlistEntry(session=session, user=application.user, places=application.places)
        )
        return _Outcome(
            "waitlisted",
            _("Мест не хватило: вы в листе ожидания, номер %(n)s.") % {"n": len(waitlist)},
        )
    except errors.TourismError as refusal:
        return _Outcome("lost", refusal.text)
    with_passports = any(p.passport_encrypted for p in people)
    if with_passports:
        for source in people:
            Participant.objects.filter(booking=booking, position=source.position).update(
                passport_encrypted=source.passport_encrypted
            )
    schedule_booking_work(booking, with_passports=with_passports)
    return _Outcome("won", _("Места выиграны: билет отправлен на почту."), booking)


# --- Verification and the public result -------------------------------------------------------


def lottery_verify(*, session: Session) -> list[str]:
    """Recompute seed, order and the void set from the stored applications and compare them
    with the published draw; returns the differences (empty when the result is confirmed)."""
    draw = LotteryDraw.objects.filter(session=session).first()
    if draw is None or not draw.is_drawn:
        return ["the draw has not taken place"]
    applications = _entries(session)
    problems = []
    seed = lottery_seed(application_ids=[a.pk for a in applications], closes_at=draw.closes_at)
    if seed != draw.seed:
        problems.append(f"seed differs: published {draw.seed}, recomputed {seed}")
    void = duplicated_applications(applications)
    order = lottery_order(
        application_ids=[a.pk for a in applications if a.pk not in void], seed=seed
    )
    if order != draw.order:
        problems.append("order differs from the recomputed order")
    result = draw.result or {}
    if sorted(result.get("void", [])) != sorted(void):
        problems.append("void applications differ")
    drawn = [pk for key in ("won", "waitlisted", "lost") for pk in result.get(key, [])]
    if sorted(drawn) != sorted(order):
        problems.append("result does not cover the drawn order exactly")
    position = {pk: n for n, pk in enumerate(order)}
    for key in ("won", "waitlisted", "lost"):
        ranks = [position.get(pk, -1) for pk in result.get(key, [])]
        if ranks != sorted(ranks):
            problems.append(f"{key} is not in drawn order")
    expected = {"won": LotteryStatus.WON, "waitlisted": LotteryStatus.LOST}
    expected |= {"lost": LotteryStatus.LOST, "void": LotteryStatus.VOID}
    by_id = {a.pk: a for a in applications}
    for key, status in expected.items():
        for pk in result.get(key, []):
            application = by_id.get(pk)
            if application is None or application.status != status:
                problems.append(f"application {pk} is not {status} as published ({key})")
            elif key == "won" and application.booking_id is None:
                problems.append(f"winning application {pk} has no booking")
    return problems


@dataclass(frozen=True)
class ResultRow:
    position: int | None
    name: str
    places: int
    outcome: str


def lottery_result(*, session: Session) -> tuple[LotteryDraw | None, list[ResultRow]]:
    """The published draw of a session and its rows in drawn order (void ones last), names
    masked; public, so nothing personal beyond the mask."""
    draw = LotteryDraw.objects.filter(session=session, drawn_at__isnull=False).first()
    if draw is None:
        return None, []
    applications = {a.pk: a for a in _entries(session)}
    labels = {
        "won": _("выигрыш"),
        "waitlisted": _("лист ожидания"),
        "lost": _("не выиграла"),
        "void": _("аннулирована"),
    }
    status_of = {pk: key for key, ids in draw.result.items() for pk in ids}
    rows = []
    for position, pk in enumerate([*draw.order, *draw.result.get("void", [])], start=1):
        application = applications.get(pk)
        if application is None:
            continue
        people = list(application.participants.all())
        rows.append(
            ResultRow(
                position=position if pk in draw.order else None,
                name=mask_name(people[0].full_name if people else ""),
                places=application.places,
                outcome=str(labels.get(status_of.get(pk, ""), "")),
            )
        )
    return draw, rows
