"""Lottery sessions: applying, withdrawing, the seeded draw, --verify, quota and duplicates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.tourism import errors
from mosprom.tourism import errors_lottery as lottery_errors
from mosprom.tourism.booking import ParticipantData
from mosprom.tourism.lottery import (
    lottery_apply,
    lottery_closes_at,
    lottery_draw,
    lottery_order,
    lottery_result,
    lottery_seed,
    lottery_verify,
    lottery_withdraw,
    mask_name,
)
from mosprom.tourism.models import (
    AllocationMode,
    Booking,
    BookingStatus,
    LotteryApplication,
    LotteryDraw,
    LotteryStatus,
    SeasonAllowance,
    Session,
    WaitlistEntry,
    WaitlistStatus,
)
from mosprom.tourism.tasks import run_lottery_draw
from mosprom.tourism.tests.factories import (
    ADULT_BIRTH_DATE,
    enqueued,
    make_season,
    make_session,
    use_dummy_tasks,
)

pytestmark = pytest.mark.django_db

_names = iter(range(1, 10**6))


def person(name: str | None = None, birth_date: dt.date = ADULT_BIRTH_DATE) -> ParticipantData:
    return ParticipantData(
        full_name=name or f"Заявителев Иван {next(_names)}", birth_date=birth_date
    )


def lottery_session(**fields) -> Session:
    fields.setdefault("mode", AllocationMode.LOTTERY)
    return make_session(**fields)


def apply(session: Session, places: int = 1, user=None, people=None) -> LotteryApplication:
    return lottery_apply(
        user=user or make_user(),
        session=session,
        participants=people or [person() for _ in range(places)],
    )


def after_close(session: Session):
    return clock.frozen(session.registration_closes_at() + dt.timedelta(minutes=1))


# --- Modes -------------------------------------------------------------------------------------


def test_session_mode_overrides_the_season():
    lottery_season = make_season(mode=AllocationMode.LOTTERY)
    assert make_session(season=lottery_season).is_lottery
    assert not make_session(season=lottery_season, mode=AllocationMode.FIRST_COME).is_lottery
    assert make_session(mode=AllocationMode.LOTTERY).is_lottery
    assert not make_session().is_lottery


# --- Applying and withdrawing -------------------------------------------------------------------


def test_apply_stores_the_named_people_and_schedules_the_draw_at_the_close(
    settings, django_capture_on_commit_callbacks
):
    backend = use_dummy_tasks(settings)
    session = lottery_session()
    with django_capture_on_commit_callbacks(execute=True):
        first = apply(session, places=2)
        apply(session)
    assert first.status == LotteryStatus.APPLIED
    assert first.places == 2
    assert [p.position for p in first.participants.all()] == [0, 1]
    draw = LotteryDraw.objects.get(session=session)
    assert draw.closes_at == lottery_closes_at(session)
    assert not draw.is_drawn
    scheduled = enqueued(backend, run_lottery_draw)
    assert len(scheduled) == 1, "only the first application schedules the draw"
    assert scheduled[0].args == [session.pk]
    assert scheduled[0].task.run_after == lottery_closes_at(session)


def test_apply_refusals():
    session = lottery_session()
    with pytest.raises(errors.EmailNotConfirmed):
        apply(session, user=make_user(confirmed=False))
    with pytest.raises(lottery_errors.NotLottery):
        apply(make_session())
    with pytest.raises(errors.TooManyPlaces):
        apply(session, places=session.experience.max_places_per_booking + 1)
    user = make_user()
    apply(session, user=user)
    with pytest.raises(lottery_errors.AlreadyApplied) as refused:
        apply(session, user=user)
    assert refused.value.code == "already_applied"
    with after_close(session), pytest.raises(errors.DeadlinePassed):
        apply(session)
    early = lottery_session(season=make_season(registration_opens_at=clock.now() + dt.timedelta(1)))
    with pytest.raises(errors.RegistrationNotOpen):
        apply(early)
    assert LotteryApplication.objects.filter(session=session).count() == 1


def test_apply_refuses_more_than_the_season_quota_already_held():
    season = make_season(places_per_person=2)
    user = make_user()
    SeasonAllowance.objects.create(user=user, season=season, allowed=2, taken=1)
    with pytest.raises(errors.QuotaExceeded):
        apply(lottery_session(season=season), places=2, user=user)


def test_withdraw_before_the_close_then_apply_again_but_not_after_the_draw():
    session = lottery_session()
    user = make_user()
    application = apply(session, user=user)
    with pytest.raises(errors.Forbidden):
        lottery_withdraw(application=application, actor=make_user())
    withdrawn = lottery_withdraw(application=application, actor=user)
    assert withdrawn.status == LotteryStatus.WITHDRAWN
    assert lottery_withdraw(application=withdrawn, actor=user).status == LotteryStatus.WITHDRAWN
    again = apply(session, user=user)
    with after_close(session):
        lottery_draw(session=session)
        with pytest.raises(lottery_errors.NotWithdrawable):
            lottery_withdraw(application=again, actor=user)
    again.refresh_from_db()
    assert again.status == LotteryStatus.WON


# --- The draw ----------------------------------------------------------------------------------


def test_draw_refuses_before_the_close_and_the_task_waits():
    session = lottery_session()
    apply(session)
    with pytest.raises(errors.TourismError):
        lottery_draw(session=session)
    assert run_lottery_draw.call(session.pk) is False
    assert not LotteryDraw.objects.get(session=session).is_drawn
    with after_close(session):
        assert run_lottery_draw.call(session.pk) is True
        assert run_lottery_draw.call(session.pk) is False, "drawn once"


def test_winners_are_booked_with_tickets_and_the_rest_waitlisted_in_drawn_order(
    django_capture_on_commit_callbacks,
):
    session = lottery_session(capacity=3)
    applications = [apply(session) for _ in range(5)]
    mail.outbox.clear()
    with after_close(session), django_capture_on_commit_callbacks(execute=True):
        draw = lottery_draw(session=session)
    assert draw.is_drawn
    assert sorted(draw.order) == sorted(a.pk for a in applications)
    assert len(draw.result["won"]) == 3
    assert draw.result["waitlisted"] == draw.order[3:]
    session.refresh_from_db()
    assert session.taken == 3
    won = LotteryApplication.objects.filter(session=session, status=LotteryStatus.WON)
    assert {a.pk for a in won} == set(draw.order[:3])
    bookings = Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED)
    assert {b.pk for b in bookings} == {a.booking_id for a in won}
    assert all(b.participants.count() == 1 for b in bookings)
    winners = {a.user.email for a in won}
    tickets = [m for m in mail.outbox if m.to[0] in winners]
    assert len(tickets) == 3
    assert all(m.attachments for m in tickets), "tickets carry their .ics and QR"
    told = [m for m in mail.outbox if m.to[0] not in winners]
    assert len(told) == 2
    assert all(m.subject.startswith("Итоги розыгрыша") for m in told)
    assert all("листе ожидания, номер" in m.body for m in told)
    assert all(f"/tours/sessions/{session.pk}/lottery/result/" in m.body for m in told)
    waiting = list(
        WaitlistEntry.objects.filter(session=session, status=WaitlistStatus.WAITING).order_by(
            "created_at", "id"
        )
    )
    by_user = {a.user_id: a.pk for a in applications}
    assert [by_user[e.user_id] for e in waiting] == draw.order[3:]
    assert lottery_verify(session=session) == []
    with after_close(session):
        assert lottery_draw(session=session).seed == draw.seed, "a second draw changes nothing"
    assert Booking.objects.filter(session=session).count() == 3


def test_winners_keep_their_companions_and_passports():
    from mosprom.tourism.models import IdRequirement
    from mosprom.tourism.tests.factories import PASSPORT, make_experience

    session = lottery_session(experience=make_experience(id_requirement=IdRequirement.PASSPORT))
    people = [
        ParticipantData("Иванов Иван Иванович", ADULT_BIRTH_DATE, PASSPORT),
        ParticipantData("Иванова Мария Ивановна", ADULT_BIRTH_DATE, PASSPORT),
    ]
    application = apply(session, people=people)
    with after_close(session):
        lottery_draw(session=session)
    application.refresh_from_db()
    names = [p.full_name for p in application.booking.participants.all()]
    assert names == ["Иванов Иван Иванович", "Иванова Мария Ивановна"]
    assert all(p.passport_encrypted for p in application.booking.participants.all())


def test_same_applications_and_seed_give_the_same_result():
    closes = dt.datetime(2026, 9, 1, 21, 0, tzinfo=dt.UTC)
    ids = [5, 17, 3, 42, 8, 11]
    seed = lottery_seed(application_ids=ids, closes_at=closes)
    assert seed == lottery_seed(application_ids=list(reversed(ids)), closes_at=closes)
    assert seed != lottery_seed(application_ids=ids, closes_at=closes + dt.timedelta(seconds=1))
    assert seed != lottery_seed(application_ids=ids[:-1], closes_at=closes)
    assert lottery_order(application_ids=ids, seed=seed) == lottery_order(
        application_ids=sorted(ids), seed=seed
    )
    # Pinned: the published arithmetic must not drift between releases.
    assert seed == "a57a5981bea8bede0c31d8550fda8b24086d51a82f2bb82ebd4dce0a2527b87a"
    assert lottery_order(application_ids=ids, seed=seed) == [11, 3, 8, 42, 17, 5]


@given(st.sets(st.integers(min_value=1, max_value=10**9), max_size=60), st.text(min_size=1))
def test_order_is_a_deterministic_permutation(ids, salt):
    closes = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    seed = lottery_seed(application_ids=ids, closes_at=closes)
    order = lottery_order(application_ids=ids, seed=seed)
    assert sorted(order) == sorted(ids)
    assert order == lottery_order(application_ids=list(ids), seed=seed)


def test_draw_on_identical_applications_gives_the_identical_order():
    session = lottery_session(capacity=2)
    for _ in range(6):
        apply(session)
    with after_close(session):
        draw = lottery_draw(session=session)
    ids = list(LotteryApplication.objects.filter(session=session).values_list("pk", flat=True))
    seed = lottery_seed(application_ids=ids, closes_at=draw.closes_at)
    assert draw.seed == seed
    assert draw.order == lottery_order(application_ids=ids, seed=seed)


def _drawn_session(capacity=2, count=5) -> Session:
    session = lottery_session(capacity=capacity)
    for _ in range(count):
        apply(session)
    with after_close(session):
        lottery_draw(session=session)
    return session


def test_verify_command_confirms_an_untouched_draw(capsys):
    session = _drawn_session()
    call_command("lottery_draw", str(session.pk), "--verify")
    out = capsys.readouterr().out
    assert "draw confirmed" in out
    assert LotteryDraw.objects.get(session=session).seed in out


@pytest.mark.parametrize("tamper", ["order", "seed", "result", "closes_at", "status"])
def test_verify_command_detects_a_tampered_draw(tamper):
    session = _drawn_session()
    draw = LotteryDraw.objects.get(session=session)
    if tamper == "order":
        draw.order = [draw.order[1], draw.order[0], *draw.order[2:]]
    elif tamper == "seed":
        draw.seed = "0" * 64
    elif tamper == "result":
        winner, loser = draw.result["won"][0], draw.result["waitlisted"][0]
        draw.result["won"][0], draw.result["waitlisted"][0] = loser, winner
    elif tamper == "closes_at":
        draw.closes_at -= dt.timedelta(hours=1)
    draw.save()
    if tamper == "status":
        LotteryApplication.objects.filter(pk=draw.result["waitlisted"][0]).update(
            status=LotteryStatus.WON
        )
    with pytest.raises(CommandError, match="NOT confirmed"):
        call_command("lottery_draw", str(session.pk), "--verify")
    assert lottery_verify(session=session)


def test_draw_command_draws_a_closed_session(capsys):
    session = lottery_session(capacity=1)
    apply(session)
    with pytest.raises(CommandError):
        call_command("lottery_draw", str(session.pk))
    with after_close(session):
        call_command("lottery_draw", str(session.pk))
    assert "won:" in capsys.readouterr().out
    assert LotteryDraw.objects.get(session=session).is_drawn
    with pytest.raises(CommandError):
        call_command("lottery_draw", str(make_session().pk))


# --- Quota and duplicates -----------------------------------------------------------------------


def test_quota_holds_across_draws_and_the_next_applicant_gets_the_place():
    season = make_season(places_per_person=2)
    first = lottery_session(season=season, capacity=5)
    second = lottery_session(season=season, capacity=2)
    greedy = make_user()
    apply(first, places=2, user=greedy)
    greedy_second = apply(second, places=2, user=greedy)
    other = apply(second, places=2)
    with after_close(first):
        lottery_draw(session=first)
    with after_close(second):
        draw = lottery_draw(session=second)
    greedy_second.refresh_from_db()
    other.refresh_from_db()
    assert greedy_second.status == LotteryStatus.LOST
    assert greedy_second.booking is None
    assert "2" in greedy_second.outcome and "сезоне" in greedy_second.outcome
    assert other.status == LotteryStatus.WON, "skipped to the next applicant"
    assert draw.result["won"] == [other.pk]
    assert SeasonAllowance.objects.get(user=greedy, season=season).taken == 2
    second.refresh_from_db()
    assert second.taken == 2
    assert lottery_verify(session=second) == []


def test_a_companion_named_in_several_applications_voids_them(
    django_capture_on_commit_callbacks,
):
    session = lottery_session(capacity=10)
    birth = dt.date(1985, 3, 4)
    one = apply(session, people=[person(), person("Петров Пётр Петрович", birth)])
    two = apply(session, people=[person(), person("  петров  петр   петрович ", birth)])
    namesake = apply(
        session, people=[person(), person("Петров Пётр Петрович", dt.date(1986, 1, 1))]
    )
    mail.outbox.clear()
    with after_close(session), django_capture_on_commit_callbacks(execute=True):
        draw = lottery_draw(session=session)
    voided = [m for m in mail.outbox if m.to[0] in {one.user.email, two.user.email}]
    assert len(voided) == 2
    assert all("Петров Пётр Петрович" in m.body for m in voided)
    for application in (one, two):
        application.refresh_from_db()
        assert application.status == LotteryStatus.VOID
        assert application.booking is None
        assert "Петров Пётр Петрович" in application.outcome
        assert "нескольких заявках" in application.outcome
    namesake.refresh_from_db()
    assert namesake.status == LotteryStatus.WON, "another birth date is another person"
    assert sorted(draw.result["void"]) == sorted([one.pk, two.pk])
    assert draw.order == [namesake.pk]
    assert lottery_verify(session=session) == []


# --- The public result --------------------------------------------------------------------------


def test_mask_name():
    assert mask_name("Иванов Иван Иванович") == "И***в И. И."
    assert mask_name("Ли") == "Л***"
    assert mask_name("") == "***"


def test_result_rows_are_in_drawn_order_with_masked_names():
    session = lottery_session(capacity=1)
    apply(session, people=[person("Сидоров Сидор")])
    apply(session, people=[person("Кузнецова Анна")])
    assert lottery_result(session=session) == (None, [])
    with after_close(session):
        draw = lottery_draw(session=session)
    shown, rows = lottery_result(session=session)
    assert shown == draw
    assert [r.position for r in rows] == [1, 2]
    assert {r.name for r in rows} == {"С***в С.", "К***а А."}
    assert [r.outcome for r in rows] == ["выигрыш", "лист ожидания"]


def test_lottery_session_takes_no_bookings_until_drawn_then_first_come_for_what_is_left():
    from mosprom.tourism.booking import booking_create
    from mosprom.tourism.tests.factories import make_booking, participants_for
    from mosprom.tourism.waitlist import waitlist_join

    session = lottery_session(capacity=3)
    with pytest.raises(lottery_errors.LotterySession):
        booking_create(user=make_user(), session=session, participants=participants_for(session))
    with pytest.raises(lottery_errors.LotterySession):
        waitlist_join(user=make_user(), session=session, places=1)
    apply(session)
    with clock.frozen(lottery_closes_at(session) + dt.timedelta(minutes=1)):
        lottery_draw(session=session)
        assert Session.objects.get(pk=session.pk).taken == 1
        late = make_booking(session=session)  # the draw left two places: first come
    assert late.status == BookingStatus.CONFIRMED
    assert Session.objects.get(pk=session.pk).taken == 2
