"""A company's applications (/export/my/…): the list, applying to an event, editing a draft,
PDF documents (upload, removal, download), and the company's moves — submit, confirm,
withdraw — each after a confirmation step.

Hosts act for the enterprises they are members of, organisers for any (``host_required`` lets
both in). Every object is reached through a selector that returns only what the user may see
(Http404 for another company's application or document); the services in
``export.applications`` write and refuse with an ``ExportError`` shown on the same form.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mosprom.accounts.decorators import host_required
from mosprom.core import clock
from mosprom.export import applications, participation, selectors
from mosprom.export import selectors_pages as pages
from mosprom.export.forms import ApplicationForm, CommentForm, DocumentForm
from mosprom.export.models import HOLDS_PLACE, Application, ApplicationStatus, private_storage
from mosprom.export.views_public import call_state
from mosprom.registry.models import Enterprise
from mosprom.tourism.errors import TourismError

PER_PAGE = 20
S = ApplicationStatus

# The company's moves: target state → (button, question on the confirmation page).
COMPANY_MOVES = {
    S.SUBMITTED: (
        gettext_lazy("Отправить заявку"),
        gettext_lazy(
            "Отправить заявку организаторам? Пока рассмотрение не началось, "
            "её и документы можно будет изменить."
        ),
    ),
    S.CONFIRMED: (
        gettext_lazy("Подтвердить участие"),
        gettext_lazy(
            "Подтвердить участие в мероприятии? Организаторы начнут готовить стенд и поездку."
        ),
    ),
    S.WITHDRAWN: (
        gettext_lazy("Отозвать заявку"),
        gettext_lazy(
            "Отозвать заявку? Если за предприятием закреплено место, оно перейдёт "
            "следующей компании из листа ожидания. Вернуть заявку будет нельзя."
        ),
    ),
}


def company_moves(application: Application) -> list[dict]:
    return [
        {"to": to, "label": COMPANY_MOVES[to][0]}
        for (source, to), side in applications.TRANSITIONS.items()
        if source == application.status and side == applications.COMPANY
    ]


def documents_state(application: Application) -> tuple[list[dict], list]:
    """The call's required documents (each with the attached file, if any) and the rest."""
    call = pages.call_of(application.event)
    attached = list(application.documents.all())
    by_title: dict[str, list] = {}
    for document in attached:
        by_title.setdefault(_norm(document.title), []).append(document)
    required = [
        {"title": title, "documents": by_title.pop(_norm(title), [])}
        for title in (call.documents if call else [])
    ]
    others = [document for group in by_title.values() for document in group]
    return required, others


def _norm(title: str) -> str:
    return " ".join(title.split()).casefold()


def _full_name(user) -> str:
    return " ".join(part for part in (user.first_name, user.last_name) if part)


# --- The list -----------------------------------------------------------------------------


@host_required
@never_cache
@require_safe
def my_applications(request: HttpRequest) -> HttpResponse:
    page = Paginator(pages.my_applications(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    staff = selectors.is_staff(request.user)
    now = clock.now()
    return render(
        request,
        "export/company/my_applications.html",
        {
            "page_obj": page,
            "enterprises": [] if staff else list(pages.my_enterprises(request.user)[:20]),
            "is_staff": staff,
            "open_rounds": [
                r for r in selectors.vote_rounds_public()[:5] if r.opens_at <= now < r.closes_at
            ],
        },
    )


# --- Applying and editing -----------------------------------------------------------------


def _apply_form(request: HttpRequest, event, data=None) -> ApplicationForm:
    user = request.user
    if selectors.is_staff(user):
        # The whole registry: the enterprise by its INN, its products once it is known.
        inn = (data or {}).get("enterprise", "").strip() or request.GET.get("inn", "").strip()
        ids = Enterprise.objects.filter(inn=inn).values_list("pk", flat=True) if inn else []
        return ApplicationForm(
            data,
            enterprises=Enterprise.objects.all(),
            products=pages.enterprise_products(ids),
            by_inn=True,
            initial={"enterprise": inn} if inn else None,
        )
    enterprises = pages.my_enterprises(user)
    return ApplicationForm(
        data,
        enterprises=enterprises,
        products=pages.enterprise_products(enterprises.values_list("pk", flat=True)),
        initial=None if data else {"contact_name": _full_name(user), "contact_email": user.email},
    )


@host_required
@never_cache
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_public(pk=pk, user=request.user)
    staff = selectors.is_staff(request.user)
    enterprises = [] if staff else list(pages.my_enterprises(request.user))
    if not staff and len(enterprises) == 1:
        existing = pages.open_application_of(user=request.user, event=event)
        if existing is not None:
            messages.info(request, _("Заявка вашего предприятия на это мероприятие уже есть."))
            return redirect("export:my_application", pk=existing.pk)
    form = _apply_form(request, event, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            application = applications.application_create(
                user=request.user,
                event=event,
                enterprise=form.cleaned_data["enterprise"],
                **form.service_fields(),
            )
        except TourismError as error:
            form.add_error(None, error.text)
        else:
            messages.success(
                request,
                _("Черновик заявки сохранён. Приложите документы и отправьте заявку."),
            )
            return redirect("export:my_documents", pk=application.pk)
    return render(
        request,
        "export/company/apply.html",
        {
            "event": event,
            "call": pages.call_of(event),
            "state": call_state(event),
            "form": form,
            "no_enterprise": not staff and not enterprises,
            "is_staff": staff,
        },
    )


@host_required
@never_cache
@require_safe
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(user=request.user, pk=pk)
    required, others = documents_state(application)
    return render(
        request,
        "export/company/application.html",
        {
            "application": application,
            "event": application.event,
            "required": required,
            "others": others,
            "moves": company_moves(application),
            "editable": application.status in applications.EDITABLE,
            "participating": application.status in HOLDS_PLACE,
            "report_due": participation.report_due(application),
            "report": pages.outcome_of(application),
            "history": list(application.transitions.all()),
            "is_staff": selectors.is_staff(request.user),
        },
    )


@host_required
@never_cache
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(user=request.user, pk=pk)
    if application.status not in applications.EDITABLE:
        messages.error(
            request,
            _("Заявку в состоянии «%(status)s» изменить уже нельзя.")
            % {"status": application.get_status_display()},
        )
        return redirect("export:my_application", pk=application.pk)
    products = pages.enterprise_products([application.enterprise_id])
    if request.method == "POST":
        form = ApplicationForm(request.POST, products=products)
        if form.is_valid():
            try:
                applications.application_update(
                    application=application, actor=request.user, **form.service_fields()
                )
            except TourismError as error:
                form.add_error(None, error.text)
            else:
                messages.success(request, _("Заявка сохранена."))
                return redirect("export:my_application", pk=application.pk)
    else:
        form = ApplicationForm(products=products, initial=ApplicationForm.initial_for(application))
    return render(
        request,
        "export/company/application_edit.html",
        {"application": application, "event": application.event, "form": form},
    )


# --- Documents ----------------------------------------------------------------------------


@host_required
@never_cache
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(user=request.user, pk=pk)
    call = pages.call_of(application.event)
    titles = call.documents if call else []
    editable = application.status in applications.EDITABLE
    if request.method == "POST" and editable:
        form = DocumentForm(request.POST, request.FILES, required_titles=titles)
        if form.is_valid():
            try:
                document = applications.document_attach(
                    application=application,
                    actor=request.user,
                    title=form.document_title(),
                    upload=form.cleaned_data["file"],
                )
            except TourismError as error:
                form.add_error("file", error.text)
            else:
                messages.success(
                    request, _("Документ «%(title)s» приложен.") % {"title": document.title}
                )
                return redirect("export:my_documents", pk=application.pk)
    required, others = documents_state(application)
    if request.method != "POST" or not editable:
        missing = [row["title"] for row in required if not row["documents"]]
        form = DocumentForm(
            required_titles=titles, initial={"title": missing[0]} if missing else None
        )
    return render(
        request,
        "export/company/documents.html",
        {
            "application": application,
            "event": application.event,
            "form": form,
            "required": required,
            "others": others,
            "editable": editable,
            "max_mb": applications.MAX_DOCUMENT_BYTES // (1024 * 1024),
        },
    )


@host_required
@require_POST
def document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document = pages.document_for(user=request.user, pk=pk)
    try:
        applications.document_remove(document=document, actor=request.user)
    except TourismError as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("Документ «%(title)s» удалён.") % {"title": document.title})
    return redirect("export:my_documents", pk=document.application_id)


def _download_name(title: str) -> str:
    name = re.sub(r"[^\w\- ]+", "", title, flags=re.UNICODE).strip()[:80] or "document"
    return f"{name}.pdf"


@host_required
@never_cache
@require_safe
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF, only to the company's hosts and organisers, as an attachment that the
    browser must not sniff into anything else."""
    document = pages.document_for(user=request.user, pk=pk)
    try:
        handle = private_storage().open(document.file.name, "rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=_download_name(document.title),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- The company's moves ------------------------------------------------------------------


@host_required
@never_cache
@require_http_methods(["GET", "POST"])
def transition(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    """Submit, confirm or withdraw: a confirmation page (GET), then the move (POST)."""
    if to not in COMPANY_MOVES:
        raise Http404
    application = selectors.application_for(user=request.user, pk=pk)
    allowed = applications.TRANSITIONS.get((application.status, to)) == applications.COMPANY
    form = CommentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and allowed and form.is_valid():
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
                _("Заявка теперь в состоянии «%(status)s». Письмо отправлено на почту.")
                % {"status": S(to).label},
            )
            return redirect("export:my_application", pk=application.pk)
    required, _others = documents_state(application)
    return render(
        request,
        "export/company/transition.html",
        {
            "application": application,
            "event": application.event,
            "to": to,
            "target_label": S(to).label,
            "button": COMPANY_MOVES[to][0],
            "question": COMPANY_MOVES[to][1],
            "allowed": allowed,
            "form": form,
            "missing": [row["title"] for row in required if not row["documents"]]
            if to == S.SUBMITTED
            else [],
        },
    )
