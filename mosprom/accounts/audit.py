"""Writing the audit log. Every security-relevant action goes through ``audit_record``."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from mosprom.accounts.models import AuditAction, AuditEvent, User


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as the first trusted hop saw it (REMOTE_ADDR; the proxy sets it)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: AuditAction | str,
    actor: User | None = None,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    ip_address: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit log (in the caller's transaction).

    Services that know nothing of HTTP pass ``ip_address``; views may pass ``request``.
    """
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_email=actor.email if actor else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        ip_address=ip_address or client_ip(request),
        details=details or {},
    )
