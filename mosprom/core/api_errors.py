"""One error format for the whole API, in Russian.

- 400 ``{"detail": "…"}``: the body is not JSON;
- 401 ``{"detail": "…"}`` with ``WWW-Authenticate: Bearer``: no token or a bad one;
- 403 ``{"detail": "…"}``: the token's user may not do this;
- 404 ``{"detail": "…"}``: no such object;
- 409 ``{"detail": [field errors]}``: the object would duplicate an existing one;
- 422 ``{"detail": [field errors]}``: invalid input; a field error is
  ``{"loc": ["body", "inn"], "msg": "…", "type": "…"}``.

Pydantic's English messages are replaced by Russian ones by error type; Django validation
errors raised by services (model validators, already Russian) become field errors, and a
409 when the exception class says ``conflict = True`` (services know nothing of HTTP, only
that the input clashes with stored data).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

# Body parameters are all called "payload"; clients need not see that name in ``loc``.
BODY_PARAM = "payload"


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _count(value: Any) -> int:
    """The number that picks a plural form; every message is built, most for another type."""
    return value if isinstance(value, int) else 0


def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = {key: _number(value) for key, value in (error.get("ctx") or {}).items()}
    messages = {
        "missing": _("Обязательное поле."),
        "string_type": _("Нужна строка."),
        "string_too_short": _("Поле не может быть пустым.")
        if ctx.get("min_length") == 1
        else ngettext(
            "Не короче %(n)s символа.", "Не короче %(n)s символов.", _count(ctx.get("min_length"))
        )
        % {"n": ctx.get("min_length")},
        "string_too_long": ngettext(
            "Не длиннее %(n)s символа.", "Не длиннее %(n)s символов.", _count(ctx.get("max_length"))
        )
        % {"n": ctx.get("max_length")},
        "string_pattern_mismatch": _("Неверный формат."),
        "int_type": _("Нужно целое число."),
        "int_parsing": _("Нужно целое число."),
        "int_from_float": _("Нужно целое число."),
        "float_type": _("Нужно число."),
        "float_parsing": _("Нужно число."),
        "finite_number": _("Нужно конечное число."),
        "bool_type": _("Нужно значение true или false."),
        "bool_parsing": _("Нужно значение true или false."),
        "greater_than_equal": _("Не меньше %(n)s.") % {"n": ctx.get("ge")},
        "greater_than": _("Больше %(n)s.") % {"n": ctx.get("gt")},
        "less_than_equal": _("Не больше %(n)s.") % {"n": ctx.get("le")},
        "less_than": _("Меньше %(n)s.") % {"n": ctx.get("lt")},
        "enum": _("Допустимые значения: %(values)s.") % {"values": ctx.get("expected")},
        "literal_error": _("Допустимые значения: %(values)s.") % {"values": ctx.get("expected")},
        "extra_forbidden": _("Неизвестное поле."),
        "model_attributes_type": _("Нужен объект JSON."),
        "dict_type": _("Нужен объект JSON."),
        "model_type": _("Нужен объект JSON."),
        "nul_character": _("Строка не может содержать символ NUL."),
    }
    return messages.get(kind, _("Неверное значение."))


def _loc(loc: Any) -> list[str | int]:
    parts = [p if isinstance(p, int) else str(p) for p in loc]
    if len(parts) >= 2 and parts[0] == "body" and parts[1] == BODY_PARAM:
        del parts[1]
    return parts


def field_errors(exc: DjangoValidationError) -> list[dict[str, Any]]:
    """A Django ValidationError (possibly per field) as the API's list of field errors."""
    if hasattr(exc, "error_dict"):
        return [
            {
                "loc": ["body"] if field == "__all__" else ["body", field],
                "msg": message,
                "type": error.code or "invalid",
            }
            for field, errors in exc.error_dict.items()
            for error in errors
            for message in error
        ]
    return [{"loc": ["body"], "msg": message, "type": "invalid"} for message in exc.messages]


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every expected failure a JSON answer in the format above, never a 500."""

    def respond(request: HttpRequest, detail: Any, status: int) -> HttpResponse:
        return api.create_response(request, {"detail": detail}, status=status)

    @api.exception_handler(NinjaValidationError)
    def invalid_input(request, exc: NinjaValidationError):
        errors = [
            {
                "loc": _loc(error.get("loc", ())),
                "msg": _pydantic_message(error),
                "type": str(error.get("type", "invalid")),
            }
            for error in exc.errors
        ]
        return respond(request, errors, 422)

    @api.exception_handler(DjangoValidationError)
    def invalid_data(request, exc: DjangoValidationError):
        return respond(request, field_errors(exc), 409 if getattr(exc, "conflict", False) else 422)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc: AuthenticationError):
        response = respond(
            request,
            _("Нужен действующий API-токен: заголовок «Authorization: Bearer <токен>»."),
            401,
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc: PermissionDenied):
        return respond(request, str(exc) or _("Недостаточно прав."), 403)

    def not_found(request, exc):
        return respond(request, _("Не найдено."), 404)

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 400:
            return respond(request, _("Тело запроса — не корректный JSON."), 400)
        return respond(request, str(exc), exc.status_code)
