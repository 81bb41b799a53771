"""A dataset built to match the figures of seed 004_ce042c33fd9ad8ea.txt (mid-2025: the
registry, the SEZ «Технополис Москва» and export support).

``build()`` writes, through the models (``bulk_create`` where there are many rows):

=============================  ================================================================
figure in the seed             records
=============================  ================================================================
almost 4,6K enterprises        4 585 enterprises in the registry, entered in 2021
230+ companies in the SEZ,     234 companies located in the zone since 2019, 124 of them
124 residents                  residents with an agreement of 2020
investment +57%, over 70,8bn   approved annual reports: 2023 — 45 117 000 000 ₽, 2024 —
                               70 834 000 000 ₽ (+57,0%)
~5,9K new jobs, +51% vs 2023   approved annual reports: 2023 — 3 910, 2024 — 5 905 (+51,0%)
11 business missions and two   in the first half of 2025: 11 missions (3 companies each) and
largest fairs in H1            2 exhibitions with a joint stand
7 companies at CIIF Shanghai   China International Industry Fair (Shanghai), June 2025: 7
                               participating companies
=============================  ================================================================

The releases are read with the clock in July 2025 (``NOW``): for the first half of 2025
(export, the registry and the zone's companies at its end) and for 2024 (the zone's
investment and jobs).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from mosprom.accounts.models import Role, User
from mosprom.analytics.tests.seed_000 import make_enterprises, moscow, spread
from mosprom.core import clock
from mosprom.export.models import Application, ApplicationStatus, EventKind, ExportEvent
from mosprom.registry.demo import SEZ_NAME
from mosprom.registry.models import SEZMembership, SEZStatus, SpecialEconomicZone
from mosprom.sez.models import (
    PeriodKind,
    Report,
    ReportPeriod,
    ReportVersion,
    Residency,
    VersionStatus,
    ZoneSite,
)

NOW = dt.datetime(2025, 7, 20, 12, tzinfo=dt.UTC)

ENTERPRISES = 4585
LOCATED = 234
RESIDENTS = 124
INVESTMENT = {2023: 45_117_000_000, 2024: 70_834_000_000}
JOBS = {2023: 3910, 2024: 5905}
MISSIONS = 11
MISSION_COMPANIES = 3
CIIF_COMPANIES = 7
OTHER_FAIR_COMPANIES = 5


def _sez(enterprises: list) -> None:
    zone, _ = SpecialEconomicZone.objects.get_or_create(name=SEZ_NAME)
    site, _ = ZoneSite.objects.get_or_create(zone=zone, name="Площадка «Печатники»")
    memberships = SEZMembership.objects.bulk_create(
        SEZMembership(
            enterprise=enterprise,
            zone=zone,
            status=SEZStatus.RESIDENT if index < RESIDENTS else SEZStatus.LOCATED,
            agreement_number=f"ОЭЗ-{index + 1:04d}" if index < RESIDENTS else "",
            agreement_date=dt.date(2020, 3, 1) if index < RESIDENTS else None,
        )
        for index, enterprise in enumerate(enterprises[:LOCATED])
    )
    Residency.objects.bulk_create(
        Residency(membership=membership, site=site, located_from=dt.date(2019, 6, 1))
        for membership in memberships
    )
    residents = memberships[:RESIDENTS]
    for year in INVESTMENT:
        period = ReportPeriod.objects.create(
            zone=zone,
            kind=PeriodKind.YEAR,
            year=year,
            starts_on=dt.date(year, 1, 1),
            ends_on=dt.date(year, 12, 31),
            due_on=dt.date(year + 1, 2, 1),
        )
        reports = Report.objects.bulk_create(
            Report(membership=membership, period=period) for membership in residents
        )
        investments = spread(INVESTMENT[year], len(reports))
        jobs = spread(JOBS[year], len(reports))
        ReportVersion.objects.bulk_create(
            ReportVersion(
                report=report,
                number=1,
                investment=Decimal(investment),
                capex=Decimal(investment) / 2,
                jobs_created=created,
                avg_headcount=200,
                revenue=Decimal(investment) * 3,
                export_revenue=Decimal(investment) / 10,
                status=VersionStatus.APPROVED,
                submitted_at=moscow(dt.date(year + 1, 1, 20)),
                reviewed_at=moscow(dt.date(year + 1, 1, 25)),
            )
            for report, investment, created in zip(reports, investments, jobs, strict=True)
        )


def _event(kind: str, title: str, country: str, city: str, day: dt.date, companies: list):
    event = ExportEvent.objects.create(
        kind=kind,
        title=title,
        country=country,
        city=city,
        starts_on=day,
        ends_on=day + dt.timedelta(days=4),
        places=10,
        is_published=True,
    )
    return event, companies


def _export(enterprises: list) -> None:
    host = User.objects.create(email="seed004-export@example.test", password="!", role=Role.HOST)
    pool = iter(enterprises[LOCATED:])
    events = [
        _event(
            EventKind.MISSION,
            f"Бизнес-миссия московских производителей №{number + 1}",
            "Казахстан",
            "Алматы",
            dt.date(2025, 1 + number // 2, 5 + 10 * (number % 2)),
            [next(pool) for _ in range(MISSION_COMPANIES)],
        )
        for number in range(MISSIONS)
    ]
    events.append(
        _event(
            EventKind.EXHIBITION,
            "China International Industry Fair",
            "Китай",
            "Шанхай",
            dt.date(2025, 6, 16),
            [next(pool) for _ in range(CIIF_COMPANIES)],
        )
    )
    events.append(
        _event(
            EventKind.EXHIBITION,
            "Иннопром. Центральная Азия",
            "Узбекистан",
            "Ташкент",
            dt.date(2025, 4, 21),
            [next(pool) for _ in range(OTHER_FAIR_COMPANIES)],
        )
    )
    applications = []
    for event, companies in events:
        for enterprise in companies:
            applications.append(
                Application(
                    event=event,
                    enterprise=enterprise,
                    created_by=host,
                    status=ApplicationStatus.PARTICIPATED,
                    submitted_at=moscow(event.starts_on - dt.timedelta(days=40)),
                )
            )
        ExportEvent.objects.filter(pk=event.pk).update(taken=len(companies))
    # A company turned down is not a participant.
    applications.append(
        Application(
            event=events[-2][0],
            enterprise=next(pool),
            created_by=host,
            status=ApplicationStatus.REJECTED,
            submitted_at=moscow(dt.date(2025, 5, 1)),
        )
    )
    Application.objects.bulk_create(applications)


def build() -> None:
    """The records of seed 004 (see the module docstring)."""
    with clock.frozen(NOW):
        enterprises = make_enterprises(ENTERPRISES, created_at=moscow(dt.date(2021, 3, 1)))
        _sez(enterprises)
        _export(enterprises)
