"""The organisers' export back office (/export/manage/…): events with their call, criteria,
rates and required documents; an event's applications ranked by weighted score; one
application with its scoring, the organiser's moves and documents; the outcome reports of an
event with who has not reported and a reminder.

Organisers and administrators only (``organiser_required``); every read checks the role again
(``selectors.event_for_staff``). Writes: the event through ``forms.EventEditor`` (one
transaction, ``update_fields`` so the places counter is never written back stale), the rest
through ``export.applications`` / ``export.participation``; refusals on the same form.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mosprom.accounts.decorators import organiser_required
from mosprom.export import applications, participation, selectors, tasks
from mosprom.export import figures as export_stats
from mosprom.export import selectors_pages as pages
from mosprom.export.forms import CommentForm
from mosprom.export.forms_manage import EventEditor, StatusFilterForm, score_form, scores_typed
from mosprom.export.models import Application, ApplicationStatus, ExportEvent
from mosprom.export.views_company import documents_state
from mosprom.tourism.errors import TourismError

PER_PAGE = 25
S = ApplicationStatus

# The organiser's moves: target state → (button, question on the confirmation page).
ORGANISER_MOVES = {
    S.IN_REVIEW: (
        gettext_lazy("Взять на рассмотрение"),
        gettext_lazy("Начать рассмотрение? Компания больше не сможет менять заявку."),
    ),
    S.ACCEPTED: (
        gettext_lazy("Одобрить"),
        gettext_lazy("Одобрить заявку? За компанией закрепится одно из мест."),
    ),
    S.WAITLISTED: (
        pgettext_lazy("решение организатора по заявке", "В лист ожидания"),
        gettext_lazy("Поставить заявку в лист ожидания? Она получит место, если оно освободится."),
    ),
    S.REJECTED: (
        gettext_lazy("Отклонить"),
        gettext_lazy(
            "Отклонить заявку? Компания получит письмо с комментарием; вернуть заявку будет нельзя."
        ),
    ),
    S.PARTICIPATED: (
        gettext_lazy("Отметить участие"),
        gettext_lazy("Отметить, что компания участвовала? После этого она сдаёт отчёт об итогах."),
    ),
}
# Moves confirmed on a page of their own (the rest go straight from the application page).
CONFIRM_FIRST = {S.REJECTED}


def organiser_moves(application: Application) -> list[dict]:
    return [
        {"to": to, "label": ORGANISER_MOVES[to][0], "confirm": to in CONFIRM_FIRST}
        for (source, to), side in applications.TRANSITIONS.items()
        if source == application.status and side == applications.ORGANISER
    ]


# --- Events -------------------------------------------------------------------------------


@organiser_required
@require_safe
def events(request: HttpRequest) -> HttpResponse:
    page = Paginator(pages.events_for_staff(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "export/manage/events.html", {"page_obj": page})


def _event_form_page(request: HttpRequest, editor: EventEditor, event) -> HttpResponse:
    return render(
        request,
        "export/manage/event_form.html",
        {
            "event": event,
            "editor": editor,
            "form": editor.form,
            "call_form": editor.call_form,
            "criteria": editor.criteria,
            "rates": editor.rates,
        },
    )


def _save_event(request: HttpRequest, editor: EventEditor) -> ExportEvent | None:
    try:
        event = editor.save()
    except IntegrityError:
        # An application took a place between the check and the write (taken <= places).
        editor.form.add_error(
            "places", _("Одобренных заявок уже больше, чем это число мест. Обновите страницу.")
        )
        return None
    # The reminders to file outcome reports follow the event's (possibly new) end date.
    tasks.report_reminders_schedule(event)
    return event


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    editor = EventEditor(request.POST or None, event=None, call=None)
    if request.method == "POST" and editor.is_valid():
        event = _save_event(request, editor)
        if event is not None:
            messages.success(
                request, _("Мероприятие «%(title)s» создано.") % {"title": event.title}
            )
            return redirect("export:manage_applications", pk=event.pk)
    return _event_form_page(request, editor, None)


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_staff(user=request.user, pk=pk)
    editor = EventEditor(request.POST or None, event=event, call=pages.call_of(event))
    if request.method == "POST" and editor.is_valid():
        saved = _save_event(request, editor)
        if saved is not None:
            messages.success(request, _("Изменения сохранены."))
            return redirect("export:manage_applications", pk=saved.pk)
        event = selectors.event_for_staff(user=request.user, pk=pk)
    return _event_form_page(request, editor, event)


# --- Applications: the ranking and one application ----------------------------------------


@organiser_required
@require_safe
def application_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's applications, best weighted score first, filtered by state."""
    event = selectors.event_for_staff(user=request.user, pk=pk)
    form = StatusFilterForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    if not status:
        rows = applications.ranking(event)
    elif status in applications.RANKED:
        rows = [row for row in applications.ranking(event) if row[0].status == status]
    else:
        found = pages.event_applications(user=request.user, event=event, status=status)
        rows = [(application, applications.weighted_score(application)) for application in found]
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "export/manage/applications.html",
        {
            "event": event,
            "form": form,
            "status": status,
            "page_obj": page,
            "criteria": pages.event_criteria(event),
            "counts": pages.status_counts(event),
        },
    )


def _application_page(request: HttpRequest, application: Application, **extra) -> HttpResponse:
    criteria = pages.event_criteria(application.event)
    scores = pages.application_scores(application)
    required, others = documents_state(application)
    context = {
        "application": application,
        "event": application.event,
        "criteria": criteria,
        "score_form": score_form(criteria, scores),
        "scorable": application.status in applications.SCORABLE and bool(criteria),
        "weighted": _weighted(criteria, scores),
        "moves": organiser_moves(application),
        "comment_form": CommentForm(),
        "required": required,
        "others": others,
        "history": list(application.transitions.all()),
        "report": pages.outcome_of(application),
    }
    context.update(extra)
    return render(request, "export/manage/application.html", context)


def _weighted(criteria, scores: dict[int, int]) -> float | None:
    """The same figure as ``applications.weighted_score`` from what the page already read."""
    total = sum(c.weight for c in criteria)
    if not scores or not total:
        return None
    earned = sum(c.weight * scores[c.pk] / c.max_score for c in criteria if c.pk in scores)
    return round(earned / total * 100, 2)


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The application as the organiser sees it; POST scores it against the criteria."""
    application = selectors.application_for(user=request.user, pk=pk)
    if request.method == "POST":
        criteria = pages.event_criteria(application.event)
        form = score_form(criteria, {}, data=request.POST)
        if form.is_valid():
            try:
                applications.application_score(
                    application=application,
                    actor=request.user,
                    scores=scores_typed(form, criteria),
                )
            except TourismError as error:
                form.add_error(None, error.text)
            else:
                messages.success(request, _("Оценки сохранены."))
                return redirect("export:manage_application", pk=application.pk)
        return _application_page(request, application, score_form=form)
    return _application_page(request, application)


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def transition(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    """An organiser's move with a comment: straight from the application page, or after the
    confirmation page (rejecting always shows it first)."""
    if to not in ORGANISER_MOVES:
        raise Http404
    application = selectors.application_for(user=request.user, pk=pk)
    allowed = applications.TRANSITIONS.get((application.status, to)) == applications.ORGANISER
    form = CommentForm(request.POST if request.method == "POST" else None)
    confirmed = to not in CONFIRM_FIRST or request.POST.get("confirmed") == "1"
    if request.method == "POST" and allowed and confirmed and form.is_valid():
        try:
            applications.application_transition(
                application=application,
                actor=request.user,
                to=to,
                comment=form.cleaned_data["comment"],
            )
        except TourismError as error:
            form.add_error(None, error.text)
        else:
            messages.success(
                request,
                _("Заявка «%(company)s» теперь в состоянии «%(status)s».")
                % {"company": application.enterprise.short_name, "status": S(to).label},
            )
            return redirect("export:manage_application", pk=application.pk)
    return render(
        request,
        "export/manage/transition.html",
        {
            "application": application,
            "event": application.event,
            "to": to,
            "target_label": S(to).label,
            "button": ORGANISER_MOVES[to][0],
            "question": ORGANISER_MOVES[to][1],
            "allowed": allowed,
            "form": form,
        },
    )


# --- Outcome reports ----------------------------------------------------------------------


@organiser_required
@never_cache
@require_safe
def reports(request: HttpRequest, pk: int) -> HttpResponse:
    """Who reported what, the totals in roubles, and who has not reported yet."""
    event = selectors.event_for_staff(user=request.user, pk=pk)
    figures = export_stats.event_figures(event)
    missing = participation.reports_missing(event)
    counts = pages.contract_counts([row.report.pk for row in figures.participants if row.report])
    rows = [
        {
            "application": row.application,
            "enterprise": row.enterprise,
            "report": row.report,
            "contracts": counts.get(row.report.pk, 0) if row.report else 0,
        }
        for row in figures.participants
    ]
    return render(
        request,
        "export/manage/reports.html",
        {
            "event": event,
            "figures": figures,
            "rows": Paginator(rows, PER_PAGE).get_page(request.GET.get("page")),
            "missing": missing,
            "over": event.is_over,
            "expected_export_rub": sum(
                (row.report.expected_export_rub for row in figures.participants if row.report),
                start=0,
            ),
        },
    )


@organiser_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the reminder to every participant without a report (a deferred task)."""
    event = selectors.event_for_staff(user=request.user, pk=pk)
    missing = participation.reports_missing(event)
    if not missing:
        messages.info(request, _("Все участники уже сдали отчёты — напоминать некому."))
        return redirect("export:manage_reports", pk=event.pk)
    tasks.report_reminder_send(event)
    messages.success(
        request,
        _("Напоминание отправится компаниям без отчёта: %(count)s.") % {"count": len(missing)},
    )
    return redirect("export:manage_reports", pk=event.pk)
