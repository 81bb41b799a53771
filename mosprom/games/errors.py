"""Why a game action was refused: a machine code for the API and a Russian message for people.

Game refusals share the base of the programme's refusals (``tourism.errors.TourismError``), so
the API's one handler answers them with ``{"detail", "code"}`` and their status, and views show
``exc.text``. Services raise these; views and the API only translate them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from mosprom.tourism.errors import EmailNotConfirmed, Forbidden, NotFound, TourismError

__all__ = [
    "EmailNotConfirmed",
    "Forbidden",
    "GameError",
    "NotFound",
]


class GameError(TourismError):
    code = "game_error"
    message = _("Действие невозможно.")


class InvalidRequest(GameError):
    code = "invalid_request"
    http_status = 422
    message = _("Проверьте введённые данные.")


class RegistrationClosed(GameError):
    code = "registration_closed"
    message = _("Регистрация на эту игру закрыта.")


class RegistrationNotOpen(GameError):
    code = "registration_not_open"
    message = _("Регистрация ещё не открыта: она начнётся %(opens)s.")


class TeamNameTaken(GameError):
    code = "team_name_taken"
    message = _("Команда «%(name)s» уже зарегистрирована на эту игру. Выберите другое название.")


class AlreadyRegistered(GameError):
    code = "already_registered"
    message = _("Вы уже зарегистрировали команду на эту игру.")


class RosterSize(GameError):
    code = "roster_size"
    http_status = 422
    message = ngettext_lazy(
        "В команде должно быть от %(min)s до %(max)s игрока.",
        "В команде должно быть от %(min)s до %(max)s игроков.",
        "max",
    )


class NotActive(GameError):
    code = "team_withdrawn"
    message = _("Команда снялась с игры.")


class AlreadySignedUp(GameError):
    code = "already_signed_up"
    message = _("Вы уже записались на эту игру как игрок без команды.")


class AnswerClosed(GameError):
    code = "answer_closed"
    message = _("Приём ответов на этот вопрос закрыт.")


class AnswerNotOpen(GameError):
    code = "answer_not_open"
    message = _("Вопрос ещё не опубликован.")


class AlreadyAnswered(GameError):
    code = "already_answered"
    message = _("Команда уже ответила на этот вопрос.")


class ScoreOutOfRange(GameError):
    code = "score_out_of_range"
    http_status = 422
    message = _("В туре «%(round)s» можно получить от %(min)s до %(max)s очков.")


class ResultsPublished(GameError):
    code = "results_published"
    message = _("Итоги игры уже опубликованы; очки больше не меняются.")


class NotDrawable(GameError):
    code = "not_drawable"
    message = _("Розыгрыш невозможен: %(reason)s")
