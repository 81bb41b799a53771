"""API shapes of online tours, their views, the programme's audience and awards.

Player and page addresses are never stored input: ``embed_url`` and ``watch_url`` are built
from the platform and the video id parsed from a recognised URL (``media.embeds``). Periods
are written as ``core.periods.parse_period`` reads them (2023, 2023-H1, 2023-Q2, 2023-05,
2023-01-01..2023-03-31) and answered with their code, label and first and last day.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from ninja import Field, Schema

from mosprom.core.api_types import MAX_ID, api_text
from mosprom.media.counts import MAX_VIEWS
from mosprom.media.models import EXTERNAL_PLATFORMS, CountSource
from mosprom.tourism.schemas import Day

ExternalPlatform = StrEnum(  # type: ignore[misc]
    "ExternalPlatform", [(p.name, p.value) for p in EXTERNAL_PLATFORMS]
)
ExternalPlatform.__doc__ = "Видеоплатформа: vk, rutube, youtube, ok (наш сайт считается сам)."

PeriodText = Annotated[
    api_text(min_length=1, max_length=40),
    Field(
        description="Период: 2023, 2023-H1, 2023-Q2, 2023-05 или 2023-01-01..2023-03-31",
        examples=["2023", "2023-Q2", "2023-05"],
    ),
]
PERIOD_QUERY_DESCRIPTION = (
    "Период: 2023, 2023-H1, 2023-Q2, 2023-05 или 2023-01-01..2023-03-31; без него — за всё время"
)


# --- Shared ---------------------------------------------------------------------------------


class PeriodOut(Schema):
    code: str = Field(description="Как период пишут в запросах: «2023», «2023-Q2»")
    label: str = Field(description="Как его называют: «2023 год», «2 кв. 2023 г.»")
    start: dt.date = Field(description="Первый день")
    end: dt.date = Field(description="Последний день (включительно)")


def period_out(period) -> dict | None:
    if period is None:
        return None
    return {"code": period.code, "label": period.label, "start": period.start, "end": period.end}


class ViewTotalsOut(Schema):
    site: int = Field(description="Просмотры на нашем сайте: один зритель — один раз в день")
    platforms: dict[str, int] = Field(
        description="Просмотры по видеоплатформам (vk, rutube, youtube, ok), как они сообщили"
    )
    total: int


def totals_out(totals) -> dict:
    return {"site": totals.site, "platforms": dict(totals.platforms), "total": totals.total}


# --- Tours ----------------------------------------------------------------------------------


class TourFilters(Schema):
    industry: str | None = Field(
        None,
        pattern=r"^[0-9]{2}$",
        description="Отрасль: раздел ОКВЭД 2, две цифры",
        examples=["26"],
    )
    enterprise: int | None = Field(None, ge=1, le=MAX_ID, description="Предприятие")
    published_from: Day | None = Field(None, description="Опубликованные с этого дня")
    published_to: Day | None = Field(None, description="Опубликованные по этот день")


class PublicationOut(Schema):
    platform: ExternalPlatform
    platform_name: str
    embed_url: str = Field(description="Адрес плеера для iframe, построен из id ролика")
    watch_url: str = Field(description="Страница ролика на платформе")


class PlayerOut(Schema):
    kind: str = Field(description="file — видеофайл на нашем сайте, embed — плеер платформы")
    src: str = Field(description="Адрес видеофайла или плеера")
    platform: str = Field(description="site, vk, rutube, youtube или ok")
    watch_url: str = Field(description="Страница ролика на платформе (для embed)")
    label: str


class TourOut(Schema):
    id: int
    title: str
    description: str
    duration_minutes: int
    published_on: dt.date
    enterprise_id: int
    enterprise_name: str
    industry: str | None = Field(description="Код отрасли (раздел ОКВЭД 2)")
    industry_name: str | None
    host_name: str = Field(description="Ведущий экскурсии, если указан")
    cover_url: str | None = Field(description="Обложка")
    cover_alt: str = Field(description="Описание обложки для незрячих посетителей")
    video_url: str | None = Field(description="Видеофайл на нашем сайте, если загружен")
    page_url: str = Field(description="Страница экскурсии на сайте")
    publications: list[PublicationOut] = Field(
        description=(
            "Где опубликована: только распознанные ролики, в порядке RUTUBE, VK, YouTube, OK"
        )
    )


class TourDetailOut(TourOut):
    player: PlayerOut | None = Field(
        description="Что играет страница: видеофайл или плеер первой платформы; null — ничего"
    )
    is_public: bool = Field(description="false — черновик или дата публикации ещё не наступила")
    views: ViewTotalsOut = Field(description="Просмотры за всё время")


class PlayOut(Schema):
    counted: bool = Field(description="false — этот зритель уже смотрел экскурсию сегодня")


class TourViewsQuery(Schema):
    period: str | None = Field(None, max_length=40, description=PERIOD_QUERY_DESCRIPTION)


class TourViewsOut(ViewTotalsOut):
    tour_id: int
    period: PeriodOut | None = Field(description="null — за всё время")


# --- Platform counts (organisers) -----------------------------------------------------------


class ViewsQuery(Schema):
    period: str | None = Field(
        None,
        max_length=40,
        description="Только записи, чей период целиком внутри этого (так их считают итоги)",
    )
    tour: int | None = Field(None, ge=1, le=MAX_ID, description="Онлайн-экскурсия")


class PlatformViewsOut(Schema):
    id: int
    tour_id: int
    tour_title: str
    platform: ExternalPlatform
    platform_name: str
    period: PeriodOut
    views: int
    source: CountSource = Field(description="manual — внесено вручную, import — из CSV")
    entered_by: str | None = Field(description="Кто внёс (e-mail)")
    entered_at: dt.datetime


def platform_views_out(row) -> dict:
    return {
        "id": row.pk,
        "tour_id": row.tour_id,
        "tour_title": row.tour.experience.title,
        "platform": row.platform,
        "platform_name": str(row.get_platform_display()),
        "period": period_out(row.period),
        "views": row.views,
        "source": row.source,
        "entered_by": row.entered_by.email if row.entered_by_id else None,
        "entered_at": row.entered_at,
    }


class PlatformViewsIn(Schema):
    tour: int = Field(ge=1, le=MAX_ID, strict=True, description="Онлайн-экскурсия")
    platform: ExternalPlatform
    period: PeriodText
    views: int = Field(ge=0, le=MAX_VIEWS, strict=True, description="Просмотры за период")


# --- Audience -------------------------------------------------------------------------------


class AudienceQuery(Schema):
    period: str | None = Field(None, max_length=40, description=PERIOD_QUERY_DESCRIPTION)


class AudiencePartOut(Schema):
    key: str = Field(description="site_visitors, social, media, online_views или participants")
    label: str
    value: int
    counted: bool = Field(
        description="true — считается по записям платформы, false — внесено организаторами"
    )
    source: str = Field(description="Откуда число, по-русски")
    details: dict[str, int] = Field(
        description=(
            "Слагаемые части: online_views — site и platforms, participants — tourism и games"
        )
    )


class AudienceOut(Schema):
    period: PeriodOut | None = Field(description="null — за всё время")
    formula: str = Field(description="Как считается аудитория")
    parts: list[AudiencePartOut]
    total: int = Field(description="Сумма частей")


# --- Awards ---------------------------------------------------------------------------------


class AwardOut(Schema):
    id: int
    name: str = Field(description="Премия или конкурс")
    category: str = Field(description="Номинация")
    year: int
    awarding_body: str = Field(description="Кто вручает")
    place: str = Field(description="Место: победа, 3 место, лауреат…")
    url: str
