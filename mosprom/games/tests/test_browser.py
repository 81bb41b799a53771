"""Games in Chromium against a live server: a captain registers a team through the form, a
host of the plant enters a round's score in the grid, and the leaderboard open in a second
browser context shows it without a reload; the public games pages pass axe-core."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.games.models import Score, ScoreChange, Team, TeamStatus
from mosprom.games.tests.factories import make_game, make_game_season, make_round, make_team
from mosprom.registry.tests.factories import make_enterprise, make_membership, make_site

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


@pytest.fixture
def quiz_night(transactional_db):
    enterprise = make_enterprise(short_name="Завод «Квиз»")
    site = make_site(enterprise, name="Актовый зал")
    host = make_user(role=Role.HOST, email="host@example.test")
    make_membership(host, enterprise)
    season = make_game_season(name="Сезон квизов")
    game = make_game(
        title="Квиз на заводе", site=site, venue="Завод «Квиз», актовый зал", season=season
    )
    rounds = [make_round(game=game, title=f"Тур {n}", questions=10) for n in (1, 2, 3)]
    for name in ("Токари", "Слесари"):
        make_team(game=game, name=name, organisation="ГБОУ Школа № 1")
    captain = make_user(email="captain@example.test", first_name="Мария", last_name="Станкова")
    return {"game": game, "rounds": rounds, "host": host, "captain": captain, "season": season}


def test_register_score_and_see_the_leaderboard_change_live(
    chromium, live_server, quiz_night, assert_accessible
):
    game, rounds = quiz_night["game"], quiz_night["rounds"]
    base = live_server.url
    captain_ctx = _context(chromium, live_server, quiz_night["captain"])
    board_ctx = _context(chromium, live_server)
    host_ctx = _context(chromium, live_server, quiz_night["host"])
    try:
        # The captain registers a team through the form; the roster starts with the captain.
        page = captain_ctx.new_page()
        page.goto(f"{base}/games/{game.pk}/")
        page.get_by_role("link", name="Зарегистрировать команду").click()
        form = page.locator("main form.team-form")
        assert_accessible(page)
        form.get_by_label("Название команды").fill("Фрезеровщики")
        form.get_by_label("Школа или организация").fill("Школа № 1535")
        expect(form.get_by_label("Игрок 1 — капитан")).to_have_value("Мария Станкова")
        form.get_by_label(re.compile(r"^Игрок 2:?$")).fill("Пётр Фрезеров")
        expect(form.get_by_label(re.compile(r"^Игрок 4:?$"))).to_be_hidden()
        form.get_by_role("button", name="+ Добавить игрока").click()
        expect(form.get_by_label(re.compile(r"^Игрок 3:?$"))).to_be_focused()
        page.keyboard.type("Анна Токарева")
        form.get_by_role("button", name="Зарегистрировать команду").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Мои команды")
        expect(page.locator(".messages")).to_contain_text("Команда «Фрезеровщики» зарегистрирована")
        team = Team.objects.get(game=game, name="Фрезеровщики")
        assert team.status == TeamStatus.REGISTERED
        assert list(team.members.values_list("full_name", flat=True)) == [
            "Мария Станкова",
            "Пётр Фрезеров",
            "Анна Токарева",
        ]

        # The leaderboard, open on another device before any score.
        board = board_ctx.new_page()
        board.goto(f"{base}/games/{game.pk}/leaderboard/")
        row = board.locator(f"#board-team-{team.pk}")
        expect(row).to_contain_text("Фрезеровщики")
        expect(row.locator("td").nth(1)).to_have_text(re.compile("—"))
        board.evaluate("window.__sameDocument = true")

        # The host enters the first round in the grid; Enter moves down the round's column, and
        # from the last team (the newest) to the top of the next round.
        grid = host_ctx.new_page()
        grid.goto(f"{base}/games/manage/{game.pk}/scores/")
        assert_accessible(grid)
        cell = grid.get_by_label("Команда Фрезеровщики, тур 1")
        cell.fill("7")
        cell.press("Enter")
        expect(grid.get_by_label("Команда Токари, тур 2")).to_be_focused()
        expect(grid.locator(f"#cell-{team.pk}-{rounds[0].pk}")).to_contain_text("сохранено")
        expect(grid.locator("#grid-status")).to_contain_text("Сохранено: «Фрезеровщики», тур 1 — 7")

        # Saved: within five seconds the other context shows it, in the same document.
        expect(row.locator("td").nth(1)).to_have_text("7", timeout=5_000)
        expect(row.locator("td.total")).to_have_text("7")
        expect(row.locator("td.place")).to_have_text("1")
        assert board.evaluate("window.__sameDocument") is True

        assert Score.objects.get(team=team, round=rounds[0]).points == 7
        assert ScoreChange.objects.filter(team=team, changed_by=quiz_night["host"]).count() == 1
        grid.keyboard.type("5")
        grid.keyboard.press("Enter")
        expect(grid.get_by_label("Команда Слесари, тур 2")).to_be_focused()

        # A value out of range is refused in Russian next to the cell.
        bad = grid.get_by_label("Команда Слесари, тур 2")
        bad.fill("42")
        bad.press("Tab")
        expect(grid.locator(".cell-error")).to_contain_text("можно получить от 0 до 10 очков")
    finally:
        for context in (captain_ctx, board_ctx, host_ctx):
            context.close()


def test_public_games_pages_are_accessible(page, live_server, quiz_night, assert_accessible):
    game, season = quiz_night["game"], quiz_night["season"]
    # A played game in the season, so its table has rows.
    start = clock.now() - dt.timedelta(days=14)
    played = make_game(
        title="Прошедший квиз",
        season=season,
        starts_at=start,
        registration_opens_at=start - dt.timedelta(days=10),
        registration_closes_at=start - dt.timedelta(days=1),
        results_published_at=start + dt.timedelta(hours=3),
    )
    round_ = make_round(game=played)
    for name, points in (("Токари", 8), ("Слесари", 8), ("Литейщики", 5)):
        Score.objects.create(team=make_team(game=played, name=name), round=round_, points=points)
    Score.objects.create(
        team=Team.objects.get(game=game, name="Токари"), round=quiz_night["rounds"][0], points=6
    )
    for path, heading in (
        ("/games/", "Интеллектуальные игры"),
        (f"/games/{game.pk}/", "Квиз на заводе"),
        (f"/games/{game.pk}/leaderboard/", "Результаты: Квиз на заводе"),
        (f"/games/{played.pk}/leaderboard/", "Результаты: Прошедший квиз"),
        (f"/games/seasons/{season.pk}/", "Сезон квизов"),
    ):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)
    expect(page.locator("main")).to_contain_text("1–2")  # the shared place in the season
    page.goto(f"{live_server.url}/games/{game.pk}/leaderboard/?screen=1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Квиз на заводе")
    assert_accessible(page)
