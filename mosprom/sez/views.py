"""The public SEZ page (/sez/): the zone's headline figures, never a resident's own."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from mosprom.core import clock
from mosprom.registry.models import SpecialEconomicZone
from mosprom.sez import kpi
from mosprom.sez.models import PeriodKind, ReportVersion, VersionStatus


def _last_full_year(zone, today) -> int | None:
    """The latest year before this one with an approved annual report in ``zone``."""
    found = (
        ReportVersion.objects.filter(
            report__period__zone=zone,
            report__period__kind=PeriodKind.YEAR,
            report__period__year__lt=today.year,
            status=VersionStatus.APPROVED,
        )
        .order_by("-report__period__year")
        .values_list("report__period__year", flat=True)
        .first()
    )
    return found


def _headline(zone, today) -> dict:
    figures: dict = {"zone": zone, "counts": kpi.counts_at(zone=zone, day=today), "today": today}
    year = _last_full_year(zone, today)
    figures["year"] = year
    if year is not None:
        totals = kpi.zone_totals(zone=zone, year=year)
        before = kpi.zone_totals(zone=zone, year=year - 1)
        cumulative = kpi.zone_cumulative(zone=zone, up_to_year=year)
        figures |= {
            "investment": totals.investment,
            "investment_total": cumulative.investment,
            "investment_growth": kpi.growth(totals.investment, before.investment),
            "jobs": totals.jobs_created,
            "jobs_growth": kpi.growth(totals.jobs_created, before.jobs_created),
        }
    return figures


@require_safe
def zone(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    zones = [_headline(z, today) for z in SpecialEconomicZone.objects.order_by("name")[:10]]
    return render(request, "sez/zone.html", {"zones": zones})
