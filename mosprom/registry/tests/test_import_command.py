"""``manage.py registry_import`` (mosprom/registry/management/commands/registry_import.py)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from mosprom.accounts.models import AuditAction, AuditEvent
from mosprom.registry.models import Enterprise
from mosprom.registry.tests.import_files import bad_rows, good_rows, inn, row, write

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("registry_import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: str) -> tuple[CommandError, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("registry_import", *args, stdout=io.StringIO(), stderr=err)
    return caught.value, err.getvalue()


@pytest.mark.parametrize("name", ["registry.csv", "registry.xlsx"])
def test_good_file_is_imported_and_counted(tmp_path, name):
    path = write(tmp_path, name, good_rows())

    out, err = run(str(path))

    assert "Создано: 3, обновлено: 0, без изменений: 0." in out
    assert err == ""
    assert Enterprise.objects.count() == 3
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert (event.details["source"], event.details["filename"]) == ("command", name)


def test_second_run_changes_nothing(tmp_path):
    path = write(tmp_path, "registry.csv", good_rows())
    run(str(path))

    out, _ = run(str(path))

    assert "Создано: 0, обновлено: 0, без изменений: 3." in out


def test_bad_rows_are_listed_on_stderr_and_nothing_is_written(tmp_path):
    rows, expected = bad_rows()
    path = write(tmp_path, "bad.csv", rows)

    error, err = run_failing(str(path))

    assert error.returncode == 1  # manage.py exits with it
    assert "Ничего не записано" in str(error)
    lines = err.splitlines()
    for line in sorted({line for line, _ in expected}):
        assert any(text.startswith(f"строка {line}: ") for text in lines), line
    assert f"строка 6: ИНН {inn(10)} уже был в строке 2" in err
    assert len(lines) == len(expected) + 1  # one line per problem, plus the «incomplete_site» twin
    assert not Enterprise.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_skip_invalid_writes_the_good_rows_and_still_lists_the_bad(tmp_path):
    path = write(tmp_path, "mixed.csv", [row(1), row(2, Округ="Нигде"), row(3)])

    out, err = run(str(path), "--skip-invalid")

    assert "Создано: 2, обновлено: 0, без изменений: 0, пропущено строк с ошибками: 1." in out
    assert err.startswith("строка 3: Округ «Нигде» не найден")
    assert set(Enterprise.objects.values_list("inn", flat=True)) == {inn(1), inn(3)}


def test_dry_run_writes_nothing(tmp_path):
    path = write(tmp_path, "registry.xlsx", good_rows())

    out, _ = run(str(path), "--dry-run")

    assert "будет создано 3, обновлено 0, без изменений 0" in out
    assert not Enterprise.objects.exists()


def test_file_level_problems_fail_the_command(tmp_path):
    path = tmp_path / "registry.csv"
    path.write_text("Название;Округ\nЗавод;ЦАО\n", encoding="utf-8")

    error, err = run_failing(str(path))

    assert "файл: Нет обязательного столбца «ИНН» в первой строке." in err
    assert "Файл не принят" in str(error)


def test_missing_file_is_a_clear_error(tmp_path):
    error, _ = run_failing(str(tmp_path / "absent.csv"))

    assert "Не удалось прочитать файл" in str(error)


def test_real_process_exit_codes(tmp_path):
    """Through manage.py in a child process on its own SQLite file: 1 on bad rows, 0 on good."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MOSPROM_VAR_DIR": str(tmp_path / "var"),
        "MOSPROM_TESTING": "1",
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=240)
    bad = write(tmp_path, "bad.csv", [row(1), row(2, ИНН="123")])
    good = write(tmp_path, "good.csv", [row(1), row(2)])

    failed = subprocess.run(
        [*manage, "registry_import", str(bad)], env=env, capture_output=True, text=True
    )
    passed = subprocess.run(
        [*manage, "registry_import", str(good)], env=env, capture_output=True, text=True
    )

    assert failed.returncode == 1
    assert "строка 3: ИНН «123» недействителен" in failed.stderr
    assert passed.returncode == 0, passed.stderr
    assert "Создано: 2" in passed.stdout
