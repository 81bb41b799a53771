"""The public enterprise catalogue: search with filters, and an enterprise's page."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mosprom.registry import selectors
from mosprom.registry.models import Enterprise
from mosprom.registry.okrugs import Okrug

PER_PAGE = 20


class CatalogueFilterForm(forms.Form):
    """The GET form of the catalogue; invalid values are reported and then ignored."""

    q = forms.CharField(
        label=_("Название, продукция или описание"),
        required=False,
        max_length=selectors.MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("например, игрушки или Микрон")}
        ),
    )
    industry = forms.ChoiceField(label=_("Отрасль"), required=False)
    okrug = forms.ChoiceField(
        label=_("Округ"),
        required=False,
        choices=[("", _("Все округа")), *Okrug.choices],
    )
    sez = forms.ChoiceField(
        label=_("Особая экономическая зона"),
        required=False,
        choices=[
            ("", _("Не важно")),
            (selectors.SEZFilter.MEMBER, _("Любая компания ОЭЗ")),
            (selectors.SEZFilter.RESIDENT, _("Резиденты ОЭЗ")),
            (selectors.SEZFilter.LOCATED, _("Размещённые, не резиденты")),
        ],
    )
    hosts_tours = forms.BooleanField(label=_("Принимает экскурсии"), required=False)

    def __init__(self, *args, industries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [
            ("", _("Все отрасли")),
            *(
                (industry.code, f"{industry.code} — {gettext(industry.name)}")
                for industry in industries
            ),
        ]

    def filters(self) -> dict:
        """The valid filters, each defaulting to «any» when absent or invalid."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "industry": data.get("industry") or None,
            "okrug": data.get("okrug") or None,
            "sez": data.get("sez") or None,
            "hosts_tours": bool(data.get("hosts_tours")),
        }


def _drop_filter_links(request: HttpRequest, filters: dict) -> list[tuple[str, str]]:
    """For «nothing found»: a link without each active filter, labelled in Russian."""
    labels = {
        "q": _("Без поискового запроса"),
        "industry": _("Во всех отраслях"),
        "okrug": _("Во всех округах"),
        "sez": _("Не только компании ОЭЗ"),
        "hosts_tours": _("Не только принимающие экскурсии"),
    }
    active = [name for name, value in filters.items() if value]
    links = []
    for name in active:
        params = [(k, v) for k, v in request.GET.items() if k not in (name, "page") and v]
        links.append((labels[name], "?" + urlencode(params)))
    return links


def enterprise_list(request: HttpRequest) -> HttpResponse:
    industries = list(selectors.industries_in_use())
    form = CatalogueFilterForm(request.GET or None, industries=industries)
    filters = form.filters()
    results = selectors.enterprise_search(**filters)
    paginator = Paginator(results, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    searching = any(filters.values())
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "searching": searching,
        "count": paginator.count,
    }
    if paginator.count == 0 and searching:
        context["suggestions"] = selectors.search_suggestions(q=filters["q"])
        context["drop_filter_links"] = _drop_filter_links(request, filters)
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        response = render(request, "registry/_results.html", {**context, "oob": True})
    else:
        response = render(request, "registry/enterprise_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        enterprise = selectors.enterprise_get(pk=pk)
    except Enterprise.DoesNotExist:
        raise Http404 from None
    return render(request, "registry/enterprise_detail.html", {"enterprise": enterprise})
