"""What the figures pages draw: charts of KPI series and the KPIs' comparisons.

``dashboard(period=…, public=…)`` computes a page's charts and headline rows inside one
``catalogue.computing()`` block, so every context's figures for a period are read once however
many charts share them. The number of queries depends on the number of periods drawn (at most
24 months, or the years of a longer range — never more than ``MAX_YEARS``) and of KPIs, never
on the number of records.

A chart splits the chosen period into *buckets*: its months or quarters (clipped to the
period at the edges), or its years when it is longer than 24 months. The tourism charts put
each bucket beside the same days a year earlier; the SEZ and the media charts show the five
years ending with the period (their figures are reported per year or quarter). Every value
carries its source — the platform's records, an imported historical value, or records that
cover the period only in part — and the tables say which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mosprom.analytics.catalogue import Kpi, Number, all_kpis, computing, get_kpi
from mosprom.analytics.values import Change, Comparison, KpiValue, Source, compare, resolve
from mosprom.core.periods import MONTHS, Period, PeriodError

MAX_MONTHS = 24  # a longer period is drawn by years
MAX_YEARS = 10  # the longest period a page draws
YEARS_SHOWN = 5  # the charts by year show the five years ending with the period


# --- Where a value comes from --------------------------------------------------------------


class Origin:
    """A value's source as the pages and files name it."""

    RECORDS = "records"
    IMPORTED = "imported"
    PARTIAL = "partial"
    NONE = "none"

    LABELS = {
        RECORDS: gettext_lazy("по записям платформы"),
        IMPORTED: gettext_lazy("импортировано"),
        PARTIAL: gettext_lazy("неполные данные"),
        NONE: gettext_lazy("нет данных"),
    }
    # The weakest source wins when values are combined (``_derived``).
    STRENGTH = (RECORDS, IMPORTED, PARTIAL, NONE)


def origin_of(value: KpiValue) -> str:
    if value.source == Source.IMPORTED:
        return Origin.IMPORTED
    if value.source == Source.NONE:
        return Origin.NONE
    return Origin.PARTIAL if value.partial else Origin.RECORDS


# --- Numbers as people read them -------------------------------------------------------------


def format_value(value: Number | None) -> str:
    """«1 234», «70 800 000 000», «12,50»; «—» when unknown."""
    if value is None:
        return "—"
    places = 0 if Decimal(value) == Decimal(value).to_integral_value() else 2
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def format_ratio(ratio: Decimal | None) -> str:
    return "—" if ratio is None else number_format(ratio, decimal_pos=2, use_l10n=True)


def format_percent(percent: Decimal | None) -> str:
    """«+51,0%», «−12,5%», «0,0%»; «—» when there is nothing to compare with."""
    if percent is None:
        return "—"
    text = number_format(abs(percent), decimal_pos=1, use_l10n=True, force_grouping=True)
    sign = "+" if percent > 0 else "−" if percent < 0 else ""
    return f"{sign}{text}%"


# --- Charts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    name: str  # the legend: «2024 год», «Инвестиции»
    values: list[Number | None]
    kpi: str  # the KPI's name
    periods: list[Period]  # the period of each value
    sources: list[str]  # Origin of each value
    unit: str = ""  # the KPI's unit label
    axis: str = "y"  # "y" (left) or "y2" (right, for a second unit)
    kind: str = ""  # "line" or "bar" when it differs from the chart's kind


@dataclass(frozen=True)
class Cell:
    value: Number | None
    source: str
    period: Period

    @property
    def text(self) -> str:
        return format_value(self.value)

    @property
    def source_label(self) -> str:
        return str(Origin.LABELS[self.source])


@dataclass(frozen=True)
class ChartRow:
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    kind: str  # "line", "bar" or "stacked" (bars stacked per label)
    labels: list[str]
    series: list[Series]
    unit: str  # the left axis
    description: str = ""

    @property
    def rows(self) -> list[ChartRow]:
        """The table view: one row per label, a cell per series."""
        return [
            ChartRow(label, [Cell(s.values[i], s.sources[i], s.periods[i]) for s in self.series])
            for i, label in enumerate(self.labels)
        ]

    @property
    def has_data(self) -> bool:
        return any(value is not None for series in self.series for value in series.values)

    @property
    def origins(self) -> list[str]:
        """The sources present in the chart, strongest first (for the legend under it)."""
        found = {source for series in self.series for source in series.sources}
        return [str(Origin.LABELS[o]) for o in Origin.STRENGTH if o in found]

    @property
    def right_unit(self) -> str:
        return next((s.unit for s in self.series if s.axis == "y2"), "")

    def config(self) -> dict:
        """The data Chart.js draws (the page's script adds colours and options)."""
        return {
            "key": self.key,
            "kind": self.kind,
            "labels": self.labels,
            "unit": self.unit,
            "unit2": self.right_unit,
            "series": [
                {
                    "name": s.name,
                    "kpi": s.kpi,
                    "kind": s.kind or ("bar" if self.kind == "stacked" else self.kind),
                    "axis": s.axis,
                    "values": [None if v is None else float(v) for v in s.values],
                    "sources": s.sources,
                }
                for s in self.series
            ],
        }


# --- Headline rows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeView:
    label: str  # which period the value is compared with
    base: Cell
    ratio: str
    percent: str
    percent_value: Decimal | None


@dataclass(frozen=True)
class KpiRow:
    kpi: Kpi
    current: Cell
    previous: ChangeView
    year_before: ChangeView

    @property
    def changes(self) -> list[ChangeView]:
        return [self.previous, self.year_before]


def _change_view(change: Change) -> ChangeView:
    base = change.base
    return ChangeView(
        base.period.label,
        Cell(base.value, origin_of(base), base.period),
        format_ratio(change.ratio),
        format_percent(change.percent),
        change.percent,
    )


def _row(comparison: Comparison) -> KpiRow:
    current = comparison.current
    return KpiRow(
        current.kpi,
        Cell(current.value, origin_of(current), current.period),
        _change_view(comparison.previous),
        _change_view(comparison.year_before),
    )


@dataclass(frozen=True)
class KpiGroup:
    title: str
    rows: list[KpiRow]


def kpi_rows(*, period: Period, public: bool = False) -> list[KpiGroup]:
    """Every KPI (only the public ones when ``public``) for ``period`` with its comparisons,
    grouped by context in catalogue order."""
    groups: dict[str, KpiGroup] = {}
    with computing():
        for kpi in all_kpis(public_only=public):
            group = groups.setdefault(kpi.context, KpiGroup(kpi.context_label, []))
            group.rows.append(_row(compare(kpi, period)))
    return list(groups.values())


# --- Periods into buckets --------------------------------------------------------------------


def check_period(period: Period) -> None:
    """``PeriodError`` (Russian) when the pages cannot draw ``period``."""
    if period.end > _add_years(period.start, MAX_YEARS) - dt.timedelta(days=1):
        raise PeriodError(_("Выберите период не длиннее %(years)d лет.") % {"years": MAX_YEARS})


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _clip(part: Period, whole: Period) -> Period:
    return Period(max(part.start, whole.start), min(part.end, whole.end))


def buckets(period: Period, *, months: int = 1) -> list[Period]:
    """``period`` cut into spans of ``months`` months (1: months, 3: quarters, aligned to the
    calendar), or into years when it is longer than ``MAX_MONTHS``; clipped to the period."""
    check_period(period)
    spans = []
    year, month = period.start.year, (period.start.month - 1) // months * months + 1
    while dt.date(year, month, 1) <= period.end:
        spans.append(_clip(Period.months(year, month, months), period))
        year, month = (year, month + months) if month + months <= 12 else (year + 1, 1)
    if (
        period.end.year - period.start.year
    ) * 12 + period.end.month - period.start.month < MAX_MONTHS:
        return spans
    return [
        _clip(Period.year(year), period) for year in range(period.start.year, period.end.year + 1)
    ]


def bucket_label(bucket: Period, *, with_year: bool) -> str:
    """«Январь», «Январь 2024», «1 кв.», «2024», or the days «01.03–15.03.2024»."""
    code = bucket.code
    year = bucket.start.year
    if len(code) == 4:
        return code
    if len(code) == 7 and code[5:].isdigit():
        name = _(MONTHS[bucket.start.month - 1]).capitalize()
        return f"{name} {year}" if with_year else name
    if len(code) == 7 and code[5] == "Q":
        name = _("%(n)s кв.") % {"n": code[6]}
        return f"{name} {year}" if with_year else name
    if bucket.start.year == bucket.end.year:
        return f"{bucket.start:%d.%m}–{bucket.end:%d.%m.%Y}"
    return f"{bucket.start:%d.%m.%Y}–{bucket.end:%d.%m.%Y}"


def _labels(periods: Sequence[Period]) -> list[str]:
    years = {p.start.year for p in periods} | {p.end.year for p in periods}
    return [bucket_label(p, with_year=len(years) > 1) for p in periods]


# --- Building series -------------------------------------------------------------------------


def _kpi(name: str) -> Kpi:
    kpi = get_kpi(name)
    if kpi is None:
        raise LookupError(f"unknown KPI {name!r}")
    return kpi


def _series(
    name: str, periods: Sequence[Period], *, label: str = "", axis: str = "y", kind: str = ""
) -> Series:
    kpi = _kpi(name)
    values = resolve(kpi, periods)
    return Series(
        name=label or kpi.title,
        values=[v.value for v in values],
        kpi=kpi.name,
        periods=list(periods),
        sources=[origin_of(v) for v in values],
        unit=kpi.unit_label,
        axis=axis,
        kind=kind,
    )


def _derived(name: str, whole: Series, parts: Sequence[Series], *, label: str) -> Series:
    """``whole`` minus ``parts`` per period (e.g. the formats other than the named ones)."""
    values, sources = [], []
    for i in range(len(whole.values)):
        involved = [whole, *parts]
        source = max((s.sources[i] for s in involved), key=Origin.STRENGTH.index)
        if any(s.values[i] is None for s in involved):
            values.append(None)
            sources.append(Origin.NONE)
            continue
        values.append(max(whole.values[i] - sum(s.values[i] for s in parts), 0))
        sources.append(source)
    return Series(label, values, name, whole.periods, sources, whole.unit)


def _year_before(periods: Sequence[Period]) -> list[Period]:
    return [p.year_before() for p in periods]


def _this_and_last_year(key: str, kpi: str, title: str, period: Period) -> Chart:
    months = buckets(period)
    current = _series(kpi, months, label=period.label)
    before = _series(kpi, _year_before(months), label=period.year_before().label)
    return Chart(
        key=key,
        title=title,
        kind="line",
        labels=_labels(months),
        series=[current, before],
        unit=current.unit,
        description=_("%(title)s: %(period)s в сравнении с тем же периодом годом раньше.")
        % {"title": title, "period": period.label},
    )


def _tours(period: Period) -> Chart:
    return _this_and_last_year("tours", "tours_held", _("Экскурсии по месяцам"), period)


def _participants(period: Period) -> Chart:
    return _this_and_last_year(
        "participants", "participants", _("Участники очных мероприятий"), period
    )


def _sites(period: Period) -> Chart:
    return _this_and_last_year("sites", "sites_hosted", _("Площадки, принявшие гостей"), period)


def _formats(period: Period) -> Chart:
    months = buckets(period)
    named = [_series(name, months) for name in ("tours_held", "master_classes", "lectures")]
    other = _derived(
        "events_held", _series("events_held", months), named, label=_("Другие форматы")
    )
    title = _("Форматы мероприятий")
    return Chart(
        key="formats",
        title=title,
        kind="stacked",
        labels=_labels(months),
        series=[*named, other],
        unit=named[0].unit,
        description=_(
            "%(title)s: экскурсии, мастер-классы, лекции и другие форматы по месяцам, %(period)s."
        )
        % {"title": title, "period": period.label},
    )


def _games(period: Period) -> Chart:
    months = buckets(period)
    title = _("Игры и игроки")
    return Chart(
        key="games",
        title=title,
        kind="bar",
        labels=_labels(months),
        series=[
            _series("games_held", months),
            _series("players", months, axis="y2", kind="line"),
        ],
        unit=_kpi("games_held").unit_label,
        description=_("%(title)s: игры (столбцы) и игроки (линия), %(period)s.")
        % {"title": title, "period": period.label},
    )


def _years_to(period: Period) -> list[Period]:
    last = period.end.year
    return [Period.year(year) for year in range(last - YEARS_SHOWN + 1, last + 1)]


def _media(period: Period) -> Chart:
    # Views and reach are often entered for a whole year or quarter and count only in the
    # periods that contain them, so months would undercount: the chart goes by year.
    years = _years_to(period)
    title = _("Просмотры и аудитория по годам")
    return Chart(
        key="media",
        title=title,
        kind="line",
        labels=[str(p.start.year) for p in years],
        series=[_series("views", years), _series("audience", years, axis="y2")],
        unit=_kpi("views").unit_label,
        description=_(
            "%(title)s: просмотры онлайн-экскурсий и аудитория программы за %(first)s–%(last)s "
            "годы."
        )
        % {"title": title, "first": years[0].start.year, "last": years[-1].start.year},
    )


def _export(period: Period) -> Chart:
    # Events are few: quarters read better than mostly empty months.
    quarters = buckets(period, months=3)
    title = _("Экспортные мероприятия и контракты")
    names = ("export_missions", "export_exhibitions", "export_b2b")
    kinds = [_series(name, quarters) for name in names]
    value = _series("export_contract_value", quarters, axis="y2", kind="line")
    return Chart(
        key="export",
        title=title,
        kind="stacked",
        labels=_labels(quarters),
        series=[*kinds, value],
        unit=kinds[0].unit,
        description=_(
            "%(title)s: мероприятия по видам (столбцы) и сумма контрактов (линия) по кварталам, "
            "%(period)s."
        )
        % {"title": title, "period": period.label},
    )


def _sez(period: Period) -> Chart:
    years = _years_to(period)
    last = years[-1].start.year
    title = _("ОЭЗ: инвестиции и рабочие места")
    return Chart(
        key="sez",
        title=title,
        kind="bar",
        labels=[str(p.start.year) for p in years],
        series=[
            _series("sez_investment", years),
            _series("sez_jobs", years, axis="y2", kind="line"),
        ],
        unit=_kpi("sez_investment").unit_label,
        description=_(
            "%(title)s: инвестиции (столбцы) и новые рабочие места (линия) за %(first)s–%(last)s "
            "годы."
        )
        % {"title": title, "first": years[0].start.year, "last": last},
    )


@dataclass(frozen=True)
class ChartSpec:
    key: str
    build: Callable[[Period], Chart] = field(repr=False)
    kpis: tuple[str, ...]
    on_public_page: bool = False


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec("tours", _tours, ("tours_held",), on_public_page=True),
    ChartSpec("participants", _participants, ("participants",)),
    ChartSpec("sites", _sites, ("sites_hosted",)),
    ChartSpec(
        "formats",
        _formats,
        ("tours_held", "master_classes", "lectures", "events_held"),
        on_public_page=True,
    ),
    ChartSpec("games", _games, ("games_held", "players"), on_public_page=True),
    ChartSpec("media", _media, ("views", "audience")),
    ChartSpec(
        "export",
        _export,
        ("export_missions", "export_exhibitions", "export_b2b", "export_contract_value"),
    ),
    ChartSpec("sez", _sez, ("sez_investment", "sez_jobs"), on_public_page=True),
)

# The KPIs whose comparisons head the pages (the public page keeps the public ones).
HEADLINES = (
    "tours_held",
    "sites_hosted",
    "participants",
    "master_classes",
    "games_held",
    "players",
    "online_tours",
    "views",
    "audience",
    "export_missions",
    "export_contract_value",
    "sez_residents",
    "sez_investment",
    "sez_jobs",
    "enterprises",
)


def _specs(*, public: bool) -> list[ChartSpec]:
    if not public:
        return list(CHARTS)
    return [
        spec
        for spec in CHARTS
        if spec.on_public_page and all(_kpi(name).public for name in spec.kpis)
    ]


def chart_keys(*, public: bool = False) -> list[str]:
    return [spec.key for spec in _specs(public=public)]


def chart(key: str, *, period: Period, public: bool = False) -> Chart:
    """One chart (``LookupError`` for an unknown key or one not shown on that page)."""
    spec = next((s for s in _specs(public=public) if s.key == key), None)
    if spec is None:
        raise LookupError(f"unknown chart {key!r}")
    check_period(period)
    with computing():
        return spec.build(period)


@dataclass(frozen=True)
class Dashboard:
    period: Period
    charts: list[Chart]
    rows: list[KpiRow]  # the headline KPIs with their comparisons

    def chart(self, key: str) -> Chart:
        return next(c for c in self.charts if c.key == key)

    @property
    def known_rows(self) -> list[KpiRow]:
        """The headline rows that have a value (the public page leaves the others out)."""
        return [row for row in self.rows if row.current.value is not None]


def dashboard(*, period: Period, public: bool = False) -> Dashboard:
    """The charts and headline rows of a figures page for ``period`` (only public KPIs when
    ``public``), in a number of queries that does not grow with the records.
    ``PeriodError`` when the period is too long to draw."""
    check_period(period)
    with computing():
        charts = [spec.build(period) for spec in _specs(public=public)]
        rows = [
            _row(compare(kpi, period)) for kpi in map(_kpi, HEADLINES) if kpi.public or not public
        ]
    return Dashboard(period, charts, rows)
