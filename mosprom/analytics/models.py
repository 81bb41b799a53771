"""Historical KPI values organisers import for years before the platform kept records.

Computed values come from the contexts' records (``analytics.catalogue``); these rows are only
consulted where the records do not cover the period (``analytics.values``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from mosprom.core import clock
from mosprom.core.periods import Period


class ImportedValue(models.Model):
    kpi = models.CharField("показатель", max_length=64)
    period_start = models.DateField("начало периода")
    period_end = models.DateField("конец периода")
    value = models.DecimalField("значение", max_digits=20, decimal_places=2)
    note = models.CharField("источник", max_length=500, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "исторический показатель"
        verbose_name_plural = "исторические показатели"
        ordering = ["kpi", "period_start", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period_start", "period_end"], name="imported_value_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="imported_value_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} · {self.period.label}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)
