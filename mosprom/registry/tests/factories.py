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
