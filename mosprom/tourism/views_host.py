"""The host cabinet: a host's sessions (an organiser's: every session), the attendee list with
its print view and CSV, passports revealed one at a time, the check-in screen, no-shows and
cancelling a session. Views parse and render; the services in tourism.booking,
tourism.checkin and tourism.personal_data write, and check the rights once more."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mosprom.accounts.audit import audit_record, client_ip
from mosprom.accounts.decorators import host_required
from mosprom.accounts.models import AuditAction
from mosprom.core import clock
from mosprom.tourism import booking as booking_services
from mosprom.tourism import checkin as checkin_services
from mosprom.tourism import errors, personal_data, selectors_host
from mosprom.tourism.forms_manage import (
    CheckinForm,
    NoShowForm,
    SessionCancelForm,
    SessionFilterForm,
)
from mosprom.tourism.models import Booking, IdRequirement, Session, SessionStatus

SESSIONS_PER_PAGE = 25
ATTENDEES_PER_PAGE = 50


def _ended(session: Session) -> bool:
    return session.ends_at <= clock.now()


def _started(session: Session) -> bool:
    return session.starts_at <= clock.now()


def _session_context(session: Session, **extra) -> dict:
    return {
        "session": session,
        "experience": session.experience,
        "started": _started(session),
        "ended": _ended(session),
        "cancelled": session.status == SessionStatus.CANCELLED,
        "asks_passport": session.experience.id_requirement == IdRequirement.PASSPORT,
        **extra,
    }


@host_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    form = SessionFilterForm(request.GET)
    period, q = form.values()
    sessions = selectors_host.host_sessions_for(viewer=request.user, period=period, q=q)
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "tourism/host/session_list.html",
        {
            "form": form,
            "page_obj": page,
            "period": period,
            "filtered": bool(q),
            "has_enterprises": request.user.is_organiser or request.user.memberships.exists(),
        },
    )


@host_required
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors_host.host_session_get(viewer=request.user, pk=pk)
    figures = selectors_host.session_figures(session=session)
    return render(
        request, "tourism/host/session_detail.html", _session_context(session, figures=figures)
    )


# --- Attendees ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendeeRow:
    """A participant as the attendee list shows them: the passport masked."""

    participant: object
    passport_masked: str


@dataclass(frozen=True)
class BookingRow:
    booking: Booking
    people: list[AttendeeRow]


def _rows(bookings, *, with_passports: bool) -> list[BookingRow]:
    rows = []
    for booking in bookings:
        people = [
            AttendeeRow(
                participant=p,
                passport_masked=personal_data.participant_passport_masked(p)
                if with_passports
                else "",
            )
            for p in booking.participants.all()
        ]
        rows.append(BookingRow(booking=booking, people=people))
    return rows


@host_required
@never_cache
@require_GET
def attendees(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendee list; ``?print=1`` is the whole list on one page laid out for paper."""
    session = selectors_host.host_session_get(viewer=request.user, pk=pk)
    printing = request.GET.get("print") == "1"
    bookings = selectors_host.session_attendees(
        viewer=request.user, session=session, include_cancelled=not printing
    )
    context = _session_context(session, figures=selectors_host.session_figures(session=session))
    if printing:
        # A session's bookings are bounded by its capacity: the paper list has them all.
        context["rows"] = _rows(bookings, with_passports=context["asks_passport"])
        context["printed_at"] = clock.now()
        return render(request, "tourism/host/attendees_print.html", context)
    page = Paginator(bookings, ATTENDEES_PER_PAGE).get_page(request.GET.get("page"))
    context["page_obj"] = page
    context["rows"] = _rows(page.object_list, with_passports=context["asks_passport"])
    return render(request, "tourism/host/attendees.html", context)


def _csv_cell(value: object) -> str:
    """A cell that a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@host_required
@never_cache
@require_GET
def attendees_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmed participants as CSV, for the session's own hosts and organisers; written
    to the audit log since it carries personal data. Passports are never exported."""
    session = selectors_host.host_session_get(viewer=request.user, pk=pk)
    bookings = list(selectors_host.session_attendees(viewer=request.user, session=session))
    starts = clock.localtime(session.starts_at)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="attendees-{session.pk}-{starts:%Y%m%d-%H%M}.csv"'
    )
    response.write("\ufeff")  # Excel reads UTF-8 only with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Код билета"),
            _("Участник"),
            _("Дата рождения"),
            _("Записал"),
            _("Мест в заявке"),
            _("Отмечен на входе"),
            _("Неявка"),
        ]
    )
    count = 0
    for booking in bookings:
        checked = (
            f"{clock.localtime(booking.checked_in_at):%d.%m.%Y %H:%M}"
            if booking.checked_in_at
            else ""
        )
        for person in booking.participants.all():
            count += 1
            writer.writerow(
                [
                    _csv_cell(v)
                    for v in (
                        booking.code,
                        person.full_name,
                        f"{person.birth_date:%d.%m.%Y}" if person.birth_date else "",
                        booking.user.get_full_name() or booking.user.email,
                        booking.places,
                        checked,
                        _("да") if booking.no_show else "",
                    )
                ]
            )
    audit_record(
        action=AuditAction.PD_REVEALED,
        actor=request.user,
        target=session,
        request=request,
        details={"what": "attendees_csv", "participants": count},
    )
    return response


@host_required
@never_cache
@require_POST
def reveal_passport(request: HttpRequest, pk: int) -> HttpResponse:
    """One participant's full passport, audited; a fragment for htmx, a small page without."""
    participant = selectors_host.participant_get_for(viewer=request.user, pk=pk)
    try:
        passport = personal_data.participant_passport_reveal(
            participant=participant, viewer=request.user, ip_address=client_ip(request)
        )
    except errors.Forbidden:
        raise PermissionDenied from None
    context = {
        "participant": participant,
        "passport": passport,
        "session": participant.booking.session,
    }
    if request.htmx:
        return render(request, "tourism/host/_passport.html", context)
    return render(request, "tourism/host/passport.html", context)


# --- Check-in -------------------------------------------------------------------------------


@host_required
@never_cache
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """The door: a code typed or read from the QR by the camera, the verdict at once."""
    session = selectors_host.host_session_get(viewer=request.user, pk=pk)
    result = None
    form = CheckinForm()
    if request.method == "POST":
        posted = CheckinForm(request.POST)
        if posted.is_valid():
            try:
                result = checkin_services.checkin(
                    token_or_code=posted.cleaned_data["code"], session=session, actor=request.user
                )
            except errors.Forbidden:
                raise PermissionDenied from None
        else:
            form = posted  # keeps the "type a code" message next to the field
    figures = selectors_host.session_figures(session=session)
    context = _session_context(session, result=result, form=form, figures=figures)
    if request.htmx:
        return render(request, "tourism/host/_checkin_result.html", context)
    return render(request, "tourism/host/checkin.html", context)


# --- After the session and cancelling -------------------------------------------------------


@host_required
@require_http_methods(["GET", "POST"])
def no_shows(request: HttpRequest, pk: int) -> HttpResponse:
    """Once the session has started: tick who did not come among those not checked in."""
    session = selectors_host.host_session_get(viewer=request.user, pk=pk)
    context = _session_context(session)
    if not context["started"] or context["cancelled"]:
        return render(request, "tourism/host/no_shows.html", context)
    bookings = selectors_host.bookings_for_no_shows(viewer=request.user, session=session)
    page = Paginator(bookings, ATTENDEES_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    if request.method == "POST":
        form = NoShowForm(request.POST, bookings=shown)
        if form.is_valid():
            marked = set(form.cleaned_data["no_show"])
            changed = 0
            try:
                with transaction.atomic():
                    for booking in shown:
                        wanted = booking.pk in marked
                        if booking.no_show != wanted:
                            checkin_services.booking_mark_no_show(
                                booking=booking, actor=request.user, no_show=wanted
                            )
                            changed += 1
            except errors.TourismError as error:
                messages.error(request, error.text)
            else:
                messages.success(
                    request,
                    _("Неявки сохранены (изменено записей: %(count)s).") % {"count": changed},
                )
                return redirect(request.get_full_path())
    else:
        form = NoShowForm(initial={"no_show": [b.pk for b in shown if b.no_show]}, bookings=shown)
    context.update(form=form, page_obj=page, rows=_rows(shown, with_passports=False))
    if form.is_bound and form.is_valid():
        context["marked"] = set(form.cleaned_data["no_show"])
    else:
        context["marked"] = {b.pk for b in shown if b.no_show}
    return render(request, "tourism/host/no_shows.html", context)


@host_required
@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a session after a confirmation step with the reason the participants will read."""
    session = selectors_host.host_session_get(viewer=request.user, pk=pk)
    context = _session_context(session, figures=selectors_host.session_figures(session=session))
    if context["cancelled"] or context["ended"]:
        return render(request, "tourism/host/session_cancel.html", context)
    if request.method == "POST":
        form = SessionCancelForm(request.POST)
        if form.is_valid():
            try:
                booking_services.session_cancel(
                    session=session, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except errors.Forbidden:
                raise PermissionDenied from None
            except errors.TourismError as error:
                form.add_error(None, error.text)
            else:
                bookings = context["figures"].bookings
                messages.success(
                    request,
                    ngettext(
                        "Сеанс отменён. Письмо с причиной отправлено %(count)s записавшемуся.",
                        "Сеанс отменён. Письма с причиной отправлены %(count)s записавшимся.",
                        bookings,
                    )
                    % {"count": bookings}
                    if bookings
                    else _("Сеанс отменён."),
                )
                return redirect("tourism:host_session", pk=session.pk)
    else:
        form = SessionCancelForm()
    context["form"] = form
    return render(request, "tourism/host/session_cancel.html", context)
