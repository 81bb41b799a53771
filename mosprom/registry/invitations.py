"""Host invitations: an organiser invites someone to act for an enterprise; they accept.

Services (writes) and selectors (reads) of this sub-domain live together: it is small.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse

from mosprom.accounts.audit import audit_record
from mosprom.accounts.mail import mail_send_on_commit
from mosprom.accounts.models import AuditAction, Role, User
from mosprom.core import clock
from mosprom.core.links import absolute_url
from mosprom.registry.models import Enterprise, HostInvitation, Membership

ENTERPRISE_CHOICES_LIMIT = 50


class InvitationError(Exception):
    """An invitation cannot be created or accepted; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _require_organiser(viewer: User) -> None:
    if not (viewer.is_authenticated and viewer.is_organiser):
        raise PermissionDenied


# --- Selectors -----------------------------------------------------------------------------


def invitations_for(*, viewer: User) -> QuerySet[HostInvitation]:
    """Every invitation, pending first, newest first; organisers only."""
    _require_organiser(viewer)
    return HostInvitation.objects.select_related("enterprise", "invited_by").order_by(
        F("accepted_at").desc(nulls_first=True), "-created_at", "-id"
    )


def members_for(*, viewer: User) -> QuerySet[Membership]:
    """Every host membership, newest first; organisers only."""
    _require_organiser(viewer)
    return Membership.objects.select_related("user", "enterprise", "invited_by").order_by(
        "-created_at", "-id"
    )


def enterprise_choices_for(
    *, viewer: User, q: str = "", selected: int | None = None
) -> list[Enterprise]:
    """Up to ENTERPRISE_CHOICES_LIMIT enterprises matching ``q`` (name or INN), by name, plus
    the ``selected`` one; organisers only."""
    _require_organiser(viewer)
    enterprises = Enterprise.objects.only("id", "short_name", "inn").order_by("short_name", "id")
    for word in q.split():
        enterprises = enterprises.filter(
            Q(short_name__icontains=word) | Q(legal_name__icontains=word) | Q(inn__startswith=word)
        )
    found = list(enterprises[:ENTERPRISE_CHOICES_LIMIT])
    if selected and all(e.pk != selected for e in found):
        extra = Enterprise.objects.only("id", "short_name", "inn").filter(pk=selected).first()
        if extra is not None:
            found.insert(0, extra)
    return found


def invitation_by_token(*, token: uuid.UUID) -> HostInvitation | None:
    """The invitation behind a mailed link; whoever holds the token may see it."""
    return HostInvitation.objects.select_related("enterprise").filter(token=token).first()


# --- Services ------------------------------------------------------------------------------


@transaction.atomic
def host_invitation_create(
    *, actor: User, email: str, enterprise: Enterprise, ip_address: str | None
) -> HostInvitation:
    """Invite ``email`` to act for ``enterprise`` and mail the link after commit. A pending
    invitation for the same pair is sent again rather than duplicated. Raises
    InvitationError("already_member") if that person already acts for the enterprise."""
    _require_organiser(actor)
    email = email.strip().lower()
    if Membership.objects.filter(user__email__iexact=email, enterprise=enterprise).exists():
        raise InvitationError("already_member")
    invitation = HostInvitation.objects.filter(
        email=email, enterprise=enterprise, accepted_at__isnull=True
    ).first()
    resent = invitation is not None
    if invitation is None:
        invitation = HostInvitation.objects.create(
            email=email, enterprise=enterprise, invited_by=actor
        )
    audit_record(
        action=AuditAction.HOST_INVITED,
        actor=actor,
        target=invitation,
        ip_address=ip_address,
        details={"email": email, "enterprise_id": enterprise.pk, "resent": resent},
    )
    mail_send_on_commit(
        to=email,
        template="registry/hosts/email/invitation",
        context={
            "enterprise": enterprise,
            "invited_by": actor,
            "url": absolute_url(reverse("registry:invitation_accept", args=[invitation.token])),
        },
    )
    return invitation


@transaction.atomic
def host_invitation_accept(
    *, invitation: HostInvitation, user: User, ip_address: str | None
) -> Membership:
    """Make ``user`` a host of the invitation's enterprise (once), turning a visitor into a
    host. Raises InvitationError: "accepted", "wrong_email" or "unconfirmed"."""
    if user.email.lower() != invitation.email.lower():
        raise InvitationError("wrong_email")
    if not user.email_confirmed:
        raise InvitationError("unconfirmed")
    now = clock.now()
    taken = HostInvitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=now, accepted_by=user
    )
    if not taken:
        raise InvitationError("accepted")
    invitation.accepted_at, invitation.accepted_by = now, user
    membership, _ = Membership.objects.get_or_create(
        user=user,
        enterprise=invitation.enterprise,
        defaults={"invited_by": invitation.invited_by, "created_at": now},
    )
    old_role = user.role
    if User.objects.filter(pk=user.pk, role=Role.VISITOR).update(role=Role.HOST):
        user.role = Role.HOST
        audit_record(
            action=AuditAction.ROLE_CHANGED,
            actor=user,
            target=user,
            ip_address=ip_address,
            details={"old": old_role, "new": Role.HOST.value, "reason": "host_invitation"},
        )
    audit_record(
        action=AuditAction.HOST_JOINED,
        actor=user,
        target=invitation.enterprise,
        ip_address=ip_address,
        details={"invitation_id": invitation.pk, "enterprise_id": invitation.enterprise_id},
    )
    return membership
