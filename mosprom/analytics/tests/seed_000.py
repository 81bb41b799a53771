"""A dataset built to match seed 000_7be4aa42ee82aba1.txt (the programme's 2023 results).

``build()`` writes, through the models (``bulk_create`` where there are many rows), the 2023
records and the history organisers would import for the years before the platform:

=======================  ==========================  ============================================
figure in the seed       2023 records                imported history
=======================  ==========================  ============================================
1,2K+ tours, ×1,5        1 234 excursion sessions    tours_held 2022: 823 (1234 / 823 = 1,4994)
120+ sites               124 sites hosted sessions   —
500+ master classes, ⅓   503 master-class sessions   master_classes 2019–2022: 150, 210, 280, 366
                                                     (total with 2023: 1 509; 503 / 1 509 = ⅓)
17 games since 2019      3 games                     games_held 2019–2022: 3, 3, 4, 4
~2,6K teams              344 registered teams        teams 2019–2022: 450, 520, 610, 680 (2 604)
17,9K+ people            2 312 team members          players 2019–2022: 3 100, 3 600, 4 200,
                                                     4 700 (17 912)
20 online tours          20 tours published in 2023  —
audience almost 15M      reach 2 997 688 + the 2 312 audience 2019–2022: 1 000 000, 2 500 000,
                         players = 3 000 000         4 000 000, 4 460 000 (total 14 960 000)
8 awards                 awards of 2019–2023: 8      —
=======================  ==========================  ============================================

The generated release is read with the clock after 2023 (``NOW``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from mosprom.accounts.models import User
from mosprom.analytics.models import ImportedValue
from mosprom.core import clock
from mosprom.core.periods import Period
from mosprom.core.validators import inn_complete
from mosprom.games.models import Game, GameStatus, Team, TeamMember, TeamStatus, name_key
from mosprom.media.models import Award, OnlineTour, Reach, ReachChannel
from mosprom.registry.models import Enterprise, ProductionSite
from mosprom.tourism.models import Experience, ExperienceKind, Season, Session

NOW = dt.datetime(2024, 1, 20, 12, tzinfo=dt.UTC)
YEAR = 2023

EXCURSIONS = 1234
MASTER_CLASSES = 503
SITES = 124
GAME_TEAMS = (115, 115, 114)  # 344
# Members per team: 2 312 over 344 teams (6 or 7 each).
PLAYERS = 2312
ONLINE_TOURS = 20
REACH = {ReachChannel.SOCIAL: 2_000_000, ReachChannel.MEDIA: 997_688}
AWARD_YEARS = (2019, 2020, 2021, 2021, 2022, 2022, 2023, 2023)

HISTORY = {
    "tours_held": {2022: 823},
    "master_classes": {2019: 150, 2020: 210, 2021: 280, 2022: 366},
    "games_held": {2019: 3, 2020: 3, 2021: 4, 2022: 4},
    "teams": {2019: 450, 2020: 520, 2021: 610, 2022: 680},
    "players": {2019: 3100, 2020: 3600, 2021: 4200, 2022: 4700},
    "audience": {2019: 1_000_000, 2020: 2_500_000, 2021: 4_000_000, 2022: 4_460_000},
}

_batch = itertools.count(1)


def moscow(day: dt.date, hour: int = 11) -> dt.datetime:
    return clock.start_of_day(day) + dt.timedelta(hours=hour)


def make_enterprises(count: int, *, created_at: dt.datetime, prefix: str = "Завод") -> list:
    """``count`` enterprises with valid INNs of their own series (``78…``)."""
    batch = next(_batch)
    rows = [
        Enterprise(
            short_name=f"{prefix} {batch}-{n}",
            legal_name=f"АО «{prefix} {batch}-{n}»",
            inn=inn_complete(f"78{batch:02d}{n:05d}"),
            okrug="CAO",
            hosts_tours=True,
            created_at=created_at,
        )
        for n in range(count)
    ]
    return Enterprise.objects.bulk_create(rows)


def make_users(count: int) -> list[User]:
    batch = next(_batch)
    rows = [
        User(email=f"seed{batch}-{n}@example.test", password="!", first_name="Игрок")
        for n in range(count)
    ]
    return User.objects.bulk_create(rows)


def import_history(history: dict[str, dict[int, int]]) -> None:
    ImportedValue.objects.bulk_create(
        ImportedValue(
            kpi=kpi,
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            value=Decimal(value),
            note="Отчёт организаторов (seed 000)",
        )
        for kpi, years in history.items()
        for year, value in years.items()
    )


def spread(total: int, over: int) -> list[int]:
    """``total`` split over ``over`` buckets as evenly as possible."""
    base, extra = divmod(total, over)
    return [base + (1 if index < extra else 0) for index in range(over)]


def _tourism() -> None:
    enterprises = make_enterprises(SITES, created_at=moscow(dt.date(2022, 1, 10)))
    sites = ProductionSite.objects.bulk_create(
        ProductionSite(enterprise=e, name="Основная площадка", address="Москва", okrug="CAO")
        for e in enterprises
    )
    excursions = Experience.objects.bulk_create(
        Experience(
            enterprise=site.enterprise,
            site=site,
            kind=ExperienceKind.EXCURSION,
            title=f"Экскурсия: {site.enterprise.short_name}",
        )
        for site in sites
    )
    classes = Experience.objects.bulk_create(
        Experience(
            enterprise=site.enterprise,
            site=site,
            kind=ExperienceKind.MASTER_CLASS,
            title=f"Мастер-класс: {site.enterprise.short_name}",
        )
        for site in sites[:100]
    )
    seasons = Season.objects.bulk_create(
        Season(
            name=f"Открой#Моспром — {month:02d}.{YEAR}",
            starts_on=dt.date(YEAR, month, 1),
            ends_on=dt.date(YEAR, month, 14),
            registration_opens_at=moscow(dt.date(YEAR, month, 1) - dt.timedelta(days=10)),
        )
        for month in range(1, 13)
    )
    sessions = []
    for experiences, total in ((excursions, EXCURSIONS), (classes, MASTER_CLASSES)):
        for index, (experience, count) in enumerate(
            zip(experiences, spread(total, len(experiences)), strict=True)
        ):
            for number in range(count):
                month = (index + number) % 12 + 1
                day = dt.date(YEAR, month, 1 + (index + 3 * number) % 14)
                starts = moscow(day, 10 + number % 8)
                sessions.append(
                    Session(
                        experience=experience,
                        season=seasons[month - 1],
                        starts_at=starts,
                        ends_at=starts + dt.timedelta(minutes=90),
                        capacity=20,
                    )
                )
    Session.objects.bulk_create(sessions, batch_size=500)


def _games() -> None:
    captains = make_users(max(GAME_TEAMS))
    members_per_team = spread(PLAYERS, sum(GAME_TEAMS))
    teams, sizes = [], iter(members_per_team)
    for number, count in enumerate(GAME_TEAMS, start=1):
        starts = moscow(dt.date(YEAR, 3 * number, 15), 19)
        game = Game.objects.create(
            title=f"Квиз «Открой#Моспром» №{number}",
            starts_at=starts,
            venue="Технополис «Москва»",
            capacity=120,
            registration_opens_at=starts - dt.timedelta(days=30),
            registration_closes_at=starts - dt.timedelta(days=1),
            status=GameStatus.PUBLISHED,
            results_published_at=starts + dt.timedelta(hours=3),
        )
        for index in range(count):
            name = f"Команда {number}-{index}"
            teams.append(
                Team(
                    game=game,
                    captain=captains[index],
                    name=name,
                    name_key=name_key(name),
                    status=TeamStatus.REGISTERED,
                )
            )
        Game.objects.filter(pk=game.pk).update(taken=count)
    teams = Team.objects.bulk_create(teams)
    TeamMember.objects.bulk_create(
        (
            TeamMember(team=team, position=position, full_name=f"Игрок {position + 1}")
            for team, size in zip(teams, sizes, strict=True)
            for position in range(size)
        ),
        batch_size=1000,
    )


def _media() -> None:
    enterprises = Enterprise.objects.order_by("pk")[:ONLINE_TOURS]
    experiences = Experience.objects.bulk_create(
        Experience(
            enterprise=enterprise,
            kind=ExperienceKind.ONLINE_TOUR,
            title=f"Онлайн-экскурсия: {enterprise.short_name}",
            duration_minutes=15,
        )
        for enterprise in enterprises
    )
    OnlineTour.objects.bulk_create(
        OnlineTour(experience=experience, published_on=dt.date(YEAR, 1 + index % 12, 15))
        for index, experience in enumerate(experiences)
    )
    year = Period.year(YEAR)
    Reach.objects.bulk_create(
        Reach(channel=channel, period_start=year.start, period_end=year.end, value=value)
        for channel, value in REACH.items()
    )
    Award.objects.bulk_create(
        Award(
            name=f"Премия {index + 1}",
            year=year_of_award,
            awarding_body="Жюри премии",
            place="1 место",
        )
        for index, year_of_award in enumerate(AWARD_YEARS)
    )


def build() -> None:
    """The 2023 records and the imported history of seed 000 (see the module docstring)."""
    with clock.frozen(NOW):
        _tourism()
        _games()
        _media()
        import_history(HISTORY)
