"""Deferred SEZ work: the reminder before a period's due date and the late flags after it.

Both re-read the period when they run and do nothing outside their window, so a run that
could not be dropped (a period deleted or moved) is harmless.
"""

from __future__ import annotations

from django.tasks import task


@task()
def sez_remind(period_id: int) -> int:
    """Mail the residents who have not filed for the period yet."""
    from mosprom.sez.deadlines import send_reminders

    return send_reminders(period_id)


@task()
def sez_flag_late(period_id: int) -> int:
    """Flag the reports of residents who filed nothing by the due date."""
    from mosprom.sez.deadlines import flag_late

    return flag_late(period_id)
