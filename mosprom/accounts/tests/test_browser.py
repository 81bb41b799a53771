"""Pages behind login in Chromium: accessibility, and revealing personal data through htmx."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from mosprom.accounts.models import AuditAction, AuditEvent, Role
from mosprom.accounts.tests.factories import make_user
from mosprom.accounts.tokens import api_token_create
from mosprom.registry import invitations
from mosprom.registry.models import Industry, Membership
from mosprom.registry.tests.factories import make_enterprise

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("django_db_serialized_rollback")]


def log_in(page, live_server, user) -> None:
    """Give the browser a session for ``user`` without going through the form."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


@pytest.fixture
def staff_world(transactional_db):
    # A transactional test's flush may have removed what the migrations load.
    Industry.objects.get_or_create(
        code="26", defaults={"section": "C", "name": "Производство компьютеров и электроники"}
    )
    organiser = make_user(role=Role.ORGANISER, email="olga@example.test")
    enterprise = make_enterprise(short_name="Завод «Прибор»")
    host = make_user(role=Role.HOST, email="igor@example.test", phone="+7 916 555-44-33")
    Membership.objects.create(user=host, enterprise=enterprise, invited_by=organiser)
    invitation = invitations.host_invitation_create(
        actor=organiser, email="new@example.test", enterprise=enterprise, ip_address=None
    )
    api_token_create(user=organiser, name="Скрипт отчётов")
    return {"organiser": organiser, "host": host, "invitation": invitation}


def test_back_office_pages_are_accessible(page, live_server, staff_world, assert_accessible):
    log_in(page, live_server, staff_world["organiser"])
    host = staff_world["host"]
    for path in (
        "/accounts/profile/",
        "/accounts/tokens/",
        "/accounts/users/",
        f"/accounts/users/{host.pk}/",
        "/accounts/audit/",
        "/enterprises/hosts/",
    ):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        assert page.locator("h1").count() == 1, path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"{path} scrolls sideways on a phone"
        assert_accessible(page)


def test_invitation_page_is_accessible(page, live_server, staff_world, assert_accessible):
    path = f"/enterprises/hosts/join/{staff_world['invitation'].token}/"
    page.goto(live_server.url + path)
    expect(page.get_by_role("link", name="Зарегистрироваться")).to_be_visible()
    assert_accessible(page)


def test_reveal_swaps_in_the_full_contacts(page, live_server, staff_world):
    host = staff_world["host"]
    log_in(page, live_server, staff_world["organiser"])
    page.goto(f"{live_server.url}/accounts/users/{host.pk}/")
    contacts = page.locator("#personal-data")
    expect(contacts).to_contain_text("i***@example.test")
    expect(contacts).not_to_contain_text("igor@example.test")

    page.get_by_role("button", name="Показать e-mail и телефон полностью").click()
    expect(contacts).to_contain_text("igor@example.test")
    expect(contacts).to_contain_text("+7 916 555-44-33")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)  # swapped in place
    assert AuditEvent.objects.filter(action=AuditAction.PD_REVEALED).count() == 1
