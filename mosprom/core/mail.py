"""Outgoing mail as deferred work: written after commit, delivered by the task worker.

A failed SMTP delivery fails the task (visible in the worker's results) instead of the
request that caused the mail.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task


@task()
def deliver_mail(*, subject: str, body: str, to: list[str], reply_to: list[str] | None = None):
    """Send one plain-text mail now (runs in the worker)."""
    EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to or [],
    ).send()


def mail_after_commit(*, subject: str, body: str, to: list[str]) -> None:
    """Queue a mail for delivery once the current transaction commits."""
    transaction.on_commit(lambda: deliver_mail.enqueue(subject=subject, body=body, to=to))


def render_mail(*, template: str, context: dict, site_language: bool = True) -> tuple[str, str]:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` (``SITE_URL`` in the
    context) in the site's language (Russian) — or, with ``site_language=False``, in the
    language active now; returns the subject on one line and the body."""
    from django.template.loader import render_to_string
    from django.utils import translation

    context = {"SITE_URL": settings.SITE_URL, **context}
    with translation.override(
        settings.LANGUAGE_CODE if site_language else translation.get_language()
    ):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_body.txt", context)
    return " ".join(subject.split()), body


def mail_template_after_commit(
    *, template: str, to: list[str], context: dict, site_language: bool = True
) -> None:
    """Render a mail with ``render_mail`` now and queue it for delivery after the commit."""
    subject, body = render_mail(template=template, context=context, site_language=site_language)
    mail_after_commit(subject=subject, body=body, to=to)
