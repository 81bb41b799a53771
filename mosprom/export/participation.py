"""Participation and outcomes: checklist, B2B meetings, outcome reports with contracts,
reminders for missing reports (the fair vote is in ``votes.py``, the figures in
``figures.py``).

Decisions written down here:

- **Who acts.** The company side is a host member of the application's (or ballot's)
  enterprise, as ``selectors.enterprises_of`` says; organisers and administrators may act for
  any company. Everyone else gets Forbidden.
- **Participants.** An application whose status is «participated», or «confirmed» once the
  event is over (``ends_on`` before today in Moscow: the organiser may not have marked the
  company yet). Reports, reminders and figures all use this one definition.
- **Meeting times** must fall on the event's days or one day either side (arrival and
  departure days), counted in Moscow days; the event is abroad but times are stored aware.
- **Contract values** convert to roubles at the event's rate (``EventRate``), each contract
  rounded to kopecks half-up, then summed. Figures convert in Python over one ``values_list``
  of contracts and one of rates, so the rounding is the same as in ``contract_value_rub``.
  A rate deleted after a report was filed leaves its contracts out of the rouble total; they
  are counted in ``contracts_without_rate``.
- **The vote's limit** is the database's: ``VoteBallot.used <= allowed`` (CHECK) moved by one
  conditional UPDATE in the transaction that inserts the vote (docs/adr/0004).
- **Figures** count published events that have ended (``ends_on`` before today) with
  ``ends_on`` inside the period.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from mosprom.core import clock
from mosprom.core.links import absolute_url
from mosprom.core.mail import render_mail
from mosprom.export import selectors
from mosprom.export.errors import (
    Forbidden,
    InvalidRequest,
    NotFound,
    ReportNotDue,
)
from mosprom.export.models import (
    HOLDS_PLACE,
    Application,
    ApplicationStatus,
    ChecklistItem,
    ChecklistKind,
    Contract,
    EventRate,
    ExportEvent,
    Meeting,
    MeetingResult,
    OutcomeReport,
)

logger = logging.getLogger(__name__)

S = ApplicationStatus
KOPECK = Decimal("0.01")
# DecimalField(max_digits=16, decimal_places=2): anything at or above this does not fit.
MONEY_LIMIT = Decimal(10) ** 14
CONTRACTS_MAX = 100
NOTE_MAX = 500
QUOTE_MAX = 2000
CURRENCY_RE = re.compile(r"[A-Z]{3}")

# The standard checklist, created once per place-holding application (stored in Russian).
STANDARD_CHECKLIST = (
    (ChecklistKind.STAND, gettext_noop("Стенд: место, оформление и оборудование экспозиции")),
    (ChecklistKind.SHIPPING, gettext_noop("Доставка экспонатов и таможенные документы")),
    (ChecklistKind.VISA, gettext_noop("Письмо для визовой поддержки")),
    (ChecklistKind.TRAVEL, gettext_noop("Проезд и проживание")),
)


# --- Shared checks ---------------------------------------------------------------------------


def require_company_side(actor, enterprise_id: int) -> None:
    """Forbidden unless ``actor`` is a host member of the enterprise or an organiser."""
    if selectors.is_staff(actor):
        return
    if not selectors.enterprises_of(actor).filter(pk=enterprise_id).exists():
        raise Forbidden()


def participant_q() -> Q:
    """Participants: «participated», or «confirmed» once the event is over (Moscow days)."""
    return Q(status=S.PARTICIPATED) | Q(status=S.CONFIRMED, event__ends_on__lt=clock.today())


def _require_place(status: str, message: str) -> None:
    if status not in HOLDS_PLACE:
        raise InvalidRequest(message)


def _text(value, *, field: str, limit: int, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise InvalidRequest(_("Заполните поле «%(field)s»."), field=field)
    if len(text) > limit:
        raise InvalidRequest(
            ngettext(
                "Поле «%(field)s» — не длиннее %(max)s символа.",
                "Поле «%(field)s» — не длиннее %(max)s символов.",
                limit,
            ),
            field=field,
            max=limit,
        )
    return text


def _whole(value, *, field: str) -> int:
    """A non-negative whole number (ints, integral decimals, digit strings)."""
    if isinstance(value, bool):
        value = None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise InvalidRequest(_("«%(field)s»: укажите целое число."), field=field)
    if number < 0:
        raise InvalidRequest(_("«%(field)s»: число не может быть отрицательным."), field=field)
    if number >= 2**31:
        raise InvalidRequest(_("«%(field)s»: слишком большое число."), field=field)
    return int(number)


def _money(value, *, field: str) -> Decimal:
    """An amount rounded to kopecks; accepts «1 200,50» as typed in Russian."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, float):
        value = str(value)
    if isinstance(value, str):
        value = value.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidRequest(_("«%(field)s»: укажите сумму числом."), field=field) from None
    if not amount.is_finite():
        raise InvalidRequest(_("«%(field)s»: укажите сумму числом."), field=field)
    amount = amount.quantize(KOPECK, rounding=ROUND_HALF_UP)
    if amount >= MONEY_LIMIT:
        raise InvalidRequest(_("«%(field)s»: слишком большая сумма."), field=field)
    return amount


def _day(value) -> str:
    return date_format(value, "j E Y")


# --- Checklist ---------------------------------------------------------------------------


def checklist_ensure(*, application: Application, actor=None) -> list[ChecklistItem]:
    """The standard items (stand, shipping, visa letter, travel) for an accepted/confirmed
    application, created once."""
    if actor is not None:
        require_company_side(actor, application.enterprise_id)
    with transaction.atomic():
        # The row lock makes two first visits agree on which items already exist.
        status = (
            Application.objects.select_for_update()
            .filter(pk=application.pk)
            .values_list("status", flat=True)
            .first()
        )
        _require_place(
            status or "",
            _("Подготовка к участию начинается, когда заявка одобрена."),
        )
        existing = set(
            ChecklistItem.objects.filter(application_id=application.pk).values_list(
                "kind", flat=True
            )
        )
        with translation.override(settings.LANGUAGE_CODE):
            missing = [
                ChecklistItem(application_id=application.pk, kind=kind, title=_(title))
                for kind, title in STANDARD_CHECKLIST
                if kind not in existing
            ]
        if missing:
            ChecklistItem.objects.bulk_create(missing)
    return list(ChecklistItem.objects.filter(application_id=application.pk).order_by("id"))


def checklist_mark(*, item: ChecklistItem, actor, done: bool, note: str = "") -> ChecklistItem:
    """Mark an item done (``done_at`` kept from the first marking) or not done (cleared), with
    a note of at most 500 characters; only while the application holds a place."""
    application = item.application
    require_company_side(actor, application.enterprise_id)
    _require_place(
        application.status,
        _("Отмечать подготовку можно, пока заявка одобрена или участие подтверждено."),
    )
    item.note = _text(note, field=_("Примечание"), limit=NOTE_MAX)
    item.done = bool(done)
    if item.done:
        item.done_at = item.done_at or clock.now()
    else:
        item.done_at = None
    item.save(update_fields=["done", "done_at", "note"])
    return item


# --- B2B meetings ------------------------------------------------------------------------

MEETING_FIELDS = ("counterpart", "country", "starts_at", "result", "notes")


def meeting_window(event: ExportEvent) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) in which the event's meetings may be: its days and one day either side."""
    return (
        clock.start_of_day(event.starts_on - dt.timedelta(days=1)),
        clock.start_of_day(event.ends_on + dt.timedelta(days=2)),
    )


def _meeting_time(value, event: ExportEvent) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise InvalidRequest(_("Укажите дату и время встречи."))
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    first, last = meeting_window(event)
    if not first <= value < last:
        raise InvalidRequest(
            _(
                "Встреча должна пройти в дни мероприятия (%(start)s — %(end)s) "
                "или за день до или после них."
            ),
            start=_day(event.starts_on),
            end=_day(event.ends_on),
        )
    return value


def meeting_save(
    *, application: Application, actor, meeting: Meeting | None = None, **fields
) -> Meeting:
    """Create or change a B2B meeting (counterpart, country, starts_at, result, notes)."""
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_save() got unknown fields: {sorted(unknown)}")
    require_company_side(actor, application.enterprise_id)
    _require_place(
        application.status,
        _("B2B-встречи планируют участники: заявка должна быть одобрена."),
    )
    if meeting is not None and meeting.application_id != application.pk:
        raise NotFound()
    target = meeting or Meeting(application=application)
    values = {name: getattr(target, name) for name in MEETING_FIELDS}
    if meeting is None:
        values["starts_at"] = None
    values.update(fields)
    target.counterpart = _text(
        values["counterpart"], field=_("Компания-партнёр"), limit=255, required=True
    )
    target.country = _text(values["country"], field=_("Страна"), limit=100, required=True)
    target.starts_at = _meeting_time(values["starts_at"], application.event)
    result = values["result"] or MeetingResult.PLANNED
    if result not in MeetingResult.values:
        raise InvalidRequest(_("Выберите итог встречи из списка."))
    target.result = result
    target.notes = _text(values["notes"], field=_("Заметки"), limit=1000)
    target.save()
    return target


# --- Outcome reports ---------------------------------------------------------------------


def report_due(application: Application) -> bool:
    """Whether the application may file its outcome report now."""
    if application.status == S.PARTICIPATED:
        return True
    return application.status == S.CONFIRMED and application.event.ends_on < clock.today()


def event_rates(event_ids: Iterable[int]) -> dict[tuple[int, str], Decimal]:
    """(event id, currency) → roubles per unit, for the given events (one query)."""
    rows = EventRate.objects.filter(event_id__in=list(event_ids)).values_list(
        "event_id", "currency", "rub_per_unit"
    )
    return {(event_id, currency.upper()): rate for event_id, currency, rate in rows}


def _no_rate(currency: str) -> InvalidRequest:
    return InvalidRequest(
        _(
            "Для валюты %(currency)s не задан курс на это мероприятие. Попросите организатора "
            "ввести курс или укажите сумму в рублях."
        ),
        currency=currency,
    )


def to_roubles(value: Decimal, rate: Decimal) -> Decimal:
    return (value * rate).quantize(KOPECK, rounding=ROUND_HALF_UP)


def contract_value_rub(*, event: ExportEvent, value: Decimal, currency: str) -> Decimal:
    """``value`` in roubles at the event's rate (RUB as is). InvalidRequest without a rate."""
    currency = (currency or "RUB").strip().upper()
    if currency == "RUB":
        return Decimal(value).quantize(KOPECK, rounding=ROUND_HALF_UP)
    rate = event_rates([event.pk]).get((event.pk, currency))
    if rate is None:
        raise _no_rate(currency)
    return to_roubles(Decimal(value), rate)


def _clean_contract(n: int, raw, *, event_id: int, rates: dict) -> Contract:
    if not isinstance(raw, dict):
        raise InvalidRequest(_("Контракт №%(n)s: неверный формат."), n=n)
    label = _("Контракт №%(n)s") % {"n": n}
    counterpart = _text(
        raw.get("counterpart"), field=f"{label}: {_('покупатель')}", limit=255, required=True
    )
    country = _text(raw.get("country"), field=f"{label}: {_('страна')}", limit=100)
    value = _money(raw.get("value"), field=f"{label}: {_('сумма')}")
    if value <= 0:
        raise InvalidRequest(_("Контракт №%(n)s: сумма должна быть больше нуля."), n=n)
    currency = str(raw.get("currency") or "RUB").strip().upper()
    if not CURRENCY_RE.fullmatch(currency):
        raise InvalidRequest(
            _("Контракт №%(n)s: код валюты — три латинские буквы (ISO 4217), например CNY."),
            n=n,
        )
    if currency != "RUB" and (event_id, currency) not in rates:
        raise _no_rate(currency)
    signed_on = raw.get("signed_on") or None
    bad_date = InvalidRequest(_("Контракт №%(n)s: дата подписания в формате ГГГГ-ММ-ДД."), n=n)
    if isinstance(signed_on, dt.datetime):
        signed_on = (
            clock.localtime(signed_on).date() if timezone.is_aware(signed_on) else signed_on.date()
        )
    elif isinstance(signed_on, str):
        try:
            signed_on = dt.date.fromisoformat(signed_on.strip())
        except ValueError:
            raise bad_date from None
    elif signed_on is not None and not isinstance(signed_on, dt.date):
        raise bad_date
    return Contract(
        counterpart=counterpart,
        country=country,
        value=value,
        currency=currency,
        signed_on=signed_on,
    )


def outcome_submit(
    *,
    application: Application,
    actor,
    meetings_held: int,
    agreements: int,
    expected_export_rub: Decimal,
    contracts: list[dict],
    quote: str = "",
    quote_author: str = "",
) -> OutcomeReport:
    """File (or correct) the outcome report of a participant after the event ends; contracts:
    dicts with counterpart, country, value, currency, signed_on. Raises ReportNotDue,
    InvalidRequest (negative numbers, a currency without a rate for the event, …).

    A new filing replaces the previous one whole, contracts included, in one transaction;
    ``submitted_at``/``submitted_by`` tell the last filing."""
    require_company_side(actor, application.enterprise_id)
    if not report_due(application):
        raise ReportNotDue()
    cleaned = {
        "meetings_held": _whole(meetings_held, field=_("Проведено встреч")),
        "agreements": _whole(agreements, field=_("Соглашений о намерениях")),
        "expected_export_rub": _money(
            expected_export_rub if expected_export_rub not in (None, "") else 0,
            field=_("Ожидаемый объём экспорта"),
        ),
        "quote": _text(quote, field=_("Цитата для публикации"), limit=QUOTE_MAX),
        "quote_author": _text(quote_author, field=_("Автор цитаты"), limit=255),
    }
    if cleaned["expected_export_rub"] < 0:
        raise InvalidRequest(_("Ожидаемый объём экспорта не может быть отрицательным."))
    contracts = list(contracts or [])
    if len(contracts) > CONTRACTS_MAX:
        raise InvalidRequest(_("В одном отчёте — не больше %(max)s контрактов."), max=CONTRACTS_MAX)
    rates = event_rates([application.event_id])
    rows = [
        _clean_contract(n, raw, event_id=application.event_id, rates=rates)
        for n, raw in enumerate(contracts, start=1)
    ]
    with transaction.atomic():
        # The row lock serialises two filings of one report (and a status change meanwhile).
        locked = (
            Application.objects.select_for_update().select_related("event").get(pk=application.pk)
        )
        if not report_due(locked):
            raise ReportNotDue()
        report, _created = OutcomeReport.objects.update_or_create(
            application=locked,
            defaults={**cleaned, "submitted_by": actor, "submitted_at": clock.now()},
        )
        Contract.objects.filter(report=report).delete()
        for row in rows:
            row.report = report
        Contract.objects.bulk_create(rows)
    return report


# --- Reminders ---------------------------------------------------------------------------


def reports_missing(event: ExportEvent) -> list[Application]:
    """Participants of a finished event without an outcome report."""
    filed = OutcomeReport.objects.filter(application=OuterRef("pk"), submitted_at__isnull=False)
    return list(
        Application.objects.filter(event=event)
        .filter(participant_q())
        .exclude(Exists(filed))
        .select_related("event", "enterprise", "created_by")
        .order_by("enterprise__short_name", "id")
    )


def report_url(application: Application) -> str:
    """The absolute link to the application's outcome report page."""
    try:
        path = reverse("export:outcome_report", args=[application.pk])
    except NoReverseMatch:
        # Until the page's URL is registered; the same path it is going to have.
        path = f"/export/applications/{application.pk}/report/"
    return absolute_url(path)


def company_recipients(application: Application) -> list[str]:
    """The contact e-mail and the creator's, once each."""
    found: dict[str, str] = {}
    for address in (application.contact_email, getattr(application.created_by, "email", "")):
        if address and address.strip():
            found.setdefault(address.strip().lower(), address.strip())
    return list(found.values())


def _reminder_mail(application: Application) -> EmailMessage | None:
    recipients = company_recipients(application)
    if not recipients:
        return None
    event = application.event
    context = {
        "application": application,
        "event": event,
        "enterprise": application.enterprise,
        "ended": _day(event.ends_on),
        "report_url": report_url(application),
    }
    subject, body = render_mail(template="export/email/report_reminder", context=context)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )


def remind_missing_reports(event_id: int) -> int:
    """Deferred task body: mail every participant without a report; returns how many."""
    event = ExportEvent.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for application in reports_missing(event):
            message = _reminder_mail(application)
            if message is None:
                continue
            try:
                message.send()
            except Exception:
                # One bad mailbox must not keep the others from their reminder.
                logger.exception("report reminder for application %s not sent", application.pk)
                continue
            sent += 1
    return sent
