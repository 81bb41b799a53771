from django.http import HttpResponse


def login_view(request, *args, **kwargs):  # placeholder, replaced by the accounts work
    return HttpResponse("")


def logout_view(request, *args, **kwargs):  # placeholder, replaced by the accounts work
    return HttpResponse("")


def signup(request, *args, **kwargs):  # placeholder, replaced by the accounts work
    return HttpResponse("")


def signup_sent(request, *args, **kwargs):  # placeholder, replaced by the accounts work
    return HttpResponse("")


def confirm_email(request, *args, **kwargs):  # placeholder, replaced by the accounts work
    return HttpResponse("")


def confirm_resend(request, *args, **kwargs):  # placeholder, replaced by the accounts work
    return HttpResponse("")


def password_reset(request, *args, **kwargs):  # placeholder, replaced by the accounts work
    return HttpResponse("")


def password_reset_sent(request, *args, **kwargs):  # placeholder, replaced by the accounts work
    return HttpResponse("")


def password_reset_confirm(request, *args, **kwargs):  # placeholder, replaced by the accounts work
    return HttpResponse("")


def profile(request, *args, **kwargs):  # placeholder, replaced by the accounts work
    return HttpResponse("")


def consent_current(request, *args, **kwargs):  # placeholder, replaced by the accounts work
    return HttpResponse("")


def consent_accept(request, *args, **kwargs):  # placeholder, replaced by the accounts work
    return HttpResponse("")


def token_list(request, *args, **kwargs):  # placeholder, replaced by the accounts work
    return HttpResponse("")


def user_list(request, *args, **kwargs):  # placeholder, replaced by the accounts work
    return HttpResponse("")


def user_detail(request, *args, **kwargs):  # placeholder, replaced by the accounts work
    return HttpResponse("")


def user_reveal(request, *args, **kwargs):  # placeholder, replaced by the accounts work
    return HttpResponse("")


def audit_log(request, *args, **kwargs):  # placeholder, replaced by the accounts work
    return HttpResponse("")
