"""The organisers' press-release page (/manage/figures/press/): a period and a part of the
programme in, the generated Russian text out — every figure a link to the KPI and period it
came from, a table of the exact values behind the figures, and a button that copies the plain
text. Reading only (GET); ``organiser_required``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from mosprom.accounts.decorators import organiser_required
from mosprom.analytics import press
from mosprom.analytics.catalogue import Context
from mosprom.core import clock
from mosprom.core.periods import Period, PeriodError, parse_period

ALL_LABEL = _("Вся программа")


def _context_choices() -> list[tuple[str, str]]:
    return [(press.ALL, ALL_LABEL), *((name, Context.LABELS[name]) for name in press.CONTEXTS)]


class PressForm(forms.Form):
    period = forms.CharField(
        label=_("Период"),
        max_length=40,
        help_text=_("Например: 2023, 2025-H1, 2023-Q2, 2023-05 или 2023-01-01..2023-03-31."),
        error_messages={"required": _("Укажите период: например, 2023 или 2025-H1.")},
    )
    context = forms.ChoiceField(
        label=_("О чём текст"),
        choices=_context_choices,
        required=False,
        error_messages={"invalid_choice": _("Выберите тему из списка.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].widget.attrs.update({"autocomplete": "off", "placeholder": "2023"})

    def clean_period(self) -> Period:
        try:
            return parse_period(self.cleaned_data["period"])
        except PeriodError as exc:
            raise ValidationError(str(exc), code="period") from exc

    def clean_context(self) -> str:
        return self.cleaned_data.get("context") or press.ALL


@organiser_required
@require_safe
def release_page(request: HttpRequest) -> HttpResponse:
    """The release for the chosen period and part (last year, whole programme at first)."""
    if {"period", "context"} & request.GET.keys():
        form = PressForm(request.GET)
        chosen = (
            (form.cleaned_data["period"], form.cleaned_data["context"]) if form.is_valid() else None
        )
    else:
        last_year = clock.today().year - 1
        form = PressForm(initial={"period": str(last_year), "context": press.ALL})
        chosen = (Period.year(last_year), press.ALL)
    context: dict = {"form": form, "result": None}
    if chosen is not None:
        period, about = chosen
        context |= {
            "result": press.release(period=period, context=about),
            "period": period,
            "about": ALL_LABEL if about == press.ALL else Context.LABELS[about],
        }
    return render(request, "analytics/press/release.html", context)
