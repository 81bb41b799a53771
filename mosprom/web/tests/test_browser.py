"""End-to-end journeys in Chromium against a live server: the catalogue and signing up.

The database is transactional (the live server's thread must see the test's data); the
serialized rollback brings back what the migrations load (industries, the SEZ, the consent
text) before each test, since a transactional test's flush removes it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from mosprom.accounts.demo import DEMO_PASSWORD, accounts_demo_load
from mosprom.accounts.models import AuditAction, AuditEvent, Consent, User
from mosprom.registry.demo import registry_demo_load

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("django_db_serialized_rollback")]

TOY_FACTORY = "Московский комбинат игрушек"


@pytest.fixture
def demo(transactional_db):
    registry_demo_load()
    accounts_demo_load()


def test_search_the_catalogue_and_open_an_enterprise(page, live_server, demo):
    page.goto(f"{live_server.url}/enterprises/")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Микрон", exact=True)).to_be_visible()

    page.locator("main").get_by_role("searchbox").fill("игрушки")
    page.locator("main").get_by_role("button", name="Найти").click()

    expect(results.get_by_role("link", name=TOY_FACTORY)).to_be_visible()
    expect(results.get_by_role("link", name="Микрон", exact=True)).to_have_count(0)
    expect(page).to_have_url(re.compile(r"q=%D0%B8%D0%B3%D1%80%D1%83%D1%88%D0%BA%D0%B8"))

    results.get_by_role("link", name=TOY_FACTORY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TOY_FACTORY)
    sites = page.get_by_role("region", name="Производственные площадки")
    expect(sites.get_by_role("heading", name="Фабрика игрушек")).to_be_visible()
    expect(sites).to_contain_text("Вольная улица")
    products = page.get_by_role("region", name="Продукция")
    expect(products).to_contain_text("Мягкая игрушка «Медвежонок»")
    expect(products).to_contain_text("9503004100")
    expect(page.locator("main")).to_contain_text("демо-данные")


def test_catalogue_search_works_without_javascript(chromium, live_server, demo):
    context = chromium.new_context(locale="ru-RU", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/enterprises/")
        page.locator("main").get_by_role("searchbox").fill("насосы")
        page.locator("main").get_by_role("button", name="Найти").click()
        expect(page).to_have_url(re.compile(r"\?.*q="))
        expect(page.locator("#results").get_by_role("link", name="ЛГМ")).to_be_visible()
        expect(page.locator("#results").get_by_role("link", name=TOY_FACTORY)).to_have_count(0)
    finally:
        context.close()


def test_sign_up_confirm_by_mail_and_be_logged_in(
    page, live_server, smtp_inbox, settings, transactional_db
):
    settings.SITE_URL = live_server.url
    accounts_demo_load()  # makes sure a consent text is published
    email = "new.visitor@example.test"

    page.goto(f"{live_server.url}/accounts/signup/")
    form = page.locator("main form").filter(has=page.get_by_label("Пароль ещё раз"))
    form.get_by_label("E-mail").fill(email)
    form.get_by_label(re.compile(r"^Имя")).fill("Мария")
    form.get_by_label("Фамилия").fill("Заводская")
    form.get_by_label(re.compile(r"^Пароль:?$")).fill("Tokarnyi-Stanok-1955")
    form.get_by_label("Пароль ещё раз").fill("Tokarnyi-Stanok-1955")
    form.get_by_label(re.compile("согласие на обработку")).check()
    form.get_by_role("button", name="Зарегистрироваться").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Проверьте почту")

    (message,) = smtp_inbox.wait_for(1)
    assert message["To"] == email
    text = smtp_inbox.text_of(message)
    links = re.findall(r"https?://\S+/accounts/confirm/\S+", text)
    assert len(links) == 1, text
    parts = urlsplit(links[0])
    link = f"{live_server.url}{parts.path}" + (f"?{parts.query}" if parts.query else "")
    assert links[0] == link, "the mail's link should use SITE_URL"
    user = User.objects.get(email=email)
    assert user.email_confirmed_at is None

    page.goto(link)
    expect(page.locator(".messages")).to_contain_text("Адрес подтверждён")
    # Logged in: the header offers the profile and a logout button instead of «Войти».
    header = page.locator("header.site-header")
    expect(header.get_by_role("button", name="Выйти")).to_be_visible()
    expect(header.get_by_role("link", name="Войти")).to_have_count(0)
    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    assert Consent.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(actor=user, action=AuditAction.EMAIL_CONFIRMED).exists()


def test_demo_visitor_logs_in_through_the_form(page, live_server, demo):
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form").filter(has=page.get_by_label("Пароль"))
    form.get_by_label("E-mail").fill("visitor@demo.mosprom.local")
    form.get_by_label("Пароль").fill("not-the-password")
    form.get_by_role("button", name="Войти").click()
    expect(page.locator("main")).to_contain_text("Неверный e-mail или пароль")
    # The form keeps what was typed, except the password.
    expect(form.get_by_label("E-mail")).to_have_value("visitor@demo.mosprom.local")

    form.get_by_label("Пароль").fill(DEMO_PASSWORD)
    form.get_by_role("button", name="Войти").click()
    expect(page.locator("header.site-header").get_by_role("button", name="Выйти")).to_be_visible()
