"""``manage.py import_platform_views``: real files on disk, every bad row printed with its line,
a non-zero exit while bad rows are not skipped, the actor checked."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from mosprom.accounts.models import AuditAction, AuditEvent, Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core.periods import Period
from mosprom.media.management.commands.import_platform_views import Command
from mosprom.media.models import CountSource, PlatformViews
from mosprom.media.tests.factories import make_online_tour, make_platform_views, make_publication

pytestmark = pytest.mark.django_db

RT = "fedcba9876543210fedcba9876543210"
RT_URL = f"https://rutube.ru/video/{RT}/"


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER, email="organiser@example.test")


@pytest.fixture
def tour():
    tour = make_online_tour(title="Насосы для кораблей и космодромов")
    make_publication(tour, RT_URL)
    return tour


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str, *, name: str = "views.csv", encoding: str = "utf-8"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return str(path)

    return write


def run(*args, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_platform_views", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def rows() -> set[tuple]:
    return set(
        PlatformViews.objects.values_list("tour_id", "platform", "period_start", "views", "source")
    )


def _bad_file(tour) -> str:
    return (
        "tour,platform,period,views\n"
        f"{tour.pk},rutube,2023-Q1,1500\n"
        "999999,rutube,2023-Q1,10\n"
        f"{tour.pk},vk,2023-13,10\n"
        f"{tour.pk},youtube,2023-Q2,много\n"
        f"{RT_URL},rutube,2023-Q2,2 500\n"
    )


def test_a_good_file_is_imported_for_the_actor(csv_file, organiser, tour):
    path = csv_file(
        "\ufefftour;platform;period;views\n"
        f"{tour.pk};VK Видео;2023-Q1;12 000\n"
        f"{RT_URL};rutube;2023-Q1;3400\n"
    )

    out, err = run(path, "--actor", "Organiser@Example.test")

    assert err == ""
    assert "Создано: 2, обновлено: 0" in out and "organiser@example.test" in out
    q1 = dt.date(2023, 1, 1)
    assert rows() == {
        (tour.pk, "vk", q1, 12_000, CountSource.IMPORT),
        (tour.pk, "rutube", q1, 3400, CountSource.IMPORT),
    }
    event = AuditEvent.objects.get(action=AuditAction.FIGURES_CHANGED)
    assert event.actor == organiser


def test_every_bad_row_is_printed_and_nothing_written(csv_file, organiser, tour):
    with pytest.raises(CommandError, match="Строк с ошибками: 3"):
        run(csv_file(_bad_file(tour)), "--actor", organiser.email)

    assert PlatformViews.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.FIGURES_CHANGED).exists()


def test_bad_rows_go_to_stderr_with_their_line_numbers(csv_file, organiser, tour):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_platform_views",
            csv_file(_bad_file(tour)),
            actor=organiser.email,
            stdout=io.StringIO(),
            stderr=err,
        )

    lines = err.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["строка 3", "строка 4", "строка 5"]
    assert "999999" in lines[0]
    assert "Месяц должен быть от 01 до 12" in lines[1]
    assert "много" in lines[2]


def test_the_exit_code_is_not_zero_when_rows_are_bad(
    csv_file, organiser, tour, capsys, monkeypatch
):
    path = csv_file(_bad_file(tour))
    # run_from_argv closes every connection when it ends; the test's transaction lives on one.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(
            ["manage.py", "import_platform_views", path, "--actor", organiser.email]
        )

    assert exit_.value.code != 0
    assert "строка 3:" in capsys.readouterr().err
    assert PlatformViews.objects.count() == 0


def test_skip_bad_writes_the_good_rows_and_still_lists_the_bad(csv_file, organiser, tour):
    out, err = run(csv_file(_bad_file(tour)), "--skip-bad", "--actor", organiser.email)

    assert err.count("строка ") == 3
    assert "Создано: 2, обновлено: 0, пропущено строк с ошибками: 3" in out
    assert rows() == {
        (tour.pk, "rutube", dt.date(2023, 1, 1), 1500, CountSource.IMPORT),
        (tour.pk, "rutube", dt.date(2023, 4, 1), 2500, CountSource.IMPORT),
    }


def test_dry_run_counts_and_writes_nothing(csv_file, organiser, tour):
    make_platform_views(tour, Period.quarter(2023, 1), 100)
    path = csv_file(
        f"tour,platform,period,views\n{tour.pk},rutube,2023-Q1,150\n{tour.pk},vk,2023-Q1,90\n"
    )

    out, _err = run(path, "--dry-run", "--actor", organiser.email)

    assert "Проверка без записи: будет создано 1, обновлено 1" in out
    assert PlatformViews.objects.get().views == 100
    assert not AuditEvent.objects.filter(action=AuditAction.FIGURES_CHANGED).exists()


def test_the_same_period_again_replaces_the_count(csv_file, organiser, tour):
    make_platform_views(tour, Period.quarter(2023, 1), 100)

    out, _err = run(
        csv_file(f"tour,platform,period,views\n{tour.pk},rutube,2023-Q1,175\n"),
        "--actor",
        organiser.email,
    )

    assert "Создано: 0, обновлено: 1" in out
    assert PlatformViews.objects.get().views == 175


def test_a_file_without_the_header_fails_even_with_skip_bad(csv_file, organiser, tour):
    err = io.StringIO()
    with pytest.raises(CommandError, match="Нет ни одной верной строки"):
        call_command(
            "import_platform_views",
            csv_file(f"{tour.pk},rutube,2023,10\n"),
            skip_bad=True,
            actor=organiser.email,
            stdout=io.StringIO(),
            stderr=err,
        )

    assert err.getvalue().startswith("строка 1: ")
    assert PlatformViews.objects.count() == 0


def test_a_file_not_in_utf8_is_refused(csv_file, organiser, tour):
    path = csv_file("tour,platform,period,views\n1,ВК,2023,1\n", encoding="cp1251")

    with pytest.raises(CommandError):
        run(path, "--actor", organiser.email)

    assert PlatformViews.objects.count() == 0


def test_a_missing_file_is_a_command_error(tmp_path, organiser):
    with pytest.raises(CommandError, match="Не удалось прочитать файл"):
        run(str(tmp_path / "nope.csv"), "--actor", organiser.email)


def test_the_actor_must_be_an_organiser(csv_file, tour):
    visitor = make_user(role=Role.VISITOR)
    path = csv_file(f"tour,platform,period,views\n{tour.pk},rutube,2023,10\n")

    with pytest.raises(CommandError, match="не организатор"):
        run(path, "--actor", visitor.email)
    with pytest.raises(CommandError, match="Пользователя с адресом"):
        run(path, "--actor", "nobody@example.test")

    assert PlatformViews.objects.count() == 0


def test_without_actor_the_first_administrator_imports(csv_file, tour):
    path = csv_file(f"tour,platform,period,views\n{tour.pk},rutube,2023,10\n")
    with pytest.raises(CommandError, match="Нет ни одного администратора"):
        run(path)

    admin = make_user(role=Role.ADMIN)
    out, _err = run(path)

    assert admin.email in out
    assert PlatformViews.objects.get().entered_by == admin
