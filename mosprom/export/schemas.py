"""API shapes of export support: events with their calls, the public showcase, companies'
applications with their history and outcome reports, the ranking, the fair vote, the figures.

Input lengths and ranges mirror the models, so bad input is a 422 with a field error, never
a 500. Sums of money are decimal strings («12500.00»), as stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.urls import NoReverseMatch
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict
from pydantic_core import PydanticCustomError

from mosprom.core import clock
from mosprom.core.api_types import MAX_ID, api_text
from mosprom.export.models import ApplicationStatus, EventKind
from mosprom.tourism.schemas import Day

MAX_COUNT = 100_000  # meetings or agreements one company reports: far above any real number
MAX_LIST = 100  # products of an application, contracts of a report

RefId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT, strict=True)]
Language = Literal["ru", "en", "zh"]
# What the database holds: DecimalField(max_digits=16, decimal_places=2).
Money = Annotated[Decimal, Field(max_digits=16, decimal_places=2, allow_inf_nan=False)]


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise PydanticCustomError("email", "Неверный адрес электронной почты.") from None
    return value


Email = Annotated[api_text(max_length=254), AfterValidator(_email)]


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


def _absent_ok(description: str):
    """For PATCH: the field may be left out, but when sent it must be a value, not null."""
    return Field(None, json_schema_extra=_no_default, description=description)


# --- Events ---------------------------------------------------------------------------------


class IndustryOut(Schema):
    code: str = Field(description="Раздел ОКВЭД, две цифры")
    name: str


class CriterionOut(Schema):
    id: int
    name: str
    weight: int = Field(description="Вес критерия, 1–100")
    max_score: int = Field(description="Наибольшая оценка по критерию")


class CallOut(Schema):
    opens_at: dt.datetime
    closes_at: dt.datetime
    open: bool = Field(description="Заявки принимаются сейчас")
    required_documents: list[str] = Field(description="Документы, без которых заявку не подать")
    criteria: list[CriterionOut] = Field(description="Критерии отбора с весами")

    @staticmethod
    def resolve_open(obj) -> bool:
        return obj.is_open()

    @staticmethod
    def resolve_required_documents(obj) -> list[str]:
        return obj.documents

    @staticmethod
    def resolve_criteria(obj) -> list:
        return list(obj.criteria.all())


def page_url(obj) -> str:
    """The object's page on the site; empty while the export pages are not mounted (the API
    works without them)."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""


def _call(event):
    # ``call`` is a reverse one-to-one: reading a missing one raises.
    return getattr(event, "call", None)


class EventOut(Schema):
    id: int
    kind: EventKind = Field(
        description=(
            "mission — бизнес-миссия, exhibition — выставка с коллективным стендом Москвы, "
            "b2b — сессия B2B-встреч"
        )
    )
    kind_name: str
    title: str
    title_en: str = Field(description="Название по-английски или пустая строка")
    country: str
    city: str
    starts_on: dt.date
    ends_on: dt.date
    industries: list[IndustryOut] = Field(description="Отрасли в фокусе")
    places: int = Field(description="Мест на стенде или в делегации")
    places_left: int = Field(description="Мест, не занятых одобренными заявками")
    call_open: bool = Field(description="Приём заявок идёт сейчас")
    call_closes_at: dt.datetime | None = Field(description="Конец приёма заявок; null — приёма нет")
    url: str = Field(description="Страница мероприятия на сайте")

    @staticmethod
    def resolve_kind_name(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_industries(obj) -> list:
        return list(obj.industries.all())

    @staticmethod
    def resolve_call_open(obj) -> bool:
        call = _call(obj)
        return call is not None and call.is_open()

    @staticmethod
    def resolve_call_closes_at(obj) -> dt.datetime | None:
        call = _call(obj)
        return call.closes_at if call is not None else None

    @staticmethod
    def resolve_url(obj) -> str:
        return page_url(obj)


class EventDetailOut(EventOut):
    description: str
    description_en: str
    city_covers: str = Field(description="Что оплачивает город")
    company_pays: str = Field(description="Что оплачивает компания")
    show_chinese: bool = Field(description="Витрина участников есть и на китайском")
    call: CallOut | None = Field(description="Приём заявок: сроки, критерии, документы")

    @staticmethod
    def resolve_call(obj):
        return _call(obj)


class EventFilters(Schema):
    kind: EventKind | None = None
    country: api_text(min_length=1, max_length=100) | None = Field(
        None, description="Страна, точное название", examples=["Китай"]
    )
    year: int | None = Field(
        None, ge=2000, le=2100, description="Мероприятия, которые идут в этом году"
    )


# --- Showcase -------------------------------------------------------------------------------


class ShowcaseProductOut(Schema):
    id: int
    name: str
    description: str


class ShowcaseParticipantOut(Schema):
    enterprise_id: int
    name: str
    website: str
    url: str = Field(description="Страница предприятия в реестре")
    products: list[ShowcaseProductOut] = Field(description="Продукция, которую компания везёт")


class ShowcaseOut(Schema):
    event_id: int
    lang: Language
    languages: list[Language] = Field(description="На каких языках есть витрина")
    title: str = Field(description="Название на выбранном языке (русское, если перевода нет)")
    description: str
    country: str
    city: str
    starts_on: dt.date
    ends_on: dt.date
    participants: list[ShowcaseParticipantOut]


class ShowcaseQuery(Schema):
    lang: Language = Field("ru", description="ru, en или zh (zh — если витрина ведётся)")


# --- Applications ---------------------------------------------------------------------------


class ProductRefOut(Schema):
    id: int
    name: str


class ApplicationOut(Schema):
    id: int
    event_id: int
    event_title: str
    enterprise_id: int
    enterprise_name: str
    status: ApplicationStatus = Field(
        description=(
            "draft, submitted, in_review, accepted, waitlisted, rejected, confirmed, "
            "participated, withdrawn"
        )
    )
    status_name: str
    products: list[ProductRefOut] = Field(description="Продукция для показа (из реестра)")
    export_experience: str
    target_markets: str
    contact_name: str
    contact_email: str
    contact_phone: str
    created_at: dt.datetime
    submitted_at: dt.datetime | None

    @staticmethod
    def resolve_event_title(obj) -> str:
        return obj.event.title

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.enterprise.short_name

    @staticmethod
    def resolve_status_name(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_products(obj) -> list:
        return list(obj.products.all())


class DocumentOut(Schema):
    id: int
    title: str
    size: int = Field(description="Размер, байт")
    uploaded_at: dt.datetime


class TransitionOut(Schema):
    from_status: ApplicationStatus
    to_status: ApplicationStatus
    at: dt.datetime
    actor_name: str = Field(description="Кто изменил состояние")
    comment: str

    @staticmethod
    def resolve_actor_name(obj) -> str:
        if obj.actor_id is None:
            return ""
        return obj.actor.get_full_name() or obj.actor.email


class ContractOut(Schema):
    counterpart: str
    country: str
    value: Decimal
    currency: str = Field(description="Код валюты ISO 4217")
    value_rub: Decimal | None = Field(description="В рублях по курсу мероприятия")
    signed_on: dt.date | None


class OutcomeOut(Schema):
    meetings_held: int
    agreements: int
    expected_export_rub: Decimal
    contracts: list[ContractOut]
    contracts_value_rub: Decimal = Field(description="Сумма контрактов в рублях")
    quote: str
    quote_author: str
    submitted_at: dt.datetime | None


class ApplicationDetailOut(ApplicationOut):
    documents: list[DocumentOut] = Field(
        description="Загруженные PDF (загружаются на странице заявки; файлы — только там)"
    )
    history: list[TransitionOut] = Field(description="Все смены состояния, старые первыми")
    next_statuses: list[ApplicationStatus] = Field(
        description="Куда владелец токена может перевести заявку сейчас"
    )
    outcome: OutcomeOut | None = Field(description="Отчёт об итогах участия; null — не подан")

    @staticmethod
    def resolve_documents(obj) -> list:
        return list(obj.documents.all())

    @staticmethod
    def resolve_history(obj) -> list:
        return list(obj.transitions.all())

    @staticmethod
    def resolve_next_statuses(obj) -> list:
        return getattr(obj, "next_statuses", [])

    @staticmethod
    def resolve_outcome(obj):
        return getattr(obj, "outcome_out", None)


class ApplicationFilters(Schema):
    event: int | None = Field(None, ge=1, le=MAX_ID, description="Идентификатор мероприятия")
    status: ApplicationStatus | None = None


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


Experience = api_text(max_length=5000)
Markets = api_text(max_length=500)
ContactName = api_text(max_length=255)
Phone = api_text(max_length=32)


class ApplicationIn(_In):
    enterprise: RefId = Field(description="Предприятие, от имени которого заявка")
    products: list[RefId] = Field(
        [], max_length=MAX_LIST, description="Идентификаторы продукции этого предприятия"
    )
    export_experience: Experience = Field("", description="Опыт экспорта")
    target_markets: Markets = Field("", description="Целевые рынки", examples=["Китай, Вьетнам"])
    contact_name: ContactName = Field("", description="Контактное лицо")
    contact_email: Email = Field("", examples=["export@example.ru"])
    contact_phone: Phone = ""


class ApplicationPatch(_In):
    """Only the fields sent are changed."""

    products: list[RefId] = Field(
        None,
        max_length=MAX_LIST,
        json_schema_extra=_no_default,
        description="Новый список продукции целиком",
    )
    export_experience: Experience = _absent_ok("Опыт экспорта")
    target_markets: Markets = _absent_ok("Целевые рынки")
    contact_name: ContactName = _absent_ok("Контактное лицо")
    contact_email: Email = _absent_ok("E-mail контактного лица")
    contact_phone: Phone = _absent_ok("Телефон контактного лица")


class TransitionIn(_In):
    to: ApplicationStatus = Field(description="Новое состояние", examples=["submitted"])
    comment: api_text(max_length=1000) = Field("", description="Комментарий (причина решения)")


class ContractIn(_In):
    counterpart: api_text(min_length=1, max_length=255) = Field(description="Покупатель")
    country: api_text(max_length=100) = ""
    value: Money = Field(gt=0, description="Сумма в валюте контракта", examples=["1250000.00"])
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = Field(
        "RUB", description="Код ISO 4217; не рубли — если организатор задал курс", examples=["CNY"]
    )
    signed_on: Day | None = None


class OutcomeIn(_In):
    meetings_held: Count = Field(description="Проведено B2B-встреч")
    agreements: Count = Field(description="Подписано соглашений о намерениях")
    expected_export_rub: Money = Field(ge=0, description="Ожидаемый объём экспорта, ₽")
    contracts: list[ContractIn] = Field([], max_length=MAX_LIST)
    quote: api_text(max_length=2000) = Field("", description="Цитата для публикации")
    quote_author: api_text(max_length=255) = Field("", description="Автор цитаты и должность")


Score = Annotated[int, Field(ge=0, le=32767, strict=True)]
CriterionKey = Annotated[int, Field(ge=1, le=MAX_ID)]


# --- Ranking --------------------------------------------------------------------------------


class CriterionScoreOut(Schema):
    criterion_id: int
    score: int


class RankingItemOut(Schema):
    position: int
    application_id: int
    enterprise_id: int
    enterprise_name: str
    status: ApplicationStatus
    submitted_at: dt.datetime | None
    score: float | None = Field(description="Взвешенная оценка 0–100; null — ещё не оценена")
    scores: list[CriterionScoreOut] = Field(description="Оценки по критериям")


# --- Votes ----------------------------------------------------------------------------------


class CandidateOut(Schema):
    id: int
    title: str
    country: str
    city: str
    dates: str
    description: str
    votes: int | None = Field(description="Голосов; null — пока итоги не опубликованы")

    @staticmethod
    def resolve_votes(obj) -> int | None:
        return obj.vote_count


class VoteRoundBriefOut(Schema):
    id: int
    year: int = Field(description="Год, на который выбирают выставки")
    votes_per_enterprise: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    open: bool = Field(description="Голосование идёт сейчас")
    results_published: bool

    @staticmethod
    def resolve_open(obj) -> bool:
        return obj.opens_at <= clock.now() < obj.closes_at


class VoteRoundOut(VoteRoundBriefOut):
    candidates: list[CandidateOut] = Field(
        description="Выставки-кандидаты; после публикации итогов — по числу голосов"
    )

    @staticmethod
    def resolve_candidates(obj) -> list:
        return obj.candidate_rows


class BallotIn(_In):
    candidate: RefId = Field(description="Выставка-кандидат этого голосования")
    enterprise: RefId = Field(description="Предприятие, от имени которого голос")


class VoteOut(Schema):
    id: int
    candidate_id: int
    enterprise_id: int
    at: dt.datetime
    votes_left: int = Field(description="Сколько голосов у предприятия осталось")


# --- Figures --------------------------------------------------------------------------------


class FiguresQuery(Schema):
    start: Day | None = Field(
        None, description="Начало периода, ГГГГ-ММ-ДД; по умолчанию — 1 января текущего года"
    )
    end: Day | None = Field(None, description="Конец периода включительно; по умолчанию — сегодня")


class FiguresOut(Schema):
    start: dt.date
    end: dt.date
    missions: int = Field(description="Бизнес-миссий, закончившихся в периоде")
    exhibitions: int = Field(description="Выставок с коллективным стендом")
    b2b_sessions: int
    companies_supported: int = Field(description="Разных компаний-участников")
    meetings: int
    agreements: int
    contracts: int
    contract_value_rub: Decimal = Field(description="Сумма контрактов в рублях")
    contracts_without_rate: int = Field(
        description="Контракты в валюте, курс которой для мероприятия не задан (не в сумме)"
    )
