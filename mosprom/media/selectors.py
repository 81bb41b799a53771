"""Reads for online tours, view counts, reach and awards, with the permission check inside.

Public reads (``tours_public``, ``tour_for_visitor``, ``awards_public``) need no account; the
back-office reads (``*_for_staff``) raise ``PermissionDenied`` unless the user is an organiser
or an administrator, and ``Http404`` for an unknown id. A tour is *public* when its experience
is published and its publication date has come (Moscow day); a later date means «scheduled».
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet
from django.http import Http404

from mosprom.core import clock
from mosprom.core.periods import Period
from mosprom.media.embeds import embed_url, watch_url
from mosprom.media.models import Award, OnlineTour, Platform, PlatformViews, Publication, Reach
from mosprom.registry.models import Enterprise, Industry

# The order in which the tour page picks the player among the publications: Russian platforms
# first (they play without a VPN for most of our audience).
PLAYER_ORDER = (Platform.RUTUBE, Platform.VK, Platform.YOUTUBE, Platform.OK)


def require_organiser(user) -> None:
    """``PermissionDenied`` unless ``user`` is an active organiser or administrator."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_organiser", False):
        raise PermissionDenied


def is_staff_viewer(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_organiser", False))


def public_q(prefix: str = "") -> Q:
    """The condition «public tour» on ``OnlineTour`` (or through ``prefix``)."""
    return Q(**{f"{prefix}experience__is_published": True}) & Q(
        **{f"{prefix}published_on__lte": clock.today()}
    )


def is_public(tour: OnlineTour) -> bool:
    """Whether visitors may see (and play) ``tour`` today."""
    return bool(tour.experience.is_published and tour.published_on <= clock.today())


def _tours() -> QuerySet[OnlineTour]:
    return OnlineTour.objects.select_related(
        "experience", "experience__enterprise", "experience__enterprise__industry"
    ).prefetch_related("publications")


# --- Public ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GalleryFilters:
    industry: str | None = None  # Industry.code, e.g. "26"
    enterprise: int | None = None  # Enterprise.pk


def tours_public(*, filters: GalleryFilters | None = None) -> QuerySet[OnlineTour]:
    """Public tours, newest first, with experience, enterprise, industry and publications
    loaded (two queries for any page)."""
    tours = _tours().filter(public_q()).order_by("-published_on", "-experience_id")
    if filters is not None:
        if filters.industry:
            tours = tours.filter(experience__enterprise__industry__code=filters.industry)
        if filters.enterprise:
            tours = tours.filter(experience__enterprise_id=filters.enterprise)
    return tours


def tours_published_count(*, period: Period | None = None) -> int:
    """Public tours whose publication date falls in ``period`` (all time without one), in one
    query — the «online tours published» headline figure."""
    tours = OnlineTour.objects.filter(public_q())
    if period is not None:
        tours = tours.filter(published_on__gte=period.start, published_on__lte=period.end)
    return tours.count()


def records_since() -> dt.date | None:
    """The first day the media records cover: the earliest of the first public tour's
    publication, the first platform count's period and the first reach record's period."""
    firsts = [
        OnlineTour.objects.filter(public_q()).aggregate(first=Min("published_on"))["first"],
        PlatformViews.objects.aggregate(first=Min("period_start"))["first"],
        Reach.objects.aggregate(first=Min("period_start"))["first"],
    ]
    known = [day for day in firsts if day is not None]
    return min(known) if known else None


def awards_count(*, period: Period) -> int:
    """Awards of the years lying wholly inside ``period`` (an award has only a year), in one
    query."""
    years = [
        y for y in range(period.start.year, period.end.year + 1) if period.contains(Period.year(y))
    ]
    return Award.objects.filter(year__in=years).count()


def awards_since() -> dt.date | None:
    """1 January of the first award's year."""
    first = Award.objects.aggregate(first=Min("year"))["first"]
    return dt.date(first, 1, 1) if first else None


def programme_years() -> tuple[list[int], int]:
    """Years the picker offers (newest first, up to this year) and the default one: the latest
    year with any tour, count, reach or award; this year when there is nothing yet."""
    this_year = clock.today().year
    bounds = [
        OnlineTour.objects.filter(public_q()).aggregate(
            first=Min("published_on"), last=Max("published_on")
        ),
        PlatformViews.objects.aggregate(first=Min("period_start"), last=Max("period_end")),
        Reach.objects.aggregate(first=Min("period_start"), last=Max("period_end")),
        Award.objects.aggregate(first=Min("year"), last=Max("year")),
    ]
    firsts, lasts = [], []
    for row in bounds:
        for key, found in (("first", firsts), ("last", lasts)):
            value = row[key]
            if value is not None:
                found.append(value.year if isinstance(value, dt.date) else int(value))
    default = min(max(lasts), this_year) if lasts else this_year
    first = min([*firsts, default])
    return list(range(this_year, first - 1, -1)), default


def gallery_industries() -> QuerySet[Industry]:
    """Industries that have at least one public tour (for the gallery's filter)."""
    public = OnlineTour.objects.filter(public_q(), experience__enterprise__industry=OuterRef("pk"))
    return Industry.objects.filter(Exists(public)).order_by("name")


def gallery_enterprises() -> QuerySet[Enterprise]:
    """Enterprises that have at least one public tour (for the gallery's filter)."""
    public = OnlineTour.objects.filter(public_q(), experience__enterprise=OuterRef("pk"))
    return Enterprise.objects.filter(Exists(public)).order_by("short_name", "id")


def tour_for_visitor(*, user, pk) -> OnlineTour:
    """The tour if it is public; organisers and administrators also get drafts and scheduled
    tours. ``Http404`` otherwise (a draft's existence is not revealed)."""
    tours = _tours()
    if not is_staff_viewer(user):
        tours = tours.filter(public_q())
    try:
        return tours.get(pk=pk)
    except (OnlineTour.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def awards_public() -> QuerySet[Award]:
    """Every award, newest year first (the programme page lists them all)."""
    return Award.objects.order_by("-year", "name", "id")


# --- Back office ----------------------------------------------------------------------------


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def tours_for_staff(*, user) -> QuerySet[OnlineTour]:
    """Every tour (drafts and scheduled included), newest first; organisers only."""
    require_organiser(user)
    return _tours().order_by("-published_on", "-experience_id")


def tour_for_staff(*, user, pk) -> OnlineTour:
    """One tour for editing; organisers only, ``Http404`` when unknown."""
    require_organiser(user)
    return _get(_tours(), pk)


def platform_views_for_staff(
    *, user, tour: OnlineTour | None = None, period: Period | None = None
) -> QuerySet[PlatformViews]:
    """Platform view counts, newest period first; with ``period``, the rows whose period lies
    wholly inside it (the rows that make up ``counts.tour_views`` for that period)."""
    require_organiser(user)
    rows = PlatformViews.objects.select_related("tour__experience", "entered_by").order_by(
        "-period_start", "tour_id", "platform"
    )
    if tour is not None:
        rows = rows.filter(tour=tour)
    if period is not None:
        rows = rows.filter(period_start__gte=period.start, period_end__lte=period.end)
    return rows


def platform_views_row_for_staff(*, user, pk) -> PlatformViews:
    """One platform count row; organisers only, ``Http404`` when unknown."""
    require_organiser(user)
    return _get(PlatformViews.objects.select_related("tour__experience", "entered_by"), pk)


def reach_for_staff(*, user) -> QuerySet[Reach]:
    """Reach records, newest period first; organisers only."""
    require_organiser(user)
    return Reach.objects.select_related("entered_by").order_by("-period_start", "channel")


def reach_row_for_staff(*, user, pk) -> Reach:
    """One reach record; organisers only, ``Http404`` when unknown."""
    require_organiser(user)
    return _get(Reach.objects.select_related("entered_by"), pk)


def award_for_staff(*, user, pk) -> Award:
    """One award for editing; organisers only, ``Http404`` when unknown."""
    require_organiser(user)
    return _get(Award.objects.all(), pk)


# --- The player -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Player:
    """What the tour page plays: ``kind`` «file» (our own ``<video>``) or «embed» (an iframe of
    a recognised platform; ``src`` is always built by ``embeds.embed_url``)."""

    kind: str
    src: str
    platform: str = ""
    watch: str = ""
    label: str = ""


def _ordered_publications(tour: OnlineTour) -> list[Publication]:
    rank = {platform.value: index for index, platform in enumerate(PLAYER_ORDER)}
    publications = list(tour.publications.all())  # prefetched by the selectors above
    return sorted(publications, key=lambda p: rank.get(p.platform, len(rank)))


def player(tour: OnlineTour) -> Player | None:
    """The uploaded file when there is one, else the first publication in the order RUTUBE,
    VK, YouTube, OK; ``None`` when the tour has neither (the page shows the cover and links)."""
    if tour.video:
        return Player(kind="file", src=tour.video.url, platform=Platform.SITE.value)
    for publication in _ordered_publications(tour):
        return Player(
            kind="embed",
            src=embed_url(publication.platform, publication.video_key),
            platform=publication.platform,
            watch=watch_url(publication.platform, publication.video_key),
            label=str(Platform(publication.platform).label),
        )
    return None


def links(tour: OnlineTour) -> list[tuple[str, str]]:
    """(platform label, watch URL) for every publication, in the player's order."""
    return [
        (str(Platform(p.platform).label), watch_url(p.platform, p.video_key))
        for p in _ordered_publications(tour)
    ]
