"""Why an SEZ action was refused (shares the programme's refusal base; see tourism.errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mosprom.tourism.errors import Forbidden, NotFound, TourismError

__all__ = ["Forbidden", "NotFound", "SezError"]


class SezError(TourismError):
    code = "sez_error"
    message = _("Действие невозможно.")


class InvalidRequest(SezError):
    code = "invalid_request"
    http_status = 422
    message = _("Проверьте введённые данные.")


class NotResident(SezError):
    code = "not_resident"
    message = _("Отчёты сдают только резиденты с действующим соглашением.")


class InvalidReviewState(SezError):
    code = "invalid_review_state"
    message = _("Эта версия отчёта уже рассмотрена: %(status)s.")


class ReportLocked(SezError):
    code = "report_locked"
    message = _("Отчёт на проверке: дождитесь решения, прежде чем подавать исправление.")
