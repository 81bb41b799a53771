"""Open data: the KPI catalogue, a KPI's value with comparisons, the same as CSV
(``/api/v1/kpi…``).

Public reads. A request without ``Authorization`` reads the public KPIs; an organiser's (or an
administrator's) token also shows the non-public ones (``sez_revenue``); to anyone else a
non-public KPI does not exist (404). A bad token is a 401 here too, so a client that means to
read as an organiser is told instead of silently seeing less.

Which value a period gets (records, imported history or nothing) is ``analytics.values``; the
answer says which (``source``, ``partial``). Every computation runs inside
``catalogue.computing()``, so a context's figures for a period are read once per request.

The CSV (``/kpi/{name}.csv``, a separate operation: one content type per operation) is for
spreadsheets opened by people in Russia: UTF-8 with a BOM, ``;`` between fields, a decimal
comma. Its ``kpi``, ``period`` and ``value`` columns are those ``kpi_import`` reads, so a
downloaded table can be corrected and imported back.
"""

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from mosprom.accounts.api_auth import token_auth
from mosprom.analytics import catalogue
from mosprom.analytics.catalogue import Kpi, Number, Unit
from mosprom.analytics.schemas import (
    MAX_SERIES,
    KpiDefinitionOut,
    KpiListQuery,
    KpiValueOut,
    KpiValueQuery,
)
from mosprom.analytics.values import KpiValue, Share, change, resolve, share_of_years
from mosprom.core.periods import Period, PeriodError, parse_period
from mosprom.registry.api import Pagination
from mosprom.registry.schemas import ValidationErrorOut
from mosprom.tourism.api import PAGE_PARAMS, ErrorOut, only_known_query

router = Router(tags=["Показатели программы"])

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 422: ValidationErrorOut}
ONE_ERRORS: dict[int, Any] = {404: ErrorOut, **READ_ERRORS}
VALUE_PARAMS = frozenset(KpiValueQuery.model_fields)
# The bearer token is optional: OpenAPI says so with an empty alternative.
OPTIONAL_TOKEN = {"security": [{}]}

KpiName = Annotated[
    str,
    Path(
        description=(
            "Машинное имя показателя из /api/v1/kpi/; организаторам с токеном доступны и "
            "непубличные"
        ),
        examples=[kpi.name for kpi in catalogue.all_kpis(public_only=True)],
    ),
]


class KpiPagination(Pagination):
    """The catalogue fits one page by default (``limit`` up to 100)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=100, description="Сколько показателей вернуть")
        offset: int = Field(0, ge=0, le=10**9, description="Сколько показателей пропустить")


def _reader(request: HttpRequest):
    """No ``Authorization`` header: an anonymous reader. A header ``token_auth`` refused is
    left refused (401)."""
    if "Authorization" in request.headers:
        return None
    return AnonymousUser()


READERS = [token_auth, _reader]


def _sees_all(request: HttpRequest) -> bool:
    return bool(getattr(request.auth, "is_organiser", False))


def _visible_kpi(request: HttpRequest, name: str) -> Kpi:
    kpi = catalogue.get_kpi(name)
    if kpi is None or not (kpi.public or _sees_all(request)):
        raise HttpError(404, _("Такого показателя нет."))
    return kpi


def _kpi_out(kpi: Kpi) -> dict:
    return {
        "name": kpi.name,
        "title": str(kpi.title),
        "definition": str(kpi.definition),
        "unit": kpi.unit,
        "unit_label": kpi.unit_label,
        "context": kpi.context,
        "context_label": kpi.context_label,
        "additive": kpi.additive,
        "public": kpi.public,
    }


# --- The query: periods and shares ----------------------------------------------------------


class InvalidQuery(Exception):
    """A query parameter the operation cannot use, with a Russian message for that field."""

    def __init__(self, field: str, message: str, kind: str) -> None:
        super().__init__(message)
        self.field, self.message, self.kind = field, message, kind

    def response(self) -> Status:
        return Status(
            422,
            {"detail": [{"loc": ["query", self.field], "msg": self.message, "type": self.kind}]},
        )


@dataclass(frozen=True)
class Request:
    kpi: Kpi
    period: Period
    series: list[Period] | None
    share_years: int | None


def _series(text: str) -> list[Period]:
    parts = [part.strip() for part in text.split(",")]
    if len(parts) > MAX_SERIES:
        raise InvalidQuery(
            "periods",
            _("Не больше %(n)d периодов в одном запросе.") % {"n": MAX_SERIES},
            "too_long",
        )
    periods = []
    for part in parts:
        if not part:
            raise InvalidQuery("periods", _("Пустой период в списке: лишняя запятая?"), "period")
        try:
            periods.append(parse_period(part))
        except PeriodError as exc:
            raise InvalidQuery(
                "periods",
                _("«%(value)s»: %(error)s") % {"value": part[:40], "error": exc},
                "period",
            ) from None
    return list(dict.fromkeys(periods))


def _read_query(kpi: Kpi, query: KpiValueQuery) -> Request:
    try:
        period = parse_period(query.period)
    except PeriodError as exc:
        raise InvalidQuery("period", str(exc), "period") from None
    series = _series(query.periods) if query.periods is not None else None
    if query.share_years is not None:
        if not kpi.additive:
            raise InvalidQuery(
                "share_years",
                _(
                    "«%(title)s» — показатель на дату, а не за период: его значения за разные "
                    "годы не складываются, поэтому долю от суммы за несколько лет посчитать "
                    "нельзя."
                )
                % {"title": kpi.title},
                "not_additive",
            )
        if period != Period.year(period.start.year):
            raise InvalidQuery(
                "share_years",
                _("Долю от суммы за несколько лет считают только для года: period=2023."),
                "not_a_year",
            )
    return Request(kpi, period, series, query.share_years)


# --- Computing the answer -------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    value: KpiValue
    previous: Any  # values.Change
    year_before: Any


@dataclass(frozen=True)
class Answer:
    kpi: Kpi
    points: list[Point]  # the requested period first, then the series
    series: bool
    share: Share | None


def _points(kpi: Kpi, periods: Sequence[Period]) -> list[Point]:
    """Each period against the one before and the same days a year earlier, from one
    ``resolve`` of every period involved."""
    wanted = list(
        dict.fromkeys(
            p for period in periods for p in (period, period.previous(), period.year_before())
        )
    )
    by_period = {value.period: value for value in resolve(kpi, wanted)}
    points = []
    for period in periods:
        current = by_period[period]
        points.append(
            Point(
                current,
                change(current, by_period[period.previous()]),
                change(current, by_period[period.year_before()]),
            )
        )
    return points


def _answer(request: Request) -> Answer:
    periods = [request.period, *(request.series or [])]
    with catalogue.computing():
        points = {
            point.value.period: point
            for point in _points(request.kpi, list(dict.fromkeys(periods)))
        }
        share = (
            share_of_years(request.kpi, request.period.start.year, years=request.share_years)
            if request.share_years
            else None
        )
    return Answer(
        request.kpi,
        [points[period] for period in periods],
        request.series is not None,
        share,
    )


# --- JSON -----------------------------------------------------------------------------------

TWO_PLACES = Decimal("0.01")
ONE_PLACE = Decimal("0.1")


def _amount(kpi: Kpi, number: Number | None) -> int | str | None:
    """Counts as integers; money (and a fractional imported count) as a decimal string."""
    if number is None:
        return None
    if kpi.unit != Unit.RUB and number == int(number):
        return int(number)
    return str(Decimal(number).quantize(TWO_PLACES, rounding=ROUND_HALF_UP))


def _period_out(period: Period) -> dict:
    return {"code": period.code, "label": period.label, "start": period.start, "end": period.end}


def _value_out(value: KpiValue) -> dict:
    return {
        "period": _period_out(value.period),
        "value": _amount(value.kpi, value.value),
        "source": value.source,
        "partial": value.partial,
    }


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _change_out(change) -> dict:
    return _value_out(change.base) | {
        "ratio": _number(change.ratio),
        "percent": _number(change.percent),
    }


def _point_out(point: Point) -> dict:
    return _value_out(point.value) | {
        "previous": _change_out(point.previous),
        "year_before": _change_out(point.year_before),
    }


def _share_percent(share: Share) -> Decimal | None:
    # From the value and the total, not from the rounded share: 0.54545… is 54.5%, while
    # the share rounded first (0.5455) would round again to 54.6%.
    if share.share is None:
        return None
    percent = Decimal(share.value.value) * 100 / Decimal(share.total)
    return percent.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _share_out(kpi: Kpi, share: Share) -> dict:
    return {
        "years": len(share.years),
        "first_year": share.years[0].period.start.year,
        "last_year": share.years[-1].period.start.year,
        "total": _amount(kpi, share.total),
        "share": _number(share.share),
        "percent": _number(_share_percent(share)),
        "values": [_value_out(value) for value in share.years],
    }


def _answer_out(answer: Answer) -> dict:
    main, *series = answer.points
    return _point_out(main) | {
        "kpi": _kpi_out(answer.kpi),
        "share": _share_out(answer.kpi, answer.share) if answer.share else None,
        "series": [_point_out(point) for point in series] if answer.series else None,
    }


# --- CSV ------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "kpi",
    "title",
    "unit",
    "period",
    "period_label",
    "start",
    "end",
    "value",
    "source",
    "partial",
    "previous_period",
    "previous_value",
    "previous_source",
    "previous_ratio",
    "previous_percent",
    "year_before_period",
    "year_before_value",
    "year_before_source",
    "year_before_ratio",
    "year_before_percent",
    "share_years",
    "share_total",
    "share_percent",
)


def _comma(number: Number | Decimal | None, places: Decimal | None = None) -> str:
    """A number as Russian Excel reads it: decimal comma, no grouping; empty for none."""
    if number is None:
        return ""
    if places is not None:
        number = Decimal(number).quantize(places, rounding=ROUND_HALF_UP)
    return str(number).replace(".", ",")


def _csv_amount(kpi: Kpi, number: Number | None) -> str:
    amount = _amount(kpi, number)
    return "" if amount is None else str(amount).replace(".", ",")


def _csv_change(kpi: Kpi, change) -> list[str]:
    return [
        change.base.period.code,
        _csv_amount(kpi, change.base.value),
        change.base.source,
        _comma(change.ratio),
        _comma(change.percent),
    ]


def _csv_rows(answer: Answer) -> Iterable[list[str]]:
    kpi = answer.kpi
    seen = set()
    for index, point in enumerate(answer.points):
        value = point.value
        if value.period in seen:  # the requested period repeated in the series
            continue
        seen.add(value.period)
        share = answer.share if index == 0 else None
        yield [
            kpi.name,
            str(kpi.title),
            kpi.unit,
            value.period.code,
            value.period.label,
            value.period.start.isoformat(),
            value.period.end.isoformat(),
            _csv_amount(kpi, value.value),
            value.source,
            "1" if value.partial else "0",
            *_csv_change(kpi, point.previous),
            *_csv_change(kpi, point.year_before),
            str(len(share.years)) if share else "",
            _csv_amount(kpi, share.total) if share else "",
            _comma(_share_percent(share)) if share else "",
        ]


def _csv_response(answer: Answer, period: Period) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="kpi-{answer.kpi.name}-{period.code}.csv"'
    )
    response.write("\ufeff")  # Excel reads UTF-8 only with a BOM
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_rows(answer))
    return response


# --- Operations -----------------------------------------------------------------------------

VALUE_DESCRIPTION = (
    "Значение за период (period) и откуда оно: computed — посчитано по записям платформы "
    "(всегда важнее внесённого), imported — историческое значение организаторов, none — "
    "неизвестно; partial — записи покрывают только часть периода. Рядом — предыдущий "
    "период той же длины и те же дни годом раньше: значение, во сколько раз (ratio) и на "
    "сколько процентов (percent) текущее больше. share_years=N — доля года в сумме за N лет "
    "(только для показателей-потоков); periods=2021,2022,2023 — ряд (до 60 периодов). "
    "Суммы в рублях — строки. Неизвестный или закрытый показатель — 404, неверный период — "
    "422 с сообщением у поля."
)


@router.get(
    "/kpi/",
    auth=READERS,
    response={200: list[KpiDefinitionOut], **READ_ERRORS},
    summary="Показатели программы",
    description=(
        "Каталог показателей с определениями и единицами, в порядке направлений программы. "
        "Без токена — публичные; организаторам с токеном — все."
    ),
    operation_id="kpi_list",
    openapi_extra=OPTIONAL_TOKEN,
)
@paginate(KpiPagination)
def kpi_list(request: HttpRequest, filters: Query[KpiListQuery]):
    only_known_query(request, PAGE_PARAMS | set(KpiListQuery.model_fields))
    kpis = catalogue.all_kpis(public_only=not _sees_all(request))
    return [_kpi_out(kpi) for kpi in kpis if filters.context in (None, kpi.context)]


# Before ``/kpi/{name}``: Django tries the routes in order, and ``{name}`` would take «x.csv».
@router.get(
    "/kpi/{name}.csv",
    auth=READERS,
    response=ONE_ERRORS,
    summary="Значение показателя — CSV",
    description=(
        "То же, что /api/v1/kpi/{name}, таблицей для Excel: UTF-8 с BOM, разделитель «;», "
        "десятичная запятая, даты ISO. Строка на период: сначала period, затем periods; "
        "столбцы: " + ", ".join(CSV_COLUMNS) + ". Столбцы kpi, period, value — те, что "
        "читает импорт kpi_import."
    ),
    operation_id="kpi_value_csv",
    openapi_extra=OPTIONAL_TOKEN
    | {
        "responses": {
            200: {
                "description": "CSV",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def kpi_value_csv(request: HttpRequest, name: KpiName, query: Query[KpiValueQuery]):
    only_known_query(request, VALUE_PARAMS)
    kpi = _visible_kpi(request, name)
    try:
        wanted = _read_query(kpi, query)
    except InvalidQuery as exc:
        return exc.response()
    return _csv_response(_answer(wanted), wanted.period)


@router.get(
    "/kpi/{name}",
    auth=READERS,
    response={200: KpiValueOut, **ONE_ERRORS},
    summary="Значение показателя со сравнениями",
    description=VALUE_DESCRIPTION,
    operation_id="kpi_value",
    openapi_extra=OPTIONAL_TOKEN,
)
def kpi_value(request: HttpRequest, name: KpiName, query: Query[KpiValueQuery]):
    only_known_query(request, VALUE_PARAMS)
    kpi = _visible_kpi(request, name)
    try:
        wanted = _read_query(kpi, query)
    except InvalidQuery as exc:
        return exc.response()
    return _answer_out(_answer(wanted))
