"""Scores, online answers and the leaderboard.

A team's points in a round: the host's entry (``Score``) if there is one; otherwise, once any
team has answered a question of that round online, the sum of its checked answers there
(correct: ``points_per_question``, or +2 when marked confident in a confidence round; wrong:
0, or −2 when marked confident; still under review: 0 until a host decides); otherwise nothing
yet (None). Penalties come off the total. Ties are broken by the game's rule; teams still equal
share the place («2–3»).

Tie-break rules, each a key compared element by element, larger is better:

- ``last_round``: the last round's points, then the one before, and so on;
- ``best_round``: the best single round, then the second best, and so on;
- ``question_rating``: the sum of the ratings of the questions the team answered correctly,
  where a question's rating is the number of registered teams that did *not* answer it
  correctly, plus one (N − k + 1 for k correct of N teams; the ЧГК convention: a question
  nobody else took weighs N, one everybody took weighs 1). Answers under review count as not
  correct. A game scored offline only (no answers) has every rating 0, so ties stay shared.

A missing round entry (None) counts as 0 in both the total and the keys. The ranking itself is
``rank()``, a pure function over plain rows, so it can be tested without the database.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from mosprom.accounts.audit import audit_record
from mosprom.accounts.models import AuditAction
from mosprom.core import clock
from mosprom.games import errors
from mosprom.games.models import (
    Answer,
    AnswerStatus,
    Game,
    GameStatus,
    Penalty,
    Question,
    Round,
    Score,
    ScoreChange,
    Team,
    TeamStatus,
    TieBreak,
)
from mosprom.games.selectors import can_run_game

ANSWER_MAX_LENGTH = 500
APPEAL_NOTE_MAX_LENGTH = 1000
PENALTY_MAX = 100
# How alike an answer and an accepted variant must be (difflib ratio of the normalised texts)
# for a host to look at it rather than the machine calling it wrong.
CLOSE_RATIO = 0.8
CONFIDENCE_POINTS = 2


# --- Checking answers ------------------------------------------------------------------------


def normalise_answer(text: str) -> str:
    """Case, ё/е, punctuation and extra spaces ignored: «Ёлка,  Пушкина!» → «елка пушкина».

    Punctuation and symbols (Unicode categories P* and S*, so «», quotes, dashes, №) count as a
    word break, which makes «А.С.» and «А. С.» the same; stress marks are dropped.
    """
    text = unicodedata.normalize("NFC", text or "").casefold().replace("ё", "е")
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] in "PS":
            kept.append(" ")
        elif category != "Mn":  # a combining mark left after NFC: a stress accent
            kept.append(char)
    return " ".join("".join(kept).split())


def _variants(question: Question) -> list[str]:
    return [v for v in (normalise_answer(line) for line in question.accepted_variants) if v]


def answer_matches(question: Question, text: str) -> bool:
    """True when the normalised answer equals a normalised accepted variant."""
    answer = normalise_answer(text)
    return bool(answer) and answer in _variants(question)


def _is_close(answer: str, variants: Iterable[str]) -> bool:
    """A near miss a person should judge: a typo away, the same words in another order, or a
    variant within a longer answer."""
    if not answer:
        return False
    padded = f" {answer} "
    words = sorted(answer.split())
    for variant in variants:
        if f" {variant} " in padded or sorted(variant.split()) == words:
            return True
        if difflib.SequenceMatcher(None, answer, variant, autojunk=False).ratio() >= CLOSE_RATIO:
            return True
    return False


def answer_check(question: Question, text: str) -> str:
    """The status an answer gets on submission: correct, review (close) or wrong."""
    answer = normalise_answer(text)
    variants = _variants(question)
    if answer and answer in variants:
        return AnswerStatus.CORRECT
    if _is_close(answer, variants):
        return AnswerStatus.REVIEW
    return AnswerStatus.WRONG


# --- Online answers --------------------------------------------------------------------------


def _game_of(round_id: int) -> Game:
    """The game fresh from the database (publication may have happened since it was read)."""
    return Game.objects.get(rounds__id=round_id)


def answer_submit(*, team: Team, question: Question, text: str, confident: bool, actor) -> Answer:
    """The captain submits the team's answer within the question's window; checked at once
    (correct / wrong, or ``review`` when it is close to an accepted variant but not equal)."""
    if actor is None or not actor.is_authenticated or team.captain_id != actor.pk:
        raise errors.Forbidden(_("Ответ отправляет капитан команды."))
    game = _game_of(question.round_id)
    if team.game_id != game.pk:
        raise errors.InvalidRequest(_("Этот вопрос из другой игры."))
    if team.status != TeamStatus.REGISTERED:
        if team.status == TeamStatus.WAITLISTED:
            raise errors.NotActive(_("Команда в листе ожидания и пока не играет."))
        raise errors.NotActive()
    if game.status == GameStatus.CANCELLED or game.results_published_at is not None:
        raise errors.AnswerClosed()
    now = clock.now()
    if game.status != GameStatus.PUBLISHED or question.opens_at is None or now < question.opens_at:
        raise errors.AnswerNotOpen()
    if question.closes_at is not None and now >= question.closes_at:
        raise errors.AnswerClosed()
    text = (text or "").strip()
    if not text:
        raise errors.InvalidRequest(_("Введите ответ."))
    if len(text) > ANSWER_MAX_LENGTH:
        raise errors.InvalidRequest(
            _("Ответ — не длиннее %(max)s символов."), max=ANSWER_MAX_LENGTH
        )
    if Answer.objects.filter(team=team, question=question).exists():
        raise errors.AlreadyAnswered()
    round_ = question.round
    try:
        with transaction.atomic():
            return Answer.objects.create(
                team=team,
                question=question,
                text=text,
                confident=bool(confident) and round_.confidence,
                status=answer_check(question, text),
            )
    except IntegrityError as exc:  # the same team answered from two devices at once
        raise errors.AlreadyAnswered() from exc


def answer_appeal(*, answer: Answer, actor, note: str) -> Answer:
    """The captain disputes a wrong answer once: it goes back to the review queue (``review``)
    until the results are published."""
    team = answer.team
    if actor is None or not actor.is_authenticated or team.captain_id != actor.pk:
        raise errors.Forbidden(_("Подать апелляцию может капитан команды."))
    note = (note or "").strip()
    if len(note) > APPEAL_NOTE_MAX_LENGTH:
        raise errors.InvalidRequest(
            _("Доводы апелляции — не длиннее %(max)s символов."), max=APPEAL_NOTE_MAX_LENGTH
        )
    if _game_of(answer.question.round_id).results_published_at is not None:
        raise errors.ResultsPublished()
    with transaction.atomic():
        moved = Answer.objects.filter(
            pk=answer.pk, status=AnswerStatus.WRONG, appealed=False
        ).update(
            status=AnswerStatus.REVIEW, appealed=True, appeal_note=note, updated_at=clock.now()
        )
    answer.refresh_from_db()
    if not moved:
        if answer.appealed:
            raise errors.InvalidRequest(_("Апелляция на этот ответ уже подана."))
        raise errors.InvalidRequest(_("Обжаловать можно только ответ, не засчитанный как верный."))
    return answer


def answer_review(*, answer: Answer, actor, correct: bool) -> Answer:
    """Host/organiser decides a disputed answer: ``review`` becomes correct or wrong, once, with
    who decided and when; not after the results are published."""
    game = _game_of(answer.question.round_id)
    if not can_run_game(user=actor, game=game):
        raise errors.Forbidden()
    if game.results_published_at is not None:
        raise errors.ResultsPublished()
    now = clock.now()
    with transaction.atomic():
        decided = Answer.objects.filter(pk=answer.pk, status=AnswerStatus.REVIEW).update(
            status=AnswerStatus.CORRECT if correct else AnswerStatus.WRONG,
            reviewed_by=actor,
            reviewed_at=now,
            updated_at=now,
        )
    answer.refresh_from_db()
    if not decided:
        raise errors.InvalidRequest(_("Этот ответ уже проверен."))
    return answer


# --- Offline scores, penalties, publication --------------------------------------------------


def _check_scorable(*, team: Team, game: Game, actor) -> None:
    if not can_run_game(user=actor, game=game):
        raise errors.Forbidden()
    if team.game_id != game.pk:
        raise errors.InvalidRequest(_("Команда из другой игры."))
    if game.results_published_at is not None:
        raise errors.ResultsPublished()
    if team.status != TeamStatus.REGISTERED:
        raise errors.NotActive()


def score_set(*, team: Team, round: Round, points: int | None, actor) -> Score | None:
    """Set (or clear, with None) a team's points for a round; every change kept in
    ``ScoreChange``. Raises ScoreOutOfRange, ResultsPublished.

    The Score row is locked (or inserted, the unique constraint deciding between two first
    entries) before the previous value is read, so two hosts typing at once each leave one
    history line and the lines chain: every ``previous`` is the ``points`` before it. Setting
    the value it already has writes nothing.
    """
    game = _game_of(round.pk)
    _check_scorable(team=team, game=game, actor=actor)
    if points is not None:
        if isinstance(points, bool) or not isinstance(points, int):
            raise errors.InvalidRequest(_("Очки — целое число."))
        if not round.min_points <= points <= round.max_points:
            raise errors.ScoreOutOfRange(
                round=round.title, min=round.min_points, max=round.max_points
            )
    with transaction.atomic():
        score = Score.objects.select_for_update().filter(team=team, round=round).first()
        previous = score.points if score is not None else None
        if points == previous:
            return score
        if points is None:
            score.delete()
            score = None
        elif score is None:
            try:
                with transaction.atomic():
                    score = Score.objects.create(team=team, round=round, points=points)
            except IntegrityError:  # another host's first entry won the insert: update it
                score = Score.objects.select_for_update().get(team=team, round=round)
                previous = score.points
                if previous == points:
                    return score
                score.points = points
                score.save(update_fields=["points", "updated_at"])
        else:
            score.points = points
            score.save(update_fields=["points", "updated_at"])
        ScoreChange.objects.create(
            team=team,
            round=round,
            points=points,
            previous=previous,
            changed_by=actor,
            changed_at=clock.now(),
        )
    return score


def penalty_add(*, team: Team, points: int, reason: str, actor) -> Penalty:
    """Take 1–100 points off a registered team for a stated reason, before publication."""
    game = Game.objects.get(pk=team.game_id)
    _check_scorable(team=team, game=game, actor=actor)
    if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= PENALTY_MAX:
        raise errors.InvalidRequest(_("Штраф — от 1 до %(max)s очков."), max=PENALTY_MAX)
    reason = (reason or "").strip()
    if not reason:
        raise errors.InvalidRequest(_("Укажите причину штрафа."))
    max_reason = Penalty._meta.get_field("reason").max_length
    if len(reason) > max_reason:
        raise errors.InvalidRequest(
            _("Причина штрафа — не длиннее %(max)s символов."), max=max_reason
        )
    return Penalty.objects.create(
        team=team, points=points, reason=reason, created_by=actor, created_at=clock.now()
    )


def results_publish(*, game: Game, actor) -> Game:
    """Publish the final table (``results_published_at``); scores are frozen afterwards.
    Publishing again keeps the first time."""
    if not can_run_game(user=actor, game=game):  # organisers, admins and the site's hosts
        raise errors.Forbidden()
    if game.status != GameStatus.PUBLISHED:
        raise errors.InvalidRequest(_("Итоги публикуются только у анонсированной игры."))
    with transaction.atomic():
        published = Game.objects.filter(pk=game.pk, results_published_at__isnull=True).update(
            results_published_at=clock.now(), updated_at=clock.now()
        )
        if published:
            audit_record(action=AuditAction.GAME_RESULTS_PUBLISHED, actor=actor, target=game)
    game.refresh_from_db(fields=["results_published_at", "updated_at"])
    return game


# --- Ranking (pure) --------------------------------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    """What the ranking needs of a team: its total and its tie-break key (larger is better)."""

    team_id: int
    total: int
    key: tuple[int, ...] = ()


@dataclass(frozen=True)
class Ranked:
    row: RankRow
    place_from: int
    place_to: int


def tie_break_key(rule: str, rounds: Sequence[int | None], rating: int = 0) -> tuple[int, ...]:
    """The game's tie-break as a tuple compared element by element, larger is better."""
    points = [p or 0 for p in rounds]
    if rule == TieBreak.LAST_ROUND:
        return tuple(reversed(points))
    if rule == TieBreak.BEST_ROUND:
        return tuple(sorted(points, reverse=True))
    if rule == TieBreak.QUESTION_RATING:
        return (rating,)
    raise ValueError(f"unknown tie-break rule {rule!r}")


def rank(rows: Iterable[RankRow]) -> list[Ranked]:
    """Rows best first by total then key; rows equal in both share the place (place_from is 1
    plus the number of rows strictly better, place_to adds the group size minus one). Within
    a shared place rows follow team id, so the result does not depend on the input order."""
    # Stable sorts: team id first, then (total, key) descending keeps id order within equals.
    ordered = sorted(
        sorted(rows, key=lambda r: r.team_id), key=lambda r: (r.total, r.key), reverse=True
    )
    ranked: list[Ranked] = []
    start = 0
    while start < len(ordered):
        end = start + 1
        head = ordered[start]
        while (
            end < len(ordered) and ordered[end].total == head.total and ordered[end].key == head.key
        ):
            end += 1
        ranked.extend(Ranked(row, start + 1, end) for row in ordered[start:end])
        start = end
    return ranked


# --- Leaderboard -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """A leaderboard row."""

    team_id: int
    team_name: str
    organisation: str
    rounds: tuple[int | None, ...]  # per round, in round order; None: nothing entered yet
    penalty: int
    total: int
    place_from: int
    place_to: int  # equal to place_from unless the place is shared
    rating: int = 0  # question rating (sum over correct answers), whatever the tie-break rule

    @property
    def place(self) -> str:
        if self.place_from == self.place_to:
            return str(self.place_from)
        return f"{self.place_from}–{self.place_to}"


def answer_points(*, status: str, confident: bool, confidence: bool, per_question: int) -> int:
    """Points of one checked answer (a review counts 0 until decided)."""
    staked = confidence and confident
    if status == AnswerStatus.CORRECT:
        return CONFIDENCE_POINTS if staked else per_question
    if status == AnswerStatus.WRONG:
        return -CONFIDENCE_POINTS if staked else 0
    return 0


def leaderboards(games: Sequence[Game]) -> dict[int, list[Standing]]:
    """Leaderboards of several games by game id, in five queries whatever their size."""
    game_ids = [g.pk for g in games]
    tie_breaks = {g.pk: g.tie_break for g in games}
    registered = {"team__status": TeamStatus.REGISTERED}

    rounds_of: dict[int, list[dict]] = defaultdict(list)
    round_info: dict[int, dict] = {}
    for r in (
        Round.objects.filter(game_id__in=game_ids)
        .order_by("game_id", "number")
        .values("id", "game_id", "confidence", "points_per_question")
    ):
        rounds_of[r["game_id"]].append(r)
        round_info[r["id"]] = r
    teams = list(
        Team.objects.filter(game_id__in=game_ids, status=TeamStatus.REGISTERED)
        .order_by("created_at", "id")
        .values("id", "game_id", "name", "organisation")
    )
    scores = {
        (team_id, round_id): points
        for team_id, round_id, points in Score.objects.filter(
            round__game_id__in=game_ids, **registered
        ).values_list("team_id", "round_id", "points")
    }
    penalties = dict(
        Penalty.objects.filter(team__game_id__in=game_ids, **registered)
        .values("team_id")
        .annotate(total=Sum("points"))
        .values_list("team_id", "total")
    )
    answered_points: dict[tuple[int, int], int] = defaultdict(int)
    rounds_answered: set[int] = set()
    correct_by_question: dict[int, list[int]] = defaultdict(list)
    for team_id, question_id, round_id, status, confident in Answer.objects.filter(
        question__round__game_id__in=game_ids, **registered
    ).values_list("team_id", "question_id", "question__round_id", "status", "confident"):
        info = round_info[round_id]
        rounds_answered.add(round_id)
        answered_points[team_id, round_id] += answer_points(
            status=status,
            confident=confident,
            confidence=info["confidence"],
            per_question=info["points_per_question"],
        )
        if status == AnswerStatus.CORRECT:
            correct_by_question[question_id].append(team_id)

    teams_in_game: dict[int, int] = defaultdict(int)
    for team in teams:
        teams_in_game[team["game_id"]] += 1
    rating: dict[int, int] = defaultdict(int)
    game_of_team = {t["id"]: t["game_id"] for t in teams}
    for team_ids in correct_by_question.values():
        weight = teams_in_game[game_of_team[team_ids[0]]] - len(team_ids) + 1
        for team_id in team_ids:
            rating[team_id] += weight

    rows_of: dict[int, list[RankRow]] = defaultdict(list)
    by_team: dict[int, tuple[dict, tuple[int | None, ...], int]] = {}
    for team in teams:
        game_id = team["game_id"]
        per_round = []
        for r in rounds_of[game_id]:
            key = (team["id"], r["id"])
            if key in scores:
                per_round.append(scores[key])
            elif r["id"] in rounds_answered:
                per_round.append(answered_points[key])
            else:
                per_round.append(None)
        penalty = penalties.get(team["id"]) or 0
        total = sum(p or 0 for p in per_round) - penalty
        by_team[team["id"]] = (team, tuple(per_round), penalty)
        rows_of[game_id].append(
            RankRow(
                team_id=team["id"],
                total=total,
                key=tie_break_key(tie_breaks[game_id], per_round, rating[team["id"]]),
            )
        )

    boards: dict[int, list[Standing]] = {}
    for game_id in game_ids:
        board = []
        for ranked in rank(rows_of[game_id]):
            team, per_round, penalty = by_team[ranked.row.team_id]
            board.append(
                Standing(
                    team_id=team["id"],
                    team_name=team["name"],
                    organisation=team["organisation"],
                    rounds=per_round,
                    penalty=penalty,
                    total=ranked.row.total,
                    place_from=ranked.place_from,
                    place_to=ranked.place_to,
                    rating=rating[team["id"]],
                )
            )
        boards[game_id] = board
    return boards


def leaderboard(game: Game) -> list[Standing]:
    """The registered teams ranked, ties broken by the game's rule; a bounded number of
    queries whatever the size of the game."""
    return leaderboards([game])[game.pk]
