"""The organisers' press-release page: access, the form and its errors, the linked text, the
table of sources, the copy button and its live region, the query bound; in Chromium, the copy
button puts the plain text on the clipboard and announces it, and the page passes axe-core.
"""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.analytics.models import ImportedValue
from mosprom.analytics.phrasing import NBSP
from mosprom.analytics.tests.test_press import Figures
from mosprom.core import clock

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 2, 1, 12, tzinfo=dt.UTC)


@pytest.fixture
def figures(monkeypatch):
    return Figures(monkeypatch)


@pytest.fixture
def organiser(client):
    user = make_user(role=Role.ORGANISER)
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


def page(client, **query):
    response = client.get(reverse("press:release"), query)
    return response, html.unescape(response.content.decode()).replace(NBSP, " ")


def test_the_address():
    assert reverse("press:release") == "/manage/figures/press/"


@pytest.mark.parametrize(
    ("role", "status"), [(Role.VISITOR, 403), (Role.HOST, 403), (Role.ADMIN, 200)]
)
def test_only_organisers(client, role, status):
    client.force_login(make_user(role=role))
    assert client.get(reverse("press:release")).status_code == status


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("press:release"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_post_is_refused(client, organiser):
    assert client.post(reverse("press:release")).status_code == 405


def test_first_visit_shows_last_year_for_the_whole_programme(client, organiser, figures):
    figures.set("tours_held", {"2023": 1234})
    response, text = page(client)
    assert response.status_code == 200
    assert 'name="period" value="2023"' in text
    assert "Вся программа: 2023 год" in text
    assert "организовали свыше 1,2 тысячи экскурсий" in text


def test_the_text_links_every_figure_and_lists_its_source(client, organiser, figures):
    figures.set("tours_held", {"2023": 1234})
    ImportedValue.objects.create(
        kpi="tours_held",
        period_start=dt.date(2022, 1, 1),
        period_end=dt.date(2022, 12, 31),
        value=823,
    )
    response, text = page(client, period="2023", context="tourism")
    assert response.status_code == 200
    assert "Промышленный туризм: 2023 год" in text
    body = text.split('id="press-text">')[1].split("</div>")[0]
    assert body.count('class="press-figure"') == 2
    assert 'href="/manage/figures/kpi/?period=2023&kpi=tours_held#kpi-tours_held"' in body
    # The plain text for copying, without links.
    plain = text.split('<textarea id="press-plain"')[1].split("</textarea>")[0]
    assert "в 1,5 раза превышает показатели 2022-го." in plain
    assert "<a" not in plain
    # The sources: the exact value and where it came from.
    sources = text.split('id="press-sources"')[1]
    assert "1234" in sources
    assert "по записям платформы и импортированной истории" in sources
    assert "2022 год — 823 (из импортированной истории)" in sources


def test_copy_button_and_live_region(client, organiser, figures):
    figures.set("tours_held", {"2023": 1234})
    _response, text = page(client, period="2023")
    assert '<div id="press-copy-box" hidden>' in text  # until press.js shows it
    assert 'id="press-copy"' in text
    assert 'data-source="press-plain"' in text
    assert "Текст скопирован в буфер обмена." in text
    assert '<p id="press-copy-status" role="status" aria-live="polite"></p>' in text
    assert "/static/analytics/press.js" in text
    assert '<label for="press-plain">' in text


@pytest.mark.parametrize(
    ("query", "message", "typed"),
    [
        ({"period": "2023-13", "context": "all"}, "Месяц должен быть от 01 до 12.", "2023-13"),
        ({"period": "", "context": "all"}, "Укажите период: например, 2023 или 2025-H1.", ""),
        ({"period": "в прошлом году"}, "Не удалось прочитать период «в прошлом году»", None),
        ({"period": "2023", "context": "weather"}, "Выберите тему из списка.", "2023"),
    ],
)
def test_errors_re_render_the_form_with_what_was_typed(client, organiser, query, message, typed):
    response, text = page(client, **query)
    assert response.status_code == 200
    assert message in text
    assert 'class="errorlist"' in text
    if typed is not None:
        assert f'name="period" value="{typed}"' in text or (typed == "" and 'name="period"' in text)
    else:
        assert 'value="в прошлом году"' in text
    assert 'id="press-text"' not in text


def test_empty_period_says_so(client, organiser, figures):
    response, text = page(client, period="2023-Q2", context="sez")
    assert response.status_code == 200
    assert "нет цифр, из которых можно составить текст" in text
    assert 'id="press-copy"' not in text
    assert 'id="press-sources"' not in text


def test_bounded_queries(client, organiser, figures, django_assert_max_num_queries):
    figures.set("tours_held", {"2023": 1234})
    figures.set("online_tours", {"2023": 20})
    with django_assert_max_num_queries(60):
        response = client.get(reverse("press:release"), {"period": "2023"})
    assert response.status_code == 200


# --- In the browser ------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.usefixtures("django_db_serialized_rollback")
def test_copy_button_copies_the_plain_text_and_says_so(
    chromium, live_server, transactional_db, figures, assert_accessible
):
    figures.set("tours_held", {"2023": 1234})
    figures.set("sites_hosted", {"2023": 124})
    client = Client()
    client.force_login(make_user(role=Role.ORGANISER))
    context = chromium.new_context(
        locale="ru-RU", viewport={"width": 412, "height": 900}, timezone_id="Europe/Moscow"
    )
    context.set_default_timeout(10_000)
    context_cookies = [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_server.url,
        }
    ]
    context.add_cookies(context_cookies)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    try:
        browser_page = context.new_page()
        browser_page.goto(f"{live_server.url}/manage/figures/press/?period=2023&context=tourism")
        link = browser_page.get_by_role("link", name="свыше 1,2\u00a0тысячи экскурсий").first
        expect(link).to_have_attribute(
            "href", "/manage/figures/kpi/?period=2023&kpi=tours_held#kpi-tours_held"
        )
        button = browser_page.get_by_role("button", name="Скопировать текст")
        expect(button).to_be_visible()
        button.click()
        expect(browser_page.locator("#press-copy-status")).to_have_text(
            "Текст скопирован в буфер обмена."
        )
        copied = browser_page.evaluate("navigator.clipboard.readText()")
        assert copied.replace(NBSP, " ") == (
            "В 2023 году в рамках проекта «Открой#Моспром» организовали свыше 1,2 тысячи "
            "экскурсий. Мероприятия проекта прошли более чем на 120 производственных площадках "
            "города."
        )
        assert_accessible(browser_page)
    finally:
        context.close()
    # Without JavaScript there is no button that would do nothing; the field is there.
    static = chromium.new_context(locale="ru-RU", java_script_enabled=False)
    static.add_cookies(context_cookies)
    try:
        browser_page = static.new_page()
        browser_page.goto(f"{live_server.url}/manage/figures/press/?period=2023&context=tourism")
        expect(browser_page.get_by_role("button", name="Скопировать текст")).to_be_hidden()
        browser_page.get_by_text("Текст без ссылок", exact=True).click()
        expect(
            browser_page.get_by_label("Текст без ссылок (можно выделить и скопировать)")
        ).to_be_visible()
    finally:
        static.close()
