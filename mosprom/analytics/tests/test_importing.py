"""Importing historical KPI values: every bad row by line, all or nothing, replacing."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from mosprom.accounts.models import AuditAction, AuditEvent, Role
from mosprom.accounts.tests.factories import make_user
from mosprom.analytics.importing import kpi_import
from mosprom.analytics.models import ImportedValue
from mosprom.registry.importing.reading import ImportFileError

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER)


def _csv(text: str) -> bytes:
    return text.encode("utf-8-sig")


def _run(organiser, text, **options):
    return kpi_import(actor=organiser, content=_csv(text), filename="history.csv", **options)


def test_good_file_is_written_with_every_period_form(organiser):
    result = _run(
        organiser,
        "kpi;period;value\n"
        "tours_held;2022;800\n"
        "master_classes;2019-H2;120\n"
        "players;2021-Q4;1 950\n"
        "sez_investment;2023;45 100 000 000,50\n"
        "views;2022-01-01..2022-06-30;12000\n",
    )
    assert (result.created, result.updated, result.errors, result.written) == (5, 0, [], True)
    rows = {(row.kpi, row.period.code): row.value for row in ImportedValue.objects.all()}
    assert rows == {
        ("tours_held", "2022"): Decimal("800.00"),
        ("master_classes", "2019-H2"): Decimal("120.00"),
        ("players", "2021-Q4"): Decimal("1950.00"),
        ("sez_investment", "2023"): Decimal("45100000000.50"),
        ("views", "2022-H1"): Decimal("12000.00"),
    }
    event = AuditEvent.objects.get(action=AuditAction.FIGURES_CHANGED)
    assert event.details["created"] == 5 and event.actor == organiser


def test_every_bad_row_is_listed_by_line_and_nothing_is_written(organiser):
    result = _run(
        organiser,
        "kpi,period,value\n"
        "tours_held,2022,800\n"
        "tours_hold,2022,5\n"
        "tours_held,2022-13,5\n"
        "\n"
        "master_classes,2021,-3\n"
        "master_classes,2020,много\n"
        "tours_held,2022,801\n",
    )
    assert not result.written
    assert [(error.line, error.message) for error in result.errors] == [
        (3, "неизвестный показатель «tours_hold»"),
        (4, "Месяц должен быть от 01 до 12."),
        (6, "значение не может быть отрицательным"),
        (7, "значение «много» — не число"),
        (8, "показатель и период уже были в строке 2"),
    ]
    assert not ImportedValue.objects.exists()


def test_skip_bad_writes_the_good_rows(organiser):
    result = _run(organiser, "kpi,period,value\ntours_held,2022,800\nnope,2022,1\n", skip_bad=True)
    assert (result.created, result.skipped, result.written) == (1, 1, True)
    assert ImportedValue.objects.get().value == 800


def test_dry_run_counts_without_writing(organiser):
    result = _run(organiser, "kpi,period,value\ntours_held,2022,800\n", dry_run=True)
    assert (result.created, result.written) == (1, False)
    assert not ImportedValue.objects.exists()


def test_a_second_import_replaces_and_says_so(organiser):
    _run(organiser, "kpi,period,value\ntours_held,2022,800\n")
    result = _run(organiser, "kpi,period,value\ntours_held,2022,810\n")
    assert (result.created, result.updated) == (0, 1)
    assert ImportedValue.objects.get().value == 810


def test_xlsx_is_read_too(organiser):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["value", "kpi", "period"])
    sheet.append([2600, "teams", "2019-01-01..2022-12-31"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = kpi_import(actor=organiser, content=buffer.getvalue(), filename="h.xlsx")
    assert result.written and ImportedValue.objects.get().period.code == "2019-01-01..2022-12-31"


def test_missing_columns_refuse_the_file(organiser):
    with pytest.raises(ImportFileError, match="нет столбцов value"):
        _run(organiser, "kpi,period\ntours_held,2022\n")


def test_only_organisers_import():
    with pytest.raises(PermissionDenied):
        kpi_import(actor=make_user(role=Role.HOST), content=b"kpi,period,value\n", filename="h.csv")
