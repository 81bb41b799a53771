"""Export figures for analytics: per period (events that ended in it) and per event.

Contract values convert to roubles at the event's rate, each contract rounded to kopecks
half-up, then summed (as ``participation.contract_value_rub``); published events that have
ended count, with ``ends_on`` inside the period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet, Sum

from mosprom.core import clock
from mosprom.export.models import (
    Application,
    Contract,
    EventKind,
    ExportEvent,
    OutcomeReport,
)
from mosprom.export.participation import (
    KOPECK,
    event_rates,
    participant_q,
    to_roubles,
)
from mosprom.registry.models import Enterprise, Product

# --- Figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFigures:
    missions: int
    exhibitions: int
    b2b_sessions: int
    companies_supported: int  # unique enterprises that participated
    meetings: int
    agreements: int
    contracts: int
    contract_value_rub: Decimal
    contracts_without_rate: int = 0  # left out of contract_value_rub (rate removed later)


def _contract_totals(rows, rates: dict) -> tuple[int, Decimal, int]:
    """(contracts, their value in roubles, those without a rate) over
    (value, currency, event id) rows."""
    total, unrated, count = Decimal("0.00"), 0, 0
    for value, currency, event_id in rows:
        count += 1
        currency = currency.upper()
        if currency == "RUB":
            total += value.quantize(KOPECK, rounding=ROUND_HALF_UP)
            continue
        rate = rates.get((event_id, currency))
        if rate is None:
            unrated += 1
            continue
        total += to_roubles(value, rate)
    return count, total, unrated


def events_held(*, start: dt.date, end: dt.date) -> QuerySet[ExportEvent]:
    """Published events that are over and ended within [start, end]."""
    return ExportEvent.objects.filter(
        is_published=True, ends_on__gte=start, ends_on__lte=end, ends_on__lt=clock.today()
    )


def export_figures(*, start: dt.date, end: dt.date) -> ExportFigures:
    """Events that ended within [start, end] (a year, a half-year…) and their outcomes, in
    five queries whatever the size of the period."""
    events = events_held(start=start, end=end)
    kinds = dict(events.values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    participants = Application.objects.filter(event__in=events).filter(participant_q())
    companies = participants.values("enterprise_id").distinct().count()
    reports = OutcomeReport.objects.filter(application__in=participants, submitted_at__isnull=False)
    sums = reports.aggregate(meetings=Sum("meetings_held"), agreements=Sum("agreements"))
    rows = list(
        Contract.objects.filter(report__in=reports).values_list(
            "value", "currency", "report__application__event_id"
        )
    )
    rates = event_rates({event_id for _v, _c, event_id in rows}) if rows else {}
    count, value, unrated = _contract_totals(rows, rates)
    return ExportFigures(
        missions=kinds.get(EventKind.MISSION, 0),
        exhibitions=kinds.get(EventKind.EXHIBITION, 0),
        b2b_sessions=kinds.get(EventKind.B2B, 0),
        companies_supported=companies,
        meetings=sums["meetings"] or 0,
        agreements=sums["agreements"] or 0,
        contracts=count,
        contract_value_rub=value,
        contracts_without_rate=unrated,
    )


@dataclass(frozen=True)
class ParticipantFigures:
    application: Application
    enterprise: Enterprise
    products: tuple[Product, ...]
    report: OutcomeReport | None  # the filed report, if any


@dataclass(frozen=True)
class EventFigures:
    event: ExportEvent
    participants: tuple[ParticipantFigures, ...]  # by enterprise name
    products: int  # distinct products presented
    reports_filed: int
    meetings: int
    agreements: int
    contracts: int
    contract_value_rub: Decimal
    contracts_without_rate: int = 0

    @property
    def companies(self) -> int:
        return len(self.participants)


def event_figures(event: ExportEvent) -> EventFigures:
    """One event's participants with their products and the outcomes they reported, in four
    queries."""
    applications = list(
        Application.objects.filter(event=event)
        .filter(participant_q())
        .select_related("enterprise", "outcome")
        .prefetch_related("products")
        .order_by("enterprise__short_name", "id")
    )
    participants = []
    for application in applications:
        report = getattr(application, "outcome", None)
        if report is not None and report.submitted_at is None:
            report = None
        products = tuple(sorted(application.products.all(), key=lambda p: (p.name, p.pk)))
        participants.append(
            ParticipantFigures(
                application=application,
                enterprise=application.enterprise,
                products=products,
                report=report,
            )
        )
    reports = [row.report for row in participants if row.report is not None]
    rows = list(
        Contract.objects.filter(report__in=[report.pk for report in reports]).values_list(
            "value", "currency", "report__application__event_id"
        )
    )
    rates = event_rates([event.pk]) if rows else {}
    count, value, unrated = _contract_totals(rows, rates)
    return EventFigures(
        event=event,
        participants=tuple(participants),
        products=len({p.pk for row in participants for p in row.products}),
        reports_filed=len(reports),
        meetings=sum(report.meetings_held for report in reports),
        agreements=sum(report.agreements for report in reports),
        contracts=count,
        contract_value_rub=value,
        contracts_without_rate=unrated,
    )
