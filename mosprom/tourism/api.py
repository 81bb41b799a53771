"""The tourism REST API: sessions with availability, bookings, the waitlist, hosts' check-in.

Reads of the programme are public. Everything personal needs an API token
(``Authorization: Bearer mp_…``) and acts for the token's user: visitors book, cancel and wait;
hosts of the session's enterprise and organisers read attendees and check tickets in.

Refusals of the programme's rules are answered with their HTTP status and
``{"detail": "<по-русски>", "code": "sold_out"}`` (the codes of ``tourism.errors``); input errors
and the rest follow ``mosprom.core.api_errors``. Booking accepts an ``Idempotency-Key`` header:
a retry with the same key returns the booking the first request made.
"""

from typing import Annotated, Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from ninja import Header, NinjaAPI, Path, Query, Router, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate

from mosprom.accounts.api_auth import TokenAuth, read_along, token_auth
from mosprom.core.api_types import MAX_ID
from mosprom.core.logs import quietly
from mosprom.core.ratelimit import api_rate_limit
from mosprom.registry.api import Pagination
from mosprom.registry.schemas import ValidationErrorOut
from mosprom.tourism import selectors, selectors_host
from mosprom.tourism.booking import ParticipantData, booking_cancel, booking_create
from mosprom.tourism.checkin import checkin
from mosprom.tourism.errors import TourismError
from mosprom.tourism.models import Booking, Participant, Session, WaitlistEntry
from mosprom.tourism.schemas import (
    AttendeeOut,
    BookingIn,
    BookingOut,
    CheckinIn,
    CheckinOut,
    ErrorOut,
    ParticipantIn,
    SessionFilters,
    SessionOut,
    WaitlistEntryOut,
    WaitlistJoinIn,
)
from mosprom.tourism.waitlist import (
    waitlist_accept,
    waitlist_decline,
    waitlist_join,
    waitlist_leave,
)

router = Router(tags=["tourism"])

ObjectId = Annotated[int, Path(ge=1, le=MAX_ID, description="Идентификатор")]
IdempotencyKey = Annotated[
    str | None,
    Header(
        None,
        alias="Idempotency-Key",
        pattern=r"^[\x21-\x7e]{1,64}$",
        description=(
            "Любая строка до 64 видимых ASCII-символов, своя для каждой попытки записи; "
            "повтор запроса с тем же ключом вернёт ту же запись"
        ),
    ),
]

# A 422 is either malformed input (a list of field errors) or a refused participant
# (age, documents, number of places: a message with a code).
INPUT_ERROR = ValidationErrorOut | ErrorOut
READ_ERRORS: dict[int, Any] = {422: ValidationErrorOut}
ONE_ERRORS: dict[int, Any] = {404: ErrorOut, 422: ValidationErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: INPUT_ERROR,
}
PERSONAL_ERRORS: dict[int, Any] = {401: ErrorOut, 422: ValidationErrorOut}


def install_error_handler(api: NinjaAPI) -> None:
    """Answer every refusal of the programme's rules with its status, message and code."""

    @api.exception_handler(TourismError)
    def refused(request: HttpRequest, exc: TourismError):
        return quietly(
            api.create_response(
                request, {"detail": exc.text, "code": exc.code}, status=exc.http_status
            )
        )


PAGE_PARAMS = frozenset({"limit", "offset"})


def only_known_query(request: HttpRequest, known: frozenset[str] | set[str]) -> None:
    """Refuse query parameters the operation does not have: a misspelt filter must not
    silently return everything."""
    unknown = sorted(set(request.GET) - set(known))
    if unknown:
        raise NinjaValidationError(
            [{"loc": ("query", name), "type": "extra_forbidden"} for name in unknown]
        )


def api_user(request: HttpRequest):
    return request.auth  # set by token_auth


def _participants(items: list[ParticipantIn]) -> list[ParticipantData]:
    return [
        ParticipantData(full_name=p.full_name, birth_date=p.birth_date, passport=p.passport)
        for p in items
    ]


def _bookings() -> QuerySet[Booking]:
    return Booking.objects.select_related(
        "session__season",
        "session__experience__enterprise",
        "session__experience__site",
    ).prefetch_related(
        Prefetch("participants", queryset=Participant.objects.order_by("position", "id"))
    )


def _my_booking(request: HttpRequest, pk: int) -> Booking:
    return _bookings().get(pk=pk, user=api_user(request))


def _my_entry(request: HttpRequest, pk: int) -> WaitlistEntry:
    return selectors.waitlist_entry_of_user(user=api_user(request), pk=pk)


def _entry_out(entry: WaitlistEntry) -> WaitlistEntry:
    return (
        WaitlistEntry.objects.select_related(
            "session__season", "session__experience__enterprise", "session__experience__site"
        )
        .filter(pk=entry.pk)
        .get()
    )


# --- Sessions -------------------------------------------------------------------------------


@router.get(
    "/tourism/sessions",
    response={200: list[SessionOut], **READ_ERRORS},
    summary="Сеансы программы со свободными местами",
    description=(
        "Предстоящие сеансы опубликованных программ, ближайшие первыми; фильтры — как в "
        "календаре на сайте. places_left — свободные места сейчас."
    ),
    operation_id="tourism_session_list",
)
@paginate(Pagination)
def session_list(request: HttpRequest, filters: Query[SessionFilters]):
    only_known_query(request, PAGE_PARAMS | set(SessionFilters.model_fields))
    return selectors.calendar_sessions(
        filters=selectors.CalendarFilters(
            date_from=filters.date_from,
            date_to=filters.date_to,
            kind=filters.kind.value if filters.kind else None,
            industry=filters.industry,
            okrug=filters.okrug.value if filters.okrug else None,
            age=filters.age,
            step_free=filters.step_free,
            places_left=filters.places_left,
        )
    )


@router.get(
    "/tourism/sessions/{id}",
    response={200: SessionOut, **ONE_ERRORS},
    summary="Сеанс",
    operation_id="tourism_session_read",
)
def session_read(request: HttpRequest, id: ObjectId):
    only_known_query(request, set())
    return selectors.session_for_booking(pk=id)


# --- Bookings -------------------------------------------------------------------------------


# The booking's token check reads the session too, in the same statement (a rush attempt is
# then two statements, or one when the session is already full).
booking_auth = TokenAuth(reading=selectors.SESSION_FOR_BOOKING)


@router.post(
    "/tourism/sessions/{id}/bookings",
    auth=booking_auth,
    response={201: BookingOut, **WRITE_ERRORS, 429: ErrorOut},
    summary="Записаться на сеанс",
    description=(
        "Места — по числу участников. Отказы: registration_not_open, deadline_passed, "
        "sold_out (можно встать в лист ожидания), quota_exceeded, already_booked, "
        "too_many_places, age_restricted, identification_required, no_show_limited, "
        "email_not_confirmed, session_cancelled. С заголовком Idempotency-Key повтор "
        "запроса вернёт ту же запись. Слишком частые попытки — 429 rate_limited с "
        "заголовком Retry-After (секунды до следующей попытки)."
    ),
    operation_id="tourism_booking_create",
)
@api_rate_limit("booking")
def booking_create_endpoint(
    request: HttpRequest,
    id: ObjectId,
    payload: BookingIn,
    idempotency_key: IdempotencyKey = None,
):
    session = selectors.session_for_booking(
        pk=id, found=read_along(request, selectors.SESSION_FOR_BOOKING, id)
    )
    booking = booking_create(
        user=api_user(request),
        session=session,
        participants=_participants(payload.participants),
        idempotency_key=idempotency_key,
    )
    return Status(201, _created_booking_out(request, booking, session))


def _created_booking_out(request: HttpRequest, booking: Booking, session) -> Booking:
    """The 201 body from the objects the request already holds (bench: the 3-join re-read of
    ``_my_booking`` was a fifth of a booking's time): the session with its relations, its
    counter as the booking's statement returned it (or re-read after the commit on the ORM
    path), and the participants."""
    if booking.session_id != session.pk:  # an idempotent retry that named another session
        return _my_booking(request, booking.pk)
    if getattr(booking, "taken_after", None) is not None:  # the statement returned it
        session.taken = booking.taken_after
    else:
        fresh = Session.objects.filter(pk=session.pk).values("taken", "status").get()
        session.taken, session.status = fresh["taken"], fresh["status"]
    booking.session = session
    if "participants" not in getattr(booking, "_prefetched_objects_cache", {}):
        prefetch_related_objects(
            [booking],
            Prefetch("participants", queryset=Participant.objects.order_by("position", "id")),
        )
    return booking


@router.get(
    "/tourism/bookings",
    auth=token_auth,
    response={200: list[BookingOut], **PERSONAL_ERRORS},
    summary="Мои записи",
    description="Записи владельца токена, новые первыми, вместе с отменёнными.",
    operation_id="tourism_booking_list",
)
@paginate(Pagination)
def booking_list(request: HttpRequest) -> QuerySet[Booking]:
    only_known_query(request, PAGE_PARAMS)
    return _bookings().filter(user=api_user(request)).order_by("-created_at", "-id")


@router.get(
    "/tourism/bookings/{id}",
    auth=token_auth,
    response={200: BookingOut, 404: ErrorOut, **PERSONAL_ERRORS},
    summary="Моя запись",
    operation_id="tourism_booking_read",
)
def booking_read(request: HttpRequest, id: ObjectId):
    only_known_query(request, set())
    return _my_booking(request, id)


@router.post(
    "/tourism/bookings/{id}/cancel",
    auth=token_auth,
    response={200: BookingOut, **WRITE_ERRORS},
    summary="Отменить запись",
    description="Места освобождаются сразу. Повторная отмена ничего не меняет.",
    operation_id="tourism_booking_cancel",
)
def booking_cancel_endpoint(request: HttpRequest, id: ObjectId):
    booking = _my_booking(request, id)
    booking_cancel(booking=booking, actor=api_user(request))
    return Status(200, _my_booking(request, id))


# --- Waitlist -------------------------------------------------------------------------------


@router.get(
    "/tourism/waitlist",
    auth=token_auth,
    response={200: list[WaitlistEntryOut], **PERSONAL_ERRORS},
    summary="Мои места в листах ожидания",
    description="Открытые: в очереди (waiting) и с предложением мест (offered).",
    operation_id="tourism_waitlist_list",
)
@paginate(Pagination)
def waitlist_list(request: HttpRequest) -> QuerySet[WaitlistEntry]:
    only_known_query(request, PAGE_PARAMS)
    return selectors.waitlist_open_entries(user=api_user(request)).select_related(
        "session__experience__site"
    )


@router.post(
    "/tourism/sessions/{id}/waitlist",
    auth=token_auth,
    response={201: WaitlistEntryOut, **WRITE_ERRORS},
    summary="Встать в лист ожидания",
    description=(
        "Только когда мест нет (иначе places_available). Когда места освободятся, первый "
        "в очереди, кому их хватит, получит предложение по почте."
    ),
    operation_id="tourism_waitlist_join",
)
def waitlist_join_endpoint(request: HttpRequest, id: ObjectId, payload: WaitlistJoinIn):
    session = selectors.session_for_booking(pk=id)
    entry = waitlist_join(user=api_user(request), session=session, places=payload.places)
    return Status(201, _entry_out(entry))


@router.post(
    "/tourism/waitlist/{id}/leave",
    auth=token_auth,
    response={200: WaitlistEntryOut, **WRITE_ERRORS},
    summary="Покинуть лист ожидания",
    description="Предложенные, но не принятые места передаются следующему.",
    operation_id="tourism_waitlist_leave",
)
def waitlist_leave_endpoint(request: HttpRequest, id: ObjectId):
    entry = _my_entry(request, id)
    waitlist_leave(entry=entry, actor=api_user(request))
    return Status(200, _entry_out(entry))


@router.post(
    "/tourism/waitlist/{id}/accept",
    auth=token_auth,
    response={201: BookingOut, **WRITE_ERRORS},
    summary="Принять предложенные места",
    description=(
        "Участников — не больше предложенных мест; правила — как у записи. "
        "Истёкшее предложение — offer_expired."
    ),
    operation_id="tourism_waitlist_accept",
)
def waitlist_accept_endpoint(request: HttpRequest, id: ObjectId, payload: BookingIn):
    entry = _my_entry(request, id)
    booking = waitlist_accept(entry=entry, participants=_participants(payload.participants))
    return Status(201, _my_booking(request, booking.pk))


@router.post(
    "/tourism/waitlist/{id}/decline",
    auth=token_auth,
    response={200: WaitlistEntryOut, **WRITE_ERRORS},
    summary="Отказаться от предложенных мест",
    operation_id="tourism_waitlist_decline",
)
def waitlist_decline_endpoint(request: HttpRequest, id: ObjectId):
    entry = _my_entry(request, id)
    waitlist_decline(entry=entry)
    return Status(200, _entry_out(entry))


# --- Hosts ----------------------------------------------------------------------------------


@router.get(
    "/tourism/host/sessions/{id}/attendees",
    auth=token_auth,
    response={200: list[AttendeeOut], 403: ErrorOut, 404: ErrorOut, **PERSONAL_ERRORS},
    summary="Участники сеанса (представители предприятия и организаторы)",
    description="Подтверждённые записи в порядке записи; паспорта — только маской.",
    operation_id="tourism_host_attendees",
)
@paginate(Pagination)
def host_attendees(request: HttpRequest, id: ObjectId) -> QuerySet[Booking]:
    only_known_query(request, PAGE_PARAMS)
    session = selectors_host.host_session_get(viewer=api_user(request), pk=id)
    return selectors_host.session_attendees(viewer=api_user(request), session=session)


@router.post(
    "/tourism/host/sessions/{id}/checkin",
    auth=token_auth,
    response={200: CheckinOut, **WRITE_ERRORS},
    summary="Отметить билет на входе",
    description=(
        "code — содержимое QR-кода или код билета. Ответ 200 с result: valid (вход "
        "отмечен), already_used, wrong_session, cancelled, unknown."
    ),
    operation_id="tourism_host_checkin",
)
def host_checkin(request: HttpRequest, id: ObjectId, payload: CheckinIn):
    session = selectors_host.host_session_get(viewer=api_user(request), pk=id)
    result = checkin(token_or_code=payload.code, session=session, actor=api_user(request))
    booking = result.booking
    return {
        "result": result.kind.value,
        "message": result.message,
        "code": booking.code if booking is not None else None,
        "places": booking.places if booking is not None else None,
        # Names only for this session's own tickets: a host may not read other sessions' lists.
        "participants": (
            list(booking.participants.values_list("full_name", flat=True))
            if booking is not None and booking.session_id == session.pk
            else []
        ),
        "checked_in_at": booking.checked_in_at if booking is not None else None,
    }
