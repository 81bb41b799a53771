"""Plain-text Russian mail of accounts and invitations: rendered now, delivered after commit.

Delivery goes through ``mosprom.core.mail.mail_after_commit`` (the task worker sends it; see
docs/adr/0003-mailers.md), so a slow mail server never slows the request.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from mosprom.core.mail import mail_after_commit


def mail_send_on_commit(*, to: str, template: str, context: dict[str, Any]) -> None:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` in the current language
    and queue the mail for delivery once the transaction commits."""
    context = {"SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_body.txt", context)
    mail_after_commit(subject=subject, body=body, to=[to])
