"""A resident's SEZ pages (/sez/my/…, /sez/reports/…): its periods with the state of each
report, the report form, a report with every version. Hosts reach only their enterprises'
reports (``selectors``); organisers reach all."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from mosprom.accounts.decorators import host_required
from mosprom.core import clock
from mosprom.sez import reports, selectors
from mosprom.sez.forms import ReportForm
from mosprom.sez.models import VersionStatus
from mosprom.tourism.errors import TourismError

PER_PAGE = 25


def report_state(report, period, today) -> dict:
    """What a list shows for a resident's report: state code, its label and the latest version."""
    versions = list(report.versions.all()) if report is not None else []
    latest = versions[-1] if versions else None
    if latest is None:
        if period.due_on < today:
            return {"code": "late", "label": _("Просрочен: не сдан"), "latest": None}
        return {"code": "none", "label": _("Не сдан"), "latest": None}
    return {"code": latest.status, "label": latest.get_status_display(), "latest": latest}


@host_required
@require_safe
def my_reports(request: HttpRequest) -> HttpResponse:
    """Every (enterprise, period) of the user's resident enterprises, newest period first."""
    memberships = list(
        selectors.residents_of(request.user).order_by("enterprise__short_name", "pk")
    )
    zone_ids = {m.zone_id for m in memberships}
    periods = list(selectors.periods().filter(zone_id__in=zone_ids))
    pairs = [(m, p) for p in periods for m in memberships if p.zone_id == m.zone_id]
    page = Paginator(pairs, PER_PAGE).get_page(request.GET.get("page"))
    found = selectors.reports_visible_to(request.user).filter(
        membership__in={m.pk for m, _p in page}, period__in={p.pk for _m, p in page}
    )
    by_pair = {(r.membership_id, r.period_id): r for r in found}
    today = clock.today()
    rows = []
    for membership, period in page:
        report = by_pair.get((membership.pk, period.pk))
        rows.append(
            {
                "membership": membership,
                "period": period,
                "report": report,
                "state": report_state(report, period, today),
            }
        )
    return render(
        request,
        "sez/my_reports.html",
        {"page_obj": page, "rows": rows, "memberships": memberships},
    )


def _initial_from(version) -> dict:
    if version is None:
        return {}
    return {name: str(getattr(version, name)) for name in reports.FIGURES}


@host_required
@never_cache
@require_http_methods(["GET", "POST"])
def report_file(request: HttpRequest, membership_pk: int, period_pk: int) -> HttpResponse:
    membership = selectors.membership_for(user=request.user, pk=membership_pk)
    period = selectors.period_for(pk=period_pk)
    if period.zone_id != membership.zone_id:
        raise Http404
    report = (
        selectors.reports_visible_to(request.user)
        .filter(membership=membership, period=period)
        .first()
    )
    versions = list(report.versions.all()) if report is not None else []
    latest = versions[-1] if versions else None
    locked = latest is not None and latest.status == VersionStatus.SUBMITTED
    form = ReportForm(request.POST or None, initial=_initial_from(latest))
    if request.method == "POST" and not locked and form.is_valid():
        try:
            version = reports.report_submit(
                membership=membership, period=period, actor=request.user, figures=form.figures()
            )
        except TourismError as exc:
            form.add_error(None, exc.text)
        else:
            messages.success(request, _("Отчёт отправлен на проверку."))
            for warning in version.warnings:
                messages.warning(request, warning)
            return redirect("sez:report_detail", pk=version.report_id)
    return render(
        request,
        "sez/report_form.html",
        {
            "membership": membership,
            "period": period,
            "report": report,
            "latest": latest,
            "locked": locked,
            "form": form,
        },
    )


@host_required
@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for(user=request.user, pk=pk)
    versions = list(report.versions.all())
    latest = versions[-1] if versions else None
    state = report_state(report, report.period, clock.today())
    return render(
        request,
        "sez/report_detail.html",
        {
            "report": report,
            "period": report.period,
            "membership": report.membership,
            "versions": list(reversed(versions)),
            "latest": latest,
            "state": state,
            "can_correct": latest is None or latest.status != VersionStatus.SUBMITTED,
            "is_staff": selectors.is_staff(request.user),
            "labels": [(name, _(reports.LABELS[name])) for name in reports.FIGURES],
        },
    )
