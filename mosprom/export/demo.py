"""Demo data for export support, after the second press release.

The «Моспром» centre organised 11 business missions abroad in a half-year and brought Moscow
companies to two large international fairs; seven of them showed their products on the city's
joint stand at the China International Industry Fair (CIIF) in Shanghai, among them
«Корпорация «Воздух»» (its director's quote is the seed's) and the three SEZ companies the
release describes. The demo puts all of that into the last complete calendar half-year before
today (``demo_half_year``), with outcome reports: meetings, agreements, a few contracts in
yuan and roubles (the CIIF's yuan rate is set for the event). The last mission's participants
have not reported yet, so the organisers' reminder has someone to remind.

Ahead: the Canton Fair with an open call (weighted criteria, required documents), where the
demo host's «Микрон» has a draft application, and the vote on next year's fairs with some
votes cast. Dates, counterparts, sums and every other detail are invented and say so.

Rows are written directly (as ``games.demo`` does), so loading sends no mail; ``taken`` and
the ballots' ``used`` are kept as the services keep them. Idempotent: keyed by the CIIF
event's title. Needs the registry demo and the demo accounts (``manage.py demo_data``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from mosprom.core import clock
from mosprom.export.models import (
    Application,
    ApplicationStatus,
    ApplicationTransition,
    Call,
    Contract,
    Criterion,
    CriterionScore,
    EventKind,
    EventRate,
    ExportEvent,
    FairCandidate,
    FairVote,
    Meeting,
    MeetingResult,
    OutcomeReport,
    VoteBallot,
    VoteRound,
)
from mosprom.registry.demo import demo_inn
from mosprom.registry.models import Enterprise, Industry, Product

S = ApplicationStatus
DEMO_NOTE = "Демонстрационные данные: даты, условия, партнёры и итоги условные."
DEMO_ORGANISER = "organiser@demo.mosprom.local"
DEMO_HOST = "host@demo.mosprom.local"
MIKRON = 3  # registry.demo.SEED_ENTERPRISES numbers
VOZDUKH = 10
CNY_RATE = Decimal("12.3500")

CITY_COVERS = {
    EventKind.EXHIBITION: (
        "Аренда площади и застройка коллективного стенда Москвы, каталог участников, "
        "переводчики на стенде, подбор партнёров и расписание B2B-встреч."
    ),
    EventKind.MISSION: (
        "Программа деловых встреч с подобранными партнёрами, площадка для переговоров, "
        "переводчики и трансфер на встречи."
    ),
}
COMPANY_PAYS = "Проезд и проживание своих представителей, доставка образцов продукции."

# The seven companies on the CIIF stand: (enterprise number, meetings, agreements,
# contracts as (counterpart, value, currency), expected export in roubles).
CIIF = (
    (VOZDUKH, 14, 3, (("Shanghai Clean Air Engineering (демо)", 4_800_000, "CNY"),), 120_000_000),
    (11, 11, 2, (("Jiangsu Filtration Systems (демо)", 1_250_000, "CNY"),), 40_000_000),
    (12, 9, 2, (("ООО «Синь Энерджи Рус» (демо)", 18_500_000, "RUB"),), 35_000_000),
    (13, 8, 1, (), 15_000_000),
    (MIKRON, 12, 2, (("Suzhou Smart Card (демо)", 2_100_000, "CNY"),), 60_000_000),
    (1, 6, 1, (), 10_000_000),
    (9, 7, 1, (("Ningbo Marine Pumps (демо)", 9_800_000, "RUB"),), 25_000_000),
)  # fmt: skip
CIIF_QUOTE = (
    "Корпорация «Воздух» специализируется на выпуске газоочистного оборудования для объектов "
    "водоканалов и различных отраслей промышленности. Мы выражаем благодарность центру "
    "поддержки экспорта «Моспром» за помощь в участии нашей компании в выставке China "
    "International Industry Fair в Шанхае. Благодаря правительству Москвы мы смогли "
    "продемонстрировать наши решения для очистки воздуха на промышленных объектах."
)
CIIF_QUOTE_AUTHOR = "Александр Бондарь, генеральный директор корпорации «Воздух»"
# The second fair: (enterprise number, meetings, agreements), no contracts yet.
INNOPROM = ((2, 10, 2), (6, 8, 1), (5, 6, 1), (7, 9, 2))
# Missions: (country, city, month of the half-year 0–5, day, ((enterprise, meetings,
# agreements), …)); the last one has no reports yet.
MISSIONS = (
    ("ОАЭ", "Дубай", 0, 22, ((10, 7, 1), (11, 6, 0), (12, 5, 1))),
    ("Индия", "Мумбаи", 1, 5, ((9, 8, 1), (1, 6, 1), (13, 4, 0))),
    ("Узбекистан", "Самарканд", 1, 19, ((5, 9, 2), (4, 5, 1), (8, 4, 0))),
    ("Вьетнам", "Ханой", 2, 4, ((7, 7, 1), (3, 6, 1), (6, 5, 0))),
    ("Казахстан", "Алматы", 2, 18, ((2, 8, 2), (1, 5, 1), (6, 6, 1))),
    ("Египет", "Каир", 3, 2, ((10, 6, 1), (9, 5, 0))),
    ("Индонезия", "Джакарта", 3, 16, ((3, 5, 0), (7, 6, 1))),
    ("Саудовская Аравия", "Эр-Рияд", 4, 6, ((12, 6, 1), (11, 4, 0))),
    ("Турция", "Стамбул", 4, 20, ((8, 7, 1), (4, 6, 1))),
    ("Беларусь", "Минск", 5, 3, ((2, 9, 2), (5, 8, 1))),
    ("Монголия", "Улан-Батор", 5, 17, ((6, None, None), (13, None, None))),
)  # fmt: skip
CANDIDATES = (
    ("China International Industry Fair (CIIF)", "Китай", "Шанхай", "сентябрь"),
    ("Canton Fair (China Import and Export Fair)", "Китай", "Гуанчжоу", "апрель, октябрь"),
    ("Иннопром. Центральная Азия", "Узбекистан", "Ташкент", "апрель"),
    ("Big 5 Global", "ОАЭ", "Дубай", "ноябрь"),
    ("IMTEX", "Индия", "Бангалор", "январь"),
)
# (enterprise number, indexes of the candidates it voted for)
VOTES = ((10, (0, 1, 4)), (11, (0, 3)), (12, (0, 1)), (3, (0, 2)), (9, (2, 4, 1)), (1, (2,)))
HISTORY = (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED, S.CONFIRMED, S.PARTICIPATED)


@dataclass
class ExportDemo:
    created: bool
    events: int = 0
    applications: int = 0
    reports: int = 0
    note: str = ""


def demo_half_year(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last complete calendar half-year before ``today``: the demo's reporting period."""
    if today.month <= 6:
        return dt.date(today.year - 1, 7, 1), dt.date(today.year - 1, 12, 31)
    return dt.date(today.year, 1, 1), dt.date(today.year, 6, 30)


def ciif_title(start: dt.date) -> str:
    return f"CIIF {start.year}: коллективный стенд Москвы"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return min(clock.start_of_day(day) + dt.timedelta(hours=hour), clock.now())


class _Loader:
    def __init__(self, organiser, host, enterprises: dict[int, Enterprise]) -> None:
        self.organiser, self.host, self.enterprises = organiser, host, enterprises
        self.result = ExportDemo(created=True)

    def event(self, kind: str, title: str, starts_on: dt.date, days: int, **fields) -> ExportEvent:
        fields.setdefault("description", "")
        fields["description"] = f"{fields['description']}\n\n{DEMO_NOTE}".strip()
        industries = fields.pop("industries", ())
        event = ExportEvent.objects.create(
            kind=kind,
            title=title,
            starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=days - 1),
            city_covers=CITY_COVERS[kind],
            company_pays=COMPANY_PAYS,
            is_published=True,
            **fields,
        )
        event.industries.set(Industry.objects.filter(code__in=industries))
        self.result.events += 1
        return event

    def apply(self, event: ExportEvent, number: int, status: str, *, by=None) -> Application:
        """An application with its products and its history up to ``status``."""
        enterprise = self.enterprises[number]
        products = list(enterprise.products.all())
        if not products:  # a registry without the seed's products: give it one
            products = [Product.objects.create(enterprise=enterprise, name=enterprise.short_name)]
        author = by or self.organiser
        submitted = _at(event.starts_on - dt.timedelta(days=45))
        application = Application.objects.create(
            event=event,
            enterprise=enterprise,
            created_by=author,
            status=status,
            export_experience="Поставки в страны СНГ; сертификаты EAC. (демо)",
            target_markets=f"{event.country}, страны региона",
            contact_name=f"Отдел ВЭД «{enterprise.short_name}»",
            contact_email=f"export.{number}@demo.mosprom.local",
            submitted_at=None if status == S.DRAFT else submitted,
        )
        application.products.set(products[:2])
        path = list(HISTORY[: HISTORY.index(status) + 1]) if status in HISTORY else []
        if status in (S.REJECTED, S.WITHDRAWN):
            path = [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, status]
        ApplicationTransition.objects.bulk_create(
            ApplicationTransition(
                application=application,
                from_status=source,
                to_status=target,
                actor=author if target in (S.SUBMITTED, S.CONFIRMED) else self.organiser,
                at=submitted + dt.timedelta(days=3 * n),
            )
            for n, (source, target) in enumerate(itertools.pairwise(path))
        )
        self.result.applications += 1
        return application

    def participants(self, event: ExportEvent, rows) -> list[Application]:
        """Participants with their reports: rows of (number, meetings, agreements, contracts,
        expected export); meetings None — not reported yet."""
        made = []
        for number, meetings, agreements, contracts, expected in rows:
            application = self.apply(event, number, S.PARTICIPATED)
            made.append(application)
            if meetings is None:
                continue
            report = OutcomeReport.objects.create(
                application=application,
                meetings_held=meetings,
                agreements=agreements,
                expected_export_rub=Decimal(expected),
                quote=CIIF_QUOTE if number == VOZDUKH and event.show_chinese else "",
                quote_author=CIIF_QUOTE_AUTHOR if number == VOZDUKH and event.show_chinese else "",
                submitted_by=self.organiser,
                submitted_at=_at(event.ends_on + dt.timedelta(days=10)),
            )
            Contract.objects.bulk_create(
                Contract(report=report, counterpart=who, country=event.country,
                         value=Decimal(value), currency=currency,
                         signed_on=min(event.ends_on + dt.timedelta(days=20), clock.today()))
                for who, value, currency in contracts
            )  # fmt: skip
            self.result.reports += 1
        ExportEvent.objects.filter(pk=event.pk).update(taken=len(made))
        return made


def _day(start: dt.date, month: int, day: int) -> dt.date:
    return start.replace(month=start.month + month, day=day)


def _past(load: _Loader, start: dt.date) -> None:
    ciif = load.event(
        EventKind.EXHIBITION,
        ciif_title(start),
        _day(start, 4, 12),
        5,
        title_en=f"CIIF {start.year}: Moscow joint stand",
        title_zh=f"{start.year}年中国国际工业博览会：莫斯科联合展台",
        description="Коллективный стенд Москвы на China International Industry Fair в Шанхае: "
        "промышленное оборудование, экологичные технологии, электроника.",
        description_en="The Moscow joint stand at the China International Industry Fair.",
        description_zh="莫斯科联合展台：工业设备、环保技术、电子产品。",
        show_chinese=True,
        country="Китай",
        city="Шанхай",
        places=7,
        industries=("26", "27", "28"),
    )
    EventRate.objects.create(event=ciif, currency="CNY", rub_per_unit=CNY_RATE)
    load.participants(ciif, CIIF)
    load.apply(ciif, 8, S.REJECTED)
    load.apply(ciif, 5, S.WITHDRAWN)
    vozdukh = Application.objects.get(event=ciif, enterprise=load.enterprises[VOZDUKH])
    day = clock.start_of_day(ciif.starts_on)
    Meeting.objects.bulk_create(
        Meeting(application=vozdukh, counterpart=who, country="Китай", result=result,
                starts_at=day + dt.timedelta(days=n, hours=11 + n))
        for n, (who, result) in enumerate((
            ("Shanghai Clean Air Engineering (демо)", MeetingResult.CONTRACT),
            ("Zhejiang Water Group (демо)", MeetingResult.AGREEMENT),
            ("Guangdong Eco Tech (демо)", MeetingResult.HELD),
        ))
    )  # fmt: skip

    innoprom = load.event(
        EventKind.EXHIBITION,
        f"Иннопром. Центральная Азия {start.year}: стенд Москвы",
        _day(start, 3, 23),
        3,
        title_en=f"Innoprom. Central Asia {start.year}: Moscow stand",
        country="Узбекистан",
        city="Ташкент",
        places=6,
        industries=("10", "26", "28", "30"),
    )
    load.participants(innoprom, [(n, m, a, (), 5_000_000 * a) for n, m, a in INNOPROM])

    for country, city, month, day_of_month, rows in MISSIONS:
        mission = load.event(
            EventKind.MISSION,
            f"Бизнес-миссия московских промышленников: {country}",
            _day(start, month, day_of_month),
            4,
            title_en=f"Moscow industry business mission: {city}",
            description=f"Деловые встречи с покупателями и дистрибьюторами, {city}.",
            country=country,
            city=city,
            places=8,
        )
        load.participants(
            mission,
            [(n, m, a, (), None if m is None else 2_000_000 * (a or 1)) for n, m, a in rows],
        )


def _upcoming(load: _Loader, today: dt.date) -> None:
    canton = load.event(
        EventKind.EXHIBITION,
        "Canton Fair: коллективный стенд Москвы",
        today + dt.timedelta(days=150),
        5,
        title_en="Canton Fair: Moscow joint stand",
        description="Китайская ярмарка импорта и экспорта в Гуанчжоу: стенд Москвы для "
        "производителей электроники, оборудования и товаров для дома.",
        country="Китай",
        city="Гуанчжоу",
        places=8,
        industries=("26", "28", "32"),
    )
    call = Call.objects.create(
        event=canton,
        opens_at=clock.now() - dt.timedelta(days=10),
        closes_at=clock.start_of_day(today + dt.timedelta(days=21)),
        required_documents="Презентация компании\nКаталог продукции на английском языке\n"
        "Сертификаты соответствия продукции",
    )
    criteria = Criterion.objects.bulk_create(
        Criterion(call=call, name=name, weight=weight, position=n)
        for n, (name, weight) in enumerate(
            (("Опыт экспорта", 30), ("Готовность продукции к экспорту", 40),
             ("Соответствие целевому рынку", 30)), start=1
        )
    )  # fmt: skip
    load.apply(canton, MIKRON, S.DRAFT, by=load.host)
    reviewed = load.apply(canton, VOZDUKH, S.IN_REVIEW)
    CriterionScore.objects.bulk_create(
        CriterionScore(application=reviewed, criterion=c, score=s, scored_by=load.organiser)
        for c, s in zip(criteria, (8, 9, 7), strict=True)
    )
    load.apply(canton, 11, S.SUBMITTED)

    vote = VoteRound.objects.create(
        year=today.year + 1,
        votes_per_enterprise=3,
        opens_at=clock.now() - dt.timedelta(days=5),
        closes_at=clock.start_of_day(today + dt.timedelta(days=25)),
    )
    candidates = FairCandidate.objects.bulk_create(
        FairCandidate(round=vote, title=title, country=country, city=city, dates=dates,
                      description=DEMO_NOTE)
        for title, country, city, dates in CANDIDATES
    )  # fmt: skip
    for number, picks in VOTES:
        enterprise = load.enterprises[number]
        VoteBallot.objects.create(round=vote, enterprise=enterprise, allowed=3, used=len(picks))
        voter = load.host if number == MIKRON else None
        FairVote.objects.bulk_create(
            FairVote(candidate=candidates[i], enterprise=enterprise, voter=voter) for i in picks
        )


@transaction.atomic
def export_demo_load() -> ExportDemo:
    """The half-year of missions and fairs with outcomes, the open call and the vote
    (idempotent: a second run changes nothing)."""
    today = clock.today()
    start, _end = demo_half_year(today)
    if ExportEvent.objects.filter(title=ciif_title(start)).exists():
        return ExportDemo(created=False, note="already loaded")
    User = get_user_model()
    organiser = User.objects.filter(email=DEMO_ORGANISER).first()
    host = User.objects.filter(email=DEMO_HOST).first()
    numbers = {n: demo_inn(n) for n in range(1, 14)}
    by_inn = {e.inn: e for e in Enterprise.objects.filter(inn__in=numbers.values())}
    if organiser is None or len(by_inn) < len(numbers):
        return ExportDemo(created=False, note="the demo accounts or enterprises are missing")
    enterprises = {n: by_inn[inn] for n, inn in numbers.items()}
    load = _Loader(organiser, host or organiser, enterprises)
    _past(load, start)
    _upcoming(load, today)
    return load.result
