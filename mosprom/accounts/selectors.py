"""Reads of accounts. Every read that needs a role checks it here, not in the view."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from mosprom.accounts.models import (
    ApiToken,
    AuditAction,
    AuditEvent,
    Consent,
    ConsentDocument,
    Role,
    User,
)
from mosprom.core import clock


def _require_organiser(viewer: User) -> None:
    if not (viewer.is_authenticated and viewer.is_organiser):
        raise PermissionDenied


# --- Consent -------------------------------------------------------------------------------


def consent_document_current() -> ConsentDocument | None:
    """The newest consent text already published (none in the future), or None."""
    return (
        ConsentDocument.objects.filter(published_at__lte=clock.now())
        .order_by("-published_at", "-id")
        .first()
    )


def consent_pending_for(*, user: User) -> ConsentDocument | None:
    """The current consent text when ``user`` has not accepted it yet, else None."""
    if not user.is_authenticated:
        return None
    document = consent_document_current()
    if document is None or Consent.objects.filter(user=user, document=document).exists():
        return None
    return document


def consent_of(*, user: User, document: ConsentDocument) -> Consent | None:
    """``user``'s acceptance of ``document``, if any."""
    if not user.is_authenticated:
        return None
    return Consent.objects.filter(user=user, document=document).first()


def consents_of(*, user: User) -> QuerySet[Consent]:
    """The consent versions ``user`` accepted, newest first."""
    return (
        Consent.objects.filter(user=user).select_related("document").order_by("-accepted_at", "-id")
    )


# --- Users and roles -----------------------------------------------------------------------


def user_by_email(*, email: str) -> User | None:
    """The user with this e-mail (compared case-insensitively), or None."""
    return User.objects.filter(email__iexact=email.strip()).first()


def memberships_of(*, user: User) -> QuerySet:
    """The enterprises ``user`` acts for as a host, by name."""
    return user.memberships.select_related("enterprise").order_by("enterprise__short_name")


def user_list_for(*, viewer: User, q: str = "", role: str = "") -> QuerySet[User]:
    """Users matching ``q`` (every word in e-mail or name) and ``role``; organisers only."""
    _require_organiser(viewer)
    users = User.objects.order_by("-date_joined", "-id")
    for word in q.split():
        users = users.filter(
            Q(email__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    if role in Role.values:
        users = users.filter(role=role)
    return users


def user_get_for(*, viewer: User, pk: int) -> User:
    """One user for an organiser's eyes; PermissionDenied for others, Http404 if missing."""
    _require_organiser(viewer)
    try:
        return User.objects.get(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None


def role_choices_for(*, viewer: User, user: User) -> list[tuple[str, str]]:
    """The roles ``viewer`` may give ``user``: none for oneself; organisers give visitor/host
    to visitors and hosts; administrators give any role to anyone else."""
    if not (viewer.is_authenticated and viewer.is_organiser) or viewer.pk == user.pk:
        return []
    if viewer.is_admin:
        return list(Role.choices)
    if user.role in (Role.ORGANISER, Role.ADMIN):
        return []
    return [(Role.VISITOR.value, Role.VISITOR.label), (Role.HOST.value, Role.HOST.label)]


# --- Audit log -----------------------------------------------------------------------------


def audit_events_for(
    *, viewer: User, action: str = "", actor_email: str = "", target: User | None = None
) -> QuerySet[AuditEvent]:
    """Audit events, newest first, filtered by action, actor e-mail or target; organisers only."""
    _require_organiser(viewer)
    events = AuditEvent.objects.order_by("-at", "-id")
    if action in AuditAction.values:
        events = events.filter(action=action)
    if actor_email.strip():
        events = events.filter(actor_email__icontains=actor_email.strip())
    if target is not None:
        events = events.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
    return events


# --- API tokens ----------------------------------------------------------------------------


def may_use_api(user: User) -> bool:
    """Hosts, organisers and administrators write through the API; visitors do not."""
    return user.is_authenticated and (user.is_host or user.is_organiser)


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """``user``'s own API tokens, newest first (revoked ones included); API users only."""
    if not may_use_api(user):
        raise PermissionDenied
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_get_for(*, viewer: User, pk: int) -> ApiToken:
    """One of ``viewer``'s own tokens; Http404 for anyone else's."""
    if not may_use_api(viewer):
        raise PermissionDenied
    try:
        return ApiToken.objects.get(pk=pk, user=viewer)
    except (ApiToken.DoesNotExist, ValueError):
        raise Http404 from None
