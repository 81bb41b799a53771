"""Every KPI of the catalogue on one small world with values counted by hand.

The world (``kpi_world``) spans every context, 2023 to today (15 July 2024, 12:00 Moscow),
and holds next to each counted record one that must not count. Each row below gives a KPI's
value for 2023, the first half of 2024 and July 2024 (the running month), with the count
spelled out; the comments in ``kpi_world`` list the records themselves.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mosprom.analytics import catalogue
from mosprom.analytics.catalogue import all_kpis, get_kpi
from mosprom.analytics.models import ImportedValue
from mosprom.analytics.tests.kpi_world import (
    H1_2024,
    JULY_2024,
    NOW,
    PERIODS,
    Y2023,
    add_more,
    build_world,
)
from mosprom.analytics.values import Source, compare, resolve, share_of_years, value_of
from mosprom.core import clock
from mosprom.core.periods import Period, parse_period

pytestmark = pytest.mark.django_db

# The queries for every KPI over PERIODS (see ``test_all_kpis_in_bounded_queries``): the
# contexts' figures once per period, each context's ``since`` once, imported values once per
# KPI. A fixed number, whatever the size of the data.
MAX_QUERIES = 120


@pytest.fixture
def world():
    with clock.frozen(NOW):
        yield build_world()


def _import(name: str, period_code: str, value) -> None:
    period = parse_period(period_code)
    ImportedValue.objects.create(
        kpi=name, period_start=period.start, period_end=period.end, value=Decimal(value)
    )


# (KPI, 2023, 2024-H1, July 2024 — read on 15 July)
EXPECTED = [
    # Excursion sessions held. 2023: s1, s2 (s0 cancelled; s5 is a special event).
    # H1: s6. July: s11, s12 (started at 10:00 today); s13 at 18:00 today is not held yet.
    ("tours_held", 2, 1, 2),
    # 2023: s3. H1: s7, s8. July: none (s14 on 20 July is in the future).
    ("master_classes", 1, 2, 0),
    # 2023: s4. H1: s10 was cancelled. July: none.
    ("lectures", 1, 0, 0),
    # All formats. 2023: s1–s5, s5 at 23:30 on 31 December Moscow time (20:30 UTC) included.
    # H1: s6–s9, s9 at 20:00 on 30 June included. July: s11, s12.
    ("events_held", 5, 4, 2),
    # Distinct sites of held sessions. 2023: Альфа-1 (s1, s2), Альфа-2 (s3), Бета-1 (s4, s5).
    # H1: Альфа-1, Альфа-2 (s7, s8), Гамма-1. July: Бета-1, Альфа-1.
    ("sites_hosted", 3, 3, 2),
    # Places of confirmed bookings at held sessions, no-shows out.
    # 2023: s1 3 (2 no-show, 1 cancelled out) + s2 4 + s3 2 + s4 5 + s5 1 = 15; the six
    # confirmed places on the cancelled s0 do not count.
    # H1: s6 2+3 + s7 6 (1 no-show out) + s8 2 + s9 4 = 17. July: s11 3 (2 cancelled) + s12 1.
    ("participants", 15, 17, 4),
    # 2023: g1 (results), g2 (played with teams, no results); not g3 (no registered team),
    # not g4 (cancelled). H1: g5, g6. July: g7; not g8 (20 July).
    ("games_held", 2, 2, 1),
    # Registered teams of those games. 2023: g1 2 (withdrawn out) + g2 2 (waitlisted out).
    # H1: g5 2 + g6 1 (withdrawn out). July: g7 2.
    ("teams", 4, 3, 2),
    # Roster lines of those teams. 2023: 4+3 + 6+2. H1: 5+4 + 3. July: 6+5.
    ("players", 15, 12, 11),
    # Public tours published in the period. 2023: ot1, ot2 (ot3's programme is unpublished).
    # H1: ot4. July: ot5 (ot6 is scheduled for 20 July).
    ("online_tours", 2, 1, 1),
    # Site plays + platform counts lying wholly inside. 2023: 4 + 1000 + 200 (the VK count of
    # Dec–Jan straddles). H1: 3 + 300 + 150 (the VK count of 15 June–10 July straddles).
    # July: 2 + 40.
    ("views", 1204, 453, 42),
    # Reach + views + tourism participants + game players.
    # 2023: (50 000 + 20 000 + 30 000 + 7 000) + 1204 + 15 + 15.
    # H1: (25 000 + 40 000) + 453 + 17 + 12 (media reach of 20 June–10 July straddles).
    # July: 9 000 + 42 + 4 + 11.
    ("audience", 108_234, 65_482, 9_057),
    # Awards of whole years inside the period: two for 2023; none for a half-year or a month.
    ("awards", 2, 0, 0),
    # Published events that ended in the period, before today.
    # 2023: e1 (e4 is unpublished). H1: none. July: e6 (e7 ends today, not over yet).
    ("export_missions", 1, 0, 1),
    # 2023: e2. H1: e5. July: none.
    ("export_exhibitions", 1, 1, 0),
    # 2023: none (e3 ends on 2 January 2024). H1: e3.
    ("export_b2b", 0, 1, 0),
    # Distinct participating enterprises. 2023: Дельта (e1 and e2: once), Эпсилон (e1),
    # Дзета (e2, confirmed for an event that is over; its e1 application was withdrawn).
    # H1: Дзета (e3), Эпсилон (e5). July: Дельта (e6).
    ("export_companies", 3, 2, 1),
    # Meetings of submitted reports. 2023: 5 + 3 + 10 (Дзета's unsubmitted 7 and the
    # unpublished e4's 100 do not count). H1: 6 + 4. July: 2.
    ("export_meetings", 18, 10, 2),
    # Contracts of submitted reports. 2023: e1 Дельта 2 + Эпсилон 1 (CNY without a rate still
    # is a contract) + e2 Дельта 2. H1: e5 1. July: e6 1.
    ("export_contracts", 5, 1, 1),
    # 2023: 1 000 000 + 10 000 USD × 90 + 2 500 000,50 + 1 234,56 CNY × 12,3456 (15 241,38)
    # = 4 415 241,88; Эпсилон's 50 000 CNY has no rate. H1: 300 000. July: 100 EUR × 100,5.
    ("export_contract_value", Decimal("4415241.88"), Decimal("300000.00"), Decimal("10050.00")),
    # Agreements in force on the last day. 31 Dec 2023: Резидент-1, -2, -3. 30 June 2024:
    # Резидент-1, -2 (Резидент-3 terminated on 30 April). Today: Резидент-1, -2, -4 (1 July).
    ("sez_residents", 3, 2, 3),
    # On a site that day. 31 Dec 2023: Резидент-1, -2, -3. 30 June 2024: Резидент-1, -2,
    # Размещённая (Резидент-3 left on 31 May). Today: those and Резидент-4 (from 10 July).
    ("sez_located", 3, 3, 4),
    # Latest approved versions. 2023 (annual reports only; the 2023-Q3 report is inside the
    # year's annual one): Резидент-1 v2 12 000 000 + Резидент-2 v1 3 000 000 (v1 superseded,
    # returned and awaiting versions out). H1 (quarters): Q1 4 000 000 + 1 500 000 + 700 000
    # + Q2 5 000 000 (Резидент-2's Q2 was returned). July: no reporting period inside.
    ("sez_investment", 15_000_000, 11_200_000, 0),
    # Same versions. 2023: 25 + 5. H1: 6 + 2 + 1 + 7. July: none.
    ("sez_jobs", 30, 16, 0),
    # Same versions. 2023: 55 000 000 + 8 000 000. H1: 15 + 3 + 2 + 16 million.
    ("sez_revenue", 63_000_000, 36_000_000, 0),
    # In the registry at the end of the last day. 31 Dec 2023: the ten created in 2023
    # (Размещённая at 23:30 Moscow on 31 December included). 30 June 2024: + Резидент-4
    # (1 March). Today: + «Новое предприятие» (5 July).
    ("enterprises", 10, 11, 12),
]


def test_the_table_covers_every_kpi_once():
    names = [row[0] for row in EXPECTED]
    assert len(names) == len(set(names))
    assert set(names) == {kpi.name for kpi in all_kpis()}


@pytest.mark.parametrize(("name", "y2023", "h1_2024", "july_2024"), EXPECTED, ids=lambda v: v)
def test_kpi_on_the_world(world, name, y2023, h1_2024, july_2024):
    kpi = get_kpi(name)
    expected = [y2023, h1_2024, july_2024]
    assert [kpi.compute(period) for period in PERIODS] == expected
    assert kpi.series(PERIODS) == expected
    with catalogue.computing():
        assert [value.value for value in resolve(kpi, PERIODS)] == expected


# The first day each context's records cover (the comments in ``kpi_world`` say why).
SINCE = {
    "tourism": dt.date(2023, 1, 20),  # s1; the cancelled s0 of 5 January does not count
    "games": dt.date(2023, 3, 18),  # g1, the first game held
    "media": dt.date(2023, 1, 1),  # the 2023 platform count and reach
    "export": dt.date(2023, 4, 14),  # e1's last day
    "sez": dt.date(2023, 1, 1),  # the 2023 annual reporting period
    "registry": dt.date(2023, 1, 10),  # Альфа, Бета, Гамма
}
SINCE_BY_KPI = {
    "awards": dt.date(2023, 1, 1),  # 1 January of the first award's year
    "sez_residents": dt.date(2023, 2, 15),  # Резидент-1 located
    "sez_located": dt.date(2023, 2, 15),
}


@pytest.mark.parametrize("kpi", all_kpis(), ids=lambda kpi: kpi.name)
def test_records_start_where_the_world_starts(world, kpi):
    assert kpi.since() == SINCE_BY_KPI.get(kpi.name, SINCE[kpi.context])


# --- Which value a period gets ---------------------------------------------------------------


def _resolved(name: str, *codes: str) -> list[tuple]:
    values = resolve(get_kpi(name), [parse_period(code) for code in codes])
    return [(value.value, value.source, value.partial) for value in values]


def test_records_from_1_january_computed_wins_over_an_import(world):
    # The SEZ reports start with the 2023 annual period: 2022 is unknown, 2023 is covered.
    assert _resolved("sez_investment", "2022", "2023") == [
        (None, Source.NONE, False),
        (15_000_000, Source.COMPUTED, False),
    ]
    _import("sez_investment", "2022", "9400000")
    _import("sez_investment", "2023", "1")  # a stale spreadsheet: the records win
    assert _resolved("sez_investment", "2022", "2023") == [
        (9_400_000, Source.IMPORTED, False),
        (15_000_000, Source.COMPUTED, False),
    ]


def test_media_records_cover_2023_so_an_imported_2023_is_ignored(world):
    _import("views", "2022", "800")
    _import("views", "2023", "5000")
    assert _resolved("views", "2022", "2023", "2021") == [
        (800, Source.IMPORTED, False),
        (1204, Source.COMPUTED, False),
        (None, Source.NONE, False),
    ]


def test_records_from_20_january_leave_2023_partial_until_imported(world):
    # Tourism starts on 20 January 2023: the year is only partly covered by records.
    assert _resolved("events_held", "2022", "2023", "2023-H2") == [
        (None, Source.NONE, False),
        (5, Source.COMPUTED, True),
        (2, Source.COMPUTED, False),  # s4, s5
    ]
    _import("events_held", "2023", "6")  # the whole year from the organisers' spreadsheet
    _import("events_held", "2023-H2", "99")  # covered by records: ignored
    assert _resolved("events_held", "2023", "2023-H2") == [
        (6, Source.IMPORTED, False),
        (2, Source.COMPUTED, False),
    ]


def test_a_period_ending_before_the_records_has_no_value(world):
    # Export records start on 14 April 2023 (e1's end).
    assert _resolved("export_missions", "2023-Q1", "2023-Q2", "2023") == [
        (None, Source.NONE, False),
        (1, Source.COMPUTED, True),
        (1, Source.COMPUTED, True),
    ]


def test_a_state_is_covered_once_the_records_exist_by_the_periods_last_day(world):
    # The registry starts on 10 January 2023: a state read on a later day is fully known.
    assert _resolved("enterprises", "2022", "2023", "2023-Q1") == [
        (None, Source.NONE, False),
        (10, Source.COMPUTED, False),
        (8, Source.COMPUTED, False),  # Альфа, Бета, Гамма + the five entered on 1 February
    ]
    # Residents: records from 15 February 2023; 31 January 2023 is before them.
    assert _resolved("sez_residents", "2023-01", "2023-02") == [
        (None, Source.NONE, False),
        (1, Source.COMPUTED, False),  # Резидент-1 (agreement of 1 February)
    ]
    _import("enterprises", "2022", "4600")
    assert value_of(get_kpi("enterprises"), Period.year(2022)).value == 4600


# --- Comparisons -------------------------------------------------------------------------------


def _change(change) -> tuple:
    return (change.base.value, change.base.source, change.ratio, change.percent)


def test_compare_events_held_with_a_partial_then_an_imported_base(world):
    kpi = get_kpi("events_held")
    result = compare(kpi, H1_2024)
    assert result.current.value == 4  # s6–s9
    # Previous: 2023-H2 (s4, s5) — 4 / 2.
    assert _change(result.previous) == (2, Source.COMPUTED, Decimal("2.00"), Decimal("100.0"))
    # Year before: 2023-H1 (s1, s2, s3), records from 20 January only — 4 / 3.
    assert _change(result.year_before) == (3, Source.COMPUTED, Decimal("1.33"), Decimal("33.3"))
    assert result.year_before.base.partial
    _import("events_held", "2023-H1", "5")  # the organisers' full half-year
    result = compare(kpi, H1_2024)
    assert _change(result.year_before) == (5, Source.IMPORTED, Decimal("0.80"), Decimal("-20.0"))


def test_compare_sez_investment_against_a_zero_base(world):
    result = compare(get_kpi("sez_investment"), H1_2024)
    assert result.current.value == 11_200_000
    # Previous: 2023-H2 holds only Резидент-1's 2023-Q3 quarter (the annual 2023 report is
    # not inside a half-year) — 11 200 000 / 2 500 000.
    assert _change(result.previous) == (
        2_500_000,
        Source.COMPUTED,
        Decimal("4.48"),
        Decimal("348.0"),
    )
    # Year before: 2023-H1 has no approved quarter: 0, so no ratio.
    assert _change(result.year_before) == (0, Source.COMPUTED, None, None)


def test_compare_a_state_for_the_running_year(world):
    result = compare(get_kpi("enterprises"), Period.year(2024))
    assert result.current.value == 12  # read today
    assert result.previous.base.period == result.year_before.base.period == Y2023
    assert _change(result.previous) == (10, Source.COMPUTED, Decimal("1.20"), Decimal("20.0"))


# --- Share of five years -----------------------------------------------------------------------


def test_share_of_five_years_events_held(world):
    kpi = get_kpi("events_held")
    assert share_of_years(kpi, 2023).share is None  # 2019–2022 unknown
    for year, value in ((2019, 3), (2020, 1), (2021, 2), (2022, 4)):
        _import("events_held", str(year), value)
    share = share_of_years(kpi, 2023)
    assert [(v.value, v.source) for v in share.years] == [
        (3, Source.IMPORTED),
        (1, Source.IMPORTED),
        (2, Source.IMPORTED),
        (4, Source.IMPORTED),
        (5, Source.COMPUTED),  # s1–s5
    ]
    assert (share.total, share.share) == (15, Decimal("0.3333"))  # «треть»


def test_share_refuses_a_distinct_count(world):
    with pytest.raises(ValueError, match="does not add up"):
        share_of_years(get_kpi("sites_hosted"), 2023)


# --- Query counts ------------------------------------------------------------------------------


def _all_values() -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries, catalogue.computing():
        values = {kpi.name: [v.value for v in resolve(kpi, PERIODS)] for kpi in all_kpis()}
    return len(queries), values


def test_all_kpis_in_bounded_queries(world):
    before, values = _all_values()
    assert before <= MAX_QUERIES
    add_more(world)  # ten sessions with a booking, ten games with a team
    after, more = _all_values()
    assert after == before

    # The new records were read: 3 in 2023, 5 in H1 2024, 2 in July.
    def grown(name: str, each: int) -> list[int]:
        return [v + each * n for v, n in zip(values[name], (3, 5, 2), strict=True)]

    assert more["events_held"] == grown("events_held", 1)
    assert more["participants"] == grown("participants", 2)
    assert more["games_held"] == grown("games_held", 1)
    assert more["players"] == grown("players", 3)


def test_periods_are_the_ones_the_table_names():
    assert [p.code for p in PERIODS] == ["2023", "2024-H1", "2024-07"]
    assert JULY_2024.start <= clock.localtime(NOW).date() <= JULY_2024.end


def test_sez_year_without_annual_reports_reads_its_quarters(world):
    # 2024 has no approved annual report yet (the year is running): its approved quarters
    # count — Q1: 4 000 000 + 1 500 000 + 700 000, Q2: 5 000 000 (Резидент-2's Q2 returned).
    # 2023 has approved annual reports, so its Q3 quarter is not added on top.
    assert _resolved("sez_investment", "2024", "2023") == [
        (11_200_000, Source.COMPUTED, False),
        (15_000_000, Source.COMPUTED, False),
    ]
    assert _resolved("sez_jobs", "2024") == [(6 + 2 + 1 + 7, Source.COMPUTED, False)]
