"""Scores, online answers and the leaderboard.

CONTRACT STUB — the bodies are being written; signatures and behaviour are fixed.

A team's points in a round: the host's entry (``Score``) if there is one, otherwise the sum of
its checked online answers in that round (correct: ``points_per_question``, or +2 when marked
confident in a confidence round; wrong: 0, or −2 when marked confident). Penalties come off the
total. Ties are broken by the game's rule; teams still equal share the place («2–3»).
"""

from __future__ import annotations

from dataclasses import dataclass

from mosprom.games.models import Answer, Game, Penalty, Question, Round, Score, Team


def normalise_answer(text: str) -> str:
    """Case, ё/е, punctuation and extra spaces ignored: «Ёлка,  Пушкина!» → «елка пушкина»."""
    raise NotImplementedError


def answer_matches(question: Question, text: str) -> bool:
    raise NotImplementedError


def answer_submit(*, team: Team, question: Question, text: str, confident: bool, actor) -> Answer:
    """The captain submits the team's answer within the question's window; checked at once
    (correct / wrong, or ``review`` when it is close to an accepted variant but not equal)."""
    raise NotImplementedError


def answer_appeal(*, answer: Answer, actor, note: str) -> Answer:
    """The captain disputes a wrong answer: it goes back to the review queue (``review``)."""
    raise NotImplementedError


def answer_review(*, answer: Answer, actor, correct: bool) -> Answer:
    """Host/organiser decides a disputed answer."""
    raise NotImplementedError


def score_set(*, team: Team, round: Round, points: int | None, actor) -> Score | None:
    """Set (or clear, with None) a team's points for a round; every change kept in
    ``ScoreChange``. Raises ScoreOutOfRange, ResultsPublished."""
    raise NotImplementedError


def penalty_add(*, team: Team, points: int, reason: str, actor) -> Penalty:
    raise NotImplementedError


def results_publish(*, game: Game, actor) -> Game:
    """Publish the final table (``results_published_at``); scores are frozen afterwards."""
    raise NotImplementedError


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

    @property
    def place(self) -> str:
        if self.place_from == self.place_to:
            return str(self.place_from)
        return f"{self.place_from}–{self.place_to}"


def leaderboard(game: Game) -> list[Standing]:
    """The registered teams ranked, ties broken by the game's rule; a bounded number of
    queries whatever the size of the game."""
    raise NotImplementedError
