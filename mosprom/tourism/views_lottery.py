"""Lottery pages: apply for a lottery session (with named companions), my applications,
withdraw one, and the public result of a draw (seed, order, masked names).

Views parse the request, call one service (``tourism.lottery``) and render; a refusal is shown
in Russian on the same form with what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from mosprom.core.ratelimit import rate_limit
from mosprom.tourism import lottery as lottery_services
from mosprom.tourism import selectors, selectors_lottery
from mosprom.tourism.errors import TourismError
from mosprom.tourism.forms import participant_formset
from mosprom.tourism.models import IdRequirement, LotteryStatus
from mosprom.tourism.views_public import _first_participant, _participants_data

APPLICATIONS_PER_PAGE = 20
RESULT_PER_PAGE = 100


@never_cache
@login_required
@rate_limit("lottery_apply")
@require_http_methods(["GET", "POST"])
def lottery_apply(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_booking(pk=pk)
    experience = session.experience
    if not session.is_lottery:
        return redirect("tourism:book", pk=session.pk)
    existing = selectors_lottery.lottery_active_application(user=request.user, session=session)
    FormSet = participant_formset(places=experience.max_places_per_booking)
    refusal: TourismError | None = None
    if request.method == "POST" and existing is None:
        formset = FormSet(request.POST, prefix="p", form_kwargs={"experience": experience})
        if formset.is_valid():
            try:
                lottery_services.lottery_apply(
                    user=request.user, session=session, participants=_participants_data(formset)
                )
            except TourismError as error:
                refusal = error
            else:
                messages.success(
                    request,
                    _("Заявка принята. Итоги розыгрыша придут на почту после закрытия приёма."),
                )
                return redirect("tourism:lottery_apply", pk=session.pk)
    else:
        formset = FormSet(
            prefix="p",
            initial=[_first_participant(request.user)],
            form_kwargs={"experience": experience},
        )
    return render(
        request,
        "tourism/lottery/apply.html",
        {
            "session": session,
            "experience": experience,
            "existing": existing,
            "formset": formset,
            "refusal": refusal,
            "places": experience.max_places_per_booking,
            "closes_at": lottery_services.lottery_closes_at(session),
            "passport_required": experience.id_requirement == IdRequirement.PASSPORT,
            "email_confirmed": request.user.email_confirmed,
        },
    )


@never_cache
@login_required
@require_safe
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = selectors_lottery.lottery_applications_of_user(user=request.user)
    page = Paginator(applications, APPLICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "tourism/lottery/my_applications.html", {"page": page})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def lottery_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors_lottery.lottery_application_of_user(user=request.user, pk=pk)
    if application.status != LotteryStatus.APPLIED:
        messages.info(request, _("Эту заявку уже нельзя отозвать."))
        return redirect("tourism:my_lottery_applications")
    if request.method == "POST":
        try:
            lottery_services.lottery_withdraw(application=application, actor=request.user)
        except TourismError as error:
            messages.error(request, error.text)
        else:
            messages.success(request, _("Заявка отозвана."))
        return redirect("tourism:my_lottery_applications")
    session = application.session
    return render(
        request,
        "tourism/lottery/withdraw.html",
        {"application": application, "session": session, "experience": session.experience},
    )


@require_safe
def lottery_result(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_booking(pk=pk)
    draw, rows = lottery_services.lottery_result(session=session)
    page = Paginator(rows, RESULT_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "tourism/lottery/result.html",
        {
            "session": session,
            "experience": session.experience,
            "draw": draw,
            "page": page,
            "won": len(draw.result.get("won", [])) if draw else 0,
            "closes_at": lottery_services.lottery_closes_at(session),
        },
    )
