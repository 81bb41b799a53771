"""Writing online tours and their publications (organisers and administrators only).

An online tour is an ``Experience`` of kind «online_tour» without a site plus its
``OnlineTour`` (same primary key). Every write is atomic and leaves one FIGURES_CHANGED audit
event; bad input raises ``ValidationError`` with a dict of field errors in Russian.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mosprom.accounts.audit import audit_record
from mosprom.accounts.models import AuditAction
from mosprom.media.embeds import parse_video_url
from mosprom.media.models import EXTERNAL_PLATFORMS, OnlineTour, Publication
from mosprom.media.selectors import require_organiser
from mosprom.registry.models import Enterprise
from mosprom.tourism.models import Experience, ExperienceKind

TOUR_FIELDS = (
    "enterprise",
    "title",
    "description",
    "duration_minutes",
    "published_on",
    "host_name",
    "cover_alt",
    "is_published",
)
DURATION_MIN, DURATION_MAX = 1, 600
TITLE_MAX = 255
VIDEO_EXTENSIONS = (".mp4", ".webm")
COVER_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")
DEFAULT_VIDEO_MAX_BYTES = 500 * 1024 * 1024
EXPERIENCE_FIELDS = ("enterprise", "title", "description", "duration_minutes", "is_published")


def video_max_bytes() -> int:
    return int(getattr(settings, "MEDIA_VIDEO_MAX_BYTES", DEFAULT_VIDEO_MAX_BYTES))


def audit_change(*, actor, target, op: str, kind: str = "", **details: Any) -> None:
    """One FIGURES_CHANGED event for an organiser's change to a media record (``kind`` names
    the record type when there is no single target, e.g. an import)."""
    audit_record(
        action=AuditAction.FIGURES_CHANGED,
        actor=actor,
        target=target,
        details={"object": kind or target._meta.model_name, "op": op} | details,
    )


# --- Validation -----------------------------------------------------------------------------


def _text(value, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _clean(data: dict, *, current: dict, has_cover: bool, video, cover) -> dict:
    """The merged field values (``data`` over ``current``), or ``ValidationError``."""
    unknown = set(data) - set(TOUR_FIELDS)
    if unknown:
        raise ValueError(f"unknown tour fields: {sorted(unknown)}")
    merged = current | data
    errors: dict[str, list[str]] = {}

    enterprise = merged.get("enterprise")
    if not isinstance(enterprise, Enterprise):
        errors.setdefault("enterprise", []).append(_("Выберите предприятие."))

    title = str(merged.get("title") or "").strip()
    if not title:
        errors.setdefault("title", []).append(_("Укажите название онлайн-экскурсии."))
    elif len(title) > TITLE_MAX:
        errors.setdefault("title", []).append(
            _("Название не длиннее %(n)s символов.") % {"n": TITLE_MAX}
        )

    duration = merged.get("duration_minutes")
    try:
        duration = int(duration)
        if isinstance(merged.get("duration_minutes"), bool):
            raise TypeError
    except (TypeError, ValueError):
        duration = None
    if duration is None or not DURATION_MIN <= duration <= DURATION_MAX:
        errors.setdefault("duration_minutes", []).append(
            _("Продолжительность — целое число минут от %(min)s до %(max)s.")
            % {"min": DURATION_MIN, "max": DURATION_MAX}
        )

    published_on = merged.get("published_on")
    if isinstance(published_on, str) and published_on.strip():
        try:
            published_on = dt.date.fromisoformat(published_on.strip())
        except ValueError:
            published_on = None
    if isinstance(published_on, dt.datetime) or not isinstance(published_on, dt.date):
        errors.setdefault("published_on", []).append(
            _("Укажите дату публикации (можно будущую — тогда экскурсия появится в этот день).")
        )

    cover_alt = _text(merged.get("cover_alt"), 255)
    if has_cover and not cover_alt:
        errors.setdefault("cover_alt", []).append(
            _("Опишите, что изображено на обложке: это прочтут незрячие посетители.")
        )
    if cover is not None:
        extension = os.path.splitext(cover.name or "")[1].lower()
        if extension not in COVER_EXTENSIONS:
            errors.setdefault("cover", []).append(_("Обложка — изображение JPEG, PNG или WebP."))
    if video is not None:
        extension = os.path.splitext(video.name or "")[1].lower()
        if extension not in VIDEO_EXTENSIONS:
            errors.setdefault("video", []).append(_("Видеофайл — MP4 или WebM."))
        elif (video.size or 0) > video_max_bytes():
            errors.setdefault("video", []).append(
                _(
                    "Видеофайл больше %(mb)s МБ: опубликуйте его на видеоплатформе "
                    "и вставьте ссылку."
                )
                % {"mb": video_max_bytes() // (1024 * 1024)}
            )
    if errors:
        raise ValidationError(errors)
    return {
        "enterprise": enterprise,
        "title": title,
        "description": str(merged.get("description") or "").strip(),
        "duration_minutes": duration,
        "published_on": published_on,
        "host_name": _text(merged.get("host_name"), 255),
        "cover_alt": cover_alt,
        "is_published": bool(merged.get("is_published", True)),
    }


def _delete_file_on_commit(field_file) -> None:
    """Remove a replaced or cleared file once the change is committed (never before)."""
    if field_file:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


# --- Tours ----------------------------------------------------------------------------------


def online_tour_create(*, actor, data: dict, cover=None, video=None) -> OnlineTour:
    """A new online tour (experience of kind «online_tour», no site) with its cover and video
    file, audited; ``ValidationError`` for bad input, ``PermissionDenied`` for non-organisers."""
    require_organiser(actor)
    values = _clean(data, current={}, has_cover=cover is not None, video=video, cover=cover)
    with transaction.atomic():
        experience = Experience.objects.create(
            kind=ExperienceKind.ONLINE_TOUR,
            site=None,
            **{name: values[name] for name in EXPERIENCE_FIELDS},
        )
        tour = OnlineTour(
            experience=experience,
            published_on=values["published_on"],
            host_name=values["host_name"],
            cover_alt=values["cover_alt"],
        )
        if cover is not None:
            tour.cover.save(cover.name, cover, save=False)
        if video is not None:
            tour.video.save(video.name, video, save=False)
        tour.save()
        audit_change(actor=actor, target=tour, op="create", title=values["title"])
    return tour


def _current(tour: OnlineTour) -> dict:
    experience = tour.experience
    return {
        "enterprise": experience.enterprise,
        "title": experience.title,
        "description": experience.description,
        "duration_minutes": experience.duration_minutes,
        "published_on": tour.published_on,
        "host_name": tour.host_name,
        "cover_alt": tour.cover_alt,
        "is_published": experience.is_published,
    }


def online_tour_update(
    *,
    actor,
    tour: OnlineTour,
    data: dict,
    cover=None,
    video=None,
    clear_cover: bool = False,
    clear_video: bool = False,
) -> OnlineTour:
    """The tour with the fields in ``data`` changed (absent fields keep their value), the cover
    or video replaced or cleared (old files removed after commit), audited."""
    require_organiser(actor)
    has_cover = cover is not None or (bool(tour.cover) and not clear_cover)
    values = _clean(data, current=_current(tour), has_cover=has_cover, video=video, cover=cover)
    with transaction.atomic():
        tour = OnlineTour.objects.select_for_update().select_related("experience").get(pk=tour.pk)
        experience = tour.experience
        before = _current(tour)
        changed = sorted(name for name, value in values.items() if before[name] != value)
        for name in EXPERIENCE_FIELDS:
            setattr(experience, name, values[name])
        experience.save()
        tour.published_on = values["published_on"]
        tour.host_name = values["host_name"]
        tour.cover_alt = values["cover_alt"]
        if cover is not None or clear_cover:
            _delete_file_on_commit(tour.cover)
            tour.cover = ""
            if cover is not None:
                tour.cover.save(cover.name, cover, save=False)
            changed.append("cover")
        if video is not None or clear_video:
            _delete_file_on_commit(tour.video)
            tour.video = ""
            if video is not None:
                tour.video.save(video.name, video, save=False)
            changed.append("video")
        tour.save()
        audit_change(actor=actor, target=tour, op="update", fields=changed)
    return tour


def online_tour_delete(*, actor, tour: OnlineTour) -> None:
    """The tour and its experience gone, with its publications, plays and counts (cascade);
    its files removed after commit; audited."""
    require_organiser(actor)
    with transaction.atomic():
        tour = OnlineTour.objects.select_related("experience").get(pk=tour.pk)
        audit_change(actor=actor, target=tour, op="delete", title=tour.experience.title)
        _delete_file_on_commit(tour.cover)
        _delete_file_on_commit(tour.video)
        experience = tour.experience
        tour.delete()
        experience.delete()


# --- Publications ---------------------------------------------------------------------------


def publication_set(*, actor, tour: OnlineTour, platform: str, url: str) -> Publication:
    """The tour's publication on ``platform`` pointing at ``url`` (created, or its URL
    replaced); only a recognised video URL of that platform is accepted, and one video cannot
    belong to two tours."""
    require_organiser(actor)
    if platform not in {p.value for p in EXTERNAL_PLATFORMS}:
        raise ValidationError({"platform": [_("Выберите видеоплатформу из списка.")]})
    try:
        video = parse_video_url(url, platform=platform)
    except ValidationError as error:
        raise ValidationError({"url": error.messages}) from None
    with transaction.atomic():
        taken = (
            Publication.objects.filter(platform=platform, video_key=video.key)
            .exclude(tour=tour)
            .select_related("tour__experience")
            .first()
        )
        if taken is not None:
            raise ValidationError(
                {
                    "url": [
                        _("Это видео уже привязано к онлайн-экскурсии «%(title)s».")
                        % {"title": taken.tour.experience.title}
                    ]
                }
            )
        publication, created = Publication.objects.update_or_create(
            tour=tour,
            platform=platform,
            defaults={"url": str(url).strip(), "video_key": video.key},
        )
        audit_change(
            actor=actor,
            target=publication,
            op="create" if created else "update",
            tour=tour.pk,
            platform=platform,
            url=publication.url,
        )
    return publication


def publication_remove(*, actor, publication: Publication) -> None:
    """The publication gone (the tour's counts on that platform stay), audited."""
    require_organiser(actor)
    with transaction.atomic():
        audit_change(
            actor=actor,
            target=publication,
            op="delete",
            tour=publication.tour_id,
            platform=publication.platform,
            url=publication.url,
        )
        publication.delete()
