"""Applying an import: the transactional upsert of valid rows by INN, audited.

A known INN updates only the fields that differ; an empty cell never erases. Imports never
delete sites or SEZ memberships.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from mosprom.accounts.audit import audit_record
from mosprom.accounts.models import AuditAction, User
from mosprom.core import clock
from mosprom.registry.importing.planning import plan_rows
from mosprom.registry.importing.report import ImportResult, ImportRow
from mosprom.registry.models import Enterprise, ImportBatch, ProductionSite, SEZMembership


def registry_import_apply(
    *,
    rows: list[ImportRow],
    actor: User | None,
    filename: str = "",
    source: str = "",
    request: HttpRequest | None = None,
    target: ImportBatch | None = None,
) -> ImportResult:
    """Upsert valid rows by INN in one transaction, writing only what differs; audited."""
    with transaction.atomic():
        plans = plan_rows(rows, lock=True)
        actions = [p.action for p in plans]
        now = clock.now()

        _update(Enterprise, [(p.enterprise, p.changes) for p in plans if p.enterprise], now)
        new = [p for p in plans if p.enterprise is None]
        created = Enterprise.objects.bulk_create([Enterprise(**p.changes) for p in new])
        for plan, enterprise in zip(new, created, strict=True):
            plan.enterprise = enterprise

        site_plans = [p for p in plans if p.row.site and p.site_changes]
        ProductionSite.objects.bulk_create(
            [
                ProductionSite(enterprise=p.enterprise, **p.site_changes)
                for p in site_plans
                if p.site is None
            ]
        )
        _update(ProductionSite, [(p.site, p.site_changes) for p in site_plans if p.site], now)

        sez_plans = [p for p in plans if p.row.sez and p.sez_changes]
        SEZMembership.objects.bulk_create(
            [
                SEZMembership(enterprise=p.enterprise, **p.sez_changes)
                for p in sez_plans
                if p.membership is None
            ]
        )
        _update(
            SEZMembership, [(p.membership, p.sez_changes) for p in sez_plans if p.membership], now
        )

        result = ImportResult(
            created=actions.count("create"),
            updated=actions.count("update"),
            unchanged=actions.count("unchanged"),
        )
        audit_record(
            action=AuditAction.IMPORT,
            actor=actor,
            target=target,
            request=request,
            details={**result.as_dict(), "filename": filename, "source": source},
        )
    return result


def _update(model: type, changed: Iterable[tuple[Any, dict[str, Any]]], now: dt.datetime) -> None:
    """One bulk UPDATE per model (per batch), touching updated_at only of the changed objects."""
    objects, names = [], set()
    for obj, changes in changed:
        if not changes:
            continue
        for key, value in changes.items():
            setattr(obj, key, value)
            names.add(model._meta.get_field(key).name)
        obj.updated_at = now
        objects.append(obj)
    if objects:
        model.objects.bulk_update(objects, [*sorted(names), "updated_at"])
