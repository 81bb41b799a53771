"""The lottery through the REST API: apply for a lottery session, list and withdraw one's
applications (API token), read a draw's published seed, order and result (public).

Refusals use the tourism error format (``{"detail", "code"}``): not_lottery, already_applied,
lottery_closed, not_withdrawable, and the booking rules' codes (deadline_passed,
email_not_confirmed, too_many_places, quota_exceeded, …).
"""

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from mosprom.accounts.api_auth import token_auth
from mosprom.core.ratelimit import api_rate_limit
from mosprom.registry.api import Pagination
from mosprom.tourism import selectors, selectors_lottery
from mosprom.tourism.api import (
    ONE_ERRORS,
    PERSONAL_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    ObjectId,
    _participants,
    api_user,
)
from mosprom.tourism.lottery import lottery_apply, lottery_result, lottery_withdraw
from mosprom.tourism.schemas import BookingIn

router = Router(tags=["lottery"])


class LotteryApplicationOut(Schema):
    id: int
    session_id: int
    places: int
    status: str
    outcome: str
    booking_code: str | None
    created_at: dt.datetime

    @staticmethod
    def resolve_booking_code(obj) -> str | None:
        return obj.booking.code if obj.booking_id else None


class LotteryRowOut(Schema):
    position: int | None
    name: str
    places: int
    outcome: str


class LotteryResultOut(Schema):
    session_id: int
    closes_at: dt.datetime
    drawn_at: dt.datetime
    seed: str
    order: list[int]
    result: dict[str, list[int]]
    rows: list[LotteryRowOut]


@router.post(
    "/tourism/sessions/{id}/lottery/applications",
    auth=token_auth,
    response={201: LotteryApplicationOut, **WRITE_ERRORS, 429: ErrorOut},
    summary="Подать заявку на розыгрыш",
    description=(
        "Одна заявка на человека и сеанс, участники — как при записи. Отказы: not_lottery, "
        "already_applied, lottery_closed и коды правил записи. 429 rate_limited с Retry-After."
    ),
    operation_id="tourism_lottery_apply",
)
@api_rate_limit("lottery_apply")
def lottery_apply_endpoint(request: HttpRequest, id: ObjectId, payload: BookingIn):
    session = selectors.session_for_booking(pk=id)
    application = lottery_apply(
        user=api_user(request), session=session, participants=_participants(payload.participants)
    )
    return Status(
        201,
        selectors_lottery.lottery_application_of_user(user=api_user(request), pk=application.pk),
    )


@router.get(
    "/tourism/lottery/applications",
    auth=token_auth,
    response={200: list[LotteryApplicationOut], **PERSONAL_ERRORS},
    summary="Мои заявки на розыгрыши",
    operation_id="tourism_lottery_applications",
)
@paginate(Pagination)
def lottery_application_list(request: HttpRequest):
    return selectors_lottery.lottery_applications_of_user(user=api_user(request))


@router.post(
    "/tourism/lottery/applications/{id}/withdraw",
    auth=token_auth,
    response={200: LotteryApplicationOut, **WRITE_ERRORS},
    summary="Отозвать заявку на розыгрыш",
    description="До закрытия приёма заявок; повторный отзыв ничего не меняет.",
    operation_id="tourism_lottery_withdraw",
)
def lottery_withdraw_endpoint(request: HttpRequest, id: ObjectId):
    user = api_user(request)
    application = selectors_lottery.lottery_application_of_user(user=user, pk=id)
    lottery_withdraw(application=application, actor=user)
    return Status(200, selectors_lottery.lottery_application_of_user(user=user, pk=id))


@router.get(
    "/tourism/sessions/{id}/lottery",
    response={200: LotteryResultOut, **ONE_ERRORS},
    summary="Итоги розыгрыша",
    description="Опубликованные зерно, порядок и итог; имена скрыты. 404, пока розыгрыша не было.",
    operation_id="tourism_lottery_result",
)
def lottery_result_endpoint(request: HttpRequest, id: ObjectId):
    session = selectors.session_for_booking(pk=id)
    draw, rows = lottery_result(session=session)
    if draw is None:
        return Status(404, {"detail": _("Розыгрыш ещё не проводился."), "code": "not_found"})
    return {
        "session_id": session.pk,
        "closes_at": draw.closes_at,
        "drawn_at": draw.drawn_at,
        "seed": draw.seed,
        "order": draw.order,
        "result": draw.result,
        "rows": [row.__dict__ for row in rows],
    }
