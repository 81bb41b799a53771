"""Zone KPIs: totals on a known set, corrections never double-count, growth, plan fulfilment,
counts at a date — each with a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from mosprom.registry.models import SEZStatus
from mosprom.sez import kpi
from mosprom.sez.models import AgreementStatus, Residency, VersionStatus
from mosprom.sez.tests.factories import (
    make_period,
    make_plan,
    make_report,
    make_resident,
    make_zone,
)

pytestmark = pytest.mark.django_db

D = Decimal


def figures(inv, capex, jobs, head, rev, exp) -> dict:
    return {
        "investment": D(inv),
        "capex": D(capex),
        "jobs_created": jobs,
        "avg_headcount": head,
        "revenue": D(rev),
        "export_revenue": D(exp),
    }


@pytest.fixture
def world():
    """Three reporting residents (Альфа, Бета, Вега), one with a plan only (Гамма), a located
    company, and another zone whose approved report must never leak in."""
    zone = make_zone()
    alpha, _ = make_resident(zone=zone, short_name="Альфа")
    beta, _ = make_resident(zone=zone, short_name="Бета")
    vega, _ = make_resident(zone=zone, short_name="Вега")
    gamma, _ = make_resident(zone=zone, short_name="Гамма")
    make_resident(zone=zone, status=SEZStatus.LOCATED, short_name="Размещённая")
    y2023 = make_period(zone=zone, year=2023)
    y2024 = make_period(zone=zone, year=2024)
    q1 = make_period(zone=zone, year=2024, quarter=1)

    make_report(alpha, y2023, **figures(1_000_000, 400_000, 10, 100, 5_000_000, 500_000))
    make_report(alpha, y2024, **figures(2_000_000, 800_000, 20, 120, 6_000_000, 600_000))
    make_report(alpha, q1, **figures(300_000, 100_000, 3, 110, 1_500_000, 100_000))
    make_report(beta, y2023, **figures(3_000_000, 1_000_000, 30, 200, 9_000_000, 0))
    make_report(beta, y2024, **figures(4_000_000, 2_000_000, 40, 220, 10_000_000, 1_000_000))
    make_report(beta, q1, **figures(1_000_000, 400_000, 10, 100, 5_000_000, 500_000))
    make_report(vega, y2024, **figures(500_000, 100_000, 5, 50, 1_000_000, 100_000))

    make_plan(alpha, 2023, investment=D(1_500_000), capex=D(500_000), jobs=10)
    make_plan(
        alpha,
        2024,
        investment=D(4_000_000),
        capex=D(1_000_000),
        jobs=20,
        revenue=D(8_000_000),
        export_revenue=D(600_000),
    )
    make_plan(beta, 2024, investment=D(4_000_000), capex=D(2_000_000), jobs=0, revenue=D(0))
    make_plan(gamma, 2024, investment=D(2_000_000), jobs=10)

    elsewhere = make_zone("ОЭЗ «Зеленоград»")
    stranger, _ = make_resident(zone=elsewhere, short_name="Чужой")
    make_report(stranger, make_period(zone=elsewhere, year=2024), **figures(9, 9, 9, 9, 9, 9))
    make_plan(stranger, 2024, investment=D(9_999_999))
    return SimpleNamespace(
        zone=zone, alpha=alpha, beta=beta, vega=vega, gamma=gamma, y2024=y2024, q1=q1
    )


def test_totals_on_a_known_set(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        annual = kpi.zone_totals(zone=world.zone, year=2024)
    assert annual == kpi.Totals(
        investment=D(6_500_000),
        capex=D(2_900_000),
        jobs_created=65,
        avg_headcount=390,
        revenue=D(17_000_000),
        export_revenue=D(1_700_000),
        reports=3,
    )
    assert kpi.zone_totals(zone=world.zone, year=2023) == kpi.Totals(
        investment=D(4_000_000),
        capex=D(1_400_000),
        jobs_created=40,
        avg_headcount=300,
        revenue=D(14_000_000),
        export_revenue=D(500_000),
        reports=2,
    )
    assert kpi.zone_totals(zone=world.zone, year=2024, quarter=1) == kpi.Totals(
        investment=D(1_300_000),
        capex=D(500_000),
        jobs_created=13,
        avg_headcount=210,
        revenue=D(6_500_000),
        export_revenue=D(600_000),
        reports=2,
    )


def test_a_period_without_reports_is_all_zero(world):
    totals = kpi.zone_totals(zone=world.zone, year=2024, quarter=2)
    assert totals == kpi.Totals(D(0), D(0), 0, 0, D(0), D(0), 0)


def test_cumulative_sums_annual_periods_only(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        cumulative = kpi.zone_cumulative(zone=world.zone, up_to_year=2024)
    # Quarterly reports are inside the annual ones and never added on top.
    assert cumulative.investment == D(10_500_000)
    assert cumulative.capex == D(4_300_000)
    assert cumulative.jobs_created == 105
    assert cumulative.revenue == D(31_000_000)
    assert cumulative.reports == 5
    assert kpi.zone_cumulative(zone=world.zone, up_to_year=2023).investment == D(4_000_000)
    assert kpi.zone_cumulative(zone=world.zone, up_to_year=2022).reports == 0


def test_a_correction_replaces_never_double_counts(world):
    period = make_period(zone=world.zone, year=2025)
    make_report(world.alpha, period, **figures(1_000_000, 0, 10, 10, 100, 0))
    make_report(world.alpha, period, **figures(2_000_000, 0, 20, 20, 200, 0))
    make_report(
        world.alpha,
        period,
        status=VersionStatus.SUBMITTED,
        **figures(9_000_000, 0, 90, 90, 900, 0),
    )
    totals = kpi.zone_totals(zone=world.zone, year=2025)
    assert (totals.investment, totals.jobs_created, totals.reports) == (D(2_000_000), 20, 1)
    assert kpi.zone_cumulative(zone=world.zone, up_to_year=2025).investment == D(12_500_000)


def test_a_returned_correction_leaves_the_approved_version_in_force(world):
    period = make_period(zone=world.zone, year=2025)
    make_report(world.beta, period, **figures(1_000_000, 0, 10, 10, 100, 0))
    make_report(
        world.beta, period, status=VersionStatus.RETURNED, **figures(5_000_000, 0, 1, 1, 1, 0)
    )
    totals = kpi.zone_totals(zone=world.zone, year=2025)
    assert (totals.investment, totals.reports) == (D(1_000_000), 1)


def test_a_report_with_nothing_approved_is_not_counted(world):
    period = make_period(zone=world.zone, year=2025)
    make_report(world.beta, period, status=VersionStatus.SUBMITTED)
    assert kpi.zone_totals(zone=world.zone, year=2025).reports == 0


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        (5_900, 3_907, D("51.0")),
        (65, 40, D("62.5")),
        (90, 100, D("-10.0")),
        (10_005, 10_000, D("0.1")),  # 0.05 rounds half up, not to even
        (D("1.5"), D("1.5"), D("0.0")),
        (10, 0, None),
        (0, 0, None),
    ],
)
def test_growth(current, previous, expected):
    assert kpi.growth(current, previous) == expected


def test_growth_on_zone_totals(world):
    jobs_2024 = kpi.zone_totals(zone=world.zone, year=2024).jobs_created
    jobs_2023 = kpi.zone_totals(zone=world.zone, year=2023).jobs_created
    assert kpi.growth(jobs_2024, jobs_2023) == D("62.5")


def test_plan_fulfilment_per_resident_and_zone(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        rows, zone_row = kpi.plan_fulfilment(zone=world.zone, year=2024)
    assert [row.enterprise for row in rows] == ["Альфа", "Бета", "Вега", "Гамма"]
    alpha, beta, vega, gamma = rows
    assert alpha.membership_id == world.alpha.pk
    assert alpha.plan["investment"] == D(4_000_000)
    assert alpha.actual == {
        "investment": D(2_000_000),
        "capex": D(800_000),
        "jobs": 20,
        "revenue": D(6_000_000),
        "export_revenue": D(600_000),
    }
    assert alpha.percent == {
        "investment": D("50.0"),
        "capex": D("80.0"),
        "jobs": D("100.0"),
        "revenue": D("75.0"),
        "export_revenue": D("100.0"),
    }
    # A zero plan gives no percentage.
    assert beta.percent["investment"] == D("100.0")
    assert beta.percent["jobs"] is None
    assert beta.percent["revenue"] is None
    # No plan: plan and percentages are None; no report: actual and percentages are None.
    assert vega.plan["investment"] is None and vega.percent["investment"] is None
    assert vega.actual["jobs"] == 5
    assert gamma.actual["investment"] is None and gamma.percent["investment"] is None

    assert zone_row.membership_id == 0
    assert zone_row.enterprise == "Итого по ОЭЗ"
    assert zone_row.plan["investment"] == D(10_000_000)
    assert zone_row.actual["investment"] == D(6_500_000)
    assert zone_row.percent["investment"] == D("65.0")
    assert (zone_row.plan["jobs"], zone_row.actual["jobs"]) == (30, 65)
    assert zone_row.percent["jobs"] == D("216.7")


def test_plan_fulfilment_of_an_empty_year(world):
    rows, zone_row = kpi.plan_fulfilment(zone=world.zone, year=2030)
    assert rows == []
    assert zone_row.plan["investment"] == D(0)
    assert zone_row.percent["investment"] is None


def test_counts_at_a_date(django_assert_max_num_queries):
    zone = make_zone("ОЭЗ «Проверка»")
    make_resident(zone=zone)
    terminated, _ = make_resident(zone=zone)
    Residency.objects.filter(membership=terminated).update(
        agreement_status=AgreementStatus.TERMINATED, terminated_on=dt.date(2024, 6, 30)
    )
    suspended, _ = make_resident(zone=zone)
    Residency.objects.filter(membership=suspended).update(
        agreement_status=AgreementStatus.SUSPENDED
    )
    make_resident(zone=zone, agreement_date=dt.date(2025, 1, 1))  # agreement not yet signed
    make_resident(zone=zone, status=SEZStatus.LOCATED)
    arriving, _ = make_resident(zone=zone, status=SEZStatus.LOCATED)
    Residency.objects.filter(membership=arriving).update(located_from=dt.date(2024, 9, 1))
    leaving, _ = make_resident(zone=zone, status=SEZStatus.LOCATED)
    Residency.objects.filter(membership=leaving).update(located_until=dt.date(2024, 7, 1))
    make_resident(zone=make_zone("ОЭЗ «Другая»"))

    with django_assert_max_num_queries(2):
        on_day = kpi.counts_at(zone=zone, day=dt.date(2024, 7, 1))
    # Residents: the active and the suspended; the terminated one ended the day before.
    # Located: the four residents (still on site) and the located company; the arriving one
    # is not there yet and the leaving one left that day.
    assert on_day == {"residents": 2, "located": 5}
    assert kpi.counts_at(zone=zone, day=dt.date(2024, 6, 29)) == {"residents": 3, "located": 6}
    assert kpi.counts_at(zone=zone, day=dt.date(2024, 6, 30))["residents"] == 2
    assert kpi.counts_at(zone=zone, day=dt.date(2025, 1, 1)) == {"residents": 3, "located": 6}
    assert kpi.counts_at(zone=zone, day=dt.date(2019, 1, 1)) == {"residents": 0, "located": 0}
