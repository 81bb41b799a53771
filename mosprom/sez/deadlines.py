"""Reporting periods, reminders before the due date, late flags after it.

A report is late when nothing was filed by the end of the due date (Moscow). The flag is
history: a filing after the due date does not clear it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from mosprom.core import clock
from mosprom.core.mail import mail_template_after_commit
from mosprom.registry.models import SEZMembership, SEZStatus
from mosprom.sez import selectors
from mosprom.sez.errors import Forbidden, InvalidRequest
from mosprom.sez.models import PeriodKind, Report, ReportPeriod, ReportVersion

REMIND_DAYS_BEFORE = 7
MOSCOW = ZoneInfo("Europe/Moscow")
REMIND_AT = dt.time(10, 0)
FLAG_AT = dt.time(0, 5)


def period_dates(*, kind: str, year: int, quarter: int | None) -> tuple[dt.date, dt.date]:
    """First and last day of the quarter or year."""
    if kind == PeriodKind.YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    starts = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return starts, following - dt.timedelta(days=1)


def due_deadline(period: ReportPeriod) -> dt.datetime:
    """The end of the due date in Moscow: filings at or after this moment are late."""
    return dt.datetime.combine(period.due_on + dt.timedelta(days=1), dt.time.min, tzinfo=MOSCOW)


def remind_at(period: ReportPeriod) -> dt.datetime:
    day = period.due_on - dt.timedelta(days=REMIND_DAYS_BEFORE)
    return dt.datetime.combine(day, REMIND_AT, tzinfo=MOSCOW)


def flag_at(period: ReportPeriod) -> dt.datetime:
    day = period.due_on + dt.timedelta(days=1)
    return dt.datetime.combine(day, FLAG_AT, tzinfo=MOSCOW)


def _schedule(period_id: int) -> None:
    from mosprom.sez import tasks
    from mosprom.tourism.tasks import schedule_at

    period = ReportPeriod.objects.filter(pk=period_id).first()
    if period is None:
        return
    # A period opened after its reminder time still gets one at once, unless it is over.
    if clock.now() < due_deadline(period):
        schedule_at(tasks.sez_remind, remind_at(period), period.pk)
    schedule_at(tasks.sez_flag_late, flag_at(period), period.pk)


def period_create(
    *, zone, kind: str, year: int, quarter: int | None, due_on: dt.date, actor
) -> ReportPeriod:
    """Organisers open a period (dates derived from kind/year/quarter); schedules the reminder
    (``REMIND_DAYS_BEFORE`` days before ``due_on``, 10:00 Moscow) and the late check (the day
    after ``due_on``, 00:05 Moscow) as deferred tasks."""
    if not selectors.is_staff(actor):
        raise Forbidden()
    if kind not in PeriodKind.values:
        raise InvalidRequest(_("Выберите вид периода: квартал или год."))
    if kind == PeriodKind.QUARTER and quarter not in (1, 2, 3, 4):
        raise InvalidRequest(_("Квартал — число от 1 до 4."))
    if kind == PeriodKind.YEAR and quarter is not None:
        raise InvalidRequest(_("У годового периода не указывают квартал."))
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidRequest(_("Укажите год от 2000 до 2100."))
    if due_on is None:
        raise InvalidRequest(_("Укажите срок сдачи."))
    starts_on, ends_on = period_dates(kind=kind, year=year, quarter=quarter)
    if due_on < ends_on:
        raise InvalidRequest(_("Срок сдачи не может быть раньше окончания периода."))
    duplicate = InvalidRequest(_("Такой период уже открыт."))
    existing = ReportPeriod.objects.filter(zone=zone, kind=kind, year=year)
    if existing.filter(quarter=quarter).exists():
        raise duplicate
    try:
        with transaction.atomic():
            period = ReportPeriod.objects.create(
                zone=zone,
                kind=kind,
                year=year,
                quarter=quarter,
                starts_on=starts_on,
                ends_on=ends_on,
                due_on=due_on,
            )
    except IntegrityError:
        raise duplicate from None
    transaction.on_commit(lambda: _schedule(period.pk))
    return period


def residents_due(period: ReportPeriod) -> QuerySet[SEZMembership]:
    """Memberships that must report for ``period``: residents whose agreement was in force
    during the period (agreement_date ≤ ends_on, not terminated before starts_on)."""
    return (
        SEZMembership.objects.filter(
            zone_id=period.zone_id,
            status=SEZStatus.RESIDENT,
            agreement_date__lte=period.ends_on,
        )
        .filter(
            Q(residency__isnull=True)
            | Q(residency__terminated_on__isnull=True)
            | Q(residency__terminated_on__gte=period.starts_on)
        )
        .select_related("enterprise")
        .order_by("enterprise__short_name", "pk")
    )


def _filed(period: ReportPeriod, before: dt.datetime | None = None) -> Exists:
    versions = ReportVersion.objects.filter(
        report__period_id=period.pk, report__membership_id=OuterRef("pk")
    )
    if before is not None:
        versions = versions.filter(submitted_at__lt=before)
    return Exists(versions)


def residents_late(period: ReportPeriod) -> QuerySet[SEZMembership]:
    """Of ``residents_due``, those with no version filed by ``due_on`` end of day (Moscow), or
    with nothing filed at all once it passed — the list organisers see."""
    deadline = due_deadline(period)
    if clock.now() < deadline:
        return residents_due(period).none()
    return residents_due(period).exclude(_filed(period, before=deadline))


def _emails_by_enterprise(enterprise_ids) -> dict[int, list[str]]:
    rows = (
        get_user_model()
        .objects.filter(memberships__enterprise_id__in=enterprise_ids, is_active=True)
        .exclude(email="")
        .values_list("memberships__enterprise_id", "email")
    )
    found: dict[int, list[str]] = {}
    for enterprise_id, email in rows:
        found.setdefault(enterprise_id, []).append(email)
    return found


def send_reminders(period_id: int) -> int:
    """Mail residents who have not filed; returns how many (task body)."""
    period = ReportPeriod.objects.select_related("zone").filter(pk=period_id).first()
    if period is None or clock.now() >= due_deadline(period):
        return 0
    waiting = list(residents_due(period).exclude(_filed(period)))
    emails = _emails_by_enterprise([m.enterprise_id for m in waiting])
    sent = 0
    for membership in waiting:
        to = sorted(set(emails.get(membership.enterprise_id, [])))
        if not to:
            continue
        context = {
            "period": period,
            "enterprise": membership.enterprise,
            "zone": period.zone,
        }
        mail_template_after_commit(template="sez/email/reminder", to=to, context=context)
        sent += 1
    return sent


def flag_late(period_id: int) -> int:
    """Set ``Report.late`` (creating the report row if needed) for late residents; returns how
    many (task body)."""
    period = ReportPeriod.objects.filter(pk=period_id).first()
    if period is None or clock.now() < due_deadline(period):
        return 0
    late_ids = list(residents_late(period).values_list("pk", flat=True))
    if not late_ids:
        return 0
    with transaction.atomic():
        Report.objects.bulk_create(
            [Report(membership_id=pk, period=period) for pk in late_ids], ignore_conflicts=True
        )
        Report.objects.filter(period=period, membership_id__in=late_ids).update(late=True)
    return len(late_ids)
