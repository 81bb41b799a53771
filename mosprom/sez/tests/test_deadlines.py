"""Tests of mosprom/sez/deadlines.py and mosprom/sez/tasks.py: periods, reminders, late flags."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.registry.models import SEZStatus
from mosprom.sez.deadlines import (
    flag_late,
    period_create,
    residents_due,
    residents_late,
    send_reminders,
)
from mosprom.sez.errors import Forbidden, InvalidRequest
from mosprom.sez.models import AgreementStatus, PeriodKind, Report, ReportPeriod
from mosprom.sez.tasks import sez_flag_late, sez_remind
from mosprom.sez.tests.factories import make_period, make_report, make_resident, make_zone
from mosprom.tourism.tests.factories import enqueued, use_dummy_tasks

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")
DUE = dt.date(2025, 4, 30)


def moscow(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=MSK)


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER)


def test_period_create_derives_dates_and_schedules_both_tasks(
    settings, organiser, django_capture_on_commit_callbacks
):
    backend = use_dummy_tasks(settings)
    zone = make_zone()
    with clock.frozen(moscow(2025, 4, 1, 9)), django_capture_on_commit_callbacks(execute=True):
        period = period_create(
            zone=zone, kind=PeriodKind.QUARTER, year=2025, quarter=1, due_on=DUE, actor=organiser
        )
    assert (period.starts_on, period.ends_on) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    (remind,) = enqueued(backend, sez_remind)
    (flag,) = enqueued(backend, sez_flag_late)
    assert remind.task.run_after == moscow(2025, 4, 23, 10, 0)
    assert flag.task.run_after == moscow(2025, 5, 1, 0, 5)
    assert remind.args == [period.pk] and flag.args == [period.pk]


def test_period_create_for_a_year_and_fourth_quarter(organiser):
    zone = make_zone()
    year = period_create(
        zone=zone,
        kind=PeriodKind.YEAR,
        year=2024,
        quarter=None,
        due_on=dt.date(2025, 3, 1),
        actor=organiser,
    )
    assert (year.starts_on, year.ends_on) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    q4 = period_create(
        zone=zone,
        kind=PeriodKind.QUARTER,
        year=2024,
        quarter=4,
        due_on=dt.date(2024, 12, 31),
        actor=organiser,
    )
    assert (q4.starts_on, q4.ends_on) == (dt.date(2024, 10, 1), dt.date(2024, 12, 31))


@pytest.mark.parametrize(
    ("kind", "quarter", "due_on", "words"),
    [
        (PeriodKind.QUARTER, 5, DUE, "от 1 до 4"),
        (PeriodKind.QUARTER, None, DUE, "от 1 до 4"),
        (PeriodKind.YEAR, 2, DUE, "квартал"),
        (PeriodKind.QUARTER, 1, dt.date(2025, 3, 30), "раньше окончания"),
    ],
)
def test_period_create_refuses_bad_input(organiser, kind, quarter, due_on, words):
    with pytest.raises(InvalidRequest, match=words):
        period_create(
            zone=make_zone(), kind=kind, year=2025, quarter=quarter, due_on=due_on, actor=organiser
        )
    assert not ReportPeriod.objects.exists()


def test_period_create_refuses_a_duplicate_and_non_organisers(organiser):
    zone = make_zone()
    args = {"zone": zone, "kind": PeriodKind.QUARTER, "year": 2025, "quarter": 1, "due_on": DUE}
    period_create(**args, actor=organiser)
    with pytest.raises(InvalidRequest, match="Такой период уже открыт"):
        period_create(**args, actor=organiser)
    _, host = make_resident(zone=zone)
    with pytest.raises(Forbidden):
        period_create(**args | {"quarter": 2, "due_on": dt.date(2025, 7, 30)}, actor=host)
    assert ReportPeriod.objects.count() == 1


def test_residents_due_only_those_in_force_during_the_period():
    zone = make_zone()
    period = make_period(zone=zone, year=2025, quarter=1, due_on=DUE)
    due, _ = make_resident(zone=zone)
    make_resident(zone=zone, agreement_date=dt.date(2025, 4, 2))  # signed after the period
    make_resident(zone=zone, status=SEZStatus.LOCATED)
    ended, _ = make_resident(zone=zone)
    ended.residency.agreement_status = AgreementStatus.TERMINATED
    ended.residency.terminated_on = dt.date(2024, 12, 31)
    ended.residency.save()
    ended_during, _ = make_resident(zone=zone)
    ended_during.residency.agreement_status = AgreementStatus.TERMINATED
    ended_during.residency.terminated_on = dt.date(2025, 2, 15)
    ended_during.residency.save()
    make_resident(zone=make_zone("Другая ОЭЗ"))
    assert set(residents_due(period)) == {due, ended_during}


@pytest.fixture
def three():
    zone = make_zone()
    period = make_period(zone=zone, year=2025, quarter=1, due_on=DUE)
    on_time, on_time_host = make_resident(zone=zone)
    late_filer, late_host = make_resident(zone=zone)
    silent, silent_host = make_resident(zone=zone)
    return period, (on_time, on_time_host), (late_filer, late_host), (silent, silent_host)


def test_reminders_mail_only_those_who_have_not_filed(three, django_capture_on_commit_callbacks):
    period, (on_time, _), (_, late_host), (_, silent_host) = three
    with clock.frozen(moscow(2025, 4, 23, 10)):
        make_report(on_time, period)
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders(period.pk) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([late_host.email, silent_host.email])
    assert "30 апреля" in mail.outbox[0].subject
    mail.outbox.clear()
    with clock.frozen(moscow(2025, 5, 1, 0, 1)):
        assert send_reminders(period.pk) == 0  # the period is over: no reminder
    assert mail.outbox == []


def test_late_flags_after_the_due_date_keep_history(three):
    period, (on_time, _), (late_filer, _), (silent, _) = three
    with clock.frozen(moscow(2025, 4, 30, 23, 59)):
        make_report(on_time, period)
        assert list(residents_late(period)) == []
        assert flag_late(period.pk) == 0  # too early: nothing flagged
    with clock.frozen(moscow(2025, 5, 1, 0, 0)):
        make_report(late_filer, period)  # the first second after the due date
    with clock.frozen(moscow(2025, 5, 1, 0, 5)):
        assert set(residents_late(period)) == {late_filer, silent}
        assert flag_late(period.pk) == 2
        assert flag_late(period.pk) == 2  # idempotent: no second report row
    flags = dict(Report.objects.filter(period=period).values_list("membership_id", "late"))
    assert flags == {on_time.pk: False, late_filer.pk: True, silent.pk: True}
    assert Report.objects.filter(period=period).count() == 3
    with clock.frozen(moscow(2025, 6, 1)):
        make_report(silent, period)  # a filing long after keeps the flag
        assert silent in residents_late(period)
    assert Report.objects.get(period=period, membership=silent).late is True


def test_tasks_run_their_bodies(three):
    period, *_ = three
    with clock.frozen(moscow(2025, 5, 1, 0, 5)):
        assert sez_flag_late.call(period.pk) == 3
    assert Report.objects.filter(period=period, late=True).count() == 3
    assert sez_remind.call(period.pk) == 0  # 2026 by the real clock: long past
    assert sez_flag_late.call(10**6) == 0
