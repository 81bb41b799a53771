"""Host invitations: the organiser's page and the invited person's acceptance page."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mosprom.accounts.audit import client_ip
from mosprom.accounts.decorators import organiser_required
from mosprom.accounts.forms import EmailForm
from mosprom.registry import invitations
from mosprom.registry.models import Enterprise, HostInvitation

PER_PAGE = 20


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail сотрудника предприятия"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    enterprise = forms.ModelChoiceField(
        label=gettext_lazy("Предприятие"),
        queryset=Enterprise.objects.all(),
        error_messages={
            "required": gettext_lazy("Выберите предприятие из списка."),
            "invalid_choice": gettext_lazy("Такого предприятия нет в реестре."),
        },
    )

    def __init__(self, *args, choices: list[Enterprise], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Validation looks at the whole registry; the list shows only the search results.
        self.fields["enterprise"].widget.choices = [
            ("", _("— выберите предприятие —")),
            *((e.pk, f"{e.short_name} (ИНН {e.inn})") for e in choices),
        ]


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@organiser_required
@require_http_methods(["GET", "POST"])
def invitation_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("enterprise_q", "").strip()[:100]
    selected = _int_or_none(request.POST.get("enterprise") or request.GET.get("enterprise"))
    choices = invitations.enterprise_choices_for(viewer=request.user, q=q, selected=selected)
    if request.method == "POST":
        form = InvitationForm(request.POST, choices=choices)
        if form.is_valid():
            try:
                invitation = invitations.host_invitation_create(
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    enterprise=form.cleaned_data["enterprise"],
                    ip_address=client_ip(request),
                )
            except invitations.InvitationError:
                form.add_error("email", _("Этот человек уже представляет это предприятие."))
            else:
                messages.success(
                    request,
                    _("Приглашение для %(email)s от имени «%(enterprise)s» отправлено.")
                    % {"email": invitation.email, "enterprise": invitation.enterprise},
                )
                return redirect("registry:invitation_list")
    else:
        form = InvitationForm(initial={"enterprise": selected}, choices=choices)
    context = {
        "form": form,
        "enterprise_q": q,
        "choices_limited": len(choices) >= invitations.ENTERPRISE_CHOICES_LIMIT,
        "no_matches": bool(q) and not choices,
    }
    if request.htmx and request.htmx.target == "enterprise-field":
        return render(request, "registry/hosts/_enterprise_field.html", context)
    context["invitations"] = Paginator(
        invitations.invitations_for(viewer=request.user), PER_PAGE
    ).get_page(request.GET.get("page"))
    context["members"] = Paginator(invitations.members_for(viewer=request.user), PER_PAGE).get_page(
        request.GET.get("mpage")
    )
    return render(request, "registry/hosts/invitation_list.html", context)


def _accept_page(
    request: HttpRequest, state: str, invitation: HostInvitation | None, status: int = 200
) -> HttpResponse:
    next_path = request.path
    context = {
        "state": state,
        "invitation": invitation,
        "login_url": reverse("accounts:login") + "?" + urlencode({"next": next_path}),
        "signup_url": reverse("accounts:signup")
        + "?"
        + urlencode({"next": next_path, "email": invitation.email if invitation else ""}),
    }
    if state == "unconfirmed":
        context["resend_form"] = EmailForm(initial={"email": request.user.email, "next": next_path})
    return render(request, "registry/hosts/invitation_accept.html", context, status=status)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    invitation = invitations.invitation_by_token(token=token)
    if invitation is None:
        return _accept_page(request, "unknown", None, status=404)
    if invitation.accepted_at is not None:
        mine = request.user.is_authenticated and invitation.accepted_by_id == request.user.pk
        return _accept_page(request, "accepted_by_you" if mine else "accepted", invitation, 410)
    if not request.user.is_authenticated:
        return _accept_page(request, "anonymous", invitation)
    if request.user.email.lower() != invitation.email.lower():
        return _accept_page(request, "wrong_email", invitation, status=403)
    if not request.user.email_confirmed:
        return _accept_page(request, "unconfirmed", invitation)
    if request.method == "POST":
        try:
            invitations.host_invitation_accept(
                invitation=invitation, user=request.user, ip_address=client_ip(request)
            )
        except invitations.InvitationError as error:
            state = "accepted" if error.code == "accepted" else error.code
            return _accept_page(request, state, invitation, status=409)
        messages.success(
            request,
            _("Готово: теперь вы представляете «%(enterprise)s» на платформе.")
            % {"enterprise": invitation.enterprise},
        )
        return redirect("accounts:profile")
    return _accept_page(request, "confirm", invitation)
