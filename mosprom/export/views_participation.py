"""A company's participation (/export/my/…): the preparation checklist, the B2B meeting
schedule, the outcome report after the event (with its contracts), and the yearly fair vote.

As in ``views_company``: objects through scoped selectors (Http404 for another company's),
writes through ``export.participation``, refusals on the same form with what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mosprom.accounts.decorators import host_required
from mosprom.core import clock
from mosprom.export import participation, selectors
from mosprom.export import selectors_pages as pages
from mosprom.export import votes as fair_votes
from mosprom.export.forms import (
    ChecklistForm,
    ContractFormSet,
    MeetingForm,
    OutcomeForm,
    VoteForm,
    contracts_of,
)
from mosprom.export.models import HOLDS_PLACE
from mosprom.registry.models import Enterprise
from mosprom.tourism.errors import TourismError

MEETINGS_PER_PAGE = 20
CANDIDATES_PER_PAGE = 30


# --- Checklist ----------------------------------------------------------------------------


@host_required
@never_cache
@require_http_methods(["GET", "POST"])
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick boxes for stand, shipping, visa letter, travel once the application holds a place."""
    application = selectors.application_for(user=request.user, pk=pk)
    active = application.status in HOLDS_PLACE
    items = []
    if active:
        items = participation.checklist_ensure(application=application, actor=request.user)
    else:
        items = pages.checklist_of(application)
    for item in items:
        item.application = application
    form = ChecklistForm(request.POST if request.method == "POST" else None, items=items)
    if request.method == "POST" and active and form.is_valid():
        try:
            with transaction.atomic():
                for item, done, note in form.changed_items():
                    participation.checklist_mark(
                        item=item, actor=request.user, done=done, note=note
                    )
        except TourismError as error:
            form.add_error(None, error.text)
        else:
            messages.success(request, _("Подготовка к участию сохранена."))
            return redirect("export:my_checklist", pk=application.pk)
    return render(
        request,
        "export/company/checklist.html",
        {
            "application": application,
            "event": application.event,
            "form": form,
            "active": active,
            "done": sum(1 for item in items if item.done),
        },
    )


# --- B2B meetings -------------------------------------------------------------------------


@host_required
@never_cache
@require_http_methods(["GET", "POST"])
def meetings(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(user=request.user, pk=pk)
    active = application.status in HOLDS_PLACE
    form = MeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and active and form.is_valid():
        try:
            meeting = participation.meeting_save(
                application=application, actor=request.user, **form.cleaned_data
            )
        except TourismError as error:
            form.add_error(None, error.text)
        else:
            messages.success(
                request, _("Встреча с «%(name)s» добавлена.") % {"name": meeting.counterpart}
            )
            return redirect("export:my_meetings", pk=application.pk)
    page = Paginator(pages.meetings_of(application), MEETINGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "export/company/meetings.html",
        {
            "application": application,
            "event": application.event,
            "form": form,
            "active": active,
            "page_obj": page,
        },
    )


@host_required
@never_cache
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = pages.meeting_for(user=request.user, pk=pk)
    application = meeting.application
    active = application.status in HOLDS_PLACE
    if request.method == "POST" and active:
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                participation.meeting_save(
                    application=application,
                    actor=request.user,
                    meeting=meeting,
                    **form.cleaned_data,
                )
            except TourismError as error:
                form.add_error(None, error.text)
            else:
                messages.success(request, _("Встреча сохранена."))
                return redirect("export:my_meetings", pk=application.pk)
    else:
        form = MeetingForm(initial=MeetingForm.initial_for(meeting))
    return render(
        request,
        "export/company/meeting_edit.html",
        {
            "application": application,
            "event": application.event,
            "meeting": meeting,
            "form": form,
            "active": active,
        },
    )


# --- The outcome report -------------------------------------------------------------------


def _currencies(application, report) -> list[str]:
    """RUB, the event's rated currencies and any a filed contract already uses."""
    rated = sorted(rate.currency.upper() for rate in application.event.rates.all())
    used = sorted({c.currency for c in report.contracts.all()}) if report else []
    return list(dict.fromkeys(["RUB", *rated, *used]))


@host_required
@never_cache
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """Meetings, agreements, expected export, contracts and an optional quote, after the
    event; filing again replaces the report."""
    application = selectors.application_for(user=request.user, pk=pk)
    due = participation.report_due(application)
    filed = pages.report_of(application)
    currencies = _currencies(application, filed)
    kwargs = {"prefix": "contracts", "form_kwargs": {"currencies": currencies}}
    if request.method == "POST" and due:
        form = OutcomeForm(request.POST)
        contracts = ContractFormSet(request.POST, **kwargs)
        if form.is_valid() and contracts.is_valid():
            data = form.cleaned_data
            try:
                participation.outcome_submit(
                    application=application,
                    actor=request.user,
                    meetings_held=data["meetings_held"],
                    agreements=data["agreements"],
                    expected_export_rub=data["expected_export_rub"],
                    contracts=contracts_of(contracts),
                    quote=data["quote"],
                    quote_author=data["quote_author"],
                )
            except TourismError as error:
                form.add_error(None, error.text)
            else:
                messages.success(request, _("Отчёт об итогах участия сохранён. Спасибо!"))
                return redirect("export:my_application", pk=application.pk)
    else:
        initial = {}
        contract_rows = []
        if filed is not None:
            initial = {
                name: getattr(filed, name)
                for name in (
                    "meetings_held",
                    "agreements",
                    "expected_export_rub",
                    "quote",
                    "quote_author",
                )
            }
            contract_rows = [
                {
                    "counterpart": c.counterpart,
                    "country": c.country,
                    "value": c.value,
                    "currency": c.currency,
                    "signed_on": c.signed_on,
                }
                for c in filed.contracts.all()
            ]
        form = OutcomeForm(initial=initial or None)
        contracts = ContractFormSet(initial=contract_rows, **kwargs)
    return render(
        request,
        "export/company/report.html",
        {
            "application": application,
            "event": application.event,
            "due": due,
            "filed": filed,
            "form": form,
            "contracts": contracts,
            "currencies": currencies,
        },
    )


# --- The fair vote ------------------------------------------------------------------------


def _voting_enterprise(request: HttpRequest, choices) -> Enterprise | None:
    """The enterprise the page votes for: ``enterprise`` from the query or form among
    ``choices``; a host's first by default; organisers pick one by its INN."""
    raw = request.POST.get("enterprise") or request.GET.get("enterprise")
    if raw and raw.isdigit():
        found = choices.filter(pk=int(raw)).first()
        if found is not None:
            return found
    if selectors.is_staff(request.user):
        inn = request.GET.get("inn", "").strip()
        return choices.filter(inn=inn).first() if inn else None
    return choices.first()


@host_required
@never_cache
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's candidates with a vote / withdraw button each and the votes left."""
    vote_round = selectors.vote_round(pk=pk)
    choices = pages.my_enterprises(request.user)
    enterprise = _voting_enterprise(request, choices)
    if request.method == "POST" and enterprise is not None:
        form = VoteForm(request.POST)
        if form.is_valid():
            candidate_id = form.cleaned_data["candidate"]
            try:
                if form.cleaned_data["action"] == "cast":
                    fair_votes.vote_cast(
                        round=vote_round,
                        candidate_id=candidate_id,
                        enterprise=enterprise,
                        actor=request.user,
                    )
                    messages.success(request, _("Голос учтён."))
                else:
                    found = pages.vote_by(
                        user=request.user, enterprise=enterprise, candidate_id=candidate_id
                    )
                    fair_votes.vote_withdraw(vote=found, actor=request.user)
                    messages.success(request, _("Голос отозван."))
            except TourismError as error:
                messages.error(request, error.text)
        else:
            messages.error(request, _("Выберите выставку из списка."))
        url = request.path + f"?enterprise={enterprise.pk}"
        return redirect(url)
    now = clock.now()
    ballot = fair_votes.ballot_of(round=vote_round, enterprise=enterprise) if enterprise else None
    candidates = Paginator(pages.vote_candidates(vote_round), CANDIDATES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    is_staff = selectors.is_staff(request.user)
    return render(
        request,
        "export/company/vote.html",
        {
            "round": vote_round,
            "enterprise": enterprise,
            "enterprises": [] if is_staff else list(choices[:50]),
            "is_staff": is_staff,
            "ballot": ballot,
            "candidates": candidates,
            "is_open": vote_round.opens_at <= now < vote_round.closes_at,
        },
    )
