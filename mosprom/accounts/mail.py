"""Plain-text Russian mail of accounts and invitations: rendered now, delivered after commit.

Delivery goes through ``mosprom.core.mail.mail_after_commit`` (the task worker sends it; see
docs/adr/0003-mailers.md), so a slow mail server never slows the request.
"""

from __future__ import annotations

from typing import Any

from mosprom.core.mail import mail_template_after_commit


def mail_send_on_commit(*, to: str, template: str, context: dict[str, Any]) -> None:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` in the current language
    and queue the mail for delivery once the transaction commits."""
    mail_template_after_commit(template=template, to=[to], context=context, site_language=False)
