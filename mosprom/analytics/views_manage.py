"""The organisers' figures (/manage/figures/…): the dashboard, each chart as CSV and XLSX, the
KPI catalogue with values and comparisons, and the import of historical values (upload →
check every row → apply or discard). ``organiser_required`` on every view; the import writes
through ``importing.kpi_import``, which checks the role again and audits."""

from __future__ import annotations

import base64
import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from mosprom.accounts.decorators import organiser_required
from mosprom.analytics import dashboard as figures
from mosprom.analytics import exports
from mosprom.analytics.catalogue import get_kpi
from mosprom.analytics.forms import ImportUploadForm, PeriodForm
from mosprom.analytics.importing import COLUMNS, kpi_import
from mosprom.analytics.models import ImportedValue
from mosprom.core.periods import PeriodError, parse_period
from mosprom.registry.importing.reading import ImportFileError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_PER_PAGE = 100
IMPORTED_PER_PAGE = 50
UPLOAD_KEY = "analytics_kpi_upload"


# --- The dashboard ---------------------------------------------------------------------------


@organiser_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The charts for the chosen period; htmx asks for the part below the page heading."""
    form = PeriodForm.from_query(request.GET)
    period = form.chosen
    context = {
        "form": form,
        "period": period,
        "board": figures.dashboard(period=period),
    }
    if request.htmx:
        return render(request, "analytics/manage/_dashboard_body.html", context)
    return render(request, "analytics/manage/dashboard.html", context)


def _chart_or_error(request: HttpRequest, key: str):
    try:
        period = parse_period(request.GET.get("period") or "")
        return figures.chart(key, period=period), period
    except PeriodError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8"), None
    except LookupError:
        raise Http404 from None


@organiser_required
@require_safe
def chart_csv(request: HttpRequest, key: str) -> HttpResponse:
    """Exactly the chart's table as CSV."""
    chart, period = _chart_or_error(request, key)
    if period is None:
        return chart
    response = HttpResponse(exports.chart_csv(chart), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(chart, period, "csv")}"'
    )
    return response


@organiser_required
@require_safe
def chart_xlsx(request: HttpRequest, key: str) -> HttpResponse:
    """Exactly the chart's table as XLSX."""
    chart, period = _chart_or_error(request, key)
    if period is None:
        return chart
    response = HttpResponse(exports.chart_xlsx(chart, period=period), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(chart, period, "xlsx")}"'
    )
    return response


# --- The KPI catalogue -----------------------------------------------------------------------


@organiser_required
@require_safe
def kpis(request: HttpRequest) -> HttpResponse:
    """Every KPI with its definition, unit, value for the period and both comparisons."""
    form = PeriodForm.from_query(request.GET)
    period = form.chosen
    return render(
        request,
        "analytics/manage/kpis.html",
        {
            "form": form,
            "period": period,
            "groups": figures.kpi_rows(period=period),
            "previous": period.previous(),
            "year_before": period.year_before(),
        },
    )


# --- Importing historical values -------------------------------------------------------------


def _stored_upload(request: HttpRequest) -> dict | None:
    stored = request.session.get(UPLOAD_KEY)
    if not isinstance(stored, dict) or not {"token", "name", "content"} <= stored.keys():
        return None
    return stored


def _content(stored: dict) -> bytes:
    return base64.b64decode(stored["content"])


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def kpi_import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a file: it is checked (nothing written) and the check is shown next."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            kpi_import(actor=request.user, content=content, filename=upload.name, dry_run=True)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            request.session[UPLOAD_KEY] = {
                "token": uuid.uuid4().hex,
                "name": upload.name[:200],
                "content": base64.b64encode(content).decode("ascii"),
            }
            return redirect("analytics:import_preview")
    imported = ImportedValue.objects.select_related("imported_by").order_by(
        "-imported_at", "kpi", "period_start", "pk"
    )
    page = Paginator(imported, IMPORTED_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(value, get_kpi(value.kpi)) for value in page]
    return render(
        request,
        "analytics/manage/import.html",
        {"form": form, "columns": COLUMNS, "page_obj": page, "rows": rows},
    )


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def kpi_import_preview(request: HttpRequest) -> HttpResponse:
    """The check of the uploaded file: what would be created and replaced, and every bad row
    by line; apply (optionally skipping the bad rows) or discard."""
    stored = _stored_upload(request)
    if stored is None:
        messages.warning(request, _("Загрузите файл: проверять пока нечего."))
        return redirect("analytics:import")
    if request.method == "POST":
        return _decide(request, stored)
    try:
        result = kpi_import(
            actor=request.user, content=_content(stored), filename=stored["name"], dry_run=True
        )
    except ImportFileError as exc:
        del request.session[UPLOAD_KEY]
        messages.error(request, str(exc))
        return redirect("analytics:import")
    errors = Paginator(result.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "analytics/manage/import_preview.html",
        {"stored": stored, "result": result, "errors": errors},
    )


def _decide(request: HttpRequest, stored: dict) -> HttpResponse:
    if request.POST.get("token") != stored["token"]:
        messages.warning(request, _("Этот файл уже заменён другим: проверьте новый."))
        return redirect("analytics:import_preview")
    action = request.POST.get("action")
    if action == "discard":
        del request.session[UPLOAD_KEY]
        messages.success(request, _("Импорт отменён, показатели не изменились."))
        return redirect("analytics:import")
    if action != "apply":
        messages.error(request, _("Неизвестное действие."))
        return redirect("analytics:import_preview")
    skip_bad = request.POST.get("skip_bad") == "on"
    result = kpi_import(
        actor=request.user, content=_content(stored), filename=stored["name"], skip_bad=skip_bad
    )
    if not result.written:
        if result.errors and not skip_bad:
            messages.error(
                request,
                _(
                    "Ничего не записано: в файле есть ошибочные строки. Исправьте файл или "
                    "отметьте «Пропустить ошибочные строки»."
                ),
            )
        else:
            messages.error(request, _("Ничего не записано: в файле нет ни одной верной строки."))
        return redirect("analytics:import_preview")
    del request.session[UPLOAD_KEY]
    messages.success(
        request,
        _(
            "Показатели импортированы: новых %(created)d, заменено %(updated)d, "
            "пропущено %(skipped)d."
        )
        % {"created": result.created, "updated": result.updated, "skipped": result.skipped},
    )
    return redirect("analytics:import")
