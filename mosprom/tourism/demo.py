"""Demo data for tourism: a current season of open days across the seed enterprises.

The experiences are the ones the press releases name — the toy factory's master class (7+),
Микрон's excursion (14+, passport required: a secure plant), Трансмаш, Элтеза, the meat plant's
tasting and a lecture at «Галвент». Sessions run from yesterday to two weeks ahead; some are
nearly full, one is full with a waitlist, yesterday's has check-ins, a no-show and feedback.

The bookings belong to demo guests (``guest01@demo.mosprom.local``…, no password; they cannot
log in) and, when the demo accounts exist, to the demo visitor. They are written directly, not
through ``booking_create``, so that loading the demo sends no mail and schedules no reminders;
the counters are kept exactly as the services keep them: ``Session.taken`` = places booked
(there are no open offers), ``SeasonAllowance.taken`` = the person's places in the season.

Idempotent: the season is keyed by its name («Открой#Моспром — осень 2026»); when it exists,
a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from mosprom.accounts.models import Role
from mosprom.core import clock
from mosprom.registry.demo import demo_inn
from mosprom.registry.models import Enterprise
from mosprom.tourism.models import (
    Booking,
    Experience,
    ExperienceKind,
    Feedback,
    IdRequirement,
    Participant,
    Season,
    SeasonAllowance,
    Session,
    WaitlistEntry,
)
from mosprom.tourism.personal_data import passport_encrypt

DEMO_GUEST_EMAIL = "guest{n:02d}@demo.mosprom.local"
DEMO_GUESTS = 48
DEMO_VISITOR = "visitor@demo.mosprom.local"
DEMO_HOST = "host@demo.mosprom.local"
DEMO_NOTE = "Демонстрационная программа: расписание, места и участники придуманы."


@dataclass(frozen=True)
class DemoSession:
    day: int  # days from today
    hour: int
    booked: int  # places taken by demo guests
    waitlist: int = 0  # demo guests waiting (the session is then full)


@dataclass(frozen=True)
class DemoExperience:
    enterprise_number: int  # in registry.demo.SEED_ENTERPRISES
    kind: str
    title: str
    description: str
    min_age: int
    group_size: int
    max_places: int
    duration: int
    id_requirement: str
    step_free: bool
    meeting_point: str
    what_to_bring: str
    sessions: tuple[DemoSession, ...]


EXPERIENCES: tuple[DemoExperience, ...] = (
    DemoExperience(
        enterprise_number=4,
        kind=ExperienceKind.MASTER_CLASS,
        title="Мастер-класс «Сшей своего медвежонка»",
        description=(
            "Посмотрите, как на фабрике кроят и набивают мягкие игрушки, а потом под "
            "руководством мастера сшейте своего медвежонка и заберите его домой. Дети — вместе "
            "со взрослым."
        ),
        min_age=7,
        group_size=12,
        max_places=2,
        duration=120,
        id_requirement=IdRequirement.FULL_NAME,
        step_free=True,
        meeting_point="Вход с Вольной улицы, стойка администратора на первом этаже",
        what_to_bring="Ничего: ткань, нитки и наполнитель выдаёт фабрика.",
        sessions=(
            DemoSession(day=-1, hour=11, booked=10),
            DemoSession(day=5, hour=11, booked=12, waitlist=3),
            DemoSession(day=5, hour=15, booked=10),
            DemoSession(day=9, hour=11, booked=2),
        ),
    ),
    DemoExperience(
        enterprise_number=3,
        kind=ExperienceKind.EXCURSION,
        title="Как рождается микросхема: экскурсия на «Микрон»",
        description=(
            "Путь кремниевой пластины от чистых помещений до чип-модуля банковской карты и "
            "транспортного билета. Цеха видно через смотровые окна галереи."
        ),
        min_age=14,
        group_size=15,
        max_places=2,
        duration=90,
        id_requirement=IdRequirement.PASSPORT,
        step_free=True,
        meeting_point="Бюро пропусков, 1-й Западный проезд, д. 12, стр. 1",
        what_to_bring="Паспорт (оригинал) — без него на режимный объект не пропустят.",
        sessions=(
            DemoSession(day=1, hour=10, booked=9),
            DemoSession(day=6, hour=10, booked=13),
            DemoSession(day=11, hour=10, booked=4),
        ),
    ),
    DemoExperience(
        enterprise_number=2,
        kind=ExperienceKind.EXCURSION,
        title="Тормоза для метро: экскурсия по заводу «Трансмаш»",
        description=(
            "Как устроен тормоз вагона метро и поезда дальнего следования: сборочный цех, "
            "испытательный стенд и кран машиниста, который можно попробовать самому."
        ),
        min_age=12,
        group_size=20,
        max_places=2,
        duration=90,
        id_requirement=IdRequirement.FULL_NAME,
        step_free=False,
        meeting_point="Проходная завода, Петровско-Разумовский проезд, д. 29",
        what_to_bring="Закрытая обувь без каблука; халаты и очки выдают.",
        sessions=(
            DemoSession(day=4, hour=12, booked=6),
            DemoSession(day=8, hour=12, booked=0),
        ),
    ),
    DemoExperience(
        enterprise_number=1,
        kind=ExperienceKind.EXCURSION,
        title="Светофоры и стрелки: как «Элтеза» управляет движением поездов",
        description=(
            "Микропроцессорная централизация, автоблокировка и контроль рельсовых цепей — "
            "на действующих стендах производственного комплекса."
        ),
        min_age=12,
        group_size=20,
        max_places=2,
        duration=90,
        id_requirement=IdRequirement.FULL_NAME,
        step_free=False,
        meeting_point="Главный вход, Рязанский проспект, д. 8А, стр. 14",
        what_to_bring="Удобная обувь: маршрут проходит по двум этажам.",
        sessions=(
            DemoSession(day=6, hour=14, booked=3),
            DemoSession(day=12, hour=14, booked=0),
        ),
    ),
    DemoExperience(
        enterprise_number=5,
        kind=ExperienceKind.TASTING,
        title="Как делают «Докторскую»: экскурсия с дегустацией",
        description=(
            "Колбасный цех от приёмки сырья до упаковки, рассказ технолога о ГОСТе и "
            "дегустация продукции завода."
        ),
        min_age=14,
        group_size=20,
        max_places=2,
        duration=100,
        id_requirement=IdRequirement.FULL_NAME,
        step_free=False,
        meeting_point="Проходная, Пищевая улица, д. 5",
        what_to_bring="Одноразовые халаты и шапочки выдают на входе.",
        sessions=(
            DemoSession(day=7, hour=11, booked=18),
            DemoSession(day=10, hour=11, booked=5),
        ),
    ),
    DemoExperience(
        enterprise_number=6,
        kind=ExperienceKind.LECTURE,
        title="Лекция «Как дышит город: вентиляция метро и заводов»",
        description=(
            "Инженер вентиляционной фабрики «Галвент» — о том, как проектируют воздухообмен "
            "тоннелей, цехов и чистых помещений. После лекции — ответы на вопросы."
        ),
        min_age=0,
        group_size=40,
        max_places=3,
        duration=60,
        id_requirement=IdRequirement.NONE,
        step_free=True,
        meeting_point="Конференц-зал, Научный проезд, д. 19, 2-й этаж (есть лифт)",
        what_to_bring="",
        sessions=(DemoSession(day=7, hour=18, booked=12),),
    ),
)

DEMO_FIRST_NAMES = (
    "Анна",
    "Борис",
    "Вера",
    "Глеб",
    "Дарья",
    "Егор",
    "Жанна",
    "Захар",
    "Инна",
    "Кирилл",
    "Лидия",
    "Максим",
    "Нина",
    "Олег",
    "Полина",
    "Роман",
    "Светлана",
    "Тимур",
    "Ульяна",
    "Фёдор",
    "Юлия",
    "Ярослав",
    "Алиса",
    "Артём",
)
DEMO_SURNAMES = (
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
)
_FEMALE = {"Анна", "Вера", "Дарья", "Жанна", "Инна", "Лидия", "Нина", "Полина", "Светлана",
           "Ульяна", "Юлия", "Алиса"}  # fmt: skip
_COMMENTS = (
    (5, "Сын в восторге от медвежонка, мастер очень терпеливый. Придём ещё!"),
    (5, "Отлично организовано, всё показали и дали попробовать самим."),
    (4, "Интересно, но хотелось бы чуть больше времени на шитьё."),
)


def demo_surname(first: str, last: str) -> str:
    return last + "а" if first in _FEMALE else last


def season_name(today: dt.date) -> str:
    """«Открой#Моспром — осень 2026»: the season the day falls into."""
    part = {12: "зима", 1: "зима", 2: "зима", 3: "весна", 4: "весна", 5: "весна",
            6: "лето", 7: "лето", 8: "лето"}.get(today.month, "осень")  # fmt: skip
    return f"Открой#Моспром — {part} {today.year}"


@dataclass
class TourismDemo:
    season: Season | None  # None: the registry demo (the enterprises) is not loaded
    created: bool
    experiences: int = 0
    sessions: int = 0
    bookings: int = 0
    waiting: int = 0


@dataclass
class CheckedPerson:
    user: object
    first_name: str
    family: str  # the surname's masculine form, for companions
    left: int  # places the person may still take in the season

    @property
    def full_name(self) -> str:
        return f"{demo_surname(self.first_name, self.family)} {self.first_name}"


def _guests(rng: random.Random, allowed: int) -> list[CheckedPerson]:
    User = get_user_model()
    people = []
    for n in range(1, DEMO_GUESTS + 1):
        first = DEMO_FIRST_NAMES[(n - 1) % len(DEMO_FIRST_NAMES)]
        family = DEMO_SURNAMES[(n * 7) % len(DEMO_SURNAMES)]
        last = demo_surname(first, family)
        user, created = User.objects.get_or_create(
            email=DEMO_GUEST_EMAIL.format(n=n),
            defaults={
                "first_name": first,
                "last_name": last,
                "role": Role.VISITOR,
                "email_confirmed_at": clock.now(),
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        people.append(CheckedPerson(user=user, first_name=first, family=family, left=allowed))
    rng.shuffle(people)
    return people


def _birth_date(rng: random.Random, today: dt.date, *, child_of: int | None = None) -> dt.date:
    years = rng.randint(max(child_of, 7), 12) if child_of is not None else rng.randint(20, 60)
    return today - dt.timedelta(days=years * 365 + rng.randint(10, 300))


def _passport(rng: random.Random) -> str:
    return f"{rng.randint(10, 99)}{rng.randint(0, 99):02d}{rng.randint(100000, 999999)}"


def _book(
    *,
    session: Session,
    person: CheckedPerson,
    places: int,
    rng: random.Random,
    today: dt.date,
    bookings: list[tuple[Booking, list[Participant]]],
) -> None:
    experience = session.experience
    participants = [
        Participant(
            position=0,
            full_name=person.full_name,
            birth_date=_birth_date(rng, today),
        )
    ]
    for position in range(1, places):
        companion = rng.choice(DEMO_FIRST_NAMES)
        child = experience.kind == ExperienceKind.MASTER_CLASS
        participants.append(
            Participant(
                position=position,
                full_name=f"{demo_surname(companion, person.family)} {companion}",
                birth_date=_birth_date(rng, today, child_of=experience.min_age if child else None),
            )
        )
    if experience.id_requirement == IdRequirement.PASSPORT:
        for participant in participants:
            participant.passport_encrypted = passport_encrypt(_passport(rng))
    booking = Booking(session=session, user=person.user, places=places)
    bookings.append((booking, participants))
    person.left -= places


def _fill(
    *,
    session: Session,
    target: int,
    people: list[CheckedPerson],
    rng: random.Random,
    today: dt.date,
    bookings: list[tuple[Booking, list[Participant]]],
) -> list[CheckedPerson]:
    """Book ``target`` places on ``session`` for guests who still have quota; returns them."""
    limit = session.experience.max_places_per_booking
    used: list[CheckedPerson] = []
    left = target
    for person in people:
        if left == 0:
            break
        places = min(left, person.left, rng.randint(1, limit))
        if places <= 0:
            continue
        _book(
            session=session, person=person, places=places, rng=rng, today=today, bookings=bookings
        )
        used.append(person)
        left -= places
    if left:
        raise RuntimeError("not enough demo guests for the demo bookings")
    # Guests who booked go to the back of the line for the next session.
    people[:] = [p for p in people if p not in used] + used
    return used


@transaction.atomic
def tourism_demo_load(*, seed: int = 2024) -> TourismDemo:
    """A current season with experiences, sessions, bookings and a waitlist (idempotent)."""
    today = clock.today()
    name = season_name(today)
    existing = Season.objects.filter(name=name).first()
    if existing is not None:
        return TourismDemo(season=existing, created=False)
    enterprises = {
        e.inn: e
        for e in Enterprise.objects.filter(
            inn__in=[demo_inn(x.enterprise_number) for x in EXPERIENCES]
        ).prefetch_related("sites")
    }
    if not enterprises:
        return TourismDemo(season=None, created=False)
    season = Season.objects.create(
        name=name,
        starts_on=today - dt.timedelta(days=2),
        ends_on=today + dt.timedelta(days=13),
        registration_opens_at=clock.start_of_day(today - dt.timedelta(days=10))
        + dt.timedelta(hours=12),
        close_days_before=3,
        places_per_person=3,
        no_show_limit=2,
        offer_hours=12,
    )
    result = TourismDemo(season=season, created=True)
    rng = random.Random(seed)  # noqa: S311 — demo data, not security
    people = _guests(rng, season.places_per_person)
    User = get_user_model()
    visitor = User.objects.filter(email=DEMO_VISITOR).first()
    host = User.objects.filter(email=DEMO_HOST).first()
    bookings: list[tuple[Booking, list[Participant]]] = []
    waitlist: list[WaitlistEntry] = []
    past: list[Session] = []

    for plan in EXPERIENCES:
        enterprise = enterprises.get(demo_inn(plan.enterprise_number))
        if enterprise is None:
            continue  # the registry demo was not loaded
        site = min(enterprise.sites.all(), key=lambda s: s.pk, default=None)
        experience, _ = Experience.objects.update_or_create(
            enterprise=enterprise,
            title=plan.title,
            defaults={
                "site": site,
                "kind": plan.kind,
                "description": f"{plan.description}\n\n{DEMO_NOTE}",
                "duration_minutes": plan.duration,
                "min_age": plan.min_age,
                "group_size": plan.group_size,
                "max_places_per_booking": plan.max_places,
                "step_free": plan.step_free,
                "accessibility": site.accessibility_notes if site is not None else "",
                "what_to_bring": plan.what_to_bring,
                "meeting_point": plan.meeting_point,
                "id_requirement": plan.id_requirement,
                "is_published": True,
            },
        )
        result.experiences += 1
        for slot in plan.sessions:
            starts_at = clock.start_of_day(today + dt.timedelta(days=slot.day)) + dt.timedelta(
                hours=slot.hour
            )
            session = Session.objects.create(
                experience=experience,
                season=season,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=plan.duration),
                capacity=plan.group_size,
                taken=slot.booked,
            )
            result.sessions += 1
            if slot.day < 0:
                past.append(session)
            target = slot.booked
            if visitor is not None and slot.waitlist == 0 and slot.booked >= 2 and slot.day == 5:
                # The demo visitor holds a ticket for two (with a child) to the master class.
                me = CheckedPerson(
                    user=visitor,
                    first_name=visitor.first_name,
                    family=visitor.last_name.removesuffix("а"),
                    left=season.places_per_person,
                )
                _book(session=session, person=me, places=2, rng=rng, today=today, bookings=bookings)
                target -= 2
            _fill(
                session=session,
                target=target,
                people=people,
                rng=rng,
                today=today,
                bookings=bookings,
            )
            waiting = [p.user for p in people if p.left >= 2][: slot.waitlist]
            if slot.waitlist and visitor is not None:
                waiting = [visitor, *waiting[:-1]]  # first in line: the demo visitor
            queued_since = clock.now() - dt.timedelta(hours=5)
            for n, user in enumerate(waiting):
                waitlist.append(
                    WaitlistEntry(
                        session=session,
                        user=user,
                        places=1 + n % 2,
                        created_at=queued_since + dt.timedelta(minutes=7 * n),
                    )
                )

    Booking.objects.bulk_create([booking for booking, _ in bookings])
    for booking, participants in bookings:
        for participant in participants:
            participant.booking = booking
    Participant.objects.bulk_create(p for _, participants in bookings for p in participants)
    WaitlistEntry.objects.bulk_create(waitlist)
    result.bookings = len(bookings)
    result.waiting = len(waitlist)

    per_person: dict[int, int] = {}
    for booking, _ in bookings:
        per_person[booking.user_id] = per_person.get(booking.user_id, 0) + booking.places
    SeasonAllowance.objects.bulk_create(
        SeasonAllowance(
            user_id=user_id, season=season, allowed=season.places_per_person, taken=taken
        )
        for user_id, taken in per_person.items()
    )
    _attend(past=past, bookings=[b for b, _ in bookings], host=host)
    return result


def _attend(*, past: list[Session], bookings: list[Booking], host) -> None:
    """Yesterday's session: everyone checked in but one no-show; a few left feedback."""
    for session in past:
        held = [b for b in bookings if b.session_id == session.pk]
        for n, booking in enumerate(held):
            if n == len(held) - 1:
                booking.no_show = True
            else:
                booking.checked_in_at = session.starts_at - dt.timedelta(minutes=10 - n)
                booking.checked_in_by = host
        Booking.objects.bulk_update(held, ["no_show", "checked_in_at", "checked_in_by"])
        Feedback.objects.bulk_create(
            Feedback(booking=booking, rating=rating, comment=comment)
            for booking, (rating, comment) in zip(held, _COMMENTS, strict=False)
            if booking.checked_in_at is not None
        )
