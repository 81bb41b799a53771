"""The ticket mail through a real SMTP server on loopback (the ``smtp_inbox`` fixture): the
calendar file parses, and the QR code, read by zbar, lets the holder in once at the door."""

from __future__ import annotations

import io

import icalendar
import pytest
from django.urls import reverse
from PIL import Image
from pyzbar.pyzbar import ZBarSymbol, decode

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.registry.tests.factories import make_membership
from mosprom.tourism.booking import booking_create
from mosprom.tourism.models import Booking
from mosprom.tourism.tests.factories import make_experience, make_session, participants_for

pytestmark = pytest.mark.django_db


def test_ticket_mail_over_smtp_and_its_qr_code_checks_in_once(
    client, smtp_inbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://tours.example.test"
    experience = make_experience(title="Экскурсия на тормозной завод", meeting_point="Проходная")
    session = make_session(experience=experience)
    visitor = make_user(email="smtp.visitor@example.test", first_name="Семён")

    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_create(
            user=visitor, session=session, participants=participants_for(session, 2)
        )

    (message,) = smtp_inbox.wait_for(1)
    assert message["To"] == "smtp.visitor@example.test"
    assert "Экскурсия на тормозной завод" in str(message["Subject"])
    assert f"Код билета: {booking.code}" in smtp_inbox.text_of(message)
    files = {part.get_filename(): part for part in message.iter_attachments()}

    # The calendar file is a valid iCalendar event of this session.
    ics = files[f"mosprom-{booking.code}.ics"]
    assert ics.get_content_type() == "text/calendar"
    (event,) = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")
    assert event.decoded("DTSTART") == session.starts_at
    assert event.decoded("DTEND") == session.ends_at
    assert str(event["LOCATION"]) == experience.site.address
    assert booking.code in str(event["DESCRIPTION"])

    # The QR code as the visitor's phone shows it, read by zbar.
    png = files[f"mosprom-{booking.code}.png"].get_content()
    (symbol,) = decode(Image.open(io.BytesIO(png)), symbols=[ZBarSymbol.QRCODE])
    token = symbol.data.decode()
    assert token != booking.code  # the signed token, not the typed code

    # The host's check-in page admits it once and refuses it the second time.
    host = make_user(role=Role.HOST)
    make_membership(host, experience.enterprise)
    client.force_login(host)
    url = reverse("tourism:host_checkin", args=[session.pk])

    first = client.post(url, {"code": token})
    assert first.status_code == 200
    assert "Билет действителен" in first.content.decode()
    admitted = Booking.objects.get(pk=booking.pk)
    assert admitted.checked_in_at is not None
    assert admitted.checked_in_by == host

    second = client.post(url, {"code": token})
    assert second.status_code == 200
    page = second.content.decode()
    assert "Билет уже использован" in page
    assert "Билет действителен" not in page
    assert Booking.objects.get(pk=booking.pk).checked_in_at == admitted.checked_in_at
