"""Tests of mosprom/sez/reports.py: filing, corrections, review, the jump warning."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.registry.models import SEZStatus
from mosprom.sez.errors import (
    Forbidden,
    InvalidRequest,
    InvalidReviewState,
    NotResident,
    ReportLocked,
    SezError,
)
from mosprom.sez.models import AgreementStatus, Report, ReportVersion, VersionStatus
from mosprom.sez.reports import (
    jump_warnings,
    latest_approved,
    report_submit,
    version_approve,
    version_return,
)
from mosprom.sez.tests.factories import make_period, make_report, make_resident, make_zone
from mosprom.tourism.tests.factories import use_dummy_tasks

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2025, 1, 20, 12, 0, tzinfo=dt.UTC)


def figures(**changes) -> dict:
    return {
        "investment": "1000000",
        "capex": "400000",
        "jobs_created": 10,
        "avg_headcount": 100,
        "revenue": "5000000.50",
        "export_revenue": "500000",
    } | changes


@pytest.fixture
def world():
    zone = make_zone()
    membership, host = make_resident(zone=zone)
    period = make_period(zone=zone, year=2024, quarter=4)
    organiser = make_user(role=Role.ORGANISER)
    return membership, host, period, organiser


def test_submit_creates_version_one_with_who_and_when(world):
    membership, host, period, _ = world
    with clock.frozen(MOMENT):
        version = report_submit(membership=membership, period=period, actor=host, figures=figures())
    assert version.number == 1
    assert version.status == VersionStatus.SUBMITTED
    assert version.submitted_by == host
    assert version.submitted_at == MOMENT
    assert version.revenue == Decimal("5000000.50")
    assert version.jobs_created == 10
    assert version.warnings == []


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"investment": "-1"}, "«Инвестиции»: число не может быть отрицательным"),
        ({"avg_headcount": -3}, "«Среднесписочная численность»: число не может быть отрицательным"),
        ({"jobs_created": "2.5"}, "«Создано рабочих мест»: укажите целое число"),
        ({"jobs_created": 2.5}, "целое число"),
        ({"revenue": "10.123"}, "«Выручка»: не больше двух знаков после запятой"),
        ({"capex": "1000001"}, "Капитальные вложения не могут быть больше инвестиций"),
        ({"export_revenue": "6000000"}, "Экспортная выручка не может быть больше выручки"),
        ({"revenue": "много"}, "«Выручка»: укажите число"),
        ({"export_revenue": ""}, "Укажите «Экспортная выручка»"),
    ],
)
def test_submit_refuses_bad_figures_naming_the_field(world, changes, words):
    membership, host, period, _ = world
    with pytest.raises(InvalidRequest) as refused:
        report_submit(membership=membership, period=period, actor=host, figures=figures(**changes))
    assert words in refused.value.text
    assert not ReportVersion.objects.exists()


def test_submit_refuses_a_missing_figure(world):
    membership, host, period, _ = world
    incomplete = figures()
    del incomplete["avg_headcount"]
    with pytest.raises(InvalidRequest, match="Среднесписочная численность"):
        report_submit(membership=membership, period=period, actor=host, figures=incomplete)


def test_whole_figures_given_as_text_are_accepted(world):
    membership, host, period, _ = world
    version = report_submit(
        membership=membership,
        period=period,
        actor=host,
        figures=figures(jobs_created="12", avg_headcount="120.0", investment="1 000 000,00"),
    )
    assert (version.jobs_created, version.avg_headcount) == (12, 120)
    assert version.investment == Decimal("1000000.00")


def test_resident_a_cannot_submit_for_b(world):
    membership, host, period, _ = world
    other, _ = make_resident(zone=period.zone)
    with pytest.raises(Forbidden):
        report_submit(membership=other, period=period, actor=host, figures=figures())
    visitor = make_user()
    with pytest.raises(Forbidden):
        report_submit(membership=membership, period=period, actor=visitor, figures=figures())
    assert not Report.objects.exists()


def test_organiser_may_submit_for_a_resident(world):
    membership, _, period, organiser = world
    version = report_submit(
        membership=membership, period=period, actor=organiser, figures=figures()
    )
    assert version.submitted_by == organiser


def test_only_active_residents_file(world):
    membership, host, period, _ = world
    membership.residency.agreement_status = AgreementStatus.SUSPENDED
    membership.residency.save()
    with pytest.raises(NotResident):
        report_submit(membership=membership, period=period, actor=host, figures=figures())
    located, located_host = make_resident(zone=period.zone, status=SEZStatus.LOCATED)
    with pytest.raises(NotResident):
        report_submit(membership=located, period=period, actor=located_host, figures=figures())


def test_membership_without_residency_counts_as_active(world):
    membership, host, period, _ = world
    membership.residency.delete()
    membership.refresh_from_db()
    version = report_submit(membership=membership, period=period, actor=host, figures=figures())
    assert version.number == 1


def test_second_submit_while_under_review_is_locked(world):
    membership, host, period, _ = world
    report_submit(membership=membership, period=period, actor=host, figures=figures())
    with pytest.raises(ReportLocked):
        report_submit(membership=membership, period=period, actor=host, figures=figures())
    assert ReportVersion.objects.count() == 1


def test_correction_after_return_is_version_two_of_the_same_report(world):
    membership, host, period, organiser = world
    first = report_submit(membership=membership, period=period, actor=host, figures=figures())
    version_return(version=first, actor=organiser, comment="Проверьте выручку")
    colleague = make_user(role=Role.HOST)
    from mosprom.registry.tests.factories import make_membership

    make_membership(colleague, membership.enterprise)
    with clock.frozen(MOMENT):
        second = report_submit(
            membership=membership,
            period=period,
            actor=colleague,
            figures=figures(revenue="6000000"),
        )
    assert Report.objects.filter(membership=membership, period=period).count() == 1
    assert second.report_id == first.report_id
    assert second.number == 2
    versions = list(first.report.versions.order_by("number"))
    assert [(v.number, v.status, v.submitted_by) for v in versions] == [
        (1, VersionStatus.RETURNED, host),
        (2, VersionStatus.SUBMITTED, colleague),
    ]
    assert versions[1].submitted_at == MOMENT
    assert versions[0].revenue == Decimal("5000000.50")  # the old figures are kept


def test_correction_after_approval_keeps_the_approved_until_the_new_is_approved(world):
    membership, host, period, organiser = world
    first = report_submit(membership=membership, period=period, actor=host, figures=figures())
    version_approve(version=first, actor=organiser)
    second = report_submit(
        membership=membership, period=period, actor=host, figures=figures(jobs_created=12)
    )
    assert latest_approved(first.report) == first
    version_approve(version=second, actor=organiser)
    assert latest_approved(first.report) == second
    first.refresh_from_db()
    assert first.status == VersionStatus.APPROVED


def test_approve_records_reviewer_and_mails_the_company(world, django_capture_on_commit_callbacks):
    membership, host, period, organiser = world
    version = report_submit(membership=membership, period=period, actor=host, figures=figures())
    with clock.frozen(MOMENT), django_capture_on_commit_callbacks(execute=True):
        approved = version_approve(version=version, actor=organiser)
    assert approved.status == VersionStatus.APPROVED
    assert (approved.reviewed_by, approved.reviewed_at) == (organiser, MOMENT)
    assert version.status == VersionStatus.APPROVED
    (message,) = mail.outbox
    assert message.to == [host.email]
    assert "принят" in message.subject
    assert "4 кв. 2024" in message.body


def test_return_needs_a_comment_and_mails_it(world, django_capture_on_commit_callbacks):
    membership, host, period, organiser = world
    version = report_submit(membership=membership, period=period, actor=host, figures=figures())
    with pytest.raises(InvalidRequest):
        version_return(version=version, actor=organiser, comment="   ")
    with pytest.raises(InvalidRequest):
        version_return(version=version, actor=organiser, comment="я" * 2001)
    with django_capture_on_commit_callbacks(execute=True):
        returned = version_return(version=version, actor=organiser, comment="Уточните экспорт")
    assert returned.status == VersionStatus.RETURNED
    assert returned.review_comment == "Уточните экспорт"
    assert returned.reviewed_by == organiser
    (message,) = mail.outbox
    assert "возвращён на доработку" in message.subject
    assert "Уточните экспорт" in message.body


def test_only_organisers_review(world):
    membership, host, period, _ = world
    version = report_submit(membership=membership, period=period, actor=host, figures=figures())
    for actor in (host, make_user()):
        with pytest.raises(Forbidden):
            version_approve(version=version, actor=actor)
        with pytest.raises(Forbidden):
            version_return(version=version, actor=actor, comment="нет")
    version.refresh_from_db()
    assert version.status == VersionStatus.SUBMITTED


def test_only_submitted_versions_are_reviewed(world):
    membership, host, period, organiser = world
    version = report_submit(membership=membership, period=period, actor=host, figures=figures())
    version_approve(version=version, actor=organiser)
    with pytest.raises(InvalidReviewState, match="Принят"):
        version_approve(version=version, actor=organiser)
    with pytest.raises(InvalidReviewState, match="Принят"):
        version_return(version=version, actor=organiser, comment="поздно")


def test_latest_approved_is_the_highest_numbered_approved(world):
    membership, _, period, _ = world
    make_report(membership, period, status=VersionStatus.APPROVED)
    second = make_report(membership, period, status=VersionStatus.APPROVED)
    make_report(membership, period, status=VersionStatus.RETURNED)
    assert latest_approved(second.report) == second
    empty = Report.objects.create(membership=make_resident()[0], period=period)
    assert latest_approved(empty) is None


def test_jump_warning_against_previous_quarter_up_and_down(world, settings):
    membership, host, period, _ = world
    previous = make_period(zone=period.zone, year=2024, quarter=3)
    make_report(membership, previous, investment=Decimal(1_000_000), jobs_created=10)
    make_report(
        membership, previous, status=VersionStatus.RETURNED, investment=Decimal(1), capex=Decimal(0)
    )
    version = report_submit(
        membership=membership,
        period=period,
        actor=host,
        figures=figures(investment="3500000", capex="0", jobs_created=3),
    )
    assert len(version.warnings) == 3  # investment up, capex and jobs down
    investment, capex, jobs = version.warnings
    assert "«Инвестиции»" in investment and "рост больше чем в 3 раза" in investment
    assert "«Капитальные вложения»" in capex and "снижение" in capex
    assert "«Создано рабочих мест»" in jobs and "снижение" in jobs


def test_jump_within_the_factor_warns_nothing_and_the_factor_is_a_setting(world, settings):
    membership, host, period, organiser = world
    previous = make_period(zone=period.zone, year=2024, quarter=3)
    make_report(membership, previous)
    within = report_submit(
        membership=membership, period=period, actor=host, figures=figures(investment="3000000")
    )
    assert within.warnings == []
    version_approve(version=within, actor=organiser)
    settings.SEZ_JUMP_FACTOR = 2
    stricter = report_submit(
        membership=membership, period=period, actor=host, figures=figures(investment="3000000")
    )
    assert len(stricter.warnings) == 1
    assert "в 2 раза" in stricter.warnings[0]


def test_previous_of_first_quarter_is_fourth_of_last_year(world):
    membership, host, period, _ = world
    make_report(membership, period, revenue=Decimal(100), export_revenue=Decimal(0))
    q1 = make_period(zone=period.zone, year=2025, quarter=1)
    version = report_submit(membership=membership, period=q1, actor=host, figures=figures())
    assert any("«Выручка»" in w for w in version.warnings)


def test_no_warning_without_previous_or_against_zero():
    assert jump_warnings(figures=figures(), previous=None, factor=Decimal(3)) == []
    zero = ReportVersion(
        investment=0, capex=0, jobs_created=0, avg_headcount=0, revenue=0, export_revenue=0
    )
    clean = {name: Decimal(100) for name in figures()}
    assert jump_warnings(figures=clean, previous=zero, factor=Decimal(3)) == []


def test_yearly_report_compares_with_previous_year_not_quarters(world):
    membership, host, period, _ = world
    year_2024 = make_period(zone=period.zone, year=2024)
    make_report(
        membership, period, investment=Decimal(1), capex=Decimal(0)
    )  # a quarter: not the same kind
    year_2025 = make_period(zone=period.zone, year=2025)
    version = report_submit(membership=membership, period=year_2025, actor=host, figures=figures())
    assert version.warnings == []
    make_report(membership, year_2024, investment=Decimal(100), capex=Decimal(0))
    other_membership, other_host = make_resident(zone=period.zone)
    make_report(other_membership, year_2024, investment=Decimal(100), capex=Decimal(0))
    other = report_submit(
        membership=other_membership, period=year_2025, actor=other_host, figures=figures()
    )
    assert any("«Инвестиции»" in w for w in other.warnings)


def race(attempt, count: int) -> Counter:
    """Run ``attempt()`` in ``count`` threads at once; refusals become their codes."""
    barrier = threading.Barrier(count)

    def run(_) -> str:
        try:
            barrier.wait(timeout=30)
            return attempt()
        except SezError as refusal:
            return refusal.code
        except Exception as failure:  # a deadlock or IntegrityError would land here
            return f"error: {failure!r}"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return Counter(pool.map(run, range(count)))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_filings_make_one_report_and_one_version(settings):
    use_dummy_tasks(settings)
    membership, host = make_resident()
    period = make_period(zone=membership.zone, year=2024, quarter=4)

    def submit() -> str:
        report_submit(membership=membership, period=period, actor=host, figures=figures())
        return "submitted"

    outcomes = race(submit, 8)

    assert outcomes == {"submitted": 1, "report_locked": 7}, outcomes
    assert Report.objects.filter(membership=membership, period=period).count() == 1
    assert ReportVersion.objects.filter(report__membership=membership).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_organisers_reviewing_at_once_decide_once(settings):
    use_dummy_tasks(settings)
    membership, host = make_resident()
    period = make_period(zone=membership.zone, year=2024, quarter=4)
    version = report_submit(membership=membership, period=period, actor=host, figures=figures())
    first, second = make_user(role=Role.ORGANISER), make_user(role=Role.ORGANISER)
    turns = iter([first, second, first, second])
    lock = threading.Lock()

    def review() -> str:
        with lock:
            actor = next(turns)
        fresh = ReportVersion.objects.get(pk=version.pk)
        if actor == first:
            return version_approve(version=fresh, actor=actor).status
        return version_return(version=fresh, actor=actor, comment="Нет").status

    outcomes = race(review, 4)

    assert sum(outcomes.values()) == 4
    assert outcomes["invalid_review_state"] == 3, outcomes
    version.refresh_from_db()
    assert outcomes[version.status] == 1
