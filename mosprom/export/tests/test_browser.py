"""Export support in Chromium against a live server: a host applies (the form, the required
PDF, submitting), an organiser takes the application into review and accepts it, the host
confirms; after the event the host files an outcome report with a contract in yuan and the
organiser's reports overview shows the total in roubles. The public export pages and the
apply form pass axe-core."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.export.models import (
    Application,
    ApplicationStatus,
    EventRate,
    ExportEvent,
    OutcomeReport,
)
from mosprom.export.tests.factories import make_company, make_export_event
from mosprom.registry.models import Industry

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("django_db_serialized_rollback")]

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


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


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    return tmp_path / "private"


@pytest.fixture
def ciif(transactional_db, private_storage):
    event = make_export_event(
        title="CIIF: коллективный стенд Москвы",
        title_en="CIIF: Moscow joint stand",
        description="Крупнейшая промышленная выставка Китая.",
        description_en="China's largest industrial fair.",
        places=7,
        city_covers="Аренда и застройка стенда",
        company_pays="Перелёт и проживание",
    )
    event.industries.add(Industry.objects.get(code="28"))
    EventRate.objects.create(event=event, currency="CNY", rub_per_unit=Decimal("12.5"))
    enterprise, host = make_company(short_name="Корпорация «Воздух»")
    host.first_name, host.last_name = "Александр", "Бондарь"
    host.save()
    organiser = make_user(role=Role.ORGANISER, email="organiser@example.test")
    return {"event": event, "enterprise": enterprise, "host": host, "organiser": organiser}


def test_apply_accept_and_report_the_outcome(chromium, live_server, ciif, assert_accessible):
    event, enterprise = ciif["event"], ciif["enterprise"]
    base = live_server.url
    host_ctx = _context(chromium, live_server, ciif["host"])
    staff_ctx = _context(chromium, live_server, ciif["organiser"])
    try:
        # The host applies from the event page: the form, then the required PDF, then submit.
        page = host_ctx.new_page()
        page.goto(f"{base}/export/{event.pk}/")
        page.get_by_role("link", name="Подать заявку").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Заявка на участие")
        assert_accessible(page)
        form = page.locator("main form.apply-form")
        form.get_by_label("Станок с ЧПУ").check()
        form.get_by_label("Опыт экспорта").fill("Поставки газоочистного оборудования в Казахстан")
        form.get_by_label("Целевые рынки").fill("Китай")
        expect(form.get_by_label("Контактное лицо", exact=False).first).to_have_value(
            "Александр Бондарь"
        )
        form.get_by_label("Телефон контактного лица").fill("+7 495 123-45-67")
        form.get_by_role("button", name="Сохранить черновик").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Документы заявки")
        expect(page.locator(".messages")).to_contain_text("Черновик заявки сохранён")
        application = Application.objects.get(event=event, enterprise=enterprise)
        assert application.status == ApplicationStatus.DRAFT

        expect(page.get_by_label("Какой документ")).to_have_value("Презентация компании")
        page.get_by_label("Файл PDF").set_input_files(
            {"name": "Презентация.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        page.get_by_role("button", name="Загрузить").click()
        expect(page.locator(".messages")).to_contain_text(
            "Документ «Презентация компании» приложен"
        )
        expect(page.locator("table.documents")).to_contain_text("✓ приложен")
        page.get_by_role("link", name="Отправить заявку").click()
        page.get_by_role("button", name="Да, отправить заявку").click()
        expect(page.locator(".app-summary")).to_contain_text("Подана")
        application.refresh_from_db()
        assert application.status == ApplicationStatus.SUBMITTED

        # The organiser takes it into review and accepts it: one of the seven places.
        staff = staff_ctx.new_page()
        staff.goto(f"{base}/export/manage/{event.pk}/")
        staff.get_by_role("link", name="Корпорация «Воздух»").click()
        staff.get_by_role("button", name="Взять на рассмотрение").click()
        expect(staff.locator(".app-summary")).to_contain_text("На рассмотрении")
        staff.get_by_label("Комментарий").fill("Сильная заявка, есть опыт поставок")
        staff.get_by_role("button", name="Одобрить").click()
        expect(staff.locator(".app-summary")).to_contain_text("Одобрена")
        event.refresh_from_db()
        assert event.taken == 1

        # The host confirms the place.
        page.goto(f"{base}/export/my/applications/{application.pk}/")
        page.get_by_role("link", name="Подтвердить участие").click()
        page.get_by_role("button", name="Да, подтвердить участие").click()
        expect(page.locator(".app-summary")).to_contain_text("Участие подтверждено")

        # The fair is over; the host reports a contract in yuan.
        start = clock.today() - dt.timedelta(days=10)
        ExportEvent.objects.filter(pk=event.pk).update(
            starts_on=start, ends_on=start + dt.timedelta(days=4)
        )
        page.goto(f"{base}/export/my/applications/{application.pk}/")
        page.get_by_role("link", name="Заполнить отчёт").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Отчёт об итогах участия")
        report = page.locator("main form.report-form")
        report.get_by_label("Проведено B2B-встреч").fill("12")
        report.get_by_label("Подписано соглашений о намерениях").fill("3")
        report.get_by_label("Ожидаемый объём экспорта").fill("5000000")
        contract = report.get_by_role("group", name="Контракт 1")
        contract.get_by_label("Покупатель").fill("Shanghai Water Group")
        contract.get_by_label("Страна").fill("Китай")
        contract.get_by_label("Сумма").fill("100000")
        contract.get_by_label("Валюта").select_option("CNY")
        report.get_by_label("Цитата для публикации").fill(
            "Мы смогли продемонстрировать наши решения для очистки воздуха."
        )
        report.get_by_label("Автор цитаты").fill("Александр Бондарь, генеральный директор")
        report.get_by_role("button", name="Сдать отчёт").click()
        expect(page.locator(".messages")).to_contain_text("Отчёт об итогах участия сохранён")
        saved = OutcomeReport.objects.get(application=application)
        assert (saved.meetings_held, saved.agreements) == (12, 3)
        assert saved.contracts.get().currency == "CNY"

        # The organiser's overview: 100 000 ¥ × 12.5 = 1 250 000 ₽, nobody left to remind.
        staff.goto(f"{base}/export/manage/{event.pk}/reports/")
        expect(staff.locator(".contracts-total")).to_have_text(re.compile(r"1\s?250\s?000,00"))
        expect(staff.locator("main")).to_contain_text("Все участники сдали отчёты.")
        assert_accessible(staff)
    finally:
        host_ctx.close()
        staff_ctx.close()


def test_public_export_pages_are_accessible(page, live_server, ciif, assert_accessible):
    event = ciif["event"]
    Application.objects.create(
        event=event,
        enterprise=ciif["enterprise"],
        created_by=ciif["host"],
        status=ApplicationStatus.CONFIRMED,
    ).products.set(ciif["enterprise"].products.all())
    for path, heading in (
        ("/export/", "Экспорт: бизнес-миссии и выставки"),
        (f"/export/{event.pk}/", "CIIF: коллективный стенд Москвы"),
        (f"/export/{event.pk}/showcase/", "Экспортёры Москвы"),
        (f"/export/{event.pk}/showcase/?lang=en", None),
    ):
        page.goto(live_server.url + path)
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.locator("main")).to_contain_text(
            "CIIF: Moscow joint stand" if "lang=en" in path else "CIIF"
        )
        assert_accessible(page)
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("main")).to_contain_text("Станок с ЧПУ")
