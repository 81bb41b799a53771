"""A visitor's journey in Chromium at phone width: find a session in the calendar, log in,
book two places, see the ticket — with JavaScript and without it. Each page on the way is
checked with axe-core (the logged-in pages are not in the anonymous accessibility sweep)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from mosprom.accounts.tests.factories import PASSWORD, make_user
from mosprom.core import clock
from mosprom.registry.tests.factories import make_enterprise, make_site
from mosprom.tourism.models import Booking, BookingStatus, ExperienceKind
from mosprom.tourism.tests.factories import make_experience, make_season, make_session

pytestmark = pytest.mark.browser

TITLE = "Мастер-класс: мягкая игрушка своими руками"


@pytest.fixture
def programme(transactional_db):
    """A toy factory's master class (7+) with two sessions, an excursion elsewhere, a visitor."""
    season = make_season()
    toys = make_enterprise(short_name="Московский комбинат игрушек", okrug="VAO")
    master = make_experience(
        enterprise=toys,
        site=make_site(toys, address="Москва, Вольная улица, 28", okrug="VAO"),
        kind=ExperienceKind.MASTER_CLASS,
        title=TITLE,
        min_age=7,
        meeting_point="Проходная, вход с Вольной улицы",
    )
    first_day = season.starts_on + dt.timedelta(days=1)
    session = make_session(
        season=season,
        experience=master,
        starts_at=clock.start_of_day(first_day) + dt.timedelta(hours=11),
        capacity=15,
    )
    make_session(
        season=season,
        experience=master,
        starts_at=clock.start_of_day(first_day) + dt.timedelta(hours=15),
    )
    make_session(
        season=season,
        experience=make_experience(title="Экскурсия по сборочному цеху"),
        starts_at=clock.start_of_day(first_day) + dt.timedelta(hours=10),
    )
    visitor = make_user(email="maria@example.test", first_name="Мария", last_name="Заводская")
    return session, visitor


def _log_in(page, email: str) -> None:
    form = page.locator("main form").filter(has=page.get_by_label("Пароль"))
    form.get_by_label("E-mail").fill(email)
    form.get_by_label("Пароль").fill(PASSWORD)
    form.get_by_role("button", name="Войти").click()


def test_a_visitor_finds_a_session_books_two_places_and_sees_the_ticket(
    page, live_server, programme, assert_accessible
):
    session, visitor = programme
    page.goto(f"{live_server.url}/tours/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Экскурсии и мастер-классы")
    assert_accessible(page)

    # Narrow the calendar to master classes (htmx swaps the results in place).
    page.get_by_text("Фильтры: даты, формат, округ, возраст").click()
    page.get_by_label("Формат").select_option(label="Мастер-класс")
    results = page.locator("#calendar-results")
    expect(results.get_by_text("Экскурсия по сборочному цеху")).to_have_count(0)
    expect(page.locator("#calendar-count")).to_have_text("Найдено сеансов: 2")
    expect(page).to_have_url(re.compile(r"kind=master_class"))

    # The first session: «Записаться» asks to log in, then comes back to the form.
    results.get_by_role("link", name=re.compile(r"^Записаться")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Вход")
    _log_in(page, visitor.email)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Запись: {TITLE}")
    assert_accessible(page)

    first = page.get_by_role("group", name="Участник 1 — вы")
    expect(first.get_by_label("Фамилия, имя и отчество")).to_have_value("Заводская Мария")
    first.get_by_label("Дата рождения").fill("1990-05-17")
    second = page.get_by_role("group", name=re.compile("Участник 2"))
    second.get_by_label("Фамилия, имя и отчество").fill("Заводской Пётр Иванович")
    second.get_by_label("Дата рождения").fill("2016-03-01")
    page.locator("main form").get_by_role("button", name="Записаться").click()

    # The ticket: QR code, code, address, both participants.
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    booking = Booking.objects.get(user=visitor)
    assert booking.places == 2 and booking.status == BookingStatus.CONFIRMED
    assert booking.session == session
    expect(page.get_by_role("img", name=f"QR-код билета {booking.code}")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Вы записаны")
    expect(main).to_contain_text(booking.code)
    expect(main).to_contain_text("Москва, Вольная улица, 28")
    expect(main).to_contain_text("Проходная, вход с Вольной улицы")
    expect(main).to_contain_text("Заводской Пётр Иванович")
    assert_accessible(page)

    # «Мои билеты» lists it; the calendar now says «Вы записаны» on that session.
    page.goto(f"{live_server.url}/my/tickets/")
    expect(page.get_by_role("link", name=re.compile(TITLE))).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/tours/{session.experience.pk}/")
    expect(page.locator(f"#session-{session.pk}")).to_contain_text("Вы записаны")
    expect(page.locator(f"#session-{session.pk}")).to_contain_text("Свободно мест: 13 из 15")
    assert_accessible(page)


def test_booking_works_without_javascript(chromium, live_server, programme):
    session, visitor = programme
    context = chromium.new_context(
        locale="ru-RU", java_script_enabled=False, viewport={"width": 412, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/tours/")
        page.get_by_text("Фильтры: даты, формат, округ, возраст").click()
        page.get_by_label("Формат").select_option(label="Мастер-класс")
        page.get_by_role("button", name="Показать").click()
        expect(page).to_have_url(re.compile(r"kind=master_class"))
        expect(page.get_by_text("Экскурсия по сборочному цеху")).to_have_count(0)

        page.get_by_role("link", name=re.compile(r"^Записаться")).first.click()
        _log_in(page, visitor.email)
        page.get_by_role("group", name="Участник 1 — вы").get_by_label("Дата рождения").fill(
            "1990-05-17"
        )
        page.locator("main form").get_by_role("button", name="Записаться").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        booking = Booking.objects.get(user=visitor)
        assert (booking.session, booking.places) == (session, 1)
        expect(page.locator("main")).to_contain_text(booking.code)
    finally:
        context.close()
