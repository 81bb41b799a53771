"""Importing platform view counts from CSV (``counts.platform_views_import``)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied

from mosprom.accounts.models import AuditAction, AuditEvent, Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core.periods import Period
from mosprom.media.counts import platform_views_import
from mosprom.media.models import CountSource, PlatformViews
from mosprom.media.tests.factories import (
    make_online_tour,
    make_platform_views,
    make_publication,
)

pytestmark = pytest.mark.django_db

RT = "0123456789abcdef0123456789abcdef"
RT_URL = f"https://rutube.ru/video/{RT}/"
VK_URL = "https://vkvideo.ru/video-220754053_456239017"


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER)


@pytest.fixture
def tours():
    """Two tours: «a» published on RUTUBE and VK, «b» on nothing (found by its id)."""
    a = make_online_tour(title="Швейная фабрика: полный цикл")
    make_publication(a, RT_URL)
    make_publication(a, VK_URL)
    b = make_online_tour(title="Насосы ЛГМ")
    return a, b


def run(actor, text: str, *, encoding="utf-8", **options):
    return platform_views_import(actor=actor, file=io.BytesIO(text.encode(encoding)), **options)


def stored() -> set[tuple]:
    return set(
        PlatformViews.objects.values_list(
            "tour_id", "platform", "period_start", "period_end", "views"
        )
    )


def test_a_good_file_with_ids_urls_semicolons_bom_and_thousand_spaces(organiser, tours):
    a, b = tours
    text = (
        "\ufefftour;platform;period;views\n"
        f"{RT_URL};rutube;2023-Q1;12 345\n"
        f"{VK_URL};VK Видео;2023-Q1;1\u00a0200\u00a0000\n"
        f"{b.pk};ok;2023-05;700\n"
        "\n"
        f"{b.pk};YouTube;2023;0\n"
    )

    result = run(organiser, text)

    assert result.errors == []
    assert (result.created, result.updated, result.written) == (4, 0, True)
    q1 = Period.quarter(2023, 1)
    may, year = Period.month(2023, 5), Period.year(2023)
    assert stored() == {
        (a.pk, "rutube", q1.start, q1.end, 12_345),
        (a.pk, "vk", q1.start, q1.end, 1_200_000),
        (b.pk, "ok", may.start, may.end, 700),
        (b.pk, "youtube", year.start, year.end, 0),
    }
    assert set(PlatformViews.objects.values_list("source", flat=True)) == {CountSource.IMPORT}
    assert set(PlatformViews.objects.values_list("entered_by", flat=True)) == {organiser.pk}
    event = AuditEvent.objects.get(action=AuditAction.FIGURES_CHANGED)
    assert (event.details["op"], event.details["created"], event.actor) == ("import", 4, organiser)


def test_commas_any_column_order_and_text_streams_work(organiser, tours):
    a, _b = tours
    text = f'Views,Period,Platform,Tour\n"1 000",2023-H1,RUTUBE,{a.pk}\n'

    result = platform_views_import(actor=organiser, file=io.StringIO(text))

    assert result.errors == []
    assert PlatformViews.objects.get().views == 1000


def test_the_same_period_again_updates_the_count(organiser, tours):
    a, _b = tours
    make_platform_views(a, Period.year(2023), 5, platform="rutube")

    result = run(organiser, f"tour,platform,period,views\n{a.pk},rutube,2023,50\n")

    assert (result.created, result.updated) == (0, 1)
    assert [row.action for row in result.rows] == ["update"]
    row = PlatformViews.objects.get()
    assert (row.views, row.source) == (50, CountSource.IMPORT)


BAD_FILE = (
    "tour,platform,period,views\n"  # line 1
    "{a},rutube,2023-Q1,100\n"  # 2: good
    "999999,rutube,2023-Q1,100\n"  # 3: no such tour
    "{a},tiktok,2023-Q1,100\n"  # 4: unknown platform
    "{a},vk,2023-13,100\n"  # 5: bad month
    "{a},ok,2023,-5\n"  # 6: negative views
    "{a},ok,2023,много\n"  # 7: not a number
    "https://rutube.ru.evil.com/video/{rt}/,rutube,2023,1\n"  # 8: not a video URL
    "https://rutube.ru/video/{other}/,rutube,2023,1\n"  # 9: video of no tour
    "{url},vk,2023-Q2,1\n"  # 10: URL of RUTUBE, platform VK
    "{a},site,2023,1\n"  # 11: our site is counted, not typed
    "{a},rutube\n"  # 12: too few columns
    "{b},ok,2023-05,10\n"  # 13: good
)


def bad_file(a, b) -> str:
    return BAD_FILE.format(a=a.pk, b=b.pk, rt=RT, other="f" * 32, url=RT_URL)


def test_every_bad_row_is_listed_with_its_line_and_nothing_is_written(organiser, tours):
    a, b = tours

    result = run(organiser, bad_file(a, b))

    assert [error.line for error in result.errors] == list(range(3, 13))
    messages = {error.line: error.message for error in result.errors}
    assert "№999999 нет" in messages[3]
    assert "неизвестная платформа «tiktok»" in messages[4]
    assert "Месяц должен быть от 01 до 12" in messages[5]
    assert "не целое неотрицательное число" in messages[6]
    assert "«много»" in messages[7]
    assert "не номер онлайн-экскурсии и не ссылка" in messages[8]
    assert "не привязано ни к одной" in messages[9]
    assert "другую платформу" in messages[10]
    assert "считаются автоматически" in messages[11]
    assert "столбцов" in messages[12]
    assert (result.created, result.updated, result.written) == (0, 0, False)
    assert [row.line for row in result.rows] == [2, 13]  # what would be written once fixed
    assert not PlatformViews.objects.exists()
    assert not AuditEvent.objects.exists()


def test_skip_bad_writes_the_good_rows_and_still_lists_the_bad(organiser, tours):
    a, b = tours

    result = run(organiser, bad_file(a, b), skip_bad=True)

    assert len(result.errors) == 10
    assert (result.created, result.updated, result.written) == (2, 0, True)
    assert {(t, p, v) for t, p, _s, _e, v in stored()} == {(a.pk, "rutube", 100), (b.pk, "ok", 10)}
    event = AuditEvent.objects.get()
    assert event.details["skipped_lines"] == list(range(3, 13))


def test_a_dry_run_writes_nothing_and_says_what_would_happen(organiser, tours):
    a, b = tours
    make_platform_views(b, Period.month(2023, 5), 1, platform="ok")

    result = run(
        organiser,
        f"tour,platform,period,views\n{a.pk},vk,2023,5\n{b.pk},ok,2023-05,10\n",
        dry_run=True,
    )

    assert result.errors == []
    assert (result.created, result.updated, result.written) == (1, 1, False)
    assert PlatformViews.objects.get().views == 1
    assert not AuditEvent.objects.exists()


def test_a_dry_run_with_skip_bad_reports_the_good_rows_and_errors(organiser, tours):
    a, b = tours

    result = run(organiser, bad_file(a, b), dry_run=True, skip_bad=True)

    assert (result.created, len(result.errors), result.written) == (2, 10, False)
    assert not PlatformViews.objects.exists()


def test_duplicates_and_overlaps_within_the_file_are_errors_on_the_later_line(organiser, tours):
    a, b = tours
    text = (
        "tour,platform,period,views\n"
        f"{a.pk},vk,2023-05,1\n"  # 2
        f"{VK_URL},vk,2023-05,2\n"  # 3: the same tour (by URL), platform and period
        f"{a.pk},vk,2023-Q2,3\n"  # 4: overlaps line 2
        f"{a.pk},rutube,2023-05,4\n"  # 5: another platform: fine
        f"{b.pk},vk,2023-05,5\n"  # 6: another tour: fine
    )

    result = run(organiser, text)

    assert [(e.line, e.message) for e in result.errors] == [
        (3, "повторяет строку 2 (та же экскурсия, платформа и период)"),
        (4, "период пересекается с периодом строки 2 той же экскурсии и платформы"),
    ]
    assert not PlatformViews.objects.exists()


def test_a_row_overlapping_a_stored_count_is_an_error(organiser, tours):
    a, _b = tours
    make_platform_views(a, Period.year(2023), 5, platform="vk")

    result = run(organiser, f"tour,platform,period,views\n{a.pk},vk,2023-05,1\n")

    assert [e.line for e in result.errors] == [2]
    assert "2023 год" in result.errors[0].message


@pytest.mark.parametrize(
    "header",
    ["", "tour,platform,period", "tour,platform,period,views,extra", "id,platform,period,views"],
)
def test_a_missing_or_unknown_header_is_one_error_at_line_1(organiser, tours, header):
    a, _b = tours

    result = run(organiser, f"{header}\n{a.pk},vk,2023,5\n")

    assert [error.line for error in result.errors] == [1]
    assert "tour,platform,period,views" in result.errors[0].message
    assert not PlatformViews.objects.exists()


def test_a_file_in_another_encoding_is_refused_with_advice(organiser, tours):
    a, _b = tours

    result = run(organiser, f"tour,platform,period,views\n{a.pk},ВК,2023,5\n", encoding="cp1251")

    assert [error.line for error in result.errors] == [1]
    assert "UTF-8" in result.errors[0].message


def test_a_header_without_rows_is_reported(organiser):
    result = run(organiser, "tour,platform,period,views\n")

    assert [error.line for error in result.errors] == [1]
    assert not result.written


def test_only_organisers_import(tours):
    with pytest.raises(PermissionDenied):
        run(make_user(role=Role.HOST), "tour,platform,period,views\n")


def test_the_import_takes_a_bounded_number_of_queries(organiser, django_assert_max_num_queries):
    many = [make_online_tour() for _ in range(15)]
    lines = [f"{tour.pk},vk,2023-0{m},{m}" for tour in many for m in range(1, 4)]
    text = "tour,platform,period,views\n" + "\n".join(lines) + "\n"

    with django_assert_max_num_queries(12):
        result = run(organiser, text)

    assert (result.created, result.errors) == (45, [])
    assert PlatformViews.objects.count() == 45
