"""Public games pages: the list, a game, registering a team, solo players, the live
leaderboard with its polled fragment, and a season's table."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.games.models import (
    GameFormat,
    GameStatus,
    League,
    Penalty,
    Score,
    SkippedGames,
    SoloPlayer,
    Team,
    TeamStatus,
)
from mosprom.games.tests.factories import (
    make_game,
    make_game_season,
    make_round,
    make_team,
)

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- The list --------------------------------------------------------------------------------


def test_list_shows_upcoming_and_past_games_with_places(client):
    soon = make_game(title="Квиз о станках", capacity=10)
    make_team(game=soon)
    make_game(
        title="Прошлогодний квиз",
        starts_at=clock.now() - dt.timedelta(days=30),
        registration_opens_at=clock.now() - dt.timedelta(days=60),
        registration_closes_at=clock.now() - dt.timedelta(days=31),
    )
    make_game(title="Черновик", status=GameStatus.DRAFT)
    text = _text(client.get(reverse("games:game_list")))
    upcoming, past = text.split("Прошедшие игры", 1)
    assert "Квиз о станках" in upcoming and "Осталось 9 мест" in upcoming
    assert "Прошлогодний квиз" in past
    assert "Черновик" not in text


def test_list_filters_by_league_and_format(client):
    make_game(title="Школьный онлайн", league=League.SCHOOLS, format=GameFormat.ONLINE)
    make_game(title="Взрослый очный", league=League.ADULTS)
    text = _text(client.get(reverse("games:game_list"), {"league": "schools"}))
    assert "Школьный онлайн" in text and "Взрослый очный" not in text
    text = _text(client.get(reverse("games:game_list"), {"format": "offline"}))
    assert "Взрослый очный" in text and "Школьный онлайн" not in text
    text = _text(client.get(reverse("games:game_list"), {"format": "hybrid"}))
    assert "По этим условиям ближайших игр нет" in text
    assert "Сбросить фильтры" in text


def test_list_empty_state(client):
    text = _text(client.get(reverse("games:game_list")))
    assert "Ближайших игр пока нет" in text


def test_list_is_paginated_with_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    season = make_game_season()
    for n in range(15):
        make_game(
            title=f"Игра {n:02d}", season=season, starts_at=clock.now() + dt.timedelta(days=n + 1)
        )
    with django_assert_max_num_queries(8):
        response = client.get(reverse("games:game_list"))
    text = _text(response)
    assert "Игра 00" in text and "Игра 14" not in text
    assert "Страница 1 из 2" in text
    assert "Игра 14" in _text(client.get(reverse("games:game_list"), {"page": 2}))


# --- A game --------------------------------------------------------------------------------


def test_game_page_facts_teams_and_leaderboard_link(client):
    game = make_game(title="Квиз «Технополис»", capacity=3, team_min=2, team_max=6)
    make_team(game=game, name="Токари", organisation="Школа № 1535")
    text = _text(client.get(game.get_absolute_url()))
    assert "Технополис «Москва»" in text
    assert "от 2 до 6 игроков" in text
    assert "свободно 2 из 3" in text
    assert "Токари" in text and "Школа № 1535" in text
    assert reverse("games:leaderboard", args=[game.pk]) in text
    assert "Зарегистрировать команду" in text
    assert "(время московское)" in text


def test_game_page_online_and_full_says_waitlist(client):
    game = make_game(format=GameFormat.ONLINE, capacity=1)
    make_team(game=game)
    text = _text(client.get(game.get_absolute_url()))
    assert "Онлайн" in text
    assert "лист ожидания" in text
    assert "Встать в лист ожидания" in text


def test_game_page_shows_my_team(client):
    game = make_game()
    captain = make_user()
    team = make_team(game=game, captain=captain, name="Фрезеровщики")
    client.force_login(captain)
    text = _text(client.get(game.get_absolute_url()))
    assert "Ваша команда «Фрезеровщики» зарегистрирована" in text
    assert reverse("games:team_edit", args=[team.pk]) in text
    assert "Зарегистрировать команду" not in text


def test_draft_game_is_404_for_the_public(client):
    game = make_game(status=GameStatus.DRAFT)
    assert client.get(game.get_absolute_url()).status_code == 404
    client.force_login(make_user(role="organiser"))
    assert client.get(game.get_absolute_url()).status_code == 200


def test_registration_closed_and_not_yet_open(client):
    closed = make_game(
        registration_opens_at=clock.now() - dt.timedelta(days=3),
        registration_closes_at=clock.now() - dt.timedelta(hours=1),
    )
    assert "Регистрация закрыта" in _text(client.get(closed.get_absolute_url()))
    later = make_game(
        registration_opens_at=clock.now() + dt.timedelta(days=1),
        registration_closes_at=clock.now() + dt.timedelta(days=3),
    )
    assert "Регистрация откроется" in _text(client.get(later.get_absolute_url()))


# --- Registering ---------------------------------------------------------------------------


def _team_post(**fields) -> dict:
    data = {"name": "Сварщики", "organisation": "ГБОУ Школа № 7"}
    data.update({f"member_{i}": name for i, name in enumerate(fields.pop("members", []))})
    data.update(fields)
    return data


def test_register_needs_login(client):
    game = make_game()
    response = client.get(reverse("games:team_register", args=[game.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_register_form_has_team_max_inputs_with_the_captain_first(client):
    game = make_game(team_max=5)
    user = make_user(first_name="Мария", last_name="Станкова")
    client.force_login(user)
    html = client.get(reverse("games:team_register", args=[game.pk])).content.decode()
    assert len(re.findall(r'name="member_\d"', html)) == 5
    assert 'value="Мария Станкова"' in html
    assert "Игрок 1 — капитан" in html
    assert "+ Добавить игрока" in html


def test_register_a_team_ignoring_blank_inputs(client, mailoutbox):
    game = make_game(team_min=2, team_max=6)
    user = make_user()
    client.force_login(user)
    response = client.post(
        reverse("games:team_register", args=[game.pk]),
        _team_post(members=["Мария Станкова", "", "Пётр Фрезеров", ""]),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("games:my_teams")
    team = Team.objects.get(game=game, captain=user)
    assert team.status == TeamStatus.REGISTERED
    assert team.organisation == "ГБОУ Школа № 7"
    assert list(team.members.values_list("full_name", flat=True)) == [
        "Мария Станкова",
        "Пётр Фрезеров",
    ]
    game.refresh_from_db()
    assert game.taken == 1


def test_register_refusals_keep_what_was_typed(client):
    game = make_game(team_min=3, team_max=6)
    make_team(game=game, name="Сварщики")
    client.force_login(make_user())
    url = reverse("games:team_register", args=[game.pk])
    # The name is taken (case and spaces do not matter).
    response = client.post(url, _team_post(name="  сварщики ", members=["А Б", "В Г", "Д Е"]))
    assert response.status_code == 200
    text = _text(response)
    assert "уже зарегистрирована на эту игру" in text
    assert 'value="В Г"' in text and 'value="ГБОУ Школа № 7"' in text
    # Too few players.
    response = client.post(url, _team_post(name="Литейщики", members=["А Б", "В Г"]))
    text = _text(response)
    assert "В команде должно быть от 3 до 6" in text
    assert 'value="Литейщики"' in text
    # No name.
    response = client.post(url, _team_post(name="", members=["А Б", "В Г", "Д Е"]))
    assert "Введите название команды." in _text(response)
    assert Team.objects.filter(game=game).count() == 1


def test_register_when_full_goes_to_the_waitlist(client):
    game = make_game(capacity=1)
    make_team(game=game)
    user = make_user()
    client.force_login(user)
    client.post(reverse("games:team_register", args=[game.pk]), _team_post(members=["А Б", "В Г"]))
    assert Team.objects.get(captain=user).status == TeamStatus.WAITLISTED


def test_register_needs_a_confirmed_email(client):
    game = make_game()
    client.force_login(make_user(confirmed=False))
    url = reverse("games:team_register", args=[game.pk])
    assert "Подтвердите e-mail" in _text(client.get(url))
    response = client.post(url, _team_post(members=["А Б", "В Г"]))
    assert "Подтвердите e-mail" in _text(response)
    assert not Team.objects.exists()


def test_registered_captain_is_sent_to_the_team(client):
    game = make_game()
    user = make_user()
    team = make_team(game=game, captain=user)
    client.force_login(user)
    response = client.get(reverse("games:team_register", args=[game.pk]))
    assert response["Location"] == reverse("games:team_edit", args=[team.pk])


def test_solo_signup(client):
    game = make_game()
    user = make_user()
    client.force_login(user)
    url = reverse("games:solo_signup", args=[game.pk])
    assert "Ищу команду" in _text(client.get(url))
    response = client.post(url, {"full_name": "Ольга Литейная", "note": "Знаю про станки"})
    assert response.status_code == 302
    solo = SoloPlayer.objects.get(game=game, user=user)
    assert solo.full_name == "Ольга Литейная"
    assert client.get(url)["Location"] == reverse("games:my_teams")


def test_solo_signup_refusal_keeps_typed(client):
    game = make_game()
    user = make_user()
    make_team(game=game, captain=user)
    client.force_login(user)
    response = client.post(
        reverse("games:solo_signup", args=[game.pk]), {"full_name": "Ольга", "note": "про станки"}
    )
    text = _text(response)
    assert "Вы уже зарегистрировали команду" in text
    assert "про станки" in text


# --- Leaderboard ---------------------------------------------------------------------------


def _scored_game(teams=3, rounds=2):
    game = make_game()
    made_rounds = [make_round(game=game) for _ in range(rounds)]
    made_teams = [make_team(game=game, name=f"Команда {chr(1040 + i)}") for i in range(teams)]
    return game, made_teams, made_rounds


def test_leaderboard_page_polls_the_fragment(client):
    game, teams, rounds = _scored_game()
    Score.objects.create(team=teams[1], round=rounds[0], points=7)
    Penalty.objects.create(team=teams[1], points=2, reason="телефон")
    html = client.get(reverse("games:leaderboard", args=[game.pk])).content.decode()
    assert 'hx-trigger="every 3s"' in html
    assert f'hx-get="{reverse("games:leaderboard_table", args=[game.pk])}"' in html
    assert 'aria-live="polite"' in html
    text = _text(client.get(reverse("games:leaderboard", args=[game.pk])))
    row = re.search(rf'id="board-team-{teams[1].pk}".*?</tr>', text).group(0)
    assert ">1<" in row and ">7<" in row and "−2" in row and ">5<" in row
    assert "site-header" in html


def test_screen_mode_has_no_site_chrome(client):
    game, _, _ = _scored_game()
    html = client.get(
        reverse("games:leaderboard", args=[game.pk]), {"screen": "1"}
    ).content.decode()
    assert "site-header" not in html and "site-footer" not in html
    assert "screen-mode" in html
    assert "?screen=1" in html  # the polled fragment keeps the mode


def test_fragment_is_only_the_table_and_204_when_unchanged(client):
    game, teams, rounds = _scored_game()
    url = reverse("games:leaderboard_table", args=[game.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<table" in html
    version = re.search(r'name="v" value="(\w+)"', html).group(1)
    assert client.get(url, {"v": version}).status_code == 204
    Score.objects.create(team=teams[2], round=rounds[1], points=9)
    changed = client.get(url, {"v": version})
    assert changed.status_code == 200
    assert ">9<" in changed.content.decode()


def test_final_table_is_marked_and_stops_polling(client):
    game, _, _ = _scored_game()
    game.results_published_at = clock.now()
    game.save()
    text = _text(client.get(reverse("games:leaderboard", args=[game.pk])))
    assert "Итоговая таблица" in text
    assert "every 3s" not in text
    assert client.get(reverse("games:leaderboard_table", args=[game.pk])).status_code == 286


def test_fragment_queries_are_bounded_for_30_teams_and_6_rounds(
    client, django_assert_max_num_queries
):
    game, teams, rounds = _scored_game(teams=30, rounds=6)
    Score.objects.bulk_create(
        Score(team=team, round=round_, points=(team.pk + round_.pk) % 10)
        for team in teams
        for round_ in rounds
    )
    with django_assert_max_num_queries(9):
        response = client.get(reverse("games:leaderboard_table", args=[game.pk]))
    assert response.content.decode().count("board-team-") == 30


# --- Season table --------------------------------------------------------------------------


def _published(season, league=League.ADULTS, days_ago=10, **fields):
    start = clock.now() - dt.timedelta(days=days_ago)
    return make_game(
        season=season,
        league=league,
        starts_at=start,
        registration_opens_at=start - dt.timedelta(days=10),
        registration_closes_at=start - dt.timedelta(days=1),
        results_published_at=start + dt.timedelta(hours=3),
        **fields,
    )


def test_season_table_with_shared_places_and_the_rule(client):
    season = make_game_season(
        place_points=[130, 120, 110], skipped_rule=SkippedGames.BEST_N, best_n=1
    )
    first = _published(season, days_ago=20)
    second = _published(season, days_ago=10)
    r1, r2 = make_round(game=first), make_round(game=second)
    a = make_team(game=first, name="Аналитики")
    b = make_team(game=first, name="Бурильщики")
    c = make_team(game=first, name="Вальцовщики")
    for team, points in ((a, 9), (b, 5), (c, 5)):
        Score.objects.create(team=team, round=r1, points=points)
    d = make_team(game=second, name="Аналитики")
    Score.objects.create(team=d, round=r2, points=4)
    text = _text(client.get(reverse("games:season_table", args=[season.pk])))
    assert "2–3" in text
    assert "В зачёт идут 1 лучших результатов" in text or "В зачёт идёт 1 лучший" in text
    row = re.search(r"<th scope=\"row\">Аналитики</th>.*?</tr>", text).group(0)
    assert ">130<" in row
    bur = re.search(r"<th scope=\"row\">Бурильщики</th>.*?</tr>", text).group(0)
    assert "не играла" in bur  # skipped the second game


def test_season_table_league_tabs_and_empty_league(client):
    season = make_game_season()
    _published(season, league=League.ADULTS)
    make_game(season=season, league=League.SCHOOLS)  # announced, not played yet
    response = client.get(reverse("games:season_table", args=[season.pk]), {"league": "schools"})
    text = _text(response)
    assert 'aria-current="page">Школьная лига' in text
    assert "ещё не опубликованы" in text


def test_registration_attempts_past_the_account_limit_get_the_429_page(client, settings):
    from django.core.cache import caches

    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {"game_registration": {"account": "2/m", "ip": None}}
    settings.RATE_LIMIT_CACHE = "default"
    caches["default"].clear()
    games = [make_game(team_min=1) for _ in range(3)]
    client.force_login(make_user())
    answers = [
        client.post(
            reverse("games:team_register", args=[game.pk]),
            _team_post(name="", members=["Мария Станкова"]),  # refused by the form: counts
        )
        for game in games
    ]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert "Retry-After" in answers[2]
    assert "Слишком много попыток" in answers[2].content.decode()
    assert not Team.objects.exists()
    caches["default"].clear()
