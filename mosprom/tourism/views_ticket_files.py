"""The ticket as files: the calendar event (.ics) and the QR code (PNG), for the booker and
for the staff who may see the booking (hosts of its enterprise, organisers)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from mosprom.tourism.errors import NotFound
from mosprom.tourism.models import Booking
from mosprom.tourism.tickets import ticket_booking_get, ticket_ics, ticket_qr_png


def _booking(request: HttpRequest, code: str) -> Booking:
    try:
        return ticket_booking_get(user=request.user, code=code)
    except NotFound as error:
        raise Http404 from error


@require_safe
@login_required
def ticket_ics_download(request: HttpRequest, code: str) -> HttpResponse:
    booking = _booking(request, code)
    response = HttpResponse(ticket_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mosprom-{booking.code}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_required
def ticket_qr_image(request: HttpRequest, code: str) -> HttpResponse:
    booking = _booking(request, code)
    response = HttpResponse(ticket_qr_png(booking), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="mosprom-{booking.code}.png"'
    response["Cache-Control"] = "private, no-store"
    return response
