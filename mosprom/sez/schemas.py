"""API shapes of the SEZ: reporting periods, residents' reports with every version, the
organisers' review, the zone's KPIs and the list of late residents.

Input ranges mirror the models (money: 18 digits, 2 after the point, never negative; jobs and
headcount: whole), so bad input is a 422 with a field error, never a 500. Sums of money are
decimal strings («12500000.00»), as stored; growth is a percentage with one decimal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from mosprom.core.api_types import api_text
from mosprom.sez.models import PeriodKind, VersionStatus

MAX_ID = 2**63 - 1
WHOLE_MAX = 2_147_483_647  # PositiveIntegerField

RefId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]
# What the database holds: DecimalField(max_digits=18, decimal_places=2).
Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2, allow_inf_nan=False)]
Whole = Annotated[int, Field(ge=0, le=WHOLE_MAX, strict=True)]


# --- Periods --------------------------------------------------------------------------------


class PeriodOut(Schema):
    id: int
    zone_id: int
    kind: PeriodKind = Field(description="quarter — квартал, year — год")
    name: str = Field(description="Как период называют: «1 кв. 2025», «2024 год»")
    year: int
    quarter: int | None = Field(description="1–4 для квартала, null для года")
    starts_on: dt.date
    ends_on: dt.date
    due_on: dt.date = Field(description="Последний день сдачи отчёта")

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


# --- Reports --------------------------------------------------------------------------------


class VersionOut(Schema):
    id: int
    report_id: int
    number: int = Field(description="Номер версии: 1, 2… — каждая подача добавляет версию")
    investment: Decimal = Field(description="Инвестиции за период, ₽")
    capex: Decimal = Field(description="В т. ч. капитальные вложения, ₽")
    jobs_created: int
    avg_headcount: int
    revenue: Decimal = Field(description="Выручка, ₽")
    export_revenue: Decimal = Field(description="Экспортная выручка, ₽")
    warnings: list[str] = Field(
        description="Предупреждения о резком росте или падении против прошлого периода"
    )
    status: VersionStatus = Field(
        description="submitted — на проверке, approved — принят, returned — возвращён"
    )
    status_name: str
    submitted_at: dt.datetime
    reviewed_at: dt.datetime | None
    review_comment: str = Field(description="Что исправить, если версия возвращена")

    @staticmethod
    def resolve_status_name(obj) -> str:
        return str(obj.get_status_display())


class ReportOut(Schema):
    id: int
    membership_id: int = Field(description="Резидент (членство предприятия в ОЭЗ)")
    enterprise_id: int
    enterprise_name: str
    period: PeriodOut
    late: bool = Field(description="Ничего не подано к сроку (отметка остаётся и после подачи)")
    versions: list[VersionOut] = Field(description="Все версии, по возрастанию номера")

    @staticmethod
    def resolve_enterprise_id(obj) -> int:
        return obj.membership.enterprise_id

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.membership.enterprise.short_name

    @staticmethod
    def resolve_versions(obj) -> list:
        return list(obj.versions.all())


class ReportIn(Schema):
    membership: RefId = Field(description="Резидент, за которого подаётся отчёт")
    investment: Money = Field(description="Инвестиции за период, ₽", examples=["12500000.00"])
    capex: Money = Field(description="В т. ч. капитальные вложения, ₽ (не больше инвестиций)")
    jobs_created: Whole = Field(description="Создано рабочих мест")
    avg_headcount: Whole = Field(description="Среднесписочная численность")
    revenue: Money = Field(description="Выручка, ₽")
    export_revenue: Money = Field(description="Экспортная выручка, ₽ (не больше выручки)")


class ReturnIn(Schema):
    comment: api_text(min_length=1, max_length=2000) = Field(
        description="Что нужно исправить", examples=["Проверьте капитальные вложения."]
    )


# --- KPI ------------------------------------------------------------------------------------


class KpiQuery(Schema):
    zone: int | None = Field(
        None, ge=1, le=MAX_ID, description="ОЭЗ; по умолчанию — та, что принимает отчёты"
    )
    year: int | None = Field(
        None, ge=2000, le=2100, description="Отчётный год; по умолчанию — прошлый"
    )


class TotalsOut(Schema):
    investment: Decimal
    capex: Decimal
    jobs_created: int
    avg_headcount: int
    revenue: Decimal
    export_revenue: Decimal
    reports: int = Field(description="Сколько принятых отчётов учтено")


class GrowthOut(Schema):
    investment: Decimal | None = Field(description="Рост к прошлому году, %; null — не с чем")
    capex: Decimal | None
    jobs_created: Decimal | None
    avg_headcount: Decimal | None
    revenue: Decimal | None
    export_revenue: Decimal | None


class CountsOut(Schema):
    on: dt.date
    residents: int = Field(description="Резидентов с действующим соглашением")
    located: int = Field(description="Компаний, размещённых на площадках ОЭЗ")


class KpiOut(Schema):
    zone_id: int
    zone_name: str
    year: int
    totals: TotalsOut = Field(description="Принятые годовые отчёты за год")
    previous: TotalsOut = Field(description="То же за прошлый год")
    growth: GrowthOut
    cumulative: TotalsOut = Field(description="Нарастающим итогом по этот год включительно")
    counts: CountsOut = Field(description="На сегодня")


class LateOut(Schema):
    membership_id: int
    enterprise_id: int
    enterprise_name: str
    agreement_number: str

    @staticmethod
    def resolve_membership_id(obj) -> int:
        return obj.pk

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.enterprise.short_name
