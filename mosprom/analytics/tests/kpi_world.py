"""A small world across every context whose KPIs are counted by hand in ``test_kpis``.

Today is Monday 15 July 2024, 12:00 Moscow. The records start in 2023 and run into the current
month; next to what counts sits what must not (cancelled, withdrawn, unpublished, not yet
happened, straddling a period's edge, superseded). Every number used by a test is written
here once, with the date it hangs on, so a count can be checked by reading this file.

Build it inside ``clock.frozen(NOW)``: the factories take their defaults from the clock.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.core.periods import Period
from mosprom.export.models import (
    ApplicationStatus,
    Contract,
    EventKind,
    EventRate,
    OutcomeReport,
)
from mosprom.export.tests.factories import make_application, make_company, make_export_event
from mosprom.games.models import GameFormat, GameStatus, TeamStatus
from mosprom.games.tests.factories import make_game, make_team
from mosprom.media.models import ReachChannel, SitePlay
from mosprom.media.tests.factories import (
    make_award,
    make_online_tour,
    make_platform_views,
    make_reach,
)
from mosprom.registry.models import SEZStatus
from mosprom.registry.tests.factories import make_enterprise, make_site
from mosprom.sez.models import AgreementStatus, Residency, VersionStatus
from mosprom.sez.tests.factories import make_period, make_report, make_resident, make_zone
from mosprom.tourism.models import Booking, BookingStatus, ExperienceKind, SessionStatus
from mosprom.tourism.tests.factories import make_experience, make_season, make_session


def at(year: int, month: int, day: int, hour: int = 11, minute: int = 0) -> dt.datetime:
    """An aware datetime at ``hour:minute`` Moscow time."""
    return clock.start_of_day(dt.date(year, month, day)) + dt.timedelta(hours=hour, minutes=minute)


NOW = at(2024, 7, 15, 12)
Y2023 = Period.year(2023)
H1_2024 = Period.half(2024, 1)
JULY_2024 = Period.month(2024, 7)  # the running month: «by now» rules bite here
PERIODS = (Y2023, H1_2024, JULY_2024)

_seq = itertools.count(1)


@dataclass
class World:
    enterprises: dict = field(default_factory=dict)
    experiences: dict = field(default_factory=dict)
    seasons: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)
    games: dict = field(default_factory=dict)
    tours: dict = field(default_factory=dict)
    events: dict = field(default_factory=dict)
    memberships: dict = field(default_factory=dict)


def book(session, places: int, *, status=BookingStatus.CONFIRMED, no_show: bool = False):
    """A booking written directly (the figures read rows; the booking service is tested
    elsewhere), by a new visitor."""
    cancelled = status == BookingStatus.CANCELLED
    return Booking.objects.create(
        session=session,
        user=make_user(),
        places=places,
        status=status,
        no_show=no_show,
        cancelled_at=NOW if cancelled else None,
    )


def team(game, players: int, *, status=TeamStatus.REGISTERED):
    names = [f"Игрок {next(_seq)}" for _ in range(players)]
    return make_team(game=game, members=names, status=status)


# --- Registry ------------------------------------------------------------------------------
#
# Twelve enterprises; the registry's records start on 10 January 2023.
#   created 2023-01-10: Альфа, Бета, Гамма (tourism, online tours)
#   created 2023-02-01: Дельта, Эпсилон, Дзета (export), Резидент-1, Резидент-3 (SEZ)
#   created 2023-07-01: Резидент-2 (SEZ)
#   created 2023-12-31 23:30 Moscow: Размещённая (SEZ, located) — still 2023 in Moscow
#   created 2024-03-01: Резидент-4 (SEZ)                      → from H1 2024
#   created 2024-07-05: Новое предприятие                      → from July 2024
# In the registry: end of 2023 → 10; 30 June 2024 → 11; today (July running) → 12.


def _build_registry(world: World) -> None:
    jan = at(2023, 1, 10, 9)
    for name in ("Альфа", "Бета", "Гамма"):
        world.enterprises[name] = make_enterprise(short_name=name, created_at=jan)
    world.enterprises["Новое предприятие"] = make_enterprise(
        short_name="Новое предприятие", created_at=at(2024, 7, 5, 10)
    )


# --- Tourism -------------------------------------------------------------------------------
#
# Sites: Альфа-1, Альфа-2, Бета-1, Гамма-1. The first scheduled session is 20 January 2023
# (a cancelled one on 5 January does not move it): 2023 is covered only partly.
#
#   session                      when (Moscow)        status     bookings (places)
#   s0  excursion   Альфа-1      2023-01-05 11:00     cancelled  6 confirmed ← must not count
#   s1  excursion   Альфа-1      2023-01-20 11:00                3; 2 no-show; 1 cancelled
#   s2  excursion   Альфа-1      2023-03-15 11:00                4
#   s3  master cl.  Альфа-2      2023-05-10 15:00                2
#   s4  lecture     Бета-1       2023-09-01 18:00                5
#   s5  special ev. Бета-1       2023-12-31 23:30                1   (20:30 UTC: still 2023)
#   s6  excursion   Альфа-1      2024-02-14 11:00                2; 3
#   s7  master cl.  Альфа-2      2024-04-10 11:00                6; 1 no-show
#   s8  master cl.  Альфа-2      2024-05-20 11:00                2
#   s9  tasting     Гамма-1      2024-06-30 20:00                4
#   s10 lecture     Бета-1       2024-03-03 11:00     cancelled  3 cancelled ← must not count
#   s11 excursion   Бета-1       2024-07-03 11:00                3; 2 cancelled
#   s12 excursion   Альфа-1      2024-07-15 10:00                1   (started two hours ago)
#   s13 excursion   Альфа-1      2024-07-15 18:00                5   ← later today
#   s14 master cl.  Альфа-2      2024-07-20 11:00                4   ← in the future


def _build_tourism(world: World) -> None:
    alpha, beta, gamma = (world.enterprises[n] for n in ("Альфа", "Бета", "Гамма"))
    alpha1 = make_site(alpha, name="Альфа-1")
    alpha2 = make_site(alpha, name="Альфа-2")
    beta1 = make_site(beta, name="Бета-1")
    gamma1 = make_site(gamma, name="Гамма-1")
    kinds = {
        "excursion A1": (alpha, alpha1, ExperienceKind.EXCURSION),
        "master class A2": (alpha, alpha2, ExperienceKind.MASTER_CLASS),
        "lecture B1": (beta, beta1, ExperienceKind.LECTURE),
        "excursion B1": (beta, beta1, ExperienceKind.EXCURSION),
        "special B1": (beta, beta1, ExperienceKind.SPECIAL_EVENT),
        "tasting G1": (gamma, gamma1, ExperienceKind.TASTING),
    }
    for key, (enterprise, site, kind) in kinds.items():
        world.experiences[key] = make_experience(enterprise=enterprise, site=site, kind=kind)
    for year in (2023, 2024):
        world.seasons[year] = make_season(
            name=f"Открой#Моспром {year}",
            starts_on=dt.date(year, 1, 1),
            ends_on=dt.date(year, 12, 31),
            registration_opens_at=at(year - 1, 12, 1),
        )

    def session(name, experience, when, bookings=(), status=SessionStatus.SCHEDULED):
        made = make_session(
            experience=world.experiences[experience],
            season=world.seasons[when.year],
            starts_at=when,
            capacity=30,
            status=status,
            cancelled_at=NOW if status == SessionStatus.CANCELLED else None,
        )
        for booking in bookings:
            places, options = booking if isinstance(booking, tuple) else (booking, {})
            book(made, places, **options)
        world.sessions[name] = made

    cancelled = {"status": BookingStatus.CANCELLED}
    no_show = {"no_show": True}
    session("s0", "excursion A1", at(2023, 1, 5), [6], status=SessionStatus.CANCELLED)
    session("s1", "excursion A1", at(2023, 1, 20), [3, (2, no_show), (1, cancelled)])
    session("s2", "excursion A1", at(2023, 3, 15), [4])
    session("s3", "master class A2", at(2023, 5, 10, 15), [2])
    session("s4", "lecture B1", at(2023, 9, 1, 18), [5])
    session("s5", "special B1", at(2023, 12, 31, 23, 30), [1])
    session("s6", "excursion A1", at(2024, 2, 14), [2, 3])
    session("s7", "master class A2", at(2024, 4, 10), [6, (1, no_show)])
    session("s8", "master class A2", at(2024, 5, 20), [2])
    session("s9", "tasting G1", at(2024, 6, 30, 20), [4])
    session("s10", "lecture B1", at(2024, 3, 3), [(3, cancelled)], status=SessionStatus.CANCELLED)
    session("s11", "excursion B1", at(2024, 7, 3), [3, (2, cancelled)])
    session("s12", "excursion A1", at(2024, 7, 15, 10), [1])
    session("s13", "excursion A1", at(2024, 7, 15, 18), [5])
    session("s14", "master class A2", at(2024, 7, 20), [4])


# --- Games ---------------------------------------------------------------------------------
#
#   game  starts (Moscow)     state                           teams (players)
#   g1    2023-03-18 19:00    results published               4, 3; withdrawn 5
#   g2    2023-11-25 19:00    played, results not published   6, 2; waitlisted 3
#   g3    2023-10-07 19:00    no registered team              withdrawn 2      ← not held
#   g4    2023-06-10 19:00    cancelled                       4                ← not held
#   g5    2024-02-17 19:00    results published               5, 4
#   g6    2024-04-20 19:00    online, results published       3; withdrawn 4
#   g7    2024-07-06 19:00    played, results not published   6, 5
#   g8    2024-07-20 19:00    in the future                   4                ← not held
# The first game held is g1: the games' records start on 18 March 2023.


def _build_games(world: World) -> None:
    def game(name, when, teams, *, results=False, **fields):
        made = make_game(
            starts_at=when,
            results_published_at=when + dt.timedelta(hours=3) if results else None,
            **fields,
        )
        for players in teams:
            size, status = players if isinstance(players, tuple) else (players, None)
            team(made, size, status=status or TeamStatus.REGISTERED)
        world.games[name] = made

    withdrawn, waitlisted = TeamStatus.WITHDRAWN, TeamStatus.WAITLISTED
    game("g1", at(2023, 3, 18, 19), [4, 3, (5, withdrawn)], results=True)
    game("g2", at(2023, 11, 25, 19), [6, 2, (3, waitlisted)])
    game("g3", at(2023, 10, 7, 19), [(2, withdrawn)])
    game("g4", at(2023, 6, 10, 19), [4], status=GameStatus.CANCELLED)
    game("g5", at(2024, 2, 17, 19), [5, 4], results=True)
    game("g6", at(2024, 4, 20, 19), [3, (4, withdrawn)], results=True, format=GameFormat.ONLINE)
    game("g7", at(2024, 7, 6, 19), [6, 5])
    game("g8", at(2024, 7, 20, 19), [4])


# --- Online tours, views, reach, awards ----------------------------------------------------
#
# Tours (all of Гамма):  ot1 published 2023-02-01; ot2 2023-09-15; ot3 2023-11-01 but its
# programme is unpublished (← not counted); ot4 2024-03-10; ot5 2024-07-01; ot6 scheduled for
# 2024-07-20 (← not public yet).
#
# Plays on our site (tour, day, visitor):
#   2023: ot1 02-01 v1, ot1 02-01 v2, ot1 02-02 v1 (next day: again), ot2 12-31 v3   → 4
#   H1 2024: ot1 01-01 v1, ot4 03-10 v1, ot4 06-30 v2                                → 3
#   July 2024: ot5 07-02 v4, ot5 07-14 v4                                            → 2
# Platform counts (never split; only counts lying wholly inside the period):
#   ot1 rutube 2023                     1000  → 2023
#   ot2 rutube 2023-Q4                   200  → 2023
#   ot1 vk     2023-12-01..2024-01-31    500  ← straddles the new year: in neither
#   ot1 rutube 2024-Q1                   300  → H1 2024
#   ot4 rutube 2024-05                   150  → H1 2024
#   ot4 vk     2024-06-15..2024-07-10     80  ← straddles H1 and July: in neither
#   ot5 youtube 2024-07-01..2024-07-14    40  → July 2024
# Reach typed by organisers (same rule):
#   site visitors 2023 50 000; social 2023-H1 20 000 and 2023-H2 30 000; media 2023-Q4 7 000
#   social 2024-H1 25 000; site visitors 2024-H1 40 000
#   media 2024-06-20..2024-07-10 5 000  ← straddles: in neither
#   site visitors 2024-07 9 000
# The media records start on 1 January 2023 (the first count's and reach's period).
# Awards: two in 2023, one in 2024 (an award has only a year).


def _build_media(world: World) -> None:
    gamma = world.enterprises["Гамма"]
    published = {
        "ot1": dt.date(2023, 2, 1),
        "ot2": dt.date(2023, 9, 15),
        "ot3": dt.date(2023, 11, 1),
        "ot4": dt.date(2024, 3, 10),
        "ot5": dt.date(2024, 7, 1),
        "ot6": dt.date(2024, 7, 20),
    }
    for name, day in published.items():
        world.tours[name] = make_online_tour(
            enterprise=gamma, published_on=day, is_published=name != "ot3"
        )
    plays = [
        ("ot1", dt.date(2023, 2, 1), "v1"),
        ("ot1", dt.date(2023, 2, 1), "v2"),
        ("ot1", dt.date(2023, 2, 2), "v1"),
        ("ot2", dt.date(2023, 12, 31), "v3"),
        ("ot1", dt.date(2024, 1, 1), "v1"),
        ("ot4", dt.date(2024, 3, 10), "v1"),
        ("ot4", dt.date(2024, 6, 30), "v2"),
        ("ot5", dt.date(2024, 7, 2), "v4"),
        ("ot5", dt.date(2024, 7, 14), "v4"),
    ]
    SitePlay.objects.bulk_create(
        SitePlay(tour=world.tours[tour], day=day, visitor=visitor) for tour, day, visitor in plays
    )
    counts = [
        ("ot1", "rutube", Y2023, 1000),
        ("ot2", "rutube", Period.quarter(2023, 4), 200),
        ("ot1", "vk", Period(dt.date(2023, 12, 1), dt.date(2024, 1, 31)), 500),
        ("ot1", "rutube", Period.quarter(2024, 1), 300),
        ("ot4", "rutube", Period.month(2024, 5), 150),
        ("ot4", "vk", Period(dt.date(2024, 6, 15), dt.date(2024, 7, 10)), 80),
        ("ot5", "youtube", Period(dt.date(2024, 7, 1), dt.date(2024, 7, 14)), 40),
    ]
    for tour, platform, period, views in counts:
        make_platform_views(world.tours[tour], period, views, platform=platform)
    site, social, media = ReachChannel.SITE_VISITORS, ReachChannel.SOCIAL, ReachChannel.MEDIA
    reach = [
        (site, Y2023, 50_000),
        (social, Period.half(2023, 1), 20_000),
        (social, Period.half(2023, 2), 30_000),
        (media, Period.quarter(2023, 4), 7_000),
        (social, H1_2024, 25_000),
        (site, H1_2024, 40_000),
        (media, Period(dt.date(2024, 6, 20), dt.date(2024, 7, 10)), 5_000),
        (site, JULY_2024, 9_000),
    ]
    for channel, period, value in reach:
        make_reach(channel, period=period, value=value)
    for year in (2023, 2023, 2024):
        make_award(year=year, name=f"Премия №{next(_seq)}")


# --- Export --------------------------------------------------------------------------------
#
#   event  kind        dates                     published  participants → report
#   e1     mission     2023-04-10..2023-04-14    yes   Дельта: 5 meetings; 1 000 000 RUB and
#                                                        10 000 USD at 90 = 900 000,00
#                                                      Эпсилон: 3 meetings; 50 000 CNY, no rate
#                                                        (counted as a contract, not in value)
#                                                      Дзета: withdrawn  ← not a participant
#   e2     exhibition  2023-11-05..2023-11-10    yes   Дельта: 10 meetings; 2 500 000,50 RUB and
#                                                        1 234,56 CNY at 12,3456 = 15 241,38
#                                                      Дзета: confirmed (the event is over, so a
#                                                        participant), report not submitted
#   e3     b2b         2023-12-31..2024-01-02    yes   Дзета: 6 meetings        → ends in 2024
#   e4     mission     2023-06-01..2023-06-05    no    Дельта: 100 meetings     ← unpublished
#   e5     exhibition  2024-03-15..2024-03-20    yes   Эпсилон: 4 meetings; 300 000 RUB
#   e6     mission     2024-07-08..2024-07-12    yes   Дельта: 2 meetings; 100 EUR at 100,5
#   e7     mission     2024-07-10..2024-07-15    yes   Эпсилон: confirmed       ← ends today
#   e8     exhibition  2024-09-01..2024-09-05    yes   (future)
# The export records start on 14 April 2023 (the first published event's end).


def _build_export(world: World) -> None:
    companies = {}
    for name in ("Дельта", "Эпсилон", "Дзета"):
        companies[name] = make_company(short_name=name, created_at=at(2023, 2, 1, 9))
        world.enterprises[name] = companies[name][0]

    def event(name, kind, starts, ends, *, published=True, rates=()):
        world.events[name] = make_export_event(
            with_call=False, kind=kind, starts_on=starts, ends_on=ends, is_published=published
        )
        for currency, rate in rates:
            EventRate.objects.create(
                event=world.events[name], currency=currency, rub_per_unit=Decimal(rate)
            )
        return world.events[name]

    def take_part(event, company, status, *, meetings=None, contracts=(), submitted=True):
        enterprise, host = companies[company]
        application = make_application(event=event, enterprise=enterprise, user=host, status=status)
        if meetings is None:
            return
        report = OutcomeReport.objects.create(
            application=application,
            meetings_held=meetings,
            submitted_by=host,
            submitted_at=NOW if submitted else None,
        )
        for value, currency in contracts:
            Contract.objects.create(
                report=report, counterpart="Покупатель", value=Decimal(value), currency=currency
            )

    done, confirmed = ApplicationStatus.PARTICIPATED, ApplicationStatus.CONFIRMED
    d = dt.date
    e1 = event("e1", EventKind.MISSION, d(2023, 4, 10), d(2023, 4, 14), rates=[("USD", "90")])
    take_part(e1, "Дельта", done, meetings=5, contracts=[("1000000", "RUB"), ("10000", "USD")])
    take_part(e1, "Эпсилон", done, meetings=3, contracts=[("50000", "CNY")])
    take_part(e1, "Дзета", ApplicationStatus.WITHDRAWN)
    e2 = event(
        "e2", EventKind.EXHIBITION, d(2023, 11, 5), d(2023, 11, 10), rates=[("CNY", "12.3456")]
    )
    take_part(
        e2, "Дельта", done, meetings=10, contracts=[("2500000.50", "RUB"), ("1234.56", "CNY")]
    )
    take_part(e2, "Дзета", confirmed, meetings=7, contracts=[("999", "RUB")], submitted=False)
    e3 = event("e3", EventKind.B2B, d(2023, 12, 31), d(2024, 1, 2))
    take_part(e3, "Дзета", done, meetings=6)
    e4 = event("e4", EventKind.MISSION, d(2023, 6, 1), d(2023, 6, 5), published=False)
    take_part(e4, "Дельта", done, meetings=100, contracts=[("7000000", "RUB")])
    e5 = event("e5", EventKind.EXHIBITION, d(2024, 3, 15), d(2024, 3, 20))
    take_part(e5, "Эпсилон", done, meetings=4, contracts=[("300000", "RUB")])
    e6 = event("e6", EventKind.MISSION, d(2024, 7, 8), d(2024, 7, 12), rates=[("EUR", "100.5")])
    take_part(e6, "Дельта", done, meetings=2, contracts=[("100", "EUR")])
    e7 = event("e7", EventKind.MISSION, d(2024, 7, 10), d(2024, 7, 15))
    take_part(e7, "Эпсилон", confirmed, meetings=1, contracts=[("5000", "RUB")])
    event("e8", EventKind.EXHIBITION, d(2024, 9, 1), d(2024, 9, 5))


# --- SEZ -----------------------------------------------------------------------------------
#
#   company        agreement    located            residency
#   Резидент-1     2023-02-01   from 2023-02-15
#   Резидент-2     2023-08-01   from 2023-09-01
#   Резидент-3     2023-03-01   2023-03-10..2024-05-31  terminated 2024-04-30
#   Размещённая    —            from 2024-02-01   (located, not a resident)
#   Резидент-4     2024-07-01   from 2024-07-10
# The zone's residency records start on 15 February 2023.
#
# Reports (version: investment / jobs / revenue; money in roubles):
#   Резидент-1 2023 annual: v1 approved 10 000 000 / 20 / 50 000 000 (superseded by v2),
#                           v2 approved 12 000 000 / 25 / 55 000 000,
#                           v3 returned 99 000 000 / 99 / 99 000 000        ← never counts
#   Резидент-1 2023-Q3:     v1 approved  2 500 000 /  4 /  9 000 000  (not in 2023: the annual
#                           report covers that year)
#   Резидент-2 2023 annual: v1 approved  3 000 000 /  5 /  8 000 000,
#                           v2 submitted 4 000 000 / 9 / 9 000 000         ← awaiting review
#   Резидент-3 2023 annual: v1 returned  8 000 000 / 8 / 8 000 000         ← never counts
#   Резидент-1 2024-Q1:     v1 approved  4 000 000 /  6 / 15 000 000
#   Резидент-2 2024-Q1:     v1 approved  1 500 000 /  2 /  3 000 000
#   Резидент-3 2024-Q1:     v1 approved    700 000 /  1 /  2 000 000  (resident then: counts)
#   Резидент-1 2024-Q2:     v1 approved  5 000 000 /  7 / 16 000 000
#   Резидент-2 2024-Q2:     v1 returned  9 999 999 / 9 / 9 999 999         ← never counts
# The reports' records start on 1 January 2023 (the 2023 annual period).


def _build_sez(world: World) -> None:
    zone = make_zone()
    residents = {
        "Резидент-1": (SEZStatus.RESIDENT, dt.date(2023, 2, 1), at(2023, 2, 1, 9)),
        "Резидент-2": (SEZStatus.RESIDENT, dt.date(2023, 8, 1), at(2023, 7, 1, 9)),
        "Резидент-3": (SEZStatus.RESIDENT, dt.date(2023, 3, 1), at(2023, 2, 1, 9)),
        "Размещённая": (SEZStatus.LOCATED, None, at(2023, 12, 31, 23, 30)),
        "Резидент-4": (SEZStatus.RESIDENT, dt.date(2024, 7, 1), at(2024, 3, 1, 9)),
    }
    for name, (status, agreement, created) in residents.items():
        membership, _host = make_resident(
            zone=zone,
            status=status,
            agreement_date=agreement,
            short_name=name,
            created_at=created,
        )
        world.memberships[name] = membership
        world.enterprises[name] = membership.enterprise
    residency = {
        "Резидент-1": {"located_from": dt.date(2023, 2, 15)},
        "Резидент-2": {"located_from": dt.date(2023, 9, 1)},
        "Резидент-3": {
            "located_from": dt.date(2023, 3, 10),
            "located_until": dt.date(2024, 5, 31),
            "agreement_status": AgreementStatus.TERMINATED,
            "terminated_on": dt.date(2024, 4, 30),
        },
        "Размещённая": {"located_from": dt.date(2024, 2, 1)},
        "Резидент-4": {"located_from": dt.date(2024, 7, 10)},
    }
    for name, fields in residency.items():
        Residency.objects.filter(membership=world.memberships[name]).update(**fields)

    def report(name, period, investment, jobs, revenue, status=VersionStatus.APPROVED):
        make_report(
            world.memberships[name],
            period,
            status=status,
            investment=Decimal(investment),
            capex=Decimal(0),
            jobs_created=jobs,
            revenue=Decimal(revenue),
            export_revenue=Decimal(0),
        )

    approved, returned, submitted = (
        VersionStatus.APPROVED,
        VersionStatus.RETURNED,
        VersionStatus.SUBMITTED,
    )
    year_2023 = make_period(zone=zone, year=2023)
    q3_2023 = make_period(zone=zone, year=2023, quarter=3)
    q1_2024 = make_period(zone=zone, year=2024, quarter=1)
    q2_2024 = make_period(zone=zone, year=2024, quarter=2)
    report("Резидент-1", year_2023, 10_000_000, 20, 50_000_000, approved)
    report("Резидент-1", year_2023, 12_000_000, 25, 55_000_000, approved)
    report("Резидент-1", year_2023, 99_000_000, 99, 99_000_000, returned)
    report("Резидент-1", q3_2023, 2_500_000, 4, 9_000_000)
    report("Резидент-2", year_2023, 3_000_000, 5, 8_000_000)
    report("Резидент-2", year_2023, 4_000_000, 9, 9_000_000, submitted)
    report("Резидент-3", year_2023, 8_000_000, 8, 8_000_000, returned)
    report("Резидент-1", q1_2024, 4_000_000, 6, 15_000_000)
    report("Резидент-2", q1_2024, 1_500_000, 2, 3_000_000)
    report("Резидент-3", q1_2024, 700_000, 1, 2_000_000)
    report("Резидент-1", q2_2024, 5_000_000, 7, 16_000_000)
    report("Резидент-2", q2_2024, 9_999_999, 9, 9_999_999, returned)


def build_world() -> World:
    """The world described in this module's comments (call with the clock frozen at NOW)."""
    world = World()
    _build_registry(world)
    _build_tourism(world)
    _build_games(world)
    _build_media(world)
    _build_export(world)
    _build_sez(world)
    return world


# --- More of the same, for query counts ----------------------------------------------------

MORE_DAYS = (
    at(2023, 4, 5),
    at(2023, 8, 8),
    at(2023, 10, 10),
    at(2024, 1, 15),
    at(2024, 2, 20),
    at(2024, 3, 25),
    at(2024, 5, 5),
    at(2024, 6, 6),
    at(2024, 7, 1),
    at(2024, 7, 2),
)


def add_more(world: World) -> None:
    """Ten more held sessions (a two-place booking each) and ten more held games (a team of
    three each), spread over the three periods: three in 2023, five in H1 2024, two in July."""
    for when in MORE_DAYS:
        session = make_session(
            experience=world.experiences["excursion B1"],
            season=world.seasons[when.year],
            starts_at=when,
            capacity=30,
        )
        book(session, 2)
        game = make_game(starts_at=when + dt.timedelta(hours=8))
        team(game, 3)
