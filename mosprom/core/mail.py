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
