"""Organisers' pages: users and roles, revealing personal data, the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mosprom.accounts import selectors, services
from mosprom.accounts.audit import client_ip
from mosprom.accounts.decorators import organiser_required
from mosprom.accounts.forms import AuditFilterForm, RoleChangeForm, UserFilterForm
from mosprom.accounts.models import Role, User

USERS_PER_PAGE = 25
EVENTS_PER_PAGE = 50
RECENT_EVENTS = 10


@organiser_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET)
    q = role = ""
    if form.is_valid():
        q, role = form.cleaned_data["q"], form.cleaned_data["role"]
    users = selectors.user_list_for(viewer=request.user, q=q, role=role)
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/staff/user_list.html",
        {"form": form, "page_obj": page, "filtered": bool(q or role)},
    )


def _detail_context(request: HttpRequest, person: User, **extra) -> dict:
    return {
        "person": person,
        "memberships": selectors.memberships_of(user=person),
        "consents": selectors.consents_of(user=person),
        "events": selectors.audit_events_for(viewer=request.user, target=person)[:RECENT_EVENTS],
        "revealed": None,
        **extra,
    }


@organiser_required
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.user_get_for(viewer=request.user, pk=pk)
    choices = selectors.role_choices_for(viewer=request.user, user=person)
    if request.method == "POST":
        if not choices:
            raise PermissionDenied
        form = RoleChangeForm(request.POST, choices=choices)
        if form.is_valid():
            old = person.get_role_display()
            person = services.user_role_change(
                actor=request.user,
                user=person,
                role=form.cleaned_data["role"],
                ip_address=client_ip(request),
            )
            messages.success(
                request,
                _("Роль изменена: «%(old)s» → «%(new)s».")
                % {"old": old, "new": Role(person.role).label},
            )
            return redirect("accounts:user_detail", pk=person.pk)
    else:
        form = RoleChangeForm(initial={"role": person.role}, choices=choices)
    return render(
        request,
        "accounts/staff/user_detail.html",
        _detail_context(request, person, form=form if choices else None),
    )


@organiser_required
@never_cache
@require_POST
def user_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.user_get_for(viewer=request.user, pk=pk)
    revealed = services.personal_data_reveal(
        viewer=request.user, user=person, ip_address=client_ip(request)
    )
    if request.htmx:
        return render(
            request,
            "accounts/staff/_personal_data.html",
            {"person": person, "revealed": revealed},
        )
    choices = selectors.role_choices_for(viewer=request.user, user=person)
    form = RoleChangeForm(initial={"role": person.role}, choices=choices) if choices else None
    return render(
        request,
        "accounts/staff/user_detail.html",
        _detail_context(request, person, form=form, revealed=revealed),
    )


@organiser_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    action = actor = ""
    if form.is_valid():
        action, actor = form.cleaned_data["action"], form.cleaned_data["actor"]
    events = selectors.audit_events_for(viewer=request.user, action=action, actor_email=actor)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/staff/audit_log.html",
        {"form": form, "page_obj": page, "filtered": bool(action or actor)},
    )
