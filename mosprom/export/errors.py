"""Why an export action was refused: a machine code for the API and a Russian message.

Export refusals share the programme's refusal base (``tourism.errors.TourismError``), so the
API's one handler answers them with ``{"detail", "code"}`` and their status, and views show
``exc.text``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mosprom.tourism.errors import Forbidden, NotFound, TourismError

__all__ = ["ExportError", "Forbidden", "NotFound"]


class ExportError(TourismError):
    code = "export_error"
    message = _("Действие невозможно.")


class InvalidRequest(ExportError):
    code = "invalid_request"
    http_status = 422
    message = _("Проверьте введённые данные.")


class CallClosed(ExportError):
    code = "call_closed"
    message = _("Приём заявок на это мероприятие закрыт.")


class CallNotOpen(ExportError):
    code = "call_not_open"
    message = _("Приём заявок ещё не начался: он откроется %(opens)s.")


class AlreadyApplied(ExportError):
    code = "already_applied"
    message = _("У предприятия уже есть заявка на это мероприятие.")


class InvalidTransition(ExportError):
    code = "invalid_transition"
    message = _("Заявку в состоянии «%(current)s» нельзя перевести в состояние «%(target)s».")


class NoPlacesLeft(ExportError):
    code = "no_places_left"
    message = _(
        "Все места на мероприятии уже заняты одобренными заявками. "
        "Поставьте заявку в лист ожидания или освободите место."
    )


class DocumentRejected(ExportError):
    code = "document_rejected"
    http_status = 422
    message = _("Документ не принят: %(reason)s")


class VoteLimit(ExportError):
    code = "vote_limit"
    message = _("Предприятие уже отдало все голоса (%(allowed)s) в этом голосовании.")


class VoteClosed(ExportError):
    code = "vote_closed"
    message = _("Голосование закрыто.")


class AlreadyVoted(ExportError):
    code = "already_voted"
    message = _("Предприятие уже голосовало за эту выставку.")


class ReportNotDue(ExportError):
    code = "report_not_due"
    message = _("Отчёт об итогах подаётся после мероприятия и только участником.")
