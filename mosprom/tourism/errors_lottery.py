"""Refusals of the lottery (``tourism.lottery``), in the shape of ``tourism.errors``: a machine
code for the API and a Russian message for people."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mosprom.tourism.errors import TourismError


class LotterySession(TourismError):
    """Raised by the first-come booking path on a lottery session."""

    code = "lottery_session"
    message = _("Места на этот сеанс разыгрываются: подайте заявку на участие в розыгрыше.")


class NotLottery(TourismError):
    code = "not_lottery"
    message = _("Места на этот сеанс не разыгрываются — запишитесь сразу.")


class AlreadyApplied(TourismError):
    code = "already_applied"
    message = _("Вы уже подали заявку на розыгрыш этого сеанса.")


class LotteryClosed(TourismError):
    code = "lottery_closed"
    message = _("Приём заявок на розыгрыш закрыт.")


class NotWithdrawable(TourismError):
    code = "not_withdrawable"
    message = _("Эту заявку уже нельзя отозвать.")
