"""The online tours and audience API (``/api/v1/media/…``).

Reads are public: the tours gallery, a tour with its player and publications, a tour's views
for a period, the programme's audience with its parts, the awards. A tour that is a draft or
scheduled for a later day is 404 — except to an organiser (or administrator) who sends a token:
the reads that take an optional token say so. A bad token is a 401 even where none is needed,
so a client that means to read as an organiser is told instead of silently seeing less.

Plays (``POST /media/tours/{id}/plays``) need a token of any user: the play is counted once per
user, tour and Moscow day (anonymous plays come from the site's own player, identified by a
cookie). Platform view counts are read and written by organisers.

Periods are query or body text read by ``core.periods.parse_period``; one it cannot read is a
422 whose field error names ``period``. Other errors follow ``mosprom.core.api_errors``.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Query, Router, Status
from ninja.pagination import paginate

from mosprom.accounts.api_auth import token_auth
from mosprom.core.periods import ALL_TIME, Period, PeriodError, parse_period
from mosprom.media import counts, plays, selectors
from mosprom.media.audience import audience
from mosprom.media.embeds import embed_url, parse_video_url, watch_url
from mosprom.media.models import Award, OnlineTour, Platform, Publication
from mosprom.media.schemas import (
    AudienceOut,
    AudienceQuery,
    AwardOut,
    PlatformViewsIn,
    PlatformViewsOut,
    PlayOut,
    TourDetailOut,
    TourFilters,
    TourOut,
    TourViewsOut,
    TourViewsQuery,
    ViewsQuery,
    period_out,
    platform_views_out,
    totals_out,
)
from mosprom.registry.api import Pagination
from mosprom.registry.schemas import ValidationErrorOut
from mosprom.tourism.api import (
    PAGE_PARAMS,
    PERSONAL_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    ObjectId,
    api_user,
    only_known_query,
)

router = Router(tags=["Онлайн-экскурсии и аудитория"])

READ_ERRORS = {401: ErrorOut, 422: ValidationErrorOut}
ONE_ERRORS = {404: ErrorOut, **READ_ERRORS}
STAFF_ERRORS = {403: ErrorOut, **PERSONAL_ERRORS}
# The bearer token is optional on public reads: OpenAPI says so with an empty alternative.
OPTIONAL_TOKEN = {"security": [{}]}
# «All time» for the audience: every record fits inside (parse_period's whole range).
FORMULA = gettext_noop(
    "Аудитория = посетители сайта + социальные сети + СМИ (охват, внесённый организаторами) "
    "+ просмотры онлайн-экскурсий (на нашем сайте и на видеоплатформах) + участники "
    "мероприятий (пришедшие на экскурсии и мастер-классы без неявок и участники игр). "
    "Внесённый охват и просмотры на платформах учитываются, если их период целиком внутри "
    "выбранного; части складываются как есть."
)


# --- Helpers ----------------------------------------------------------------------------------


def _reader(request: HttpRequest):
    """No ``Authorization`` header: an anonymous reader. A header ``token_auth`` refused stays
    refused (401)."""
    if "Authorization" in request.headers:
        return None
    return AnonymousUser()


READERS = [token_auth, _reader]


class QueryError(Exception):
    """A query parameter the operation cannot use, with a Russian message for that field."""

    def __init__(self, field: str, message: str, kind: str = "invalid") -> None:
        super().__init__(message)
        self.field, self.message, self.kind = field, message, kind


def query_errors(view):
    """Answer a ``QueryError`` as the API's 422 with one field error at ``["query", field]``
    (above ``paginate``, so a list refuses its filters the same way)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except QueryError as error:
            detail = [{"loc": ["query", error.field], "msg": error.message, "type": error.kind}]
            return Status(422, {"detail": detail})

    return wrapped


def _query_period(text: str | None) -> Period | None:
    if text is None:
        return None
    try:
        return parse_period(text)
    except PeriodError as error:
        raise QueryError("period", str(error), "period") from None


def _organiser(request: HttpRequest):
    user = api_user(request)
    selectors.require_organiser(user)
    return user


def _recognised(publication: Publication) -> bool:
    """Whether the stored id still reads back as a video of its platform: the player URL is
    built from it, so a row written around the services shows nothing rather than anything."""
    try:
        built = embed_url(publication.platform, publication.video_key)
        video = parse_video_url(built, platform=publication.platform)
    except (ValidationError, ValueError):
        return False
    return video.key == publication.video_key


def _publications(tour: OnlineTour) -> list[dict]:
    rank = {platform.value: index for index, platform in enumerate(selectors.PLAYER_ORDER)}
    found = sorted(tour.publications.all(), key=lambda p: rank.get(p.platform, len(rank)))
    return [
        {
            "platform": p.platform,
            "platform_name": str(Platform(p.platform).label),
            "embed_url": embed_url(p.platform, p.video_key),
            "watch_url": watch_url(p.platform, p.video_key),
        }
        for p in found
        if _recognised(p)
    ]


def _tour_out(tour: OnlineTour) -> dict:
    experience = tour.experience
    enterprise = experience.enterprise
    industry = enterprise.industry
    return {
        "id": tour.pk,
        "title": experience.title,
        "description": experience.description,
        "duration_minutes": experience.duration_minutes,
        "published_on": tour.published_on,
        "enterprise_id": enterprise.pk,
        "enterprise_name": enterprise.short_name,
        "industry": industry.code if industry else None,
        "industry_name": industry.name if industry else None,
        "host_name": tour.host_name,
        "cover_url": tour.cover.url if tour.cover else None,
        "cover_alt": tour.cover_alt,
        "video_url": tour.video.url if tour.video else None,
        "page_url": tour.get_absolute_url(),
        "publications": _publications(tour),
    }


class _Mapped:
    """A queryset the paginator counts and slices; the rows of the page go out through
    ``out`` (the page's own rows only: no query per row beyond what the queryset loads)."""

    def __init__(self, queryset: QuerySet, out) -> None:
        self.queryset, self.out = queryset, out

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, item: slice) -> list[dict]:
        return [self.out(row) for row in self.queryset[item]]


def _player(tour: OnlineTour, publications: list[dict]) -> dict | None:
    """The uploaded file first, else the first recognised publication (``selectors.player``'s
    order)."""
    if tour.video:
        return {
            "kind": "file",
            "src": tour.video.url,
            "platform": Platform.SITE.value,
            "watch_url": "",
            "label": str(Platform.SITE.label),
        }
    if not publications:
        return None
    first = publications[0]
    return {
        "kind": "embed",
        "src": first["embed_url"],
        "platform": first["platform"],
        "watch_url": first["watch_url"],
        "label": first["platform_name"],
    }


# --- Tours ------------------------------------------------------------------------------------


@router.get(
    "/media/tours",
    response={200: list[TourOut], 422: ValidationErrorOut},
    summary="Онлайн-экскурсии",
    description=(
        "Опубликованные онлайн-экскурсии (видео), новые первыми. Фильтры: industry (раздел "
        "ОКВЭД 2), enterprise, published_from и published_to (даты публикации, включительно). "
        "У каждой — где опубликована: адреса плеера и страницы ролика построены из id "
        "распознанного ролика, а не из того, что ввёл человек."
    ),
    operation_id="media_tour_list",
)
@query_errors
@paginate(Pagination)
def tour_list(request: HttpRequest, filters: Query[TourFilters]):
    only_known_query(request, PAGE_PARAMS | set(TourFilters.model_fields))
    if (
        filters.published_from is not None
        and filters.published_to is not None
        and filters.published_to < filters.published_from
    ):
        raise QueryError("published_to", _("Дата «по» раньше даты «с»."), "date_range")
    tours = selectors.tours_public(
        filters=selectors.GalleryFilters(industry=filters.industry, enterprise=filters.enterprise)
    )
    if filters.published_from is not None:
        tours = tours.filter(published_on__gte=filters.published_from)
    if filters.published_to is not None:
        tours = tours.filter(published_on__lte=filters.published_to)
    return _Mapped(tours, _tour_out)


@router.get(
    "/media/tours/{id}",
    auth=READERS,
    response={200: TourDetailOut, **ONE_ERRORS},
    summary="Онлайн-экскурсия",
    description=(
        "Экскурсия с плеером (загруженный видеофайл или плеер первой из платформ RUTUBE, VK, "
        "YouTube, OK), публикациями и просмотрами за всё время. Черновик и экскурсия с "
        "будущей датой публикации — 404; организатор с токеном видит и их."
    ),
    operation_id="media_tour_read",
    openapi_extra=OPTIONAL_TOKEN,
)
def tour_read(request: HttpRequest, id: ObjectId):
    only_known_query(request, set())
    tour = selectors.tour_for_visitor(user=request.auth, pk=id)
    out = _tour_out(tour)
    totals = counts.tour_views(tours=[tour.pk])[tour.pk]
    return out | {
        "player": _player(tour, out["publications"]),
        "is_public": selectors.is_public(tour),
        "views": totals_out(totals),
    }


@router.post(
    "/media/tours/{id}/plays",
    auth=token_auth,
    response={200: PlayOut, **WRITE_ERRORS},
    summary="Просмотр на сайте",
    description=(
        "Клиент сообщает, что владелец токена начал смотреть экскурсию. Считается один раз в "
        "день (по Москве) на зрителя: повтор в тот же день — counted=false. Экскурсию, "
        "которая ещё не опубликована, смотреть нельзя (404, организатору — 422)."
    ),
    operation_id="media_play_record",
)
def play_record(request: HttpRequest, id: ObjectId):
    user = api_user(request)
    tour = selectors.tour_for_visitor(user=user, pk=id)
    counted = plays.play_record(tour=tour, identity=f"user:{user.pk}")
    return Status(200, {"counted": counted})


@router.get(
    "/media/tours/{id}/views",
    auth=READERS,
    response={200: TourViewsOut, **ONE_ERRORS},
    summary="Просмотры онлайн-экскурсии за период",
    description=(
        "Просмотры на нашем сайте, чей день внутри периода, и на видеоплатформах — по "
        "записям, чей период целиком внутри (годовая запись не делится на месяцы). Без "
        "period — за всё время."
    ),
    operation_id="media_tour_views",
    openapi_extra=OPTIONAL_TOKEN,
)
@query_errors
def tour_views(request: HttpRequest, id: ObjectId, query: Query[TourViewsQuery]):
    only_known_query(request, set(TourViewsQuery.model_fields))
    period = _query_period(query.period)
    tour = selectors.tour_for_visitor(user=request.auth, pk=id)
    totals = counts.tour_views(period=period, tours=[tour.pk])[tour.pk]
    return {"tour_id": tour.pk, "period": period_out(period), **totals_out(totals)}


# --- Platform counts (organisers) -------------------------------------------------------------


@router.get(
    "/media/views",
    auth=token_auth,
    response={200: list[PlatformViewsOut], **STAFF_ERRORS},
    summary="Просмотры на видеоплатформах (организаторы)",
    description=(
        "Внесённые и загруженные из CSV записи, новые периоды первыми. Фильтры: tour; period "
        "— записи, чей период целиком внутри него (из них складываются итоги за период)."
    ),
    operation_id="media_views_list",
)
@query_errors
@paginate(Pagination)
def views_list(request: HttpRequest, query: Query[ViewsQuery]):
    only_known_query(request, PAGE_PARAMS | set(ViewsQuery.model_fields))
    user = _organiser(request)
    period = _query_period(query.period)
    rows = selectors.platform_views_for_staff(user=user, period=period)
    if query.tour is not None:
        rows = rows.filter(tour_id=query.tour)
    return _Mapped(rows, platform_views_out)


@router.post(
    "/media/views",
    auth=token_auth,
    response={200: PlatformViewsOut, 201: PlatformViewsOut, **WRITE_ERRORS},
    summary="Внести просмотры на видеоплатформе (организаторы)",
    description=(
        "Сколько раз экскурсию посмотрели на платформе (vk, rutube, youtube, ok) за период, "
        "как сообщила платформа. Новый период — 201; тот же период ещё раз — 200, число "
        "заменяется. Период, пересекающийся с уже внесённым за другой период той же "
        "экскурсии и платформы, — 422: пересекающиеся периоды посчитались бы дважды."
    ),
    operation_id="media_views_set",
)
def views_set(request: HttpRequest, payload: PlatformViewsIn):
    user = _organiser(request)
    try:
        period = parse_period(payload.period)
    except PeriodError as error:
        raise ValidationError({"period": [str(error)]}) from None
    tour = OnlineTour.objects.filter(pk=payload.tour).first()
    if tour is None:
        raise ValidationError({"tour": [_("Такой онлайн-экскурсии нет.")]})
    row, created = counts.platform_views_set(
        actor=user,
        tour=tour,
        platform=payload.platform.value,
        period=period,
        views=payload.views,
    )
    row = selectors.platform_views_row_for_staff(user=user, pk=row.pk)
    return Status(201 if created else 200, platform_views_out(row))


@router.delete(
    "/media/views/{id}",
    auth=token_auth,
    response={204: None, **WRITE_ERRORS},
    summary="Удалить запись о просмотрах (организаторы)",
    description="Запись уходит из всех итогов.",
    operation_id="media_views_delete",
)
def views_delete(request: HttpRequest, id: ObjectId):
    user = _organiser(request)
    row = selectors.platform_views_row_for_staff(user=user, pk=id)
    counts.platform_views_delete(actor=user, row=row)
    return Status(204, None)


# --- Audience and awards ----------------------------------------------------------------------


@router.get(
    "/media/audience",
    response={200: AudienceOut, 422: ValidationErrorOut},
    summary="Аудитория программы",
    description=(
        "Аудитория за период по формуле с её частями: охват, внесённый организаторами "
        "(посетители сайта, социальные сети, СМИ), и то, что считается по записям платформы "
        "(просмотры онлайн-экскурсий, участники экскурсий и игр). Без period — за всё время."
    ),
    operation_id="media_audience",
)
@query_errors
def audience_read(request: HttpRequest, query: Query[AudienceQuery]):
    only_known_query(request, set(AudienceQuery.model_fields))
    period = _query_period(query.period)
    figures = audience(period=period or ALL_TIME)
    return {
        "period": period_out(period),
        "formula": _(FORMULA),
        "parts": [
            {
                "key": part.key,
                "label": str(part.label),
                "value": part.value,
                "counted": part.counted,
                "source": str(part.source),
                "details": dict(part.details),
            }
            for part in figures.parts
        ],
        "total": figures.total,
    }


@router.get(
    "/media/awards",
    response={200: list[AwardOut], 422: ValidationErrorOut},
    summary="Награды программы",
    description="Премии и конкурсы, в которых отмечен «Открой#Моспром», новые первыми.",
    operation_id="media_award_list",
)
@paginate(Pagination)
def award_list(request: HttpRequest) -> QuerySet[Award]:
    only_known_query(request, PAGE_PARAMS)
    return selectors.awards_public()
