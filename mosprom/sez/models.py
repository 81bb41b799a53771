"""The special economic zone: its sites, residents' agreements and yearly plans, periodic KPI
reports with every version kept, approval, deadlines and late flags.

A resident is a registry enterprise whose ``SEZMembership`` has status «resident» (agreement
number and date guaranteed there); ``Residency`` adds what the zone's managing company tracks:
the site, when the company was located, the agreement's state and when it ended. A report is
one per resident and period (unique); its figures live in numbered ``ReportVersion`` rows, and
totals use the latest approved version only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mosprom.core import clock
from mosprom.core.models import TimeStampedModel
from mosprom.registry.models import SEZMembership, SpecialEconomicZone

MONEY = {"max_digits": 18, "decimal_places": 2}


class ZoneSite(models.Model):
    zone = models.ForeignKey(SpecialEconomicZone, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField("площадка", max_length=255)
    address = models.CharField("адрес", max_length=500, blank=True)

    class Meta:
        verbose_name = "площадка ОЭЗ"
        verbose_name_plural = "площадки ОЭЗ"
        ordering = ["zone_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="zone_site_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class AgreementStatus(models.TextChoices):
    ACTIVE = "active", _("Действует")
    SUSPENDED = "suspended", _("Приостановлено")
    TERMINATED = "terminated", _("Прекращено")


class Residency(TimeStampedModel):
    """The zone's record of a company located there (and, for residents, its agreement)."""

    membership = models.OneToOneField(
        SEZMembership, on_delete=models.CASCADE, related_name="residency"
    )
    site = models.ForeignKey(
        ZoneSite, on_delete=models.PROTECT, null=True, blank=True, related_name="residencies"
    )
    located_from = models.DateField("размещена с")
    located_until = models.DateField("размещена до", null=True, blank=True)
    agreement_status = models.CharField(
        "состояние соглашения",
        max_length=12,
        choices=AgreementStatus.choices,
        default=AgreementStatus.ACTIVE,
    )
    terminated_on = models.DateField("соглашение прекращено", null=True, blank=True)

    class Meta:
        verbose_name = "размещение в ОЭЗ"
        verbose_name_plural = "размещения в ОЭЗ"
        constraints = [
            models.CheckConstraint(
                condition=Q(located_until__isnull=True) | Q(located_until__gt=F("located_from")),
                name="residency_dates",
            ),
            models.CheckConstraint(
                condition=~Q(agreement_status="terminated") | Q(terminated_on__isnull=False),
                name="residency_terminated_has_date",
            ),
        ]

    def __str__(self) -> str:
        return str(self.membership)


class ResidentPlan(models.Model):
    """What a resident declared for a year in its agreement (roubles; jobs are whole)."""

    membership = models.ForeignKey(SEZMembership, on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField("год")
    investment = models.DecimalField("инвестиции, ₽", **MONEY, default=0)
    capex = models.DecimalField("в т. ч. капитальные вложения, ₽", **MONEY, default=0)
    jobs = models.PositiveIntegerField("рабочие места", default=0)
    revenue = models.DecimalField("выручка, ₽", **MONEY, default=0)
    export_revenue = models.DecimalField("экспортная выручка, ₽", **MONEY, default=0)

    class Meta:
        verbose_name = "план резидента"
        verbose_name_plural = "планы резидентов"
        ordering = ["membership_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "year"], name="plan_one_per_year"),
            models.CheckConstraint(
                condition=Q(investment__gte=0)
                & Q(capex__gte=0)
                & Q(revenue__gte=0)
                & Q(export_revenue__gte=0)
                & Q(capex__lte=F("investment")),
                name="plan_figures_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.year}"


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Квартал")
    YEAR = "year", _("Год")


class ReportPeriod(models.Model):
    """A reporting period of the zone with its due date."""

    zone = models.ForeignKey(
        SpecialEconomicZone, on_delete=models.CASCADE, related_name="report_periods"
    )
    kind = models.CharField("вид", max_length=8, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField("год")
    quarter = models.PositiveSmallIntegerField("квартал", null=True, blank=True)
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    due_on = models.DateField("срок сдачи")

    class Meta:
        verbose_name = "отчётный период"
        verbose_name_plural = "отчётные периоды"
        ordering = ["-starts_on", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "year", "quarter"],
                condition=Q(kind="quarter"),
                name="period_quarter_unique",
            ),
            models.UniqueConstraint(
                fields=["zone", "year"], condition=Q(kind="year"), name="period_year_unique"
            ),
            models.CheckConstraint(
                condition=(Q(kind="quarter") & Q(quarter__gte=1) & Q(quarter__lte=4))
                | (Q(kind="year") & Q(quarter__isnull=True)),
                name="period_quarter_valid",
            ),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="period_dates"),
            models.CheckConstraint(condition=Q(due_on__gte=F("ends_on")), name="period_due"),
        ]

    def __str__(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return f"{self.quarter} кв. {self.year}"
        return f"{self.year} год"


class Report(TimeStampedModel):
    """A resident's report for a period: one per resident and period; figures in versions."""

    membership = models.ForeignKey(SEZMembership, on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(ReportPeriod, on_delete=models.PROTECT, related_name="reports")
    late = models.BooleanField("просрочен", default=False)

    class Meta:
        verbose_name = "отчёт резидента"
        verbose_name_plural = "отчёты резидентов"
        ordering = ["-period__starts_on", "membership_id"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "period"], name="report_one_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.period}"


class VersionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("На проверке")
    APPROVED = "approved", _("Принят")
    RETURNED = "returned", _("Возвращён на доработку")


class ReportVersion(models.Model):
    """One filing of a report's figures; corrections add versions, nothing is overwritten."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("версия")
    investment = models.DecimalField("инвестиции за период, ₽", **MONEY)
    capex = models.DecimalField("в т. ч. капитальные вложения, ₽", **MONEY)
    jobs_created = models.PositiveIntegerField("создано рабочих мест")
    avg_headcount = models.PositiveIntegerField("среднесписочная численность")
    revenue = models.DecimalField("выручка, ₽", **MONEY)
    export_revenue = models.DecimalField("экспортная выручка, ₽", **MONEY)
    warnings = models.JSONField("предупреждения", default=list, blank=True)
    status = models.CharField(
        "состояние", max_length=12, choices=VersionStatus.choices, default=VersionStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=clock.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.CharField("комментарий проверяющего", max_length=2000, blank=True)

    class Meta:
        verbose_name = "версия отчёта"
        verbose_name_plural = "версии отчётов"
        ordering = ["report_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="version_number_unique"),
            models.CheckConstraint(
                condition=Q(investment__gte=0)
                & Q(capex__gte=0)
                & Q(revenue__gte=0)
                & Q(export_revenue__gte=0)
                & Q(capex__lte=F("investment"))
                & Q(export_revenue__lte=F("revenue")),
                name="version_figures_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"
