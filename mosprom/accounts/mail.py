"""Plain-text Russian mail, rendered now and sent once the surrounding transaction commits."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """``path`` on the public site (settings.SITE_URL), for links in mail."""
    return settings.SITE_URL.rstrip("/") + path


def mail_send_on_commit(*, to: str, template: str, context: dict[str, Any]) -> None:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt``; send after commit.

    A failing mail server is logged, not raised: the data is already committed and the
    person can ask for the mail again.
    """
    context = {"SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_body.txt", context)

    def send() -> None:
        try:
            send_mail(subject, body, None, [to])
        except OSError:  # smtplib.SMTPException is an OSError
            logger.exception("Could not send mail %r to %s", subject, to)

    transaction.on_commit(send)
