"""Online answers: submission in the question's window, automatic check, the review queue,
appeals (``games.scoring.answer_submit`` / ``answer_appeal`` / ``answer_review``)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
from django.db import connection
from django.db.models import QuerySet

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.games import errors
from mosprom.games.models import Answer, AnswerStatus, GameFormat, TeamStatus
from mosprom.games.scoring import (
    answer_appeal,
    answer_review,
    answer_submit,
    leaderboard,
    results_publish,
)
from mosprom.games.selectors import review_queue
from mosprom.games.tests.factories import make_game, make_question, make_round, make_team
from mosprom.registry.tests.factories import make_enterprise, make_membership, make_site


@pytest.fixture
def online(db):
    """An online game with one registered team, a plain and a confidence round, a question
    each (open now) and a host of the game's site."""
    game = make_game(format=GameFormat.ONLINE)
    enterprise = make_enterprise()
    game.site = make_site(enterprise)
    game.save(update_fields=["site"])
    host = make_user(role=Role.HOST)
    make_membership(host, enterprise)
    team = make_team(game=game, name="Токари")
    plain = make_round(game=game, title="Разминка", questions=3)
    staked = make_round(game=game, title="Ставки", questions=3, confidence=True)
    return {
        "game": game,
        "host": host,
        "team": team,
        "captain": team.captain,
        "plain": plain,
        "staked": staked,
        "question": make_question(round=plain, accepted="Москвич\nАЗЛК"),
        "staked_question": make_question(round=staked, accepted="Буран"),
    }


def submit(w, text, *, question=None, confident=False, actor=None, team=None):
    return answer_submit(
        team=team or w["team"],
        question=question or w["question"],
        text=text,
        confident=confident,
        actor=actor or w["captain"],
    )


# --- Submission ------------------------------------------------------------------------------


def test_answers_are_checked_at_once(online):
    w = online
    second = make_question(round=w["plain"], accepted="Москвич")
    third = make_question(round=w["plain"], accepted="Москвич")

    right = submit(w, "  «АЗЛК»!  ")
    close = submit(w, "Москвичь", question=second)
    wrong = submit(w, "Жигули", question=third)

    assert (right.status, right.text) == (AnswerStatus.CORRECT, "«АЗЛК»!")
    assert close.status == AnswerStatus.REVIEW
    assert wrong.status == AnswerStatus.WRONG
    assert list(review_queue(w["game"])) == [close]
    assert leaderboard(w["game"])[0].rounds == (1, None)


def test_confident_counts_only_in_confidence_rounds(online):
    w = online

    plain = submit(w, "Москвич", confident=True)
    staked = submit(w, "Буран", question=w["staked_question"], confident=True)

    assert plain.confident is False
    assert staked.confident is True
    assert leaderboard(w["game"])[0].rounds == (1, 2)


def test_only_the_captain_answers(online):
    w = online
    organiser = make_user(role=Role.ORGANISER)
    for actor in (make_user(), w["host"], organiser):
        with pytest.raises(errors.Forbidden):
            submit(w, "Москвич", actor=actor)
    with pytest.raises(errors.Forbidden):
        answer_submit(
            team=w["team"], question=w["question"], text="Москвич", confident=False, actor=None
        )
    assert not Answer.objects.exists()


@pytest.mark.parametrize("status", [TeamStatus.WITHDRAWN, TeamStatus.WAITLISTED])
def test_a_team_not_registered_cannot_answer(online, status):
    w = online
    team = make_team(game=w["game"], status=status)

    with pytest.raises(errors.NotActive):
        submit(w, "Москвич", team=team, actor=team.captain)
    assert not Answer.objects.exists()


def test_the_question_window(online):
    w = online
    now = clock.now()
    question = make_question(
        round=w["plain"],
        accepted="Москвич",
        opens_at=now + dt.timedelta(minutes=10),
        closes_at=now + dt.timedelta(minutes=20),
    )
    unpublished = make_question(round=w["plain"], opens_at=None, closes_at=None)

    with pytest.raises(errors.AnswerNotOpen) as refused:
        submit(w, "Москвич", question=question)
    assert refused.value.text == "Вопрос ещё не опубликован."
    with pytest.raises(errors.AnswerNotOpen):
        submit(w, "Москвич", question=unpublished)
    with clock.frozen(now + dt.timedelta(minutes=20)), pytest.raises(errors.AnswerClosed):
        submit(w, "Москвич", question=question)  # closes_at itself is already closed
    with clock.frozen(now + dt.timedelta(minutes=10)):
        assert submit(w, "Москвич", question=question).status == AnswerStatus.CORRECT


def test_a_question_without_an_end_stays_open(online):
    w = online
    question = make_question(round=w["plain"], accepted="АЗЛК", closes_at=None)

    with clock.frozen(clock.now() + dt.timedelta(days=1)):
        assert submit(w, "АЗЛК", question=question).status == AnswerStatus.CORRECT


@pytest.mark.parametrize(
    ("status", "error"),
    [("draft", errors.AnswerNotOpen), ("cancelled", errors.AnswerClosed)],
)
def test_no_answers_to_a_game_not_announced(online, status, error):
    w = online
    w["game"].status = status
    w["game"].save(update_fields=["status"])

    with pytest.raises(error):
        submit(w, "Москвич")


def test_no_answers_after_the_results(online):
    w = online
    results_publish(game=w["game"], actor=w["host"])

    with pytest.raises(errors.AnswerClosed):
        submit(w, "Москвич")


def test_one_answer_per_team_and_question(online):
    w = online
    submit(w, "Жигули")

    with pytest.raises(errors.AlreadyAnswered) as refused:
        submit(w, "Москвич")
    assert refused.value.text == "Команда уже ответила на этот вопрос."
    assert Answer.objects.get().text == "Жигули"


def test_a_duplicate_that_slips_past_the_check_is_refused_by_the_constraint(online):
    w = online
    submit(w, "Жигули")

    with (
        mock.patch.object(QuerySet, "exists", return_value=False),
        pytest.raises(errors.AlreadyAnswered),
    ):
        submit(w, "Москвич")
    assert Answer.objects.count() == 1


@pytest.mark.parametrize("text", ["", "   ", "я" * 501])
def test_answer_text_is_1_to_500_characters(online, text):
    with pytest.raises(errors.InvalidRequest):
        submit(online, text)
    assert not Answer.objects.exists()


def test_a_500_character_answer_is_taken(online):
    assert len(submit(online, "я" * 500).text) == 500


def test_a_question_of_another_game_is_refused(online):
    w = online
    other = make_question(round=make_round(game=make_game()))

    with pytest.raises(errors.InvalidRequest):
        submit(w, "Москвич", question=other)


# --- Review queue and appeals ----------------------------------------------------------------


def test_review_queue_flow_close_answer_then_host_decides(online):
    w = online
    close = submit(w, "Масквич")
    assert close.status == AnswerStatus.REVIEW
    assert leaderboard(w["game"])[0].rounds == (0, None)  # undecided: nothing yet

    with pytest.raises(errors.Forbidden):
        answer_review(answer=close, actor=w["captain"], correct=True)
    decided = answer_review(answer=close, actor=w["host"], correct=True)

    assert decided.status == AnswerStatus.CORRECT
    assert decided.reviewed_by_id == w["host"].pk
    assert decided.reviewed_at is not None
    assert not review_queue(w["game"]).exists()
    assert leaderboard(w["game"])[0].rounds == (1, None)
    with pytest.raises(errors.InvalidRequest):  # decided once
        answer_review(answer=close, actor=w["host"], correct=False)


def test_appeal_sends_a_wrong_answer_back_to_review(online):
    w = online
    wrong = submit(w, "Энергия", question=w["staked_question"], confident=True)
    assert wrong.status == AnswerStatus.WRONG
    assert leaderboard(w["game"])[0].rounds == (None, -2)

    with pytest.raises(errors.Forbidden):
        answer_appeal(answer=wrong, actor=w["host"], note="Засчитайте")
    with pytest.raises(errors.InvalidRequest):
        answer_appeal(answer=wrong, actor=w["captain"], note="я" * 1001)
    appealed = answer_appeal(
        answer=wrong, actor=w["captain"], note="  «Энергия» — ракета-носитель «Бурана» "
    )

    assert appealed.status == AnswerStatus.REVIEW
    assert appealed.appealed is True
    assert appealed.appeal_note == "«Энергия» — ракета-носитель «Бурана»"
    assert list(review_queue(w["game"])) == [appealed]
    assert leaderboard(w["game"])[0].rounds == (None, 0)
    with pytest.raises(errors.InvalidRequest) as refused:
        answer_appeal(answer=appealed, actor=w["captain"], note="Ещё раз")
    assert refused.value.text == "Апелляция на этот ответ уже подана."

    upheld = answer_review(answer=appealed, actor=make_user(role=Role.ORGANISER), correct=True)
    assert upheld.status == AnswerStatus.CORRECT
    assert leaderboard(w["game"])[0].rounds == (None, 2)
    with pytest.raises(errors.InvalidRequest):  # one appeal per answer
        answer_appeal(answer=upheld, actor=w["captain"], note="")


def test_a_rejected_appeal_stays_wrong(online):
    w = online
    wrong = submit(w, "Жигули")
    appealed = answer_appeal(answer=wrong, actor=w["captain"], note="")

    rejected = answer_review(answer=appealed, actor=w["host"], correct=False)

    assert (rejected.status, rejected.appealed) == (AnswerStatus.WRONG, True)
    with pytest.raises(errors.InvalidRequest):
        answer_appeal(answer=rejected, actor=w["captain"], note="Ещё раз")


def test_only_wrong_answers_are_appealed(online):
    w = online
    right = submit(w, "Москвич")

    with pytest.raises(errors.InvalidRequest) as refused:
        answer_appeal(answer=right, actor=w["captain"], note="")
    assert refused.value.text == "Обжаловать можно только ответ, не засчитанный как верный."
    right.refresh_from_db()
    assert (right.status, right.appealed) == (AnswerStatus.CORRECT, False)


def test_no_appeals_or_reviews_after_the_results(online):
    w = online
    wrong = submit(w, "Жигули")
    close = submit(w, "Бурaн", question=w["staked_question"])  # Latin «a»: close, not equal
    assert close.status == AnswerStatus.REVIEW
    results_publish(game=w["game"], actor=w["host"])

    with pytest.raises(errors.ResultsPublished):
        answer_appeal(answer=wrong, actor=w["captain"], note="")
    with pytest.raises(errors.ResultsPublished):
        answer_review(answer=close, actor=w["host"], correct=True)
    close.refresh_from_db()
    assert close.status == AnswerStatus.REVIEW


def test_a_host_of_another_enterprise_cannot_review(online):
    w = online
    close = submit(w, "Масквич")
    stranger = make_user(role=Role.HOST)
    make_membership(stranger, make_enterprise())

    with pytest.raises(errors.Forbidden):
        answer_review(answer=close, actor=stranger, correct=True)
    close.refresh_from_db()
    assert close.status == AnswerStatus.REVIEW


# --- Two devices of one captain at once (PostgreSQL) -----------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_leave_one_answer():
    game = make_game(format=GameFormat.ONLINE)
    team = make_team(game=game)
    question = make_question(round=make_round(game=game), accepted="Москвич")
    workers = 10
    barrier = threading.Barrier(workers)

    def attempt(n: int) -> str:
        try:
            barrier.wait(timeout=30)
            answer_submit(
                team=team,
                question=question,
                text=f"Москвич {n}",
                confident=False,
                actor=team.captain,
            )
            return "ok"
        except errors.GameError as refusal:
            return refusal.code
        except Exception as failure:
            return f"error: {failure!r}"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = Counter(pool.map(attempt, range(workers)))

    assert outcomes == {"ok": 1, "already_answered": workers - 1}
    assert Answer.objects.filter(team=team, question=question).count() == 1
