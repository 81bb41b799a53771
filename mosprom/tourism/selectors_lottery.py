"""Reads of the lottery: a visitor's own applications (the permission is the filter) and the
public result of a draw (``tourism.lottery.lottery_result``)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from mosprom.tourism.models import LotteryApplication, LotteryStatus, Session


def lottery_applications_of_user(*, user) -> QuerySet[LotteryApplication]:
    """The user's applications, newest first, with session, experience and season."""
    return (
        LotteryApplication.objects.filter(user=user)
        .select_related("session__season", "session__experience__enterprise", "booking")
        .prefetch_related("participants")
        .order_by("-created_at", "-id")
    )


def lottery_application_of_user(*, user, pk: int) -> LotteryApplication:
    """One of the user's own applications; Http404 for anyone else's."""
    application = lottery_applications_of_user(user=user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def lottery_active_application(*, user, session: Session) -> LotteryApplication | None:
    """The user's application for the session that is not withdrawn, if any."""
    return (
        lottery_applications_of_user(user=user)
        .filter(session=session)
        .exclude(status=LotteryStatus.WITHDRAWN)
        .first()
    )
