"""Public export pages: the events list (upcoming and past, filtered by kind, country and
year), an event with its call (criteria, documents, the window) and the way to apply, the
exporter showcase of an event in Russian, English and — when the event says so — Chinese,
and the yearly fair vote (candidates; the ranked results once published).

The showcase is rendered under ``translation.override``: the page's own labels come from the
catalogue of that language, the event's texts from its ``*_en`` / ``*_zh`` fields (Russian
when a translation is missing).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from mosprom.core import clock
from mosprom.export import selectors
from mosprom.export import selectors_pages as pages
from mosprom.export import votes as fair_votes
from mosprom.export.forms import EventFilterForm
from mosprom.export.models import ExportEvent

EVENTS_PER_PAGE = 12
SHOWCASE_PER_PAGE = 30
ROUNDS_PER_PAGE = 10
CANDIDATES_PER_PAGE = 30

# ?lang= → the language the showcase is rendered in (Chinese only where the event allows).
SHOWCASE_LANGUAGES = {"ru": "ru", "en": "en", "zh": "zh-hans"}


def call_state(event: ExportEvent) -> str:
    """none / not_open / open / closed, as the event page shows the call."""
    call = pages.call_of(event)
    if call is None:
        return "none"
    now = clock.now()
    if now < call.opens_at:
        return "not_open"
    return "open" if now < call.closes_at else "closed"


def may_apply(user) -> bool:
    return bool(user.is_authenticated and (user.is_host or user.is_organiser))


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(
        request.GET or None, countries=pages.event_countries(), years=pages.event_years()
    )
    filters = form.values()
    upcoming = Paginator(pages.events_listed(upcoming=True, **filters), EVENTS_PER_PAGE)
    past = Paginator(pages.events_listed(upcoming=False, **filters), EVENTS_PER_PAGE)
    user = request.user
    return render(
        request,
        "export/public/event_list.html",
        {
            "form": form,
            "filtering": bool(filters),
            "upcoming": upcoming.get_page(request.GET.get("page")),
            "past": past.get_page(request.GET.get("past")),
            "may_apply": may_apply(user),
            "is_staff": selectors.is_staff(user),
            "now": clock.now(),
        },
    )


@require_safe
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_public(pk=pk, user=request.user)
    call = pages.call_of(event)
    return render(
        request,
        "export/public/event_detail.html",
        {
            "event": event,
            "call": call,
            "criteria": list(call.criteria.all()) if call else [],
            "state": call_state(event),
            "may_apply": may_apply(request.user),
            "mine": pages.open_application_of(user=request.user, event=event),
            "participants": pages.showcase_of(event).count(),
            "is_staff": selectors.is_staff(request.user),
        },
    )


def _localised(event: ExportEvent, lang: str) -> dict[str, str]:
    if lang == "en":
        return {
            "title": event.title_en or event.title,
            "description": event.description_en or event.description,
        }
    if lang == "zh":
        return {
            "title": event.title_zh or event.title_en or event.title,
            "description": event.description_zh or event.description_en or event.description,
        }
    return {"title": event.title, "description": event.description}


@require_safe
def showcase(request: HttpRequest, pk: int) -> HttpResponse:
    """Companies that take or took part in the event and the products they show."""
    event = selectors.event_public(pk=pk, user=request.user)
    lang = request.GET.get("lang", "ru")
    if lang not in SHOWCASE_LANGUAGES or (lang == "zh" and not event.show_chinese):
        lang = "ru"
    languages = [("ru", "Русский"), ("en", "English")]
    if event.show_chinese:
        languages.append(("zh", "中文"))
    rows = Paginator(pages.showcase_of(event), SHOWCASE_PER_PAGE).get_page(request.GET.get("page"))
    with translation.override(SHOWCASE_LANGUAGES[lang]):
        return render(
            request,
            "export/public/showcase.html",
            {
                "event": event,
                "text": _localised(event, lang),
                "lang": lang,
                "languages": languages,
                "rows": rows,
            },
        )


@require_safe
def vote_list(request: HttpRequest) -> HttpResponse:
    rounds = Paginator(selectors.vote_rounds_public(), ROUNDS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "export/public/vote_list.html",
        {"rounds": rounds, "now": clock.now(), "may_vote": may_apply(request.user)},
    )


@require_safe
def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidates (with their counts and ranks once the results are published)."""
    vote_round = selectors.vote_round(pk=pk)
    now = clock.now()
    if vote_round.results_published:
        results = fair_votes.vote_results(vote_round)
        ranked, place, previous = [], 0, None
        for index, (candidate, count) in enumerate(results, start=1):
            if count != previous:
                place, previous = index, count
            ranked.append({"candidate": candidate, "votes": count, "place": place})
        candidates = Paginator(ranked, CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
    else:
        candidates = Paginator(pages.vote_candidates(vote_round), CANDIDATES_PER_PAGE).get_page(
            request.GET.get("page")
        )
    return render(
        request,
        "export/public/vote_detail.html",
        {
            "round": vote_round,
            "candidates": candidates,
            "is_open": vote_round.opens_at <= now < vote_round.closes_at,
            "not_yet": now < vote_round.opens_at,
            "may_vote": may_apply(request.user),
        },
    )
