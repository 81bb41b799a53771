"""Demo data for online tours and the programme's audience, after the first press release.

«За прошедший год в соцсетях и на сайте проекта вышло 20 видеороликов»: twenty online tours
published in 2023 across the registry demo's enterprises, three of them the ones the release
names — the RFID products of «Смарт Системз», the full cycle of the sewing factory «Макс
Экстрим» (from design to printing on fabric) and «ЛГМ», which has made pumps for ships,
cosmodromes and nuclear plants for over 60 years. Each is published on RUTUBE and VK Видео
with made-up but well-formed video ids, has plays on our site and view counts per quarter of
2023 as the platforms would report them.

«Аудитория выросла почти до 15 миллионов человек»: reach typed per channel and year since the
programme began (2018) is chosen so that, with the counted online views, the all-time audience
(``media.audience``) comes to about 14.8 million; the tourism and games demos add their
participants (a few hundred people).

«Наград … уже восемь»: the four the release names (the programme's wins in «Образование и
наука» of «Лучшие социальные проекты России», «Регион-наставник по промышленному туризму» of
the ASI's «Открытая промышленность», «Промышленный маршрут» of the people's award «Маршрут
построен» 2023, third place in «Лучшая промышленная экскурсия» of bema! 2023; the years of the
first two are not in the release and are assumed) and four illustrative ones, marked «(демо)»
in their names, with an invented awarding body.

Rows are written directly (as the other demos do), so nothing is audited. Deterministic (a
fixed random seed) and idempotent: tours are keyed by enterprise and title, publications by
tour and platform, counts by tour, platform and period, reach by channel and period, awards by
name and year, plays by the database's own uniqueness; a second run adds nothing and leaves
what organisers changed alone. Needs the registry demo (loaded here when missing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from mosprom.core.periods import ALL_TIME, Period
from mosprom.media.audience import audience
from mosprom.media.embeds import parse_video_url
from mosprom.media.models import (
    Award,
    CountSource,
    OnlineTour,
    Platform,
    PlatformViews,
    Publication,
    Reach,
    ReachChannel,
    SitePlay,
)
from mosprom.media.plays import visitor_hash
from mosprom.registry.demo import demo_inn, registry_demo_load
from mosprom.registry.models import Enterprise
from mosprom.tourism.models import Experience, ExperienceKind

YEAR = 2023
DEMO_ORGANISER = "organiser@demo.mosprom.local"
DEMO_NOTE = "Демонстрационная запись: ссылки на ролики и число просмотров условные."
REACH_NOTE = "Демо-данные: условная оценка охвата канала за год."
ILLUSTRATIVE_BODY = "Условный организатор (демонстрационная запись)"
# The audience «за всё время»: every record fits inside (parse_period's whole range).
VK_OWNER = -218_047_311  # a made-up community id for the demo's VK videos


@dataclass(frozen=True)
class DemoTour:
    enterprise: int  # registry.demo.SEED_ENTERPRISES number
    title: str
    about: str
    published_on: dt.date
    minutes: int
    host_name: str = ""
    named: bool = False  # named in the press release: more views


TOURS = (
    DemoTour(1, "«Элтеза»: как управляют безопасностью движения поездов",
             "Централизация стрелок и сигналов, автоблокировка и контроль рельсовых цепей — "
             "от сборки шкафов до испытаний.", dt.date(2023, 1, 24), 18),
    DemoTour(7, "RFID-метки: цеха «Смарт Системз»",
             "Как делают радиочастотные метки, браслеты и карты: от антенны и чипа до "
             "проверки готовой метки.", dt.date(2023, 2, 14), 22,
             "Экскурсовод проекта «Открой#Моспром»", named=True),
    DemoTour(2, "Тормоза для метро: завод «Трансмаш»",
             "Где собирают тормозные системы для вагонов метро и междугородних поездов.",
             dt.date(2023, 2, 28), 16),
    DemoTour(8, "Швейная фабрика «Макс Экстрим»: полный цикл",
             "От разработки модели и лекал до пошива и печати изображений на ткани — весь "
             "цикл производства одежды на одной фабрике.", dt.date(2023, 3, 21), 25,
             "Экскурсовод проекта «Открой#Моспром»", named=True),
    DemoTour(3, "«Микрон»: чип-модули для банковских карт",
             "Чистые помещения, кремниевые пластины и чип-модули для карт и транспортных "
             "билетов.", dt.date(2023, 4, 4), 20),
    DemoTour(9, "«ЛГМ»: насосы для кораблей, космодромов и атомных станций",
             "Более 60 лет компания производит насосное оборудование; в ролике — литьё, "
             "механическая обработка и испытания насосов.", dt.date(2023, 4, 18), 24,
             "Экскурсовод проекта «Открой#Моспром»", named=True),
    DemoTour(4, "Московский комбинат игрушек: как шьют мягкую игрушку",
             "Выкройки, пошив и набивка — и мастер-класс, который можно повторить дома.",
             dt.date(2023, 5, 16), 15),
    DemoTour(5, "Останкинский мясоперерабатывающий завод: от сырья до колбасы",
             "Как готовят варёные колбасы, сосиски и ветчину и как их проверяет лаборатория.",
             dt.date(2023, 5, 30), 19),
    DemoTour(6, "«Галвент»: вентиляторы и воздуховоды",
             "Раскрой металла, сварка и сборка вентиляционного оборудования.",
             dt.date(2023, 6, 13), 14),
    DemoTour(10, "Корпорация «Воздух»: газоочистное оборудование",
             "Установки очистки воздуха для водоканалов и промышленных объектов.",
             dt.date(2023, 6, 27), 17),
    DemoTour(13, "«Монокристалл Сенсор»: датчики для высоких температур",
             "Как из промышленных монокристаллов делают элементы датчиков вибрации и давления.",
             dt.date(2023, 7, 11), 13),
    DemoTour(11, "«Вертикаль Эйр»: фильтрующие комплексы",
             "Сборка вертикальных установок для очистки воздуха на производствах.",
             dt.date(2023, 7, 25), 12),
    DemoTour(12, "«Автоном Пожзащита»: пожаротушение для электротранспорта",
             "Как устроено и испытывается автономное устройство пожаротушения.",
             dt.date(2023, 8, 8), 14),
    DemoTour(3, "«Микрон»: микросхемы для космических аппаратов",
             "Контроль качества и испытания микросхем, которые летают в космос.",
             dt.date(2023, 8, 22), 21),
    DemoTour(7, "«Смарт Системз»: браслеты и карты с чипом",
             "Печать, ламинирование и программирование карт и браслетов.",
             dt.date(2023, 9, 12), 16),
    DemoTour(1, "«Элтеза»: испытания рельсовых цепей",
             "Испытательный полигон: как проверяют оборудование, прежде чем оно уйдёт на "
             "железную дорогу.", dt.date(2023, 9, 26), 15),
    DemoTour(9, "«ЛГМ»: испытательный стенд насосов",
             "Что происходит с насосом на стенде перед отправкой заказчику.",
             dt.date(2023, 10, 17), 18),
    DemoTour(2, "«Трансмаш»: тормозное оборудование для поездов дальнего следования",
             "Сборка и проверка тормозных приборов для пассажирских вагонов.",
             dt.date(2023, 11, 7), 17),
    DemoTour(8, "«Макс Экстрим»: печать изображений на ткани",
             "Сублимационная печать: от макета до готового рулона ткани.",
             dt.date(2023, 11, 28), 13),
    DemoTour(4, "Комбинат игрушек: развивающие наборы",
             "Как придумывают и собирают развивающие наборы для детей.",
             dt.date(2023, 12, 12), 14),
)  # fmt: skip

# channel → typed reach per year since the programme began, people. With about 1.5 million
# counted online views in 2023 the all-time audience comes to about 14.8 million.
REACH = {
    ReachChannel.SITE_VISITORS: {
        2018: 150_000, 2019: 300_000, 2020: 450_000, 2021: 550_000, 2022: 650_000, 2023: 750_000,
    },
    ReachChannel.SOCIAL: {
        2018: 250_000, 2019: 600_000, 2020: 1_000_000, 2021: 1_300_000, 2022: 1_600_000,
        2023: 1_600_000,
    },
    ReachChannel.MEDIA: {
        2018: 300_000, 2019: 500_000, 2020: 700_000, 2021: 800_000, 2022: 900_000, 2023: 900_000,
    },
}  # fmt: skip


@dataclass(frozen=True)
class DemoAward:
    name: str
    category: str
    year: int
    awarding_body: str
    place: str


AWARDS = (
    DemoAward("Лучшие социальные проекты России", "Образование и наука", 2021,
              "Организаторы программы «Лучшие социальные проекты России»", "Победитель"),
    DemoAward("Открытая промышленность", "Регион-наставник по промышленному туризму", 2022,
              "Агентство стратегических инициатив", "Победитель"),
    DemoAward("Народная премия «Маршрут построен»", "Промышленный маршрут", 2023,
              "Организаторы народной премии «Маршрут построен»", "Победа"),
    DemoAward("bema!", "Лучшая промышленная экскурсия", 2023,
              "Профессиональная премия индустрии событийного маркетинга и интегрированных "
              "коммуникаций bema!", "3 место"),
    DemoAward("Конкурс городских проектов промышленного туризма (демо)",
              "Лучший городской проект", 2019, ILLUSTRATIVE_BODY, "Лауреат"),
    DemoAward("Премия за популяризацию науки и технологий (демо)",
              "Просветительский проект", 2020, ILLUSTRATIVE_BODY, "2 место"),
    DemoAward("Конкурс корпоративных медиа (демо)", "Онлайн-экскурсии", 2021,
              ILLUSTRATIVE_BODY, "Лауреат"),
    DemoAward("Премия в сфере делового туризма (демо)", "Промышленный туризм", 2022,
              ILLUSTRATIVE_BODY, "1 место"),
)  # fmt: skip


@dataclass
class MediaDemo:
    tours: int = 0  # the demo's tours present after loading
    tours_created: int = 0
    publications_created: int = 0
    counts_created: int = 0
    plays_created: int = 0
    reach_created: int = 0
    awards_created: int = 0
    audience: int = 0  # all time, after loading
    missing: tuple[str, ...] = ()  # enterprises the registry demo did not provide


def _quarters_from(day: dt.date) -> list[Period]:
    first = (day.month - 1) // 3 + 1
    return [Period.quarter(day.year, quarter) for quarter in range(first, 5)]


def _rutube_url(position: int) -> str:
    key = hashlib.sha256(f"mosprom-demo-online-tour-{position}".encode()).hexdigest()[:32]
    return f"https://rutube.ru/video/{key}/"


def _vk_url(position: int) -> str:
    return f"https://vkvideo.ru/video{VK_OWNER}_{456_239_100 + position}"


@dataclass(frozen=True)
class _Planned:
    """What the seeded generator decided for one tour, before anything is read or written."""

    counts: list[tuple[str, Period, int]]  # (platform, quarter, views)
    plays: list[tuple[dt.date, str]]  # (day, identity)


def _plan(rng: random.Random) -> list[_Planned]:
    """Views per quarter (the first quarter after publication is the busiest) and site plays,
    for every tour in order: the same numbers on every run."""
    planned = []
    for position, tour in enumerate(TOURS):
        boost = 1.6 if tour.named else 1.0
        counts = []
        for index, quarter in enumerate(_quarters_from(tour.published_on)):
            decay = 0.45**index
            vk = int(rng.randint(21_000, 39_000) * boost * decay)
            rutube = int(rng.randint(10_000, 20_000) * boost * decay)
            counts += [(Platform.VK, quarter, vk), (Platform.RUTUBE, quarter, rutube)]
        days = (dt.date(YEAR, 12, 31) - tour.published_on).days
        plays = [
            (
                tour.published_on + dt.timedelta(days=rng.randint(0, days)),
                f"demo:{position}:{n}",
            )
            for n in range(rng.randint(20, 70))
        ]
        planned.append(_Planned(counts, plays))
    return planned


def _enterprises() -> tuple[dict[int, Enterprise], tuple[str, ...]]:
    numbers = sorted({tour.enterprise for tour in TOURS})
    wanted = {demo_inn(number): number for number in numbers}
    found = Enterprise.objects.filter(inn__in=wanted)
    if found.count() < len(wanted):
        registry_demo_load()  # upserts the named enterprises; a no-op for those present
    by_number = {wanted[e.inn]: e for e in Enterprise.objects.filter(inn__in=wanted)}
    missing = tuple(str(number) for number in numbers if number not in by_number)
    return by_number, missing


def _tour(enterprise: Enterprise, plan: DemoTour) -> tuple[OnlineTour, bool]:
    existing = (
        OnlineTour.objects.select_related("experience")
        .filter(
            experience__enterprise=enterprise,
            experience__kind=ExperienceKind.ONLINE_TOUR,
            experience__title=plan.title,
        )
        .first()
    )
    if existing is not None:
        return existing, False
    experience = Experience.objects.create(
        enterprise=enterprise,
        site=None,
        kind=ExperienceKind.ONLINE_TOUR,
        title=plan.title,
        description=f"{plan.about}\n\n{DEMO_NOTE}",
        duration_minutes=plan.minutes,
        is_published=True,
    )
    tour = OnlineTour.objects.create(
        experience=experience, published_on=plan.published_on, host_name=plan.host_name
    )
    return tour, True


def _publish(tour: OnlineTour, url: str) -> int:
    video = parse_video_url(url)
    taken = Publication.objects.filter(platform=video.platform, video_key=video.key).exists()
    if taken or Publication.objects.filter(tour=tour, platform=video.platform).exists():
        return 0
    Publication.objects.create(tour=tour, platform=video.platform, url=url, video_key=video.key)
    return 1


def _counts(tour: OnlineTour, counts, organiser) -> int:
    made = 0
    for platform, quarter, views in counts:
        stored = PlatformViews.objects.filter(
            tour=tour,
            platform=platform,
            period_start__lte=quarter.end,
            period_end__gte=quarter.start,
        )
        if stored.exists():  # this quarter, or an organiser's overlapping count: keep it
            continue
        PlatformViews.objects.create(
            tour=tour,
            platform=platform,
            period_start=quarter.start,
            period_end=quarter.end,
            views=views,
            source=CountSource.IMPORT,
            entered_by=organiser,
        )
        made += 1
    return made


def _plays(tour: OnlineTour, plays) -> int:
    rows = [
        SitePlay(tour=tour, day=day, visitor=visitor_hash(identity))
        for day, identity in plays
        if day <= dt.date(YEAR, 12, 31)
    ]
    before = SitePlay.objects.filter(tour=tour).count()
    SitePlay.objects.bulk_create(rows, ignore_conflicts=True)
    return SitePlay.objects.filter(tour=tour).count() - before


def _reach(organiser) -> int:
    made = 0
    for channel, years in REACH.items():
        for year, value in years.items():
            period = Period.year(year)
            overlapping = Reach.objects.filter(
                channel=channel, period_start__lte=period.end, period_end__gte=period.start
            )
            if overlapping.exists():
                continue
            Reach.objects.create(
                channel=channel,
                period_start=period.start,
                period_end=period.end,
                value=value,
                note=REACH_NOTE,
                entered_by=organiser,
            )
            made += 1
    return made


def _awards() -> int:
    made = 0
    for award in AWARDS:
        _row, created = Award.objects.get_or_create(
            name=award.name,
            year=award.year,
            defaults={
                "category": award.category,
                "awarding_body": award.awarding_body,
                "place": award.place,
            },
        )
        made += created
    return made


@transaction.atomic
def media_demo_load(*, seed: int = YEAR) -> MediaDemo:
    """Load the demo's online tours with publications, plays and platform counts, the reach
    per channel and the awards; a second run adds nothing."""
    rng = random.Random(seed)  # noqa: S311 — demo data, not security
    planned = _plan(rng)
    enterprises, missing = _enterprises()
    organiser = get_user_model().objects.filter(email=DEMO_ORGANISER).first()
    result = MediaDemo(missing=missing)
    for position, (plan, numbers) in enumerate(zip(TOURS, planned, strict=True)):
        enterprise = enterprises.get(plan.enterprise)
        if enterprise is None:
            continue
        tour, created = _tour(enterprise, plan)
        result.tours += 1
        result.tours_created += created
        result.publications_created += _publish(tour, _rutube_url(position))
        result.publications_created += _publish(tour, _vk_url(position))
        result.counts_created += _counts(tour, numbers.counts, organiser)
        result.plays_created += _plays(tour, numbers.plays)
    result.reach_created = _reach(organiser)
    result.awards_created = _awards()
    result.audience = audience(period=ALL_TIME).total
    return result
