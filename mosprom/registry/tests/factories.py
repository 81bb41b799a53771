"""Test data for the registry."""

from __future__ import annotations

import itertools

from mosprom.core.validators import inn_complete, ogrn_complete
from mosprom.registry.models import Enterprise, Industry, Product, ProductionSite

_seq = itertools.count(1)


def valid_inn(n: int) -> str:
    return inn_complete(f"77{n:07d}")


def valid_ogrn(n: int) -> str:
    return ogrn_complete(f"10277{n:07d}")


def make_enterprise(*, short_name: str | None = None, industry_code: str = "26", **fields):
    n = next(_seq)
    fields.setdefault("legal_name", f"АО «{short_name or f'Предприятие {n}'}»")
    return Enterprise.objects.create(
        short_name=short_name or f"Предприятие {n}",
        inn=fields.pop("inn", valid_inn(n)),
        ogrn=fields.pop("ogrn", valid_ogrn(n)),
        industry=Industry.objects.get(code=industry_code),
        okved=fields.pop("okved", f"{industry_code}.11"),
        okrug=fields.pop("okrug", "CAO"),
        **fields,
    )


def make_site(enterprise: Enterprise, **fields) -> ProductionSite:
    fields.setdefault("name", "Основная площадка")
    fields.setdefault("address", "Москва, ул. Заводская, д. 1")
    fields.setdefault("okrug", enterprise.okrug)
    return ProductionSite.objects.create(enterprise=enterprise, **fields)


def make_product(enterprise: Enterprise, **fields) -> Product:
    fields.setdefault("name", "Изделие")
    return Product.objects.create(enterprise=enterprise, **fields)


def make_sez_membership(enterprise: Enterprise, *, status: str = "resident", **fields):
    """Put ``enterprise`` into «Технополис Москва» (residents get an agreement)."""
    import datetime as dt

    from mosprom.registry.models import SEZMembership, SpecialEconomicZone

    zone, _ = SpecialEconomicZone.objects.get_or_create(name="Технополис Москва")
    if status == "resident":
        fields.setdefault("agreement_number", f"ОЭЗ-{enterprise.pk}")
        fields.setdefault("agreement_date", dt.date(2022, 3, 15))
    return SEZMembership.objects.create(enterprise=enterprise, zone=zone, status=status, **fields)


def make_membership(user, enterprise: Enterprise):
    """Make ``user`` a host of ``enterprise``."""
    from mosprom.registry.models import Membership

    return Membership.objects.create(user=user, enterprise=enterprise)
