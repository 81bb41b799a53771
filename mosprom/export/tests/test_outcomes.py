"""Outcome reports with contracts converted to roubles, missing reports and their reminders
(``export.participation``, ``export.tasks``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.export.errors import Forbidden, InvalidRequest, ReportNotDue
from mosprom.export.figures import event_figures
from mosprom.export.models import (
    ApplicationStatus,
    Contract,
    EventRate,
    OutcomeReport,
)
from mosprom.export.participation import (
    contract_value_rub,
    outcome_submit,
    remind_missing_reports,
    report_url,
    reports_missing,
)
from mosprom.export.tasks import (
    REMINDERS_MAX,
    first_reminder_at,
    remind_reports,
    report_reminder_send,
    report_reminders_schedule,
)
from mosprom.export.tests.factories import make_application, make_company, make_export_event
from mosprom.tourism.tests.factories import enqueued, use_dummy_tasks

pytestmark = pytest.mark.django_db

S = ApplicationStatus
MSK = dt.timezone(dt.timedelta(hours=3))


def ended_event(**fields):
    """An event that ended five days ago."""
    today = clock.today()
    fields.setdefault("starts_on", today - dt.timedelta(days=9))
    fields.setdefault("ends_on", today - dt.timedelta(days=5))
    return make_export_event(with_call=False, **fields)


def rate(event, currency: str, rub: str) -> EventRate:
    return EventRate.objects.create(event=event, currency=currency, rub_per_unit=Decimal(rub))


def submit(application, *, actor=None, contracts=(), **fields):
    fields.setdefault("meetings_held", 0)
    fields.setdefault("agreements", 0)
    fields.setdefault("expected_export_rub", Decimal(0))
    return outcome_submit(
        application=application,
        actor=actor or application.created_by,
        contracts=list(contracts),
        **fields,
    )


def contract(value: str, currency: str = "RUB", **fields) -> dict:
    return {"counterpart": "Harbin Machinery Ltd.", "value": value, "currency": currency, **fields}


# --- Conversion ----------------------------------------------------------------------------


def test_contract_value_converts_at_the_event_rate_rounding_half_up():
    event = ended_event()
    rate(event, "CNY", "12.3456")
    rate(event, "XAU", "0.1000")

    assert contract_value_rub(event=event, value=Decimal("1000000"), currency="CNY") == Decimal(
        "12345600.00"
    )
    assert contract_value_rub(event=event, value=Decimal("250.55"), currency="cny") == Decimal(
        "3093.19"
    )  # 3093.18988…
    # 0.005 rounds up to a kopeck (banker's rounding would give 0.00).
    assert contract_value_rub(event=event, value=Decimal("0.05"), currency="XAU") == Decimal("0.01")
    assert contract_value_rub(event=event, value=Decimal("99.995"), currency="RUB") == Decimal(
        "100.00"
    )


def test_contract_value_without_a_rate_is_refused_naming_the_currency():
    event = ended_event()
    with pytest.raises(InvalidRequest) as refusal:
        contract_value_rub(event=event, value=Decimal(1), currency="USD")
    assert refusal.value.text.startswith("Для валюты USD не задан курс")


# --- Filing --------------------------------------------------------------------------------


def test_outcome_totals_and_conversion_on_a_known_set():
    """Two events, CNY and USD rates, rouble contracts; a resubmitted report replaces."""
    ciif = ended_event(title="CIIF 2026")
    rate(ciif, "CNY", "12.3456")
    rate(ciif, "USD", "95.0000")
    mission = ended_event(title="Бизнес-миссия в Казахстан")
    rate(mission, "USD", "91.2345")

    first = make_application(event=ciif, status=S.PARTICIPATED)
    second = make_application(event=ciif, status=S.CONFIRMED)  # event over: may report
    third = make_application(event=mission, status=S.PARTICIPATED)

    submit(
        first,
        meetings_held=12,
        agreements=3,
        expected_export_rub=Decimal("40000000"),
        contracts=[contract("1000000", "CNY"), contract("250.55", "CNY")],
    )
    submit(second, meetings_held=5, agreements=1, contracts=[contract("5000000")])
    submit(third, meetings_held=7, agreements=2, contracts=[contract("10000.01", "USD")])

    figures = event_figures(ciif)
    assert (figures.reports_filed, figures.meetings, figures.agreements) == (2, 17, 4)
    assert figures.contracts == 3
    assert figures.contract_value_rub == Decimal("12345600.00") + Decimal("3093.19") + Decimal(
        "5000000.00"
    )
    other = event_figures(mission)
    assert other.contract_value_rub == Decimal("912345.91")  # 10 000.01 × 91.2345 = 912 345.9123…
    assert (other.meetings, other.agreements, other.contracts) == (7, 2, 1)

    # The first company corrects its report: one USD contract instead of the two in yuan.
    later = clock.now() + dt.timedelta(hours=2)
    with clock.frozen(later):
        report = submit(
            first,
            meetings_held=13,
            agreements=3,
            expected_export_rub="40 000 000,50",
            contracts=[contract("2000", "usd", signed_on="2026-06-03", country="Китай")],
        )

    assert OutcomeReport.objects.filter(application=first).count() == 1
    assert report.submitted_at == later
    assert report.expected_export_rub == Decimal("40000000.50")
    (only,) = Contract.objects.filter(report__application=first)
    assert (only.currency, only.value, only.signed_on, only.country) == (
        "USD",
        Decimal("2000.00"),
        dt.date(2026, 6, 3),
        "Китай",
    )
    figures = event_figures(ciif)
    assert (figures.meetings, figures.agreements, figures.contracts) == (18, 4, 2)
    assert figures.contract_value_rub == Decimal("190000.00") + Decimal("5000000.00")
    assert Contract.objects.count() == 3  # never doubled


def test_a_currency_without_a_rate_is_refused_and_nothing_is_written():
    event = ended_event()
    rate(event, "USD", "90")
    application = make_application(event=event, status=S.PARTICIPATED)
    submit(application, meetings_held=4, contracts=[contract("100", "USD")])

    with pytest.raises(InvalidRequest) as refusal:
        submit(
            application,
            meetings_held=9,
            contracts=[contract("100", "USD"), contract("800", "CNY")],
        )

    assert "Для валюты CNY не задан курс" in refusal.value.text
    report = OutcomeReport.objects.get(application=application)
    assert report.meetings_held == 4  # the earlier filing stands
    assert list(Contract.objects.values_list("currency", flat=True)) == ["USD"]


@pytest.mark.parametrize(
    ("status", "ends_in_days"),
    [
        (S.CONFIRMED, 30),  # the event has not happened yet
        (S.CONFIRMED, 0),  # it ends today: not over yet
        (S.ACCEPTED, -5),  # never confirmed
        (S.SUBMITTED, -5),
        (S.WITHDRAWN, -5),
        (S.REJECTED, -5),
    ],
)
def test_a_report_before_the_event_or_by_a_non_participant_is_refused(status, ends_in_days):
    today = clock.today()
    event = make_export_event(
        with_call=False,
        starts_on=today + dt.timedelta(days=ends_in_days - 2),
        ends_on=today + dt.timedelta(days=ends_in_days),
    )
    application = make_application(event=event, status=status)

    with pytest.raises(ReportNotDue) as refusal:
        submit(application, meetings_held=1)
    assert "после мероприятия" in refusal.value.text
    assert not OutcomeReport.objects.exists()


def test_a_company_marked_as_participant_may_report_on_the_last_day():
    today = clock.today()
    event = make_export_event(with_call=False, starts_on=today, ends_on=today)
    application = make_application(event=event, status=S.PARTICIPATED)
    assert submit(application, meetings_held=2).meetings_held == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"meetings_held": -1}, "не может быть отрицательным"),
        ({"meetings_held": "2.5"}, "целое число"),
        ({"agreements": True}, "целое число"),
        ({"expected_export_rub": Decimal("-0.01")}, "не может быть отрицательным"),
        ({"expected_export_rub": "много"}, "сумму числом"),
        ({"contracts": [contract("0")]}, "Контракт №1: сумма должна быть больше нуля"),
        ({"contracts": [contract("-5")]}, "больше нуля"),
        ({"contracts": [contract("5", "RUB"), contract("10", "руб")]}, "Контракт №2: код валюты"),
        ({"contracts": [contract("10", "RUBL")]}, "три латинские буквы"),
        ({"contracts": [{"value": "10"}]}, "покупатель"),
        ({"contracts": [contract("10", signed_on="вчера")]}, "дата подписания"),
        ({"quote": "я" * 2001}, "не длиннее 2000 символов"),
    ],
)
def test_report_fields_are_checked(fields, message):
    application = make_application(event=ended_event(), status=S.PARTICIPATED)

    with pytest.raises(InvalidRequest) as refusal:
        submit(application, **fields)
    assert message in refusal.value.text
    assert not OutcomeReport.objects.exists()


def test_quote_of_2000_characters_is_kept_for_publication():
    application = make_application(event=ended_event(), status=S.PARTICIPATED)
    quote = "Участие в коллективном стенде Москвы открыло нам рынок Китая. " * 32
    quote = quote[:2000]

    report = submit(application, quote=quote, quote_author="Генеральный директор")
    report.refresh_from_db()
    assert report.quote == quote.strip()
    assert report.quote_author == "Генеральный директор"


def test_a_host_of_company_a_cannot_file_company_bs_report():
    event = ended_event()
    theirs = make_application(event=event, status=S.PARTICIPATED)
    _mine, host_a = make_company()

    for actor in (host_a, make_user(role=Role.VISITOR)):
        with pytest.raises(Forbidden):
            submit(theirs, actor=actor, meetings_held=99)
    assert not OutcomeReport.objects.exists()

    organiser = make_user(role=Role.ORGANISER)
    report = submit(theirs, actor=organiser, meetings_held=3)
    assert report.submitted_by == organiser


# --- Missing reports and reminders ---------------------------------------------------------


@pytest.fixture
def finished():
    """An event that ended: two participants without a report, one with, three others."""
    event = ended_event(title="Иннопром. Центральная Азия")
    late = make_application(event=event, status=S.PARTICIPATED, contact_email="late@example.test")
    silent = make_application(event=event, status=S.CONFIRMED, contact_email="")
    done = make_application(event=event, status=S.PARTICIPATED)
    submit(done, meetings_held=3)
    make_application(event=event, status=S.WITHDRAWN)
    make_application(event=event, status=S.ACCEPTED)
    make_application(event=event, status=S.REJECTED)
    return event, late, silent, done


def test_reports_missing_lists_participants_without_a_report(finished):
    event, late, silent, _done = finished
    assert {a.pk for a in reports_missing(event)} == {late.pk, silent.pk}


def test_confirmed_companies_are_not_missing_before_the_event_ends():
    event = make_export_event(with_call=False)
    make_application(event=event, status=S.CONFIRMED)
    early = make_application(event=event, status=S.PARTICIPATED)
    assert [a.pk for a in reports_missing(event)] == [early.pk]


def test_reminders_go_to_the_companies_that_have_not_reported(settings, finished):
    event, late, silent, done = finished

    assert remind_missing_reports(event.pk) == 2

    by_recipients = {tuple(sorted(m.to)): m for m in mail.outbox}
    assert set(by_recipients) == {
        tuple(sorted(["late@example.test", late.created_by.email])),
        (silent.created_by.email,),
    }
    message = by_recipients[(silent.created_by.email,)]
    assert message.subject == "Отчёт об итогах участия: «Иннопром. Центральная Азия»"
    assert "Мероприятие «Иннопром. Центральная Азия»" in message.body
    assert silent.enterprise.short_name in message.body
    link = report_url(silent)
    assert link.startswith(settings.SITE_URL) and link.endswith(f"/{silent.pk}/report/")
    assert link in message.body
    assert not any(done.created_by.email in m.to for m in mail.outbox)


def test_no_reminder_once_everyone_has_reported(finished):
    event, late, silent, _done = finished
    submit(late, meetings_held=1)
    submit(silent, meetings_held=0)

    assert remind_missing_reports(event.pk) == 0
    assert mail.outbox == []


def test_the_first_reminder_is_scheduled_the_day_after_the_event_at_ten(
    settings, django_capture_on_commit_callbacks
):
    backend = use_dummy_tasks(settings)
    event = make_export_event(
        with_call=False, starts_on=dt.date(2030, 6, 1), ends_on=dt.date(2030, 6, 4)
    )

    with django_capture_on_commit_callbacks(execute=True):
        report_reminders_schedule(event)
        assert enqueued(backend, remind_reports) == []  # only after commit

    (scheduled,) = enqueued(backend, remind_reports)
    assert scheduled.task.run_after == dt.datetime(2030, 6, 5, 10, 0, tzinfo=MSK)
    assert scheduled.args == [event.pk, 1, "2030-06-04"]
    assert first_reminder_at(event.ends_on) == scheduled.task.run_after


def series(event, reminder: int) -> tuple:
    return (event.pk, reminder, event.ends_on.isoformat())


def test_a_reminder_that_finds_reports_missing_schedules_the_next_a_week_later(settings, finished):
    backend = use_dummy_tasks(settings)
    event = finished[0]
    now = clock.now()

    with clock.frozen(now):
        assert remind_reports.call(*series(event, 1)) == 2

    (again,) = enqueued(backend, remind_reports)
    assert again.args == list(series(event, 2))
    assert again.task.run_after == now + dt.timedelta(days=7)
    assert len(mail.outbox) == 2


def test_the_third_reminder_is_the_last(settings, finished):
    backend = use_dummy_tasks(settings)
    assert remind_reports.call(*series(finished[0], REMINDERS_MAX)) == 2
    assert len(mail.outbox) == 2
    assert enqueued(backend, remind_reports) == []


def test_no_further_reminder_once_everyone_has_reported(settings, finished):
    backend = use_dummy_tasks(settings)
    event, late, silent, _done = finished
    submit(late, meetings_held=1)
    submit(silent, meetings_held=0)

    assert remind_reports.call(*series(event, 2)) == 0
    assert enqueued(backend, remind_reports) == []
    assert mail.outbox == []


def test_a_reminder_planned_for_other_dates_mails_nobody(settings, finished):
    backend = use_dummy_tasks(settings)
    event = finished[0]

    assert remind_reports.call(event.pk, 1, "2001-01-01") == 0
    assert mail.outbox == []
    assert enqueued(backend, remind_reports) == []


def test_a_reminder_that_runs_before_its_time_waits_for_it(settings):
    backend = use_dummy_tasks(settings)
    event = make_export_event(with_call=False)
    make_application(event=event, status=S.PARTICIPATED)

    assert remind_reports.call(*series(event, 1)) == 0

    (later,) = enqueued(backend, remind_reports)
    assert later.args == list(series(event, 1))
    assert later.task.run_after == first_reminder_at(event.ends_on)
    assert mail.outbox == []


def test_a_one_off_reminder_mails_once_without_follow_up(
    settings, finished, django_capture_on_commit_callbacks
):
    backend = use_dummy_tasks(settings)
    with django_capture_on_commit_callbacks(execute=True):
        report_reminder_send(finished[0])
    (now,) = enqueued(backend, remind_reports)
    assert now.args == [finished[0].pk]
    assert now.task.run_after is None

    assert remind_reports.call(finished[0].pk) == 2
    assert len(mail.outbox) == 2
    assert len(enqueued(backend, remind_reports)) == 1  # nothing more


def test_saving_an_event_that_is_already_over_starts_no_series(
    settings, finished, django_capture_on_commit_callbacks
):
    backend = use_dummy_tasks(settings)
    with django_capture_on_commit_callbacks(execute=True):
        report_reminders_schedule(finished[0])
    assert enqueued(backend, remind_reports) == []
    assert mail.outbox == []


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def pending_reminders() -> list[list]:
    return sorted(
        row["args"]
        for row in DBTaskResult.objects.filter(
            task_path=remind_reports.module_path, status=TaskResultStatus.READY
        ).values_list("args_kwargs", flat=True)
    )


def test_with_the_database_backend_saving_again_keeps_one_series(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    event = make_export_event(with_call=False)
    other = make_export_event(with_call=False)
    with django_capture_on_commit_callbacks(execute=True):
        report_reminders_schedule(other)
        report_reminders_schedule(event)
    with django_capture_on_commit_callbacks(execute=True):
        report_reminders_schedule(event)  # saved again, same dates
    assert pending_reminders() == sorted([list(series(event, 1)), list(series(other, 1))])

    event.starts_on += dt.timedelta(days=7)
    event.ends_on += dt.timedelta(days=7)
    event.save(update_fields=["starts_on", "ends_on"])
    with django_capture_on_commit_callbacks(execute=True):
        report_reminders_schedule(event)

    assert pending_reminders() == sorted([list(series(event, 1)), list(series(other, 1))])
    run_after = {
        tuple(row.args_kwargs["args"]): row.run_after
        for row in DBTaskResult.objects.filter(task_path=remind_reports.module_path)
    }
    assert run_after[series(event, 1)] == first_reminder_at(event.ends_on)


def test_with_the_database_backend_a_pending_follow_up_survives_an_edit(
    settings, finished, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    event = finished[0]
    assert remind_reports.call(*series(event, 1)) == 2  # schedules the second
    assert pending_reminders() == [list(series(event, 2))]

    with django_capture_on_commit_callbacks(execute=True):
        report_reminders_schedule(event)  # the organiser fixes a typo in the title

    assert pending_reminders() == [list(series(event, 2))]
    assert len(mail.outbox) == 2  # nobody mailed again
