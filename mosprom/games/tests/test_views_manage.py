"""Running games: the organisers' games and seasons, rounds and questions, rosters with solo
players, the score grid (htmx per cell and the whole grid without JavaScript), its history,
penalties, the review queue, publishing and the prize draw. Hosts reach the games held at
their enterprise's sites and nothing else."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.games.models import (
    Answer,
    AnswerStatus,
    Game,
    GameSeason,
    Penalty,
    PrizeDraw,
    Question,
    Round,
    Score,
    ScoreChange,
    SoloPlayer,
    SoloStatus,
    Team,
    TeamStatus,
)
from mosprom.games.tests.factories import (
    make_game,
    make_game_season,
    make_question,
    make_round,
    make_team,
)
from mosprom.registry.tests.factories import make_enterprise, make_membership, make_site

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def organiser():
    return make_user(role="organiser")


@pytest.fixture
def hosted():
    """A game at a plant's site and a host who is a member of that plant."""
    enterprise = make_enterprise(short_name="Завод «Квиз»")
    site = make_site(enterprise)
    host = make_user(role="host")
    make_membership(host, enterprise)
    return make_game(site=site, title="Игра на заводе"), host


# --- Games and seasons ---------------------------------------------------------------------


def test_host_sees_only_games_at_their_sites(client, hosted):
    game, host = hosted
    make_game(title="Игра в Технополисе")
    client.force_login(host)
    text = _text(client.get(reverse("games:manage_games")))
    assert "Игра на заводе" in text and "Игра в Технополисе" not in text
    assert "Новая игра" not in text
    other = make_game()
    assert client.get(reverse("games:manage_game", args=[other.pk])).status_code == 404
    assert client.get(reverse("games:manage_game", args=[game.pk])).status_code == 200
    assert client.get(reverse("games:manage_game_edit", args=[game.pk])).status_code == 403


def _game_post(**fields) -> dict:
    data = {
        "title": "Квиз «Сделано в Москве»",
        "theme": "Станкостроение",
        "league": "adults",
        "format": "offline",
        "venue": "Технополис «Москва»",
        "starts_at": "2031-03-20T19:00",
        "team_min": "2",
        "team_max": "6",
        "capacity": "40",
        "registration_opens_at": "2031-03-01T12:00",
        "registration_closes_at": "2031-03-19T23:00",
        "tie_break": "last_round",
        "status": "published",
    }
    data.update(fields)
    return data


def test_organiser_creates_a_game(client, organiser):
    season = make_game_season(name="Сезон 2031")
    client.force_login(organiser)
    response = client.post(reverse("games:manage_game_new"), _game_post(season=season.pk))
    game = Game.objects.get(title="Квиз «Сделано в Москве»")
    assert response["Location"] == reverse("games:manage_game", args=[game.pk])
    assert game.season == season and game.capacity == 40
    assert clock.localtime(game.starts_at).hour == 19  # Moscow wall-clock time


def test_game_form_errors_keep_what_was_typed(client, organiser):
    client.force_login(organiser)
    response = client.post(
        reverse("games:manage_game_new"),
        _game_post(
            team_min="5",
            team_max="3",
            registration_closes_at="2031-02-01T12:00",
            venue="",
            theme="Моя тема",
        ),
    )
    text = _text(response)
    assert "Верхняя граница меньше нижней." in text
    assert "Регистрация должна закрываться позже, чем открывается." in text
    assert "Укажите место проведения или площадку предприятия." in text
    assert 'value="Моя тема"' in text
    assert not Game.objects.exists()


def test_edit_keeps_the_counter_and_refuses_capacity_below_it(client, organiser):
    game = make_game(capacity=5)
    for _ in range(3):
        make_team(game=game)
    client.force_login(organiser)
    url = reverse("games:manage_game_edit", args=[game.pk])
    starts = clock.localtime(game.starts_at)
    base = _game_post(
        starts_at=f"{starts:%Y-%m-%dT%H:%M}",
        registration_opens_at=f"{clock.localtime(game.registration_opens_at):%Y-%m-%dT%H:%M}",
        registration_closes_at=f"{clock.localtime(game.registration_closes_at):%Y-%m-%dT%H:%M}",
    )
    response = client.post(url, base | {"capacity": "2"})
    assert "Уже зарегистрировано команд: 3" in _text(response)
    response = client.post(url, base | {"capacity": "10", "title": "Новое название"})
    assert response.status_code == 302
    game.refresh_from_db()
    assert (game.title, game.capacity, game.taken) == ("Новое название", 10, 3)


def test_raising_the_capacity_promotes_waitlisted_teams_oldest_first(
    client, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    game = make_game(capacity=1)
    make_team(game=game)
    first = make_team(game=game, status=TeamStatus.WAITLISTED, name="Первые в очереди")
    second = make_team(game=game, status=TeamStatus.WAITLISTED, name="Вторые в очереди")
    second.waitlisted_at, first.waitlisted_at = clock.now(), clock.now() - dt.timedelta(hours=1)
    Team.objects.bulk_update([first, second], ["waitlisted_at"])
    client.force_login(organiser)
    post = _game_post(
        starts_at=f"{clock.localtime(game.starts_at):%Y-%m-%dT%H:%M}",
        registration_opens_at=f"{clock.localtime(game.registration_opens_at):%Y-%m-%dT%H:%M}",
        registration_closes_at=f"{clock.localtime(game.registration_closes_at):%Y-%m-%dT%H:%M}",
        capacity="2",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("games:manage_game_edit", args=[game.pk]), post, follow=True)
    assert "Из листа ожидания переведены команды: «Первые в очереди»." in _text(response)
    first.refresh_from_db()
    second.refresh_from_db()
    game.refresh_from_db()
    assert (first.status, second.status) == (TeamStatus.REGISTERED, TeamStatus.WAITLISTED)
    assert (game.taken, game.capacity) == (2, 2)
    assert any(first.captain.email in m.to for m in mailoutbox)


def test_seasons_place_points_typed_as_a_list(client, organiser):
    client.force_login(organiser)
    url = reverse("games:manage_season_new")
    response = client.post(
        url,
        {"name": "Сезон", "year": "2031", "place_points": "130, 120, 110…", "skipped_rule": "zero"},
    )
    assert response.status_code == 302
    season = GameSeason.objects.get(name="Сезон")
    assert season.place_points == [130, 120, 110]
    edit = reverse("games:manage_season_edit", args=[season.pk])
    assert 'value="130, 120, 110"' in client.get(edit).content.decode()
    response = client.post(
        edit,
        {"name": "Сезон", "year": "2031", "place_points": "130, 140", "skipped_rule": "best_n"},
    )
    text = _text(response)
    assert "За 2-е место очков больше, чем за 1-е." in text
    assert "Укажите, сколько лучших игр суммировать." in text
    assert 'value="130, 140"' in text
    response = client.post(
        edit, {"name": "Сезон", "year": "2031", "place_points": "130, сто", "skipped_rule": "zero"}
    )
    assert "Только целые числа через запятую" in _text(response)
    assert "Сезон" in _text(client.get(reverse("games:manage_seasons")))


def test_seasons_are_for_organisers(client, hosted):
    _, host = hosted
    client.force_login(host)
    assert client.get(reverse("games:manage_seasons")).status_code == 403


# --- Rounds and questions ------------------------------------------------------------------


def test_rounds_and_questions_editor(client, hosted):
    game, host = hosted
    client.force_login(host)
    url = reverse("games:manage_rounds", args=[game.pk])
    response = client.post(
        url, {"number": "1", "title": "Разминка", "questions": "12", "points_per_question": "1"}
    )
    round_ = Round.objects.get(game=game)
    assert response["Location"] == reverse("games:manage_round", args=[round_.pk])
    response = client.post(
        url, {"number": "1", "title": "Дубль", "questions": "10", "points_per_question": "1"}
    )
    text = _text(response)
    assert "Тур с номером 1 уже есть." in text and 'value="Дубль"' in text
    round_url = reverse("games:manage_round", args=[round_.pk])
    response = client.post(
        round_url,
        {
            "action": "question",
            "number": "1",
            "text": "Что делают на ЗИЛе?",
            "accepted": "автомобили\nгрузовики",
            "opens_at": "2031-03-20T19:00",
            "closes_at": "2031-03-20T18:00",
        },
    )
    assert "Вопрос должен закрываться позже, чем открывается." in _text(response)
    client.post(
        round_url,
        {
            "action": "question",
            "number": "1",
            "text": "Что делают на ЗИЛе?",
            "accepted": "автомобили\nгрузовики",
            "opens_at": "2031-03-20T19:00",
            "closes_at": "2031-03-20T19:05",
        },
    )
    question = Question.objects.get(round=round_)
    assert question.accepted_variants == ["автомобили", "грузовики"]
    response = client.post(
        reverse("games:manage_question", args=[question.pk]),
        {"number": "1", "text": "Что делали на ЗИЛе?", "accepted": "автомобили"},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "Что делали на ЗИЛе?"
    client.post(
        round_url,
        {
            "action": "round",
            "number": "1",
            "title": "Разминка",
            "questions": "10",
            "points_per_question": "1",
            "confidence": "on",
        },
    )
    round_.refresh_from_db()
    assert round_.confidence and round_.questions == 10


def test_rounds_of_another_game_are_404_for_a_host(client, hosted):
    _, host = hosted
    round_ = make_round(game=make_game())
    client.force_login(host)
    assert client.get(reverse("games:manage_round", args=[round_.pk])).status_code == 404


# --- Rosters -------------------------------------------------------------------------------


def test_rosters_show_the_waitlist_in_order_and_place_solos(
    client, organiser, django_assert_max_num_queries
):
    game = make_game(capacity=20, team_max=3)
    teams = [make_team(game=game, name=f"Команда {n}") for n in range(20)]
    make_team(game=game, name="Ждущие первыми", status=TeamStatus.WAITLISTED)
    make_team(game=game, name="Ждущие вторыми", status=TeamStatus.WAITLISTED)
    solo = SoloPlayer.objects.create(game=game, user=make_user(), full_name="Одинокий Игрок")
    client.force_login(organiser)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("games:manage_rosters", args=[game.pk]))
    text = _text(response)
    assert text.index("Команда 19") < text.index("Ждущие первыми") < text.index("Ждущие вторыми")
    assert "Одинокий Игрок" in text and "Поставить в команду" in text
    response = client.post(
        reverse("games:manage_solo_place", args=[solo.pk]), {"team": teams[0].pk}
    )
    assert response["Location"] == reverse("games:manage_rosters", args=[game.pk])
    solo.refresh_from_db()
    assert solo.status == SoloStatus.PLACED and solo.team == teams[0]
    assert teams[0].members.filter(full_name="Одинокий Игрок").exists()


def test_placing_into_a_full_roster_is_refused(client, organiser):
    game = make_game(team_max=2)
    team = make_team(game=game, members=["А", "Б"])
    solo = SoloPlayer.objects.create(game=game, user=make_user(), full_name="Лишний")
    client.force_login(organiser)
    response = client.post(
        reverse("games:manage_solo_place", args=[solo.pk]), {"team": team.pk}, follow=True
    )
    assert "В команде должно быть от 2 до 2" in _text(response)
    solo.refresh_from_db()
    assert solo.status == SoloStatus.WAITING


def test_host_sees_rosters_but_does_not_place(client, hosted):
    game, host = hosted
    solo = SoloPlayer.objects.create(game=game, user=make_user(), full_name="Одинокий")
    make_team(game=game)
    client.force_login(host)
    text = _text(client.get(reverse("games:manage_rosters", args=[game.pk])))
    assert "Одинокий" in text and "Поставить в команду" not in text
    assert client.post(reverse("games:manage_solo_place", args=[solo.pk])).status_code == 403


# --- The score grid ------------------------------------------------------------------------


def _grid_game(game, teams=3, rounds=2):
    made_rounds = [make_round(game=game, questions=10) for _ in range(rounds)]
    made_teams = [make_team(game=game, name=f"Команда {n}") for n in range(teams)]
    return made_teams, made_rounds


def test_grid_has_a_labelled_number_input_per_cell(client, hosted, django_assert_max_num_queries):
    game, host = hosted
    teams, rounds = _grid_game(game, teams=30, rounds=6)
    Score.objects.create(team=teams[0], round=rounds[0], points=7)
    client.force_login(host)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("games:manage_scores", args=[game.pk]))
    html = response.content.decode()
    assert html.count('type="number" inputmode="numeric"') == 180
    assert html.count('hx-trigger="change"') == 180
    name = f"s-{teams[0].pk}-{rounds[0].pk}"
    assert (
        f'<label for="in-{name}" class="visually-hidden">Команда Команда 0, тур 1</label>' in html
    )
    assert re.search(rf'name="{name}" value="7"', html)
    assert reverse("games:manage_score_cell", args=[teams[0].pk, rounds[0].pk]) in html
    assert "games/grid.js" in html


def test_cell_saved_by_htmx_with_history(client, hosted):
    game, host = hosted
    teams, rounds = _grid_game(game)
    client.force_login(host)
    url = reverse("games:manage_score_cell", args=[teams[1].pk, rounds[0].pk])
    name = f"s-{teams[1].pk}-{rounds[0].pk}"
    response = client.post(url, {name: "8"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.startswith(f'<td id="cell-{teams[1].pk}-{rounds[0].pk}"')
    assert "score-cell-saved" in html and 'value="8"' in html
    assert "Сохранено: «Команда 1», тур 1 — 8" in html
    assert Score.objects.get(team=teams[1], round=rounds[0]).points == 8
    client.post(url, {name: "9"}, headers={"HX-Request": "true"})
    assert list(ScoreChange.objects.values_list("previous", "points")) == [(8, 9), (None, 8)]
    history = _text(client.get(reverse("games:manage_score_history", args=[game.pk])))
    assert "Команда 1" in history and ">9<" in history


def test_cell_refusal_is_shown_in_russian_in_the_cell(client, hosted):
    game, host = hosted
    teams, rounds = _grid_game(game)
    client.force_login(host)
    url = reverse("games:manage_score_cell", args=[teams[0].pk, rounds[0].pk])
    name = f"s-{teams[0].pk}-{rounds[0].pk}"
    html = client.post(url, {name: "99"}, headers={"HX-Request": "true"}).content.decode()
    assert "можно получить от 0 до 10 очков" in html
    assert 'aria-invalid="true"' in html and 'value="99"' in html
    html = client.post(url, {name: "семь"}, headers={"HX-Request": "true"}).content.decode()
    assert "Введите целое число очков." in html
    assert not Score.objects.exists()


def test_cell_of_another_hosts_game_is_404(client, hosted):
    _, host = hosted
    other = make_game()
    teams, rounds = _grid_game(other)
    client.force_login(host)
    url = reverse("games:manage_score_cell", args=[teams[0].pk, rounds[0].pk])
    response = client.post(url, {f"s-{teams[0].pk}-{rounds[0].pk}": "5"})
    assert response.status_code == 404
    assert not Score.objects.exists()


def test_whole_grid_without_javascript(client, hosted):
    game, host = hosted
    teams, rounds = _grid_game(game)
    Score.objects.create(team=teams[0], round=rounds[0], points=3)
    client.force_login(host)
    url = reverse("games:manage_scores", args=[game.pk])
    data = {f"s-{t.pk}-{r.pk}": "" for t in teams for r in rounds}
    data[f"s-{teams[0].pk}-{rounds[0].pk}"] = "3"  # unchanged
    data[f"s-{teams[1].pk}-{rounds[1].pk}"] = "6"
    data[f"s-{teams[2].pk}-{rounds[0].pk}"] = "50"  # out of range
    response = client.post(url, data)
    assert response.status_code == 200
    text = _text(response)
    assert "Не сохранена 1 ячейка" in text
    assert 'value="50"' in text and "можно получить от 0 до 10 очков" in text
    assert Score.objects.get(team=teams[1], round=rounds[1]).points == 6
    assert ScoreChange.objects.count() == 1
    data[f"s-{teams[2].pk}-{rounds[0].pk}"] = "5"
    data[f"s-{teams[1].pk}-{rounds[1].pk}"] = "6"
    assert client.post(url, data).status_code == 302


def test_penalties(client, hosted):
    game, host = hosted
    teams, _ = _grid_game(game)
    client.force_login(host)
    url = reverse("games:manage_penalties", args=[game.pk])
    response = client.post(url, {"team": teams[0].pk, "points": "", "reason": "телефон"})
    text = _text(response)
    assert "Укажите, сколько очков снять." in text and 'value="телефон"' in text
    client.post(url, {"team": teams[0].pk, "points": "10", "reason": "телефон в туре"})
    penalty = Penalty.objects.get()
    assert (penalty.team, penalty.points, penalty.created_by) == (teams[0], 10, host)
    assert "телефон в туре" in _text(client.get(url))


# --- Review queue and publishing ----------------------------------------------------------


def test_review_queue_decides_answers(client, hosted):
    game, host = hosted
    teams, rounds = _grid_game(game)
    question = make_question(round=rounds[0], accepted="автомобили")
    disputed = Answer.objects.create(
        team=teams[0],
        question=question,
        text="автомабили",
        status=AnswerStatus.REVIEW,
        appealed=True,
        appeal_note="Опечатка",
    )
    Answer.objects.create(
        team=teams[1], question=question, text="станки", status=AnswerStatus.WRONG
    )
    client.force_login(host)
    text = _text(client.get(reverse("games:manage_review", args=[game.pk])))
    assert "автомабили" in text and "Опечатка" in text and "автомобили" in text
    assert "станки" not in text
    response = client.post(
        reverse("games:manage_answer_review", args=[disputed.pk]), {"verdict": "correct"}
    )
    assert response["Location"] == reverse("games:manage_review", args=[game.pk])
    disputed.refresh_from_db()
    assert disputed.status == AnswerStatus.CORRECT and disputed.reviewed_by == host
    assert "Спорных ответов нет." in _text(
        client.get(reverse("games:manage_review", args=[game.pk]))
    )


def test_publish_after_confirmation(client, hosted):
    game, host = hosted
    teams, rounds = _grid_game(game)
    Score.objects.create(team=teams[2], round=rounds[0], points=10)
    client.force_login(host)
    url = reverse("games:manage_publish", args=[game.pk])
    text = _text(client.get(url))
    assert "Да, опубликовать итоги" in text and "Команда 2" in text
    game.refresh_from_db()
    assert game.results_published_at is None
    assert client.post(url)["Location"] == reverse("games:leaderboard", args=[game.pk])
    game.refresh_from_db()
    assert game.results_published_at is not None
    grid = _text(client.get(reverse("games:manage_scores", args=[game.pk])))
    assert "Итоги опубликованы — очки больше не меняются." in grid


# --- Prize draw ----------------------------------------------------------------------------


def test_prize_draw_previews_then_draws(client, organiser):
    from mosprom.tourism.tests.factories import make_session

    game = make_game()
    teams, rounds = _grid_game(game, teams=4, rounds=1)
    for team, points in zip(teams, (9, 8, 7, 1), strict=True):
        Score.objects.create(team=team, round=rounds[0], points=points)
    session = make_session(starts_at=clock.now() + dt.timedelta(days=10), capacity=10)
    client.force_login(organiser)
    url = reverse("games:manage_prize_draw", args=[game.pk])
    response = client.post(
        url, {"top": "3", "session": session.pk, "places": "2", "action": "preview"}
    )
    text = _text(response)
    assert "Условие выполнили 3 команд" in text
    assert "Команда 0" in text and "Команда 3" not in text
    assert not PrizeDraw.objects.exists()
    response = client.post(
        url, {"top": "3", "session": session.pk, "places": "2", "action": "draw"}
    )
    draw = PrizeDraw.objects.get()
    assert response["Location"].endswith(f"#draw-{draw.pk}")
    assert len(draw.winners) == 2 and set(draw.winners) <= {t.pk for t in teams[:3]}
    text = _text(client.get(url))
    assert draw.seed in text and "результат воспроизводится по зерну" in text


def test_prize_draw_needs_a_condition_and_is_for_organisers(client, organiser, hosted):
    game, host = hosted
    client.force_login(organiser)
    response = client.post(
        reverse("games:manage_prize_draw", args=[game.pk]), {"places": "1", "action": "preview"}
    )
    text = _text(response)
    assert "Задайте условие" in text
    client.force_login(host)
    assert client.get(reverse("games:manage_prize_draw", args=[game.pk])).status_code == 403
