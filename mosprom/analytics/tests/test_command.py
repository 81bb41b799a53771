"""``manage.py kpi_import``: real files on disk, the actor, bad rows and exit codes."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from mosprom.accounts.models import AuditAction, AuditEvent, Role
from mosprom.accounts.tests.factories import make_user
from mosprom.analytics.models import ImportedValue

pytestmark = pytest.mark.django_db

GOOD = "kpi;period;value\ntours_held;2022;800\nsez_investment;2021;45 100 000 000,50\n"
MIXED = "kpi,period,value\ntours_held,2022,800\ntours_hold,2022,5\nplayers,2022-13,10\n"


@pytest.fixture
def admin():
    return make_user(role=Role.ADMIN)


def _file(tmp_path, text: str, name: str = "history.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8-sig"))
    return path


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("kpi_import", *[str(arg) for arg in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _stored() -> dict:
    return {(row.kpi, row.period.code): row.value for row in ImportedValue.objects.all()}


def test_a_good_csv_is_imported_for_the_first_administrator(tmp_path, admin):
    make_user(role=Role.ADMIN)  # a later administrator is not the default
    out, err = _run(_file(tmp_path, GOOD))
    assert "Создано: 2, обновлено: 0, пропущено строк с ошибками: 0" in out
    assert admin.email in out and err == ""
    assert _stored() == {
        ("tours_held", "2022"): Decimal("800.00"),
        ("sez_investment", "2021"): Decimal("45100000000.50"),
    }
    event = AuditEvent.objects.get(action=AuditAction.FIGURES_CHANGED)
    assert event.actor == admin and event.details["file"] == "history.csv"


def test_a_second_run_updates(tmp_path, admin):
    path = _file(tmp_path, GOOD)
    _run(path)
    out, _ = _run(path)
    assert "Создано: 0, обновлено: 2" in out
    assert ImportedValue.objects.count() == 2


def test_the_actor_is_chosen_by_email(tmp_path, admin):
    organiser = make_user(role=Role.ORGANISER, email="figures@example.test")
    _run(_file(tmp_path, GOOD), "--actor", "FIGURES@example.test")
    assert ImportedValue.objects.filter(imported_by=organiser).count() == 2


@pytest.mark.parametrize(
    ("actor", "message"),
    [
        ("nobody@example.test", "Пользователя с адресом nobody@example.test нет."),
        ("host@example.test", "host@example.test — не организатор"),
    ],
)
def test_the_actor_must_be_an_organiser(tmp_path, actor, message):
    make_user(role=Role.HOST, email="host@example.test")
    with pytest.raises(CommandError, match=message):
        _run(_file(tmp_path, GOOD), "--actor", actor)
    assert not ImportedValue.objects.exists()


def test_without_an_administrator_the_actor_is_required(tmp_path):
    make_user(role=Role.ORGANISER)
    with pytest.raises(CommandError, match="укажите организатора через --actor"):
        _run(_file(tmp_path, GOOD))


def test_bad_rows_are_listed_and_nothing_is_written(tmp_path, admin):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=r"Строк с ошибками: 2\. Ничего не записано"):
        call_command("kpi_import", str(_file(tmp_path, MIXED)), stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert lines == [
        "строка 3: неизвестный показатель «tours_hold»",
        "строка 4: Месяц должен быть от 01 до 12.",
    ]
    assert not ImportedValue.objects.exists()


def test_skip_bad_writes_the_good_rows(tmp_path, admin):
    out, err = _run(_file(tmp_path, MIXED), "--skip-bad")
    assert "Создано: 1, обновлено: 0, пропущено строк с ошибками: 2" in out
    assert err.count("строка ") == 2
    assert _stored() == {("tours_held", "2022"): Decimal("800.00")}


def test_dry_run_counts_and_writes_nothing(tmp_path, admin):
    out, _ = _run(_file(tmp_path, MIXED), "--dry-run", "--skip-bad")
    assert "Проверка без записи: будет создано 1, обновлено 0, пропущено строк с ошибками: 2" in out
    assert not ImportedValue.objects.exists()
    with pytest.raises(CommandError, match="Строк с ошибками: 2"):
        _run(_file(tmp_path, MIXED), "--dry-run")


def test_xlsx(tmp_path, admin):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["period", "kpi", "value"])
    sheet.append(["2020-H1", "players", 1950])
    sheet.append([2019, "master_classes", 120.5])
    path = tmp_path / "history.xlsx"
    book.save(path)
    out, _ = _run(path)
    assert "Создано: 2" in out
    assert _stored() == {
        ("players", "2020-H1"): Decimal("1950.00"),
        ("master_classes", "2019"): Decimal("120.50"),
    }


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("history.csv", b"kpi;value\ntours_held;5\n", "нет столбцов period"),
        ("history.xls", b"whatever", "Старый формат .xls не поддерживается"),
        ("history.xlsx", b"not a zip file", "Файл не принят"),
        ("history.csv", b"", "Файл пуст"),
    ],
)
def test_a_file_that_cannot_be_read(tmp_path, admin, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        _run(path)


def test_a_missing_file(tmp_path, admin):
    with pytest.raises(CommandError, match="Не удалось прочитать файл"):
        _run(tmp_path / "absent.csv")


def test_a_bad_file_exits_non_zero(tmp_path, admin):
    """Run as an operator would: the exit status says it failed."""
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["manage.py", "kpi_import", str(_file(tmp_path, MIXED))])
    with pytest.raises(SystemExit) as exit_info:
        utility.execute()
    assert exit_info.value.code != 0
