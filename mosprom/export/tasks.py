"""Deferred export work: reminding participants to file their outcome reports.

The series: the first reminder at 10:00 Moscow the day after the event ends; a reminder that
still finds reports missing (and mails someone) schedules the next one a week later, at most
``REMINDERS_MAX`` in all. Nothing is stored: the reminder's number and the end date the series
was planned for travel in the task's arguments.

``report_reminders_schedule`` may be called on every save of an event:

- with the database backend it looks at the series' pending run: the same end date → nothing
  to do; another end date → that run is dropped and the series restarts for the new date;
- a run planned for an end date the event no longer has stops without mailing (the backends
  that keep nothing to drop rely on this);
- no series is started for an event whose first reminder time has already passed when it is
  saved (entered after the fact, or edited after its series ended): the organiser reminds by
  hand (``report_reminder_send``), so editing a past event never mails anyone again.

A one-off reminder (``remind_reports.enqueue(event_id)``, reminder number 0) mails once and
schedules nothing.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.tasks import TaskResultStatus, task

from mosprom.core import clock
from mosprom.tourism.tasks import schedule_at

REMINDERS_MAX = 3
REMINDER_EVERY = dt.timedelta(days=7)
REMINDER_TIME = dt.time(10, 0)


def first_reminder_at(ends_on: dt.date) -> dt.datetime:
    """10:00 Moscow time on the day after ``ends_on``."""
    day = ends_on + dt.timedelta(days=1)
    return dt.datetime.combine(day, REMINDER_TIME, tzinfo=ZoneInfo(settings.TIME_ZONE))


@task()
def remind_reports(event_id: int, reminder: int = 0, ends_on: str = "") -> int:
    """Mail the participants of the event who have not reported; returns how many were mailed.

    ``reminder`` 1…REMINDERS_MAX is the place in the series planned for an event ending on
    ``ends_on`` (ISO date); while reports are still missing it schedules the next a week
    later. 0 is a one-off reminder: no follow-up."""
    from mosprom.export.models import ExportEvent
    from mosprom.export.participation import remind_missing_reports

    event = ExportEvent.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    if reminder:
        if event.ends_on.isoformat() != ends_on:
            return 0  # planned for other dates; the change of dates started a new series
        due = first_reminder_at(event.ends_on)
        if due > clock.now():
            schedule_at(remind_reports, due, event_id, reminder, ends_on)  # ran early
            return 0
    sent = remind_missing_reports(event_id)
    if sent and 1 <= reminder < REMINDERS_MAX:
        schedule_at(remind_reports, clock.now() + REMINDER_EVERY, event_id, reminder + 1, ends_on)
    return sent


def _pending_series(event_id: int) -> dict[str, str] | None:
    """Ready runs of the event's series by task id → the end date planned for; None when the
    backend keeps nothing we can read (only the database backend does)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(remind_reports.get_backend(), DatabaseBackend):
        return None
    rows = DBTaskResult.objects.filter(
        task_path=remind_reports.module_path, status=TaskResultStatus.READY
    ).values_list("id", "args_kwargs")
    pending = {}
    for task_id, args_kwargs in rows:
        args = (args_kwargs or {}).get("args") or []
        if len(args) == 3 and args[0] == event_id and args[1]:
            pending[str(task_id)] = args[2]
    return pending


def _start_series(event_id: int, ends_on: dt.date) -> None:
    from django_tasks_db.models import DBTaskResult

    planned_for = ends_on.isoformat()
    pending = _pending_series(event_id)
    restarting = False
    if pending:
        if planned_for in pending.values():
            return
        DBTaskResult.objects.filter(id__in=list(pending), status=TaskResultStatus.READY).delete()
        restarting = True
    due = first_reminder_at(ends_on)
    if due <= clock.now() and not restarting:
        return
    schedule_at(remind_reports, due, event_id, 1, planned_for)


def report_reminders_schedule(event) -> None:
    """On commit, the first reminder for the event's outcome reports at 10:00 Moscow the day
    after it ends (the task schedules the rest); safe to call on every save of the event."""
    event_id, ends_on = event.pk, event.ends_on
    transaction.on_commit(lambda: _start_series(event_id, ends_on))


def report_reminder_send(event) -> None:
    """On commit, one reminder now (an organiser's button), outside the series."""
    event_id = event.pk
    transaction.on_commit(lambda: remind_reports.enqueue(event_id))
