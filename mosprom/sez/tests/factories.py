"""Test data for the SEZ: the zone «Технополис Москва» with a site, a resident (enterprise
with a host member, agreement, residency), plans, periods and approved reports.

``make_report`` writes versions directly (approved by default) so KPI tests do not depend on
the report service.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.registry.demo import SEZ_NAME
from mosprom.registry.models import SEZMembership, SEZStatus, SpecialEconomicZone
from mosprom.registry.tests.factories import make_enterprise, make_membership
from mosprom.sez.models import (
    PeriodKind,
    Report,
    ReportPeriod,
    ReportVersion,
    Residency,
    ResidentPlan,
    VersionStatus,
    ZoneSite,
)

_seq = itertools.count(1)


def make_zone(name: str = SEZ_NAME) -> SpecialEconomicZone:
    """The zone the registry's migration creates (or another by name), with a site."""
    zone, _ = SpecialEconomicZone.objects.get_or_create(name=name)
    ZoneSite.objects.get_or_create(zone=zone, name="Площадка «Печатники»")
    return zone


def make_resident(
    *, zone=None, status: str = SEZStatus.RESIDENT, agreement_date=None, **enterprise_fields
):
    """An enterprise in the zone with a host member; returns (membership, host)."""
    zone = zone or make_zone()
    n = next(_seq)
    enterprise = make_enterprise(**enterprise_fields)
    host = make_user(role=Role.HOST)
    make_membership(host, enterprise)
    agreement_date = agreement_date or dt.date(2020, 3, 1)
    membership = SEZMembership.objects.create(
        enterprise=enterprise,
        zone=zone,
        status=status,
        agreement_number=f"ОЭЗ-{n:04d}" if status == SEZStatus.RESIDENT else "",
        agreement_date=agreement_date if status == SEZStatus.RESIDENT else None,
    )
    Residency.objects.create(
        membership=membership, site=zone.sites.first(), located_from=dt.date(2019, 6, 1)
    )
    return membership, host


def make_plan(membership, year: int, **figures) -> ResidentPlan:
    return ResidentPlan.objects.create(membership=membership, year=year, **figures)


def make_period(
    *, zone=None, year: int = 2024, quarter: int | None = None, due_on=None
) -> ReportPeriod:
    zone = zone or make_zone()
    if quarter is None:
        starts, ends = dt.date(year, 1, 1), dt.date(year, 12, 31)
        kind = PeriodKind.YEAR
    else:
        starts = dt.date(year, 3 * quarter - 2, 1)
        ends = (dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - dt.timedelta(days=1)
        kind = PeriodKind.QUARTER
    period, _ = ReportPeriod.objects.get_or_create(
        zone=zone,
        kind=kind,
        year=year,
        quarter=quarter,
        defaults={
            "starts_on": starts,
            "ends_on": ends,
            "due_on": due_on or ends + dt.timedelta(days=30),
        },
    )
    return period


def make_report(
    membership, period, *, status: str = VersionStatus.APPROVED, user=None, **figures
) -> ReportVersion:
    """A version of ``membership``'s report for ``period`` (approved by default)."""
    report, _ = Report.objects.get_or_create(membership=membership, period=period)
    number = report.versions.count() + 1
    values = {
        "investment": Decimal("1000000"),
        "capex": Decimal("400000"),
        "jobs_created": 10,
        "avg_headcount": 100,
        "revenue": Decimal("5000000"),
        "export_revenue": Decimal("500000"),
    } | figures
    return ReportVersion.objects.create(
        report=report,
        number=number,
        status=status,
        submitted_by=user,
        reviewed_at=clock.now() if status != VersionStatus.SUBMITTED else None,
        **values,
    )
