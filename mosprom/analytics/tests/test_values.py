"""Which value a period gets (records vs imported history) and the comparisons."""

import datetime as dt
from decimal import Decimal

import pytest

from mosprom.analytics import catalogue
from mosprom.analytics.catalogue import Context, Kpi, Unit
from mosprom.analytics.models import ImportedValue
from mosprom.analytics.values import Source, compare, resolve, share_of_years, value_of
from mosprom.core.periods import Period, parse_period

pytestmark = pytest.mark.django_db

# Records from 1 March 2023: 10 a month.
SINCE = dt.date(2023, 3, 1)


def _monthly(period: Period) -> int:
    months = 0
    day = max(period.start, SINCE)
    while day <= period.end:
        months += 1
        day = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return 10 * months


@pytest.fixture
def kpi(monkeypatch):
    calls = []

    def compute(period):
        calls.append(period)
        return _monthly(period)

    test_kpi = Kpi(
        name="test_tours",
        title="Тестовые экскурсии",
        definition="Десять в месяц с марта 2023 года.",
        unit=Unit.COUNT,
        context=Context.TOURISM,
        compute=compute,
        since=lambda: SINCE,
        noun="экскурсия",
    )
    monkeypatch.setitem(catalogue._load(), "test_tours", test_kpi)
    return test_kpi


def _import(period_code: str, value, kpi="test_tours"):
    period = parse_period(period_code)
    ImportedValue.objects.create(
        kpi=kpi, period_start=period.start, period_end=period.end, value=Decimal(value)
    )


def test_computed_wins_over_imported_where_records_cover_the_period(kpi):
    _import("2023-Q2", 999)
    value = value_of(kpi, parse_period("2023-Q2"))
    assert (value.value, value.source, value.partial) == (30, Source.COMPUTED, False)


def test_imported_where_records_do_not_cover(kpi):
    _import("2022", 800)
    _import("2023", "1150.00")
    values = resolve(kpi, [Period.year(2022), Period.year(2023), Period.year(2021)])
    assert [(v.value, v.source) for v in values] == [
        (800, Source.IMPORTED),
        (1150, Source.IMPORTED),  # the records start in March: the imported year is whole
        (None, Source.NONE),
    ]
    assert isinstance(values[0].value, int)


def test_partial_computed_when_nothing_imported(kpi):
    value = value_of(kpi, Period.year(2023))
    assert (value.value, value.source, value.partial) == (100, Source.COMPUTED, True)


def test_an_import_for_another_period_shape_is_not_used(kpi):
    _import("2022", 800)
    assert value_of(kpi, Period.half(2022, 1)).source == Source.NONE


def test_compare_previous_and_year_before(kpi):
    _import("2023-Q2", 20)  # ignored: computed wins
    _import("2022-Q3", 15)
    result = compare(kpi, parse_period("2023-Q3"))
    assert result.current.value == 30
    assert (result.previous.base.value, result.previous.ratio, result.previous.percent) == (
        30,
        Decimal("1.00"),
        Decimal("0.0"),
    )
    assert (result.year_before.base.value, result.year_before.ratio) == (15, Decimal("2.00"))
    assert result.year_before.percent == Decimal("100.0")


def test_compare_without_a_base_gives_no_ratio(kpi):
    result = compare(kpi, parse_period("2023-Q3"))
    assert result.year_before.base.source == Source.NONE
    assert (result.year_before.ratio, result.year_before.percent) == (None, None)


def test_share_of_five_years(kpi):
    for year, value in ((2019, 150), (2020, 200), (2021, 250), (2022, 400)):
        _import(str(year), value)
    _import("2023", 500)  # a whole-year import beats the partial records
    share = share_of_years(kpi, 2023, years=5)
    assert [v.value for v in share.years] == [150, 200, 250, 400, 500]
    assert share.total == 1500
    assert share.share == Decimal("0.3333")


def test_share_unknown_when_a_year_is_missing(kpi):
    _import("2022", 400)
    share = share_of_years(kpi, 2023, years=5)
    assert (share.total, share.share) == (None, None)


def test_a_state_is_covered_from_its_last_day(monkeypatch):
    state = Kpi(
        name="test_state",
        title="Состояние",
        definition="—",
        unit=Unit.COUNT,
        context=Context.REGISTRY,
        compute=lambda period: 7,
        since=lambda: dt.date(2023, 6, 1),
        additive=False,
        state=True,
    )
    monkeypatch.setitem(catalogue._load(), "test_state", state)
    assert value_of(state, Period.year(2023)).source == Source.COMPUTED
    with pytest.raises(ValueError, match="does not add up"):
        share_of_years(state, 2023)


def test_memo_reads_each_period_once_inside_computing(kpi):
    calls = []

    @catalogue.memo
    def figures(period):
        calls.append(period)
        return 1

    with catalogue.computing():
        figures(Period.year(2023))
        figures(Period.year(2023))
    figures(Period.year(2023))
    assert len(calls) == 2


def test_catalogue_names_are_unique_and_complete():
    names = [kpi.name for kpi in catalogue.all_kpis()]
    assert len(names) == len(set(names))
    for expected in (
        "tours_held",
        "sites_hosted",
        "participants",
        "master_classes",
        "lectures",
        "games_held",
        "teams",
        "players",
        "online_tours",
        "views",
        "audience",
        "enterprises",
        "export_missions",
        "export_exhibitions",
        "export_companies",
        "export_meetings",
        "export_contract_value",
        "sez_residents",
        "sez_located",
        "sez_investment",
        "sez_jobs",
    ):
        assert expected in names
    for kpi in catalogue.all_kpis():
        assert str(kpi.title) and str(kpi.definition) and kpi.unit_label
