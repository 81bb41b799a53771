"""The SEZ REST API: residents' KPI reports, their review, the zone's figures.

Everything needs an API token and acts for the token's user. A resident's staff (hosts who are
members of the enterprise) see and file only their enterprise's reports; another resident's
report is 404. Organisers (and administrators) see every report, list the periods, approve or
return a version, read the zone's KPIs and who is late; anyone else gets 403 there.

Refusals are the codes of ``sez.errors`` in the tourism format ``{"detail", "code"}`` with
their status.
"""

import dataclasses

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from mosprom.accounts.api_auth import token_auth
from mosprom.core import clock
from mosprom.registry.api import Pagination
from mosprom.registry.models import SEZMembership, SpecialEconomicZone
from mosprom.sez import deadlines, kpi, reports, selectors
from mosprom.sez.errors import Forbidden, InvalidRequest, NotFound
from mosprom.sez.models import ReportPeriod, ReportVersion
from mosprom.sez.schemas import (
    KpiOut,
    KpiQuery,
    LateOut,
    PeriodOut,
    ReportIn,
    ReportOut,
    ReturnIn,
    VersionOut,
)
from mosprom.tourism.api import (
    PAGE_PARAMS,
    PERSONAL_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    ObjectId,
    api_user,
    only_known_query,
)

router = Router(tags=["sez"])

CABINET_ERRORS = {403: ErrorOut, **PERSONAL_ERRORS}
CABINET_ONE_ERRORS = {403: ErrorOut, 404: ErrorOut, **PERSONAL_ERRORS}


# --- Helpers ----------------------------------------------------------------------------------


def _resident_user(request: HttpRequest):
    """The token's user if they act for enterprises (hosts) or run the programme."""
    user = api_user(request)
    if not (user.is_host or selectors.is_staff(user)):
        raise Forbidden(
            _("Отчёты ОЭЗ сдают представители резидентов, рассматривают — организаторы.")
        )
    return user


def _staff_user(request: HttpRequest):
    user = api_user(request)
    if not selectors.is_staff(user):
        raise Forbidden(_("Это доступно только организаторам."))
    return user


def _version(pk: int) -> ReportVersion:
    """A version re-read after a write (the caller has just passed the permission check)."""
    return ReportVersion.objects.get(pk=pk)


# --- Residents' reports -----------------------------------------------------------------------


@router.get(
    "/sez/reports",
    auth=token_auth,
    response={200: list[ReportOut], **CABINET_ERRORS},
    summary="Отчёты резидентов ОЭЗ",
    description=(
        "Представителю резидента — отчёты его предприятий, организатору — все; новые "
        "периоды первыми. У каждого отчёта — все версии с состоянием и предупреждениями."
    ),
    operation_id="sez_report_list",
)
@paginate(Pagination)
def report_list(request: HttpRequest):
    only_known_query(request, PAGE_PARAMS)
    return selectors.reports_visible_to(_resident_user(request))


@router.get(
    "/sez/reports/{id}",
    auth=token_auth,
    response={200: ReportOut, **CABINET_ONE_ERRORS},
    summary="Отчёт резидента ОЭЗ",
    description="Отчёт со всеми версиями. Отчёт другого резидента — 404.",
    operation_id="sez_report_read",
)
def report_read(request: HttpRequest, id: ObjectId):
    only_known_query(request, set())
    return selectors.report_for(user=_resident_user(request), pk=id)


@router.post(
    "/sez/periods/{id}/reports",
    auth=token_auth,
    response={201: VersionOut, **WRITE_ERRORS},
    summary="Подать отчёт за период",
    description=(
        "Новая версия отчёта резидента (membership — своё предприятие; организатор может "
        "подать за любого) за период: инвестиции, в т. ч. капитальные вложения, созданные "
        "рабочие места, среднесписочная численность, выручка, экспортная выручка. "
        "Исправление — тоже новая версия; прежние сохраняются. warnings — предупреждения о "
        "резком росте или падении против прошлого периода (подаче не мешают). Отказы: "
        "report_locked (прошлая версия ещё на проверке), not_resident, forbidden, "
        "invalid_request (капвложения больше инвестиций, экспорт больше выручки)."
    ),
    operation_id="sez_report_submit",
)
def report_submit(request: HttpRequest, id: ObjectId, payload: ReportIn):
    user = _resident_user(request)
    period = selectors.period_for(pk=id)
    membership = SEZMembership.objects.filter(pk=payload.membership).first()
    if membership is None:
        raise InvalidRequest(_("Такого резидента ОЭЗ нет."))
    version = reports.report_submit(
        membership=membership,
        period=period,
        actor=user,
        figures=payload.model_dump(exclude={"membership"}),
    )
    return Status(201, _version(version.pk))


# --- Organisers -------------------------------------------------------------------------------


@router.get(
    "/sez/periods",
    auth=token_auth,
    response={200: list[PeriodOut], **CABINET_ERRORS},
    summary="Отчётные периоды (организаторы)",
    description="Кварталы и годы, за которые резиденты отчитываются, поздние первыми.",
    operation_id="sez_period_list",
)
@paginate(Pagination)
def period_list(request: HttpRequest):
    only_known_query(request, PAGE_PARAMS)
    _staff_user(request)
    return selectors.periods()


@router.post(
    "/sez/versions/{id}/approve",
    auth=token_auth,
    response={200: VersionOut, **WRITE_ERRORS},
    summary="Принять версию отчёта (организаторы)",
    description=(
        "Принятая версия идёт в итоги ОЭЗ вместо прежней принятой; компании уходит письмо. "
        "Отказы: invalid_review_state (версия уже рассмотрена)."
    ),
    operation_id="sez_version_approve",
)
def version_approve(request: HttpRequest, id: ObjectId):
    user = _staff_user(request)
    version = selectors.version_for_staff(user=user, pk=id)
    reports.version_approve(version=version, actor=user)
    return Status(200, _version(version.pk))


@router.post(
    "/sez/versions/{id}/return",
    auth=token_auth,
    response={200: VersionOut, **WRITE_ERRORS},
    summary="Вернуть версию отчёта на доработку (организаторы)",
    description=(
        "С комментарием, что исправить (до 2000 символов); компании уходит письмо, и она "
        "может подать новую версию. Отказы: invalid_review_state (версия уже рассмотрена)."
    ),
    operation_id="sez_version_return",
)
def version_return(request: HttpRequest, id: ObjectId, payload: ReturnIn):
    user = _staff_user(request)
    version = selectors.version_for_staff(user=user, pk=id)
    reports.version_return(version=version, actor=user, comment=payload.comment)
    return Status(200, _version(version.pk))


@router.get(
    "/sez/kpi",
    auth=token_auth,
    response={200: KpiOut, **CABINET_ONE_ERRORS},
    summary="Показатели ОЭЗ (организаторы)",
    description=(
        "По принятым годовым отчётам: итоги года и прошлого года, рост в процентах, итоги "
        "нарастающим итогом; число резидентов и размещённых компаний на сегодня."
    ),
    operation_id="sez_kpi",
)
def zone_kpi(request: HttpRequest, query: Query[KpiQuery]):
    only_known_query(request, set(KpiQuery.model_fields))
    _staff_user(request)
    zones = SpecialEconomicZone.objects.order_by("pk")
    if query.zone:
        zone = zones.filter(pk=query.zone).first()
    else:  # the zone that reports (an installation has one), or the first
        latest = ReportPeriod.objects.order_by("-starts_on").values("zone_id")[:1]
        zone = zones.filter(pk__in=latest).first() or zones.first()
    if zone is None:
        raise NotFound(_("Такой ОЭЗ нет."))
    today = clock.today()
    year = query.year or today.year - 1
    totals = kpi.zone_totals(zone=zone, year=year)
    previous = kpi.zone_totals(zone=zone, year=year - 1)
    growth = {
        name: kpi.growth(getattr(totals, name), getattr(previous, name))
        for name in kpi.TOTAL_FIGURES
    }
    return {
        "zone_id": zone.pk,
        "zone_name": zone.name,
        "year": year,
        "totals": dataclasses.asdict(totals),
        "previous": dataclasses.asdict(previous),
        "growth": growth,
        "cumulative": dataclasses.asdict(kpi.zone_cumulative(zone=zone, up_to_year=year)),
        "counts": {"on": today, **kpi.counts_at(zone=zone, day=today)},
    }


@router.get(
    "/sez/periods/{id}/late",
    auth=token_auth,
    response={200: list[LateOut], **CABINET_ONE_ERRORS},
    summary="Кто не сдал отчёт к сроку (организаторы)",
    description=(
        "Резиденты, обязанные отчитаться за период, у которых к концу срока сдачи (по "
        "Москве) не подано ни одной версии. До истечения срока список пуст."
    ),
    operation_id="sez_period_late",
)
@paginate(Pagination)
def period_late(request: HttpRequest, id: ObjectId):
    only_known_query(request, PAGE_PARAMS)
    _staff_user(request)
    return deadlines.residents_late(selectors.period_for(pk=id))
