"""Tickets: the signed token, the QR code (SVG and PNG), the calendar file and the file views."""

from __future__ import annotations

import datetime as dt
import io

import icalendar
import pytest
from django.core import signing
from django.urls import reverse
from PIL import Image
from pyzbar.pyzbar import decode

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.registry.tests.factories import make_membership
from mosprom.tourism.booking import booking_cancel
from mosprom.tourism.models import BookingStatus
from mosprom.tourism.tests.factories import make_booking, make_experience, make_session
from mosprom.tourism.tickets import (
    TICKET_SALT,
    ticket_from_token,
    ticket_ics,
    ticket_qr_png,
    ticket_qr_svg,
    ticket_token,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking():
    experience = make_experience(
        title="Как шьют медвежонка",
        meeting_point="Проходная №2, у турникетов",
        what_to_bring="Сменную обувь",
    )
    return make_booking(session=make_session(experience=experience), places=2)


def qr_payloads(png: bytes) -> list[str]:
    return [symbol.data.decode() for symbol in decode(Image.open(io.BytesIO(png)))]


# --- Token ---------------------------------------------------------------------------------


def test_token_names_its_booking(booking):
    token = ticket_token(booking)

    assert ticket_from_token(token) == booking
    assert ticket_from_token(f"  {token}\n") == booking
    assert booking.code in token and str(booking.pk) in token


def test_token_stays_valid_after_cancelling_so_the_door_can_say_cancelled(booking):
    token = ticket_token(booking)
    booking_cancel(booking=booking, actor=booking.user)

    found = ticket_from_token(token)
    assert found == booking
    assert found.status == BookingStatus.CANCELLED


@pytest.mark.parametrize(
    "forge",
    [
        lambda b, t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
        lambda b, t: t.replace(f"{b.pk}.", f"{b.pk + 1}.", 1),  # another booking id
        lambda b, t: signing.Signer().sign(f"{b.pk}.{b.code}"),  # right data, wrong salt
        lambda b, t: signing.Signer(salt=TICKET_SALT).sign(f"{b.pk}.ZZZZZZZZ"),  # wrong code
        lambda b, t: signing.Signer(salt=TICKET_SALT).sign(f"x.{b.code}"),
        lambda b, t: signing.Signer(salt=TICKET_SALT).sign(str(b.pk)),
        lambda b, t: b.code,
        lambda b, t: "",
        lambda b, t: "💥" * 30,
    ],
)
def test_forged_or_broken_tokens_name_nothing(booking, forge):
    assert ticket_from_token(forge(booking, ticket_token(booking))) is None


# --- QR code -------------------------------------------------------------------------------


def test_qr_png_decodes_to_the_token(booking):
    png = ticket_qr_png(booking)

    assert png.startswith(b"\x89PNG")
    assert qr_payloads(png) == [ticket_token(booking)]


def test_qr_svg_is_an_image_with_a_name(booking):
    svg = ticket_qr_svg(booking)

    assert svg.startswith('<svg role="img" aria-label="QR-код билета ' + booking.code + '"')
    assert "viewBox" in svg  # scales with CSS
    assert "<path" in svg and svg.rstrip().endswith("</svg>")
    assert hasattr(svg, "__html__")  # safe to put in a template as it is


# --- Calendar file -------------------------------------------------------------------------


def test_ics_describes_the_session(booking, settings):
    settings.SITE_URL = "https://tours.example.test"
    session = booking.session

    calendar = icalendar.Calendar.from_ical(ticket_ics(booking))

    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == f"booking-{booking.code}@tours.example.test"
    assert event.decoded("DTSTART") == session.starts_at
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(0)  # written in UTC
    assert event.decoded("DTEND") == session.ends_at
    assert str(event["SUMMARY"]) == "Как шьют медвежонка"
    assert str(event["LOCATION"]) == session.experience.site.address
    description = str(event["DESCRIPTION"])
    assert "Место сбора: Проходная №2, у турникетов" in description
    assert f"Код билета: {booking.code}" in description
    assert "Мест: 2" in description
    assert "Сменную обувь" in description
    assert str(event["URL"]) == f"https://tours.example.test/my/tickets/{booking.code}/"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_ics_of_a_cancelled_booking_cancels_the_event(booking):
    booking_cancel(booking=booking, actor=booking.user)
    booking.refresh_from_db()

    calendar = icalendar.Calendar.from_ical(ticket_ics(booking))

    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


def test_ics_without_a_site_names_the_enterprise():
    experience = make_experience(site=None)
    experience.site = None
    experience.save(update_fields=["site"])
    booking = make_booking(session=make_session(experience=experience))

    (event,) = icalendar.Calendar.from_ical(ticket_ics(booking)).walk("VEVENT")

    assert str(event["LOCATION"]) == experience.enterprise.short_name


# --- File views ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tourism:ticket_ics", "tourism:ticket_qr"])
def test_the_booker_downloads_the_ticket_files(client, booking, name):
    client.force_login(booking.user)

    response = client.get(reverse(name, args=[booking.code]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    if name == "tourism:ticket_ics":
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert f'filename="mosprom-{booking.code}.ics"' in response["Content-Disposition"]
        assert icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    else:
        assert response["Content-Type"] == "image/png"
        assert qr_payloads(response.content) == [ticket_token(booking)]


def test_lower_case_code_in_the_address_works(client, booking):
    client.force_login(booking.user)

    assert client.get(reverse("tourism:ticket_qr", args=[booking.code.lower()])).status_code == 200


@pytest.mark.parametrize("name", ["tourism:ticket_ics", "tourism:ticket_qr"])
def test_ticket_files_for_staff_and_nobody_else(client, booking, name):
    url = reverse(name, args=[booking.code])
    own_host = make_user(role=Role.HOST)
    make_membership(own_host, booking.session.experience.enterprise)
    expected = {
        make_user(role=Role.VISITOR): 404,
        make_user(role=Role.HOST): 404,  # a host of another enterprise
        own_host: 200,
        make_user(role=Role.ORGANISER): 200,
        make_user(role=Role.ADMIN): 200,
    }
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user.role
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))


def test_unknown_code_is_404(client):
    client.force_login(make_user())

    assert client.get(reverse("tourism:ticket_ics", args=["NOSUCH22"])).status_code == 404


def test_ticket_files_refuse_post(client, booking):
    client.force_login(booking.user)

    assert client.post(reverse("tourism:ticket_ics", args=[booking.code])).status_code == 405
