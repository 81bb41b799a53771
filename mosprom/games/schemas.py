"""API shapes of games: games with registration state, teams, answers, the leaderboard, the
season table. Input lengths and ranges mirror the models, so bad input is a 422, never a 500."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from mosprom.core import clock
from mosprom.core.api_types import api_text
from mosprom.games.models import (
    AnswerStatus,
    Game,
    GameFormat,
    GameStatus,
    League,
    SkippedGames,
    SoloStatus,
    TeamStatus,
    TieBreak,
)

MAX_ID = 2**63 - 1
# A roster longer than any game's team size limit is refused by the service with a message;
# this bound only keeps absurd bodies out.
MAX_MEMBERS = 50
# Round points are checked against the round's range by the service (score_out_of_range).
MAX_POINTS = 10_000


TeamName = api_text(min_length=1, max_length=100)
PersonName = api_text(min_length=1, max_length=255)
Organisation = api_text(max_length=255)
RefId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


def _absent_ok(description: str):
    """For PATCH: the field may be left out, but when sent it must be a value, not null."""
    return Field(None, json_schema_extra=_no_default, description=description)


# --- Out ------------------------------------------------------------------------------------

Registration = Literal["open", "waitlist", "not_open_yet", "closed", "cancelled"]


def registration_state(game: Game, now: dt.datetime | None = None) -> Registration:
    now = now or clock.now()
    if game.status == GameStatus.CANCELLED:
        return "cancelled"
    if game.status != GameStatus.PUBLISHED or now >= game.registration_closes_at:
        return "closed"
    if now < game.registration_opens_at:
        return "not_open_yet"
    return "waitlist" if game.places_left == 0 else "open"


class GameOut(Schema):
    id: int
    title: str
    theme: str
    description: str
    partner: str = Field(description="Партнёр игры (бренд квизов) или пустая строка")
    starts_at: dt.datetime
    format: GameFormat
    format_name: str
    league: League
    league_name: str
    season_id: int | None
    season_name: str = Field(description="Сезон или пустая строка")
    venue: str = Field(description="Где проходит: площадка, Технополис или «Онлайн»")
    enterprise_id: int | None = Field(description="Предприятие, на площадке которого игра")
    enterprise_name: str
    address: str = Field(description="Адрес площадки предприятия или пустая строка")
    team_min: int = Field(description="Игроков в команде, от")
    team_max: int = Field(description="Игроков в команде, до")
    capacity: int = Field(description="Сколько команд принимает игра")
    taken: int = Field(description="Зарегистрировано команд (без листа ожидания)")
    places_left: int
    registration: Registration = Field(
        description=(
            "open — регистрация идёт; waitlist — мест нет, новые команды встают в лист "
            "ожидания; not_open_yet, closed, cancelled — зарегистрироваться нельзя"
        )
    )
    registration_opens_at: dt.datetime
    registration_closes_at: dt.datetime
    tie_break: TieBreak = Field(
        description=(
            "При равенстве очков: last_round — последний тур, best_round — лучший тур, "
            "question_rating — рейтинг вопросов"
        )
    )
    status: GameStatus
    results_published_at: dt.datetime | None = Field(
        description="Когда опубликованы итоги (таблица окончательная); null — ещё нет"
    )
    url: str = Field(description="Страница игры на сайте")

    @staticmethod
    def resolve_format_name(obj) -> str:
        return str(obj.get_format_display())

    @staticmethod
    def resolve_league_name(obj) -> str:
        return str(obj.get_league_display())

    @staticmethod
    def resolve_season_name(obj) -> str:
        return obj.season.name if obj.season_id else ""

    @staticmethod
    def resolve_venue(obj) -> str:
        return obj.venue_label

    @staticmethod
    def resolve_enterprise_id(obj) -> int | None:
        return obj.site.enterprise_id if obj.site_id else None

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.site.enterprise.short_name if obj.site_id else ""

    @staticmethod
    def resolve_address(obj) -> str:
        return obj.site.address if obj.site_id else ""

    @staticmethod
    def resolve_registration(obj) -> Registration:
        return registration_state(obj)

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class TeamOut(Schema):
    """A team as everyone sees it: no names of players."""

    id: int
    name: str
    organisation: str = Field(description="Школа или организация, может быть пустой")
    status: TeamStatus = Field(description="registered или waitlisted")
    members_count: int = Field(description="Игроков в команде")


class MyTeamOut(Schema):
    """A team as its captain sees it, with the roster."""

    id: int
    game_id: int
    game_title: str
    game_starts_at: dt.datetime
    name: str
    organisation: str
    status: TeamStatus = Field(description="registered, waitlisted или withdrawn")
    members: list[str] = Field(description="Игроки, капитан первым")
    created_at: dt.datetime
    waitlisted_at: dt.datetime | None
    promoted_at: dt.datetime | None = Field(description="Когда команду перевели из листа ожидания")
    withdrawn_at: dt.datetime | None

    @staticmethod
    def resolve_game_title(obj) -> str:
        return obj.game.title

    @staticmethod
    def resolve_game_starts_at(obj) -> dt.datetime:
        return obj.game.starts_at

    @staticmethod
    def resolve_members(obj) -> list[str]:
        return [member.full_name for member in obj.members.all()]


class SoloOut(Schema):
    id: int
    game_id: int
    full_name: str
    note: str
    status: SoloStatus = Field(description="waiting — ищет команду, placed — в команде, withdrawn")
    team_id: int | None
    created_at: dt.datetime


class QuestionOut(Schema):
    id: int
    round_number: int
    round_title: str
    number: int
    text: str
    confidence: bool = Field(description="В туре можно поставить на уверенность (+2/−2)")
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    open: bool = Field(description="Ответы принимаются сейчас")

    @staticmethod
    def resolve_round_number(obj) -> int:
        return obj.round.number

    @staticmethod
    def resolve_round_title(obj) -> str:
        return obj.round.title

    @staticmethod
    def resolve_confidence(obj) -> bool:
        return obj.round.confidence

    @staticmethod
    def resolve_open(obj) -> bool:
        now = clock.now()
        return (
            obj.opens_at is not None
            and obj.opens_at <= now
            and (obj.closes_at is None or now < obj.closes_at)
        )


class AnswerOut(Schema):
    id: int
    question_id: int
    team_id: int
    text: str
    confident: bool
    status: AnswerStatus = Field(description="correct, wrong или review (ждёт решения ведущего)")
    appealed: bool
    appeal_note: str
    created_at: dt.datetime
    reviewed_at: dt.datetime | None


class ReviewItemOut(AnswerOut):
    team_name: str
    round_number: int
    question_number: int
    question_text: str
    accepted: list[str] = Field(description="Принимаемые варианты ответа")

    @staticmethod
    def resolve_team_name(obj) -> str:
        return obj.team.name

    @staticmethod
    def resolve_round_number(obj) -> int:
        return obj.question.round.number

    @staticmethod
    def resolve_question_number(obj) -> int:
        return obj.question.number

    @staticmethod
    def resolve_question_text(obj) -> str:
        return obj.question.text

    @staticmethod
    def resolve_accepted(obj) -> list[str]:
        return obj.question.accepted_variants


class ScoreOut(Schema):
    team: int
    round: int
    points: int | None = Field(description="Очки за тур; null — запись очищена")


class PenaltyOut(Schema):
    id: int
    team_id: int
    points: int
    reason: str
    created_at: dt.datetime


class RoundOut(Schema):
    number: int
    title: str
    questions: int
    max_points: int
    min_points: int


class StandingOut(Schema):
    place: str = Field(description="Место: «3» или общее «2–3»", examples=["2–3"])
    place_from: int
    place_to: int
    team_id: int
    team_name: str
    organisation: str
    rounds: list[int | None] = Field(description="Очки по турам по порядку; null — ещё нет")
    penalty: int = Field(description="Сумма штрафов (уже вычтена из total)")
    total: int


class LeaderboardOut(Schema):
    game_id: int
    final: bool = Field(description="Итоги опубликованы: таблица больше не изменится")
    results_published_at: dt.datetime | None
    tie_break: TieBreak
    rounds: list[RoundOut]
    rows: list[StandingOut]


class SeasonGameOut(Schema):
    id: int
    title: str
    starts_at: dt.datetime


class SeasonRowOut(Schema):
    place: str = Field(examples=["2–3"])
    place_from: int
    place_to: int
    team_name: str
    per_game: list[int | None] = Field(
        description="Очки за место в каждой игре сезона (как в games); null — не играла"
    )
    counted: int = Field(description="Очки, идущие в зачёт по правилу сезона")
    games_played: int


class SeasonStandingsOut(Schema):
    season_id: int
    season_name: str
    year: int
    league: League
    place_points: list[int] = Field(description="Очки за 1-е, 2-е, 3-е… место")
    skipped_rule: SkippedGames = Field(
        description="zero — сумма всех игр; best_n — сумма N лучших игр команды"
    )
    best_n: int | None
    games: list[SeasonGameOut] = Field(description="Игры сезона с опубликованными итогами")
    rows: list[SeasonRowOut]


# --- In -------------------------------------------------------------------------------------


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class TeamIn(_In):
    name: TeamName = Field(
        description="Название, уникальное в игре (без учёта регистра, ё/е и пробелов)",
        examples=["Шестерёнки"],
    )
    organisation: Organisation = Field("", description="Школа или организация")
    members: list[PersonName] = Field(
        min_length=1,
        max_length=MAX_MEMBERS,
        description="Имена всех игроков, капитан первым; число — в пределах team_min…team_max",
        examples=[["Иванова Мария", "Петров Олег"]],
    )


class TeamPatch(_In):
    """Only the fields sent are changed."""

    name: TeamName = _absent_ok("Новое название")
    organisation: Organisation = _absent_ok("Школа или организация")
    members: list[PersonName] = Field(
        None,
        min_length=1,
        max_length=MAX_MEMBERS,
        json_schema_extra=_no_default,
        description="Новый состав целиком, капитан первым",
    )


class SoloIn(_In):
    full_name: PersonName = Field(examples=["Смирнова Анна"])
    note: api_text(max_length=500) = Field("", description="О себе: в чём силён, возраст, школа")


class AnswerIn(_In):
    text: api_text(min_length=1, max_length=500) = Field(examples=["Автомобили"])
    confident: bool = Field(
        False, strict=True, description="Ставка на уверенность (только в турах с этим правилом)"
    )


class AppealIn(_In):
    note: api_text(max_length=1000) = Field("", description="Доводы апелляции")


class ScoreIn(_In):
    team: RefId = Field(description="Команда этой игры")
    round: RefId = Field(description="Тур этой игры")
    points: Annotated[int, Field(ge=-MAX_POINTS, le=MAX_POINTS, strict=True)] | None = Field(
        description="Очки за тур; null очищает запись"
    )


class ReviewIn(_In):
    correct: bool = Field(strict=True, description="Засчитать ответ")


class PenaltyIn(_In):
    team: RefId = Field(description="Команда этой игры")
    points: int = Field(ge=1, le=100, strict=True, description="Сколько очков снять")
    reason: api_text(min_length=1, max_length=255) = Field(examples=["Использование гаджетов"])


class GameFilters(Schema):
    league: League | None = None
    format: GameFormat | None = None
    season: int | None = Field(None, ge=1, le=MAX_ID, description="Идентификатор сезона")
    upcoming: bool = Field(
        False, description="Только игры, которые ещё не начались (ближайшие первыми)"
    )


class StandingsFilters(Schema):
    league: League = Field(League.ADULTS, description="Лига: adults или schools")
