"""The export REST API: business missions and fairs abroad, applications, the fair vote.

Reads of published events, their calls and the participants' showcase are public, and so is
the yearly fair vote (its counts once the results are published). Everything else needs an API
token and acts for the token's user: a company's staff (hosts who are members of the
enterprise) apply, edit, submit, confirm or withdraw their enterprise's applications, file the
outcome report and vote; another company's application is 404. Organisers (and
administrators) see every application, move it through review, score it against the call's
criteria, read the ranking and the figures; anyone else gets 403 there. Documents are
uploaded on the application's page, not through the API.

Refusals are the codes of ``export.errors`` in the tourism format ``{"detail", "code"}`` with
their status.
"""

import dataclasses
from decimal import Decimal
from typing import Annotated

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Status
from ninja.pagination import paginate

from mosprom.accounts.api_auth import token_auth
from mosprom.core import clock
from mosprom.export import applications, errors, participation, selectors
from mosprom.export import figures as export_stats
from mosprom.export import votes as fair_votes
from mosprom.export.models import (
    Application,
    ExportEvent,
    FairCandidate,
    OutcomeReport,
    VoteBallot,
)
from mosprom.export.schemas import (
    ApplicationDetailOut,
    ApplicationFilters,
    ApplicationIn,
    ApplicationOut,
    ApplicationPatch,
    BallotIn,
    CriterionKey,
    EventDetailOut,
    EventFilters,
    EventOut,
    FiguresOut,
    FiguresQuery,
    OutcomeIn,
    RankingItemOut,
    Score,
    ShowcaseOut,
    ShowcaseQuery,
    TransitionIn,
    VoteOut,
    VoteRoundBriefOut,
    VoteRoundOut,
)
from mosprom.registry.api import Pagination
from mosprom.registry.models import Enterprise, Product
from mosprom.tourism.api import (
    INPUT_ERROR,
    ONE_ERRORS,
    PAGE_PARAMS,
    PERSONAL_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    ObjectId,
    api_user,
    only_known_query,
)

router = Router(tags=["export"])

CABINET_ERRORS = {403: ErrorOut, **PERSONAL_ERRORS}
CABINET_ONE_ERRORS = {403: ErrorOut, 404: ErrorOut, **PERSONAL_ERRORS}


# --- Helpers ----------------------------------------------------------------------------------


def _company_user(request: HttpRequest):
    """The token's user if they act for enterprises (hosts) or run the programme."""
    user = api_user(request)
    if not (user.is_host or selectors.is_staff(user)):
        raise errors.Forbidden(
            _(
                "Заявки на экспортные мероприятия подают представители предприятий, "
                "рассматривают — организаторы."
            )
        )
    return user


def _staff_user(request: HttpRequest):
    user = api_user(request)
    if not selectors.is_staff(user):
        raise errors.Forbidden(_("Это доступно только организаторам."))
    return user


def _outcome(report: OutcomeReport, event: ExportEvent) -> dict:
    contracts = []
    total = Decimal(0)
    for contract in report.contracts.all():
        try:
            value_rub = participation.contract_value_rub(
                event=event, value=contract.value, currency=contract.currency
            )
        except errors.ExportError:  # no rate entered for the currency yet
            value_rub = None
        total += value_rub or 0
        contracts.append(
            {
                "counterpart": contract.counterpart,
                "country": contract.country,
                "value": contract.value,
                "currency": contract.currency,
                "value_rub": value_rub,
                "signed_on": contract.signed_on,
            }
        )
    return {
        "meetings_held": report.meetings_held,
        "agreements": report.agreements,
        "expected_export_rub": report.expected_export_rub,
        "contracts": contracts,
        "contracts_value_rub": total,
        "quote": report.quote,
        "quote_author": report.quote_author,
        "submitted_at": report.submitted_at,
    }


def _application_out(request: HttpRequest, pk: int) -> Application:
    """The application as the token's user may see it (re-read after a write), with the moves
    open to their side and the outcome report."""
    user = _company_user(request)
    application = selectors.application_for(user=user, pk=pk)
    sides = applications.sides_of(user, application)
    application.next_statuses = [
        to
        for (source, to), whose in applications.TRANSITIONS.items()
        if source == application.status and whose in sides
    ]
    report = OutcomeReport.objects.filter(application=application).first()
    application.outcome_out = _outcome(report, application.event) if report else None
    return application


def _my_application(request: HttpRequest, pk: int) -> Application:
    return selectors.application_for(user=_company_user(request), pk=pk)


def _enterprise(pk: int) -> Enterprise:
    enterprise = Enterprise.objects.filter(pk=pk).first()
    if enterprise is None:
        raise errors.InvalidRequest(_("Такого предприятия нет в реестре."))
    return enterprise


# --- Events -----------------------------------------------------------------------------------


@router.get(
    "/export/events",
    response={200: list[EventOut], **READ_ERRORS},
    summary="Экспортные мероприятия",
    description=(
        "Опубликованные бизнес-миссии, выставки с коллективным стендом Москвы и сессии "
        "B2B-встреч, поздние первыми. Фильтры: kind (mission, exhibition, b2b), country "
        "(точное название страны), year (мероприятия, которые идут в этом году). call_open — "
        "идёт ли приём заявок."
    ),
    operation_id="export_event_list",
)
@paginate(Pagination)
def event_list(request: HttpRequest, filters: Query[EventFilters]) -> QuerySet[ExportEvent]:
    only_known_query(request, PAGE_PARAMS | set(EventFilters.model_fields))
    events = selectors.events_public()
    if filters.kind:
        events = events.filter(kind=filters.kind.value)
    if filters.country:
        events = events.filter(country__iexact=filters.country)
    if filters.year:
        events = events.filter(starts_on__year__lte=filters.year, ends_on__year__gte=filters.year)
    return events


@router.get(
    "/export/events/{id}",
    response={200: EventDetailOut, **ONE_ERRORS},
    summary="Экспортное мероприятие",
    description=(
        "Мероприятие с условиями участия (что оплачивает город, что — компания), числом "
        "свободных мест и приёмом заявок: сроки, критерии отбора с весами, обязательные "
        "документы."
    ),
    operation_id="export_event_read",
)
def event_read(request: HttpRequest, id: ObjectId):
    only_known_query(request, set())
    return selectors.event_public(pk=id)


@router.get(
    "/export/events/{id}/showcase",
    response={200: ShowcaseOut, **ONE_ERRORS},
    summary="Витрина участников",
    description=(
        "Компании, которые едут или съездили на мероприятие (участие подтверждено), и "
        "продукция, которую они показывают. lang — ru, en или zh; на китайском витрина есть, "
        "только если организатор её включил (languages), иначе 404. Названия компаний и "
        "продукции — как в реестре. Витрина отдаётся целиком (участников не больше мест)."
    ),
    operation_id="export_showcase",
)
def showcase(request: HttpRequest, id: ObjectId, query: Query[ShowcaseQuery]):
    only_known_query(request, set(ShowcaseQuery.model_fields))
    event = selectors.event_public(pk=id)
    languages = ["ru", "en"] + (["zh"] if event.show_chinese else [])
    lang = query.lang
    if lang not in languages:
        raise errors.NotFound(_("Витрины на китайском языке у этого мероприятия нет."))
    title = {"ru": event.title, "en": event.title_en, "zh": event.title_zh or event.title_en}
    description = {
        "ru": event.description,
        "en": event.description_en,
        "zh": event.description_zh or event.description_en,
    }
    participants = [
        {
            "enterprise_id": application.enterprise_id,
            "name": application.enterprise.short_name,
            "website": application.enterprise.website,
            "url": application.enterprise.get_absolute_url(),
            "products": list(application.products.all()),
        }
        for application in selectors.showcase(event)
    ]
    return {
        "event_id": event.pk,
        "lang": lang,
        "languages": languages,
        "title": title[lang] or event.title,
        "description": description[lang] or event.description,
        "country": event.country,
        "city": event.city,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "participants": participants,
    }


@router.get(
    "/export/events/{id}/ranking",
    auth=token_auth,
    response={200: list[RankingItemOut], **CABINET_ONE_ERRORS},
    summary="Рейтинг заявок (организаторы)",
    description=(
        "Заявки, по которым идёт или принято решение (поданные, на рассмотрении, в листе "
        "ожидания, одобренные, подтверждённые), с взвешенной оценкой 0–100 по критериям "
        "отбора: лучшие первыми, неоценённые в конце."
    ),
    operation_id="export_ranking",
)
@paginate(Pagination)
def ranking(request: HttpRequest, id: ObjectId) -> list[dict]:
    only_known_query(request, PAGE_PARAMS)
    event = selectors.event_for_staff(user=_staff_user(request), pk=id)
    return [
        {
            "position": position,
            "application_id": application.pk,
            "enterprise_id": application.enterprise_id,
            "enterprise_name": application.enterprise.short_name,
            "status": application.status,
            "submitted_at": application.submitted_at,
            "score": score,
            "scores": [
                {"criterion_id": s.criterion_id, "score": s.score} for s in application.scores.all()
            ],
        }
        for position, (application, score) in enumerate(applications.ranking(event), start=1)
    ]


# --- Applications -----------------------------------------------------------------------------


@router.get(
    "/export/applications",
    auth=token_auth,
    response={200: list[ApplicationOut], **CABINET_ERRORS},
    summary="Заявки",
    description=(
        "Представителю предприятия — заявки его предприятий, организатору — все; новые "
        "первыми. Фильтры: event, status."
    ),
    operation_id="export_application_list",
)
@paginate(Pagination)
def application_list(
    request: HttpRequest, filters: Query[ApplicationFilters]
) -> QuerySet[Application]:
    only_known_query(request, PAGE_PARAMS | set(ApplicationFilters.model_fields))
    found = selectors.applications_visible_to(_company_user(request)).prefetch_related(
        Prefetch("products", queryset=Product.objects.order_by("name", "id"))
    )
    if filters.event:
        found = found.filter(event_id=filters.event)
    if filters.status:
        found = found.filter(status=filters.status.value)
    return found


@router.post(
    "/export/events/{id}/applications",
    auth=token_auth,
    response={201: ApplicationDetailOut, **WRITE_ERRORS},
    summary="Создать заявку",
    description=(
        "Черновик заявки предприятия (enterprise — своё предприятие; организатор может "
        "подать за любое), пока идёт приём заявок. products — продукция этого предприятия из "
        "реестра. Обязательные документы (PDF) загружаются на странице заявки на сайте; "
        "затем заявку подают переходом в submitted. Отказы: call_not_open, call_closed, "
        "already_applied, forbidden, invalid_request."
    ),
    operation_id="export_application_create",
)
def application_create(request: HttpRequest, id: ObjectId, payload: ApplicationIn):
    user = _company_user(request)
    event = selectors.event_public(pk=id, user=user)
    fields = payload.model_dump(exclude={"enterprise"})
    application = applications.application_create(
        user=user, event=event, enterprise=_enterprise(payload.enterprise), **fields
    )
    return Status(201, _application_out(request, application.pk))


@router.get(
    "/export/applications/{id}",
    auth=token_auth,
    response={200: ApplicationDetailOut, **CABINET_ONE_ERRORS},
    summary="Заявка",
    description=(
        "Заявка с документами (только названия: файлы — на странице заявки), историей "
        "состояний, возможными переходами для владельца токена и отчётом об итогах. Заявка "
        "другого предприятия — 404."
    ),
    operation_id="export_application_read",
)
def application_read(request: HttpRequest, id: ObjectId):
    only_known_query(request, set())
    return _application_out(request, id)


@router.patch(
    "/export/applications/{id}",
    auth=token_auth,
    response={200: ApplicationDetailOut, **WRITE_ERRORS},
    summary="Изменить заявку",
    description=(
        "Черновик или поданную, но ещё не взятую на рассмотрение заявку; меняются только "
        "переданные поля. Отказы: invalid_transition (заявку уже рассматривают), "
        "invalid_request."
    ),
    operation_id="export_application_update",
)
def application_update(request: HttpRequest, id: ObjectId, payload: ApplicationPatch):
    application = _my_application(request, id)
    changes = payload.model_dump(exclude_unset=True)
    applications.application_update(application=application, actor=api_user(request), **changes)
    return Status(200, _application_out(request, id))


@router.post(
    "/export/applications/{id}/transitions",
    auth=token_auth,
    response={200: ApplicationDetailOut, **WRITE_ERRORS},
    summary="Изменить состояние заявки",
    description=(
        "Компания подаёт (submitted), подтверждает участие (confirmed) или отзывает заявку "
        "(withdrawn); организатор берёт на рассмотрение (in_review), одобряет (accepted), "
        "ставит в лист ожидания (waitlisted), отклоняет (rejected), отмечает участие "
        "(participated); организатор может сделать и шаг компании от её имени. "
        "next_statuses заявки — что доступно сейчас. Одобрить больше "
        "компаний, чем мест, нельзя (no_places_left); при отзыве одобренной заявки место "
        "получает первая из листа ожидания. Каждое изменение сохраняется в истории и "
        "приходит компании письмом. Отказы: invalid_transition, no_places_left, "
        "call_closed, invalid_request (не хватает документов или контактов), forbidden."
    ),
    operation_id="export_application_transition",
)
def application_transition(request: HttpRequest, id: ObjectId, payload: TransitionIn):
    application = _my_application(request, id)
    applications.application_transition(
        application=application,
        actor=api_user(request),
        to=payload.to.value,
        comment=payload.comment,
    )
    return Status(200, _application_out(request, id))


@router.post(
    "/export/applications/{id}/outcome",
    auth=token_auth,
    response={200: ApplicationDetailOut, **WRITE_ERRORS},
    summary="Отчёт об итогах участия",
    description=(
        "После мероприятия участник сообщает, сколько провёл встреч, подписал соглашений о "
        "намерениях и контрактов (сумма и валюта; в рубли — по курсу, который организатор "
        "задал для мероприятия), ожидаемый объём экспорта и, по желанию, цитату для "
        "публикации. Повторная отправка заменяет отчёт. Отказы: report_not_due (мероприятие "
        "не закончилось или компания не участвовала), invalid_request (валюта без курса)."
    ),
    operation_id="export_outcome_submit",
)
def outcome_submit(request: HttpRequest, id: ObjectId, payload: OutcomeIn):
    application = _my_application(request, id)
    participation.outcome_submit(
        application=application,
        actor=api_user(request),
        meetings_held=payload.meetings_held,
        agreements=payload.agreements,
        expected_export_rub=payload.expected_export_rub,
        contracts=[contract.model_dump() for contract in payload.contracts],
        quote=payload.quote,
        quote_author=payload.quote_author,
    )
    return Status(200, _application_out(request, id))


@router.put(
    "/export/applications/{id}/scores",
    auth=token_auth,
    response={200: ApplicationDetailOut, **WRITE_ERRORS},
    summary="Оценить заявку (организаторы)",
    description=(
        "Тело — объект «идентификатор критерия: оценка» (0…max_score критерия), например "
        '{"12": 8, "13": 6}; оценивается поданная, рассматриваемая или ожидающая заявка, '
        "последняя оценка по критерию заменяет прежнюю. Итог — в рейтинге мероприятия."
    ),
    operation_id="export_application_score",
)
def application_score(
    request: HttpRequest,
    id: ObjectId,
    payload: Annotated[dict[CriterionKey, Score], Body(examples=[{"12": 8, "13": 6}])],
):
    _staff_user(request)
    application = _my_application(request, id)
    applications.application_score(application=application, actor=api_user(request), scores=payload)
    return Status(200, _application_out(request, id))


# --- Votes ------------------------------------------------------------------------------------


@router.get(
    "/export/votes",
    response={200: list[VoteRoundBriefOut], **READ_ERRORS},
    summary="Голосования по выставкам",
    description="Ежегодные голосования предприятий за выставки следующего года, новые первыми.",
    operation_id="export_vote_list",
)
@paginate(Pagination)
def vote_list(request: HttpRequest):
    only_known_query(request, PAGE_PARAMS)
    return selectors.vote_rounds_public()


@router.get(
    "/export/votes/{id}",
    response={200: VoteRoundOut, **ONE_ERRORS},
    summary="Голосование по выставкам",
    description=(
        "Выставки-кандидаты года. Число голосов — только после публикации итогов "
        "(results_published), тогда кандидаты идут по числу голосов."
    ),
    operation_id="export_vote_read",
)
def vote_read(request: HttpRequest, id: ObjectId):
    only_known_query(request, set())
    round_ = selectors.vote_round(pk=id)
    if round_.results_published:
        rows = fair_votes.vote_results(round_)
    else:
        rows = [(candidate, None) for candidate in round_.candidates.order_by("title", "id")]
    for candidate, votes in rows:
        candidate.vote_count = votes
    round_.candidate_rows = [candidate for candidate, _votes in rows]
    return round_


@router.post(
    "/export/votes/{id}/ballots",
    auth=token_auth,
    response={201: VoteOut, **WRITE_ERRORS},
    summary="Проголосовать за выставку",
    description=(
        "Голос предприятия (enterprise — своё предприятие) за выставку-кандидата, пока идёт "
        "голосование; у предприятия votes_per_enterprise голосов, за одну выставку — один. "
        "Отказы: vote_closed, vote_limit, already_voted, forbidden, invalid_request."
    ),
    operation_id="export_vote_cast",
)
def vote_cast(request: HttpRequest, id: ObjectId, payload: BallotIn):
    user = _company_user(request)
    round_ = selectors.vote_round(pk=id)
    if not FairCandidate.objects.filter(pk=payload.candidate, round=round_).exists():
        raise errors.InvalidRequest(_("В этом голосовании нет такой выставки."))
    enterprise = _enterprise(payload.enterprise)
    vote = fair_votes.vote_cast(
        round=round_, candidate_id=payload.candidate, enterprise=enterprise, actor=user
    )
    ballot = VoteBallot.objects.filter(round=round_, enterprise=enterprise).first()
    return Status(
        201,
        {
            "id": vote.pk,
            "candidate_id": vote.candidate_id,
            "enterprise_id": vote.enterprise_id,
            "at": vote.at,
            "votes_left": ballot.allowed - ballot.used if ballot else 0,
        },
    )


# --- Figures ----------------------------------------------------------------------------------


@router.get(
    "/export/figures",
    auth=token_auth,
    response={200: FiguresOut, **CABINET_ERRORS, 422: INPUT_ERROR},
    summary="Показатели экспортной поддержки (организаторы)",
    description=(
        "По мероприятиям, закончившимся с start по end включительно (год, полугодие…): "
        "сколько бизнес-миссий, выставок и B2B-сессий, скольким разным компаниям помогли, "
        "встреч, соглашений, контрактов и их сумма в рублях по курсам мероприятий."
    ),
    operation_id="export_figures",
)
def figures(request: HttpRequest, query: Query[FiguresQuery]):
    only_known_query(request, set(FiguresQuery.model_fields))
    _staff_user(request)
    today = clock.today()
    start = query.start or today.replace(month=1, day=1)
    end = query.end or today
    if end < start:
        raise errors.InvalidRequest(_("Конец периода раньше его начала."))
    found = export_stats.export_figures(start=start, end=end)
    return {"start": start, "end": end, **dataclasses.asdict(found)}
