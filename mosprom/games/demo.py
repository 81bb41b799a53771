"""Demo data for games: a season of quiz nights as the press releases describe them.

«Открой#Моспром» has run intellectual games since 2019 — offline at Технополис «Москва» and at
plants, online, a school league (grades 8–11), joint games with quiz brands. The demo season
has three past games with published results (Технополис; the site of «Микрон», whose host the
demo host is, so he can run it; an online school-league game), an online game running now
with questions (closed, open, opening tomorrow) and answers waiting for review, and an upcoming
offline game open for registration with one place left, so the next team goes to the waitlist.
The demo visitor captains a team in the online game and may answer and appeal.

Captains are the tourism demo's guests (``guest01@demo.mosprom.local``…, no password). Rows are
written directly, as ``tourism.demo`` does, so loading sends no mail; ``Game.taken`` is kept
as the registration service keeps it. Idempotent: keyed by the season's name.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from mosprom.accounts.models import Role
from mosprom.core import clock
from mosprom.games.models import (
    Answer,
    AnswerStatus,
    Game,
    GameFormat,
    GameSeason,
    GameStatus,
    League,
    Penalty,
    Question,
    Round,
    Score,
    ScoreChange,
    SkippedGames,
    Team,
    TeamMember,
    TieBreak,
)
from mosprom.games.scoring import answer_check
from mosprom.registry.demo import demo_inn
from mosprom.registry.models import ProductionSite
from mosprom.tourism.demo import (
    DEMO_FIRST_NAMES,
    DEMO_GUEST_EMAIL,
    DEMO_SURNAMES,
    DEMO_VISITOR,
    demo_surname,
)

SEASON_NAME = "Интеллектуальные игры Открой#Моспром 2026"
PLACE_POINTS = [130, 120, 110, 100, 95, 90, 85, 80, 75, 70, 65, 60]
DEMO_NOTE = "Демонстрационная игра: команды, составы и результаты придуманы."
MIKRON = 3  # registry.demo.SEED_ENTERPRISES number; the demo host acts for it
DEMO_ORGANISER = "organiser@demo.mosprom.local"

ADULT_TEAMS = (
    ("Шестерёнки", "Трансмаш"), ("Сопромат", ""), ("Технари", "Элтеза"), ("Кванты", ""),
    ("Фреза", "ЛГМ"), ("Допуск и посадка", ""), ("Чистая комната", "Микрон"),
    ("Штангенциркуль", ""), ("Зелёный свет", "Элтеза"), ("Третья смена", ""),
    ("ОТК", "Галвент"), ("Главный инженер", ""), ("Перфокарта", "Смарт Системз"),
    ("Мягкая посадка", "Московский комбинат игрушек"),
)  # fmt: skip
SCHOOL_TEAMS = (
    ("Юные инженеры", "Школа № 1"), ("Квантик", "Школа № 2"), ("Синус", "Лицей № 3"),
    ("Электроны", "Школа № 4"), ("Робокласс", "Инженерный класс № 5"),
    ("Девятый «Б»", "Школа № 6"), ("Формула", "Лицей № 7"), ("Полупроводники", "Школа № 8"),
)  # fmt: skip

# Questions of the online game, with the accepted variants: facts from the press releases.
QUESTIONS = (
    ("Какой московский завод делает тормозные системы для вагонов метро?", "Трансмаш"),
    ("Что «Микрон» выпускает для банковских карт?", "чип-модули\nчипы\nмикросхемы"),
    ("С какого года проводятся интеллектуальные игры «Открой#Моспром»?", "2019"),
    ("Какая компания больше 60 лет делает насосы для кораблей и космодромов?", "ЛГМ"),
    ("Как называется флагманская особая экономическая зона Москвы?",
     "Технополис Москва\nТехнополис"),
    ("Сколько компаний локализовано в ОЭЗ «Технополис Москва»: больше 100, 200 или 300?",
     "200\nбольше 200"),
    ("Сколько компаний ОЭЗ «Технополис Москва» имеют статус резидента?", "124"),
    ("Какая швейная фабрика показала в онлайн-туре полный цикл — от разработки до печати?",
     "Макс Экстрим"),
    ("Во сколько раз выросло число экскурсий в 2023 году по сравнению с 2022-м?",
     "в 1,5 раза\n1,5\nполтора"),
    ("Какая фабрика делает вентиляцию для метро и заводов?", "Галвент"),
    ("Производство чего показывает компания «Смарт Системз»?", "RFID-продукции\nRFID-метки\nRFID"),
    ("Какой комбинат в Москве делает мягкие игрушки?", "Московский комбинат игрушек"),
)  # fmt: skip
WRONG = ("Элтеза", "Микрон", "не знаем", "2018", "Москвич", "300")


@dataclass
class GamesDemo:
    season: GameSeason
    created: bool
    games: int = 0
    teams: int = 0


@dataclass(frozen=True)
class _Plan:
    title: str
    days: int  # from today
    league: str = League.ADULTS
    format: str = GameFormat.OFFLINE
    tie_break: str = TieBreak.LAST_ROUND
    rounds: int = 5
    capacity: int = 40
    partner: str = ""


def _people(count: int):
    """The tourism demo's guests (made here if that demo was not loaded)."""
    User = get_user_model()
    users = []
    for n in range(1, count + 1):
        first = DEMO_FIRST_NAMES[(n - 1) % len(DEMO_FIRST_NAMES)]
        user, created = User.objects.get_or_create(
            email=DEMO_GUEST_EMAIL.format(n=n),
            defaults={
                "first_name": first,
                "last_name": demo_surname(first, DEMO_SURNAMES[(n * 7) % len(DEMO_SURNAMES)]),
                "role": Role.VISITOR,
                "email_confirmed_at": clock.now(),
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users.append(user)
    return users


def _game(season: GameSeason, plan: _Plan, *, site=None, venue: str = "") -> Game:
    today = clock.today()
    starts_at = clock.start_of_day(today + dt.timedelta(days=plan.days)) + dt.timedelta(hours=19)
    if plan.days == 0:  # running now: started an hour ago
        starts_at = clock.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=1)
    game = Game.objects.create(
        season=season,
        title=plan.title,
        theme="Московская промышленность",
        description=f"Командная интеллектуальная игра о заводах и технологиях Москвы.\n\n"
        f"{DEMO_NOTE}",
        partner=plan.partner,
        starts_at=starts_at,
        site=site,
        venue=venue,
        format=plan.format,
        league=plan.league,
        team_min=2,
        team_max=6,
        capacity=plan.capacity,
        registration_opens_at=starts_at - dt.timedelta(days=21),
        registration_closes_at=starts_at - dt.timedelta(hours=2 if plan.days else 0, minutes=1),
        tie_break=plan.tie_break,
        status=GameStatus.PUBLISHED,
    )
    Round.objects.bulk_create(
        Round(
            game=game,
            number=n,
            title="Ставка на уверенность" if n == plan.rounds else f"Тур {n}",
            questions=8 if plan.format != GameFormat.ONLINE or plan.days else 4,
            confidence=n == plan.rounds,
        )
        for n in range(1, plan.rounds + 1)
    )
    return game


def _teams(game: Game, picks, captains, rng: random.Random) -> list[Team]:
    """Registered teams with rosters of 3–6 (the captain first, known by the account)."""
    teams = []
    members = []
    for (name, organisation), captain in zip(picks, captains, strict=True):
        team = Team(game=game, captain=captain, name=name, organisation=organisation)
        team.save()  # save() fills name_key
        teams.append(team)
        family = DEMO_SURNAMES[rng.randrange(len(DEMO_SURNAMES))]
        roster = [f"{captain.last_name} {captain.first_name}"]
        for _ in range(rng.randint(2, 5)):
            first = rng.choice(DEMO_FIRST_NAMES)
            last = (
                family if rng.random() < 0.2 else rng.choice(DEMO_SURNAMES)
            )  # sometimes a family team
            roster.append(f"{demo_surname(first, last)} {first}")
        members.extend(
            TeamMember(team=team, position=i, full_name=full_name, user=captain if i == 0 else None)
            for i, full_name in enumerate(roster)
        )
    TeamMember.objects.bulk_create(members)
    Game.objects.filter(pk=game.pk).update(taken=len(teams))
    game.taken = len(teams)
    return teams


def _scores(game: Game, teams: list[Team], rng: random.Random, *, by) -> None:
    """Points per round by each team's strength; two teams tie exactly (a shared place);
    then the results are published."""
    rounds = list(game.rounds.order_by("number"))
    grid: dict[int, list[int]] = {}
    for rank, team in enumerate(teams):
        strength = 0.85 - 0.5 * rank / len(teams)
        row = []
        for round_ in rounds:
            right = sum(rng.random() < strength for _ in range(round_.questions))
            if round_.confidence:  # staked on the surest half of the answers
                row.append(min(right, round_.questions // 2) * 2 - (round_.questions - right) // 3)
            else:
                row.append(right * round_.points_per_question)
        grid[team.pk] = row
    grid[teams[4].pk] = list(grid[teams[3].pk])  # the 4th and 5th strongest share a place
    Score.objects.bulk_create(
        Score(team_id=team_id, round=round_, points=points)
        for team_id, row in grid.items()
        for round_, points in zip(rounds, row, strict=True)
    )
    at = game.starts_at + dt.timedelta(hours=2)
    ScoreChange.objects.bulk_create(
        ScoreChange(team_id=team_id, round=round_, points=points, changed_by=by, changed_at=at)
        for team_id, row in grid.items()
        for round_, points in zip(rounds, row, strict=True)
    )
    game.results_published_at = game.starts_at + dt.timedelta(hours=3)
    game.save(update_fields=["results_published_at", "updated_at"])


def _online(game: Game, teams: list[Team], rng: random.Random, *, visitor) -> None:
    """Questions: round 1 closed and answered, round 2 open for two days, round 3 opens
    tomorrow. One near miss and one appeal wait in the review queue; the demo visitor's team
    has one wrong answer left to appeal."""
    start = game.starts_at
    windows = {
        1: (start, start + dt.timedelta(minutes=30)),
        2: (start, start + dt.timedelta(days=2)),
        3: (start + dt.timedelta(days=1), start + dt.timedelta(days=3)),
    }
    questions = []
    for round_ in game.rounds.order_by("number"):
        opens, closes = windows[round_.number]
        for n in range(1, round_.questions + 1):
            text, accepted = QUESTIONS[(round_.number - 1) * 4 + n - 1]
            questions.append(
                Question(round=round_, number=n, text=text, accepted=accepted, opens_at=opens,
                         closes_at=closes)
            )  # fmt: skip
    Question.objects.bulk_create(questions)
    answers = []
    mine = [t for t in teams if visitor is not None and t.captain_id == visitor.pk]
    others = [t for t in teams if t not in mine]
    for rank, team in enumerate(others):
        for question in questions[:4]:
            if rng.random() < 0.8 - 0.05 * rank:
                text = question.accepted_variants[0]
            else:
                text = rng.choice(WRONG)
            answers.append(Answer(team=team, question=question, text=text,
                                  status=answer_check(question, text)))  # fmt: skip
    near, appealed = answers[0], answers[6]  # team 1's answer to «С какого года…»
    near.text, near.status = "Трансмаж", answer_check(questions[0], "Трансмаж")
    appealed.text, appealed.status = "2018", AnswerStatus.REVIEW
    appealed.appealed, appealed.appeal_note = True, "Первая игра прошла в декабре 2018 года."
    for team in mine:
        answers += [
            Answer(team=team, question=questions[0], text="Трансмаш", status=AnswerStatus.CORRECT),
            Answer(team=team, question=questions[1], text="процессоры", status=AnswerStatus.WRONG),
        ]
    Answer.objects.bulk_create(answers)


@transaction.atomic
def games_demo_load(*, seed: int = 2026) -> GamesDemo:
    """The demo season with its games, teams, rosters, scores and answers (idempotent)."""
    existing = GameSeason.objects.filter(name=SEASON_NAME).first()
    if existing is not None:
        return GamesDemo(season=existing, created=False)
    rng = random.Random(seed)  # noqa: S311 — demo data, not security
    season = GameSeason.objects.create(
        name=SEASON_NAME, year=2026, place_points=PLACE_POINTS, skipped_rule=SkippedGames.ZERO
    )
    result = GamesDemo(season=season, created=True)
    User = get_user_model()
    visitor = User.objects.filter(email=DEMO_VISITOR).first()
    organiser = User.objects.filter(email=DEMO_ORGANISER).first()
    people = _people(len(ADULT_TEAMS) + len(SCHOOL_TEAMS))
    adults = list(zip(ADULT_TEAMS, people[: len(ADULT_TEAMS)], strict=True))
    schools = list(zip(SCHOOL_TEAMS, people[len(ADULT_TEAMS) :], strict=True))
    site = (
        ProductionSite.objects.filter(enterprise__inn=demo_inn(MIKRON))
        .select_related("enterprise")
        .order_by("pk")
        .first()
    )

    def play(game: Game, picks: list) -> list[Team]:
        rng.shuffle(picks)
        teams = _teams(game, [p for p, _ in picks], [c for _, c in picks], rng)
        result.games += 1
        result.teams += len(teams)
        return teams

    technopolis = _game(
        season,
        _Plan("Квиз «Промышленная Москва»", -63, partner="Лига городских квизов"),
        venue="Технополис «Москва»",
    )
    teams = play(technopolis, adults[:12])
    _scores(technopolis, teams, rng, by=organiser)
    Penalty.objects.create(
        team=teams[7],
        points=5,
        reason="Телефон в руках во время тура",
        created_by=organiser,
        created_at=technopolis.starts_at + dt.timedelta(minutes=70),
    )

    plant = _game(
        season,
        _Plan("Игра «Как рождается микросхема»", -35, tie_break=TieBreak.BEST_ROUND, capacity=12),
        site=site,
        venue="" if site else "Зеленоград",
    )
    _scores(plant, play(plant, adults[2:12]), rng, by=organiser)

    school = _game(
        season,
        _Plan("Школьная лига: онлайн-игра «Инженеры будущего»", -21, league=League.SCHOOLS,
              format=GameFormat.ONLINE, rounds=4),
    )  # fmt: skip
    _scores(school, play(school, schools), rng, by=organiser)

    online = _game(
        season, _Plan("Онлайн-игра «Заводы в цифрах»", 0, format=GameFormat.ONLINE, rounds=3)
    )
    picks = adults[:7]
    if visitor is not None:
        picks.append((("Любознательные", ""), visitor))
    teams = play(online, picks)
    _online(online, teams, rng, visitor=visitor)

    upcoming = _game(
        season, _Plan("Квиз «Как устроен город»", 12, capacity=6), venue="Технополис «Москва»"
    )
    play(upcoming, adults[7:12])
    return result
