"""Forms of accounts. They validate input; the services write."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mosprom.accounts.models import AuditAction, ConsentDocument, Role, User

PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,22}[0-9]$")


def _email_field(**kwargs) -> forms.EmailField:
    return forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
        **kwargs,
    )


def _name_fields() -> tuple[forms.CharField, forms.CharField]:
    """The first and last name fields, in this order."""
    return (
        forms.CharField(
            label=_("Имя"),
            max_length=150,
            widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        ),
        forms.CharField(
            label=_("Фамилия"),
            max_length=150,
            widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        ),
    )


class SignupForm(forms.Form):
    email = _email_field()
    first_name, last_name = _name_fields()
    password1 = forms.CharField(
        label=_("Пароль"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Пароль ещё раз"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_("Я даю согласие на обработку персональных данных"),
        error_messages={
            "required": _("Без согласия на обработку персональных данных регистрация невозможна.")
        },
    )
    # The version the person read; if a newer one was published meanwhile, they read it first.
    # The template always renders the current version's id, not the posted one.
    consent_document = forms.IntegerField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, consent_document: ConsentDocument, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.document = consent_document
        self.fields["consent_document"].initial = consent_document.pk

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _(
                    "Этот e-mail уже зарегистрирован. Войдите или восстановите пароль, "
                    "если забыли его."
                ),
                code="email_taken",
            )
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent") and cleaned.get("consent_document") != self.document.pk:
            self.add_error(
                "consent",
                ValidationError(
                    _(
                        "Текст согласия обновился. Прочитайте новую версию и отметьте "
                        "согласие ещё раз."
                    ),
                    code="consent_outdated",
                ),
            )
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Пароли не совпадают."))
        elif password1:
            probe = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, user=probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(forms.Form):
    email = _email_field()
    password = forms.CharField(
        label=_("Пароль"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class EmailForm(forms.Form):
    """One address: to send the confirmation again, or to reset a password."""

    email = _email_field()
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class NewPasswordForm(SetPasswordForm):
    """Django's set-password form (validators, matching twice) with our labels."""

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = _("Новый пароль")
        self.fields["new_password2"].label = _("Новый пароль ещё раз")


class ProfileForm(forms.Form):
    first_name, last_name = _name_fields()
    phone = forms.CharField(
        label=_("Телефон"),
        max_length=32,
        required=False,
        help_text=_("Например, +7 495 123-45-67. Нужен, чтобы связаться с вами о записи."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not PHONE_RE.match(phone):
            raise ValidationError(
                _("Укажите телефон цифрами, можно с «+», пробелами, скобками и дефисами.")
            )
        return phone


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Название токена"),
        max_length=100,
        help_text=_("Чтобы потом понять, где он используется: например, «Сайт завода»."),
    )


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Роль"))

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = choices


class UserFilterForm(forms.Form):
    q = forms.CharField(
        label=_("E-mail или имя"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    role = forms.ChoiceField(
        label=_("Роль"), required=False, choices=[("", _("Все роли")), *Role.choices]
    )


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Действие"),
        required=False,
        choices=[("", _("Все действия")), *AuditAction.choices],
    )
    actor = forms.CharField(
        label=_("E-mail того, кто действовал"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
