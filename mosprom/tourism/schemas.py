"""API shapes of tourism: sessions with availability, bookings, waitlist places, check-in."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from mosprom.registry.okrugs import Okrug
from mosprom.registry.schemas import ShortName
from mosprom.tourism.models import (
    BookingStatus,
    ExperienceKind,
    IdRequirement,
    SessionStatus,
    WaitlistStatus,
)
from mosprom.tourism.selectors import Availability, session_availability

# Dates the API accepts: wide enough for any birth date or programme, narrow enough that no
# arithmetic on them overflows.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _iso_date(value: object) -> object:
    # Pydantic would also take numbers and timestamps ("0" is 1970-01-01); the API's dates are
    # YYYY-MM-DD only.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        return value
    raise PydanticCustomError("date_parsing", "Нужна дата в формате ГГГГ-ММ-ДД.")


Day = Annotated[dt.date, BeforeValidator(_iso_date), Field(ge=EARLIEST, le=LATEST)]


# --- Errors ---------------------------------------------------------------------------------


class ErrorOut(Schema):
    """A refusal: a Russian message and, for refusals of the programme's rules, a code."""

    detail: str = Field(description="Сообщение для человека, по-русски")
    code: str | None = Field(
        None,
        description=(
            "Машиночитаемая причина отказа: sold_out, deadline_passed, quota_exceeded, "
            "age_restricted, registration_not_open, already_booked, too_many_places, "
            "identification_required, no_show_limited, email_not_confirmed, "
            "session_cancelled, already_waiting, places_available, offer_expired, "
            "not_cancellable, not_found, forbidden…"
        ),
        examples=["sold_out"],
    )


# --- Out ------------------------------------------------------------------------------------


class ExperienceBriefOut(Schema):
    id: int
    title: str
    kind: ExperienceKind
    kind_name: str
    min_age: int = Field(description="Минимальный возраст участника, лет (0 — без ограничения)")
    duration_minutes: int
    max_places_per_booking: int
    step_free: bool = Field(description="Доступно для маломобильных посетителей")
    id_requirement: IdRequirement = Field(
        description="Что предприятие требует для пропуска: none, full_name, passport"
    )
    meeting_point: str
    url: str = Field(description="Страница программы на сайте")

    @staticmethod
    def resolve_kind_name(obj) -> str:
        # The label straight from the choices (``get_kind_display`` rebuilds their dict per call).
        return str(ExperienceKind(obj.kind).label)

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class SessionOut(Schema):
    id: int
    experience: ExperienceBriefOut
    enterprise_id: int
    enterprise_name: str
    address: str = Field(description="Адрес площадки (или пустая строка)")
    okrug: str = Field(description="Код округа площадки (CAO, SAO, …) или пустая строка")
    season_id: int
    season_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: SessionStatus
    capacity: int
    taken: int = Field(description="Занято мест (записи и открытые предложения листа ожидания)")
    places_left: int
    availability: Availability = Field(
        description=(
            "open — можно записаться; sold_out — мест нет, можно в лист ожидания; "
            "not_open_yet, closed, started, cancelled — запись невозможна"
        )
    )
    registration_opens_at: dt.datetime
    registration_closes_at: dt.datetime

    @staticmethod
    def resolve_enterprise_id(obj) -> int:
        return obj.experience.enterprise_id

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.experience.enterprise.short_name

    @staticmethod
    def resolve_address(obj) -> str:
        site = obj.experience.site
        return site.address if site is not None else ""

    @staticmethod
    def resolve_okrug(obj) -> str:
        site = obj.experience.site
        return site.okrug if site is not None else obj.experience.enterprise.okrug

    @staticmethod
    def resolve_season_name(obj) -> str:
        return obj.season.name

    @staticmethod
    def resolve_availability(obj) -> Availability:
        return session_availability(obj)

    @staticmethod
    def resolve_registration_opens_at(obj) -> dt.datetime:
        return obj.season.registration_opens_at

    @staticmethod
    def resolve_registration_closes_at(obj) -> dt.datetime:
        return obj.registration_closes_at()


class ParticipantOut(Schema):
    full_name: str
    birth_date: dt.date | None


class BookingOut(Schema):
    id: int
    code: str = Field(description="Код билета: его можно назвать на входе")
    status: BookingStatus
    places: int
    session: SessionOut
    participants: list[ParticipantOut]
    created_at: dt.datetime
    cancelled_at: dt.datetime | None
    cancelled_by_session: bool = Field(description="Отменена, потому что отменён сеанс")
    checked_in_at: dt.datetime | None
    ticket_token: str = Field(description="Подписанный токен билета — содержимое QR-кода")
    ticket_url: str
    qr_url: str = Field(description="QR-код билета, PNG (нужен вход на сайт)")
    ics_url: str = Field(description="Событие для календаря, .ics (нужен вход на сайт)")

    @staticmethod
    def resolve_participants(obj) -> list:
        return list(obj.participants.all())

    @staticmethod
    def resolve_ticket_token(obj) -> str:
        from mosprom.tourism.tickets import ticket_token

        return ticket_token(obj)

    @staticmethod
    def resolve_ticket_url(obj) -> str:
        from mosprom.tourism.tickets import ticket_url

        return ticket_url(obj)

    @staticmethod
    def resolve_qr_url(obj) -> str:
        from mosprom.tourism.tickets import ticket_file_url

        return ticket_file_url(obj, "tourism:ticket_qr")

    @staticmethod
    def resolve_ics_url(obj) -> str:
        from mosprom.tourism.tickets import ticket_file_url

        return ticket_file_url(obj, "tourism:ticket_ics")


class WaitlistEntryOut(Schema):
    id: int
    session: SessionOut
    places: int
    status: WaitlistStatus
    created_at: dt.datetime
    offer_expires_at: dt.datetime | None = Field(
        description="До какого момента держатся предложенные места (для status=offered)"
    )
    booking_id: int | None = Field(description="Запись, сделанная по предложению")


class AttendeeParticipantOut(Schema):
    full_name: str
    birth_date: dt.date | None
    passport_masked: str = Field(
        description="Паспорт, скрытый маской (45 ** ****56); пусто, если не требовался или удалён"
    )

    @staticmethod
    def resolve_passport_masked(obj) -> str:
        from mosprom.tourism.personal_data import participant_passport_masked

        return participant_passport_masked(obj)


class AttendeeOut(Schema):
    booking_id: int
    code: str
    status: BookingStatus
    places: int
    booker_name: str
    booker_email: str
    participants: list[AttendeeParticipantOut]
    created_at: dt.datetime
    checked_in_at: dt.datetime | None
    no_show: bool

    @staticmethod
    def resolve_booking_id(obj) -> int:
        return obj.pk

    @staticmethod
    def resolve_booker_name(obj) -> str:
        return obj.user.get_full_name() or obj.user.email

    @staticmethod
    def resolve_booker_email(obj) -> str:
        return obj.user.email

    @staticmethod
    def resolve_participants(obj) -> list:
        return list(obj.participants.all())


CheckinKind = Literal["valid", "already_used", "wrong_session", "cancelled", "unknown"]


class CheckinOut(Schema):
    result: CheckinKind = Field(
        description=(
            "valid — проходите (вход отмечен сейчас); already_used — билет уже отмечен; "
            "wrong_session — билет на другой сеанс; cancelled — запись отменена; "
            "unknown — такого билета нет"
        )
    )
    message: str = Field(description="Что показать на входе, по-русски")
    code: str | None = Field(description="Код билета, если билет найден")
    places: int | None
    participants: list[str] = Field(description="Участники по билету")
    checked_in_at: dt.datetime | None


# --- In -------------------------------------------------------------------------------------


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


PassportText = Annotated[
    str,
    Field(
        max_length=32,
        pattern=r"^[0-9 \-]*$",
        description="Серия и номер паспорта РФ, 10 цифр (можно с пробелами): «45 06 123456»",
        examples=["45 06 123456"],
    ),
]


class ParticipantIn(_In):
    full_name: ShortName = Field(description="ФИО участника", examples=["Иванова Мария Петровна"])
    birth_date: Day | None = Field(
        None, description="Дата рождения; обязательна, если у программы есть возрастной ценз"
    )
    passport: PassportText = Field(
        "", description="Только для режимных предприятий (id_requirement=passport)"
    )


class BookingIn(_In):
    participants: list[ParticipantIn] = Field(
        min_length=1,
        max_length=20,
        description="Участники; первый — сам посетитель. Мест в записи — столько же",
    )


class WaitlistJoinIn(_In):
    places: int = Field(ge=1, le=20, strict=True, description="Сколько мест нужно")


class CheckinIn(_In):
    code: str = Field(
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="Содержимое QR-кода билета или код билета, набранный вручную",
    )


class SessionFilters(Schema):
    date_from: Day | None = Field(None, description="С этого дня (по Москве)")
    date_to: Day | None = Field(None, description="По этот день включительно")
    kind: ExperienceKind | None = None
    industry: Annotated[str, Field(pattern=r"^[0-9]{2}$")] | None = Field(
        None, description="Раздел ОКВЭД предприятия, две цифры", examples=["26"]
    )
    okrug: Okrug | None = None
    age: int | None = Field(
        None, ge=0, le=120, description="Возраст участника: программы, куда его пустят"
    )
    step_free: bool = Field(False, description="Только доступные для маломобильных посетителей")
    places_left: bool = Field(False, description="Только где остались места")
