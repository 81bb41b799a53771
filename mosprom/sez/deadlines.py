"""Reporting periods, reminders before the due date, late flags after it.

CONTRACT STUB — bodies being written; signatures and behaviour fixed.
"""

from __future__ import annotations

import datetime as dt

from mosprom.sez.models import ReportPeriod

REMIND_DAYS_BEFORE = 7


def period_create(
    *, zone, kind: str, year: int, quarter: int | None, due_on: dt.date, actor
) -> ReportPeriod:
    """Organisers open a period (dates derived from kind/year/quarter); schedules the reminder
    (``REMIND_DAYS_BEFORE`` days before ``due_on``, 10:00 Moscow) and the late check (the day
    after ``due_on``, 00:05 Moscow) as deferred tasks."""
    raise NotImplementedError


def residents_due(period: ReportPeriod):
    """Memberships that must report for ``period``: residents whose agreement was in force
    during the period (agreement_date ≤ ends_on, not terminated before starts_on)."""
    raise NotImplementedError


def residents_late(period: ReportPeriod):
    """Of ``residents_due``, those with no version filed by ``due_on`` end of day (Moscow), or
    with nothing filed at all once it passed — the list organisers see."""
    raise NotImplementedError


def send_reminders(period_id: int) -> int:
    """Mail residents who have not filed; returns how many (task body)."""
    raise NotImplementedError


def flag_late(period_id: int) -> int:
    """Set ``Report.late`` (creating the report row if needed) for late residents; returns how
    many (task body)."""
    raise NotImplementedError
