"""Residents' reports: file, correct, approve, return; the warning on a jump.

A report is one per resident and period; each filing adds a ``ReportVersion`` (numbered 1, 2…),
so every version is kept with who and when. Only one version may await review at a time.
Organisers approve it or return it with a comment; totals use the latest approved version.
A correction after approval is just a new version: the approved one keeps counting until the
new one is approved.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mosprom.core import clock
from mosprom.core.links import absolute_url
from mosprom.core.mail import mail_template_after_commit
from mosprom.registry.models import SEZStatus
from mosprom.sez import selectors
from mosprom.sez.errors import (
    Forbidden,
    InvalidRequest,
    InvalidReviewState,
    NotResident,
    ReportLocked,
)
from mosprom.sez.models import (
    AgreementStatus,
    PeriodKind,
    Report,
    ReportPeriod,
    ReportVersion,
    Residency,
    VersionStatus,
)

FIGURES = ("investment", "capex", "jobs_created", "avg_headcount", "revenue", "export_revenue")
JUMP_FACTOR_DEFAULT = Decimal(3)  # settings.SEZ_JUMP_FACTOR overrides

MONEY_FIGURES = ("investment", "capex", "revenue", "export_revenue")
WHOLE_FIGURES = ("jobs_created", "avg_headcount")
# Russian names of the figures as people see them in the form (msgids; translated on use).
LABELS = {
    "investment": gettext_noop("Инвестиции"),
    "capex": gettext_noop("Капитальные вложения"),
    "jobs_created": gettext_noop("Создано рабочих мест"),
    "avg_headcount": gettext_noop("Среднесписочная численность"),
    "revenue": gettext_noop("Выручка"),
    "export_revenue": gettext_noop("Экспортная выручка"),
}
MONEY_MAX = Decimal(10) ** 16  # MONEY: 18 digits, 2 after the point
WHOLE_MAX = 2_147_483_647  # PositiveIntegerField
COMMENT_MAX = 2000


def _label(name: str) -> str:
    return _(LABELS[name])


def _refuse(message: str, name: str) -> InvalidRequest:
    return InvalidRequest(message % {"field": _label(name)})


def _parse_figures(figures: dict) -> dict:
    """The six figures cleaned (Decimal money, int jobs); InvalidRequest naming the first bad."""
    clean: dict = {}
    for name in FIGURES:
        raw = figures.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raise _refuse(_("Укажите «%(field)s»."), name)
        if isinstance(raw, bool):
            raise _refuse(_("«%(field)s»: укажите число."), name)
        try:
            if isinstance(raw, str):
                raw = raw.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            raise _refuse(_("«%(field)s»: укажите число."), name) from None
        if not value.is_finite():
            raise _refuse(_("«%(field)s»: укажите число."), name)
        if value < 0:
            raise _refuse(_("«%(field)s»: число не может быть отрицательным."), name)
        if name in WHOLE_FIGURES:
            if value != value.to_integral_value():
                raise _refuse(_("«%(field)s»: укажите целое число."), name)
            if value > WHOLE_MAX:
                raise _refuse(_("«%(field)s»: слишком большое число."), name)
            clean[name] = int(value)
        else:
            if value != value.quantize(Decimal("0.01"), rounding="ROUND_DOWN"):
                raise _refuse(_("«%(field)s»: не больше двух знаков после запятой."), name)
            if value >= MONEY_MAX:
                raise _refuse(_("«%(field)s»: слишком большое число."), name)
            clean[name] = value.quantize(Decimal("0.01"))
    if clean["capex"] > clean["investment"]:
        raise InvalidRequest(_("Капитальные вложения не могут быть больше инвестиций."))
    if clean["export_revenue"] > clean["revenue"]:
        raise InvalidRequest(_("Экспортная выручка не может быть больше выручки."))
    return clean


def _check_resident(membership) -> None:
    if membership.status != SEZStatus.RESIDENT:
        raise NotResident()
    try:
        residency = membership.residency
    except Residency.DoesNotExist:
        return  # no zone record yet: the agreement in the registry counts as in force
    if residency.agreement_status != AgreementStatus.ACTIVE:
        raise NotResident()


def previous_period(period: ReportPeriod) -> ReportPeriod | None:
    """The period of the same kind just before ``period`` in the same zone, if it exists."""
    found = ReportPeriod.objects.filter(zone_id=period.zone_id, kind=period.kind)
    if period.kind == PeriodKind.QUARTER:
        if period.quarter > 1:
            year, quarter = period.year, period.quarter - 1
        else:
            year, quarter = period.year - 1, 4
        return found.filter(year=year, quarter=quarter).first()
    return found.filter(year=period.year - 1).first()


def _jump_factor() -> Decimal:
    return Decimal(str(getattr(settings, "SEZ_JUMP_FACTOR", JUMP_FACTOR_DEFAULT)))


def _report_get_or_create(*, membership, period: ReportPeriod) -> Report:
    report = Report.objects.filter(membership=membership, period=period).first()
    if report is not None:
        return report
    try:
        with transaction.atomic():
            return Report.objects.create(membership=membership, period=period)
    except IntegrityError:
        # Another filing created it between our read and our insert.
        return Report.objects.get(membership=membership, period=period)


def report_submit(*, membership, period: ReportPeriod, actor, figures: dict) -> ReportVersion:
    """File (or correct) ``membership``'s report for ``period``: a host member of the
    enterprise (or an organiser). Validates: every figure present, no negatives, jobs and
    headcount whole, capex ≤ investment, export ≤ revenue (InvalidRequest naming the field in
    Russian); the membership is a resident with an active agreement (NotResident); a version
    awaiting review blocks a new one (ReportLocked). Adds a warning (not a refusal) to
    ``warnings`` for each figure more than the jump factor above or below the previous period's
    approved figure of the same kind. Mails organisers? no — the list of reports to review is
    enough; mails the company on approve/return."""
    if not selectors.memberships_of(actor).filter(pk=membership.pk).exists():
        raise Forbidden()
    if period.zone_id != membership.zone_id:
        raise InvalidRequest(_("Этот отчётный период относится к другой ОЭЗ."))
    _check_resident(membership)
    clean = _parse_figures(figures)
    with transaction.atomic():
        report = _report_get_or_create(membership=membership, period=period)
        report = Report.objects.select_for_update().get(pk=report.pk)
        latest = report.versions.order_by("-number").first()
        if latest is not None and latest.status == VersionStatus.SUBMITTED:
            raise ReportLocked()
        before = previous_period(period)
        previous = None
        if before is not None:
            earlier = Report.objects.filter(membership=membership, period=before).first()
            previous = latest_approved(earlier) if earlier is not None else None
        with translation.override(settings.LANGUAGE_CODE):
            warnings = jump_warnings(figures=clean, previous=previous, factor=_jump_factor())
        return ReportVersion.objects.create(
            report=report,
            number=(latest.number if latest else 0) + 1,
            warnings=warnings,
            status=VersionStatus.SUBMITTED,
            submitted_by=actor,
            submitted_at=clock.now(),
            **clean,
        )


def _locked_submitted(*, version: ReportVersion, actor) -> ReportVersion:
    if not selectors.is_staff(actor):
        raise Forbidden()
    locked = (
        ReportVersion.objects.select_for_update()
        .select_related("report__membership__enterprise", "report__period")
        .get(pk=version.pk)
    )
    if locked.status != VersionStatus.SUBMITTED:
        raise InvalidReviewState(status=locked.get_status_display())
    return locked


def _company_emails(enterprise) -> list[str]:
    users = (
        get_user_model()
        .objects.filter(memberships__enterprise=enterprise, is_active=True)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def _report_url(report: Report) -> str:
    try:
        return absolute_url(reverse("sez:report_detail", args=[report.pk]))
    except NoReverseMatch:
        return settings.SITE_URL


def _mail_company(version: ReportVersion) -> None:
    report = version.report
    to = _company_emails(report.membership.enterprise)
    if not to:
        return
    context = {
        "version": version,
        "report": report,
        "period": report.period,
        "enterprise": report.membership.enterprise,
        "approved": version.status == VersionStatus.APPROVED,
        "report_url": _report_url(report),
    }
    mail_template_after_commit(template="sez/email/review", to=to, context=context)


def _reviewed(version: ReportVersion, locked: ReportVersion) -> ReportVersion:
    # Keep the caller's instance in step with what was written.
    for field in ("status", "reviewed_by", "reviewed_at", "review_comment"):
        setattr(version, field, getattr(locked, field))
    return locked


def version_approve(*, version: ReportVersion, actor) -> ReportVersion:
    """Organisers approve a submitted version (InvalidReviewState otherwise); company mailed."""
    with transaction.atomic():
        locked = _locked_submitted(version=version, actor=actor)
        locked.status = VersionStatus.APPROVED
        locked.reviewed_by = actor
        locked.reviewed_at = clock.now()
        locked.review_comment = ""
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
        _mail_company(locked)
    return _reviewed(version, locked)


def version_return(*, version: ReportVersion, actor, comment: str) -> ReportVersion:
    """Organisers return a submitted version with a comment (required, ≤2000); company mailed."""
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = _locked_submitted(version=version, actor=actor)
        if not comment:
            raise InvalidRequest(_("Напишите, что нужно исправить в отчёте."))
        if len(comment) > COMMENT_MAX:
            raise InvalidRequest(
                _("Комментарий слишком длинный: не больше %(max)s символов.") % {"max": COMMENT_MAX}
            )
        locked.status = VersionStatus.RETURNED
        locked.reviewed_by = actor
        locked.reviewed_at = clock.now()
        locked.review_comment = comment
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
        _mail_company(locked)
    return _reviewed(version, locked)


def latest_approved(report: Report) -> ReportVersion | None:
    """The highest-numbered approved version of ``report`` (None if none was approved)."""
    return report.versions.filter(status=VersionStatus.APPROVED).order_by("-number").first()


def _number(value) -> str:
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", "\u00a0")
    return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",")


def jump_warnings(*, figures: dict, previous: ReportVersion | None, factor: Decimal) -> list[str]:
    """Russian warnings for figures more than ``factor`` times the previous (or less than
    previous / factor); none without a previous approved version or when the previous is 0."""
    if previous is None:
        return []
    factor = Decimal(factor)
    warnings: list[str] = []
    for name in FIGURES:
        before = Decimal(getattr(previous, name) or 0)
        if before <= 0 or figures.get(name) is None:
            continue
        now = Decimal(figures[name])
        params = {
            "field": _label(name),
            "now": _number(now),
            "before": _number(before),
            "factor": _number(factor),
        }
        if now > before * factor:
            warnings.append(
                _(
                    "«%(field)s»: %(now)s против %(before)s в прошлом периоде — рост больше "
                    "чем в %(factor)s раза. Проверьте цифры."
                )
                % params
            )
        elif now * factor < before:
            warnings.append(
                _(
                    "«%(field)s»: %(now)s против %(before)s в прошлом периоде — снижение больше "
                    "чем в %(factor)s раза. Проверьте цифры."
                )
                % params
            )
    return warnings
