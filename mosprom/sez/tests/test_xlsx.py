"""The ministry's XLSX: opens with openpyxl and holds the expected cells."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from mosprom.sez import kpi
from mosprom.sez.models import VersionStatus
from mosprom.sez.tests.factories import (
    make_period,
    make_plan,
    make_report,
    make_resident,
    make_zone,
)
from mosprom.sez.tests.test_kpi import figures, world  # noqa: F401 — the shared known set

pytestmark = pytest.mark.django_db

D = Decimal


def open_sheet(data: bytes):
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Отчёт ОЭЗ 2024"]
    return workbook["Отчёт ОЭЗ 2024"]


def test_xlsx_layout_and_cells(world, django_assert_max_num_queries):  # noqa: F811
    # A correction awaiting review must not reach the ministry.
    make_report(
        world.alpha,
        world.y2024,
        status=VersionStatus.SUBMITTED,
        **figures(50_000_000, 0, 500, 1, 1, 0),
    )
    with django_assert_max_num_queries(3):
        data = kpi.ministry_xlsx(zone=world.zone, year=2024)
    sheet = open_sheet(data)

    assert "2024" in sheet["A1"].value and world.zone.name in sheet["A1"].value
    assert "тысячах рублей" in sheet["A2"].value
    assert [sheet.cell(row=3, column=c).value for c in (1, 2, 3, 4)] == [
        "№",
        "Резидент",
        "ИНН",
        "Соглашение",
    ]
    assert sheet["F3"].value == "Инвестиции, тыс. руб."
    assert sheet["J3"].value == "в т. ч. капитальные вложения, тыс. руб."
    assert sheet["N3"].value == "Рабочие места, ед."
    assert sheet["R3"].value == "Выручка, тыс. руб."
    assert [sheet.cell(row=4, column=c).value for c in range(6, 10)] == [
        "План 2024",
        "Факт 2024",
        "План накопительно",
        "Факт накопительно",
    ]
    assert sheet.freeze_panes == "C5"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width

    # A row per membership with data, by name; the other zone and the located company absent.
    assert [sheet.cell(row=r, column=2).value for r in range(5, 10)] == [
        "Альфа",
        "Бета",
        "Вега",
        "Гамма",
        "Итого",
    ]
    assert sheet.max_row == 9

    alpha = world.alpha
    assert sheet["A5"].value == 1
    assert sheet["C5"].value == alpha.enterprise.inn
    assert sheet["D5"].value == alpha.agreement_number
    assert sheet["E5"].value == dt.datetime(2020, 3, 1)
    # Investment in thousands: plan 4,000; actual 2,000 (the approved version, not the pending
    # 50,000); cumulative plan 1,500 + 4,000; cumulative actual 1,000 + 2,000.
    assert [sheet.cell(row=5, column=c).value for c in range(6, 10)] == [4000, 2000, 5500, 3000]
    assert [sheet.cell(row=5, column=c).value for c in range(14, 18)] == [20, 20, 30, 30]
    for column in range(6, 22):
        value = sheet.cell(row=5, column=column).value
        assert isinstance(value, int | float), (column, value)
    assert sheet["F5"].number_format == "#,##0.0"
    # No plan for Вега: the plan cells stay empty, the cumulative plan is zero.
    assert sheet["F7"].value is None and sheet["H7"].value == 0

    # Totals: plans 4,000 + 4,000 + 2,000; actuals 2,000 + 4,000 + 500; cumulative actuals add
    # 2023's 1,000 + 3,000.
    assert [sheet.cell(row=9, column=c).value for c in range(6, 10)] == [
        10000,
        6500,
        11500,
        10500,
    ]
    assert [sheet.cell(row=9, column=c).value for c in range(14, 18)] == [30, 65, 40, 105]
    assert sheet["B9"].font.bold


def test_xlsx_money_in_thousands_with_one_decimal():
    zone = make_zone("ОЭЗ «Округление»")
    membership, _ = make_resident(zone=zone, short_name="Точность")
    make_report(
        membership,
        make_period(zone=zone, year=2024),
        **figures(1_234_567, 1_050, 3, 3, 999_949, 0),
    )
    make_plan(membership, 2024, investment=D("2500.50"))
    sheet = open_sheet(kpi.ministry_xlsx(zone=zone, year=2024))
    assert sheet["F5"].value == 2.5  # 2,500.50 ₽ → 2.5 thousand
    assert sheet["G5"].value == 1234.6
    assert sheet["K5"].value == 1.1  # 1,050 ₽ → 1.05 → 1.1 (half up)
    assert sheet["S5"].value == 999.9


def test_xlsx_of_an_empty_zone_has_only_the_header_and_totals():
    zone = make_zone("ОЭЗ «Пустая»")
    sheet = open_sheet(kpi.ministry_xlsx(zone=zone, year=2024))
    assert sheet["B5"].value == "Итого"
    assert sheet["F5"].value == 0
