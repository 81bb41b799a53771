"""Visitors' ratings of what they attended."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mosprom.tourism import errors
from mosprom.tourism.models import Booking, BookingStatus, Feedback

COMMENT_MAX = 4000


def feedback_leave(*, booking: Booking, user, rating: int, comment: str = "") -> Feedback:
    """Record the booker's 1–5 rating and comment, once, after they were checked in."""
    if booking.user_id != user.pk:
        raise errors.Forbidden()
    if booking.status != BookingStatus.CONFIRMED or booking.checked_in_at is None:
        raise errors.FeedbackNotAllowed(_("Отзыв можно оставить после посещения."))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise errors.InvalidRequest(_("Оценка — от 1 до 5."))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise errors.InvalidRequest(
            ngettext(
                "Отзыв не длиннее %(max)s символа.",
                "Отзыв не длиннее %(max)s символов.",
                COMMENT_MAX,
            ),
            max=COMMENT_MAX,
        )
    try:
        with transaction.atomic():
            return Feedback.objects.create(booking=booking, rating=rating, comment=comment)
    except IntegrityError as clash:
        raise errors.FeedbackNotAllowed(_("Вы уже оставили отзыв об этом посещении.")) from clash
