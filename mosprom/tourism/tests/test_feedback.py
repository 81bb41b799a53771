"""Feedback: the booker, after attending, once, 1–5."""

from __future__ import annotations

import pytest

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.tourism import errors
from mosprom.tourism.checkin import checkin
from mosprom.tourism.feedback import feedback_leave
from mosprom.tourism.models import Feedback
from mosprom.tourism.tests.factories import make_booking

pytestmark = pytest.mark.django_db


def attended_booking():
    booking = make_booking()
    checkin(
        token_or_code=booking.code,
        session=booking.session,
        actor=make_user(role=Role.ORGANISER),
    )
    booking.refresh_from_db()
    return booking


def test_feedback_after_attending_once():
    booking = attended_booking()
    feedback = feedback_leave(booking=booking, user=booking.user, rating=5, comment=" Отлично! ")
    assert feedback.rating == 5
    assert feedback.comment == "Отлично!"
    with pytest.raises(errors.FeedbackNotAllowed, match="уже оставили"):
        feedback_leave(booking=booking, user=booking.user, rating=4, comment="")


def test_feedback_refusals():
    not_yet = make_booking()
    with pytest.raises(errors.FeedbackNotAllowed, match="после посещения"):
        feedback_leave(booking=not_yet, user=not_yet.user, rating=5, comment="")
    booking = attended_booking()
    with pytest.raises(errors.Forbidden):
        feedback_leave(booking=booking, user=make_user(), rating=5, comment="")
    for rating in (0, 6):
        with pytest.raises(errors.InvalidRequest, match="от 1 до 5"):
            feedback_leave(booking=booking, user=booking.user, rating=rating, comment="")
    assert not Feedback.objects.exists()
