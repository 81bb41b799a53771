"""Applications to export events: the state machine, places, scoring, documents.

States: draft → submitted → in_review → accepted / waitlisted / rejected → confirmed →
participated / withdrawn (``TRANSITIONS`` lists every allowed move and whose it is; anything
else raises InvalidTransition with both states named). Organisers may also make the company's
moves on its behalf.

Places are the database's (docs/adr/0004-capacity-counters.md): accepting takes one of the
event's places by one conditional UPDATE of ``ExportEvent.taken`` (NoPlacesLeft when none: the
organiser waitlists instead) in the same transaction as the status change; a move out of a
place-holding state passes the place to the longest-waiting waitlisted application in the same
transaction, or frees it.

Locks, in one order, so no two transitions wait on each other in a cycle: the application
being moved (``select_for_update``, its status re-checked), then — for a withdrawal — the
waitlisted application that gets the place, then the event row (the conditional UPDATE).
Waitlisted applications never wait for another application, and nobody holding the event row
waits for an application.

Every change is written to ``ApplicationTransition`` and mailed (on commit) to the company:
its contact e-mail and the application's creator.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mosprom.core import clock
from mosprom.core.links import absolute_url
from mosprom.core.mail import mail_template_after_commit
from mosprom.export.errors import (
    AlreadyApplied,
    CallClosed,
    CallNotOpen,
    DocumentRejected,
    Forbidden,
    InvalidRequest,
    InvalidTransition,
    NoPlacesLeft,
    NotFound,
)
from mosprom.export.models import (
    CLOSED,
    HOLDS_PLACE,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    ApplicationTransition,
    Call,
    Criterion,
    CriterionScore,
    ExportEvent,
    private_storage,
)
from mosprom.export.selectors import enterprises_of, is_staff
from mosprom.registry.models import Product
from mosprom.tourism.booking import format_moment

logger = logging.getLogger(__name__)

S = ApplicationStatus
# (from, to) → who may: "company" (the enterprise's hosts) or "organiser".
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): "company",
    (S.DRAFT, S.WITHDRAWN): "company",
    (S.SUBMITTED, S.IN_REVIEW): "organiser",
    (S.SUBMITTED, S.WITHDRAWN): "company",
    (S.IN_REVIEW, S.ACCEPTED): "organiser",
    (S.IN_REVIEW, S.WAITLISTED): "organiser",
    (S.IN_REVIEW, S.REJECTED): "organiser",
    (S.IN_REVIEW, S.WITHDRAWN): "company",
    (S.WAITLISTED, S.ACCEPTED): "organiser",
    (S.WAITLISTED, S.REJECTED): "organiser",
    (S.WAITLISTED, S.WITHDRAWN): "company",
    (S.ACCEPTED, S.CONFIRMED): "company",
    (S.ACCEPTED, S.WITHDRAWN): "company",
    (S.CONFIRMED, S.PARTICIPATED): "organiser",
    (S.CONFIRMED, S.WITHDRAWN): "company",
}

COMPANY = "company"
ORGANISER = "organiser"

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS = 20
DOCUMENT_TITLE_MAX = 255
COMMENT_MAX = 1000
PDF_MAGIC = b"%PDF-"

# The company may change its application (fields and documents) until review starts.
EDITABLE = (S.DRAFT, S.SUBMITTED)
# Scored by organisers while the decision is open.
SCORABLE = (S.SUBMITTED, S.IN_REVIEW, S.WAITLISTED)
# Listed in the ranking: being decided or decided for the event.
RANKED = (S.SUBMITTED, S.IN_REVIEW, S.WAITLISTED, S.ACCEPTED, S.CONFIRMED)

# field → (limit, label, keeps line breaks)
TEXT_FIELDS = {
    "export_experience": (5000, gettext_lazy("Опыт экспорта"), True),
    "target_markets": (500, gettext_lazy("Целевые рынки"), False),
    "contact_name": (255, gettext_lazy("Контактное лицо"), False),
    "contact_email": (254, gettext_lazy("E-mail контактного лица"), False),
    "contact_phone": (32, gettext_lazy("Телефон контактного лица"), False),
}
FIELDS = frozenset({*TEXT_FIELDS, "products"})


# --- Who acts --------------------------------------------------------------------------------


def acts_for(user, enterprise_id: int) -> bool:
    """True when ``user`` may act for the enterprise: its host member, or an organiser."""
    if is_staff(user):
        return True
    return enterprises_of(user).filter(pk=enterprise_id).exists()


def sides_of(user, application: Application) -> frozenset[str]:
    """The sides ``user`` may take on ``application``: organisers take both (they may act on
    the company's behalf), the enterprise's hosts the company's; Forbidden for anyone else."""
    if is_staff(user):
        return frozenset({COMPANY, ORGANISER})
    if acts_for(user, application.enterprise_id):
        return frozenset({COMPANY})
    raise Forbidden()


def _require_company(user, enterprise_id: int) -> None:
    if not acts_for(user, enterprise_id):
        raise Forbidden()


def _require_organiser(user) -> None:
    if not is_staff(user):
        raise Forbidden()


# --- Field rules -----------------------------------------------------------------------------


def _call_of(event: ExportEvent) -> Call | None:
    try:
        return event.call
    except ObjectDoesNotExist:
        return None


def check_call_open(event: ExportEvent) -> None:
    """Raise CallNotOpen / CallClosed unless the event's call takes applications now."""
    call = _call_of(event)
    if call is None:
        raise CallClosed(_("На это мероприятие заявки не принимаются."))
    now = clock.now()
    if now < call.opens_at:
        raise CallNotOpen(opens=format_moment(call.opens_at))
    if now >= call.closes_at:
        raise CallClosed()


def _clean_text(name: str, value) -> str:
    limit, label, multiline = TEXT_FIELDS[name]
    text = "" if value is None else str(value)
    if multiline:
        text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
        text = text.strip()
    else:
        text = " ".join(text.split())
    if len(text) > limit:
        raise InvalidRequest(_("%(field)s: не длиннее %(max)s символов."), field=label, max=limit)
    if name == "contact_email" and text:
        try:
            validate_email(text)
        except ValidationError:
            raise InvalidRequest(
                _("Проверьте адрес электронной почты контактного лица: «%(email)s»."),
                email=text[:100],
            ) from None
    return text


def _clean_products(enterprise, products: Iterable) -> list[int]:
    ids: list[int] = []
    for product in products:
        raw = getattr(product, "pk", product)
        try:
            pk = int(raw)
        except (TypeError, ValueError):
            raise InvalidRequest(
                _("Неизвестная продукция: «%(product)s»."), product=str(raw)[:50]
            ) from None
        if pk not in ids:
            ids.append(pk)
    own = set(
        Product.objects.filter(pk__in=ids, enterprise_id=enterprise.pk).values_list("pk", flat=True)
    )
    for pk in ids:
        if pk not in own:
            raise InvalidRequest(
                _("Продукция №%(product)s не относится к предприятию «%(enterprise)s»."),
                product=pk,
                enterprise=enterprise,
            )
    return ids


def clean_fields(*, enterprise, fields: dict) -> tuple[dict[str, str], list[int] | None]:
    """The application's fields, normalised and checked: (texts, product ids or None when not
    given). InvalidRequest names the first wrong one."""
    unknown = set(fields) - FIELDS
    if unknown:
        raise TypeError(f"unknown application fields: {', '.join(sorted(unknown))}")
    texts = {name: _clean_text(name, value) for name, value in fields.items() if name != "products"}
    products = fields.get("products")
    return texts, None if products is None else _clean_products(enterprise, products)


# --- Create and update -----------------------------------------------------------------------


def application_create(*, user, event: ExportEvent, enterprise, **fields) -> Application:
    """A draft for ``enterprise`` (``user`` must be its host member, or an organiser acting on
    its behalf), while the call is open. ``fields``: products (ids of the enterprise's own
    products), export_experience, target_markets, contact_name, contact_email, contact_phone.
    One open application per enterprise and event (a unique constraint). Raises Forbidden,
    NotFound, CallNotOpen, CallClosed, AlreadyApplied, InvalidRequest."""
    _require_company(user, enterprise.pk)
    if not event.is_published and not is_staff(user):
        raise NotFound()
    check_call_open(event)
    texts, products = clean_fields(enterprise=enterprise, fields=fields)
    if (
        Application.objects.filter(event=event, enterprise=enterprise)
        .exclude(status__in=CLOSED)
        .exists()
    ):
        raise AlreadyApplied()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                event=event, enterprise=enterprise, created_by=user, status=S.DRAFT, **texts
            )
            if products:
                application.products.set(products)
    except IntegrityError as clash:
        # Two drafts raced: the partial unique constraint kept one.
        raise AlreadyApplied() from clash
    return application


def _not_editable(application: Application) -> InvalidTransition:
    return InvalidTransition(
        _("Заявку в состоянии «%(status)s» изменить уже нельзя."),
        status=S(application.status).label,
    )


def application_update(*, application: Application, actor, **fields) -> Application:
    """Change a draft (or a submitted application before review) while the call is open —
    same fields and rules as ``application_create``; only the fields given change. The
    company's hosts, or an organiser on its behalf."""
    _require_company(actor, application.enterprise_id)
    if application.status not in EDITABLE:
        raise _not_editable(application)
    check_call_open(application.event)
    texts, products = clean_fields(enterprise=application.enterprise, fields=fields)
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if current.status not in EDITABLE:
            raise _not_editable(current)
        for name, value in texts.items():
            setattr(application, name, value)
        application.status = current.status
        application.save(update_fields=[*texts, "updated_at"])
        if products is not None:
            application.products.set(products)
    return application


# --- Transitions -----------------------------------------------------------------------------


def _label(status: str) -> str:
    return str(S(status).label)


def check_move(source: str, target: str, sides: frozenset[str]) -> None:
    """Raise InvalidTransition unless ``TRANSITIONS`` lets one of ``sides`` move ``source`` to
    ``target``; the message names both states and, for an organiser's move, whose it is."""
    whose = TRANSITIONS.get((source, target))
    if whose is None:
        raise InvalidTransition(current=_label(source), target=_label(target))
    if whose not in sides:
        # Only the organisers' moves can be out of reach: organisers also act for companies.
        raise InvalidTransition(
            _("Заявку из состояния «%(current)s» в «%(target)s» переводит организатор."),
            current=_label(source),
            target=_label(target),
        )


def _norm_title(title: str) -> str:
    return " ".join(title.split()).casefold()


def check_submittable(application: Application) -> None:
    """Raise unless ``application`` may be submitted now: the call is open, the contact person
    and e-mail are filled, at least one product is chosen, every required document is attached
    (a document whose title is the required one)."""
    check_call_open(application.event)
    if not application.contact_name or not application.contact_email:
        raise InvalidRequest(_("Укажите контактное лицо и его адрес электронной почты."))
    if not application.products.exists():
        raise InvalidRequest(_("Выберите хотя бы одну продукцию, которую компания представит."))
    call = _call_of(application.event)
    attached = {
        _norm_title(title)
        for title in ApplicationDocument.objects.filter(application_id=application.pk).values_list(
            "title", flat=True
        )
    }
    missing = [name for name in call.documents if _norm_title(name) not in attached]
    if missing:
        raise InvalidRequest(
            _("Приложите обязательные документы: %(missing)s."),
            missing=", ".join(f"«{name}»" for name in missing),
        )


def _clean_comment(comment: str | None) -> str:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidRequest(
            _("Комментарий не длиннее %(max)s символов."),
            max=COMMENT_MAX,
        )
    return comment


def _target(to: str) -> str:
    try:
        return S(to).value
    except ValueError:
        raise InvalidRequest(
            _("Неизвестное состояние заявки: «%(to)s»."), to=str(to)[:30]
        ) from None


def take_place(event_id: int) -> None:
    """One more place taken on the event (conditional UPDATE) or NoPlacesLeft."""
    took = ExportEvent.objects.filter(pk=event_id, taken__lt=F("places")).update(
        taken=F("taken") + 1
    )
    if not took:
        raise NoPlacesLeft()


def release_place(event_id: int) -> None:
    """One place fewer taken on the event (never below zero)."""
    moved = ExportEvent.objects.filter(pk=event_id, taken__gt=0).update(taken=F("taken") - 1)
    if not moved:
        logger.error("export event %s: cannot release a place, counter at zero", event_id)


def _record(application: Application, *, source: str, actor, comment: str) -> None:
    ApplicationTransition.objects.create(
        application=application,
        from_status=source,
        to_status=application.status,
        actor=actor,
        at=clock.now(),
        comment=comment,
    )


def _set_status(application: Application, status: str) -> None:
    now = clock.now()
    application.status = status
    fields = ["status", "updated_at"]
    if status == S.SUBMITTED:
        application.submitted_at = now
        fields.append("submitted_at")
    if status == S.WAITLISTED:
        application.waitlisted_at = now
        fields.append("waitlisted_at")
    application.save(update_fields=fields)


def _promote_next(*, event_id: int) -> Application | None:
    """Lock the longest-waiting waitlisted application of the event and accept it (the place
    passes on, the counter does not move); None when nobody waits."""
    waiting = Application.objects.filter(event_id=event_id, status=S.WAITLISTED).order_by(
        F("waitlisted_at").asc(nulls_last=True), "id"
    )
    for _attempt in range(100):
        candidate = waiting.select_for_update().first()
        if candidate is not None:
            # Locked and re-read: it is still waitlisted (PostgreSQL re-checks the filter).
            _set_status(candidate, S.ACCEPTED)
            return candidate
        # Under READ COMMITTED a first row taken by another transaction while we waited for
        # it can leave LIMIT 1 empty although others still wait: look again.
        if not waiting.exists():
            return None
    return None


def application_transition(
    *, application: Application, actor, to: str, comment: str = ""
) -> Application:
    """Move the application to ``to`` if ``TRANSITIONS`` allows it for ``actor``'s side (the
    enterprise's hosts act for the company; organisers act as organisers and on the company's
    behalf); submitting needs every required document and the contact filled, within the call
    window. Accepting takes a place or raises NoPlacesLeft; leaving a place-holding state gives
    the place to the next waitlisted application or frees it — all in one transaction, with a
    history row and a mail per changed application."""
    sides = sides_of(actor, application)
    target = _target(to)
    comment = _clean_comment(comment)
    check_move(application.status, target, sides)  # the answer for most refusals, no lock
    promoted = None
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        source = current.status
        check_move(source, target, sides)  # someone may have moved it while we waited
        current.event = application.event
        if target == S.SUBMITTED:
            check_submittable(current)
        if target == S.ACCEPTED:
            take_place(current.event_id)
        _set_status(current, target)
        _record(current, source=source, actor=actor, comment=comment)
        if source in HOLDS_PLACE and target not in HOLDS_PLACE:
            promoted = _promote_next(event_id=current.event_id)
            if promoted is None:
                release_place(current.event_id)
            else:
                with translation.override(settings.LANGUAGE_CODE):
                    note = _("Освободилось место: заявка одобрена из листа ожидания.")
                _record(promoted, source=S.WAITLISTED, actor=None, comment=note)
        current.enterprise = application.enterprise
        current.created_by = application.created_by
        mail_transition(current, source=source, comment=comment)
        if promoted is not None:
            promoted.event = application.event
            mail_transition(promoted, source=S.WAITLISTED, promoted=True)
    for name in ("status", "submitted_at", "waitlisted_at", "updated_at"):
        setattr(application, name, getattr(current, name))
    return application


# --- Mail ------------------------------------------------------------------------------------


def recipients(application: Application) -> list[str]:
    """The contact e-mail and the creator's, each once."""
    found: list[str] = []
    for address in (application.contact_email, application.created_by.email):
        if address and address.casefold() not in {a.casefold() for a in found}:
            found.append(address)
    return found


def _link(name: str, pk: int) -> str:
    try:
        return absolute_url(reverse(name, args=[pk]))
    except NoReverseMatch:  # the site may be deployed without the export pages
        return ""


def mail_transition(
    application: Application, *, source: str, comment: str = "", promoted: bool = False
) -> None:
    """Queue (on commit) the Russian mail that tells the company its application's new state."""
    to = recipients(application)
    if not to:
        return
    event = application.event
    context = {
        "application": application,
        "event": event,
        "enterprise": application.enterprise,
        "status": application.status,
        "old_label": _label(source),
        "new_label": _label(application.status),
        "comment": comment,
        "promoted": promoted,
        "event_url": _link("export:event_detail", event.pk),
        "application_url": _link("export:my_application", application.pk),
    }
    mail_template_after_commit(template="export/email/application_status", to=to, context=context)


# --- Documents -------------------------------------------------------------------------------


def _document_refused(application: Application) -> DocumentRejected:
    return DocumentRejected(
        reason=_("заявка в состоянии «%(status)s», документы менять уже нельзя")
        % {"status": _label(application.status)}
    )


def check_pdf(*, title: str, upload) -> str:
    """The title, cleaned; DocumentRejected with the reason unless ``upload`` is a non-empty
    PDF (by name and by content) of at most MAX_DOCUMENT_BYTES."""
    title = " ".join((title or "").split())
    if not title:
        raise DocumentRejected(reason=_("укажите, что это за документ"))
    if len(title) > DOCUMENT_TITLE_MAX:
        raise DocumentRejected(
            reason=_("название документа не длиннее %(max)s символов") % {"max": DOCUMENT_TITLE_MAX}
        )
    name = os.path.basename(getattr(upload, "name", "") or "")
    if not name.lower().endswith(".pdf"):
        raise DocumentRejected(reason=_("нужен PDF — файл с расширением .pdf"))
    size = upload.size or 0
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentRejected(reason=_("файл больше 10 МБ"))
    if size < 1:
        raise DocumentRejected(reason=_("файл пустой"))
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise DocumentRejected(reason=_("нужен PDF, а этот файл им не является"))
    return title


def document_attach(*, application: Application, actor, title: str, upload) -> ApplicationDocument:
    """Attach a PDF (content starts with ``%PDF-``, 1 byte to MAX_DOCUMENT_BYTES, name ends
    .pdf) while the application is a draft or submitted, by the company's hosts or an
    organiser on its behalf. The file goes to the private storage under a random name.
    Raises Forbidden, DocumentRejected with the reason."""
    _require_company(actor, application.enterprise_id)
    if application.status not in EDITABLE:
        raise _document_refused(application)
    title = check_pdf(title=title, upload=upload)
    size = upload.size
    now = clock.localtime(clock.now())
    storage = private_storage()
    stored = storage.save(f"export/documents/{now:%Y/%m}/{uuid.uuid4().hex}.pdf", upload)
    try:
        with transaction.atomic():
            current = Application.objects.select_for_update().get(pk=application.pk)
            if current.status not in EDITABLE:
                raise _document_refused(current)
            if ApplicationDocument.objects.filter(application_id=current.pk).count() >= (
                MAX_DOCUMENTS
            ):
                raise DocumentRejected(
                    reason=_("в заявке уже %(max)s документов") % {"max": MAX_DOCUMENTS}
                )
            document = ApplicationDocument.objects.create(
                application=current,
                title=title,
                file=stored,
                size=size,
                uploaded_by=actor,
                uploaded_at=clock.now(),
            )
    except BaseException:
        storage.delete(stored)
        raise
    return document


def document_remove(*, document: ApplicationDocument, actor) -> None:
    """Delete the document and, once that is committed, its file — while the application is
    still a draft or submitted; the company's hosts or an organiser."""
    application = document.application
    _require_company(actor, application.enterprise_id)
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if current.status not in EDITABLE:
            raise _document_refused(current)
        name = document.file.name
        ApplicationDocument.objects.filter(pk=document.pk).delete()
        if name:
            transaction.on_commit(lambda: private_storage().delete(name))


# --- Scoring and ranking ---------------------------------------------------------------------


def application_score(
    *, application: Application, actor, scores: dict[int, int]
) -> list[CriterionScore]:
    """Organiser scores criteria (criterion id → 0..max_score) of a submitted / in-review /
    waitlisted application; the latest score per criterion counts (upsert). Raises Forbidden,
    InvalidRequest naming the wrong criterion or score."""
    _require_organiser(actor)
    if application.status not in SCORABLE:
        raise InvalidTransition(
            _("Заявку в состоянии «%(status)s» не оценивают."),
            status=_label(application.status),
        )
    if not scores:
        raise InvalidRequest(_("Поставьте хотя бы одну оценку."))
    criteria = {
        criterion.pk: criterion
        for criterion in Criterion.objects.filter(call__event_id=application.event_id)
    }
    now = clock.now()
    rows = []
    for key, value in scores.items():
        try:
            criterion = criteria[int(key)]
        except (KeyError, TypeError, ValueError):
            raise InvalidRequest(
                _("Критерий №%(criterion)s не относится к этому мероприятию."),
                criterion=str(key)[:20],
            ) from None
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                value = int(str(value).strip())
            except ValueError:
                value = -1
        if not 0 <= value <= criterion.max_score:
            raise InvalidRequest(
                _("«%(criterion)s»: оценка — целое число от 0 до %(max)s."),
                criterion=criterion.name,
                max=criterion.max_score,
            )
        rows.append(
            CriterionScore(
                application_id=application.pk,
                criterion=criterion,
                score=value,
                scored_by=actor,
                scored_at=now,
            )
        )
    CriterionScore.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["application", "criterion"],
        update_fields=["score", "scored_by", "scored_at"],
    )
    return list(
        CriterionScore.objects.filter(
            application_id=application.pk, criterion_id__in=[row.criterion_id for row in rows]
        )
        .select_related("criterion")
        .order_by("criterion__position", "criterion_id")
    )


def weighted_score(application: Application) -> float | None:
    """Σ weight × score / max_score over the scored criteria, as a share of the weights of all
    the call's criteria × 100 (0–100, rounded to 0.01): an unscored criterion counts as zero.
    None when nothing is scored. Reads prefetched ``scores`` and ``event.call.criteria``."""
    scores = list(application.scores.all())
    if not scores:
        return None
    call = _call_of(application.event)
    if call is None:
        return None
    criteria = {criterion.pk: criterion for criterion in call.criteria.all()}
    total_weight = sum(criterion.weight for criterion in criteria.values())
    if not total_weight:
        return None
    earned = sum(
        criteria[score.criterion_id].weight * score.score / criteria[score.criterion_id].max_score
        for score in scores
        if score.criterion_id in criteria
    )
    return round(earned / total_weight * 100, 2)


def ranking(event: ExportEvent) -> list[tuple[Application, float | None]]:
    """The event's applications that are being decided (submitted, in review, waitlisted,
    accepted, confirmed), best weighted score first, unscored last, ties by submission time;
    four queries whatever their number."""
    applications = list(
        Application.objects.filter(event_id=event.pk, status__in=RANKED)
        .select_related("enterprise", "created_by", "event__call")
        .prefetch_related("scores", "products", "event__call__criteria")
    )
    scored = [(application, weighted_score(application)) for application in applications]

    def order(item: tuple[Application, float | None]):
        application, score = item
        submitted = application.submitted_at or application.created_at
        return (score is None, -(score or 0), submitted, application.pk)

    return sorted(scored, key=order)
