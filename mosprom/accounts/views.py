"""Sign-up, e-mail confirmation, login, logout and password reset."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mosprom.accounts import selectors, services
from mosprom.accounts.audit import client_ip
from mosprom.accounts.forms import EmailForm, LoginForm, NewPasswordForm, SignupForm
from mosprom.accounts.links import ConfirmationExpired, ConfirmationInvalid, password_reset_user
from mosprom.accounts.redirects import requested_next, safe_next
from mosprom.core.ratelimit import by_posted_email, rate_limit

SIGNUP_EMAIL_KEY = "accounts_signup_email"


# --- Login and logout ----------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@rate_limit("login", account=by_posted_email)
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = requested_next(request)
    if request.method == "POST":
        form = LoginForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"].strip().lower()
            user = authenticate(request, email=email, password=form.cleaned_data["password"])
            if user is None:
                services.login_record_failure(email=email, ip_address=client_ip(request))
                form.add_error(
                    None,
                    _(
                        "Неверный e-mail или пароль. Проверьте раскладку клавиатуры "
                        "или восстановите пароль."
                    ),
                )
            else:
                auth_login(request, user)
                services.login_record_success(user=user, ip_address=client_ip(request))
                if not user.email_confirmed:
                    messages.warning(
                        request,
                        _(
                            "Ваш e-mail ещё не подтверждён. Записаться на мероприятие можно "
                            "только с подтверждённым адресом — откройте ссылку из письма."
                        ),
                    )
                return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    else:
        form = LoginForm(initial={"next": next_url})
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.logout_record(user=request.user, ip_address=client_ip(request))
        auth_logout(request)
    messages.info(request, _("Вы вышли из учётной записи."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


# --- Sign-up and confirmation --------------------------------------------------------------


@sensitive_post_parameters("password1", "password2")
@rate_limit("signup", account=by_posted_email)
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    document = selectors.consent_document_current()
    if document is None:
        # Without a published consent text nobody may give their data.
        return render(request, "accounts/signup_closed.html", status=503)
    next_url = requested_next(request)
    if request.method == "POST":
        form = SignupForm(request.POST, consent_document=document)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.user_signup(
                    email=data["email"],
                    password=data["password1"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    consent_document=document,
                    ip_address=client_ip(request),
                    next_url=next_url,
                )
            except services.EmailTaken:
                form.add_error("email", _("Этот e-mail уже зарегистрирован."))
            else:
                request.session[SIGNUP_EMAIL_KEY] = user.email
                return redirect("accounts:signup_sent")
    else:
        form = SignupForm(
            initial={"next": next_url, "email": request.GET.get("email", "")[:254]},
            consent_document=document,
        )
    return render(request, "accounts/signup.html", {"form": form, "document": document})


@require_GET
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/signup_sent.html",
        {"email": request.session.get(SIGNUP_EMAIL_KEY, ""), "form": EmailForm()},
    )


@require_GET
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        result = services.user_confirm_email(token=token, ip_address=client_ip(request))
    except ConfirmationExpired as expired:
        form = EmailForm(initial={"email": expired.email})
        return render(
            request, "accounts/confirm_failed.html", {"expired": True, "form": form}, status=410
        )
    except ConfirmationInvalid:
        return render(
            request,
            "accounts/confirm_failed.html",
            {"expired": False, "form": EmailForm()},
            status=400,
        )
    next_url = safe_next(request, result.next_url)
    if not result.newly_confirmed:
        messages.info(request, _("Этот e-mail уже подтверждён."))
        if request.user.is_authenticated:
            return redirect(next_url or "accounts:profile")
        login_url = reverse("accounts:login")
        if next_url:
            login_url += "?" + urlencode({"next": next_url})
        return redirect(login_url)
    if request.user.pk != result.user.pk:
        auth_login(request, result.user)
        services.login_record_success(user=result.user, ip_address=client_ip(request))
    messages.success(request, _("Адрес подтверждён. Добро пожаловать!"))
    return redirect(next_url or "accounts:profile")


@rate_limit("confirm_resend", account=by_posted_email)
@require_http_methods(["GET", "POST"])
def confirm_resend(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = EmailForm(request.POST)
        if form.is_valid():
            services.email_confirmation_resend(
                email=form.cleaned_data["email"], next_url=requested_next(request)
            )
            messages.success(
                request,
                _(
                    "Если этот адрес зарегистрирован и ещё не подтверждён, мы отправили на "
                    "него новое письмо со ссылкой."
                ),
            )
            return redirect("accounts:signup_sent")
    else:
        initial = {"next": requested_next(request)}
        if request.user.is_authenticated:
            initial["email"] = request.user.email
        form = EmailForm(initial=initial)
    return render(request, "accounts/confirm_resend.html", {"form": form})


# --- Password reset ------------------------------------------------------------------------


@rate_limit("password_reset", account=by_posted_email)
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = EmailForm(request.POST)
        if form.is_valid():
            services.password_reset_request(
                email=form.cleaned_data["email"], ip_address=client_ip(request)
            )
            return redirect("accounts:password_reset_sent")
    else:
        form = EmailForm()
    return render(request, "accounts/password_reset.html", {"form": form})


@require_GET
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = password_reset_user(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/password_reset_invalid.html", status=400)
    if request.method == "POST":
        form = NewPasswordForm(user, request.POST)
        if form.is_valid():
            services.password_reset_complete(
                user=user,
                password=form.cleaned_data["new_password1"],
                ip_address=client_ip(request),
            )
            messages.success(request, _("Пароль изменён. Войдите с новым паролем."))
            return redirect("accounts:login")
    else:
        form = NewPasswordForm(user)
    return render(request, "accounts/password_reset_confirm.html", {"form": form})
