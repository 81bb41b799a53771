"""Public pages of online tours: the gallery (filters by industry and enterprise), a tour with
its player, the play count, and the programme page (audience with its parts, tours and views
of a year, awards).

The tour page never renders anything a person typed as HTML. The player's address comes only
from ``selectors.player`` (built from a platform and a parsed video id); the iframe sits in an
inert ``<template>`` that the page's script clones on «Смотреть здесь», so without JavaScript —
or before the click — nothing is loaded from a third party: the visitor sees the cover and
links to every platform. The page also sends ``Content-Security-Policy: frame-src`` limited to
the recognised players, so a bad address could not be framed even if one slipped in.

A play is counted once per visitor, tour and Moscow day (``media.plays``): the visitor is the
account when logged in, otherwise a random id in a signed, HttpOnly cookie (``mosprom_viewer``).
"""

from __future__ import annotations

import contextlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from mosprom.core import clock
from mosprom.core.periods import Period
from mosprom.media import counts, plays, selectors
from mosprom.media.audience import audience
from mosprom.media.embeds import PLAYER_ORIGINS
from mosprom.media.forms import GalleryFilterForm, YearForm
from mosprom.media.models import OnlineTour, Platform

TOURS_PER_PAGE = 12
AWARDS_PER_PAGE = 20
VIEWER_COOKIE = "mosprom_viewer"
VIEWER_SALT = "media.viewer"
VIEWER_MAX_AGE = 365 * 24 * 3600


# --- Gallery ---------------------------------------------------------------------------------


@require_safe
def gallery(request: HttpRequest) -> HttpResponse:
    form = GalleryFilterForm(
        request.GET or None,
        industries=list(selectors.gallery_industries()),
        enterprises=list(selectors.gallery_enterprises()),
    )
    filters = form.values()
    tours = selectors.tours_public(filters=selectors.GalleryFilters(**filters))
    page = Paginator(tours, TOURS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "media/public/gallery.html",
        {"form": form, "filtering": bool(filters), "page": page},
    )


# --- A tour ----------------------------------------------------------------------------------


def player_title(tour: OnlineTour, player: selectors.Player) -> str:
    """The iframe's accessible name: what plays and whose player it is."""
    return _("Видеоплеер %(platform)s: %(title)s") % {
        "platform": player.label,
        "title": tour.experience.title,
    }


@require_safe
def tour_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tour = selectors.tour_for_visitor(user=request.user, pk=pk)
    player = selectors.player(tour)
    totals = counts.tour_views(tours=[tour])[tour.pk]
    response = render(
        request,
        "media/public/tour_detail.html",
        {
            "tour": tour,
            "experience": tour.experience,
            "enterprise": tour.experience.enterprise,
            "player": player,
            "player_title": player_title(tour, player) if player else "",
            "links": selectors.links(tour),
            "totals": totals,
            "is_public": selectors.is_public(tour),
            "scheduled": tour.published_on > clock.today(),
        },
    )
    # Only the recognised players may be framed here (defence in depth; see the docstring).
    response["Content-Security-Policy"] = "frame-src " + " ".join(PLAYER_ORIGINS)
    return response


def _viewer_id(request: HttpRequest) -> str | None:
    """The anonymous visitor's random id from the signed cookie, if it is there and intact."""
    value = request.get_signed_cookie(VIEWER_COOKIE, default=None, salt=VIEWER_SALT)
    try:
        return uuid.UUID(value).hex if value else None
    except ValueError:
        return None


@never_cache
@require_POST
def tour_play(request: HttpRequest, pk: int) -> HttpResponse:
    """Count a play (the page's script posts it when the player starts): 204 either way — a
    second play the same day, or a draft an organiser previews, is simply not counted."""
    tour = selectors.tour_for_visitor(user=request.user, pk=pk)
    new_viewer = None
    if request.user.is_authenticated:
        identity = f"user:{request.user.pk}"
    else:
        viewer = _viewer_id(request)
        if viewer is None:
            viewer = new_viewer = uuid.uuid4().hex
        identity = f"anon:{viewer}"
    with contextlib.suppress(ValidationError):
        plays.play_record(tour=tour, identity=identity)
    response = HttpResponse(status=204)
    if new_viewer is not None:
        response.set_signed_cookie(
            VIEWER_COOKIE,
            new_viewer,
            salt=VIEWER_SALT,
            max_age=VIEWER_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
        )
    return response


# --- The programme page ----------------------------------------------------------------------


def _detail_labels() -> dict[str, str]:
    return {
        "site": _("на нашем сайте"),
        "platforms": _("на видеоплатформах"),
        "tourism": _("экскурсии и мастер-классы"),
        "games": _("интеллектуальные игры"),
    }


def audience_rows(figures) -> list[dict]:
    """The audience's parts for the template, each with its components labelled."""
    labels = _detail_labels()
    return [
        {
            "part": part,
            "details": [(labels.get(key, key), value) for key, value in part.details],
        }
        for part in figures.parts
    ]


def platform_rows(totals: counts.ViewTotals) -> list[tuple[str, int]]:
    """(platform name, views) for our site and every platform with a count, site first."""
    rows = [(str(Platform.SITE.label), totals.site)]
    for platform in Platform:
        if platform != Platform.SITE and platform.value in totals.platforms:
            rows.append((str(platform.label), totals.platforms[platform.value]))
    return rows


@require_safe
def programme(request: HttpRequest) -> HttpResponse:
    years, default = selectors.programme_years()
    picker = YearForm(request.GET or None, years=years)
    year = picker.cleaned_data["year"] if picker.is_valid() else default
    picker = YearForm(initial={"year": year}, years=years)
    period = Period.year(year)
    figures = audience(period=period)
    views = counts.views_total(period=period)
    tours = selectors.tours_public().filter(
        published_on__gte=period.start, published_on__lte=period.end
    )
    tours_page = Paginator(tours, TOURS_PER_PAGE).get_page(request.GET.get("tours"))
    awards_page = Paginator(selectors.awards_public(), AWARDS_PER_PAGE).get_page(
        request.GET.get("awards")
    )
    return render(
        request,
        "media/public/programme.html",
        {
            "picker": picker,
            "year": year,
            "period": period,
            "audience": figures,
            "audience_rows": audience_rows(figures),
            "views": views,
            "view_rows": platform_rows(views),
            "tours": tours_page,
            "awards": awards_page,
        },
    )
