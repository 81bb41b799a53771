"""API shapes of the open data: the KPI catalogue, a KPI's value with its comparisons, a share
of a total over several years and a series.

Values: counts and people are JSON integers; sums of money (unit ``rub``) are decimal strings
with two decimals («70800000000.00»), as elsewhere in the API, and so is an imported count
with a fraction (rare). Ratios, percentages and shares are JSON numbers.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

ContextCode = Literal["tourism", "games", "media", "export", "sez", "registry"]
UnitCode = Literal["count", "people", "rub", "views"]
SourceCode = Literal["computed", "imported", "none"]
Amount = int | str | None

PERIOD_EXAMPLES = ["2023", "2023-H1", "2023-Q2", "2023-05", "2023-01-01..2023-03-31"]
MAX_SERIES = 60


# --- In -------------------------------------------------------------------------------------


class KpiListQuery(Schema):
    context: ContextCode | None = Field(
        None, description="Только показатели одного направления программы"
    )


class KpiValueQuery(Schema):
    period: str = Field(
        max_length=64,
        description=(
            "Период: год (2023), полугодие (2023-H1), квартал (2023-Q2), месяц (2023-05) или "
            "любой диапазон дней (2023-01-01..2023-03-31, оба конца включены)"
        ),
        examples=PERIOD_EXAMPLES,
    )
    periods: str | None = Field(
        None,
        max_length=2000,
        description=(
            f"Ряд: до {MAX_SERIES} периодов через запятую (2021,2022,2023 или "
            "2023-01,2023-02) — значение и сравнения для каждого"
        ),
        examples=["2021,2022,2023"],
    )
    share_years: int | None = Field(
        None,
        ge=2,
        le=20,
        description=(
            "Доля значения года в сумме за столько лет, заканчивая этим годом (2–20). Только "
            "для периода-года и показателей-потоков (additive = true)"
        ),
    )


# --- Out ------------------------------------------------------------------------------------


class KpiDefinitionOut(Schema):
    name: str = Field(description="Машинное имя: в адресах API, CSV-файлах и импорте")
    title: str = Field(description="Название по-русски")
    definition: str = Field(description="Что и как считается, словами")
    unit: UnitCode = Field(description="count — штуки, people — человек, rub — рубли, views")
    unit_label: str = Field(description="Единица по-русски: «шт.», «чел.», «руб.»")
    context: ContextCode = Field(description="Направление программы")
    context_label: str
    additive: bool = Field(
        description=(
            "true — поток за период (значения частей складываются: экскурсии, контракты); "
            "false — состояние на последний день периода (предприятия в реестре, резиденты)"
        )
    )
    public: bool = Field(description="false — только для организаторов")


class KpiPeriodOut(Schema):
    code: str = Field(description="Кратчайшая запись периода: 2023, 2023-Q2, 2023-05…")
    label: str = Field(description="Как его пишут люди: «2023 год», «май 2023 г.»")
    start: dt.date
    end: dt.date = Field(description="Последний день (включительно)")


class KpiPeriodValueOut(Schema):
    period: KpiPeriodOut
    value: Amount = Field(
        description=(
            "Целое число; для рублей — строка с двумя знаками после точки; null — о периоде "
            "ничего не известно"
        )
    )
    source: SourceCode = Field(
        description=(
            "computed — посчитано по записям платформы; imported — историческое значение, "
            "внесённое организаторами; none — значения нет"
        )
    )
    partial: bool = Field(
        description="true — записи платформы покрывают только часть периода (начинаются позже)"
    )


class KpiChangeOut(KpiPeriodValueOut):
    ratio: float | None = Field(
        description="Во сколько раз текущее значение больше этого (два знака); null — не с чем"
    )
    percent: float | None = Field(
        description="Изменение в процентах: (текущее − это) / это × 100, один знак"
    )


class KpiPointOut(KpiPeriodValueOut):
    previous: KpiChangeOut = Field(description="Предыдущий период той же длины")
    year_before: KpiChangeOut = Field(description="Те же дни годом раньше")


class KpiShareOut(Schema):
    years: int
    first_year: int
    last_year: int
    total: Amount = Field(description="Сумма за годы; null — если за какой-то год нет значения")
    share: float | None = Field(description="Доля года в сумме, от 0 до 1 (четыре знака)")
    percent: float | None = Field(description="То же в процентах, один знак")
    values: list[KpiPeriodValueOut] = Field(description="Значения по годам, от раннего к позднему")


class KpiValueOut(KpiPointOut):
    kpi: KpiDefinitionOut
    share: KpiShareOut | None = Field(description="Только с параметром share_years")
    series: list[KpiPointOut] | None = Field(description="Только с параметром periods")
