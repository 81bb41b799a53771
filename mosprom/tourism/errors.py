"""Why a booking, cancellation or waitlist action was refused: a machine code for the API and
a Russian message for people. Services raise these; views and the API only translate them.

A message that counts something is an ``ngettext_lazy(singular, plural, "<param>")``: the
plural form is chosen from that parameter when the message is formatted, so Russian gets its
three forms («1 день», «2 дня», «5 дней») and English its two.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class TourismError(Exception):
    code = "tourism_error"
    message = _("Действие невозможно.")
    http_status = 409

    def __init__(self, message: str | None = None, **params) -> None:
        self.params = params
        template = message or self.message
        # ``%`` on an ngettext_lazy picks the plural form by its named parameter first.
        text = template % params if params else template
        super().__init__(str(text))

    @property
    def text(self) -> str:
        return str(self.args[0])


class RegistrationNotOpen(TourismError):
    code = "registration_not_open"
    message = _("Запись ещё не открыта: она начнётся %(opens)s.")


class DeadlinePassed(TourismError):
    code = "deadline_passed"
    message = ngettext_lazy(
        "Запись на этот сеанс закрыта: она заканчивается за %(days)s день до начала.",
        "Запись на этот сеанс закрыта: она заканчивается за %(days)s дней до начала.",
        "days",
    )


class SessionCancelled(TourismError):
    code = "session_cancelled"
    message = _("Этот сеанс отменён.")


class SoldOut(TourismError):
    code = "sold_out"
    message = _("Свободных мест не осталось. Можно встать в лист ожидания.")


class QuotaExceeded(TourismError):
    code = "quota_exceeded"
    message = ngettext_lazy(
        "В этом сезоне можно занять не больше %(allowed)s места на человека; у вас уже %(taken)s.",
        "В этом сезоне можно занять не больше %(allowed)s мест на человека; у вас уже %(taken)s.",
        "allowed",
    )


class AlreadyBooked(TourismError):
    code = "already_booked"
    message = _("Вы уже записаны на этот сеанс. Билет — в разделе «Мои билеты».")


class TooManyPlaces(TourismError):
    code = "too_many_places"
    message = ngettext_lazy(
        "В одной заявке можно записать от 1 до %(max)s человека.",
        "В одной заявке можно записать от 1 до %(max)s человек.",
        "max",
    )
    http_status = 422


class AgeRestricted(TourismError):
    code = "age_restricted"
    message = ngettext_lazy(
        "%(name)s: участие с %(age)s года, на день сеанса участнику не исполнится %(age)s.",
        "%(name)s: участие с %(age)s лет, на день сеанса участнику не исполнится %(age)s.",
        "age",
    )
    http_status = 422


class IdentificationRequired(TourismError):
    code = "identification_required"
    message = _("%(name)s: предприятие требует %(what)s для пропуска.")
    http_status = 422


class EmailNotConfirmed(TourismError):
    code = "email_not_confirmed"
    message = _("Подтвердите адрес электронной почты — ссылка в письме после регистрации.")
    http_status = 403


class NoShowLimited(TourismError):
    code = "no_show_limited"
    message = ngettext_lazy(
        "В этом сезоне у вас %(count)s неявка; запись до конца сезона недоступна. "
        "Если это ошибка, напишите организаторам.",
        "В этом сезоне у вас %(count)s неявок; запись до конца сезона недоступна. "
        "Если это ошибка, напишите организаторам.",
        "count",
    )
    http_status = 403


class NotFound(TourismError):
    code = "not_found"
    message = _("Не найдено.")
    http_status = 404


class Forbidden(TourismError):
    code = "forbidden"
    message = _("Недостаточно прав.")
    http_status = 403


class WaitlistError(TourismError):
    code = "waitlist_error"


class AlreadyWaiting(WaitlistError):
    code = "already_waiting"
    message = _("Вы уже в листе ожидания этого сеанса.")


class NotFull(WaitlistError):
    code = "places_available"
    message = _("Свободные места есть — запишитесь сразу.")


class NoOffer(WaitlistError):
    code = "no_offer"
    message = _("Места вам пока не предложены: мы напишем, когда они освободятся.")


class OfferExpired(WaitlistError):
    code = "offer_expired"
    message = _("Срок предложения истёк, места переданы следующему в очереди.")


class NotCancellable(TourismError):
    code = "not_cancellable"
    message = _("Эту запись уже нельзя отменить.")


class InvalidRequest(TourismError):
    code = "invalid_request"
    message = _("Проверьте введённые данные.")
    http_status = 422


class FeedbackNotAllowed(TourismError):
    code = "feedback_not_allowed"
    message = _("Отзыв можно оставить только после посещения, один раз.")
