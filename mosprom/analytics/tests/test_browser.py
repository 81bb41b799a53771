"""The figures pages in Chromium against a live server: the organisers' dashboard draws every
chart (Chart.js instances on non-blank canvases; a screenshot is kept in test-artifacts/),
switching the period redraws them with the other year's data, and the public «Программа в
цифрах» passes axe-core (its tables open and folded) and reads without JavaScript."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.analytics.tests.test_dashboard import NOW, add_sez, imported
from mosprom.core import clock

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("django_db_serialized_rollback")]

ARTIFACTS = settings.BASE_DIR / "test-artifacts"

CHARTS_DRAWN = """() => {
  const canvases = [...document.querySelectorAll('canvas[data-chart]')];
  return canvases.length > 0 && canvases.every((c) => window.Chart && Chart.getChart(c));
}"""

# For each canvas: its key and how many of its pixels are painted.
PAINTED = """() => [...document.querySelectorAll('canvas[data-chart]')].map((canvas) => {
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
  return [canvas.id, painted];
})"""

TOURS_DATA = """() => Chart.getChart(document.getElementById('chart-tours'))
  .data.datasets.map((d) => [d.label, d.data])"""


@pytest.fixture
def frozen_now():
    with clock.frozen(NOW):
        yield NOW


def _history() -> None:
    """Monthly history of the tourism charts for 2022–2024 (imported: the platform holds no
    tourism records here) and SEZ reports for 2023–2024."""
    for year, factor in ((2022, 1), (2023, 2), (2024, 3)):
        for month in range(1, 13):
            code = f"{year}-{month:02d}"
            imported("tours_held", code, factor * month)
            imported("participants", code, factor * month * 20)
            imported("sites_hosted", code, factor + month % 3)
        imported("tours_held", str(year), factor * 78)
    add_sez()


def _context(chromium, live_server, user=None, **options):
    options = {"viewport": {"width": 1280, "height": 900}} | options
    context = chromium.new_context(locale="ru-RU", timezone_id="Europe/Moscow", **options)
    context.set_default_timeout(10_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
    return context


def test_dashboard_draws_charts_and_switching_the_period_redraws_them(
    chromium, live_server, transactional_db, frozen_now, assert_accessible
):
    _history()
    context = _context(chromium, live_server, make_user(role=Role.ORGANISER))
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/manage/figures/?period=2024")
        expect(page.get_by_role("heading", name="Показатели: 2024 год")).to_be_visible()
        page.wait_for_function(CHARTS_DRAWN)
        painted = dict(page.evaluate(PAINTED))
        assert {"chart-tours", "chart-participants", "chart-sites", "chart-sez"} <= set(painted)
        assert all(count > 500 for count in painted.values()), painted
        # Drawn charts fold their tables into the «Таблица» toggle.
        tours_table = page.locator("#chart-tours-caption")
        expect(tours_table).to_be_hidden()
        page.locator("[data-chart-key=tours] summary").click()
        expect(tours_table).to_be_visible()
        assert_accessible(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "analytics-dashboard-2024.png"), full_page=True)

        before = page.evaluate(TOURS_DATA)
        assert before == [
            ["2024 год", [3 * m for m in range(1, 13)]],
            ["2023 год", [2 * m for m in range(1, 13)]],
        ]

        page.get_by_label("Год", exact=True).select_option("2023")
        page.get_by_role("button", name="Показать").click()
        expect(page.get_by_role("heading", name="Показатели: 2023 год")).to_be_visible()
        page.wait_for_function(CHARTS_DRAWN)
        after = page.evaluate(TOURS_DATA)
        assert after == [
            ["2023 год", [2 * m for m in range(1, 13)]],
            ["2022 год", list(range(1, 13))],
        ]
        assert "year=2023" in page.url  # htmx pushed the address: reload and links keep it
        assert all(count > 500 for _, count in page.evaluate(PAINTED))
        href = page.get_by_role("link", name="Скачать CSV — Экскурсии по месяцам").get_attribute(
            "href"
        )
        assert href == "/manage/figures/chart/tours.csv?period=2023"
        page.screenshot(path=str(ARTIFACTS / "analytics-dashboard-2023.png"), full_page=True)
    finally:
        context.close()


def test_public_figures_page_is_accessible_and_reads_without_javascript(
    chromium, live_server, transactional_db, frozen_now, assert_accessible
):
    _history()
    context = _context(chromium, live_server, viewport={"width": 412, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/programme/figures/?year=2024")
        expect(page.get_by_role("heading", level=1)).to_have_text("Программа в цифрах")
        page.wait_for_function(CHARTS_DRAWN)
        assert_accessible(page)
        page.evaluate("() => document.querySelectorAll('details').forEach((d) => (d.open = true))")
        assert_accessible(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "analytics-programme-2024.png"), full_page=True)
    finally:
        context.close()

    without_js = chromium.new_context(
        locale="ru-RU", viewport={"width": 412, "height": 900}, java_script_enabled=False
    )
    try:
        page = without_js.new_page()
        page.goto(f"{live_server.url}/programme/figures/?year=2023")
        table = page.get_by_role("table", name="Экскурсии по месяцам: 2023 год в сравнении")
        expect(table).to_be_visible()
        expect(table.get_by_role("row", name="Май")).to_contain_text("10")
        # (axe-core needs JavaScript: the open tables were checked above.)
    finally:
        without_js.close()


def test_a_bad_period_keeps_what_was_typed_in_the_browser(
    chromium, live_server, transactional_db, frozen_now
):
    context = _context(chromium, live_server, make_user(role=Role.ORGANISER))
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/manage/figures/")
        field = page.get_by_label("Или другой период")
        field.fill("2024-13")
        page.get_by_role("button", name="Показать").click()
        expect(page.get_by_text("Месяц должен быть от 01 до 12.")).to_be_visible()
        expect(page.get_by_label("Или другой период")).to_have_value("2024-13")
        expect(page.get_by_label("Или другой период")).to_have_attribute("aria-invalid", "true")
        expect(page.get_by_role("heading", name="Показатели: 2025 год")).to_be_visible()
    finally:
        context.close()
