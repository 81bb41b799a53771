"""Deferred work: the reminder (scheduled, dropped on cancel, harmless if it still runs),
the passport purge after the retention period, scheduling on backends that cannot defer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from mosprom.core import clock
from mosprom.tourism.booking import booking_cancel
from mosprom.tourism.models import IdRequirement, Participant
from mosprom.tourism.tasks import booking_confirmed, purge_passports, schedule_at, send_reminder
from mosprom.tourism.tests.factories import (
    enqueued,
    make_booking,
    make_experience,
    make_session,
    use_dummy_tasks,
)

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_reminder_is_a_queued_task_that_cancelling_drops(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    session = make_session()
    with django_capture_on_commit_callbacks(execute=True):
        booking = make_booking(session=session)
    follow_up = DBTaskResult.objects.get(task_path=booking_confirmed.module_path)
    assert follow_up.args_kwargs["args"] == [booking.pk, False]
    booking_confirmed.call(booking.pk, False)  # what the worker does with that row
    booking.refresh_from_db()
    reminder = DBTaskResult.objects.get(id=booking.reminder_task_id)
    assert reminder.status == "READY"
    assert reminder.task_path == send_reminder.module_path
    assert reminder.run_after == session.starts_at - dt.timedelta(hours=24)

    booking_cancel(booking=booking, actor=booking.user)

    assert not DBTaskResult.objects.filter(id=reminder.id).exists()
    booking.refresh_from_db()
    assert booking.reminder_task_id == ""
    # The follow-up, queued to run at once, is not touched.
    assert DBTaskResult.objects.filter(id=follow_up.id).exists()


def test_reminder_mails_a_confirmed_booking_and_nothing_once_cancelled():
    booking = make_booking()
    mail.outbox.clear()
    with clock.frozen(booking.session.starts_at - dt.timedelta(hours=24)):
        assert send_reminder.call(booking.pk) is True
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [booking.user.email]

    booking_cancel(booking=booking, actor=booking.user)
    mail.outbox.clear()
    with clock.frozen(booking.session.starts_at - dt.timedelta(hours=24)):
        assert send_reminder.call(booking.pk) is False
    assert mail.outbox == []


def test_passports_are_purged_after_the_retention_and_not_before(settings):
    settings.PASSPORT_RETENTION_DAYS = 30
    backend = use_dummy_tasks(settings)
    session = make_session(experience=make_experience(id_requirement=IdRequirement.PASSPORT))
    booking = make_booking(session=session, places=2)
    due = session.ends_at + dt.timedelta(days=30)

    with clock.frozen(due - dt.timedelta(minutes=1)):
        assert purge_passports.call(session.pk) == 0
    assert all(p.passport_encrypted for p in booking.participants.all())
    (again,) = enqueued(backend, purge_passports)  # came early: waits for the due date
    assert again.task.run_after == due

    with clock.frozen(due):
        assert purge_passports.call(session.pk) == 2
    for participant in Participant.objects.filter(booking=booking):
        assert participant.passport_encrypted == ""
        assert participant.passport_purged_at == due
        assert participant.full_name  # the names stay for the records
    with clock.frozen(due):
        assert purge_passports.call(session.pk) == 0


def test_purge_follows_a_session_moved_later(settings):
    backend = use_dummy_tasks(settings)
    session = make_session(experience=make_experience(id_requirement=IdRequirement.PASSPORT))
    make_booking(session=session)
    old_due = session.ends_at + dt.timedelta(days=settings.PASSPORT_RETENTION_DAYS)
    session.starts_at += dt.timedelta(days=2)
    session.ends_at += dt.timedelta(days=2)
    session.save()
    with clock.frozen(old_due):
        assert purge_passports.call(session.pk) == 0
    (again,) = enqueued(backend, purge_passports)
    assert again.task.run_after == old_due + dt.timedelta(days=2)


def test_schedule_at_without_deferral_runs_due_work_and_skips_future_work():
    # The quick test runs use the immediate backend, which cannot defer.
    booking = make_booking()
    mail.outbox.clear()
    assert schedule_at(send_reminder, clock.now() + dt.timedelta(hours=1), booking.pk) == ""
    assert mail.outbox == []
    with clock.frozen(booking.session.starts_at - dt.timedelta(hours=2)):
        task_id = schedule_at(send_reminder, clock.now() - dt.timedelta(seconds=1), booking.pk)
    assert task_id
    assert len(mail.outbox) == 1
