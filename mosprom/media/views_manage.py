"""The organisers' media back office (/manage/media/…): online tours with their files and
publications, view counts from the platforms (typed or imported from CSV with a checked
preview), reach per channel, awards, and the audience formula for any period.

Organisers and administrators only (``organiser_required``; the selectors check again). Views
parse the form, call one service and redirect; a service's ``ValidationError`` is shown in
Russian on the same form with what was typed. Deleting anything asks first: GET shows the
confirmation page, POST deletes.
"""

from __future__ import annotations

import base64
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from mosprom.accounts.decorators import organiser_required
from mosprom.core import clock
from mosprom.core.periods import Period
from mosprom.media import audience as audience_services
from mosprom.media import awards, counts, selectors, tours
from mosprom.media.forms import (
    AwardForm,
    ImportForm,
    PeriodPickerForm,
    PlatformViewsForm,
    PublicationForm,
    ReachEditForm,
    ReachForm,
    TourForm,
    ViewsFilterForm,
    show_service_errors,
)
from mosprom.media.models import OnlineTour, Platform
from mosprom.media.views_public import audience_rows

PER_PAGE = 25
PREVIEW_ROWS = 50
IMPORT_SESSION_KEY = "media.views_import"


def _tour_choices(user):
    # The select needs titles and enterprises only; no publications.
    return selectors.tours_for_staff(user=user).prefetch_related(None)


# --- The hub -------------------------------------------------------------------------------


@organiser_required
@require_safe
def manage(request: HttpRequest) -> HttpResponse:
    return render(request, "media/manage/hub.html")


# --- Tours ---------------------------------------------------------------------------------


@organiser_required
@require_safe
def tour_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.tours_for_staff(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    totals = counts.tour_views(tours=page.object_list)
    today = clock.today()
    rows = [
        {
            "tour": tour,
            "views": totals[tour.pk],
            "state": _tour_state(tour, today),
        }
        for tour in page.object_list
    ]
    return render(request, "media/manage/tour_list.html", {"page": page, "rows": rows})


def _tour_state(tour: OnlineTour, today) -> str:
    if not tour.experience.is_published:
        return "draft"
    return "scheduled" if tour.published_on > today else "public"


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def tour_new(request: HttpRequest) -> HttpResponse:
    form = TourForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = form.files_data()
        try:
            tour = tours.online_tour_create(
                actor=request.user,
                data=form.service_data(),
                cover=files["cover"],
                video=files["video"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Онлайн-экскурсия «%(title)s» создана. Добавьте ссылки на видео "
                    "на платформах или загрузите видеофайл."
                )
                % {"title": tour.experience.title},
            )
            return redirect("media:tour_edit", pk=tour.pk)
    return render(request, "media/manage/tour_form.html", {"form": form, "tour": None})


def _publications_in_order(tour: OnlineTour) -> list:
    rank = {platform.value: index for index, platform in enumerate(selectors.PLAYER_ORDER)}
    return sorted(tour.publications.all(), key=lambda p: rank.get(p.platform, len(rank)))


def _tour_edit_page(request, tour, *, form=None, publication_form=None) -> HttpResponse:
    return render(
        request,
        "media/manage/tour_form.html",
        {
            "tour": tour,
            "form": form or TourForm(tour=tour),
            "publication_form": publication_form or PublicationForm(),
            "publications": _publications_in_order(tour),
            "is_public": selectors.is_public(tour),
        },
    )


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def tour_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The tour's fields and files (action «save») and its publications (action
    «publication»: adds one, or replaces the URL on that platform)."""
    tour = selectors.tour_for_staff(user=request.user, pk=pk)
    if request.method != "POST":
        return _tour_edit_page(request, tour)
    if request.POST.get("action") == "publication":
        publication_form = PublicationForm(request.POST)
        if publication_form.is_valid():
            try:
                tours.publication_set(
                    actor=request.user,
                    tour=tour,
                    platform=publication_form.cleaned_data["platform"],
                    url=publication_form.cleaned_data["url"],
                )
            except ValidationError as error:
                show_service_errors(publication_form, error)
            else:
                messages.success(request, _("Ссылка на видео сохранена."))
                return redirect("media:tour_edit", pk=tour.pk)
        return _tour_edit_page(request, tour, publication_form=publication_form)
    form = TourForm(request.POST, request.FILES, tour=tour)
    if form.is_valid():
        try:
            tours.online_tour_update(
                actor=request.user, tour=tour, data=form.service_data(), **form.files_data()
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Изменения сохранены."))
            return redirect("media:tour_edit", pk=tour.pk)
    return _tour_edit_page(request, tour, form=form)


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def tour_delete(request: HttpRequest, pk: int) -> HttpResponse:
    tour = selectors.tour_for_staff(user=request.user, pk=pk)
    if request.method == "POST":
        title = tour.experience.title
        tours.online_tour_delete(actor=request.user, tour=tour)
        messages.success(request, _("Онлайн-экскурсия «%(title)s» удалена.") % {"title": title})
        return redirect("media:tours")
    totals = counts.tour_views(tours=[tour])[tour.pk]
    return render(request, "media/manage/tour_delete.html", {"tour": tour, "totals": totals})


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def publication_remove(request: HttpRequest, pk: int, platform: str) -> HttpResponse:
    tour = selectors.tour_for_staff(user=request.user, pk=pk)
    publication = next((p for p in tour.publications.all() if p.platform == platform), None)
    if publication is None:
        raise Http404
    if request.method == "POST":
        tours.publication_remove(actor=request.user, publication=publication)
        messages.success(
            request,
            _("Публикация на платформе %(platform)s удалена.")
            % {"platform": publication.get_platform_display()},
        )
        return redirect("media:tour_edit", pk=tour.pk)
    return render(
        request,
        "media/manage/publication_remove.html",
        {"tour": tour, "publication": publication},
    )


# --- View counts ---------------------------------------------------------------------------


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def views_list(request: HttpRequest) -> HttpResponse:
    """The platforms' counts (filtered by tour and period) and the form to enter one; entering
    the same tour, platform and period again replaces the number."""
    choices = _tour_choices(request.user)
    filters_form = ViewsFilterForm(request.GET or None, tours=choices)
    filters = filters_form.values()
    form = PlatformViewsForm(request.POST or None, tours=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row, created = counts.platform_views_set(
                actor=request.user,
                tour=data["tour"],
                platform=data["platform"],
                period=data["period"],
                views=data["views"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            message = (
                _("Просмотры за %(period)s внесены.")
                if created
                else _("Просмотры за %(period)s обновлены.")
            )
            messages.success(request, message % {"period": row.period.label})
            return redirect("media:views")
    rows = selectors.platform_views_for_staff(user=request.user, **filters)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "media/manage/views_list.html",
        {
            "form": form,
            "filters_form": filters_form,
            "filtering": bool(filters),
            "page": page,
            "totals": counts.views_total(period=filters.get("period"))
            if "tour" not in filters
            else None,
        },
    )


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def views_delete(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.platform_views_row_for_staff(user=request.user, pk=pk)
    if request.method == "POST":
        counts.platform_views_delete(actor=request.user, row=row)
        messages.success(request, _("Запись о просмотрах удалена."))
        return redirect("media:views")
    return render(request, "media/manage/views_delete.html", {"row": row})


def _pending_import(request: HttpRequest) -> dict | None:
    pending = request.session.get(IMPORT_SESSION_KEY)
    return pending if isinstance(pending, dict) and "content" in pending else None


def _import_page(
    request, form, *, result=None, filename="", checked=False, skip_bad=False
) -> HttpResponse:
    rows = result.rows if result is not None else []
    labels = dict(Platform.choices)
    preview = [
        {
            "line": row.line,
            "tour_id": row.tour_id,
            "tour_title": row.tour_title,
            "platform_label": labels.get(row.platform, row.platform),
            "period": row.period,
            "views": row.views,
            "action": row.action,
        }
        for row in rows[:PREVIEW_ROWS]
    ]
    summary = {
        "create": sum(1 for row in rows if row.action == "create"),
        "update": sum(1 for row in rows if row.action == "update"),
        "errors": len(result.errors) if result is not None else 0,
    }
    return render(
        request,
        "media/manage/views_import.html",
        {
            "form": form,
            "result": result,
            "summary": summary,
            "filename": filename,
            "checked": checked,
            "skip_bad": skip_bad,
            "preview_rows": preview,
            "more_rows": max(len(rows) - PREVIEW_ROWS, 0),
            "pending": _pending_import(request),
        },
    )


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def views_import(request: HttpRequest) -> HttpResponse:
    """Platform counts from CSV. «Проверить» runs the import without writing and lists every
    bad row by its line; the checked file is kept in the session so «Загрузить» needs no second
    upload. A file with bad rows is written only with «пропустить строки с ошибками»."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _import_page(request, form)
    upload = form.cleaned_data["file"]
    pending = _pending_import(request)
    if upload:
        content, filename = upload.read(counts.MAX_IMPORT_BYTES + 1), upload.name
    elif pending is not None and request.POST.get("use_pending") == "1":
        content, filename = base64.b64decode(pending["content"]), pending.get("name", "")
    else:
        form.add_error("file", _("Выберите файл CSV."))
        return _import_page(request, form)
    dry_run = request.POST.get("action") != "import"
    skip_bad = form.cleaned_data["skip_bad"]
    result = counts.platform_views_import(
        actor=request.user, file=io.BytesIO(content), skip_bad=skip_bad, dry_run=dry_run
    )
    if result.written:
        request.session.pop(IMPORT_SESSION_KEY, None)
        message = _("Импорт завершён: добавлено %(created)s, обновлено %(updated)s.") % {
            "created": result.created,
            "updated": result.updated,
        }
        if result.errors:
            message += " " + _("Пропущено строк с ошибками: %(n)s.") % {"n": len(result.errors)}
        messages.success(request, message)
        return redirect("media:views")
    if len(content) <= counts.MAX_IMPORT_BYTES:
        request.session[IMPORT_SESSION_KEY] = {
            "name": filename,
            "content": base64.b64encode(content).decode("ascii"),
        }
    return _import_page(
        request,
        ImportForm(),
        result=result,
        filename=filename,
        checked=dry_run,
        skip_bad=skip_bad,
    )


# --- Reach ---------------------------------------------------------------------------------


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def reach_list(request: HttpRequest) -> HttpResponse:
    form = ReachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _reach, created = audience_services.reach_set(
                actor=request.user,
                channel=data["channel"],
                period=data["period"],
                value=data["value"],
                note=data["note"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            message = _("Охват внесён.") if created else _("Охват за этот период обновлён.")
            messages.success(request, message)
            return redirect("media:reach")
    page = Paginator(selectors.reach_for_staff(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "media/manage/reach_list.html", {"form": form, "page": page})


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def reach_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reach = selectors.reach_row_for_staff(user=request.user, pk=pk)
    form = ReachEditForm(request.POST or None, initial={"value": reach.value, "note": reach.note})
    if request.method == "POST" and form.is_valid():
        try:
            audience_services.reach_set(
                actor=request.user,
                channel=reach.channel,
                period=reach.period,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Охват обновлён."))
            return redirect("media:reach")
    return render(request, "media/manage/reach_edit.html", {"form": form, "reach": reach})


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def reach_delete(request: HttpRequest, pk: int) -> HttpResponse:
    reach = selectors.reach_row_for_staff(user=request.user, pk=pk)
    if request.method == "POST":
        audience_services.reach_delete(actor=request.user, reach=reach)
        messages.success(request, _("Запись об охвате удалена."))
        return redirect("media:reach")
    return render(request, "media/manage/reach_delete.html", {"reach": reach})


# --- Awards --------------------------------------------------------------------------------


@organiser_required
@require_safe
def award_list(request: HttpRequest) -> HttpResponse:
    # The public list is every award; the back office shows the same, with actions.
    selectors.require_organiser(request.user)
    page = Paginator(selectors.awards_public(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "media/manage/award_list.html", {"page": page})


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def award_new(request: HttpRequest) -> HttpResponse:
    form = AwardForm(request.POST or None, initial={"year": clock.today().year})
    if request.method == "POST" and form.is_valid():
        try:
            award = awards.award_create(actor=request.user, data=form.service_data())
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Награда «%(name)s» добавлена.") % {"name": award.name})
            return redirect("media:awards")
    return render(request, "media/manage/award_form.html", {"form": form, "award": None})


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def award_edit(request: HttpRequest, pk: int) -> HttpResponse:
    award = selectors.award_for_staff(user=request.user, pk=pk)
    initial = {name: getattr(award, name) for name in AwardForm.FIELDS}
    form = AwardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            awards.award_update(actor=request.user, award=award, data=form.service_data())
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Изменения сохранены."))
            return redirect("media:awards")
    return render(request, "media/manage/award_form.html", {"form": form, "award": award})


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def award_delete(request: HttpRequest, pk: int) -> HttpResponse:
    award = selectors.award_for_staff(user=request.user, pk=pk)
    if request.method == "POST":
        awards.award_delete(actor=request.user, award=award)
        messages.success(request, _("Награда «%(name)s» удалена.") % {"name": award.name})
        return redirect("media:awards")
    return render(request, "media/manage/award_delete.html", {"award": award})


# --- The audience --------------------------------------------------------------------------


@organiser_required
@require_safe
def audience_page(request: HttpRequest) -> HttpResponse:
    """The formula for any period with its parts: typed by organisers or counted."""
    selectors.require_organiser(request.user)
    picker = PeriodPickerForm(request.GET or None)
    period = None
    if picker.is_valid():
        period = picker.cleaned_data["period"]
    if period is None:
        period = Period.year(clock.today().year)
        if not picker.is_bound or not picker.errors:
            picker = PeriodPickerForm(initial={"period": period.code})
    figures = audience_services.audience(period=period)
    return render(
        request,
        "media/manage/audience.html",
        {
            "picker": picker,
            "period": period,
            "audience": figures,
            "audience_rows": audience_rows(figures),
        },
    )
