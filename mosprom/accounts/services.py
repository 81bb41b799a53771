"""Writes of accounts: sign-up, confirmation, login records, passwords, consent, roles.

Every function runs in one transaction (the caller's, if any) and records its audit event in it;
mail goes out only after the commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from mosprom.accounts.audit import audit_record
from mosprom.accounts.links import (
    ConfirmationInvalid,
    confirmation_token_read,
    confirmation_url,
    password_reset_url,
)
from mosprom.accounts.mail import mail_send_on_commit
from mosprom.accounts.models import AuditAction, Consent, ConsentDocument, User
from mosprom.accounts.selectors import role_choices_for
from mosprom.core import clock


class EmailTaken(Exception):
    """Someone already signed up with this e-mail address."""


# --- Sign-up and e-mail confirmation ------------------------------------------------------


@transaction.atomic
def user_signup(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    consent_document: ConsentDocument,
    ip_address: str | None,
    next_url: str = "",
) -> User:
    """Create an unconfirmed visitor with their consent recorded; the confirmation mail
    leaves after commit. Raises EmailTaken if the address is registered."""
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email.strip().lower(),
                password=password,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
            )
    except IntegrityError:
        raise EmailTaken(email) from None
    audit_record(
        action=AuditAction.SIGNUP,
        actor=user,
        target=user,
        ip_address=ip_address,
        details={"consent_version": consent_document.version},
    )
    consent_accept(user=user, document=consent_document, ip_address=ip_address)
    email_confirmation_send(user=user, next_url=next_url)
    return user


def email_confirmation_send(*, user: User, next_url: str = "") -> None:
    """Mail ``user`` a fresh confirmation link (after commit)."""
    mail_send_on_commit(
        to=user.email,
        template="accounts/email/confirm",
        context={
            "user": user,
            "url": confirmation_url(user=user, next_url=next_url),
            "valid_until": clock.now() + dt.timedelta(seconds=settings.EMAIL_CONFIRMATION_MAX_AGE),
        },
    )


def email_confirmation_resend(*, email: str, next_url: str = "") -> None:
    """Mail a new link if ``email`` belongs to an active unconfirmed user; silent otherwise,
    so the answer never tells whether an address is registered."""
    user = User.objects.filter(
        email__iexact=email.strip(), is_active=True, email_confirmed_at__isnull=True
    ).first()
    if user is not None:
        email_confirmation_send(user=user, next_url=next_url)


@dataclass(frozen=True)
class Confirmation:
    user: User
    next_url: str
    newly_confirmed: bool


@transaction.atomic
def user_confirm_email(*, token: str, ip_address: str | None) -> Confirmation:
    """Mark the address in ``token`` confirmed (once; repeated clicks change nothing).

    Raises ConfirmationExpired / ConfirmationInvalid from mosprom.accounts.links.
    """
    claim = confirmation_token_read(token)
    user = User.objects.filter(pk=claim.user_id, is_active=True).first()
    if user is None or user.email != claim.email:
        raise ConfirmationInvalid
    now = clock.now()
    newly = bool(
        User.objects.filter(pk=user.pk, email_confirmed_at__isnull=True).update(
            email_confirmed_at=now
        )
    )
    if newly:
        user.email_confirmed_at = now
        audit_record(
            action=AuditAction.EMAIL_CONFIRMED, actor=user, target=user, ip_address=ip_address
        )
    return Confirmation(user=user, next_url=claim.next_url, newly_confirmed=newly)


# --- Login, logout, password reset ---------------------------------------------------------


def login_record_success(*, user: User, ip_address: str | None) -> None:
    """Audit a successful login."""
    audit_record(action=AuditAction.LOGIN, actor=user, target=user, ip_address=ip_address)


def login_record_failure(*, email: str, ip_address: str | None) -> None:
    """Audit a failed login with the address that was tried."""
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        ip_address=ip_address,
        details={"email": email.strip()[:254]},
    )


def logout_record(*, user: User, ip_address: str | None) -> None:
    """Audit a logout."""
    audit_record(action=AuditAction.LOGOUT, actor=user, target=user, ip_address=ip_address)


@transaction.atomic
def password_reset_request(*, email: str, ip_address: str | None) -> None:
    """Mail a reset link if ``email`` belongs to an active user; silent otherwise."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    audit_record(
        action=AuditAction.PASSWORD_RESET,
        target=user,
        ip_address=ip_address,
        details={"stage": "requested"},
    )
    mail_send_on_commit(
        to=user.email,
        template="accounts/email/password_reset",
        context={
            "user": user,
            "url": password_reset_url(user=user),
            "valid_until": clock.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
        },
    )


@transaction.atomic
def password_reset_complete(*, user: User, password: str, ip_address: str | None) -> User:
    """Set the new password (which ends the user's other sessions and spends the link) and
    confirm the address: following the mailed link proved the mailbox."""
    user.set_password(password)
    fields = ["password"]
    if user.email_confirmed_at is None:
        user.email_confirmed_at = clock.now()
        fields.append("email_confirmed_at")
    user.save(update_fields=fields)
    audit_record(
        action=AuditAction.PASSWORD_RESET,
        actor=user,
        target=user,
        ip_address=ip_address,
        details={"stage": "completed"},
    )
    return user


# --- Profile and consent -------------------------------------------------------------------


@transaction.atomic
def profile_update(*, user: User, first_name: str, last_name: str, phone: str) -> User:
    """Save the fields a person may edit about themselves."""
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.phone = phone.strip()
    user.save(update_fields=["first_name", "last_name", "phone"])
    return user


@transaction.atomic
def consent_accept(*, user: User, document: ConsentDocument, ip_address: str | None) -> Consent:
    """Record that ``user`` accepted ``document`` (once per version, with time and IP)."""
    consent, created = Consent.objects.get_or_create(
        user=user,
        document=document,
        defaults={"accepted_at": clock.now(), "ip_address": ip_address},
    )
    if created:
        audit_record(
            action=AuditAction.CONSENT,
            actor=user,
            target=user,
            ip_address=ip_address,
            details={"version": document.version, "document_id": document.pk},
        )
    return consent


# --- Roles and personal data ---------------------------------------------------------------


@transaction.atomic
def user_role_change(*, actor: User, user: User, role: str, ip_address: str | None) -> User:
    """Give ``user`` the ``role`` if ``actor`` may (see selectors.role_choices_for);
    PermissionDenied otherwise. Audited with the old and the new role."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if role not in dict(role_choices_for(viewer=actor, user=locked)):
        raise PermissionDenied
    old = locked.role
    if old != role:
        locked.role = role
        locked.save(update_fields=["role"])
        audit_record(
            action=AuditAction.ROLE_CHANGED,
            actor=actor,
            target=locked,
            ip_address=ip_address,
            details={"old": old, "new": role},
        )
    return locked


@transaction.atomic
def personal_data_reveal(*, viewer: User, user: User, ip_address: str | None) -> dict[str, str]:
    """The full e-mail and phone of ``user`` for an organiser; every reveal is audited."""
    if not (viewer.is_authenticated and viewer.is_organiser):
        raise PermissionDenied
    audit_record(
        action=AuditAction.PD_REVEALED,
        actor=viewer,
        target=user,
        ip_address=ip_address,
        details={"fields": ["email", "phone"]},
    )
    return {"email": user.email, "phone": user.phone}
