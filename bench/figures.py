"""The figures pages at ten years of Moscow-scale data (issue 9): a deterministic data set
written straight to the database, then the pages timed in-process as an organiser.

``python -m bench.figures generate`` writes 2016–2025 of records shaped like the programme's
press releases (``Plan``): ≈4,600 enterprises, ≈900 production sites, ≈2,000 sessions a year
with ≈15 bookings each, 17 games a year of ≈150 teams of ≈7 players, 20 online tours a year with
≈1M site plays in all and per-quarter platform counts, reach per channel and quarter, 30 export
events a year with applications, outcome reports and contracts, and the SEZ with 124 residents
filing quarterly and annual reports. Rows are model instances with explicit primary keys,
written with ``COPY`` on PostgreSQL (``bulk_create`` elsewhere, for the smoke test), one
transaction per context; nothing goes through the services (the bench measures reading).
The same ``--seed`` and ``--scale`` give the same records.

``python -m bench.figures measure`` opens each page (``PAGES``) with the Django test client as
an organiser: the first request in a fresh process (cold), then ``--rounds`` warm requests
(wall and CPU time), then one instrumented request for the number of queries, their total time,
the slowest query and its ``EXPLAIN (ANALYZE, BUFFERS)``. Results go to
``var/bench/figures.json``; ``doc`` adds a line to the table in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

MSK = ZoneInfo("Europe/Moscow")
EMAIL_DOMAIN = "figures.bench.invalid"
ORGANISER_EMAIL = f"organiser@{EMAIL_DOMAIN}"
BATCH = 20_000
KINDS = {  # sessions a year at the scale of 1 (the mean year; the years grow, see ``_growth``)
    "excursion": 1200,
    "master_class": 500,
    "lecture": 150,
    "tasting": 80,
    "special_event": 70,
}
EXPORT_KINDS = {"mission": 12, "exhibition": 6, "b2b": 12}  # events a year at the scale of 1
TICKET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Plan:
    """What ``generate`` writes; counts at ``scale`` 1 (shapes — bookings per session, players
    per team — do not scale)."""

    first_year: int = 2016
    last_year: int = 2025
    scale: float = 1.0
    seed: int = 9
    enterprises: int = 4600
    enterprises_at_start: int = 1800  # entered in January of the first year
    sites: int = 900
    sites_active_per_year: int = 300
    visitors: int = 60_000
    hosts: int = 60
    bookings_per_session: int = 15
    games_per_year: int = 17
    teams_per_game: int = 150
    players_per_team: int = 7
    online_tours_per_year: int = 20
    site_plays: int = 1_000_000
    applications_per_event: int = 15
    sez_residents: int = 124  # in force at the end of the last year
    sez_terminated: int = 10  # residents whose agreement ended earlier
    sez_located: int = 110  # located companies that are not residents

    def n(self, value: int) -> int:
        return max(1, round(value * self.scale))

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


# --- Writing rows ----------------------------------------------------------------------------


class Writer:
    """Buffers model instances per table and writes them in bulk: ``COPY`` on PostgreSQL,
    ``bulk_create`` elsewhere. Primary keys are assigned here (``pk``), so children can point
    at parents before anything is written; ``finish`` resets the sequences."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.copy = connection.vendor == "postgresql"
        self.buffers: dict[type, list] = defaultdict(list)
        self.next_ids: dict[type, int] = {}
        self.written: dict[str, int] = defaultdict(int)

    def pk(self, model) -> int:
        from django.db.models import Max

        if model not in self.next_ids:
            self.next_ids[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        value = self.next_ids[model]
        self.next_ids[model] += 1
        return value

    def add(self, obj, *, pk: bool = True):
        """Queue ``obj`` (with a fresh primary key unless ``pk`` is False); returns it."""
        if pk and obj.pk is None:
            obj.pk = self.pk(type(obj))
        buffer = self.buffers[type(obj)]
        buffer.append(obj)
        if len(buffer) >= BATCH:
            self._flush(type(obj))
        return obj

    def _flush(self, model) -> None:
        objs = self.buffers.pop(model, [])
        if not objs:
            return
        self.written[model._meta.label] += len(objs)
        if not self.copy:
            model.objects.bulk_create(objs, batch_size=500)
            return
        connection = self.connection
        fields = list(model._meta.concrete_fields)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for obj in objs:
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                )

    def flush(self) -> None:
        for model in list(self.buffers):
            self._flush(model)

    def finish(self) -> None:
        """Everything written and every sequence past the ids used."""
        from django.core.management.color import no_style

        self.flush()
        with self.connection.cursor() as cursor:
            for sql in self.connection.ops.sequence_reset_sql(no_style(), list(self.next_ids)):
                cursor.execute(sql)


# --- The data set ----------------------------------------------------------------------------


def _growth(plan: Plan, year: int) -> float:
    """The programme grows: the first year at 0.55 of the mean, the last at 1.45."""
    if plan.first_year == plan.last_year:
        return 1.0
    share = (year - plan.first_year) / (plan.last_year - plan.first_year)
    return 0.55 + 0.9 * share


def _moment(year: int, rng: random.Random, *, hours=(10, 18), months=(1, 12)) -> dt.datetime:
    day = dt.date(year, rng.randint(*months), 1) + dt.timedelta(days=rng.randrange(28))
    return dt.datetime.combine(day, dt.time(rng.randrange(*hours), rng.choice((0, 30))), MSK)


def _ticket_code(index: int) -> str:
    # An odd multiplier modulo 2**40 is a bijection: unique codes that do not look sequential.
    number = (index * 0x9E3779B1 + 0x5DEECE66D) % (1 << 40)
    return "".join(TICKET_ALPHABET[(number >> (5 * i)) & 31] for i in range(8))


@dataclass
class World:
    """Ids the later contexts need."""

    organiser: int = 0
    visitors: list[int] = field(default_factory=list)
    hosts: list[int] = field(default_factory=list)
    enterprises: list[int] = field(default_factory=list)
    sites: list[tuple[int, int]] = field(default_factory=list)  # (site id, enterprise id)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _users(w: Writer, plan: Plan, world: World) -> None:
    from mosprom.accounts.models import Role, User

    joined = dt.datetime(plan.first_year, 1, 10, 12, tzinfo=MSK)

    def user(email: str, role: str, first: str, last: str) -> int:
        return w.add(
            User(
                email=email,
                password="!",  # noqa: S106 — unusable: the bench logs in with force_login
                role=role,
                first_name=first,
                last_name=last,
                email_confirmed_at=joined,
                date_joined=joined,
            )
        ).pk

    world.organiser = user(ORGANISER_EMAIL, Role.ORGANISER, "Организатор", "Стендовый")
    world.hosts = [
        user(f"host{i}@{EMAIL_DOMAIN}", Role.HOST, "Представитель", f"Стендовый {i}")
        for i in range(plan.n(plan.hosts))
    ]
    world.visitors = [
        user(f"visitor{i}@{EMAIL_DOMAIN}", Role.VISITOR, "Посетитель", f"Стендовый {i}")
        for i in range(max(plan.n(plan.visitors), 2 * plan.bookings_per_session, 400))
    ]
    world.counts["users"] = 1 + len(world.hosts) + len(world.visitors)


def _registry(w: Writer, plan: Plan, rng: random.Random, world: World) -> None:
    from mosprom.core.validators import inn_complete, ogrn_complete
    from mosprom.registry.models import Enterprise, Industry, Membership, ProductionSite
    from mosprom.registry.okrugs import Okrug

    industries = list(Industry.objects.filter(section="C").values_list("pk", "code")) or [
        (None, "")
    ]
    okrugs = [value for value, _label in Okrug.choices]
    total, at_start = plan.n(plan.enterprises), plan.n(plan.enterprises_at_start)
    first = dt.datetime(plan.first_year, 1, 11, 10, tzinfo=MSK)
    span = (dt.datetime(plan.last_year, 12, 20, tzinfo=MSK) - first).total_seconds()
    sites = min(plan.n(plan.sites), total)
    for i in range(total):
        # The initial import, then a steady stream of new entries until the last year's end.
        later = max(0, i - at_start) / max(1, total - at_start)
        created = first + dt.timedelta(seconds=span * later)
        industry, code = rng.choice(industries)
        enterprise = w.add(
            Enterprise(
                short_name=f"Предприятие {i:04d}",
                legal_name=f"АО «Предприятие {i:04d}»",
                inn=inn_complete(f"77{i:07d}"),
                ogrn=ogrn_complete(f"1027700{i:05d}"),
                industry_id=industry,
                okved=f"{code}.1" if code else "",
                okrug=rng.choice(okrugs),
                hosts_tours=i < sites,
                created_at=created,
            )
        )
        world.enterprises.append(enterprise.pk)
    for i in range(sites):
        enterprise = world.enterprises[i]
        site = w.add(
            ProductionSite(
                enterprise_id=enterprise,
                name="Основная площадка",
                address=f"Москва, Промышленный проезд, д. {i + 1}",
                okrug=rng.choice(okrugs),
                created_at=first,
            )
        )
        world.sites.append((site.pk, enterprise))
    for i, host in enumerate(world.hosts):
        w.add(Membership(user_id=host, enterprise_id=world.enterprises[i % sites]))
    world.counts["enterprises"] = total
    world.counts["sites"] = sites


def _tourism(w: Writer, plan: Plan, rng: random.Random, world: World) -> None:
    from mosprom.tourism.models import Booking, Experience, Season, Session

    experiences: dict[tuple[int, str], int] = {}  # (site id, kind) → experience id
    site_owner = dict(world.sites)

    def experience(site: int, kind: str) -> int:
        if (site, kind) not in experiences:
            experiences[site, kind] = w.add(
                Experience(
                    enterprise_id=site_owner[site],
                    site_id=site,
                    kind=kind,
                    title=f"{kind} {site}",
                    meeting_point="Проходная №1",
                )
            ).pk
        return experiences[site, kind]

    booking_index = 0
    site_ids = [site for site, _owner in world.sites]
    for year in plan.years:
        seasons = []
        for quarter in range(4):
            start = dt.date(year, 3 * quarter + 1, 1)
            end = dt.date(year + (quarter == 3), (3 * quarter + 3) % 12 + 1, 1) - dt.timedelta(1)
            seasons.append(
                w.add(
                    Season(
                        name=f"Сезон {quarter + 1}/{year}",
                        starts_on=start,
                        ends_on=end,
                        registration_opens_at=dt.datetime.combine(
                            start - dt.timedelta(days=20), dt.time(12), MSK
                        ),
                    )
                ).pk
            )
        active = rng.sample(site_ids, min(len(site_ids), plan.n(plan.sites_active_per_year)))
        for kind, per_year in KINDS.items():
            for _n in range(max(1, round(plan.n(per_year) * _growth(plan, year)))):
                starts = _moment(year, rng)
                cancelled = rng.random() < 0.03
                capacity = rng.randint(20, 30)
                session_id = w.pk(Session)
                wanted = rng.randint(
                    plan.bookings_per_session // 2, plan.bookings_per_session * 3 // 2
                )
                taken = 0
                for user in rng.sample(world.visitors, wanted):
                    places = 2 if rng.random() < 0.15 else 1
                    dropped = cancelled or rng.random() < 0.08
                    if not dropped and taken + places > capacity:
                        break
                    booked = starts - dt.timedelta(days=rng.randint(2, 30))
                    w.add(
                        Booking(
                            session_id=session_id,
                            user_id=user,
                            places=places,
                            status="cancelled" if dropped else "confirmed",
                            code=_ticket_code(booking_index),
                            cancelled_at=booked + dt.timedelta(days=1) if dropped else None,
                            cancelled_by_session=cancelled,
                            no_show=not dropped and rng.random() < 0.06,
                            created_at=booked,
                        )
                    )
                    booking_index += 1
                    taken += 0 if dropped else places
                w.add(
                    Session(
                        pk=session_id,
                        experience_id=experience(rng.choice(active), kind),
                        season_id=seasons[(starts.month - 1) // 3],
                        starts_at=starts,
                        ends_at=starts + dt.timedelta(minutes=90),
                        capacity=capacity,
                        taken=taken,
                        status="cancelled" if cancelled else "scheduled",
                        cancelled_at=starts - dt.timedelta(days=2) if cancelled else None,
                        created_at=starts - dt.timedelta(days=40),
                    )
                )
                world.counts["sessions"] += 1
    world.counts["experiences"] = len(experiences)
    world.counts["bookings"] = booking_index


def _games(w: Writer, plan: Plan, rng: random.Random, world: World) -> None:
    from mosprom.games.models import Game, GameSeason, Team, TeamMember, name_key

    for year in plan.years:
        season = w.add(GameSeason(name=f"Сезон игр {year}", year=year, place_points=[10, 8, 6]))
        for g in range(plan.n(plan.games_per_year)):
            starts = _moment(year, rng, hours=(18, 20), months=(1, 12))
            registered = rng.randint(
                plan.n(plan.teams_per_game) * 4 // 5, plan.n(plan.teams_per_game) * 6 // 5
            )
            game = w.add(
                Game(
                    season_id=season.pk,
                    title=f"Игра {g + 1} сезона {year}",
                    starts_at=starts,
                    league="schools" if g % 3 == 2 else "adults",
                    team_min=4,
                    team_max=10,
                    capacity=registered + 10,
                    taken=registered,
                    registration_opens_at=starts - dt.timedelta(days=30),
                    registration_closes_at=starts - dt.timedelta(days=1),
                    status="published",
                    results_published_at=starts + dt.timedelta(days=1),
                )
            )
            withdrawn = max(0, registered // 20)
            for t, captain in enumerate(rng.sample(world.visitors, registered + withdrawn)):
                status = "registered" if t < registered else "withdrawn"
                name = f"Команда {year}-{g}-{t}"
                team = w.add(
                    Team(
                        game_id=game.pk,
                        captain_id=captain,
                        name=name,
                        name_key=name_key(name),
                        status=status,
                        withdrawn_at=starts - dt.timedelta(days=3) if t >= registered else None,
                        created_at=starts - dt.timedelta(days=10),
                    )
                )
                size = rng.randint(plan.players_per_team - 2, plan.players_per_team + 2)
                for position in range(size):
                    w.add(
                        TeamMember(
                            team_id=team.pk,
                            position=position,
                            full_name=f"Игрок {position + 1}",
                            user_id=captain if position == 0 else None,
                        )
                    )
                    world.counts["team_members"] += 1
                world.counts["teams"] += 1
            world.counts["games"] += 1


def _media(w: Writer, plan: Plan, rng: random.Random, world: World) -> None:
    from mosprom.media.models import (
        Award,
        OnlineTour,
        PlatformViews,
        Publication,
        Reach,
        ReachChannel,
        SitePlay,
    )
    from mosprom.tourism.models import Experience

    last_day = dt.date(plan.last_year, 12, 31)
    tours: list[tuple[int, dt.date]] = []
    for year in plan.years:
        for t in range(plan.n(plan.online_tours_per_year)):
            _site, owner = rng.choice(world.sites)
            experience = w.add(
                Experience(enterprise_id=owner, kind="online_tour", title=f"Онлайн {year}-{t}")
            )
            published = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(360))
            w.add(OnlineTour(experience_id=experience.pk, published_on=published), pk=False)
            platforms = ["vk", "rutube"] + (["youtube"] if year < 2022 else ["ok"])
            for platform in platforms:
                w.add(
                    Publication(
                        tour_id=experience.pk,
                        platform=platform,
                        url=f"https://video.example/{platform}/{experience.pk}",
                        video_key=f"{platform}-{experience.pk}",
                    )
                )
                quarter = dt.date(published.year, (published.month - 1) // 3 * 3 + 1, 1)
                while quarter <= last_day:
                    end = (quarter + dt.timedelta(days=95)).replace(day=1) - dt.timedelta(days=1)
                    w.add(
                        PlatformViews(
                            tour_id=experience.pk,
                            platform=platform,
                            period_start=quarter,
                            period_end=end,
                            views=rng.randint(500, 40_000),
                            source="import",
                            entered_by_id=world.organiser,
                        )
                    )
                    world.counts["platform_counts"] += 1
                    quarter = end + dt.timedelta(days=1)
            tours.append((experience.pk, published))
    # Plays on our site: the total split evenly over the tours, each on days after publication.
    plays = plan.n(plan.site_plays)
    per_tour = plays // len(tours)
    number = 0
    for index, (tour, published) in enumerate(tours):
        days = (last_day - published).days + 1
        count = per_tour + (plays - per_tour * len(tours) if index == len(tours) - 1 else 0)
        for _n in range(count):
            day = published + dt.timedelta(days=rng.randrange(days))
            w.add(
                SitePlay(
                    tour_id=tour,
                    day=day,
                    visitor=f"{number:016x}",
                    at=dt.datetime.combine(day, dt.time(12), MSK),
                )
            )
            number += 1
    for year in plan.years:
        for quarter in range(4):
            start = dt.date(year, 3 * quarter + 1, 1)
            end = (start + dt.timedelta(days=95)).replace(day=1) - dt.timedelta(days=1)
            for channel, base in (
                (ReachChannel.SITE_VISITORS, 300_000),
                (ReachChannel.SOCIAL, 2_000_000),
                (ReachChannel.MEDIA, 1_000_000),
            ):
                w.add(
                    Reach(
                        channel=channel,
                        period_start=start,
                        period_end=end,
                        value=round(base * _growth(plan, year) * rng.uniform(0.8, 1.2)),
                        entered_by_id=world.organiser,
                    )
                )
        w.add(Award(name="Премия «Промтуризм»", year=year, awarding_body="АТОР", place="лауреат"))
    world.counts["online_tours"] = len(tours)
    world.counts["site_plays"] = number


def _export(w: Writer, plan: Plan, rng: random.Random, world: World) -> None:
    from mosprom.export.models import (
        Application,
        Call,
        Contract,
        EventRate,
        ExportEvent,
        OutcomeReport,
    )

    rates = {"CNY": Decimal("12.5000"), "USD": Decimal("90.0000")}
    for year in plan.years:
        for kind, per_year in EXPORT_KINDS.items():
            for e in range(plan.n(per_year)):
                starts = dt.date(year, rng.randint(1, 12), rng.randint(1, 20))
                ends = starts + dt.timedelta(days=rng.randint(2, 6))
                applicants = rng.sample(
                    world.enterprises, min(len(world.enterprises), plan.applications_per_event)
                )
                # The last few were turned down or withdrew.
                statuses = ["participated"] * len(applicants)
                if len(statuses) >= 6:
                    statuses[-3:] = ["rejected", "rejected", "withdrawn"]
                places = statuses.count("participated") + rng.randint(0, 4)
                event = w.add(
                    ExportEvent(
                        kind=kind,
                        title=f"{kind} {year}-{e}",
                        country="Китай",
                        city="Шанхай",
                        starts_on=starts,
                        ends_on=ends,
                        places=places,
                        taken=statuses.count("participated"),
                        is_published=True,
                    )
                )
                opens = dt.datetime.combine(starts - dt.timedelta(days=90), dt.time(10), MSK)
                w.add(Call(event_id=event.pk, opens_at=opens, closes_at=opens + dt.timedelta(30)))
                for currency, rate in rates.items():
                    w.add(EventRate(event_id=event.pk, currency=currency, rub_per_unit=rate))
                for enterprise, status in zip(applicants, statuses, strict=True):
                    application = w.add(
                        Application(
                            event_id=event.pk,
                            enterprise_id=enterprise,
                            created_by_id=rng.choice(world.hosts),
                            status=status,
                            submitted_at=opens + dt.timedelta(days=5),
                        )
                    )
                    world.counts["applications"] += 1
                    if status != "participated" or rng.random() < 0.2:
                        continue
                    report = w.add(
                        OutcomeReport(
                            application_id=application.pk,
                            meetings_held=rng.randint(3, 15),
                            agreements=rng.randint(0, 3),
                            submitted_by_id=rng.choice(world.hosts),
                            submitted_at=dt.datetime.combine(
                                ends + dt.timedelta(days=20), dt.time(12), MSK
                            ),
                        )
                    )
                    world.counts["outcome_reports"] += 1
                    for _c in range(rng.randint(0, 3)):
                        currency = rng.choice(("RUB", "RUB", "CNY", "USD"))
                        value = {"RUB": 5e7, "CNY": 4e6, "USD": 5e5}[currency]
                        w.add(
                            Contract(
                                report_id=report.pk,
                                counterpart="Покупатель",
                                value=Decimal(round(rng.uniform(0.02, 1) * value, 2)).quantize(
                                    Decimal("0.01")
                                ),
                                currency=currency,
                                signed_on=ends + dt.timedelta(days=10),
                            )
                        )
                        world.counts["contracts"] += 1
                world.counts["export_events"] += 1


def _sez(w: Writer, plan: Plan, rng: random.Random, world: World) -> None:
    from mosprom.registry.models import SEZMembership, SpecialEconomicZone
    from mosprom.sez.models import (
        Report,
        ReportPeriod,
        ReportVersion,
        Residency,
        ResidentPlan,
        ZoneSite,
    )

    zone = w.add(SpecialEconomicZone(name="ОЭЗ «Технополис „Москва“» (стенд)"))
    zone_sites = [w.add(ZoneSite(zone_id=zone.pk, name=f"Площадка {i + 1}")).pk for i in range(3)]
    periods: list[tuple[int, dt.date, dt.date, int | None]] = []  # (id, start, end, quarter)
    for year in plan.years:
        for quarter in (1, 2, 3, 4, None):
            start = dt.date(year, 3 * (quarter or 1) - 2, 1)
            end = (
                dt.date(year, 12, 31)
                if quarter in (4, None)
                else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)
            )
            period = w.add(
                ReportPeriod(
                    zone_id=zone.pk,
                    kind="quarter" if quarter else "year",
                    year=year,
                    quarter=quarter,
                    starts_on=start,
                    ends_on=end,
                    due_on=end + dt.timedelta(days=90 if quarter is None else 30),
                )
            )
            periods.append((period.pk, start, end, quarter))
    residents, terminated = plan.n(plan.sez_residents), plan.n(plan.sez_terminated)
    located = plan.n(plan.sez_located)
    wanted = min(len(world.enterprises), residents + terminated + located)
    members = rng.sample(world.enterprises, wanted)
    first = dt.date(plan.first_year, 1, 15)
    days = (dt.date(plan.last_year, 11, 30) - first).days
    for i, enterprise in enumerate(members):
        resident = i < residents + terminated
        ended = None
        if residents <= i < residents + terminated:
            # A resident whose agreement ended after one to two and a half years, in the
            # first half of the decade: not counted at the end.
            since = first + dt.timedelta(days=rng.randrange(max(1, days // 2)))
            ended = since + dt.timedelta(days=rng.randint(400, 900))
        else:
            since = first + dt.timedelta(days=rng.randrange(days))
        membership = w.add(
            SEZMembership(
                enterprise_id=enterprise,
                zone_id=zone.pk,
                status="resident" if resident else "located",
                agreement_number=f"ОЭЗ-{i:04d}" if resident else "",
                agreement_date=since if resident else None,
            )
        )
        w.add(
            Residency(
                membership_id=membership.pk,
                site_id=rng.choice(zone_sites),
                located_from=since,
                located_until=ended + dt.timedelta(days=60) if ended else None,
                agreement_status="terminated" if ended else "active",
                terminated_on=ended,
            )
        )
        if not resident:
            continue
        scale = Decimal(rng.randint(20, 200)) * 1_000_000  # roubles of investment a quarter
        for year in plan.years:
            if dt.date(year, 12, 31) >= since and (ended is None or dt.date(year, 1, 1) < ended):
                w.add(
                    ResidentPlan(
                        membership_id=membership.pk,
                        year=year,
                        investment=scale * 4,
                        capex=scale * 2,
                        jobs=rng.randint(20, 80),
                        revenue=scale * 10,
                        export_revenue=scale * 2,
                    )
                )
        for period, start, end, quarter in periods:
            if end < since or (ended is not None and start >= ended):
                continue
            share = Decimal(1 if quarter else 4) * Decimal(rng.uniform(0.6, 1.4)).quantize(
                Decimal("0.01")
            )
            report = w.add(Report(membership_id=membership.pk, period_id=period))
            returned_first = rng.random() < 0.15
            for number in (1, 2) if returned_first else (1,):
                w.add(
                    ReportVersion(
                        report_id=report.pk,
                        number=number,
                        investment=scale * share,
                        capex=scale * share / 2,
                        jobs_created=rng.randint(2, 20) * (1 if quarter else 4),
                        avg_headcount=rng.randint(50, 400),
                        revenue=scale * share * 3,
                        export_revenue=scale * share / 2,
                        status="returned" if returned_first and number == 1 else "approved",
                        submitted_by_id=rng.choice(world.hosts),
                        submitted_at=dt.datetime.combine(
                            end + dt.timedelta(days=20), dt.time(12), MSK
                        ),
                        reviewed_by_id=world.organiser,
                    )
                )
                world.counts["sez_report_versions"] += 1
            world.counts["sez_reports"] += 1
    world.counts["sez_residents_at_end"] = residents
    world.counts["sez_members"] = len(members)


def _history(w: Writer, plan: Plan, world: World) -> None:
    """Values organisers imported for the two years before the records start."""
    from mosprom.analytics.models import ImportedValue

    before = {"tours_held": 560, "master_classes": 210, "participants": 21_000, "games_held": 9}
    for year in (plan.first_year - 2, plan.first_year - 1):
        for kpi, value in before.items():
            w.add(
                ImportedValue(
                    kpi=kpi,
                    period_start=dt.date(year, 1, 1),
                    period_end=dt.date(year, 12, 31),
                    value=Decimal(value),
                    note="Отчёт за год (стенд)",
                    imported_by_id=world.organiser,
                )
            )
            world.counts["imported_values"] += 1


def generate(plan: Plan | None = None) -> dict:
    """Write ``plan``'s records (one transaction per context) and return what was written."""
    from django.db import connection, transaction

    plan = plan or Plan()
    rng = random.Random(plan.seed)
    world = World()
    w = Writer()
    started = time.perf_counter()
    timings = {}
    steps = (
        ("users", lambda: _users(w, plan, world)),
        ("registry", lambda: _registry(w, plan, rng, world)),
        ("tourism", lambda: _tourism(w, plan, rng, world)),
        ("games", lambda: _games(w, plan, rng, world)),
        ("media", lambda: _media(w, plan, rng, world)),
        ("export", lambda: _export(w, plan, rng, world)),
        ("sez", lambda: _sez(w, plan, rng, world)),
        ("history", lambda: _history(w, plan, world)),
    )
    for name, step in steps:
        t0 = time.perf_counter()
        with transaction.atomic():
            step()
            w.flush()
        timings[name] = round(time.perf_counter() - t0, 1)
    with transaction.atomic():
        w.finish()
    if connection.vendor == "postgresql" and connection.get_autocommit():
        # What autovacuum does soon after a bulk load: statistics and the visibility map.
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        timings["vacuum_analyze"] = round(time.perf_counter() - t0, 1)
    return {
        "plan": asdict(plan),
        "counts": dict(world.counts),
        "rows": dict(sorted(w.written.items())),
        "rows_total": sum(w.written.values()),
        "seconds": round(time.perf_counter() - started, 1),
        "seconds_by_step": timings,
    }


# --- Timing the pages ------------------------------------------------------------------------

# (name, URL name, query string, what it shows)
PAGES = (
    ("dashboard_year", "analytics:dashboard", "period=2025", "дашборд за 2025 год"),
    ("dashboard_quarter", "analytics:dashboard", "period=2025-Q3", "дашборд за 3 кв. 2025"),
    (
        "dashboard_range",
        "analytics:dashboard",
        "period=2024-10-15..2025-04-14",
        "дашборд за полгода через границу лет (диапазон дат)",
    ),
    (
        "dashboard_decade",
        "analytics:dashboard",
        "period=2016-01-01..2025-12-31",
        "дашборд за все десять лет (самый длинный период)",
    ),
    ("kpis", "analytics:kpis", "period=2025", "каталог показателей за 2025 год"),
    ("public", "analytics:programme", "year=2025", "публичная страница за 2025 год"),
)
HOST = "127.0.0.1"


def page_url(name: str) -> str:
    from django.urls import reverse

    _name, url_name, query, _title = next(p for p in PAGES if p[0] == name)
    return f"{reverse(url_name)}?{query}"


def _client():
    from django.test import Client

    from mosprom.accounts.models import User

    client = Client(HTTP_HOST=HOST)
    client.force_login(User.objects.get(email=ORGANISER_EMAIL))
    return client


def _get(client, url: str) -> tuple[float, float, int, int]:
    """(wall s, CPU s of this process, status, bytes) of one request."""
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    body = response.content
    return time.perf_counter() - wall, time.process_time() - cpu, response.status_code, len(body)


class QueryLog:
    """Every query of a block with its wall time (an ``execute_wrapper``: works with DEBUG off)."""

    def __init__(self) -> None:
        self.queries: list[dict] = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(
                {"sql": sql, "params": params, "ms": (time.perf_counter() - start) * 1000}
            )


_LITERALS = re.compile(r"'[^']*'|\b\d+\b|%s")


def _shape(sql: str) -> str:
    return re.sub(r"\s+", " ", _LITERALS.sub("?", sql))[:160]


def explain(sql: str, params) -> list[str] | None:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of one query on PostgreSQL (None elsewhere)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def _ms(seconds: list[float]) -> dict:
    from bench.load import pct

    s = sorted(seconds)
    return {
        "n": len(s),
        "p50": pct(s, 50),
        "p95": pct(s, 95),
        "max": round(s[-1] * 1000, 1),
        "mean": round(statistics.fmean(s) * 1000, 1),
    }


def cold(name: str) -> dict:
    """The first request of ``name`` in this process, on a fresh database connection."""
    from django.db import connections

    client = _client()
    connections.close_all()
    wall, cpu, status, _size = _get(client, page_url(name))
    return {"ms": round(wall * 1000, 1), "cpu_ms": round(cpu * 1000, 1), "status": status}


def measure_page(name: str, *, rounds: int, client=None, cold_ms: dict | None = None) -> dict:
    """Cold (given, or this process's first request), ``rounds`` warm requests, and one
    instrumented request: queries, their time, the slowest with its plan."""
    from django.db import connection

    client = client or _client()
    url = page_url(name)
    if cold_ms is None:
        wall, cpu, status, _size = _get(client, url)
        cold_ms = {"ms": round(wall * 1000, 1), "cpu_ms": round(cpu * 1000, 1), "status": status}
    walls, cpus = [], []
    for _n in range(rounds):
        wall, cpu, status, size = _get(client, url)
        if status != 200:
            raise RuntimeError(f"{url}: HTTP {status}")
        walls.append(wall)
        cpus.append(cpu)
    log = QueryLog()
    with connection.execute_wrapper(log):
        wall, _cpu, status, size = _get(client, url)
    sql_ms = sum(q["ms"] for q in log.queries)
    shapes: dict[str, dict] = defaultdict(lambda: {"n": 0, "ms": 0.0})
    for q in log.queries:
        shape = shapes[_shape(q["sql"])]
        shape["n"] += 1
        shape["ms"] += q["ms"]
    slowest = max(log.queries, key=lambda q: q["ms"]) if log.queries else None
    return {
        "url": url,
        "title": next(p[3] for p in PAGES if p[0] == name),
        "status": status,
        "bytes": size,
        "cold_ms": cold_ms,
        "warm_ms": _ms(walls),
        "warm_cpu_ms": _ms(cpus),
        "queries": len(log.queries),
        "sql_ms": round(sql_ms, 1),
        "instrumented_ms": round(wall * 1000, 1),
        "top_query_shapes": [
            {"sql": sql, "n": s["n"], "ms": round(s["ms"], 1)}
            for sql, s in sorted(shapes.items(), key=lambda item: -item[1]["ms"])[:5]
        ],
        "slowest_query": None
        if slowest is None
        else {
            "ms": round(slowest["ms"], 1),
            "sql": slowest["sql"],
            "params": [str(p) for p in slowest["params"] or ()],
            "explain": explain(slowest["sql"], slowest["params"]),
        },
    }


def measure(*, pages=None, rounds: int = 20, fresh_process_cold: bool = False) -> dict:
    """Every page of ``pages`` (all of ``PAGES`` by default) measured as ``measure_page`` says;
    with ``fresh_process_cold`` the cold request runs in a new Python process per page."""
    from django.db import connection

    names = list(pages or [p[0] for p in PAGES])
    colds = {}
    if fresh_process_cold:
        for name in names:
            done = subprocess.run(
                [sys.executable, "-m", "bench.figures", "cold", "--page", name],
                capture_output=True,
                text=True,
                check=True,
            )
            colds[name] = json.loads(done.stdout.strip().splitlines()[-1])
    client = _client()
    results = {
        name: measure_page(name, rounds=rounds, client=client, cold_ms=colds.get(name))
        for name in names
    }
    return {
        "rounds": rounds,
        "cold": "first request in a fresh process" if fresh_process_cold else "first request",
        "database": connection.vendor,
        "pages": results,
    }


# --- Reporting -------------------------------------------------------------------------------


def _meta() -> dict:
    import platform

    from django.conf import settings

    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    mem = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    git = ["git", "-C", str(settings.BASE_DIR)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0].split(" on ")[0]
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit.stdout.strip() + ("+dirty" if dirty.stdout.strip() else ""),
        "machine": f"{os.cpu_count()} vCPU {model}, {mem // 1024 // 1024} GiB",
        "python": platform.python_version(),
        "database": server,
        "debug": settings.DEBUG,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def table_row(result: dict) -> str:
    """One line of the table in docs/PERFORMANCE.md."""
    m, pages = result["meta"], result["measure"]["pages"]

    def cell(name: str) -> str:
        p = pages.get(name)
        if p is None:
            return "–"
        w = p["warm_ms"]
        return f"{p['cold_ms']['ms']:.0f} / **{w['p50']:.0f}** / {w['p95']:.0f} · {p['queries']} q"

    slowest = max(
        (p["slowest_query"] for p in pages.values() if p["slowest_query"]),
        key=lambda q: q["ms"],
        default=None,
    )
    return (
        f"| {m['date']} | {m['commit']} | {m['machine']} | "
        f"{result['data']['rows_total']:,} rows in {result['data']['seconds']:.0f} s | "
        + " | ".join(cell(p[0]) for p in PAGES)
        + f" | {slowest['ms'] if slowest else '–'} ms |"
    )


TABLE_HEADER = "| date | commit | machine | data |"


def add_to_doc(row: str, doc: Path) -> bool:
    """Insert ``row`` after the last line of the figures table in ``doc``; False if the table
    is not there (the line is then only printed)."""
    lines = doc.read_text().splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith(TABLE_HEADER)), None)
    if start is None:
        return False
    end = start + 1
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    lines.insert(end, row + "\n")
    doc.write_text("".join(lines))
    return True


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.figures")
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write the ten years of records")
    g.add_argument("--scale", type=float, default=1.0)
    g.add_argument("--seed", type=int, default=9)
    g.add_argument("--out", required=True)
    m = sub.add_parser("measure", help="time the pages; results to --out")
    m.add_argument("--rounds", type=int, default=20)
    m.add_argument("--data", required=True, help="generate's output")
    m.add_argument("--page", action="append", help="only these pages (repeatable)")
    m.add_argument("--out", required=True)
    c = sub.add_parser("cold", help="one first request in this process (JSON on stdout)")
    c.add_argument("--page", required=True)
    d = sub.add_parser("doc", help="add measure's line to docs/PERFORMANCE.md")
    d.add_argument("--result", required=True)
    d.add_argument("--doc", default="docs/PERFORMANCE.md")
    args = ap.parse_args(argv)
    if args.cmd == "doc":
        row = table_row(json.loads(Path(args.result).read_text()))
        print(row)
        if not add_to_doc(row, Path(args.doc)):
            print(f"(no figures table in {args.doc}: line not written)", file=sys.stderr)
        return
    _django()
    if args.cmd == "generate":
        data = generate(Plan(scale=args.scale, seed=args.seed))
        Path(args.out).write_text(json.dumps(data, indent=1, ensure_ascii=False))
        print(f"{data['rows_total']:,} rows in {data['seconds']} s: {data['seconds_by_step']}")
    elif args.cmd == "cold":
        print(json.dumps(cold(args.page)))
    else:
        result = {
            "meta": _meta(),
            "data": json.loads(Path(args.data).read_text()),
            "measure": measure(pages=args.page, rounds=args.rounds, fresh_process_cold=True),
        }
        result["meta"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False))
        for name, p in result["measure"]["pages"].items():
            w = p["warm_ms"]
            print(
                f"{name:18} cold {p['cold_ms']['ms']:8.1f} ms  warm p50 {w['p50']:8.1f} "
                f"p95 {w['p95']:8.1f} ms  {p['queries']:4d} queries, SQL {p['sql_ms']:7.1f} ms, "
                f"slowest {p['slowest_query']['ms'] if p['slowest_query'] else 0} ms"
            )


if __name__ == "__main__":
    main()
