"""The captain's pages: my teams, the roster until the deadline, withdrawing, online play and
appeals. Somebody else's team, answer or sign-up is 404."""

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
    GameFormat,
    SoloPlayer,
    SoloStatus,
    TeamStatus,
)
from mosprom.games.tests.factories import make_game, make_question, make_round, make_team

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_my_teams_lists_only_mine_with_actions(client):
    me = make_user()
    game = make_game(title="Квиз о заводах", format=GameFormat.HYBRID)
    mine = make_team(game=game, captain=me, name="Мои токари")
    make_team(game=game, name="Чужие слесари")
    other_game = make_game(title="Другой квиз")
    SoloPlayer.objects.create(game=other_game, user=me, full_name="Я Сам")
    client.force_login(me)
    text = _text(client.get(reverse("games:my_teams")))
    assert "Мои токари" in text and "Чужие слесари" not in text
    assert reverse("games:team_edit", args=[mine.pk]) in text
    assert reverse("games:team_withdraw", args=[mine.pk]) in text
    assert reverse("games:play", args=[mine.pk]) in text
    assert "Другой квиз" in text and "Больше не ищу команду" in text


def test_my_teams_empty(client):
    client.force_login(make_user())
    assert "У вас пока нет команд" in _text(client.get(reverse("games:my_teams")))


def test_edit_roster_until_the_deadline(client):
    me = make_user()
    game = make_game(team_min=2, team_max=4)
    team = make_team(game=game, captain=me, name="Литейщики", members=["Я Сам", "Друг Один"])
    client.force_login(me)
    url = reverse("games:team_edit", args=[team.pk])
    html = client.get(url).content.decode()
    assert 'value="Друг Один"' in html and 'value="Литейщики"' in html
    response = client.post(
        url,
        {
            "name": "Литейщики",
            "organisation": "",
            "member_0": "Я Сам",
            "member_1": "",
            "member_2": "Друг Два",
            "member_3": "Друг Три",
        },
    )
    assert response.status_code == 302
    assert list(team.members.values_list("full_name", flat=True)) == [
        "Я Сам",
        "Друг Два",
        "Друг Три",
    ]


def test_edit_refusal_keeps_what_was_typed(client):
    me = make_user()
    game = make_game(team_min=2, team_max=4)
    make_team(game=game, name="Занято")
    team = make_team(game=game, captain=me)
    client.force_login(me)
    response = client.post(
        reverse("games:team_edit", args=[team.pk]),
        {"name": "ЗАНЯТО", "member_0": "Я Сам", "member_1": "Новый Игрок"},
    )
    text = _text(response)
    assert "уже зарегистрирована на эту игру" in text
    assert 'value="Новый Игрок"' in text


def test_after_the_deadline_the_roster_is_read_only(client):
    me = make_user()
    game = make_game(
        registration_opens_at=clock.now() - dt.timedelta(days=5),
        registration_closes_at=clock.now() - dt.timedelta(hours=1),
    )
    team = make_team(game=game, captain=me, members=["Я Сам", "Друг Один"])
    client.force_login(me)
    url = reverse("games:team_edit", args=[team.pk])
    text = _text(client.get(url))
    assert "Регистрация закрыта: состав больше не меняется" in text
    client.post(url, {"name": "Новое", "member_0": "Я Сам", "member_1": "Другой"})
    team.refresh_from_db()
    assert team.name != "Новое"


def test_someone_elses_team_is_404(client):
    team = make_team()
    client.force_login(make_user())
    for name in ("games:team_edit", "games:team_withdraw", "games:play"):
        assert client.get(reverse(name, args=[team.pk])).status_code == 404
    assert client.post(reverse("games:team_withdraw", args=[team.pk])).status_code == 404
    team.refresh_from_db()
    assert team.status == TeamStatus.REGISTERED


def test_withdraw_after_confirmation_promotes_the_waitlist(client):
    me = make_user()
    game = make_game(capacity=1)
    team = make_team(game=game, captain=me, name="Уходящие")
    waiting = make_team(game=game, status=TeamStatus.WAITLISTED)
    client.force_login(me)
    url = reverse("games:team_withdraw", args=[team.pk])
    text = _text(client.get(url))
    assert "Снять команду «Уходящие» с игры?" in text
    assert "Да, сняться с игры" in text
    team.refresh_from_db()
    assert team.status == TeamStatus.REGISTERED  # GET changes nothing
    assert client.post(url)["Location"] == reverse("games:my_teams")
    team.refresh_from_db()
    waiting.refresh_from_db()
    assert team.status == TeamStatus.WITHDRAWN
    assert waiting.status == TeamStatus.REGISTERED


def test_solo_withdraw(client):
    me = make_user()
    solo = SoloPlayer.objects.create(game=make_game(), user=me, full_name="Я Сам")
    client.force_login(me)
    url = reverse("games:solo_withdraw", args=[solo.pk])
    assert "Больше не ищете команду?" in _text(client.get(url))
    client.post(url)
    solo.refresh_from_db()
    assert solo.status == SoloStatus.WITHDRAWN
    client.force_login(make_user())
    assert client.get(url).status_code == 404


# --- Online play ---------------------------------------------------------------------------


def _online(confidence=False):
    me = make_user()
    game = make_game(format=GameFormat.ONLINE)
    team = make_team(game=game, captain=me)
    round_ = make_round(game=game, confidence=confidence)
    return me, team, round_


def test_play_shows_open_questions_and_takes_an_answer(client):
    me, team, round_ = _online()
    question = make_question(round=round_, text="Что выпускает «Москвич»?")
    make_question(
        round=round_,
        text="Ещё закрытый вопрос",
        opens_at=clock.now() + dt.timedelta(hours=1),
        closes_at=clock.now() + dt.timedelta(hours=2),
    )
    client.force_login(me)
    url = reverse("games:play", args=[team.pk])
    text = _text(client.get(url))
    assert "Что выпускает «Москвич»?" in text
    assert "Ещё закрытый вопрос" not in text
    assert "Следующий откроется" not in text  # an open question is on screen
    assert "Уверены" not in text  # not a confidence round
    response = client.post(url, {"question": question.pk, f"q{question.pk}-text": "Машины!"})
    assert response.status_code == 302
    answer = Answer.objects.get(team=team, question=question)
    assert answer.status == AnswerStatus.CORRECT
    text = _text(client.get(url))
    assert "Машины!" in text and "Верно" in text
    assert "Что выпускает «Москвич»?" not in text  # answered: no longer open


def test_confidence_round_has_the_checkbox(client):
    me, team, round_ = _online(confidence=True)
    question = make_question(round=round_)
    client.force_login(me)
    url = reverse("games:play", args=[team.pk])
    assert "Уверены (+2 за верный, −2 за неверный)" in _text(client.get(url))
    client.post(
        url,
        {
            "question": question.pk,
            f"q{question.pk}-text": "станки",
            f"q{question.pk}-confident": "on",
        },
    )
    answer = Answer.objects.get(team=team)
    assert answer.confident and answer.status == AnswerStatus.WRONG


def test_a_refused_answer_keeps_what_was_typed(client):
    me, team, round_ = _online()
    question = make_question(round=round_)
    client.force_login(me)
    url = reverse("games:play", args=[team.pk])
    response = client.post(url, {"question": question.pk, f"q{question.pk}-text": ""})
    assert "Введите ответ." in _text(response)
    closed = make_question(
        round=round_,
        opens_at=clock.now() - dt.timedelta(hours=2),
        closes_at=clock.now() - dt.timedelta(hours=1),
    )
    response = client.post(url, {"question": closed.pk, f"q{closed.pk}-text": "поздно"})
    assert "Приём ответов на этот вопрос закрыт." in _text(response)
    assert not Answer.objects.exists()


def test_offline_game_has_no_answers_form(client):
    me = make_user()
    team = make_team(game=make_game(format=GameFormat.OFFLINE), captain=me)
    client.force_login(me)
    assert "Это очная игра" in _text(client.get(reverse("games:play", args=[team.pk])))


def test_appeal_a_wrong_answer(client):
    me, team, round_ = _online()
    question = make_question(round=round_)
    answer = Answer.objects.create(
        team=team, question=question, text="станки", status=AnswerStatus.WRONG
    )
    client.force_login(me)
    play = _text(client.get(reverse("games:play", args=[team.pk])))
    url = reverse("games:answer_appeal", args=[answer.pk])
    assert url in play
    response = client.post(url, {"note": ""})
    assert "Напишите доводы" in _text(response)
    response = client.post(url, {"note": "Станки — это тоже продукция завода"})
    assert response["Location"] == reverse("games:play", args=[team.pk])
    answer.refresh_from_db()
    assert answer.appealed and answer.status == AnswerStatus.REVIEW
    assert "Апелляция на этот ответ уже подана." in _text(client.get(url))


def test_appeal_of_someone_elses_answer_is_404(client):
    _, team, round_ = _online()
    answer = Answer.objects.create(
        team=team, question=make_question(round=round_), text="x", status=AnswerStatus.WRONG
    )
    client.force_login(make_user())
    assert (
        client.post(reverse("games:answer_appeal", args=[answer.pk]), {"note": "!"}).status_code
        == 404
    )
