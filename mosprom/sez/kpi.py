"""Zone KPIs: totals per period and cumulative, plan fulfilment, growth, residents at a date,
and the ministry's XLSX.

CONTRACT STUB — bodies being written; signatures and behaviour fixed. Every total uses the
latest approved version of each report, never two versions of one report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Totals:
    investment: Decimal
    capex: Decimal
    jobs_created: int
    avg_headcount: int
    revenue: Decimal
    export_revenue: Decimal
    reports: int  # approved reports counted


def zone_totals(*, zone, year: int, quarter: int | None = None) -> Totals:
    """Totals of the approved reports for the year's annual period (quarter None) or a quarter."""
    raise NotImplementedError


def zone_cumulative(*, zone, up_to_year: int) -> Totals:
    """Totals of the annual periods from the first up to ``up_to_year`` inclusive."""
    raise NotImplementedError


def growth(current: Decimal | int, previous: Decimal | int) -> Decimal | None:
    """Percentage change: 5,900 jobs against 3,907 → Decimal('51.0'); None if previous is 0."""
    raise NotImplementedError


@dataclass(frozen=True)
class Fulfilment:
    membership_id: int
    enterprise: str
    plan: dict  # figure → planned value for the year
    actual: dict  # figure → approved actual for the year
    percent: dict  # figure → Decimal percentage (one decimal) or None without a plan


def plan_fulfilment(*, zone, year: int) -> tuple[list[Fulfilment], Fulfilment]:
    """Per resident and for the zone (membership_id 0): actual against plan for ``year``."""
    raise NotImplementedError


def counts_at(*, zone, day: dt.date) -> dict[str, int]:
    """{"residents": …, "located": …} on ``day`` (residents: agreement in force; located:
    located_from ≤ day < located_until)."""
    raise NotImplementedError


def ministry_xlsx(*, zone, year: int) -> bytes:
    """The upward report: a row per resident (name, INN, agreement number/date), columns plan
    and actual for the year and cumulative for investment, capex, jobs, revenue; a totals row."""
    raise NotImplementedError
