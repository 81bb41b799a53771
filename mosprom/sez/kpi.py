"""Zone KPIs: totals per period and cumulative, plan fulfilment, growth, residents at a date,
and the ministry's XLSX.

Every total uses the latest approved version of each report, never two versions of one report:
``_latest_approved`` keeps, per report, only the approved version whose number is the highest
approved number of that report (one correlated subquery, portable to SQLite and PostgreSQL).
A version awaiting review or returned never counts; the previous approved one stays in force.

Every function here runs a fixed number of queries whatever the number of residents.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mosprom.core.periods import Period
from mosprom.registry.models import SEZMembership, SEZStatus
from mosprom.sez.models import PeriodKind, ReportVersion, Residency, ResidentPlan, VersionStatus

ZERO = Decimal(0)
ONE_DECIMAL = Decimal("0.1")
THOUSAND = Decimal(1000)
TOTAL_FIGURES = (
    "investment",
    "capex",
    "jobs_created",
    "avg_headcount",
    "revenue",
    "export_revenue",
)
# Plan figure → the report figure it is compared with.
PLAN_FIGURES = {
    "investment": "investment",
    "capex": "capex",
    "jobs": "jobs_created",
    "revenue": "revenue",
    "export_revenue": "export_revenue",
}


@dataclass(frozen=True)
class Totals:
    investment: Decimal
    capex: Decimal
    jobs_created: int
    avg_headcount: int
    revenue: Decimal
    export_revenue: Decimal
    reports: int  # approved reports counted


def _latest_approved(zone=None) -> QuerySet[ReportVersion]:
    """The latest approved version of each report of ``zone`` (every zone when None; at most
    one per report)."""
    latest_number = (
        ReportVersion.objects.filter(report=OuterRef("report"), status=VersionStatus.APPROVED)
        .order_by("-number")
        .values("number")[:1]
    )
    versions = ReportVersion.objects.filter(
        status=VersionStatus.APPROVED, number=Subquery(latest_number)
    )
    return versions if zone is None else versions.filter(report__period__zone=zone)


def _totals(versions: QuerySet[ReportVersion]) -> Totals:
    sums = versions.aggregate(
        **{name: Sum(name) for name in TOTAL_FIGURES}, reports=Count("report", distinct=True)
    )
    return Totals(
        investment=sums["investment"] or ZERO,
        capex=sums["capex"] or ZERO,
        jobs_created=sums["jobs_created"] or 0,
        avg_headcount=sums["avg_headcount"] or 0,
        revenue=sums["revenue"] or ZERO,
        export_revenue=sums["export_revenue"] or ZERO,
        reports=sums["reports"],
    )


def zone_totals(*, zone, year: int, quarter: int | None = None) -> Totals:
    """Totals of the approved reports for the year's annual period (quarter None) or a quarter."""
    versions = _latest_approved(zone).filter(report__period__year=year)
    if quarter is None:
        versions = versions.filter(report__period__kind=PeriodKind.YEAR)
    else:
        versions = versions.filter(
            report__period__kind=PeriodKind.QUARTER, report__period__quarter=quarter
        )
    return _totals(versions)


def period_totals(*, period: Period, zone=None) -> Totals:
    """Approved totals of the reporting periods inside ``period`` (every zone when ``zone`` is
    None), in two queries: for each whole year inside it, the annual reports once any annual
    report of that year is approved, otherwise its quarterly reports (a year in progress, or
    one whose annual reports are not in yet); for the months outside whole years, the
    quarterly reports inside ``period``. Never annual and quarterly for the same months."""
    years = [
        year
        for year in range(period.start.year, period.end.year + 1)
        if period.contains(Period.year(year))
    ]
    approved = _latest_approved(zone)
    annual_years = set(
        approved.filter(report__period__kind=PeriodKind.YEAR, report__period__year__in=years)
        .values_list("report__period__year", flat=True)
        .distinct()
    )
    annual = Q(report__period__kind=PeriodKind.YEAR, report__period__year__in=annual_years)
    quarterly = (
        Q(report__period__kind=PeriodKind.QUARTER)
        & Q(report__period__starts_on__gte=period.start, report__period__ends_on__lte=period.end)
        & ~Q(report__period__year__in=annual_years)
    )
    return _totals(approved.filter(annual | quarterly))


def reports_since() -> dt.date | None:
    """The first day of the earliest reporting period with an approved report (the records
    of the zone's figures start there)."""
    first = (
        ReportVersion.objects.filter(status=VersionStatus.APPROVED)
        .order_by("report__period__starts_on")
        .values_list("report__period__starts_on", flat=True)
        .first()
    )
    return first


def zone_cumulative(*, zone, up_to_year: int) -> Totals:
    """Totals of the annual periods from the first up to ``up_to_year`` inclusive."""
    return _totals(
        _latest_approved(zone).filter(
            report__period__kind=PeriodKind.YEAR, report__period__year__lte=up_to_year
        )
    )


def growth(current: Decimal | int, previous: Decimal | int) -> Decimal | None:
    """Percentage change: 5,900 jobs against 3,907 → Decimal('51.0'); None if previous is 0."""
    previous = Decimal(previous)
    if previous == 0:
        return None
    change = (Decimal(current) - previous) / previous * 100
    return change.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _percent(actual, plan) -> Decimal | None:
    if not plan or actual is None:
        return None
    return (Decimal(actual) / Decimal(plan) * 100).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Fulfilment:
    membership_id: int
    enterprise: str
    plan: dict  # figure → planned value for the year
    actual: dict  # figure → approved actual for the year
    percent: dict  # figure → Decimal percentage (one decimal) or None without a plan


def _plans(zone, *, year: int, cumulative: bool) -> dict[int, dict[int, dict]]:
    """membership id → year → plan figures (one query)."""
    plans = ResidentPlan.objects.filter(membership__zone=zone)
    plans = plans.filter(year__lte=year) if cumulative else plans.filter(year=year)
    found: dict[int, dict[int, dict]] = defaultdict(dict)
    for row in plans.values("membership_id", "year", *PLAN_FIGURES):
        found[row["membership_id"]][row["year"]] = {name: row[name] for name in PLAN_FIGURES}
    return found


def _actuals(zone, *, year: int, cumulative: bool) -> dict[int, dict[int, dict]]:
    """membership id → year → approved annual figures, named as plans are (one query)."""
    versions = _latest_approved(zone).filter(report__period__kind=PeriodKind.YEAR)
    if cumulative:
        versions = versions.filter(report__period__year__lte=year)
    else:
        versions = versions.filter(report__period__year=year)
    found: dict[int, dict[int, dict]] = defaultdict(dict)
    for row in versions.values(
        "report__membership_id", "report__period__year", *PLAN_FIGURES.values()
    ):
        found[row["report__membership_id"]][row["report__period__year"]] = {
            plan_name: row[actual_name] for plan_name, actual_name in PLAN_FIGURES.items()
        }
    return found


def _memberships(ids) -> list[SEZMembership]:
    """The memberships with data, sorted by the enterprise's name (one query)."""
    found = SEZMembership.objects.filter(pk__in=set(ids)).select_related("enterprise")
    return sorted(found, key=lambda m: (m.enterprise.short_name.casefold(), m.pk))


def _zero_for(name: str):
    return 0 if name == "jobs" else ZERO


def _sum(rows, name: str):
    return sum((row[name] for row in rows if row is not None), _zero_for(name))


def plan_fulfilment(*, zone, year: int) -> tuple[list[Fulfilment], Fulfilment]:
    """Per resident and for the zone (membership_id 0): actual against plan for ``year``.

    A row per membership of the zone with a plan or an approved annual report for the year.
    A missing plan or report gives None in ``plan``/``actual`` and a None percentage; the zone
    row sums what exists (plans of all rows against actuals of all rows).
    """
    plans = _plans(zone, year=year, cumulative=False)
    actuals = _actuals(zone, year=year, cumulative=False)
    rows: list[Fulfilment] = []
    for membership in _memberships(plans.keys() | actuals.keys()):
        plan = plans.get(membership.pk, {}).get(year)
        actual = actuals.get(membership.pk, {}).get(year)
        rows.append(
            Fulfilment(
                membership_id=membership.pk,
                enterprise=membership.enterprise.short_name,
                plan={name: plan[name] if plan else None for name in PLAN_FIGURES},
                actual={name: actual[name] if actual else None for name in PLAN_FIGURES},
                percent={
                    name: _percent(actual and actual[name], plan and plan[name])
                    for name in PLAN_FIGURES
                },
            )
        )
    plan_total = {
        name: sum((r.plan[name] for r in rows if r.plan[name] is not None), _zero_for(name))
        for name in PLAN_FIGURES
    }
    actual_total = {
        name: sum((r.actual[name] for r in rows if r.actual[name] is not None), _zero_for(name))
        for name in PLAN_FIGURES
    }
    zone_row = Fulfilment(
        membership_id=0,
        enterprise=_("Итого по ОЭЗ"),
        plan=plan_total,
        actual=actual_total,
        percent={name: _percent(actual_total[name], plan_total[name]) for name in PLAN_FIGURES},
    )
    return rows, zone_row


def counts_at(*, zone=None, day: dt.date) -> dict[str, int]:
    """{"residents": …, "located": …} on ``day`` in ``zone`` (every zone when None; residents:
    agreement in force; located: located_from ≤ day < located_until).

    Residents: memberships with status «resident» whose agreement is dated on or before ``day``
    and not terminated on or before it (a suspended agreement is still in force). Located:
    every company of the zone (resident or not) physically on a site that day.
    """
    memberships = (
        SEZMembership.objects.all() if zone is None else SEZMembership.objects.filter(zone=zone)
    )
    residencies = Residency.objects.all()
    if zone is not None:
        residencies = residencies.filter(membership__zone=zone)
    residents = (
        memberships.filter(status=SEZStatus.RESIDENT, agreement_date__lte=day)
        .filter(
            Q(residency__isnull=True)
            | Q(residency__terminated_on__isnull=True)
            | Q(residency__terminated_on__gt=day)
        )
        .count()
    )
    located = (
        residencies.filter(located_from__lte=day)
        .filter(Q(located_until__isnull=True) | Q(located_until__gt=day))
        .count()
    )
    return {"residents": residents, "located": located}


# The ministry's XLSX -------------------------------------------------------------------------

# (plan figure, column group label); money is written in thousands of roubles.
_XLSX_GROUPS = (
    ("investment", gettext_noop("Инвестиции, тыс. руб.")),
    ("capex", gettext_noop("в т. ч. капитальные вложения, тыс. руб.")),
    ("jobs", gettext_noop("Рабочие места, ед.")),
    ("revenue", gettext_noop("Выручка, тыс. руб.")),
)
_FIRST_FIGURE_COLUMN = 6  # №, Резидент, ИНН, agreement number, agreement date
_HEADER_ROWS = 4  # title, unit note, group headers, sub-headers
_MONEY_FORMAT = "#,##0.0"
_JOBS_FORMAT = "#,##0"


def _cell_value(name: str, value):
    """Jobs as whole numbers, money in thousands of roubles with one decimal; None stays empty."""
    if value is None:
        return None
    if name == "jobs":
        return int(value)
    return (Decimal(value) / THOUSAND).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def ministry_xlsx(*, zone, year: int) -> bytes:
    """The upward report: a row per resident (name, INN, agreement number/date), columns plan
    and actual for the year and cumulative for investment, capex, jobs, revenue; a totals row.

    Rows: memberships with a plan or an approved annual report up to ``year``, by name.
    Cumulative plan = Σ plans of the years ≤ ``year``; cumulative actual = Σ latest approved
    annual reports of the years ≤ ``year``. Money in thousands of roubles (one decimal).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    plans = _plans(zone, year=year, cumulative=True)
    actuals = _actuals(zone, year=year, cumulative=True)
    memberships = _memberships(plans.keys() | actuals.keys())

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Отчёт ОЭЗ {year}").format(year=year)
    bold = Font(bold=True)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    last_column = _FIRST_FIGURE_COLUMN + 4 * len(_XLSX_GROUPS) - 1

    sheet.cell(
        row=1,
        column=1,
        value=_("Показатели резидентов {zone} за {year} год").format(zone=zone.name, year=year),
    ).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_column)
    sheet.cell(
        row=2,
        column=1,
        value=_("Денежные показатели — в тысячах рублей, рабочие места — в единицах"),
    )
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_column)

    # Header: rows 3 and 4; single-level columns span both rows.
    for column, label in enumerate((_("№"), _("Резидент"), _("ИНН")), start=1):
        sheet.cell(row=3, column=column, value=label)
        sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    sheet.cell(row=3, column=4, value=_("Соглашение"))
    sheet.merge_cells(start_row=3, start_column=4, end_row=3, end_column=5)
    sheet.cell(row=4, column=4, value=_("номер"))
    sheet.cell(row=4, column=5, value=_("дата"))
    sub_headers = (
        _("План {year}").format(year=year),
        _("Факт {year}").format(year=year),
        _("План накопительно"),
        _("Факт накопительно"),
    )
    for index, (_name, label) in enumerate(_XLSX_GROUPS):
        first = _FIRST_FIGURE_COLUMN + 4 * index
        sheet.cell(row=3, column=first, value=_(label))
        sheet.merge_cells(start_row=3, start_column=first, end_row=3, end_column=first + 3)
        for offset, sub in enumerate(sub_headers):
            sheet.cell(row=4, column=first + offset, value=sub)
    for row in sheet.iter_rows(min_row=3, max_row=_HEADER_ROWS, max_col=last_column):
        for cell in row:
            cell.font = bold
            cell.alignment = centred
            cell.border = border

    totals = defaultdict(lambda: ZERO)
    row_number = _HEADER_ROWS
    for position, membership in enumerate(memberships, start=1):
        row_number += 1
        by_year_plan = plans.get(membership.pk, {})
        by_year_actual = actuals.get(membership.pk, {})
        values = [
            position,
            membership.enterprise.short_name,
            membership.enterprise.inn,
            membership.agreement_number or None,
            membership.agreement_date,
        ]
        for index, (name, _label) in enumerate(_XLSX_GROUPS):
            year_plan = by_year_plan.get(year, {}).get(name)
            year_actual = by_year_actual.get(year, {}).get(name)
            cumulative_plan = _sum(by_year_plan.values(), name)
            cumulative_actual = _sum(by_year_actual.values(), name)
            for offset, value in enumerate(
                (year_plan, year_actual, cumulative_plan, cumulative_actual)
            ):
                if value is not None:
                    totals[4 * index + offset] += value
                values.append(_cell_value(name, value))
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column, value=value)
            cell.border = border
        sheet.cell(row=row_number, column=5).number_format = "DD.MM.YYYY"

    row_number += 1
    sheet.cell(row=row_number, column=2, value=_("Итого"))
    for index, (name, _label) in enumerate(_XLSX_GROUPS):
        for offset in range(4):
            sheet.cell(
                row=row_number,
                column=_FIRST_FIGURE_COLUMN + 4 * index + offset,
                value=_cell_value(name, totals[4 * index + offset]),
            )
    for cell in sheet[row_number][:last_column]:
        cell.font = bold
        cell.border = border

    for index, (name, _label) in enumerate(_XLSX_GROUPS):
        for offset in range(4):
            column = _FIRST_FIGURE_COLUMN + 4 * index + offset
            for (cell,) in sheet.iter_rows(
                min_row=_HEADER_ROWS + 1, max_row=row_number, min_col=column, max_col=column
            ):
                cell.number_format = _JOBS_FORMAT if name == "jobs" else _MONEY_FORMAT

    widths = {1: 5, 2: 36, 3: 14, 4: 14, 5: 12}
    for column in range(1, last_column + 1):
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(column, 14)
    sheet.row_dimensions[3].height = 32
    sheet.row_dimensions[4].height = 32
    sheet.freeze_panes = sheet.cell(row=_HEADER_ROWS + 1, column=3)  # header and name stay

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
