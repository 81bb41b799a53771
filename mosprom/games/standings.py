"""Season standings per league and the games figures for analytics.

CONTRACT STUB — the bodies are being written; signatures and behaviour are fixed.
"""

from __future__ import annotations

from dataclasses import dataclass

from mosprom.games.models import GameSeason


@dataclass(frozen=True)
class SeasonRow:
    team_name: str  # as last used; teams are matched across games by ``name_key``
    per_game: tuple[int | None, ...]  # place points per game of the season (None: skipped)
    counted: int  # points that count under the season's rule for skipped games
    games_played: int
    place_from: int
    place_to: int

    @property
    def place(self) -> str:
        if self.place_from == self.place_to:
            return str(self.place_from)
        return f"{self.place_from}–{self.place_to}"


def season_standings(season: GameSeason, league: str) -> list[SeasonRow]:
    """Place points from the season's table summed over its games of ``league`` whose results
    are published; the rule for skipped games applied (zero, or best N)."""
    raise NotImplementedError


@dataclass(frozen=True)
class GamesFigures:
    games: int  # games held (results published) in the period
    teams: int  # registered teams of those games
    players: int  # registered members of those teams
    unique_players: int  # distinct accounts among those members (where known)


def games_figures(*, year: int | None = None, season: GameSeason | None = None) -> GamesFigures:
    raise NotImplementedError
