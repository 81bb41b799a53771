"""Prize draws: teams that met a condition drawn, seeded and reproducible, for places on a
tour session; winners' captains get tickets the normal way (``tourism.booking``).

CONTRACT STUB — the bodies are being written; signatures and behaviour are fixed.
"""

from __future__ import annotations

from mosprom.games.models import Game, PrizeDraw


def prize_candidates(
    *, game: Game, top: int | None = None, min_correct: int | None = None
) -> list[int]:
    """Team ids that met the condition: within the top N places of the leaderboard, and/or at
    least ``min_correct`` correct answers (online)."""
    raise NotImplementedError


def prize_draw(
    *, game: Game, session, team_ids: list[int], places: int, condition: str, actor
) -> PrizeDraw:
    """Draw ``places`` winners among ``team_ids`` with a published seed; each winner's captain
    gets one place on ``session`` (booked as usual: ticket mail, QR, .ics). Raises NotDrawable."""
    raise NotImplementedError


def prize_draw_verify(draw: PrizeDraw) -> bool:
    """Recompute the draw from its seed and candidates; True when it gives the same winners."""
    raise NotImplementedError
