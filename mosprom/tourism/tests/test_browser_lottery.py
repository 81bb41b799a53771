"""A visitor applies for a lottery session in Chromium at phone width, sees the application,
and the published result after the draw; each page checked with axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.tourism.lottery import lottery_draw
from mosprom.tourism.models import AllocationMode, LotteryApplication
from mosprom.tourism.tests.factories import make_session
from mosprom.tourism.tests.test_browser_public import _log_in

pytestmark = pytest.mark.browser


def test_a_visitor_applies_and_reads_the_result(
    page, live_server, transactional_db, assert_accessible
):
    session = make_session(mode=AllocationMode.LOTTERY, capacity=1)
    visitor = make_user(email="lotto@example.test", first_name="Мария", last_name="Заводская")
    page.goto(f"{live_server.url}/tours/sessions/{session.pk}/lottery/")
    _log_in(page, visitor.email)
    heading = f"Розыгрыш мест: {session.experience.title}"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)
    first = page.get_by_role("group", name="Участник 1 — вы")
    expect(first.get_by_label("Фамилия, имя и отчество")).to_have_value("Заводская Мария")
    second = page.get_by_role("group", name="Участник 2")
    second.get_by_label("Фамилия, имя и отчество").fill("Заводской Пётр Иванович")
    page.locator("main form").get_by_role("button", name="Подать заявку").click()
    expect(page.locator("main")).to_contain_text("Заявка принята")
    assert LotteryApplication.objects.get(user=visitor).places == 2
    assert_accessible(page)

    page.goto(f"{live_server.url}/my/lottery/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Мои заявки на розыгрыши")
    assert_accessible(page)

    with clock.frozen(session.registration_closes_at() + dt.timedelta(minutes=1)):
        draw = lottery_draw(session=session)
    page.goto(f"{live_server.url}/tours/sessions/{session.pk}/lottery/result/")
    expect(page.locator("main")).to_contain_text(draw.seed)
    expect(page.locator("main")).to_contain_text("З***я М.")
    assert_accessible(page)
