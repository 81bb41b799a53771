"""The organisers' SEZ back office (/sez/manage/…): reporting periods, a period's filings,
late residents and review queue, reviewing a version, the KPI dashboard with the ministry's
XLSX, residents and their plans. ``organiser_required`` on every view; writes go through
``deadlines`` / ``reports``; refusals are shown on the same form."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from mosprom.accounts.decorators import organiser_required
from mosprom.core import clock
from mosprom.registry.models import SEZMembership, SEZStatus
from mosprom.sez import deadlines, kpi, reports, selectors
from mosprom.sez.forms import KpiForm, PeriodForm, PlanForm, ReturnForm
from mosprom.sez.models import Report, ReportVersion, ResidentPlan, VersionStatus
from mosprom.sez.views_resident import report_state
from mosprom.tourism.errors import TourismError

PER_PAGE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# KPI figures shown on the dashboard: (Totals field, label, money?)
KPI_FIGURES = (
    ("investment", gettext_noop("Инвестиции, ₽"), True),
    ("capex", gettext_noop("в т. ч. капитальные вложения, ₽"), True),
    ("jobs_created", gettext_noop("Создано рабочих мест"), False),
    ("avg_headcount", gettext_noop("Среднесписочная численность"), False),
    ("revenue", gettext_noop("Выручка, ₽"), True),
    ("export_revenue", gettext_noop("Экспортная выручка, ₽"), True),
)
PLAN_LABELS = (
    ("investment", gettext_noop("Инвестиции, ₽")),
    ("capex", gettext_noop("Капвложения, ₽")),
    ("jobs", gettext_noop("Рабочие места")),
    ("revenue", gettext_noop("Выручка, ₽")),
    ("export_revenue", gettext_noop("Экспорт, ₽")),
)


# --- Periods ---------------------------------------------------------------------------------


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def periods(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.POST or None, initial={"year": clock.today().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period = deadlines.period_create(
                zone=data["zone"],
                kind=data["kind"],
                year=data["year"],
                quarter=data["quarter"],
                due_on=data["due_on"],
                actor=request.user,
            )
        except TourismError as exc:
            form.add_error(None, exc.text)
        else:
            messages.success(request, _("Период «%(period)s» открыт.") % {"period": period})
            return redirect("sez:manage_period", pk=period.pk)
    found = selectors.periods().annotate(filed=Count("reports", distinct=True))
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "sez/manage/periods.html", {"page_obj": page, "form": form})


@organiser_required
@require_safe
def period(request: HttpRequest, pk: int) -> HttpResponse:
    """Who had to file and how it stands, who is late, and the versions awaiting review."""
    found = selectors.period_for(pk=pk)
    due = deadlines.residents_due(found)
    page = Paginator(due, PER_PAGE).get_page(request.GET.get("page"))
    filed = Report.objects.filter(
        period=found, membership__in=[m.pk for m in page]
    ).prefetch_related(Prefetch("versions", queryset=ReportVersion.objects.order_by("number")))
    by_membership = {r.membership_id: r for r in filed}
    today = clock.today()
    rows = []
    for membership in page:
        report = by_membership.get(membership.pk)
        rows.append(
            {
                "membership": membership,
                "report": report,
                "state": report_state(report, found, today),
            }
        )
    late = list(deadlines.residents_late(found)[:200])
    queue = (
        ReportVersion.objects.filter(report__period=found, status=VersionStatus.SUBMITTED)
        .select_related("report__membership__enterprise", "submitted_by")
        .order_by("submitted_at", "pk")
    )
    queue_page = Paginator(queue, PER_PAGE).get_page(request.GET.get("qpage"))
    return render(
        request,
        "sez/manage/period.html",
        {
            "period": found,
            "page_obj": page,
            "rows": rows,
            "late": late,
            "queue_page": queue_page,
        },
    )


# --- Review ----------------------------------------------------------------------------------


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def version_review(request: HttpRequest, pk: int) -> HttpResponse:
    """One version with the previous one beside it; approve, or return with a comment."""
    version = selectors.version_for_staff(user=request.user, pk=pk)
    form = ReturnForm(request.POST if request.POST.get("action") == "return" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                reports.version_approve(version=version, actor=request.user)
                messages.success(request, _("Отчёт принят."))
                return redirect("sez:report_detail", pk=version.report_id)
            if action == "return" and form.is_valid():
                reports.version_return(
                    version=version, actor=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("Отчёт возвращён на доработку."))
                return redirect("sez:report_detail", pk=version.report_id)
        except TourismError as exc:
            form.add_error(None, exc.text)
    previous = (
        ReportVersion.objects.filter(report_id=version.report_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )
    rows = [
        (
            _(reports.LABELS[name]),
            getattr(version, name),
            getattr(previous, name) if previous else None,
        )
        for name in reports.FIGURES
    ]
    return render(
        request,
        "sez/manage/review.html",
        {
            "version": version,
            "report": version.report,
            "previous": previous,
            "rows": rows,
            "form": form,
            "pending": version.status == VersionStatus.SUBMITTED,
        },
    )


# --- KPI -------------------------------------------------------------------------------------


@organiser_required
@require_safe
def kpi_dashboard(request: HttpRequest) -> HttpResponse:
    form = KpiForm(request.GET or None)
    zone, year, day = form.values()
    context: dict = {"form": form, "zone": zone, "year": year, "day": day}
    if zone is not None:
        totals = kpi.zone_totals(zone=zone, year=year)
        before = kpi.zone_totals(zone=zone, year=year - 1)
        cumulative = kpi.zone_cumulative(zone=zone, up_to_year=year)
        context["figures"] = [
            {
                "label": _(label),
                "money": money,
                "year": getattr(totals, name),
                "previous": getattr(before, name),
                "growth": kpi.growth(getattr(totals, name), getattr(before, name)),
                "cumulative": getattr(cumulative, name),
            }
            for name, label, money in KPI_FIGURES
        ]
        context["reports_counted"] = totals.reports
        context["counts"] = kpi.counts_at(zone=zone, day=day)
        rows, zone_row = kpi.plan_fulfilment(zone=zone, year=year)
        context["plan_labels"] = [(name, _(label)) for name, label in PLAN_LABELS]
        context["fulfilment"] = [_fulfilment_row(row) for row in rows]
        context["zone_row"] = _fulfilment_row(zone_row)
    return render(request, "sez/manage/kpi.html", context)


def _fulfilment_row(row) -> dict:
    return {
        "enterprise": row.enterprise,
        "cells": [
            (row.plan[name], row.actual[name], row.percent[name]) for name, _label in PLAN_LABELS
        ],
    }


@organiser_required
@require_safe
def kpi_xlsx(request: HttpRequest) -> HttpResponse:
    form = KpiForm(request.GET or None)
    zone, year, _day = form.values()
    if zone is None:
        raise Http404
    body = kpi.ministry_xlsx(zone=zone, year=year)
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="sez-kpi-{year}.xlsx"'
    return response


# --- Residents and plans ---------------------------------------------------------------------


@organiser_required
@require_safe
def residents(request: HttpRequest) -> HttpResponse:
    found = (
        SEZMembership.objects.filter(status=SEZStatus.RESIDENT)
        .select_related("enterprise", "zone")
        .prefetch_related(Prefetch("plans", queryset=ResidentPlan.objects.order_by("year")))
        .order_by("enterprise__short_name", "pk")
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "sez/manage/residents.html", {"page_obj": page})


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def resident_plans(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_for(user=request.user, pk=pk)
    form = PlanForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        plan = form.save()
        messages.success(request, _("План на %(year)s год сохранён.") % {"year": plan.year})
        return redirect("sez:resident_plans", pk=membership.pk)
    plans = membership.plans.order_by("-year")
    return render(
        request,
        "sez/manage/resident_plans.html",
        {"membership": membership, "plans": plans, "form": form},
    )
