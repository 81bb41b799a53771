"""booking_create / booking_cancel / session_cancel: every rule, the counters, the side effects."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.core import mail
from django.db.models import Sum

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.registry.tests.factories import make_membership
from mosprom.tourism import booking_sql, errors, notifications
from mosprom.tourism.booking import ParticipantData, booking_cancel, booking_create, session_cancel
from mosprom.tourism.models import (
    Booking,
    BookingStatus,
    IdRequirement,
    SeasonAllowance,
    Session,
    SessionStatus,
    WaitlistStatus,
)
from mosprom.tourism.tasks import booking_confirmed, purge_passports, send_reminder
from mosprom.tourism.tests.factories import (
    ADULT_BIRTH_DATE,
    enqueued,
    make_booking,
    make_experience,
    make_season,
    make_session,
    use_dummy_tasks,
)
from mosprom.tourism.waitlist import waitlist_join

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["statement", "orm"])
def booking_path(request, monkeypatch):
    """Every rule on both write paths: PostgreSQL's one statement (``booking_sql``) and the
    ORM's (SQLite's; on SQLite both parameters run it)."""
    monkeypatch.setattr(booking_sql, "ENABLED", request.param == "statement")
    return request.param


def person(name="Иванов Иван Иванович", birth_date=ADULT_BIRTH_DATE, passport=""):
    return ParticipantData(full_name=name, birth_date=birth_date, passport=passport)


def allowance_taken(user, season) -> int:
    row = SeasonAllowance.objects.filter(user=user, season=season).first()
    return row.taken if row else 0


def test_booking_takes_places_and_quota_and_names_participants():
    session = make_session(capacity=10)
    user = make_user()
    booking = booking_create(
        user=user,
        session=session,
        participants=[person(), person("Иванова Мария Петровна", dt.date(2015, 1, 2))],
    )
    session.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.places == 2
    assert session.taken == 2
    assert allowance_taken(user, session.season) == 2
    assert [p.full_name for p in booking.participants.all()] == [
        "Иванов Иван Иванович",
        "Иванова Мария Петровна",
    ]
    assert len(booking.code) == 8


def test_participant_names_are_required_and_tidied():
    session = make_session()
    with pytest.raises(errors.IdentificationRequired, match="Участник 1"):
        booking_create(user=make_user(), session=session, participants=[person(name="   ")])
    booking = booking_create(
        user=make_user(), session=session, participants=[person(name="  Петров   Пётр ")]
    )
    assert booking.participants.get().full_name == "Петров Пётр"


def test_retry_with_the_same_idempotency_key_returns_the_first_booking():
    session = make_session(capacity=10)
    user = make_user()
    first = booking_create(
        user=user, session=session, participants=[person()], idempotency_key="req-1"
    )
    again = booking_create(
        user=user, session=session, participants=[person(), person()], idempotency_key="req-1"
    )
    assert again.pk == first.pk
    assert again.places == 1
    session.refresh_from_db()
    assert session.taken == 1
    assert Booking.objects.count() == 1


def test_a_new_key_after_the_first_booking_is_refused_as_already_booked():
    session = make_session()
    user = make_user()
    booking_create(user=user, session=session, participants=[person()], idempotency_key="a")
    with pytest.raises(errors.AlreadyBooked):
        booking_create(user=user, session=session, participants=[person()], idempotency_key="b")


def test_an_overlong_idempotency_key_is_refused():
    with pytest.raises(errors.InvalidRequest):
        make_booking(idempotency_key="x" * 65)


def test_registration_not_open_yet_names_the_moment():
    opens = clock.now() + dt.timedelta(days=2)
    session = make_session(season=make_season(registration_opens_at=opens))
    with pytest.raises(errors.RegistrationNotOpen) as refused:
        make_booking(session=session)
    assert f"{clock.localtime(opens):%H:%M}" in refused.value.text
    assert refused.value.code == "registration_not_open"
    assert Session.objects.get(pk=session.pk).taken == 0


def test_registration_closes_at_midnight_days_before_the_session():
    season = make_season(close_days_before=3)
    session = make_session(season=season)
    closes = session.registration_closes_at()
    session_day = clock.localtime(session.starts_at).date()
    assert clock.localtime(closes).date() == session_day - dt.timedelta(days=3)
    with clock.frozen(closes - dt.timedelta(seconds=1)):
        make_booking(session=session)
    with clock.frozen(closes), pytest.raises(errors.DeadlinePassed, match="3 дн"):
        make_booking(session=session)


def test_cancelled_session_and_unconfirmed_email_are_refused():
    session = make_session()
    with pytest.raises(errors.EmailNotConfirmed):
        make_booking(session=session, user=make_user(confirmed=False))
    Session.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)
    session.refresh_from_db()
    with pytest.raises(errors.SessionCancelled):
        make_booking(session=session)


def test_places_per_booking_between_one_and_the_experience_maximum():
    session = make_session(experience=make_experience(max_places_per_booking=3))
    with pytest.raises(errors.TooManyPlaces, match="до 3"):
        booking_create(user=make_user(), session=session, participants=[])
    with pytest.raises(errors.TooManyPlaces):
        make_booking(session=session, places=4)
    assert make_booking(session=session, places=3).places == 3


def test_minimum_age_is_checked_on_the_session_day():
    session = make_session(experience=make_experience(min_age=14))
    day = clock.localtime(session.starts_at).date()
    turns_14_that_day = day.replace(year=day.year - 14)
    turns_14_next_day = turns_14_that_day + dt.timedelta(days=1)
    with pytest.raises(errors.AgeRestricted) as refused:
        booking_create(
            user=make_user(),
            session=session,
            participants=[person(), person("Сидоров Миша", turns_14_next_day)],
        )
    assert refused.value.code == "age_restricted"
    assert "Сидоров Миша" in refused.value.text and "14" in refused.value.text
    booking = booking_create(
        user=make_user(),
        session=session,
        participants=[person(), person("Сидорова Маша", turns_14_that_day)],
    )
    assert booking.places == 2


def test_birth_date_is_required_when_there_is_an_age_limit():
    limited = make_session(experience=make_experience(min_age=7))
    with pytest.raises(errors.AgeRestricted, match="дату рождения"):
        booking_create(user=make_user(), session=limited, participants=[person(birth_date=None)])
    free_for_all = make_session()
    booking = booking_create(
        user=make_user(), session=free_for_all, participants=[person(birth_date=None)]
    )
    assert booking.participants.get().birth_date is None


def test_birth_date_in_the_future_is_refused():
    with pytest.raises(errors.InvalidRequest, match="будущем"):
        booking_create(
            user=make_user(),
            session=make_session(),
            participants=[person(birth_date=clock.today() + dt.timedelta(days=1))],
        )


def test_passport_is_required_only_where_the_plant_requires_it():
    secure = make_session(
        experience=make_experience(id_requirement=IdRequirement.PASSPORT, min_age=14)
    )
    for bad in ("", "45 06 12345", "AB 06 123456", "45 06 1234567"):
        with pytest.raises(errors.IdentificationRequired, match="паспорта"):
            booking_create(user=make_user(), session=secure, participants=[person(passport=bad)])
    booking = booking_create(
        user=make_user(), session=secure, participants=[person(passport="45 06 123456")]
    )
    stored = booking.participants.get().passport_encrypted
    assert stored and "123456" not in stored

    open_plant = make_session()
    booking = booking_create(
        user=make_user(), session=open_plant, participants=[person(passport="45 06 123456")]
    )
    assert booking.participants.get().passport_encrypted == ""  # not asked for, not kept


def test_one_active_booking_per_person_and_session():
    session = make_session()
    user = make_user()
    first = make_booking(session=session, user=user)
    with pytest.raises(errors.AlreadyBooked):
        make_booking(session=session, user=user)
    booking_cancel(booking=first, actor=user)
    again = make_booking(session=session, user=user)
    assert again.pk != first.pk


def test_sold_out_leaves_counters_untouched():
    session = make_session(capacity=3)
    make_booking(session=session, places=2)
    late = make_user()
    with pytest.raises(errors.SoldOut) as refused:
        make_booking(session=session, user=late, places=2)
    assert refused.value.code == "sold_out"
    session.refresh_from_db()
    assert session.taken == 2
    assert allowance_taken(late, session.season) == 0
    make_booking(session=session, places=1)
    with pytest.raises(errors.SoldOut):
        make_booking(session=session)


def test_a_session_full_by_its_counter_is_refused_before_any_query(
    django_assert_num_queries,
):
    """Most answers of a rush are this one: no allowance row, no transaction, no query."""
    season = make_season(no_show_limit=2)
    session = make_session(season=season, capacity=1)
    make_booking(session=session)
    full = Session.objects.select_related("season", "experience").get(pk=session.pk)
    late = make_user()
    with django_assert_num_queries(0), pytest.raises(errors.SoldOut):
        booking_create(user=late, session=full, participants=[ParticipantData("Пётр Петров", None)])
    assert not SeasonAllowance.objects.filter(user=late).exists()


def test_season_quota_counts_places_across_sessions():
    season = make_season(places_per_person=3)
    user = make_user()
    one, two, three = (make_session(season=season) for _ in range(3))
    make_booking(session=one, user=user, places=2)
    with pytest.raises(errors.QuotaExceeded) as refused:
        make_booking(session=two, user=user, places=2)
    assert "3" in refused.value.text and "2" in refused.value.text
    assert Session.objects.get(pk=two.pk).taken == 0
    make_booking(session=two, user=user, places=1)
    with pytest.raises(errors.QuotaExceeded):
        make_booking(session=three, user=user, places=1)
    assert allowance_taken(user, season) == 3
    other_season = make_session(season=make_season())
    make_booking(session=other_season, user=user, places=2)  # quota is per season


def test_no_show_limit_closes_the_season_for_the_person():
    season = make_season(no_show_limit=2)
    user = make_user()
    for _ in range(2):
        booking = make_booking(session=make_session(season=season), user=user)
        Booking.objects.filter(pk=booking.pk).update(no_show=True)
    with pytest.raises(errors.NoShowLimited, match="2 неявки"):
        make_booking(session=make_session(season=season), user=user)
    make_booking(session=make_session(), user=user)  # another season is fine


def test_cancel_frees_places_and_quota_at_once_and_twice_is_harmless():
    session = make_session(capacity=2)
    user = make_user()
    booking = make_booking(session=session, user=user, places=2)
    cancelled = booking_cancel(booking=booking, actor=user)
    assert cancelled.status == BookingStatus.CANCELLED
    assert cancelled.cancelled_at is not None
    assert Session.objects.get(pk=session.pk).taken == 0
    assert allowance_taken(user, session.season) == 0
    assert booking_cancel(booking=cancelled, actor=user).status == BookingStatus.CANCELLED
    assert Session.objects.get(pk=session.pk).taken == 0
    make_booking(session=session, places=2)  # the places are really free


def test_cancel_by_a_stranger_is_forbidden_by_the_host_allowed():
    session = make_session()
    booking = make_booking(session=session)
    with pytest.raises(errors.Forbidden):
        booking_cancel(booking=booking, actor=make_user())
    other_host = make_user(role=Role.HOST)
    make_membership(other_host, make_experience().enterprise)
    with pytest.raises(errors.Forbidden):
        booking_cancel(booking=booking, actor=other_host)
    host = make_user(role=Role.HOST)
    make_membership(host, session.experience.enterprise)
    assert booking_cancel(booking=booking, actor=host).status == BookingStatus.CANCELLED


def test_cancel_after_the_start_is_refused():
    session = make_session()
    booking = make_booking(session=session)
    with (
        clock.frozen(session.starts_at + dt.timedelta(minutes=1)),
        pytest.raises(errors.NotCancellable),
    ):
        booking_cancel(booking=booking, actor=booking.user)


def test_side_effects_wait_for_commit_then_mail_remind_and_purge(
    settings, django_capture_on_commit_callbacks
):
    backend = use_dummy_tasks(settings)
    session = make_session(experience=make_experience(id_requirement=IdRequirement.PASSPORT))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        booking = make_booking(session=session)
    assert backend.results == []  # nothing before commit
    for callback in callbacks:
        callback()
    # The request writes one task row; the worker's run of it schedules the rest and mails.
    (follow_up,) = backend.results
    assert follow_up.task.func is booking_confirmed.func
    assert follow_up.args == [booking.pk, True]
    mail.outbox.clear()
    assert booking_confirmed.call(*follow_up.args) is True
    assert mail.outbox[0].to == [booking.user.email]
    (reminder,) = enqueued(backend, send_reminder)
    assert reminder.task.run_after == session.starts_at - dt.timedelta(hours=24)
    assert reminder.args == [booking.pk]
    booking.refresh_from_db()
    assert booking.reminder_task_id == reminder.id
    (purge,) = enqueued(backend, purge_passports)
    assert purge.task.run_after == session.ends_at + dt.timedelta(
        days=settings.PASSPORT_RETENTION_DAYS
    )
    assert purge.args == [session.pk]


def test_no_reminder_when_the_session_is_less_than_a_day_away(
    settings, django_capture_on_commit_callbacks
):
    backend = use_dummy_tasks(settings)
    season = make_season(close_days_before=0)
    session = make_session(season=season, starts_at=clock.now() + dt.timedelta(hours=30))
    with clock.frozen(clock.now() + dt.timedelta(hours=10)):
        with django_capture_on_commit_callbacks(execute=True):
            booking = make_booking(session=session)
        (follow_up,) = enqueued(backend, booking_confirmed)
        assert booking_confirmed.call(*follow_up.args) is True
        assert enqueued(backend, send_reminder) == []
        assert enqueued(backend, purge_passports) == []  # no passports asked
    assert Booking.objects.get(pk=booking.pk).reminder_task_id == ""


def test_session_cancel_cancels_everyone_releases_everything_and_tells_each(
    settings, django_capture_on_commit_callbacks
):
    backend = use_dummy_tasks(settings)
    season = make_season()
    session = make_session(season=season, capacity=4)
    bookings = [make_booking(session=session, places=2) for _ in range(2)]
    waiting = make_user()
    waitlist_join(user=waiting, session=session, places=1)
    organiser = make_user(role=Role.ORGANISER)
    backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = session_cancel(session=session, actor=organiser, reason=" Авария на линии ")
    assert result.status == SessionStatus.CANCELLED
    assert result.cancel_reason == "Авария на линии"
    assert result.taken == 0
    for booking in bookings:
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CANCELLED
        assert booking.cancelled_by_session
        assert allowance_taken(booking.user, season) == 0
    assert session.waitlist.get().status == WaitlistStatus.EXPIRED
    told = sorted(r.args[0] for r in enqueued(backend, notifications.send_session_cancelled))
    assert told == sorted(b.pk for b in bookings)
    # Twice is harmless and tells nobody again.
    backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=result, actor=organiser, reason="ещё раз")
    assert backend.results == []


def test_session_cancel_is_for_its_hosts_and_organisers_only():
    session = make_session()
    with pytest.raises(errors.Forbidden):
        session_cancel(session=session, actor=make_user(), reason="")
    host = make_user(role=Role.HOST)
    make_membership(host, session.experience.enterprise)
    assert session_cancel(session=session, actor=host, reason="").status == "cancelled"


def test_counters_equal_the_bookings_after_a_mixed_history():
    season = make_season(places_per_person=5)
    sessions = [make_session(season=season, capacity=5) for _ in range(3)]
    users = [make_user() for _ in range(4)]
    made = []
    for i, user in enumerate(users):
        for j, session in enumerate(sessions):
            with contextlib.suppress(errors.TourismError):
                made.append(make_booking(session=session, user=user, places=1 + (i + j) % 2))
    for booking in made[::3]:
        booking_cancel(booking=booking, actor=booking.user)
    for session in sessions:
        session.refresh_from_db()
        confirmed = session.bookings.filter(status=BookingStatus.CONFIRMED)
        assert session.taken == (confirmed.aggregate(n=Sum("places"))["n"] or 0)
    for user in users:
        confirmed = Booking.objects.filter(user=user, status=BookingStatus.CONFIRMED)
        assert allowance_taken(user, season) == (confirmed.aggregate(n=Sum("places"))["n"] or 0)
