"""Deferred tourism work: the 24-hour reminder, the end of a waitlist offer, the passport purge.

Services schedule these with ``schedule_at`` after commit; each task re-reads the facts when it
runs and does nothing if they changed (booking cancelled, offer already answered), so a task
that could not be dropped is harmless.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.tasks import Task, TaskResultStatus, task

from mosprom.core import clock
from mosprom.core.links import absolute_url

logger = logging.getLogger(__name__)


def schedule_at(task_: Task, run_after: dt.datetime, *args) -> str:
    """Enqueue ``task_`` to run at ``run_after`` (at once if that is past); returns the task id.

    A backend that cannot defer (the immediate backend of the quick test runs) gets nothing for
    future work: running a reminder at booking time would be wrong, not just early. Such a call
    returns an empty id.
    """
    if run_after <= clock.now():
        return str(task_.enqueue(*args).id)
    if not task_.get_backend().supports_defer:
        logger.info("task backend cannot defer %s; not scheduled", task_.name)
        return ""
    return str(task_.using(run_after=run_after).enqueue(*args).id)


def unschedule(task_: Task, task_id: str) -> bool:
    """Drop a scheduled run of ``task_`` that has not started (database backend); True if dropped.

    Other backends keep nothing to drop; the task itself then finds nothing to do when it runs.
    """
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not task_id or not isinstance(task_.get_backend(), DatabaseBackend):
        return False
    try:
        key = uuid.UUID(task_id)
    except ValueError:
        return False
    deleted, _ = DBTaskResult.objects.filter(
        id=key, status=TaskResultStatus.READY, task_path=task_.module_path
    ).delete()
    return bool(deleted)


def passport_retention() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "PASSPORT_RETENTION_DAYS", 30))


REMINDER_BEFORE = dt.timedelta(hours=24)


@task()
def booking_confirmed(booking_id: int, with_passports: bool = False) -> bool:
    """The follow-up of a new booking, one task per booking so the request that confirmed it
    writes a single task row: schedule the 24-hour reminder (its id kept on the booking so a
    cancellation can drop it) and the passport purge, then mail the ticket."""
    from mosprom.tourism.models import Booking, BookingStatus
    from mosprom.tourism.notifications import send_booking_confirmation

    booking = Booking.objects.select_related("session").filter(pk=booking_id).first()
    if booking is None:
        return False
    session = booking.session
    reminder_at = session.starts_at - REMINDER_BEFORE
    if booking.status == BookingStatus.CONFIRMED and reminder_at > clock.now():
        task_id = schedule_at(send_reminder, reminder_at, booking.pk)
        if task_id:
            Booking.objects.filter(pk=booking.pk, status=BookingStatus.CONFIRMED).update(
                reminder_task_id=task_id
            )
    if with_passports:
        schedule_at(purge_passports, session.ends_at + passport_retention(), session.pk)
    return send_booking_confirmation.call(booking_id)


@task()
def send_reminder(booking_id: int) -> bool:
    """Mail the 24-hour reminder unless the booking or its session was cancelled meanwhile."""
    from mosprom.tourism.models import Booking, BookingStatus, SessionStatus
    from mosprom.tourism.notifications import send_reminder_mail

    booking = Booking.objects.select_related("session").filter(pk=booking_id).first()
    if (
        booking is None
        or booking.status != BookingStatus.CONFIRMED
        or booking.session.status != SessionStatus.SCHEDULED
        or booking.session.starts_at <= clock.now()
    ):
        return False
    send_reminder_mail.call(booking_id)
    return True


@task()
def expire_offer(entry_id: int) -> bool:
    """End a waitlist offer that was not answered in time and pass the places on."""
    from mosprom.tourism.models import WaitlistEntry, WaitlistStatus
    from mosprom.tourism.waitlist import waitlist_expire

    entry = WaitlistEntry.objects.filter(pk=entry_id).first()
    if entry is None or entry.status != WaitlistStatus.OFFERED:
        return False
    if entry.offer_expires_at and entry.offer_expires_at > clock.now():
        # Ran early (a backend without deferral, or a clock skew): come back at expiry.
        schedule_at(expire_offer, entry.offer_expires_at, entry_id)
        return False
    return waitlist_expire(entry=entry)


@task()
def purge_passports(session_id: int) -> int:
    """Erase the passport details of a session's participants once the retention has passed."""
    from mosprom.tourism.models import Session
    from mosprom.tourism.personal_data import passports_purge

    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        return 0
    due = session.ends_at + passport_retention()
    if due > clock.now():
        # The session was moved later since this was scheduled: wait for the new date.
        schedule_at(purge_passports, due, session_id)
        return 0
    return passports_purge(session=session)


@task()
def run_lottery_draw(session_id: int) -> bool:
    """Draw a lottery session at its close (scheduled when the first application is written or
    the session is set to lottery); comes back later if the close moved, does nothing twice."""
    from mosprom.tourism.lottery import lottery_closes_at, lottery_draw
    from mosprom.tourism.models import LotteryDraw, Session

    session = Session.objects.select_related("season").filter(pk=session_id).first()
    if session is None or not session.is_lottery:
        return False
    if LotteryDraw.objects.filter(session=session, drawn_at__isnull=False).exists():
        return False
    closes_at = lottery_closes_at(session)
    if closes_at > clock.now():
        schedule_at(run_lottery_draw, closes_at, session_id)
        return False
    return lottery_draw(session=session).is_drawn


@task()
def send_lottery_outcome(application_id: int) -> bool:
    """Tell an applicant who did not win how the draw went (winners get the ticket mail)."""
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from mosprom.tourism.models import LotteryApplication, LotteryStatus

    application = (
        LotteryApplication.objects.select_related("user", "session__experience__enterprise")
        .filter(pk=application_id, status__in=[LotteryStatus.LOST, LotteryStatus.VOID])
        .first()
    )
    if application is None:
        return False
    session = application.session
    context = {
        "application": application,
        "user": application.user,
        "session": session,
        "experience": session.experience,
        "result_url": absolute_url(reverse("tourism:lottery_result", args=[session.pk])),
        "SITE_URL": settings.SITE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("tourism/lottery/outcome_subject.txt", context)
        body = render_to_string("tourism/lottery/outcome_body.txt", context)
    EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[application.user.email],
    ).send()
    return True
