"""API shapes of the registry: what the endpoints read and return."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import ObjectDoesNotExist
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, StringConstraints

from mosprom.core.api_types import api_text, no_nul
from mosprom.registry.okrugs import Okrug
from mosprom.registry.okved import OKVED_PATTERN

ShortName = api_text(min_length=1, max_length=255)
LegalName = api_text(min_length=1, max_length=500)
LongText = api_text(max_length=10_000)
Inn = Annotated[str, Field(pattern=r"^[0-9]{10}([0-9]{2})?$", examples=["7735123453"])]
Ogrn = Annotated[str, Field(pattern=r"^[0-9]{13}([0-9]{2})?$", examples=["1027700123454"])]
Okved = Annotated[str, Field(pattern=f"^({OKVED_PATTERN})?$", examples=["26.11"])]
IndustryCode = Annotated[str, Field(pattern=r"^[0-9]{2}$", examples=["26"])]
Website = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=200),
    AfterValidator(no_nul),
    Field(examples=["https://example.ru"]),
]
HsCode = Annotated[str, Field(pattern=r"^([0-9]{4,10})?$", examples=["8542"])]
# Strict: JSON true/false or "1" are not numbers here (pydantic would coerce them).
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False, strict=True)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False, strict=True)]
Flag = Annotated[bool, Field(strict=True)]


# --- Out ------------------------------------------------------------------------------------


class IndustryOut(Schema):
    code: str = Field(description="Раздел ОКВЭД 2, две цифры")
    name: str


class SEZMembershipOut(Schema):
    zone: str
    status: Literal["located", "resident"]
    agreement_number: str
    agreement_date: dt.date | None

    @staticmethod
    def resolve_zone(obj) -> str:
        return obj.zone.name


class EnterpriseOut(Schema):
    id: int
    short_name: str
    legal_name: str
    inn: str
    ogrn: str | None
    okved: str
    industry: IndustryOut | None
    okrug: str = Field(description="Код округа (CAO, SAO, …) или пустая строка")
    okrug_name: str
    website: str
    description: str
    hosts_tours: bool
    is_demo: bool = Field(description="Сведения придуманы для демонстрации")
    sez: SEZMembershipOut | None
    url: str = Field(description="Страница предприятия на сайте")

    @staticmethod
    def resolve_okrug_name(obj) -> str:
        return obj.get_okrug_display() if obj.okrug else ""

    @staticmethod
    def resolve_sez(obj):
        try:
            return obj.sez_membership
        except ObjectDoesNotExist:
            return None

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class SiteOut(Schema):
    id: int
    enterprise_id: int
    name: str
    address: str
    okrug: str
    latitude: float | None
    longitude: float | None
    accessibility_notes: str
    map_url: str


class ProductOut(Schema):
    id: int
    enterprise_id: int
    name: str
    description: str
    hs_code: str


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(description="Где ошибка: body/query/path и имя поля")
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


class MessageOut(Schema):
    detail: str


# --- In -------------------------------------------------------------------------------------


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class EnterpriseIn(_In):
    short_name: ShortName
    legal_name: LegalName
    inn: Inn
    ogrn: Ogrn | None = None
    okved: Okved = ""
    industry: IndustryCode | None = Field(
        None, description="Раздел ОКВЭД; если не указан, берётся из кода ОКВЭД"
    )
    okrug: Okrug | None = None
    website: Website = ""
    description: LongText = ""
    hosts_tours: Flag = False


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


# For PATCH: the field may be left out, but when sent it must be a value, not null.
def _absent_ok():
    return Field(None, json_schema_extra=_no_default)


class EnterprisePatch(_In):
    """Only the fields sent are changed; null clears the fields that may be empty."""

    short_name: ShortName = _absent_ok()
    legal_name: LegalName = _absent_ok()
    inn: Inn = _absent_ok()
    ogrn: Ogrn | None = None
    okved: Okved | None = None
    industry: IndustryCode | None = None
    okrug: Okrug | None = None
    website: Website | None = None
    description: LongText | None = None
    hosts_tours: Flag = _absent_ok()


class SiteIn(_In):
    name: ShortName
    address: LegalName
    okrug: Okrug | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    accessibility_notes: LongText = ""


class ProductIn(_In):
    name: ShortName
    description: LongText = ""
    hs_code: HsCode = ""


class EnterpriseFilters(Schema):
    q: str = Field("", max_length=200, description="Поиск по названию, продукции и описанию")
    industry: IndustryCode | None = None
    okrug: Okrug | None = None
    sez: Literal["resident", "located", "member"] | None = Field(
        None, description="resident — резиденты ОЭЗ, located — размещённые, member — любые"
    )
    hosts_tours: bool = Field(False, description="Только принимающие экскурсии")
