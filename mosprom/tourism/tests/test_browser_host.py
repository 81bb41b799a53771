"""A host at the door, in Chromium at phone width: log in, open the session from the cabinet,
check a ticket in by its typed code, see "already used" on the second try — with htmx, without
JavaScript, and through the camera (Chromium's fake camera showing the ticket's QR code).
Every cabinet and back-office page is checked with axe-core (they are behind a login, so the
anonymous accessibility sweep does not reach them)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re

import pytest
from playwright.sync_api import expect

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import PASSWORD, make_user
from mosprom.registry.tests.factories import make_enterprise, make_membership
from mosprom.tourism.booking import ParticipantData
from mosprom.tourism.models import Booking
from mosprom.tourism.tests.factories import (
    ADULT_BIRTH_DATE,
    make_booking,
    make_experience,
    make_session,
)
from mosprom.tourism.tickets import ticket_token

pytestmark = pytest.mark.browser

TITLE = "Экскурсия по сборочному цеху"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")  # as in the root conftest


@pytest.fixture
def door(transactional_db):
    """A host of Трансмаш, a session of its excursion, a booking of two people."""
    plant = make_enterprise(short_name="Трансмаш")
    host = make_user(email="host@example.test", role=Role.HOST, first_name="Олег")
    make_membership(host, plant)
    session = make_session(experience=make_experience(enterprise=plant, title=TITLE))
    booking = make_booking(
        session=session,
        participants=[
            ParticipantData("Заводская Мария Ивановна", ADULT_BIRTH_DATE),
            ParticipantData("Заводской Пётр Ильич", dt.date(1985, 2, 3)),
        ],
    )
    return host, session, booking


def _log_in(page, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    form = page.locator("main form").filter(has=page.get_by_label("Пароль"))
    form.get_by_label("E-mail").fill(email)
    form.get_by_label("Пароль").fill(PASSWORD)
    form.get_by_role("button", name="Войти").click()


def test_a_host_checks_the_ticket_in_by_typed_code(page, live_server, door, assert_accessible):
    host, session, booking = door
    _log_in(page, live_server.url, host.email, "/host/tours/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Кабинет представителя")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Вход")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Проверка билетов")
    expect(page.locator("main")).to_contain_text(TITLE)
    # Chromium here has no camera, yet the scanner offers itself; the typed code is the test.
    expect(page.get_by_role("button", name="Сканировать QR-код")).to_be_visible()
    assert_accessible(page)

    result = page.locator("#checkin-result")
    code = page.get_by_label("Код билета")
    code.fill(booking.code.lower())
    page.get_by_role("button", name="Проверить").click()
    expect(result).to_contain_text("Проходите")
    expect(result).to_contain_text("Заводская Мария Ивановна")
    expect(result).to_contain_text("Заводской Пётр Ильич")
    expect(result).to_contain_text("Отмечено мест: 2 из 2")
    expect(result.locator(".checkin-valid")).to_be_visible()
    # The field is emptied for the next ticket, and the page stayed in place (htmx).
    expect(code).to_have_value("")
    assert page.url.endswith(f"/host/tours/sessions/{session.pk}/checkin/")
    assert_accessible(page)

    booking.refresh_from_db()
    assert booking.checked_in_at is not None
    assert booking.checked_in_by_id == host.pk

    code.fill(booking.code)
    code.press("Enter")
    expect(result).to_contain_text("Билет уже использован")
    expect(result.locator(".checkin-already_used")).to_be_visible()

    code.fill("ZZZZ9999")
    page.get_by_role("button", name="Проверить").click()
    expect(result).to_contain_text("Билет не найден")

    # The attendee list shows the check-in time.
    page.get_by_role("link", name="Список участников").last.click()
    row = page.get_by_role("row").filter(has_text=booking.code)
    expect(row).to_contain_text(re.compile(r"\d{2}:\d{2}"))
    assert_accessible(page)


def test_check_in_works_without_javascript(chromium, live_server, door):
    host, session, booking = door
    context = chromium.new_context(
        locale="ru-RU", java_script_enabled=False, viewport={"width": 412, "height": 900}
    )
    try:
        page = context.new_page()
        _log_in(page, live_server.url, host.email, f"/host/tours/sessions/{session.pk}/checkin/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Проверка билетов")
        # Without JavaScript there is no camera block, only the form.
        expect(page.get_by_role("button", name="Сканировать QR-код")).to_be_hidden()
        page.get_by_label("Код билета").fill(booking.code)
        page.get_by_role("button", name="Проверить").click()
        expect(page.locator("#checkin-result")).to_contain_text("Проходите")
        page.get_by_label("Код билета").fill(booking.code)
        page.get_by_role("button", name="Проверить").click()
        expect(page.locator("#checkin-result")).to_contain_text("Билет уже использован")
    finally:
        context.close()
    assert Booking.objects.filter(pk=booking.pk, checked_in_at__isnull=False).exists()


def _y4m_showing(text: str, path) -> None:
    """A short Y4M video of a white card with ``text`` as a QR code, for Chromium's fake camera."""
    import segno
    from PIL import Image

    width, height = 640, 480
    qr = segno.make(text, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=8, border=4)
    code = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    side = min(height - 40, code.width)
    code = code.resize((side, side), Image.NEAREST)
    frame = Image.new("L", (width, height), 255)
    frame.paste(code, ((width - side) // 2, (height - side) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (width // 2) * (height // 2)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(5):
            out.write(b"FRAME\n" + luma + chroma + chroma)


def test_the_camera_reads_the_ticket_qr(_playwright, live_server, door, tmp_path):
    """Chromium's fake camera shows the ticket's QR code; jsQR reads it and the page admits it."""
    host, session, booking = door
    video = tmp_path / "ticket.y4m"
    _y4m_showing(ticket_token(booking), video)
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = browser.new_context(locale="ru-RU", viewport={"width": 412, "height": 900})
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        _log_in(page, live_server.url, host.email, f"/host/tours/sessions/{session.pk}/checkin/")
        page.get_by_role("button", name="Сканировать QR-код").click()
        result = page.locator("#checkin-result")
        expect(result).to_contain_text("Проходите", timeout=15_000)
        expect(result).to_contain_text("Заводская Мария Ивановна")
        # The same code still in front of the camera is not sent again at once.
        page.wait_for_timeout(1500)
        expect(result).to_contain_text("Проходите")
        page.get_by_role("button", name="Выключить камеру").click()
        expect(page.get_by_role("button", name="Сканировать QR-код")).to_be_visible()
        context.close()
    finally:
        browser.close()
    assert Booking.objects.filter(pk=booking.pk, checked_in_by=host).exists()


def test_cabinet_and_back_office_pages_are_accessible(page, live_server, door, assert_accessible):
    _host, session, _booking = door
    organiser = make_user(email="organiser@example.test", role=Role.ORGANISER)
    experience = session.experience
    paths = [
        "/host/tours/",
        f"/host/tours/sessions/{session.pk}/",
        f"/host/tours/sessions/{session.pk}/attendees/",
        f"/host/tours/sessions/{session.pk}/attendees/?print=1",
        f"/host/tours/sessions/{session.pk}/cancel/",
        f"/host/tours/sessions/{session.pk}/no-shows/",
        "/manage/tours/experiences/",
        "/manage/tours/experiences/new/",
        f"/manage/tours/experiences/new/?enterprise={experience.enterprise_id}",
        f"/manage/tours/experiences/{experience.pk}/",
        f"/manage/tours/experiences/{experience.pk}/sessions/new/",
        f"/manage/tours/sessions/{session.pk}/",
        "/manage/tours/seasons/",
        "/manage/tours/seasons/new/",
        f"/manage/tours/seasons/{session.season_id}/",
    ]
    _log_in(page, live_server.url, organiser.email, "/host/tours/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Сеансы программы")
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    # A form sent with mistakes is accessible too, errors and all.
    page.goto(f"{live_server.url}/manage/tours/seasons/new/")
    page.get_by_role("button", name="Создать сезон").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    assert_accessible(page)
