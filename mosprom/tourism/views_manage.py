"""Publishing: experiences (hosts for their enterprises, organisers for any), their sessions
and photos; seasons (organisers). Views parse and render; tourism.catalogue writes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mosprom.accounts.decorators import host_required, organiser_required
from mosprom.tourism import catalogue, selectors_host
from mosprom.tourism.forms_manage import (
    ExperienceForm,
    PhotoForm,
    SearchForm,
    SeasonForm,
    SessionForm,
    apply_service_errors,
)
from mosprom.tourism.models import Experience, ExperiencePhoto, Session

PER_PAGE = 25


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# --- Experiences ----------------------------------------------------------------------------


@host_required
@require_GET
def experience_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    q = form.value()
    experiences = selectors_host.experiences_for(viewer=request.user, q=q)
    page = Paginator(experiences, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "tourism/manage/experience_list.html",
        {"form": form, "page_obj": page, "filtered": bool(q)},
    )


@host_required
@require_http_methods(["GET", "POST"])
def experience_new(request: HttpRequest) -> HttpResponse:
    """Step 1 picks the enterprise (skipped for a host of one), step 2 is the form."""
    enterprise_id = _int_or_none(request.GET.get("enterprise"))
    if enterprise_id is None:
        q = request.GET.get("enterprise_q", "").strip()[:100]
        choices = selectors_host.enterprises_for(viewer=request.user, q=q)
        if not request.user.is_organiser and len(choices) == 1:
            enterprise_id = choices[0].pk
        else:
            return render(
                request,
                "tourism/manage/experience_pick_enterprise.html",
                {
                    "choices": choices,
                    "enterprise_q": q,
                    "limited": len(choices) >= selectors_host.ENTERPRISE_CHOICES_LIMIT,
                },
            )
    enterprise = selectors_host.enterprise_get_for(viewer=request.user, pk=enterprise_id)
    sites = selectors_host.sites_of(enterprise=enterprise)
    if request.method == "POST":
        form = ExperienceForm(request.POST, enterprise=enterprise, sites=sites)
        if form.is_valid():
            try:
                experience = catalogue.experience_create(
                    actor=request.user, enterprise=enterprise, data=form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Программа «%(title)s» создана. Добавьте сеансы — даты и число мест.")
                    % {"title": experience.title},
                )
                return redirect("tourism:manage_experience_edit", pk=experience.pk)
    else:
        form = ExperienceForm(enterprise=enterprise, sites=sites)
    return render(
        request,
        "tourism/manage/experience_form.html",
        {"form": form, "enterprise": enterprise, "experience": None, "has_sites": sites.exists()},
    )


def _experience_page(
    request: HttpRequest,
    experience: Experience,
    form: ExperienceForm,
    photo_form: PhotoForm,
) -> HttpResponse:
    return render(
        request,
        "tourism/manage/experience_form.html",
        {
            "form": form,
            "photo_form": photo_form,
            "enterprise": experience.enterprise,
            "experience": experience,
            "has_sites": form.fields["site"].queryset.exists(),
            "sessions": selectors_host.experience_sessions(experience=experience)[:50],
            "photos": experience.photos.all(),
            "max_photos": catalogue.MAX_PHOTOS,
        },
    )


@host_required
@require_http_methods(["GET", "POST"])
def experience_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The experience's form, its photos (add, remove) and its coming sessions."""
    experience = selectors_host.experience_get_for(viewer=request.user, pk=pk)
    sites = selectors_host.sites_of(enterprise=experience.enterprise)
    form = ExperienceForm(instance=experience, enterprise=experience.enterprise, sites=sites)
    photo_form = PhotoForm()
    action = request.POST.get("action", "save")
    if request.method == "POST" and action == "save":
        form = ExperienceForm(
            request.POST, instance=experience, enterprise=experience.enterprise, sites=sites
        )
        if form.is_valid():
            try:
                catalogue.experience_update(
                    actor=request.user, experience=experience, data=form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Изменения сохранены."))
                return redirect("tourism:manage_experience_edit", pk=experience.pk)
        # The instance was changed by validation; show the stored title and photos.
        experience = selectors_host.experience_get_for(viewer=request.user, pk=pk)
    elif request.method == "POST" and action == "photo_add":
        photo_form = PhotoForm(request.POST, request.FILES)
        if photo_form.is_valid():
            try:
                catalogue.experience_photo_add(
                    actor=request.user,
                    experience=experience,
                    image=photo_form.cleaned_data["image"],
                    alt_text=photo_form.cleaned_data["alt_text"],
                )
            except ValidationError as error:
                apply_service_errors(photo_form, error)
            else:
                messages.success(request, _("Фото добавлено."))
                return redirect("tourism:manage_experience_edit", pk=experience.pk)
    elif request.method == "POST" and action == "photo_delete":
        photo = ExperiencePhoto.objects.filter(
            experience=experience, pk=_int_or_none(request.POST.get("photo"))
        ).first()
        if photo is None:
            raise Http404
        catalogue.experience_photo_delete(actor=request.user, photo=photo)
        messages.success(request, _("Фото удалено."))
        return redirect("tourism:manage_experience_edit", pk=experience.pk)
    elif request.method == "POST":
        return HttpResponse(status=400)
    return _experience_page(request, experience, form, photo_form)


# --- Sessions -------------------------------------------------------------------------------


def _session_from_form(form: SessionForm) -> dict:
    data = form.cleaned_data
    return {
        "season": data["season"],
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "capacity": data["capacity"],
        "mode": data.get("mode") or "",
    }


@host_required
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    experience = selectors_host.experience_get_for(viewer=request.user, pk=pk)
    seasons = selectors_host.season_choices()
    if request.method == "POST":
        form = SessionForm(request.POST, experience=experience, seasons=seasons)
        if form.is_valid():
            try:
                session = catalogue.session_create(
                    actor=request.user, experience=experience, **_session_from_form(form)
                )
            except ValidationError as error:
                apply_service_errors(form, error, SessionForm.SERVICE_FIELDS)
            else:
                messages.success(request, _("Сеанс добавлен: %(session)s.") % {"session": session})
                if "add_another" in request.POST:
                    return redirect("tourism:manage_session_new", pk=experience.pk)
                return redirect("tourism:manage_experience_edit", pk=experience.pk)
    else:
        initial = {"capacity": experience.group_size}
        if seasons:
            initial["season"] = seasons[0].pk
        form = SessionForm(initial=initial, experience=experience, seasons=seasons)
    return render(
        request,
        "tourism/manage/session_form.html",
        {"form": form, "experience": experience, "session": None, "no_seasons": not seasons},
    )


@host_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session: Session = selectors_host.host_session_get(viewer=request.user, pk=pk)
    experience = session.experience
    seasons = selectors_host.season_choices(include=session.season)
    if request.method == "POST":
        form = SessionForm(request.POST, experience=experience, seasons=seasons)
        if form.is_valid():
            try:
                catalogue.session_update(
                    actor=request.user, session=session, **_session_from_form(form)
                )
            except ValidationError as error:
                apply_service_errors(form, error, SessionForm.SERVICE_FIELDS)
            else:
                messages.success(request, _("Сеанс сохранён."))
                return redirect("tourism:host_session", pk=session.pk)
    else:
        form = SessionForm(
            initial=SessionForm.initial_for(session), experience=experience, seasons=seasons
        )
    return render(
        request,
        "tourism/manage/session_form.html",
        {"form": form, "experience": experience, "session": session, "no_seasons": False},
    )


# --- Seasons --------------------------------------------------------------------------------


@organiser_required
@require_GET
def season_list(request: HttpRequest) -> HttpResponse:
    seasons = selectors_host.seasons_for(viewer=request.user)
    page = Paginator(seasons, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "tourism/manage/season_list.html", {"page_obj": page})


@organiser_required
@require_http_methods(["GET", "POST"])
def season_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SeasonForm(request.POST)
        if form.is_valid():
            try:
                season = catalogue.season_create(actor=request.user, data=form.data_for_service())
            except ValidationError as error:
                apply_service_errors(form, error, SeasonForm.SERVICE_FIELDS)
            else:
                messages.success(request, _("Сезон «%(name)s» создан.") % {"name": season.name})
                return redirect("tourism:manage_seasons")
    else:
        form = SeasonForm()
    return render(
        request,
        "tourism/manage/season_form.html",
        {"form": form, "season": None},
    )


@organiser_required
@require_http_methods(["GET", "POST"])
def season_edit(request: HttpRequest, pk: int) -> HttpResponse:
    season = selectors_host.season_get_for(viewer=request.user, pk=pk)
    if request.method == "POST":
        form = SeasonForm(request.POST)
        if form.is_valid():
            try:
                season = catalogue.season_update(
                    actor=request.user, season=season, data=form.data_for_service()
                )
            except ValidationError as error:
                apply_service_errors(form, error, SeasonForm.SERVICE_FIELDS)
            else:
                messages.success(request, _("Сезон «%(name)s» сохранён.") % {"name": season.name})
                return redirect("tourism:manage_seasons")
    else:
        form = SeasonForm(initial=SeasonForm.initial_for(season))
    return render(
        request,
        "tourism/manage/season_form.html",
        {"form": form, "season": season},
    )
