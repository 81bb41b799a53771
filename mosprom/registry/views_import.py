"""Organiser pages of the registry import: upload → preview with every problem → confirm."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mosprom.accounts.decorators import organiser_required
from mosprom.registry.importing import (
    COLUMNS,
    FILE_SUFFIXES,
    MAX_UPLOAD_BYTES,
    import_batch_apply,
    import_batch_can_apply,
    import_batch_discard,
    import_batch_get,
    import_batch_list,
    import_batch_upload,
)
from mosprom.registry.models import ImportBatch, ImportStatus

BATCHES_PER_PAGE = 10
PROBLEMS_PER_PAGE = 100


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Файл реестра"),
        help_text=gettext_lazy(
            "CSV (UTF-8 или Windows-1251, разделитель «;», «,» или табуляция) или XLSX, "
            "не больше 10 МБ. Первая строка — заголовки столбцов."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in FILE_SUFFIXES:
            raise ValidationError(
                _("Нужен файл .csv или .xlsx, а «%(name)s» — файл другого типа."),
                code="file_type",
                params={"name": upload.name},
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("Файл весит %(size)s, а можно не больше 10 МБ: разделите его на части."),
                code="file_size",
                params={"size": filesizeformat(upload.size)},
            )
        return upload


@organiser_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
    else:
        form = ImportUploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        report, batch = import_batch_upload(
            filename=upload.name, content=upload.read(), actor=request.user
        )
        if batch is not None:
            return redirect("registry:import_preview", pk=batch.pk)
        for problem in report.file_problems:
            form.add_error("file", problem.message)
    batches = Paginator(import_batch_list(user=request.user), BATCHES_PER_PAGE)
    return render(
        request,
        "registry/import/upload.html",
        {
            "form": form,
            "columns": COLUMNS,
            "batches": batches.get_page(request.GET.get("page")),
        },
    )


@organiser_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        batch = import_batch_get(user=request.user, pk=pk)
    except ImportBatch.DoesNotExist as exc:
        raise Http404 from exc
    if request.method == "POST":
        return _decide(request, batch)
    report = batch.report or {}
    problems = Paginator(report.get("problems", []), PROBLEMS_PER_PAGE)
    return render(
        request,
        "registry/import/preview.html",
        {
            "batch": batch,
            "report": report,
            "problems": problems.get_page(request.GET.get("page")),
            "can_decide": batch.status == ImportStatus.PREVIEW,
            "can_apply": import_batch_can_apply(batch=batch),
        },
    )


def _decide(request: HttpRequest, batch: ImportBatch) -> HttpResponse:
    action = request.POST.get("action")
    if action == "discard":
        if import_batch_discard(batch_id=batch.pk, actor=request.user):
            messages.success(request, _("Импорт отменён, реестр не изменился."))
            return redirect("registry:import")
        messages.warning(request, _("Этот импорт уже применён или отменён."))
        return redirect("registry:import_preview", pk=batch.pk)
    if action != "apply":
        messages.error(request, _("Неизвестное действие."))
        return redirect("registry:import_preview", pk=batch.pk)

    skip_invalid = request.POST.get("skip_invalid") == "on"
    outcome = import_batch_apply(
        batch_id=batch.pk, actor=request.user, skip_invalid=skip_invalid, request=request
    )
    if outcome.applied:
        result = outcome.result
        messages.success(
            request,
            _(
                "Импорт применён: создано %(created)d, обновлено %(updated)d, "
                "без изменений %(unchanged)d."
            )
            % result.as_dict(),
        )
    elif outcome.reason == "done":
        messages.warning(
            request, _("Этот импорт уже применён или отменён; повторно он не применяется.")
        )
    elif outcome.reason == "conflict":
        messages.error(
            request,
            _("Реестр изменился во время импорта, ничего не записано. Попробуйте ещё раз."),
        )
    elif skip_invalid:
        messages.error(request, _("Импорт не применён: в файле нет ни одной верной строки."))
    else:
        messages.error(
            request,
            _(
                "Импорт не применён: в файле есть ошибочные строки (отчёт обновлён по текущему "
                "реестру). Исправьте файл и загрузите его снова или отметьте «Пропустить "
                "ошибочные строки»."
            ),
        )
    return redirect("registry:import_preview", pk=batch.pk)
