"""KPI values for periods: computed from the records or imported history, and comparisons.

Which value a period gets (``resolve``):

1. the records cover the period (it starts on or after the KPI's ``since()``; for a state
   such as residents or enterprises: it ends on or after it): the computed value — it always
   wins over an imported one;
2. otherwise an imported value for exactly that period, if organisers imported one;
3. otherwise, when the records cover part of the period, the computed value marked
   ``partial`` (the page says the records start later);
4. otherwise no value (``source == "none"``): the platform knows nothing about that period.

Comparisons put a value beside the previous period of the same shape and the same period a
year earlier (ratio and percentage change); ``share_of_years`` gives a year's share of the
total over the last N years (additive KPIs only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from mosprom.analytics.catalogue import Kpi, Number, memo
from mosprom.analytics.models import ImportedValue
from mosprom.core.periods import Period


class Source:
    COMPUTED = "computed"
    IMPORTED = "imported"
    NONE = "none"


@dataclass(frozen=True)
class KpiValue:
    kpi: Kpi
    period: Period
    value: Number | None
    source: str
    partial: bool = False

    @property
    def known(self) -> bool:
        return self.value is not None


@memo
def _imported_rows(starts: frozenset) -> dict[tuple, Decimal]:
    """Every imported value starting on one of ``starts``, for all KPIs (one query, read once
    per ``computing()`` block however many KPIs ask)."""
    rows = ImportedValue.objects.filter(period_start__in=starts).values_list(
        "kpi", "period_start", "period_end", "value"
    )
    return {(kpi, start, end): value for kpi, start, end, value in rows}


def _imported(kpi: Kpi, periods: Sequence[Period]) -> dict[tuple, Decimal]:
    rows = _imported_rows(frozenset(period.start for period in periods))
    return {(start, end): value for (name, start, end), value in rows.items() if name == kpi.name}


def _as_number(value: Decimal) -> Number:
    return int(value) if value == value.to_integral_value() else value


def resolve(kpi: Kpi, periods: Sequence[Period]) -> list[KpiValue]:
    """The value of ``kpi`` for each of ``periods`` by the rule in the module docstring: one
    query for ``since``, one for imported values, and the KPI's series queries."""
    since = kpi.since()
    imported = _imported(kpi, periods)
    computed_for = list(dict.fromkeys(p for p in periods if since is not None and since <= p.end))
    computed = dict(zip(computed_for, kpi.series(computed_for), strict=True))
    values = []
    for period in periods:
        # A flow needs records from the period's first day, a state only on its last day.
        if since is not None and since <= (period.end if kpi.state else period.start):
            values.append(KpiValue(kpi, period, computed[period], Source.COMPUTED))
        elif (period.start, period.end) in imported:
            number = _as_number(imported[(period.start, period.end)])
            values.append(KpiValue(kpi, period, number, Source.IMPORTED))
        elif period in computed:
            values.append(KpiValue(kpi, period, computed[period], Source.COMPUTED, partial=True))
        else:
            values.append(KpiValue(kpi, period, None, Source.NONE))
    return values


def value_of(kpi: Kpi, period: Period) -> KpiValue:
    return resolve(kpi, [period])[0]


PERCENT = Decimal("0.1")
RATIO = Decimal("0.01")


@dataclass(frozen=True)
class Change:
    base: KpiValue
    ratio: Decimal | None  # current / base, two decimals
    percent: Decimal | None  # (current − base) / base × 100, one decimal


def change(current: KpiValue, base: KpiValue) -> Change:
    if not (current.known and base.known) or not base.value:
        return Change(base, None, None)
    ratio = Decimal(current.value) / Decimal(base.value)
    percent = (ratio - 1) * 100
    return Change(
        base,
        ratio.quantize(RATIO, rounding=ROUND_HALF_UP),
        percent.quantize(PERCENT, rounding=ROUND_HALF_UP),
    )


@dataclass(frozen=True)
class Comparison:
    current: KpiValue
    previous: Change  # the period of the same shape just before
    year_before: Change  # the same days a year earlier


def compare(kpi: Kpi, period: Period) -> Comparison:
    """``kpi`` for ``period`` against the previous period and the same period a year before."""
    previous, year_before = period.previous(), period.year_before()
    wanted = list(dict.fromkeys([period, previous, year_before]))
    by_period = {value.period: value for value in resolve(kpi, wanted)}
    current = by_period[period]
    return Comparison(
        current,
        change(current, by_period[previous]),
        change(current, by_period[year_before]),
    )


@dataclass(frozen=True)
class Share:
    value: KpiValue
    years: list[KpiValue]  # the N years the total is taken over, oldest first
    total: Number | None  # None when a year has no value
    share: Decimal | None  # value / total, four decimals


def share_of_years(kpi: Kpi, year: int, *, years: int = 5) -> Share:
    """``year``'s value of an additive ``kpi`` as a share of the total of the ``years`` years
    ending with it (e.g. «треть от общего количества за пять лет»)."""
    if not kpi.additive:
        raise ValueError(f"{kpi.name} does not add up over years (a state or distinct count)")
    periods = [Period.year(y) for y in range(year - years + 1, year + 1)]
    values = resolve(kpi, periods)
    if any(not value.known for value in values):
        return Share(values[-1], values, None, None)
    total = sum(value.value for value in values)
    share = (
        (Decimal(values[-1].value) / Decimal(total)).quantize(Decimal("0.0001")) if total else None
    )
    return Share(values[-1], values, total, share)
