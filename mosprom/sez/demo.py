"""Demo data for the SEZ, after the second press release.

The zone «Технополис Москва» (the registry demo's) with its sites; its residents are the
registry demo's SEZ residents («Вертикаль Эйр», «Автоном Пожзащита») and the demo host's
«Микрон» (so the host has a report to file); «Монокристалл Сенсор» is located, not a resident.
Each resident has a plan for 2023–2025 and approved annual reports for 2023 and 2024 whose
zone jobs grow by 51 % (the seed: 5.9 thousand jobs, +51 %) and investment by 57 % — scaled
down: every figure is invented and small. In the fourth quarter of 2025 one resident's
version awaits review, another's was approved, and the third filed nothing: late.

Rows are written directly (as ``export.demo`` does), so loading sends no mail. Idempotent:
keyed by the residents and periods. Needs the registry demo (``manage.py demo_data``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from mosprom.registry.demo import SEZ_NAME, demo_inn
from mosprom.registry.models import Enterprise, SEZMembership, SEZStatus, SpecialEconomicZone
from mosprom.sez.models import (
    PeriodKind,
    Report,
    ReportPeriod,
    ReportVersion,
    Residency,
    ResidentPlan,
    VersionStatus,
    ZoneSite,
)

DEMO_ORGANISER = "organiser@demo.mosprom.local"
DEMO_HOST = "host@demo.mosprom.local"
M = Decimal(1_000_000)

SITES = {
    "Печатники": "Москва, Технополис «Печатники», Волгоградский пр-т, 42 (демо-адрес)",
    "Алабушево": "Москва, Зеленоград, Технополис «Алабушево» (демо-адрес)",
    "Зеленоград": "Москва, Зеленоград, площадка «Микрон» (демо-адрес)",
}


@dataclass(frozen=True)
class DemoResident:
    number: int  # registry.demo.SEED_ENTERPRISES number
    site: str
    located_from: dt.date
    # year → (investment M₽, capex M₽, jobs, avg headcount, revenue M₽, export M₽)
    actual: dict[int, tuple[int, int, int, int, int, int]]


# Zone jobs: 2023 — 100, 2024 — 151 (+51 %); investment: 2023 — 300, 2024 — 471 M₽ (+57 %).
RESIDENTS = (
    DemoResident(
        11,
        "Печатники",
        dt.date(2021, 4, 1),
        {2023: (120, 80, 45, 180, 900, 150), 2024: (190, 120, 70, 240, 1300, 260)},
    ),
    DemoResident(
        12,
        "Алабушево",
        dt.date(2022, 10, 1),
        {2023: (100, 70, 30, 90, 400, 40), 2024: (160, 100, 45, 130, 650, 90)},
    ),
    DemoResident(
        3,
        "Зеленоград",
        dt.date(2021, 7, 1),
        {2023: (80, 50, 25, 600, 2100, 300), 2024: (121, 75, 36, 630, 2500, 380)},
    ),
)
LOCATED = 13  # «Монокристалл Сенсор»
MIKRON_AGREEMENT = ("ДЕМО-ТП-0003", dt.date(2021, 6, 15))
# Q4 2025: the first resident's version awaits review, the second's was approved, the third
# (the demo host's «Микрон») is late — the host can file it from the cabinet.
QUARTER = (2025, 4)


@dataclass
class SezDemo:
    zone: SpecialEconomicZone | None
    residents: int = 0
    versions_created: int = 0


def _period(zone, *, year: int, quarter: int | None = None) -> ReportPeriod:
    if quarter is None:
        kind, starts, ends = PeriodKind.YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31)
        due = dt.date(year + 1, 4, 1)
    else:
        kind, starts = PeriodKind.QUARTER, dt.date(year, 3 * quarter - 2, 1)
        ends = dt.date(year + quarter // 4, 3 * quarter % 12 + 1, 1) - dt.timedelta(days=1)
        due = ends + dt.timedelta(days=30)
    period, _ = ReportPeriod.objects.get_or_create(
        zone=zone,
        kind=kind,
        year=year,
        quarter=quarter,
        defaults={"starts_on": starts, "ends_on": ends, "due_on": due},
    )
    return period


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def _version(membership, period, figures, *, status: str, by, reviewer) -> int:
    """One version of the report unless the report already has one; returns how many made."""
    report, _ = Report.objects.get_or_create(membership=membership, period=period)
    if report.versions.exists():
        return 0
    investment, capex, jobs, headcount, revenue, export = figures
    filed = period.due_on - dt.timedelta(days=10)
    ReportVersion.objects.create(
        report=report,
        number=1,
        investment=investment * M,
        capex=capex * M,
        jobs_created=jobs,
        avg_headcount=headcount,
        revenue=revenue * M,
        export_revenue=export * M,
        status=status,
        submitted_by=by,
        submitted_at=_at(filed),
        reviewed_by=reviewer if status != VersionStatus.SUBMITTED else None,
        reviewed_at=_at(filed + dt.timedelta(days=5))
        if status != VersionStatus.SUBMITTED
        else None,
    )
    return 1


def _mikron_resident(zone) -> None:
    """The demo host's «Микрон» as a resident (the registry demo leaves it outside the zone)."""
    mikron = Enterprise.objects.filter(inn=demo_inn(3)).first()
    if mikron is None or SEZMembership.objects.filter(enterprise=mikron).exists():
        return
    number, date = MIKRON_AGREEMENT
    SEZMembership.objects.create(
        enterprise=mikron,
        zone=zone,
        status=SEZStatus.RESIDENT,
        agreement_number=number,
        agreement_date=date,
    )


@transaction.atomic
def sez_demo_load() -> SezDemo:
    """Load the zone's sites, residencies, plans, periods and reports; a second run adds nothing."""
    zone = SpecialEconomicZone.objects.filter(name=SEZ_NAME).first()
    if zone is None:
        return SezDemo(zone=None)
    sites = {
        name: ZoneSite.objects.get_or_create(
            zone=zone, name=f"Площадка «{name}»", defaults={"address": address}
        )[0]
        for name, address in SITES.items()
    }
    _mikron_resident(zone)
    users = get_user_model().objects.filter(email__in=(DEMO_ORGANISER, DEMO_HOST))
    by_email = {user.email: user for user in users}
    organiser, host = by_email.get(DEMO_ORGANISER), by_email.get(DEMO_HOST)
    years = {year: _period(zone, year=year) for year in (2023, 2024)}
    quarter = _period(zone, year=QUARTER[0], quarter=QUARTER[1])
    result = SezDemo(zone=zone)

    located = SEZMembership.objects.filter(enterprise__inn=demo_inn(LOCATED), zone=zone).first()
    if located is not None:
        Residency.objects.get_or_create(
            membership=located,
            defaults={"site": sites["Печатники"], "located_from": dt.date(2023, 2, 1)},
        )
    for position, seed in enumerate(RESIDENTS):
        membership = SEZMembership.objects.filter(
            enterprise__inn=demo_inn(seed.number), zone=zone, status=SEZStatus.RESIDENT
        ).first()
        if membership is None:
            continue
        result.residents += 1
        Residency.objects.get_or_create(
            membership=membership,
            defaults={"site": sites[seed.site], "located_from": seed.located_from},
        )
        for year in (2023, 2024, 2025):
            base = seed.actual.get(year) or seed.actual[2024]
            growth = Decimal("1.1") if year == 2025 else Decimal("0.95")
            ResidentPlan.objects.get_or_create(
                membership=membership,
                year=year,
                defaults={
                    "investment": (base[0] * growth).quantize(Decimal(1)) * M,
                    "capex": (base[1] * growth).quantize(Decimal(1)) * M,
                    "jobs": int(base[2] * growth),
                    "revenue": (base[4] * growth).quantize(Decimal(1)) * M,
                    "export_revenue": (base[5] * growth).quantize(Decimal(1)) * M,
                },
            )
        for year, period in years.items():
            result.versions_created += _version(
                membership,
                period,
                seed.actual[year],
                status=VersionStatus.APPROVED,
                by=host if seed.number == 3 else None,
                reviewer=organiser,
            )
        if position == 2:  # late: nothing filed, flagged as the late check would
            report, _ = Report.objects.get_or_create(membership=membership, period=quarter)
            if not report.late:
                report.late = True
                report.save(update_fields=["late", "updated_at"])
            continue
        quarterly = tuple(max(1, round(value / 4)) for value in seed.actual[2024])
        result.versions_created += _version(
            membership,
            quarter,
            quarterly,
            status=VersionStatus.SUBMITTED if position == 0 else VersionStatus.APPROVED,
            by=host if seed.number == 3 else None,
            reviewer=organiser,
        )
    return result
