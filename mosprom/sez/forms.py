"""Forms of the SEZ pages. The report's figures are typed as text and checked by
``reports.report_submit`` (one set of Russian messages for the pages and the API)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mosprom.core import clock
from mosprom.registry.models import SpecialEconomicZone
from mosprom.sez.models import PeriodKind, ResidentPlan
from mosprom.sez.reports import FIGURES, LABELS, WHOLE_FIGURES


class ReportForm(forms.Form):
    """The six figures as typed (spaces and a decimal comma allowed); the service validates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FIGURES:
            whole = name in WHOLE_FIGURES
            self.fields[name] = forms.CharField(
                label=_(LABELS[name]) + ("" if whole else _(", ₽")),
                max_length=40,
                required=True,
                error_messages={"required": _("Укажите «%(field)s».") % {"field": _(LABELS[name])}},
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric" if whole else "decimal", "autocomplete": "off"}
                ),
            )

    def figures(self) -> dict:
        return {name: self.cleaned_data[name] for name in FIGURES}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Что исправить"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Напишите, что нужно исправить в отчёте.")},
    )


class PeriodForm(forms.Form):
    zone = forms.ModelChoiceField(
        label=gettext_lazy("ОЭЗ"), queryset=SpecialEconomicZone.objects.all(), empty_label=None
    )
    kind = forms.ChoiceField(label=gettext_lazy("Вид периода"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=gettext_lazy("Год"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("Квартал"),
        choices=[("", "—"), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=gettext_lazy("Только для квартального периода."),
    )
    due_on = forms.DateField(
        label=gettext_lazy("Срок сдачи"), widget=forms.DateInput(attrs={"type": "date"})
    )


class KpiForm(forms.Form):
    zone = forms.ModelChoiceField(
        label=gettext_lazy("ОЭЗ"),
        queryset=SpecialEconomicZone.objects.all(),
        empty_label=None,
        required=False,
    )
    year = forms.IntegerField(
        label=gettext_lazy("Год"), min_value=2000, max_value=2100, required=False
    )
    day = forms.DateField(
        label=gettext_lazy("Резиденты на дату"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def values(self) -> tuple:
        """(zone or None, year, day): the first zone, last year and today by default."""
        data = self.cleaned_data if self.is_valid() else {}
        zone = data.get("zone") or SpecialEconomicZone.objects.order_by("pk").first()
        today = clock.today()
        return zone, data.get("year") or today.year - 1, data.get("day") or today


class PlanForm(forms.ModelForm):
    """A resident's plan for a year; saving again for the same year replaces it."""

    class Meta:
        model = ResidentPlan
        fields = ["year", "investment", "capex", "jobs", "revenue", "export_revenue"]
        labels = {
            "year": gettext_lazy("Год"),
            "investment": gettext_lazy("Инвестиции, ₽"),
            "capex": gettext_lazy("в т. ч. капитальные вложения, ₽"),
            "jobs": gettext_lazy("Рабочие места"),
            "revenue": gettext_lazy("Выручка, ₽"),
            "export_revenue": gettext_lazy("Экспортная выручка, ₽"),
        }

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.fields["year"].min_value = 2000
        self.fields["year"].max_value = 2100
        for name in ("investment", "capex", "revenue", "export_revenue"):
            self.fields[name].min_value = Decimal(0)
            self.fields[name].widget.attrs["min"] = "0"

    def validate_unique(self):
        # Same year again replaces the plan (see save); no uniqueness error here.
        pass

    def clean(self):
        data = super().clean()
        if (data.get("capex") or 0) > (data.get("investment") or 0):
            self.add_error("capex", _("Капитальные вложения не могут быть больше инвестиций."))
        if (data.get("export_revenue") or 0) > (data.get("revenue") or 0):
            self.add_error("export_revenue", _("Экспортная выручка не может быть больше выручки."))
        return data

    def save(self, commit=True) -> ResidentPlan:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "year"}
        with transaction.atomic():
            plan, _created = ResidentPlan.objects.update_or_create(
                membership=self.membership, year=self.cleaned_data["year"], defaults=data
            )
        return plan
