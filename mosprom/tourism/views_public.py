"""Public tourism pages: the calendar, an experience, booking, my tickets, cancelling, the
waitlist and feedback.

Views parse the request, call one service (tourism.booking, tourism.waitlist) and render; a
service's refusal (``TourismError``) is shown in Russian on the same form, with what was
typed. Every page works without JavaScript; htmx only refreshes the calendar's results.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from mosprom.core.ratelimit import rate_limit
from mosprom.tourism import booking as booking_services
from mosprom.tourism import feedback as feedback_services
from mosprom.tourism import selectors
from mosprom.tourism import waitlist as waitlist_services
from mosprom.tourism.errors import (
    AlreadyBooked,
    AlreadyWaiting,
    NotFull,
    SoldOut,
    TourismError,
)
from mosprom.tourism.forms import (
    CalendarFilterForm,
    FeedbackForm,
    IdempotencyForm,
    WaitlistJoinForm,
    participant_formset,
)
from mosprom.tourism.models import Experience, ExperienceKind, IdRequirement, WaitlistStatus
from mosprom.tourism.tickets import ticket_qr_svg

CALENDAR_PER_PAGE = 30
SESSIONS_PER_PAGE = 20
HISTORY_PER_PAGE = 20


# --- Calendar and experience ----------------------------------------------------------------


@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    form = CalendarFilterForm(request.GET or None, industries=selectors.calendar_industries())
    filters = form.filters()
    paginator = Paginator(selectors.calendar_sessions(filters=filters), CALENDAR_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    cards = selectors.session_cards(sessions=page.object_list, user=request.user)
    context = {
        "form": form,
        "page": page,
        "days": selectors.group_by_day(cards),
        "count": paginator.count,
        "filtering": filters.any(),
        "filters_open": filters.any() or bool(form.errors),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        response = render(
            request, "tourism/public/_calendar_results.html", {**context, "oob": True}
        )
    else:
        response = render(request, "tourism/public/calendar.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _has_online_tour(experience: Experience) -> bool:
    """Whether the media app holds the video of this online tour (reverse one-to-one, read
    without importing media: tourism does not depend on it)."""
    try:
        experience.online_tour  # noqa: B018
    except ObjectDoesNotExist:
        return False
    return True


@require_safe
def experience_detail(request: HttpRequest, pk: int) -> HttpResponse:
    experience = selectors.experience_for_visitor(user=request.user, pk=pk)
    if experience.kind == ExperienceKind.ONLINE_TOUR and _has_online_tour(experience):
        # An online tour has a video instead of sessions: its page is the media app's.
        return redirect(reverse("media:tour_detail", args=[experience.pk]))
    paginator = Paginator(selectors.experience_sessions(experience=experience), SESSIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "tourism/public/experience_detail.html",
        {
            "experience": experience,
            "page": page,
            "cards": selectors.session_cards(sessions=page.object_list, user=request.user),
            "rating": selectors.experience_rating(experience=experience),
            "passport_required": experience.id_requirement == IdRequirement.PASSPORT,
        },
    )


# --- Booking --------------------------------------------------------------------------------


def _first_participant(user) -> dict:
    name = " ".join(part for part in (user.last_name, user.first_name) if part)
    return {"full_name": name}


def _participants_data(formset) -> list:
    return [
        booking_services.ParticipantData(
            full_name=row["full_name"],
            birth_date=row.get("birth_date"),
            passport=row.get("passport", ""),
        )
        for row in formset.participants()
    ]


@never_cache
@login_required
@rate_limit("booking")
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_booking(pk=pk)
    experience: Experience = session.experience
    existing = selectors.booking_of_user(user=request.user, session=session)
    if existing is not None:
        messages.info(request, AlreadyBooked.message)
        return redirect("tourism:ticket", code=existing.code)
    quota_left = selectors.season_places_left(user=request.user, season=session.season)
    # Every row the experience allows: places left and the quota are the service's to check
    # (the page may be old by the time it is sent), with a clear refusal.
    places = experience.max_places_per_booking
    FormSet = participant_formset(places=places)
    refusal: TourismError | None = None
    if request.method == "POST":
        key_form = IdempotencyForm(request.POST)
        formset = FormSet(request.POST, prefix="p", form_kwargs={"experience": experience})
        key = key_form.key()
        if formset.is_valid():
            try:
                booking = booking_services.booking_create(
                    user=request.user,
                    session=session,
                    participants=_participants_data(formset),
                    idempotency_key=key,
                )
            except TourismError as error:
                refusal = error
            else:
                messages.success(
                    request, _("Вы записаны. Билет — ниже, копия отправлена на почту.")
                )
                return redirect("tourism:ticket", code=booking.code)
        key_form = IdempotencyForm(initial={"idempotency_key": key})
    else:
        key_form = IdempotencyForm(initial={"idempotency_key": IdempotencyForm.new_key()})
        formset = FormSet(
            prefix="p",
            initial=[_first_participant(request.user)],
            form_kwargs={"experience": experience},
        )
    card = selectors.session_cards(sessions=[session], user=request.user)[0]
    return render(
        request,
        "tourism/public/book.html",
        {
            "session": session,
            "experience": experience,
            "card": card,
            "formset": formset,
            "key_form": key_form,
            "refusal": refusal,
            "sold_out": isinstance(refusal, SoldOut),
            "places": places,
            "quota_left": quota_left,
            "passport_required": experience.id_requirement == IdRequirement.PASSPORT,
            "email_confirmed": request.user.email_confirmed,
        },
    )


# --- My tickets -----------------------------------------------------------------------------


@never_cache
@login_required
@require_safe
def my_tickets(request: HttpRequest) -> HttpResponse:
    history = Paginator(selectors.tickets_history(user=request.user), HISTORY_PER_PAGE)
    return render(
        request,
        "tourism/public/my_tickets.html",
        {
            "upcoming": list(selectors.tickets_upcoming(user=request.user)),
            "history": history.get_page(request.GET.get("page")),
            "waiting": list(selectors.waitlist_open_entries(user=request.user)),
        },
    )


def _ticket_context(booking) -> dict:
    return {
        "booking": booking,
        "session": booking.session,
        "experience": booking.session.experience,
        "qr_svg": ticket_qr_svg(booking) if booking.is_active else "",
        "may_cancel": selectors.may_cancel(booking=booking),
        "may_rate": selectors.may_leave_feedback(booking=booking),
        "feedback": booking.feedback if selectors.has_feedback(booking) else None,
        "passport_required": booking.session.experience.id_requirement == IdRequirement.PASSPORT,
    }


@never_cache
@login_required
@require_safe
def ticket(request: HttpRequest, code: str) -> HttpResponse:
    booking = selectors.ticket_for_owner(user=request.user, code=code)
    context = _ticket_context(booking)
    if context["may_rate"]:
        context["feedback_form"] = FeedbackForm()
    return render(request, "tourism/public/ticket.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, code: str) -> HttpResponse:
    booking = selectors.ticket_for_owner(user=request.user, code=code)
    if not booking.is_active:
        messages.info(request, _("Эта запись уже отменена."))
        return redirect("tourism:ticket", code=booking.code)
    if request.method == "POST":
        try:
            booking_services.booking_cancel(booking=booking, actor=request.user)
        except TourismError as error:
            messages.error(request, error.text)
        else:
            messages.success(request, _("Запись отменена, места освобождены."))
        return redirect("tourism:ticket", code=booking.code)
    return render(
        request,
        "tourism/public/booking_cancel.html",
        {
            "booking": booking,
            "session": booking.session,
            "experience": booking.session.experience,
            "may_cancel": selectors.may_cancel(booking=booking),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, code: str) -> HttpResponse:
    booking = selectors.ticket_for_owner(user=request.user, code=code)
    if not selectors.may_leave_feedback(booking=booking):
        if selectors.has_feedback(booking):
            messages.info(request, _("Вы уже оценили это мероприятие. Спасибо!"))
        else:
            messages.info(request, _("Оценить мероприятие можно после того, как вы его посетили."))
        return redirect("tourism:ticket", code=booking.code)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_services.feedback_leave(
                booking=booking,
                user=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except TourismError as error:
            form.add_error(None, error.text)
        else:
            messages.success(request, _("Спасибо за отзыв!"))
            return redirect("tourism:ticket", code=booking.code)
    return render(
        request,
        "tourism/public/feedback.html",
        {"booking": booking, "experience": booking.session.experience, "form": form},
    )


# --- Waitlist -------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def waitlist_join(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_booking(pk=pk)
    card = selectors.session_cards(sessions=[session], user=request.user)[0]
    if card.booking_code:
        messages.info(request, AlreadyBooked.message)
        return redirect("tourism:ticket", code=card.booking_code)
    if card.waitlist_entry is not None:
        messages.info(request, AlreadyWaiting.message)
        return redirect("tourism:my_tickets")
    form = WaitlistJoinForm(
        request.POST or None, max_places=session.experience.max_places_per_booking
    )
    if request.method == "POST" and form.is_valid():
        try:
            waitlist_services.waitlist_join(
                user=request.user, session=session, places=form.cleaned_data["places"]
            )
        except NotFull as error:
            messages.info(request, error.text)
            return redirect("tourism:book", pk=session.pk)
        except TourismError as error:
            form.add_error(None, error.text)
        else:
            messages.success(
                request,
                _(
                    "Вы в листе ожидания. Когда места освободятся, пришлём письмо — "
                    "на ответ будет %(hours)s ч."
                )
                % {"hours": session.season.offer_hours},
            )
            return redirect("tourism:my_tickets")
    return render(
        request,
        "tourism/public/waitlist_join.html",
        {"session": session, "experience": session.experience, "card": card, "form": form},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def waitlist_leave(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.waitlist_entry_of_user(user=request.user, pk=pk)
    if entry.status not in selectors.OPEN_WAITLIST:
        messages.info(request, _("Вас уже нет в этом листе ожидания."))
        return redirect("tourism:my_tickets")
    if request.method == "POST":
        try:
            waitlist_services.waitlist_leave(entry=entry, actor=request.user)
        except TourismError as error:
            messages.error(request, error.text)
        else:
            messages.success(request, _("Вы покинули лист ожидания."))
        return redirect("tourism:my_tickets")
    return render(
        request,
        "tourism/public/waitlist_leave.html",
        {"entry": entry, "session": entry.session, "experience": entry.session.experience},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def waitlist_offer(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.waitlist_entry_of_user(user=request.user, pk=pk)
    session = entry.session
    experience = session.experience
    if entry.status == WaitlistStatus.ACCEPTED and entry.booking_id:
        return redirect("tourism:ticket", code=entry.booking.code)
    offer_open = selectors.waitlist_offer_is_open(entry=entry)
    FormSet = participant_formset(places=entry.places)
    formset = FormSet(
        prefix="p",
        initial=[_first_participant(request.user)],
        form_kwargs={"experience": experience},
    )
    refusal: TourismError | None = None
    if request.method == "POST" and offer_open:
        if request.POST.get("action") == "decline":
            try:
                waitlist_services.waitlist_decline(entry=entry)
            except TourismError as error:
                messages.error(request, error.text)
            else:
                messages.success(request, _("Вы отказались от мест; они переданы следующему."))
            return redirect("tourism:my_tickets")
        formset = FormSet(request.POST, prefix="p", form_kwargs={"experience": experience})
        if formset.is_valid():
            try:
                booking = waitlist_services.waitlist_accept(
                    entry=entry, participants=_participants_data(formset)
                )
            except TourismError as error:
                refusal = error
            else:
                messages.success(
                    request, _("Вы записаны. Билет — ниже, копия отправлена на почту.")
                )
                return redirect("tourism:ticket", code=booking.code)
    return render(
        request,
        "tourism/public/waitlist_offer.html",
        {
            "entry": entry,
            "session": session,
            "experience": experience,
            "offer_open": offer_open,
            "formset": formset,
            "refusal": refusal,
            "passport_required": experience.id_requirement == IdRequirement.PASSPORT,
        },
    )
