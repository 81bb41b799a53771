"""The dashboard's data (mosprom/analytics/dashboard.py) and the chart files (exports.py):
periods cut into buckets, series with their sources, the public subset, and a number of
queries that does not grow with the records."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mosprom.accounts.tests.factories import make_user
from mosprom.analytics import catalogue
from mosprom.analytics.dashboard import (
    CHARTS,
    HEADLINES,
    Chart,
    Origin,
    Series,
    bucket_label,
    buckets,
    chart,
    chart_keys,
    dashboard,
    format_percent,
    format_value,
    kpi_rows,
)
from mosprom.analytics.exports import chart_csv, chart_xlsx, filename
from mosprom.analytics.models import ImportedValue
from mosprom.core import clock
from mosprom.core.periods import Period, PeriodError, parse_period
from mosprom.export.models import ApplicationStatus, Contract, EventKind, OutcomeReport
from mosprom.export.tests.factories import make_application, make_export_event
from mosprom.games.tests.factories import make_game, make_team
from mosprom.media.tests.factories import make_online_tour
from mosprom.registry.tests.factories import make_enterprise
from mosprom.sez.tests.factories import make_period, make_report, make_resident, make_zone
from mosprom.tourism.models import Booking, BookingStatus, ExperienceKind
from mosprom.tourism.tests.factories import make_experience, make_season, make_session

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 15, 12, 0, tzinfo=dt.UTC)
YEAR_2024 = Period.year(2024)


@pytest.fixture
def frozen_now():
    with clock.frozen(NOW):
        yield NOW


def moscow(day: dt.date, hour: int = 11) -> dt.datetime:
    return clock.start_of_day(day) + dt.timedelta(hours=hour)


def imported(kpi: str, code: str, value) -> ImportedValue:
    period = parse_period(code)
    return ImportedValue.objects.create(
        kpi=kpi, period_start=period.start, period_end=period.end, value=Decimal(value)
    )


# --- Records in every context ----------------------------------------------------------------


def add_records(day: dt.date, *, copies: int = 1) -> None:
    """For each of ``copies``: an excursion and a master class held on ``day`` with a booking
    of two places, a game with a team of two, an export mission ended that day with a
    participant's contract of 1 000 000 ₽, an enterprise and an online tour published that day.
    """
    season = make_season(
        starts_on=day, ends_on=day, registration_opens_at=moscow(day) - dt.timedelta(days=30)
    )
    for _ in range(copies):
        for kind in (ExperienceKind.EXCURSION, ExperienceKind.MASTER_CLASS):
            session = make_session(
                experience=make_experience(kind=kind), season=season, starts_at=moscow(day)
            )
            Booking.objects.create(
                session=session, user=make_user(), places=2, status=BookingStatus.CONFIRMED
            )
        game = make_game(
            starts_at=moscow(day, 18),
            registration_opens_at=moscow(day) - dt.timedelta(days=20),
            registration_closes_at=moscow(day) - dt.timedelta(days=1),
        )
        make_team(game=game)
        event = make_export_event(
            kind=EventKind.MISSION,
            starts_on=day - dt.timedelta(days=3),
            ends_on=day,
            with_call=False,
        )
        application = make_application(event=event, status=ApplicationStatus.PARTICIPATED)
        report = OutcomeReport.objects.create(
            application=application, meetings_held=5, agreements=1, submitted_at=moscow(day)
        )
        Contract.objects.create(report=report, counterpart="Buyer", value=Decimal("1000000"))
        make_enterprise()
        make_online_tour(published_on=day)


def base_records() -> None:
    """Records in every quarter of 2023 and 2024 (so each of the dashboard's periods has data
    and every query a figure function makes only for data is made) and SEZ reports."""
    for year in (2023, 2024):
        for month in (2, 5, 8, 11):
            add_records(dt.date(year, month, 10))
    add_sez()


def more_records() -> None:
    """Many more records inside the same periods (the first records stay the first)."""
    for day in (dt.date(2024, 1, 9), dt.date(2024, 7, 7), dt.date(2024, 11, 30)):
        add_records(day, copies=3)
    add_records(dt.date(2023, 9, 9), copies=2)
    add_sez(residents=3)


def add_sez(years=(2023, 2024), *, residents: int = 1) -> None:
    zone = make_zone()
    for _ in range(residents):
        membership, _host = make_resident(zone=zone)
        for year in years:
            make_report(
                membership,
                make_period(zone=zone, year=year),
                investment=Decimal("1000000") * (year - 2020),
                jobs_created=10 * (year - 2020),
            )


# --- Buckets ---------------------------------------------------------------------------------


def test_a_year_is_drawn_by_month():
    months = buckets(YEAR_2024)
    assert [p.code for p in months] == [f"2024-{m:02d}" for m in range(1, 13)]
    assert [p.code for p in buckets(YEAR_2024, months=3)] == [f"2024-Q{q}" for q in (1, 2, 3, 4)]


def test_a_range_is_clipped_at_its_edges():
    period = parse_period("2024-01-15..2024-03-10")
    assert [(p.start, p.end) for p in buckets(period)] == [
        (dt.date(2024, 1, 15), dt.date(2024, 1, 31)),
        (dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        (dt.date(2024, 3, 1), dt.date(2024, 3, 10)),
    ]
    assert [p.code for p in buckets(period, months=3)] == ["2024-01-15..2024-03-10"]


def test_two_years_are_months_and_longer_ranges_years():
    assert len(buckets(parse_period("2023-01-01..2024-12-31"))) == 24
    long = buckets(parse_period("2021-07-01..2024-03-31"))
    assert [p.code for p in long] == ["2021-H2", "2022", "2023", "2024-Q1"]
    labels = [bucket_label(p, with_year=True) for p in long]
    assert labels == ["01.07–31.12.2021", "2022", "2023", "1 кв. 2024"]


def test_more_than_ten_years_is_refused_in_russian():
    assert len(buckets(parse_period("2015-01-01..2024-12-31"))) == 10
    with pytest.raises(PeriodError, match="не длиннее 10 лет"):
        buckets(parse_period("2015-01-01..2025-01-01"))
    with pytest.raises(PeriodError):
        dashboard(period=parse_period("2000-01-01..2024-12-31"))


@pytest.mark.parametrize(
    ("code", "with_year", "label"),
    [
        ("2024-05", False, "Май"),
        ("2024-05", True, "Май 2024"),
        ("2024-Q2", False, "2 кв."),
        ("2024-Q2", True, "2 кв. 2024"),
        ("2024", False, "2024"),
        ("2024-05-03..2024-05-31", False, "03.05–31.05.2024"),
        ("2023-12-03..2024-01-05", False, "03.12.2023–05.01.2024"),
    ],
)
def test_bucket_labels(code, with_year, label):
    assert bucket_label(parse_period(code), with_year=with_year) == label


def test_numbers_as_people_read_them():
    assert format_value(None) == "—"
    assert format_value(1234567).replace("\xa0", " ") == "1 234 567"
    assert format_value(Decimal("12.50")) == "12,50"
    assert format_value(Decimal("70800000000.00")).replace("\xa0", " ") == "70 800 000 000"
    assert format_percent(Decimal("51.0")) == "+51,0%"
    assert format_percent(Decimal("-12.5")) == "−12,5%"
    assert format_percent(None) == "—"


# --- Charts from records and imported history ------------------------------------------------


def test_sez_chart_is_five_years_with_records_and_imported_history(frozen_now):
    add_sez()
    imported("sez_investment", "2021", "500000")  # before the records start
    imported("sez_investment", "2023", "1")  # ignored: the records cover 2023
    sez = chart("sez", period=YEAR_2024)
    assert sez.labels == ["2020", "2021", "2022", "2023", "2024"]
    investment, jobs = sez.series
    assert (investment.kpi, jobs.kpi, jobs.axis) == ("sez_investment", "sez_jobs", "y2")
    assert investment.values == [None, 500000, None, Decimal("3000000"), Decimal("4000000")]
    assert investment.sources == [
        Origin.NONE,
        Origin.IMPORTED,
        Origin.NONE,
        Origin.RECORDS,
        Origin.RECORDS,
    ]
    assert jobs.values[-2:] == [30, 40]
    assert sez.has_data


def test_export_chart_counts_events_by_kind_per_quarter(frozen_now):
    add_records(dt.date(2024, 2, 10))
    add_records(dt.date(2024, 8, 20), copies=2)
    make_export_event(
        kind=EventKind.EXHIBITION,
        starts_on=dt.date(2024, 11, 1),
        ends_on=dt.date(2024, 11, 5),
        with_call=False,
    )
    export = chart("export", period=YEAR_2024)
    assert export.labels == ["1 кв.", "2 кв.", "3 кв.", "4 кв."]
    by_kpi = {s.kpi: s.values for s in export.series}
    assert by_kpi["export_missions"] == [1, 0, 2, 0]
    assert by_kpi["export_exhibitions"] == [0, 0, 0, 1]
    assert by_kpi["export_b2b"] == [0, 0, 0, 0]
    assert by_kpi["export_contract_value"] == [
        Decimal("1000000"),
        0,
        Decimal("2000000"),
        0,
    ]
    assert export.kind == "stacked"
    assert export.config()["series"][3]["kind"] == "line"


def test_tours_chart_puts_each_month_beside_a_year_earlier(frozen_now):
    add_records(dt.date(2024, 3, 5))
    add_records(dt.date(2024, 3, 20))
    add_records(dt.date(2024, 7, 1))
    imported("tours_held", "2023-03", 1)  # history before the records: shown as imported
    tours = chart("tours", period=YEAR_2024)
    current, before = tours.series
    assert (current.name, before.name) == ("2024 год", "2023 год")
    # The records start on 5 March 2024: none before, March only in part, complete after.
    assert current.values[:3] == [None, None, 2] and current.values[6] == 1
    assert current.sources[:4] == [Origin.NONE, Origin.NONE, Origin.PARTIAL, Origin.RECORDS]
    assert [p.code for p in before.periods][:3] == ["2023-01", "2023-02", "2023-03"]
    assert before.values[2] == 1 and before.sources[2] == Origin.IMPORTED
    assert before.values[0] is None and before.sources[0] == Origin.NONE


def test_formats_chart_derives_other_formats_from_all_events(frozen_now):
    add_records(dt.date(2024, 4, 2))
    tasting = make_experience(kind=ExperienceKind.TASTING)
    make_session(experience=tasting, starts_at=moscow(dt.date(2024, 4, 3)))
    formats = chart("formats", period=parse_period("2024-Q2"))
    assert formats.labels == ["Апрель", "Май", "Июнь"]
    by_name = {s.name: s.values for s in formats.series}
    assert by_name["Экскурсии"] == [1, 0, 0]
    assert by_name["Мастер-классы"] == [1, 0, 0]
    assert by_name["Лекции"] == [0, 0, 0]
    assert by_name["Другие форматы"] == [1, 0, 0]


def test_other_formats_are_unknown_when_a_part_is():
    def series(values, sources):
        periods = [Period.month(2024, m) for m in (1, 2)]
        return Series("x", values, "tours_held", periods, sources, "шт.")

    from mosprom.analytics.dashboard import _derived

    whole = series([10, 8], [Origin.RECORDS, Origin.IMPORTED])
    part = series([4, None], [Origin.PARTIAL, Origin.NONE])
    other = _derived("events_held", whole, [part], label="Другие")
    assert other.values == [6, None]
    assert other.sources == [Origin.PARTIAL, Origin.NONE]


def test_unknown_chart_is_a_lookup_error():
    with pytest.raises(LookupError):
        chart("nope", period=YEAR_2024)
    with pytest.raises(LookupError):
        chart("participants", period=YEAR_2024, public=True)  # not on the public page


# --- The whole dashboard ---------------------------------------------------------------------


def test_dashboard_has_every_chart_and_the_headlines(frozen_now):
    add_records(dt.date(2024, 5, 14))
    add_sez()
    board = dashboard(period=YEAR_2024)
    assert [c.key for c in board.charts] == [spec.key for spec in CHARTS]
    assert [row.kpi.name for row in board.rows] == list(HEADLINES)
    tours = next(row for row in board.rows if row.kpi.name == "tours_held")
    # The records start in May: the year's value is computed but marked partial.
    assert (tours.current.value, tours.current.source) == (1, Origin.PARTIAL)
    jobs = next(row for row in board.rows if row.kpi.name == "sez_jobs")
    assert (jobs.current.value, jobs.previous.base.value) == (40, 30)
    assert (jobs.year_before.ratio, jobs.year_before.percent) == ("1,33", "+33,3%")
    for each in board.charts:
        assert len(each.rows) == len(each.labels)
        assert all(len(row.cells) == len(each.series) for row in each.rows)


def test_public_dashboard_keeps_public_kpis_only(frozen_now, monkeypatch):
    games = catalogue.get_kpi("games_held")
    monkeypatch.setitem(catalogue._load(), "games_held", dataclasses.replace(games, public=False))
    board = dashboard(period=YEAR_2024, public=True)
    assert [c.key for c in board.charts] == ["tours", "formats", "sez"]
    assert chart_keys(public=True) == ["tours", "formats", "sez"]
    names = {row.kpi.name for row in board.rows}
    assert "games_held" not in names and "tours_held" in names
    assert all(row.kpi.public for row in board.rows)


def test_kpi_rows_cover_the_catalogue_grouped_by_context(frozen_now):
    groups = kpi_rows(period=YEAR_2024)
    names = [row.kpi.name for group in groups for row in group.rows]
    assert names == [kpi.name for kpi in catalogue.all_kpis()]
    public = [row.kpi.name for g in kpi_rows(period=YEAR_2024, public=True) for row in g.rows]
    assert "sez_revenue" in names and "sez_revenue" not in public


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


@pytest.mark.parametrize("public", [False, True])
def test_dashboard_queries_do_not_grow_with_the_records(
    frozen_now, django_assert_max_num_queries, public
):
    base_records()
    show = lambda: dashboard(period=YEAR_2024, public=public)  # noqa: E731
    with django_assert_max_num_queries(200 if not public else 180):
        show()
    few = _queries(show)
    more_records()
    assert _queries(show) == few


# --- Files -----------------------------------------------------------------------------------


def _small_chart() -> Chart:
    months = [Period.month(2024, 1), Period.month(2024, 2)]
    return Chart(
        key="tours",
        title="Экскурсии по месяцам",
        kind="line",
        labels=["Январь", "Февраль"],
        series=[
            Series(
                "2024 год", [12, None], "tours_held", months, [Origin.RECORDS, Origin.NONE], "шт."
            ),
            Series(
                "=Сумма",
                [Decimal("1500.50"), 7],
                "export_contract_value",
                months,
                [Origin.IMPORTED, Origin.PARTIAL],
                "руб.",
            ),
        ],
        unit="шт.",
    )


def test_chart_csv_is_the_table_for_russian_excel():
    data = chart_csv(_small_chart())
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        [
            "Период",
            "2024 год, шт.",
            "2024 год: источник",
            "2024 год: период",
            "'=Сумма, руб.",
            "'=Сумма: источник",
            "'=Сумма: период",
        ],
        ["Январь", "12", "по записям платформы", "2024-01", "1500,50", "импортировано", "2024-01"],
        ["Февраль", "", "нет данных", "2024-02", "7", "неполные данные", "2024-02"],
    ]


def test_chart_xlsx_keeps_numbers_as_numbers():
    book = openpyxl.load_workbook(io.BytesIO(chart_xlsx(_small_chart(), period=YEAR_2024)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Экскурсии по месяцам — 2024 год"
    assert rows[1][:4] == ("Период", "2024 год, шт.", "2024 год: источник", "2024 год: период")
    assert rows[2] == (
        "Январь",
        12,
        "по записям платформы",
        "2024-01",
        1500.5,
        "импортировано",
        "2024-01",
    )
    assert rows[3][1] is None and rows[3][4] == 7
    assert sheet["E3"].number_format == "#,##0.00"


def test_file_names_carry_the_chart_and_period():
    assert filename(_small_chart(), YEAR_2024, "csv") == "figures-tours-2024.csv"
    period = parse_period("2024-01-01..2024-02-15")
    assert filename(_small_chart(), period, "xlsx") == "figures-tours-2024-01-01_2024-02-15.xlsx"
