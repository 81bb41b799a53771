"""Season standings per league and the games figures for analytics.

Season standings: every game of the season in the league whose results are published counts,
in date order. A team is the same team across games when its name compares equal
(``Team.name_key``: case, ё/е and spaces ignored); a renamed team starts afresh. In each game a
team earns ``season.points_for_place(place_from)``: teams sharing a place («2–3») all get the
points of the higher place (2nd). Skipped games: ``zero`` sums every game (a skipped one is
worth 0); ``best_n`` sums the team's best N results. Teams are ranked by the counted points;
equal counted points are broken by countback: each team's results (every game it played, also
those ``best_n`` does not count) sorted from best, compared in turn, so a better single result
wins, and with otherwise equal results the team that played more games. Still equal: the place
is shared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet

from mosprom.core import clock
from mosprom.core.periods import Period
from mosprom.games.models import (
    Game,
    GameSeason,
    GameStatus,
    SkippedGames,
    Team,
    TeamMember,
    TeamStatus,
    name_key,
)
from mosprom.games.scoring import RankRow, leaderboards, rank


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


def season_games(season: GameSeason, league: str) -> list[Game]:
    """The games that count in the season's table for ``league``: results published, not
    cancelled, in date order (the columns of ``SeasonRow.per_game``)."""
    return list(
        Game.objects.filter(
            season=season,
            league=league,
            status=GameStatus.PUBLISHED,
            results_published_at__isnull=False,
        ).order_by("starts_at", "id")
    )


def counted_points(season: GameSeason, results: list[int]) -> int:
    """What counts of a team's results under the season's rule for skipped games."""
    if season.skipped_rule == SkippedGames.BEST_N and season.best_n:
        return sum(sorted(results, reverse=True)[: season.best_n])
    return sum(results)


def season_standings(season: GameSeason, league: str) -> list[SeasonRow]:
    """Place points from the season's table summed over its games of ``league`` whose results
    are published; the rule for skipped games applied (zero, or best N). A bounded number of
    queries whatever the number of games and teams."""
    games = season_games(season, league)
    boards = leaderboards(games)
    names: dict[str, str] = {}
    per_game: dict[str, list[int | None]] = {}
    for index, game in enumerate(games):
        for standing in boards[game.pk]:
            key = name_key(standing.team_name)
            names[key] = standing.team_name  # games are in date order: the last name wins
            points = per_game.setdefault(key, [None] * len(games))
            points[index] = season.points_for_place(standing.place_from)

    keys = sorted(per_game)  # a stable id for the pure ranking
    rows = []
    for number, key in enumerate(keys):
        results = [p for p in per_game[key] if p is not None]
        rows.append(
            RankRow(
                team_id=number,
                total=counted_points(season, results),
                key=tuple(sorted(results, reverse=True)),
            )
        )
    return [
        SeasonRow(
            team_name=names[keys[ranked.row.team_id]],
            per_game=tuple(per_game[keys[ranked.row.team_id]]),
            counted=ranked.row.total,
            games_played=len(ranked.row.key),
            place_from=ranked.place_from,
            place_to=ranked.place_to,
        )
        for ranked in rank(rows)
    ]


@dataclass(frozen=True)
class GamesFigures:
    games: int  # games held in the period (see ``games_held``)
    teams: int  # registered teams of those games
    players: int  # registered members of those teams
    unique_players: int  # distinct accounts among those members (where known)


def games_held(
    *,
    year: int | None = None,
    season: GameSeason | None = None,
    period: Period | None = None,
) -> QuerySet[Game]:
    """Games held in the period: announced (not cancelled) games whose results are published,
    or whose start has passed with registered teams (a game played but never published still
    happened). ``year`` is the year of the start in Moscow time; ``period`` keeps the games
    that started within it (Moscow days); the filters combine."""
    games = Game.objects.filter(status=GameStatus.PUBLISHED)
    if season is not None:
        games = games.filter(season=season)
    if year is not None:
        zone = ZoneInfo(settings.TIME_ZONE)
        games = games.filter(
            starts_at__gte=dt.datetime(year, 1, 1, tzinfo=zone),
            starts_at__lt=dt.datetime(year + 1, 1, 1, tzinfo=zone),
        )
    if period is not None:
        start, end = period.bounds()
        games = games.filter(starts_at__gte=start, starts_at__lt=end)
    played = Exists(Team.objects.filter(game=OuterRef("pk"), status=TeamStatus.REGISTERED))
    return games.filter(
        Q(results_published_at__isnull=False) | (Q(starts_at__lte=clock.now()) & played)
    )


def records_since() -> dt.date | None:
    """The Moscow day of the first game held: the games' records start there."""
    first = games_held().aggregate(first=Min("starts_at"))["first"]
    return clock.localtime(first).date() if first else None


def games_figures(
    *,
    year: int | None = None,
    season: GameSeason | None = None,
    period: Period | None = None,
) -> GamesFigures:
    """Games held, their registered teams and players in a year, a season and/or a period (all
    time when none is given), in three queries.

    ``players`` counts roster lines (``TeamMember``) of registered teams. ``unique_players``
    counts each account once across all games (members known by ``user``: captains, placed
    solo players) plus every member without an account once per roster they are on — names
    alone cannot tell two people apart, so such a player in two games counts twice.
    """
    held = games_held(year=year, season=season, period=period)
    games = held.count()
    teams = Team.objects.filter(game__in=held, status=TeamStatus.REGISTERED)
    team_count = teams.count()
    members = TeamMember.objects.filter(team__in=teams).aggregate(
        players=Count("id"),
        accounts=Count("user", distinct=True),
        anonymous=Count("id", filter=Q(user__isnull=True)),
    )
    return GamesFigures(
        games=games,
        teams=team_count,
        players=members["players"],
        unique_players=members["accounts"] + members["anonymous"],
    )
