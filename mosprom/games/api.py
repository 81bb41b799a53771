"""The games REST API: quiz nights, team registration, online answers, scores and tables.

Reads of games, their teams (names and sizes, never players' names), opened questions, the
leaderboard and season standings are public. Everything personal needs an API token and acts
for the token's user: a captain registers, edits and withdraws their own team (others' teams
are 404), answers for it and appeals; a player without a team signs up as a solo player.
Running a game — the score grid, penalties, the review queue, publishing the results — is for
organisers and for hosts of the enterprise whose site the game is at (others: 403).

Refusals are the games' codes (``games.errors``) in the tourism format ``{"detail", "code"}``
with their status; registration and solo sign-ups are rate-limited (scope
``game_registration``; 429 with ``Retry-After``).
"""

from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from mosprom.accounts.api_auth import token_auth
from mosprom.core import clock
from mosprom.core.ratelimit import api_rate_limit
from mosprom.games import errors, registration, scoring, selectors, standings
from mosprom.games.models import (
    ACTIVE_TEAM,
    Answer,
    Game,
    GameSeason,
    GameStatus,
    Question,
    Round,
    Team,
)
from mosprom.games.schemas import (
    AnswerIn,
    AnswerOut,
    AppealIn,
    GameFilters,
    GameOut,
    LeaderboardOut,
    MyTeamOut,
    PenaltyIn,
    PenaltyOut,
    QuestionOut,
    ReviewIn,
    ReviewItemOut,
    ScoreIn,
    ScoreOut,
    SeasonStandingsOut,
    SoloIn,
    SoloOut,
    StandingsFilters,
    TeamIn,
    TeamOut,
    TeamPatch,
)
from mosprom.registry.api import Pagination
from mosprom.tourism.api import (
    ONE_ERRORS,
    PAGE_PARAMS,
    PERSONAL_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    ObjectId,
    api_user,
    only_known_query,
)
from mosprom.tourism.selectors_host import may_use_cabinet

router = Router(tags=["games"])

RUN_READ_ERRORS = {403: ErrorOut, 404: ErrorOut, **PERSONAL_ERRORS}
PUBLIC_STATUSES = (GameStatus.PUBLISHED, GameStatus.CANCELLED)


# --- Helpers ----------------------------------------------------------------------------------


def _game_to_run(request: HttpRequest, pk: int) -> Game:
    """A game the token's user may run. As for the tourism host endpoints: people without a
    cabinet get 403, hosts of another enterprise 403 for a game everyone can see, 404 when
    there is no such game for them."""
    user = api_user(request)
    if not may_use_cabinet(user):
        raise errors.Forbidden()
    try:
        return selectors.game_for_running(user=user, pk=pk)
    except Http404:
        if Game.objects.filter(pk=pk, status__in=PUBLIC_STATUSES).exists():
            raise errors.Forbidden(
                _("Эту игру проводят организаторы и представители предприятия-площадки.")
            ) from None
        raise


def _answer_to_run(request: HttpRequest, pk: int) -> Answer:
    user = api_user(request)
    if not may_use_cabinet(user):
        raise errors.Forbidden()
    return selectors.answer_for_running(user=user, pk=pk)


def _my_team(request: HttpRequest, pk: int) -> Team:
    return selectors.team_of_captain(user=api_user(request), pk=pk)


def _team_of_game(game: Game, pk: int) -> Team:
    team = Team.objects.filter(pk=pk, game=game).first()
    if team is None:
        raise errors.InvalidRequest(_("В этой игре нет такой команды."))
    return team


def _round_of_game(game: Game, pk: int) -> Round:
    round_ = Round.objects.filter(pk=pk, game=game).first()
    if round_ is None:
        raise errors.InvalidRequest(_("В этой игре нет такого тура."))
    return round_


# --- Games ------------------------------------------------------------------------------------


@router.get(
    "/games",
    response={200: list[GameOut], **READ_ERRORS},
    summary="Интеллектуальные игры",
    description=(
        "Анонсированные (и отменённые) игры, новые первыми; с upcoming=true — только "
        "предстоящие, ближайшие первыми. Фильтры: league (adults, schools), format "
        "(offline, online, hybrid), season."
    ),
    operation_id="games_game_list",
)
@paginate(Pagination)
def game_list(request: HttpRequest, filters: Query[GameFilters]) -> QuerySet[Game]:
    only_known_query(request, PAGE_PARAMS | set(GameFilters.model_fields))
    games = selectors.games_public()
    if filters.league:
        games = games.filter(league=filters.league.value)
    if filters.format:
        games = games.filter(format=filters.format.value)
    if filters.season:
        games = games.filter(season_id=filters.season)
    if filters.upcoming:
        games = games.filter(starts_at__gte=clock.now()).order_by("starts_at", "id")
    return games


# Static paths before ``/games/{id}``: Django tries the patterns in order.


@router.get(
    "/games/teams",
    auth=token_auth,
    response={200: list[MyTeamOut], **PERSONAL_ERRORS},
    summary="Мои команды",
    description="Команды, где владелец токена — капитан, во всех играх; новые игры первыми.",
    operation_id="games_team_mine",
)
@paginate(Pagination)
def team_mine(request: HttpRequest) -> QuerySet[Team]:
    only_known_query(request, PAGE_PARAMS)
    return selectors.teams_of_captain(api_user(request))


@router.get(
    "/games/teams/{id}",
    auth=token_auth,
    response={200: MyTeamOut, 404: ErrorOut, **PERSONAL_ERRORS},
    summary="Моя команда",
    description="Только своя команда; чужая — 404.",
    operation_id="games_team_read",
)
def team_read(request: HttpRequest, id: ObjectId):
    only_known_query(request, set())
    return _my_team(request, id)


@router.patch(
    "/games/teams/{id}",
    auth=token_auth,
    response={200: MyTeamOut, **WRITE_ERRORS},
    summary="Изменить команду",
    description=(
        "Название, состав, организация — до закрытия регистрации; меняются только "
        "переданные поля. Отказы: registration_closed, roster_size, team_name_taken, "
        "team_withdrawn."
    ),
    operation_id="games_team_update",
)
def team_update(request: HttpRequest, id: ObjectId, payload: TeamPatch):
    team = _my_team(request, id)
    changes = payload.model_dump(exclude_unset=True)
    registration.team_update(team=team, actor=api_user(request), **changes)
    return Status(200, _my_team(request, id))


@router.post(
    "/games/teams/{id}/withdraw",
    auth=token_auth,
    response={200: MyTeamOut, **WRITE_ERRORS},
    summary="Сняться с игры",
    description=(
        "Место переходит первой команде из листа ожидания. Повторное снятие ничего не меняет."
    ),
    operation_id="games_team_withdraw",
)
def team_withdraw(request: HttpRequest, id: ObjectId):
    team = _my_team(request, id)
    registration.team_withdraw(team=team, actor=api_user(request))
    return Status(200, _my_team(request, id))


@router.post(
    "/games/solo/{id}/withdraw",
    auth=token_auth,
    response={200: SoloOut, **WRITE_ERRORS},
    summary="Отказаться от участия без команды",
    operation_id="games_solo_withdraw",
)
def solo_withdraw(request: HttpRequest, id: ObjectId):
    solo = selectors.solo_of_user(user=api_user(request), pk=id)
    return Status(200, registration.solo_withdraw(solo=solo, actor=api_user(request)))


@router.post(
    "/games/questions/{id}/answers",
    auth=token_auth,
    response={201: AnswerOut, **WRITE_ERRORS},
    summary="Ответить на вопрос",
    description=(
        "Отвечает капитан команды, зарегистрированной на эту игру, один раз на вопрос, пока "
        "вопрос открыт. Ответ проверяется сразу: correct, wrong или review (похож на верный "
        "— решит ведущий). Отказы: answer_not_open, answer_closed, already_answered, "
        "team_withdrawn, forbidden."
    ),
    operation_id="games_answer_submit",
)
def answer_submit(request: HttpRequest, id: ObjectId, payload: AnswerIn):
    user = api_user(request)
    question = (
        Question.objects.select_related("round")
        .filter(pk=id, round__game__status__in=PUBLIC_STATUSES)
        .first()
    )
    if question is None:
        raise Http404
    team = Team.objects.filter(
        game_id=question.round.game_id, captain=user, status__in=ACTIVE_TEAM
    ).first()
    if team is None:
        raise errors.Forbidden(_("Отвечать может капитан команды, записанной на эту игру."))
    answer = scoring.answer_submit(
        team=team, question=question, text=payload.text, confident=payload.confident, actor=user
    )
    return Status(201, answer)


@router.post(
    "/games/answers/{id}/appeal",
    auth=token_auth,
    response={200: AnswerOut, **WRITE_ERRORS},
    summary="Подать апелляцию",
    description=(
        "Капитан оспаривает незасчитанный ответ один раз, до публикации итогов: ответ "
        "возвращается ведущему на проверку (status=review). Чужой ответ — 404."
    ),
    operation_id="games_answer_appeal",
)
def answer_appeal(request: HttpRequest, id: ObjectId, payload: AppealIn):
    answer = selectors.answer_of_team(user=api_user(request), pk=id)
    return Status(
        200, scoring.answer_appeal(answer=answer, actor=api_user(request), note=payload.note)
    )


@router.post(
    "/games/answers/{id}/review",
    auth=token_auth,
    response={200: AnswerOut, **WRITE_ERRORS},
    summary="Решить спорный ответ (ведущие)",
    description="Ответ из очереди проверки засчитывается (correct=true) или нет, один раз.",
    operation_id="games_answer_review",
)
def answer_review(request: HttpRequest, id: ObjectId, payload: ReviewIn):
    answer = _answer_to_run(request, id)
    return Status(
        200, scoring.answer_review(answer=answer, actor=api_user(request), correct=payload.correct)
    )


@router.get(
    "/games/{id}",
    response={200: GameOut, **ONE_ERRORS},
    summary="Игра",
    operation_id="games_game_read",
)
def game_read(request: HttpRequest, id: ObjectId):
    only_known_query(request, set())
    return selectors.game_public(pk=id)


# --- Teams ------------------------------------------------------------------------------------


@router.get(
    "/games/{id}/teams",
    response={200: list[TeamOut], **ONE_ERRORS},
    summary="Команды игры",
    description=(
        "Зарегистрированные команды, затем лист ожидания по очереди: название, организация, "
        "число игроков (имена игроков не публикуются)."
    ),
    operation_id="games_team_list",
)
@paginate(Pagination)
def team_list(request: HttpRequest, id: ObjectId) -> QuerySet[Team]:
    only_known_query(request, PAGE_PARAMS)
    game = selectors.game_public(pk=id)
    return (
        selectors.teams_of(game)
        .select_related(None)
        .prefetch_related(None)
        .annotate(members_count=Count("members"))
    )


@router.post(
    "/games/{id}/teams",
    auth=token_auth,
    response={201: MyTeamOut, **WRITE_ERRORS, 429: ErrorOut},
    summary="Зарегистрировать команду",
    description=(
        "Владелец токена — капитан. Пока есть места, команда зарегистрирована, потом — в "
        "листе ожидания (status=waitlisted). Отказы: registration_not_open, "
        "registration_closed, roster_size, team_name_taken, already_registered, "
        "email_not_confirmed. Повтор после успеха — already_registered, вторая команда "
        "не появится. Слишком частые попытки — 429 rate_limited с Retry-After."
    ),
    operation_id="games_team_register",
)
@api_rate_limit("game_registration")
def team_register(request: HttpRequest, id: ObjectId, payload: TeamIn):
    game = selectors.game_public(pk=id, user=api_user(request))
    team = registration.team_register(
        user=api_user(request),
        game=game,
        name=payload.name,
        members=payload.members,
        organisation=payload.organisation,
    )
    return Status(201, _my_team(request, team.pk))


@router.post(
    "/games/{id}/solo",
    auth=token_auth,
    response={201: SoloOut, **WRITE_ERRORS, 429: ErrorOut},
    summary="Записаться без команды",
    description=(
        "Игрок ищет команду; организатор добавит его в команду этой игры. Отказы: "
        "already_signed_up, registration_not_open, registration_closed, email_not_confirmed. "
        "429 rate_limited с Retry-After."
    ),
    operation_id="games_solo_signup",
)
@api_rate_limit("game_registration")
def solo_signup(request: HttpRequest, id: ObjectId, payload: SoloIn):
    game = selectors.game_public(pk=id, user=api_user(request))
    solo = registration.solo_signup(
        user=api_user(request), game=game, full_name=payload.full_name, note=payload.note
    )
    return Status(201, solo)


# --- Questions, leaderboard, standings ----------------------------------------------------------


@router.get(
    "/games/{id}/questions",
    response={200: list[QuestionOut], **ONE_ERRORS},
    summary="Открытые вопросы онлайн-игры",
    description=(
        "Вопросы, время которых наступило, по турам и номерам; open — принимаются ли ответы "
        "сейчас. Принимаемые варианты ответа не публикуются."
    ),
    operation_id="games_question_list",
)
@paginate(Pagination)
def question_list(request: HttpRequest, id: ObjectId) -> QuerySet[Question]:
    only_known_query(request, PAGE_PARAMS)
    game = selectors.game_public(pk=id)
    return (
        Question.objects.filter(round__game=game, opens_at__lte=clock.now())
        .select_related("round")
        .order_by("round__number", "number", "id")
    )


@router.get(
    "/games/{id}/leaderboard",
    response={200: LeaderboardOut, **ONE_ERRORS},
    summary="Таблица результатов игры",
    description=(
        "Зарегистрированные команды по местам: очки по турам, штрафы, сумма; равные после "
        "дополнительного показателя делят место («2–3»). Во время игры таблица живая, "
        "final=true — итоги опубликованы. Таблица отдаётся целиком (команд в игре не больше "
        "её вместимости)."
    ),
    operation_id="games_leaderboard",
)
def leaderboard(request: HttpRequest, id: ObjectId):
    only_known_query(request, set())
    game = selectors.game_public(pk=id)
    return {
        "game_id": game.pk,
        "final": game.results_published_at is not None,
        "results_published_at": game.results_published_at,
        "tie_break": game.tie_break,
        "rounds": list(game.rounds.order_by("number")),
        "rows": scoring.leaderboard(game),
    }


@router.get(
    "/game-seasons/{id}/standings",
    response={200: SeasonStandingsOut, **ONE_ERRORS},
    summary="Таблица сезона",
    description=(
        "Очки за места в играх лиги, итоги которых опубликованы, по таблице сезона; команды "
        "сопоставляются по названию. Правило пропущенных игр — skipped_rule. Таблица "
        "отдаётся целиком."
    ),
    operation_id="games_season_standings",
)
def season_standings(request: HttpRequest, id: ObjectId, filters: Query[StandingsFilters]):
    only_known_query(request, set(StandingsFilters.model_fields))
    season = GameSeason.objects.filter(pk=id).first()
    if season is None:
        raise Http404
    league = filters.league.value
    return {
        "season_id": season.pk,
        "season_name": season.name,
        "year": season.year,
        "league": league,
        "place_points": [int(p) for p in season.place_points or []],
        "skipped_rule": season.skipped_rule,
        "best_n": season.best_n,
        "games": standings.season_games(season, league),
        "rows": standings.season_standings(season, league),
    }


# --- Running a game ---------------------------------------------------------------------------


@router.put(
    "/games/{id}/scores",
    auth=token_auth,
    response={200: ScoreOut, **WRITE_ERRORS},
    summary="Очки команды за тур (ведущие)",
    description=(
        "Записывает (или очищает, points=null) очки команды за тур; каждое изменение "
        "сохраняется в истории. Отказы: score_out_of_range, results_published, "
        "team_withdrawn, invalid_request (команда или тур из другой игры)."
    ),
    operation_id="games_score_set",
)
def score_set(request: HttpRequest, id: ObjectId, payload: ScoreIn):
    game = _game_to_run(request, id)
    team = _team_of_game(game, payload.team)
    round_ = _round_of_game(game, payload.round)
    score = scoring.score_set(
        team=team, round=round_, points=payload.points, actor=api_user(request)
    )
    return {"team": team.pk, "round": round_.pk, "points": score.points if score else None}


@router.post(
    "/games/{id}/penalties",
    auth=token_auth,
    response={201: PenaltyOut, **WRITE_ERRORS},
    summary="Оштрафовать команду (ведущие)",
    description="Снимает 1–100 очков с причиной, до публикации итогов.",
    operation_id="games_penalty_add",
)
def penalty_add(request: HttpRequest, id: ObjectId, payload: PenaltyIn):
    game = _game_to_run(request, id)
    team = _team_of_game(game, payload.team)
    penalty = scoring.penalty_add(
        team=team, points=payload.points, reason=payload.reason, actor=api_user(request)
    )
    return Status(201, penalty)


@router.get(
    "/games/{id}/review",
    auth=token_auth,
    response={200: list[ReviewItemOut], **RUN_READ_ERRORS},
    summary="Очередь проверки ответов (ведущие)",
    description="Ответы, похожие на верные, и апелляции — старые первыми.",
    operation_id="games_review_queue",
)
@paginate(Pagination)
def review_queue(request: HttpRequest, id: ObjectId) -> QuerySet[Answer]:
    only_known_query(request, PAGE_PARAMS)
    return selectors.review_queue(_game_to_run(request, id))


@router.post(
    "/games/{id}/publish",
    auth=token_auth,
    response={200: GameOut, **WRITE_ERRORS},
    summary="Опубликовать итоги (ведущие)",
    description=(
        "Таблица становится окончательной, очки больше не меняются; игра идёт в зачёт "
        "сезона. Повторная публикация сохраняет время первой."
    ),
    operation_id="games_results_publish",
)
def results_publish(request: HttpRequest, id: ObjectId):
    game = _game_to_run(request, id)
    scoring.results_publish(game=game, actor=api_user(request))
    return Status(200, selectors.game_public(pk=id, user=api_user(request)))
