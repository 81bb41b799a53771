"""Test data for online tours and the audience: a published tour with a RUTUBE publication,
platform view counts, reach records and awards, written directly (not through the services) so
figure tests do not depend on them."""

from __future__ import annotations

import datetime as dt
import itertools

from mosprom.core.periods import Period
from mosprom.media.embeds import parse_video_url
from mosprom.media.models import (
    Award,
    OnlineTour,
    PlatformViews,
    Publication,
    Reach,
    ReachChannel,
)
from mosprom.registry.tests.factories import make_enterprise
from mosprom.tourism.models import Experience, ExperienceKind

_seq = itertools.count(1)
RUTUBE_URL = "https://rutube.ru/video/{:032x}/"


def make_online_tour(
    *,
    enterprise=None,
    title: str | None = None,
    published_on: dt.date = dt.date(2023, 5, 17),
    is_published: bool = True,
    **fields,
) -> OnlineTour:
    """A published online tour (an experience of kind «online_tour» without a site)."""
    n = next(_seq)
    experience = Experience.objects.create(
        enterprise=enterprise or make_enterprise(),
        kind=ExperienceKind.ONLINE_TOUR,
        title=title or f"Онлайн-экскурсия по производству {n}",
        description=fields.pop("description", "Полный цикл: от сырья до готового изделия."),
        duration_minutes=fields.pop("duration_minutes", 15),
        is_published=is_published,
    )
    fields.setdefault("cover_alt", "Цех предприятия")
    return OnlineTour.objects.create(experience=experience, published_on=published_on, **fields)


def make_publication(tour: OnlineTour, url: str | None = None) -> Publication:
    video = parse_video_url(url or RUTUBE_URL.format(next(_seq)))
    return Publication.objects.create(
        tour=tour, platform=video.platform, url=url or video.watch_url, video_key=video.key
    )


def make_platform_views(tour: OnlineTour, period: Period, views: int, platform="rutube"):
    return PlatformViews.objects.create(
        tour=tour,
        platform=platform,
        period_start=period.start,
        period_end=period.end,
        views=views,
    )


def make_reach(channel: str = ReachChannel.SOCIAL, *, period: Period, value: int) -> Reach:
    return Reach.objects.create(
        channel=channel, period_start=period.start, period_end=period.end, value=value
    )


def make_award(**fields) -> Award:
    fields.setdefault("name", "Russian Event Awards")
    fields.setdefault("category", "Лучший проект в сфере промышленного туризма")
    fields.setdefault("year", 2023)
    fields.setdefault("awarding_body", "Российская ассоциация событийного туризма")
    fields.setdefault("place", "1 место")
    return Award.objects.create(**fields)
