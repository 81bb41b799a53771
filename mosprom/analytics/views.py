"""The public «Программа в цифрах» page (/programme/figures/): the open KPIs of a year with
their comparisons and a few charts, each with its table, readable without JavaScript."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from mosprom.analytics import dashboard as figures
from mosprom.analytics.forms import YearForm


@require_safe
def programme(request: HttpRequest) -> HttpResponse:
    form = YearForm.from_query(request.GET)
    period = form.chosen
    context = {
        "form": form,
        "period": period,
        "board": figures.dashboard(period=period, public=True),
    }
    if request.htmx:
        return render(request, "analytics/public/_programme_body.html", context)
    return render(request, "analytics/public/programme.html", context)
