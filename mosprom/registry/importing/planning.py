"""Planning an import: what the valid rows would change in the registry, found in batches.

The preview counts the plan (``summarise``); applying locks the same rows and writes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mosprom.registry.importing.report import ImportReport, ImportRow
from mosprom.registry.models import (
    Enterprise,
    Industry,
    ProductionSite,
    SEZMembership,
    SpecialEconomicZone,
)
from mosprom.registry.okved import division_of

SAMPLE_SIZE = 20
CHUNK_SIZE = 500  # keeps IN (...) lists well below every backend's parameter limit


def chunks(items: list[Any]) -> Iterator[list[Any]]:
    """``items`` in slices of CHUNK_SIZE, for IN (...) lookups."""
    for start in range(0, len(items), CHUNK_SIZE):
        yield items[start : start + CHUNK_SIZE]


_ENTERPRISE_LABELS = {
    "short_name": gettext_lazy("краткое название"),
    "legal_name": gettext_lazy("полное наименование"),
    "ogrn": gettext_lazy("ОГРН"),
    "okved": gettext_lazy("ОКВЭД"),
    "industry_id": gettext_lazy("отрасль"),
    "okrug": gettext_lazy("округ"),
    "website": gettext_lazy("сайт"),
    "description": gettext_lazy("описание"),
    "hosts_tours": gettext_lazy("принимает экскурсии"),
}


@dataclass
class RowPlan:
    """What one valid row would change: the objects it matches and the fields that differ."""

    row: ImportRow
    enterprise: Enterprise | None
    changes: dict[str, Any]
    site: ProductionSite | None = None
    site_changes: dict[str, Any] = field(default_factory=dict)
    membership: SEZMembership | None = None
    sez_changes: dict[str, Any] = field(default_factory=dict)

    @property
    def action(self) -> str:
        if self.enterprise is None:
            return "create"
        return "update" if self.changes or self.site_changes or self.sez_changes else "unchanged"

    def labels(self) -> list[str]:
        labels = [str(_ENTERPRISE_LABELS[key]) for key in self.changes if key in _ENTERPRISE_LABELS]
        if self.site_changes:
            labels.append(_("площадка «%(name)s»") % {"name": self.row.site["name"]})
        if self.sez_changes:
            labels.append(_("ОЭЗ"))
        return labels


def _diff(current: Any, wanted: dict[str, Any]) -> dict[str, Any]:
    if current is None:
        return dict(wanted)
    return {key: value for key, value in wanted.items() if getattr(current, key) != value}


def plan_rows(rows: list[ImportRow], *, lock: bool) -> list[RowPlan]:
    """Compare the rows with the registry in a fixed number of queries (chunks of 500)."""
    industries = dict(Industry.objects.values_list("code", "pk"))
    zones = dict(SpecialEconomicZone.objects.values_list("name", "pk"))

    def rows_of(model):
        # While applying, lock what may be written so a concurrent edit is not overwritten.
        return model.objects.select_for_update().order_by("pk") if lock else model.objects.all()

    existing: dict[str, Enterprise] = {}
    for chunk in chunks([row.inn for row in rows]):
        existing.update((e.inn, e) for e in rows_of(Enterprise).filter(inn__in=chunk))
    ids = [e.pk for e in existing.values()]
    sites: dict[tuple[int, str], ProductionSite] = {}
    memberships: dict[int, SEZMembership] = {}
    for chunk in chunks(ids):
        if any(row.site for row in rows):
            for site in rows_of(ProductionSite).filter(enterprise_id__in=chunk).order_by("pk"):
                sites.setdefault((site.enterprise_id, site.name), site)
        if any(row.sez for row in rows):
            memberships.update(
                (m.enterprise_id, m) for m in rows_of(SEZMembership).filter(enterprise_id__in=chunk)
            )

    plans: list[RowPlan] = []
    for row in rows:
        enterprise = existing.get(row.inn)
        wanted = {"inn": row.inn, **row.enterprise}
        if "okved" in wanted:
            wanted["industry_id"] = industries.get(division_of(wanted["okved"]))
        if enterprise is None:
            wanted.setdefault("legal_name", wanted["short_name"])
        plan = RowPlan(row=row, enterprise=enterprise, changes=_diff(enterprise, wanted))
        if row.site:
            key = (enterprise.pk if enterprise else None, row.site["name"])
            plan.site = sites.get(key)
            plan.site_changes = _diff(plan.site, row.site)
        if row.sez:
            plan.membership = memberships.get(enterprise.pk) if enterprise else None
            wanted_sez = {
                "zone_id": zones[row.sez["zone"]],
                **{k: v for k, v in row.sez.items() if k != "zone"},
            }
            plan.sez_changes = _diff(plan.membership, wanted_sez)
        plans.append(plan)
    return plans


def summarise(report: ImportReport) -> None:
    """Fill in the report's counts of creates, updates and unchanged rows, and its sample."""
    plans = plan_rows(report.rows, lock=False)
    samples: dict[str, list[dict[str, Any]]] = {"create": [], "update": []}
    for plan in plans:
        action = plan.action
        if action == "create":
            report.to_create += 1
        elif action == "update":
            report.to_update += 1
        else:
            report.unchanged += 1
        if action in samples and len(samples[action]) < SAMPLE_SIZE:
            samples[action].append(
                {
                    "line": plan.row.line,
                    "inn": plan.row.inn,
                    "short_name": plan.row.enterprise.get("short_name", ""),
                    "action": action,
                    "changes": [] if action == "create" else plan.labels(),
                }
            )
    report.sample = samples["create"] + samples["update"]
