"""Writes to the registry: enterprises, their production sites and products.

Every function checks that ``actor`` may do what it asks (organisers edit any enterprise;
hosts add and remove sites and products of the enterprises they are members of), validates
with the model's own validators (Russian messages) and writes in one transaction.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from mosprom.accounts.models import User
from mosprom.registry.geo import LATITUDE_LIMIT, LONGITUDE_LIMIT, coordinate_parse
from mosprom.registry.models import Enterprise, Industry, Product, ProductionSite
from mosprom.registry.okved import okved_is_valid
from mosprom.registry.selectors import user_can_manage_enterprise

ENTERPRISE_FIELDS = (
    "short_name",
    "legal_name",
    "inn",
    "ogrn",
    "okved",
    "industry",
    "okrug",
    "website",
    "description",
    "hosts_tours",
)
SITE_FIELDS = ("name", "address", "okrug", "latitude", "longitude", "accessibility_notes")
PRODUCT_FIELDS = ("name", "description", "hs_code")
HS_CODE = re.compile(r"\d{4,10}", re.ASCII)


class DuplicateEnterprise(ValidationError):
    """An enterprise with this INN or OGRN is already in the registry."""

    conflict = True  # valid input that clashes with stored data (the API answers 409)


def _require_organiser(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_organiser):
        raise PermissionDenied("Изменять сведения о предприятиях могут только организаторы.")


def _require_manager(actor: User, enterprise: Enterprise) -> None:
    if not user_can_manage_enterprise(user=actor, enterprise=enterprise):
        raise PermissionDenied(
            "Изменять площадки и продукцию могут организаторы и представители этого предприятия."
        )


def _industry(code: str | None) -> Industry | None:
    if not code:
        return None
    try:
        return Industry.objects.get(code=code)
    except Industry.DoesNotExist:
        raise ValidationError(
            {"industry": ValidationError("Нет такой отрасли: «%(code)s».", params={"code": code})}
        ) from None


def _full_clean(instance, extra: dict[str, list[str]], **options) -> None:
    """Model validation plus ``extra`` field errors, all reported together."""
    errors: dict[str, list[str]] = {}
    try:
        instance.full_clean(**options)
    except ValidationError as exc:
        errors = {field: list(messages) for field, messages in exc.message_dict.items()}
    for field, messages in extra.items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _check_unique(enterprise: Enterprise) -> None:
    others = Enterprise.objects.exclude(pk=enterprise.pk)
    errors: dict[str, ValidationError] = {}
    if others.filter(inn=enterprise.inn).exists():
        errors["inn"] = ValidationError("Предприятие с таким ИНН уже есть в реестре.", "unique")
    if enterprise.ogrn and others.filter(ogrn=enterprise.ogrn).exists():
        errors["ogrn"] = ValidationError("Предприятие с таким ОГРН уже есть в реестре.", "unique")
    if errors:
        raise DuplicateEnterprise(errors)


def _save_enterprise(enterprise: Enterprise) -> Enterprise:
    extra = {}
    if enterprise.okved and not okved_is_valid(enterprise.okved):
        extra["okved"] = ["Код ОКВЭД пишется так: 26.11 или 26.11.1."]
    _full_clean(enterprise, extra, validate_unique=False, validate_constraints=False)
    _check_unique(enterprise)
    try:
        # A savepoint, so a lost race leaves the caller's transaction usable.
        with transaction.atomic():
            enterprise.save()
    except IntegrityError:
        _check_unique(enterprise)
        raise
    return enterprise


def _coordinate(name: str, value: float | Decimal | None) -> Decimal | None:
    if value is None:
        return None
    limit = LATITUDE_LIMIT if name == "latitude" else LONGITUDE_LIMIT
    try:
        return coordinate_parse(value, limit=limit)
    except ValueError:
        message = "Укажите число градусов от −%(limit)s до %(limit)s."
        raise ValidationError({name: ValidationError(message, params={"limit": limit})}) from None


def _apply(instance, data: dict[str, Any], fields: tuple[str, ...]) -> None:
    """Copy ``data`` onto ``instance``; absent text is stored as the empty string."""
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    for name, value in data.items():
        if name == "industry":
            instance.industry = _industry(value)
        elif name == "ogrn":
            instance.ogrn = value or None
        elif name in ("latitude", "longitude"):
            setattr(instance, name, _coordinate(name, value))
        else:
            setattr(instance, name, "" if value is None else value)


@transaction.atomic
def enterprise_create(*, actor: User, data: dict[str, Any]) -> Enterprise:
    """A new, valid enterprise with a unique INN/OGRN, created by an organiser."""
    _require_organiser(actor)
    enterprise = Enterprise()
    _apply(enterprise, data, ENTERPRISE_FIELDS)
    if enterprise.industry is None and enterprise.okved:
        # The industry is the first two digits of the main OKVED code, when we know it.
        enterprise.industry = Industry.objects.filter(code=enterprise.okved[:2]).first()
    return _save_enterprise(enterprise)


@transaction.atomic
def enterprise_update(*, actor: User, enterprise: Enterprise, data: dict[str, Any]) -> Enterprise:
    """The enterprise with the given fields changed, still valid and unique, by an organiser."""
    _require_organiser(actor)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    _apply(enterprise, data, ENTERPRISE_FIELDS)
    return _save_enterprise(enterprise)


@transaction.atomic
def site_create(*, actor: User, enterprise: Enterprise, data: dict[str, Any]) -> ProductionSite:
    """A new valid production site of ``enterprise``, added by someone who manages it."""
    _require_manager(actor, enterprise)
    site = ProductionSite(enterprise=enterprise)
    _apply(site, data, SITE_FIELDS)
    _full_clean(site, {}, exclude=["enterprise"])
    site.save()
    return site


@transaction.atomic
def product_create(*, actor: User, enterprise: Enterprise, data: dict[str, Any]) -> Product:
    """A new valid product of ``enterprise``, added by someone who manages it."""
    _require_manager(actor, enterprise)
    product = Product(enterprise=enterprise)
    _apply(product, data, PRODUCT_FIELDS)
    extra = {}
    if product.hs_code and not HS_CODE.fullmatch(product.hs_code):
        extra["hs_code"] = ["Код ТН ВЭД — от 4 до 10 цифр."]
    _full_clean(product, extra, exclude=["enterprise", "image"])
    product.save()
    return product


@transaction.atomic
def site_delete(*, actor: User, site: ProductionSite) -> None:
    """The site is gone, if ``actor`` manages its enterprise."""
    _require_manager(actor, site.enterprise)
    site.delete()


@transaction.atomic
def product_delete(*, actor: User, product: Product) -> None:
    """The product is gone, if ``actor`` manages its enterprise."""
    _require_manager(actor, product.enterprise)
    product.delete()
