"""A person's own pages: profile, consent to personal-data processing, API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mosprom.accounts import selectors, services
from mosprom.accounts.audit import client_ip
from mosprom.accounts.decorators import host_required
from mosprom.accounts.forms import EmailForm, ProfileForm, TokenCreateForm
from mosprom.accounts.redirects import requested_next
from mosprom.accounts.tokens import api_token_create, api_token_revoke

TOKENS_PER_PAGE = 20


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.profile_update(user=user, **form.cleaned_data)
            messages.success(request, _("Профиль сохранён."))
            return redirect("accounts:profile")
    else:
        form = ProfileForm(
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "phone": user.phone,
            }
        )
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "consents": selectors.consents_of(user=user),
            "pending_consent": selectors.consent_pending_for(user=user),
            "memberships": selectors.memberships_of(user=user),
            "may_use_api": selectors.may_use_api(user),
            "resend_form": EmailForm(initial={"email": user.email}),
        },
    )


@require_GET
def consent_current(request: HttpRequest) -> HttpResponse:
    document = selectors.consent_document_current()
    accepted = selectors.consent_of(user=request.user, document=document) if document else None
    return render(
        request,
        "accounts/consent.html",
        {"document": document, "accepted": accepted, "next": requested_next(request)},
        status=200 if document else 404,
    )


@login_required
@require_POST
def consent_accept(request: HttpRequest) -> HttpResponse:
    document = selectors.consent_document_current()
    if document is None or request.POST.get("document") != str(document.pk):
        messages.warning(
            request,
            _("Текст согласия обновился. Прочитайте актуальную версию и примите её."),
        )
        return redirect("accounts:consent_current")
    services.consent_accept(user=request.user, document=document, ip_address=client_ip(request))
    messages.success(
        request,
        _("Спасибо! Согласие на обработку персональных данных (версия %(version)s) записано.")
        % {"version": document.version},
    )
    return redirect(requested_next(request) or "accounts:profile")


@host_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = TokenCreateForm()
    new_token = new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            form = TokenCreateForm(request.POST)
            if form.is_valid():
                new_token, new_key = api_token_create(
                    user=user, name=form.cleaned_data["name"], ip_address=client_ip(request)
                )
                form = TokenCreateForm()
        elif action == "revoke":
            token = selectors.api_token_get_for(viewer=user, pk=request.POST.get("token"))
            if token.revoked_at is None:
                api_token_revoke(token=token, actor=user, ip_address=client_ip(request))
            messages.success(request, _("Токен «%(name)s» отозван.") % {"name": token.name})
            return redirect("accounts:token_list")
        else:
            return HttpResponseBadRequest()
    to_revoke = None
    if request.method == "GET" and request.GET.get("revoke"):
        to_revoke = selectors.api_token_get_for(viewer=user, pk=request.GET["revoke"])
        if to_revoke.revoked_at is not None:
            to_revoke = None
    page = Paginator(selectors.api_tokens_of(user=user), TOKENS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "page_obj": page,
            "new_token": new_token,
            "new_key": new_key,
            "to_revoke": to_revoke,
        },
    )
