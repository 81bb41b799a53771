"""Answer normalisation, round points (confidence ±2, penalties), the score grid with its
history, penalties and publication (``games.scoring``)."""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.games import errors
from mosprom.games.models import (
    Answer,
    AnswerStatus,
    Penalty,
    Score,
    ScoreChange,
    TeamStatus,
)
from mosprom.games.scoring import (
    answer_check,
    answer_matches,
    answer_points,
    leaderboard,
    normalise_answer,
    penalty_add,
    results_publish,
    score_set,
)
from mosprom.games.tests.factories import make_game, make_question, make_round, make_team
from mosprom.registry.tests.factories import make_enterprise, make_membership, make_site


def host_of(game):
    """A host who is a member of the enterprise whose site ``game`` is held at."""
    enterprise = make_enterprise()
    game.site = make_site(enterprise)
    game.save(update_fields=["site"])
    host = make_user(role=Role.HOST)
    make_membership(host, enterprise)
    return host


# --- Normalisation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ёлка!", "елка"),
        ("  Пушкин  А.С. ", "пушкин а с"),
        ('"Москвич"', "москвич"),
        ("«Москвич»", "москвич"),
        ("„Москвич“", "москвич"),
        ("ЁЖИК   в\tтумане…", "ежик в тумане"),
        ("Ёлка,  Пушкина!", "елка пушкина"),
        ("Пу\u0301шкин", "пушкин"),  # a stress mark
        ("е\u0308лка", "елка"),  # ё typed as е + combining diaeresis
        ("Нью-Йорк", "нью йорк"),
        ("№ 5 + 3 = 8", "5 3 8"),
        ("", ""),
        ("?!…", ""),
    ],
)
def test_normalise_answer(text, expected):
    assert normalise_answer(text) == expected


@pytest.mark.django_db
def test_answer_matches_ignores_case_yo_punctuation_and_spaces():
    round_ = make_round(game=make_game())
    question = make_question(round=round_, accepted="«Москвич»\nА. С. Пушкин\nЁлка")

    assert answer_matches(question, "москвич")
    assert answer_matches(question, '  "МОСКВИЧ"  ')
    assert answer_matches(question, "а.с. пушкин")
    assert answer_matches(question, "елка!")
    assert not answer_matches(question, "москвичи")
    assert not answer_matches(question, "пушкин")
    assert not answer_matches(question, "")
    assert not answer_matches(question, "«»")


@pytest.mark.django_db
def test_answer_check_sends_close_answers_to_review():
    round_ = make_round(game=make_game())
    question = make_question(round=round_, accepted="автомобили\nА. С. Пушкин")

    assert answer_check(question, "Автомобили.") == AnswerStatus.CORRECT
    assert answer_check(question, "автомобиле") == AnswerStatus.REVIEW  # a typo
    assert answer_check(question, "Пушкин А.С.") == AnswerStatus.REVIEW  # order swapped: close
    assert answer_check(question, "легковые автомобили") == AnswerStatus.REVIEW  # contains it
    assert answer_check(question, "станки") == AnswerStatus.WRONG
    assert answer_check(question, "авто") == AnswerStatus.WRONG
    assert answer_check(question, "...") == AnswerStatus.WRONG


# --- Points of answers: confidence ±2 --------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "confident", "confidence", "per_question", "points"),
    [
        (AnswerStatus.CORRECT, False, False, 1, 1),
        (AnswerStatus.CORRECT, False, False, 3, 3),
        (AnswerStatus.CORRECT, True, False, 3, 3),  # a mark outside a confidence round: no stake
        (AnswerStatus.WRONG, True, False, 1, 0),
        (AnswerStatus.CORRECT, True, True, 1, 2),
        (AnswerStatus.WRONG, True, True, 1, -2),
        (AnswerStatus.CORRECT, False, True, 1, 1),
        (AnswerStatus.WRONG, False, True, 1, 0),
        (AnswerStatus.REVIEW, True, True, 1, 0),  # undecided counts nothing yet
    ],
)
def test_answer_points(status, confident, confidence, per_question, points):
    assert (
        answer_points(
            status=status, confident=confident, confidence=confidence, per_question=per_question
        )
        == points
    )


@pytest.mark.django_db
def test_confidence_round_and_penalty_on_a_known_example():
    game = make_game()
    organiser = make_user(role=Role.ORGANISER)
    team = make_team(game=game, name="Станкостроители")
    plain = make_round(game=game, title="Разминка", questions=3)
    staked = make_round(game=game, title="Ставки", questions=5, confidence=True)
    offline = make_round(game=game, title="Очный тур", questions=10)
    q_plain = [make_question(round=plain) for _ in range(3)]
    q_staked = [make_question(round=staked) for _ in range(5)]

    def answer(question, status, confident=False):
        Answer.objects.create(
            team=team, question=question, text="x", status=status, confident=confident
        )

    answer(q_plain[0], AnswerStatus.CORRECT)
    answer(q_plain[1], AnswerStatus.CORRECT)
    answer(q_plain[2], AnswerStatus.WRONG)
    answer(q_staked[0], AnswerStatus.CORRECT, confident=True)  # +2
    answer(q_staked[1], AnswerStatus.CORRECT, confident=True)  # +2
    answer(q_staked[2], AnswerStatus.WRONG, confident=True)  # −2
    answer(q_staked[3], AnswerStatus.CORRECT)  # +1
    answer(q_staked[4], AnswerStatus.WRONG)  # 0
    score_set(team=team, round=offline, points=7, actor=organiser)
    penalty_add(team=team, points=10, reason="Телефон во время тура", actor=organiser)

    (row,) = leaderboard(game)
    assert row.rounds == (2, 3, 7)
    assert row.penalty == 10
    assert row.total == 2 + 3 + 7 - 10


@pytest.mark.django_db
def test_a_host_entry_overrides_the_answers_and_penalties_add_up():
    game = make_game()
    organiser = make_user(role=Role.ORGANISER)
    team = make_team(game=game)
    round_ = make_round(game=game, questions=2)
    question = make_question(round=round_)
    Answer.objects.create(team=team, question=question, text="x", status=AnswerStatus.CORRECT)
    assert leaderboard(game)[0].rounds == (1,)

    score_set(team=team, round=round_, points=0, actor=organiser)
    penalty_add(team=team, points=3, reason="Подсказка из зала", actor=organiser)
    penalty_add(team=team, points=2, reason="Опоздание", actor=organiser)

    (row,) = leaderboard(game)
    assert row.rounds == (0,)
    assert (row.penalty, row.total) == (5, -5)


# --- The score grid --------------------------------------------------------------------------


@pytest.mark.django_db
def test_score_history_keeps_every_change():
    game = make_game()
    host = host_of(game)
    organiser = make_user(role=Role.ORGANISER)
    team = make_team(game=game)
    round_ = make_round(game=game, questions=10)

    score_set(team=team, round=round_, points=4, actor=host)
    score_set(team=team, round=round_, points=6, actor=organiser)
    score_set(team=team, round=round_, points=6, actor=host)  # unchanged: no line
    score_set(team=team, round=round_, points=None, actor=host)
    score_set(team=team, round=round_, points=None, actor=host)  # nothing to clear: no line
    kept = score_set(team=team, round=round_, points=9, actor=host)

    assert kept.points == 9
    assert Score.objects.get(team=team, round=round_).points == 9
    history = list(
        ScoreChange.objects.filter(team=team, round=round_)
        .order_by("id")
        .values_list("previous", "points", "changed_by")
    )
    assert history == [
        (None, 4, host.pk),
        (4, 6, organiser.pk),
        (6, None, host.pk),
        (None, 9, host.pk),
    ]
    assert all(c.changed_at is not None for c in ScoreChange.objects.filter(team=team))


@pytest.mark.django_db
def test_clearing_a_score_removes_the_entry():
    game = make_game()
    organiser = make_user(role=Role.ORGANISER)
    team = make_team(game=game)
    round_ = make_round(game=game)

    score_set(team=team, round=round_, points=5, actor=organiser)
    assert score_set(team=team, round=round_, points=None, actor=organiser) is None

    assert not Score.objects.filter(team=team).exists()
    assert leaderboard(game)[0].rounds == (None,)


@pytest.mark.django_db
def test_out_of_range_score_is_refused_in_russian():
    game = make_game()
    organiser = make_user(role=Role.ORGANISER)
    team = make_team(game=game)
    plain = make_round(game=game, title="Машиностроение", questions=10, points_per_question=2)
    staked = make_round(game=game, title="Ставки", questions=6, confidence=True)

    with pytest.raises(errors.ScoreOutOfRange) as refused:
        score_set(team=team, round=plain, points=21, actor=organiser)
    assert refused.value.text == "В туре «Машиностроение» можно получить от 0 до 20 очков."
    assert refused.value.http_status == 422
    with pytest.raises(errors.ScoreOutOfRange):
        score_set(team=team, round=plain, points=-1, actor=organiser)
    with pytest.raises(errors.ScoreOutOfRange) as refused:
        score_set(team=team, round=staked, points=-13, actor=organiser)
    assert refused.value.text == "В туре «Ставки» можно получить от -12 до 12 очков."

    score_set(team=team, round=plain, points=20, actor=organiser)
    score_set(team=team, round=staked, points=-12, actor=organiser)
    assert not ScoreChange.objects.filter(points__in=[21, -1, -13]).exists()
    assert leaderboard(game)[0].total == 8


@pytest.mark.django_db
def test_only_those_who_run_the_game_set_scores():
    game = make_game()
    host = host_of(game)
    stranger_host = make_user(role=Role.HOST)
    make_membership(stranger_host, make_enterprise())
    team = make_team(game=game)
    round_ = make_round(game=game)

    for actor in (team.captain, stranger_host, make_user(role=Role.VISITOR), None):
        with pytest.raises(errors.Forbidden):
            score_set(team=team, round=round_, points=3, actor=actor)
        with pytest.raises(errors.Forbidden):
            penalty_add(team=team, points=3, reason="Телефон", actor=actor)
    assert score_set(team=team, round=round_, points=3, actor=host).points == 3
    assert (
        score_set(team=team, round=round_, points=4, actor=make_user(role=Role.ADMIN)).points == 4
    )


@pytest.mark.django_db
def test_scores_of_teams_not_playing_or_of_another_game_are_refused():
    game = make_game()
    organiser = make_user(role=Role.ORGANISER)
    round_ = make_round(game=game)
    withdrawn = make_team(game=game, status=TeamStatus.WITHDRAWN)
    waiting = make_team(game=game, status=TeamStatus.WAITLISTED)
    stranger = make_team(game=make_game())

    for team in (withdrawn, waiting):
        with pytest.raises(errors.NotActive):
            score_set(team=team, round=round_, points=1, actor=organiser)
    with pytest.raises(errors.InvalidRequest):
        score_set(team=stranger, round=round_, points=1, actor=organiser)
    with pytest.raises(errors.InvalidRequest):
        score_set(team=make_team(game=game), round=round_, points="5", actor=organiser)
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_results_publication_freezes_scores_and_is_idempotent():
    game = make_game()
    host = host_of(game)
    team = make_team(game=game)
    round_ = make_round(game=game)
    score_set(team=team, round=round_, points=5, actor=host)

    with pytest.raises(errors.Forbidden):
        results_publish(game=game, actor=team.captain)
    first = results_publish(game=game, actor=host).results_published_at
    assert first is not None
    again = results_publish(game=game, actor=make_user(role=Role.ORGANISER))
    assert again.results_published_at == first

    with pytest.raises(errors.ResultsPublished) as refused:
        score_set(team=team, round=round_, points=6, actor=host)
    assert refused.value.text == "Итоги игры уже опубликованы; очки больше не меняются."
    with pytest.raises(errors.ResultsPublished):
        penalty_add(team=team, points=1, reason="Телефон", actor=host)
    assert Score.objects.get(team=team).points == 5


@pytest.mark.django_db
def test_results_of_a_draft_or_cancelled_game_are_not_published():
    organiser = make_user(role=Role.ORGANISER)
    for status in ("draft", "cancelled"):
        game = make_game(status=status)
        with pytest.raises(errors.InvalidRequest):
            results_publish(game=game, actor=organiser)
        game.refresh_from_db()
        assert game.results_published_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("points", "reason"),
    [(0, "Телефон"), (101, "Телефон"), (-5, "Телефон"), (5, "   "), (5, ""), (5, "я" * 256)],
)
def test_penalty_needs_1_to_100_points_and_a_reason(points, reason):
    game = make_game()
    organiser = make_user(role=Role.ORGANISER)
    team = make_team(game=game)

    with pytest.raises(errors.InvalidRequest):
        penalty_add(team=team, points=points, reason=reason, actor=organiser)
    assert not Penalty.objects.exists()


@pytest.mark.django_db
def test_penalty_is_recorded_with_who_and_why():
    game = make_game()
    organiser = make_user(role=Role.ORGANISER)
    team = make_team(game=game)

    penalty = penalty_add(team=team, points=100, reason="  Гаджет  ", actor=organiser)

    assert (penalty.points, penalty.reason, penalty.created_by_id) == (100, "Гаджет", organiser.pk)
    assert leaderboard(game)[0].total == -100


# --- Two hosts typing at once (PostgreSQL) ---------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_hosts_typing_at_once_keep_a_consistent_history():
    game = make_game()
    hosts = [make_user(role=Role.ORGANISER) for _ in range(8)]
    team = make_team(game=game)
    round_ = make_round(game=game, questions=10)
    barrier = threading.Barrier(len(hosts))

    def type_scores(index: int) -> list[str]:
        outcomes = []
        try:
            barrier.wait(timeout=30)
            for step in range(10):
                score_set(team=team, round=round_, points=(index + step) % 11, actor=hosts[index])
                outcomes.append("ok")
        except Exception as failure:
            outcomes.append(f"error: {failure!r}")
        finally:
            connection.close()
        return outcomes

    with ThreadPoolExecutor(max_workers=len(hosts)) as pool:
        results = [o for outcomes in pool.map(type_scores, range(len(hosts))) for o in outcomes]

    assert set(results) == {"ok"}, results
    history = list(
        ScoreChange.objects.filter(team=team, round=round_)
        .order_by("id")
        .values_list("previous", "points")
    )
    assert history, "no change recorded"
    assert history[0][0] is None
    for (_, before), (previous, _) in itertools.pairwise(history):
        assert previous == before  # every line starts where the one before ended
    assert all(previous != points for previous, points in history)
    assert Score.objects.get(team=team, round=round_).points == history[-1][1]
