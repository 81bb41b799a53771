"""The SEZ report in Chromium against a live server: a resident files its quarterly report
through the form, an organiser approves it from the period's review queue and the report page
shows «Принят». The public zone page and the report form pass axe-core."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.sez.models import ReportVersion, VersionStatus
from mosprom.sez.tests.factories import make_period, make_resident, make_zone

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("django_db_serialized_rollback")]


def _context(chromium, live_server, user=None):
    """A phone-sized Russian browser context, logged in as ``user`` when given."""
    context = chromium.new_context(
        locale="ru-RU", viewport={"width": 412, "height": 900}, timezone_id="Europe/Moscow"
    )
    context.set_default_timeout(10_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
    return context


def test_resident_files_and_organiser_approves(
    chromium, live_server, transactional_db, assert_accessible
):
    zone = make_zone()
    membership, host = make_resident(zone=zone, short_name="Технопарк «Печатники»")
    period = make_period(zone=zone, year=2025, quarter=1)
    organiser = make_user(role=Role.ORGANISER)
    base = live_server.url

    public = _context(chromium, live_server)
    try:
        page = public.new_page()
        page.goto(f"{base}/sez/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Особая экономическая зона")
        assert_accessible(page)
    finally:
        public.close()

    resident = _context(chromium, live_server, host)
    try:
        page = resident.new_page()
        page.goto(f"{base}/sez/my/")
        page.get_by_role("link", name="Сдать отчёт").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Отчёт ОЭЗ за 1 кв. 2025")
        assert_accessible(page)
        page.get_by_label("Инвестиции, ₽").fill("1 500 000")
        page.get_by_label("Капитальные вложения, ₽").fill("600000")
        page.get_by_label("Создано рабочих мест").fill("14")
        page.get_by_label("Среднесписочная численность").fill("210")
        page.get_by_label(re.compile(r"^Выручка")).fill("8000000")
        page.get_by_label("Экспортная выручка, ₽").fill("900000,50")
        page.get_by_role("button", name="Сдать отчёт").click()
        expect(page.get_by_text("Отчёт отправлен на проверку.")).to_be_visible()
        expect(page.get_by_role("heading", name="Версия 1 — На проверке")).to_be_visible()
    finally:
        resident.close()

    staff = _context(chromium, live_server, organiser)
    try:
        page = staff.new_page()
        page.goto(f"{base}/sez/manage/periods/{period.pk}/")
        page.get_by_role("link", name="Технопарк «Печатники»").first.click()
        page.get_by_role("button", name="Принять отчёт").click()
        expect(page.get_by_text("Отчёт принят.")).to_be_visible()
        expect(page.get_by_role("heading", name="Версия 1 — Принят")).to_be_visible()
    finally:
        staff.close()

    version = ReportVersion.objects.get(report__membership=membership)
    assert version.status == VersionStatus.APPROVED
    assert version.export_revenue == 900000.50
