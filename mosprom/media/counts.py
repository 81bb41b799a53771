"""Views of online tours: plays on our site and counts reported by the video platforms.

Counting rule for a period (``tour_views``, ``views_total``; the audience uses the same):

* site plays count when their Moscow day is inside the period (a play is one visitor, one
  tour, one day — see ``media.plays``);
* a platform count counts when its own period lies **wholly inside** the period. Counts are
  never split: a count for 2023 is part of 2023 (and of all time) but of no month or quarter
  of 2023; a count for 2023-05 is part of May, Q2, H1 and 2023.
* without a period, everything counts.

Because a count is never split, two counts of the same tour and platform must not overlap
(2023 and 2023-05 together would count May twice in 2023): ``platform_views_set`` and the CSV
import refuse a period that overlaps an existing count with a different period, and writes for
one tour are serialised by locking the tour's row. Entering the same period again replaces the
number.

CSV import (``platform_views_import``): UTF-8 with or without BOM, ``,`` or ``;`` between
columns, header ``tour,platform,period,views`` (any order; Russian «экскурсия, платформа,
период, просмотры» also read). ``tour`` is the tour's id or the URL of one of its publications;
``platform`` a platform code or name (vk, «VK Видео», rutube, youtube, ok, «Одноклассники»);
``period`` as ``core.periods.parse_period`` reads it (2023, 2023-H1, 2023-Q2, 2023-05,
2023-01-01..2023-03-31); ``views`` a non-negative whole number, spaces allowed between thousands.
Every bad row is reported with its line number (the header is line 1). With any bad row nothing
is written unless ``skip_bad``; ``dry_run`` writes nothing and reports what would happen.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from mosprom.core import clock
from mosprom.core.periods import Period, PeriodError, parse_period
from mosprom.media.embeds import parse_video_url
from mosprom.media.models import (
    EXTERNAL_PLATFORMS,
    CountSource,
    OnlineTour,
    Platform,
    PlatformViews,
    Publication,
    SitePlay,
)
from mosprom.media.selectors import require_organiser
from mosprom.media.tours import audit_change
from mosprom.registry.importing.reading import RowError

MAX_VIEWS = 10**12
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 10_000
_THOUSANDS = re.compile(r"[\s\u00a0\u202f\u2009]")
_DIGITS = re.compile(r"^\d{1,13}$")


# --- Totals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ViewTotals:
    site: int = 0
    platforms: dict[str, int] = field(default_factory=dict)

    @property
    def external(self) -> int:
        return sum(self.platforms.values())

    @property
    def total(self) -> int:
        return self.site + self.external


def _site_plays(period: Period | None):
    plays = SitePlay.objects.all()
    if period is not None:
        plays = plays.filter(day__gte=period.start, day__lte=period.end)
    return plays


def _platform_rows(period: Period | None):
    rows = PlatformViews.objects.all()
    if period is not None:
        rows = rows.filter(period_start__gte=period.start, period_end__lte=period.end)
    return rows


def tour_views(*, period: Period | None = None, tours=None) -> dict[int, ViewTotals]:
    """Views per tour id under the module's counting rule, in two queries. With ``tours`` (tours
    or ids; a queryset is evaluated) every one of them has an entry, zeros included; without,
    the tours that have any views."""
    plays, rows = _site_plays(period), _platform_rows(period)
    ids: list[int] | None = None
    if tours is not None:
        ids = [getattr(tour, "pk", tour) for tour in tours]
        plays, rows = plays.filter(tour_id__in=ids), rows.filter(tour_id__in=ids)
    site = dict(plays.values_list("tour_id").annotate(n=Count("id")).order_by())
    platforms: dict[int, dict[str, int]] = defaultdict(dict)
    for tour_id, platform, views in (
        rows.values_list("tour_id", "platform").annotate(n=Sum("views")).order_by()
    ):
        platforms[tour_id][platform] = int(views)
    keys = ids if ids is not None else sorted(set(site) | set(platforms))
    return {
        pk: ViewTotals(site=site.get(pk, 0), platforms=dict(platforms.get(pk, {}))) for pk in keys
    }


def views_total(*, period: Period | None = None) -> ViewTotals:
    """Views of all tours under the module's counting rule, in two queries."""
    site = _site_plays(period).count()
    platforms = {
        platform: int(views)
        for platform, views in _platform_rows(period)
        .values_list("platform")
        .annotate(n=Sum("views"))
        .order_by()
    }
    return ViewTotals(site=site, platforms=platforms)


# --- Entering counts ------------------------------------------------------------------------


def _external(platform: str) -> bool:
    return platform in {p.value for p in EXTERNAL_PLATFORMS}


def _overlap_message(existing: Period) -> str:
    return _(
        "Просмотры за этот период пересекаются с уже внесёнными за %(period)s: "
        "пересекающиеся периоды посчитались бы дважды. Исправьте или удалите ту запись."
    ) % {"period": existing.label}


def _check_views(views) -> int:
    """``views`` as an int: a non-negative whole number (a string may use thousand spaces)."""
    number = None
    if isinstance(views, int) and not isinstance(views, bool):
        number = views
    elif isinstance(views, str):
        number = _views_from_text(views)
    if number is None or not 0 <= number <= MAX_VIEWS:
        raise ValidationError({"views": [_("Просмотры — целое неотрицательное число.")]})
    return number


def platform_views_set(
    *,
    actor,
    tour: OnlineTour,
    platform: str,
    period: Period,
    views: int,
    source: str = CountSource.MANUAL,
) -> tuple[PlatformViews, bool]:
    """The count of ``tour`` on an external ``platform`` for exactly ``period`` set to ``views``:
    (row, created). A period overlapping another count of the same tour and platform is
    refused (it would count twice); audited."""
    require_organiser(actor)
    if not _external(platform):
        raise ValidationError(
            {
                "platform": [
                    _("Просмотры на нашем сайте считаются автоматически; выберите видеоплатформу.")
                ]
            }
        )
    if not isinstance(period, Period):
        raise ValidationError({"period": [_("Укажите период.")]})
    number = _check_views(views)
    with transaction.atomic():
        OnlineTour.objects.select_for_update().filter(pk=tour.pk).first()  # serialise per tour
        existing = list(
            PlatformViews.objects.filter(
                tour=tour,
                platform=platform,
                period_start__lte=period.end,
                period_end__gte=period.start,
            )
        )
        same = next((row for row in existing if row.period == period), None)
        clash = next((row for row in existing if row.period != period), None)
        if clash is not None:
            raise ValidationError({"period": [_overlap_message(clash.period)]})
        now = clock.now()
        if same is not None:
            before = same.views
            same.views, same.source, same.entered_by, same.entered_at = number, source, actor, now
            same.save(update_fields=["views", "source", "entered_by", "entered_at"])
            row, created = same, False
        else:
            before = None
            row = PlatformViews.objects.create(
                tour=tour,
                platform=platform,
                period_start=period.start,
                period_end=period.end,
                views=number,
                source=source,
                entered_by=actor,
                entered_at=now,
            )
            created = True
        audit_change(
            actor=actor,
            target=row,
            op="create" if created else "update",
            tour=tour.pk,
            platform=platform,
            period=period.code,
            views=number,
            before=before,
        )
    return row, created


def platform_views_delete(*, actor, row: PlatformViews) -> None:
    """The count gone from every total, audited."""
    require_organiser(actor)
    with transaction.atomic():
        audit_change(
            actor=actor,
            target=row,
            op="delete",
            tour=row.tour_id,
            platform=row.platform,
            period=row.period.code,
            views=row.views,
        )
        row.delete()


# --- CSV import -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRow:
    """A good row of the file: what it sets and whether that creates or updates a count."""

    line: int
    tour_id: int
    tour_title: str
    platform: str
    period: Period
    views: int
    action: str = "create"  # or "update"


@dataclass
class ImportResult:
    created: int  # counts written (with dry_run: that would be written)
    updated: int
    errors: list[RowError]
    rows: list[ImportRow] = field(default_factory=list)  # the good rows
    written: bool = False  # whether anything was saved

    @property
    def ok(self) -> bool:
        return not self.errors


HEADER_ALIASES = {
    "tour": "tour",
    "экскурсия": "tour",
    "онлайн-экскурсия": "tour",
    "platform": "platform",
    "платформа": "platform",
    "period": "period",
    "период": "period",
    "views": "views",
    "просмотры": "views",
}
COLUMNS = ("tour", "platform", "period", "views")

PLATFORM_ALIASES = {
    "vk": Platform.VK,
    "vk видео": Platform.VK,
    "vk video": Platform.VK,
    "vkvideo": Platform.VK,
    "вк": Platform.VK,
    "вконтакте": Platform.VK,
    "rutube": Platform.RUTUBE,
    "рутуб": Platform.RUTUBE,
    "youtube": Platform.YOUTUBE,
    "ютуб": Platform.YOUTUBE,
    "ok": Platform.OK,
    "ok.ru": Platform.OK,
    "одноклассники": Platform.OK,
    "odnoklassniki": Platform.OK,
}


def platform_from_text(text: str) -> str | None:
    """A platform value from its code or Russian/English name, case-insensitively."""
    key = " ".join((text or "").lower().split())
    if key in PLATFORM_ALIASES:
        return PLATFORM_ALIASES[key].value
    for platform in EXTERNAL_PLATFORMS:
        if key == str(platform.label).lower():
            return platform.value
    return None


def _decode(file) -> str:
    content = file.read(MAX_IMPORT_BYTES + 1)
    if len(content) > MAX_IMPORT_BYTES:
        raise _FileError(_("Файл больше 5 МБ: разделите его на части."))
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _FileError(
                _("Файл не в кодировке UTF-8. В Excel сохраните его как «CSV UTF-8».")
            ) from None
    return content.removeprefix("\ufeff")


class _FileError(Exception):
    pass


def _views_from_text(text: str) -> int | None:
    compact = _THOUSANDS.sub("", text or "")
    if not _DIGITS.match(compact):
        return None
    number = int(compact)
    return number if number <= MAX_VIEWS else None


@dataclass
class _Parsed:
    line: int
    tour_text: str
    tour_id: int | None
    video_key: tuple[str, str] | None
    platform: str
    period: Period
    views: int


def _parse_rows(text: str) -> tuple[list[_Parsed], list[RowError]]:
    lines = text.splitlines()
    first = lines[0] if lines else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    errors: list[RowError] = []
    header = next(reader, None)
    names = [HEADER_ALIASES.get(" ".join(cell.lower().split())) for cell in header or []]
    if not header or None in names or sorted(names) != sorted(COLUMNS):
        expected = ",".join(COLUMNS)
        return [], [
            RowError(
                1,
                _(
                    "Первая строка должна быть заголовком «%(expected)s» "
                    "(столбцы через «,» или «;»)."
                )
                % {"expected": expected},
            )
        ]
    index = {name: names.index(name) for name in COLUMNS}
    parsed: list[_Parsed] = []
    count = 0
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > MAX_IMPORT_ROWS:
            errors.append(
                RowError(line, _("Больше %(n)s строк: разделите файл.") % {"n": MAX_IMPORT_ROWS})
            )
            break
        if len(cells) != len(header):
            errors.append(
                RowError(
                    line,
                    _("В строке %(got)s столбцов, а в заголовке %(want)s.")
                    % {"got": len(cells), "want": len(header)},
                )
            )
            continue
        values = {name: cells[index[name]].strip() for name in COLUMNS}
        problems: list[str] = []

        tour_id, video_key, url_platform = None, None, None
        if re.fullmatch(r"\d{1,12}", values["tour"]):
            tour_id = int(values["tour"])
        elif not values["tour"]:
            problems.append(_("не указана онлайн-экскурсия (номер или ссылка на видео)"))
        else:
            try:
                video = parse_video_url(values["tour"])
                video_key, url_platform = (video.platform, video.key), video.platform
            except ValidationError:
                problems.append(
                    _("«%(value)s» — не номер онлайн-экскурсии и не ссылка на её видео")
                    % {"value": values["tour"][:80]}
                )

        platform = platform_from_text(values["platform"]) if values["platform"] else url_platform
        if platform is None:
            if values["platform"].lower() in ("site", str(Platform.SITE.label).lower()):
                problems.append(_("просмотры на нашем сайте считаются автоматически"))
            else:
                problems.append(
                    _("неизвестная платформа «%(value)s» (vk, rutube, youtube или ok)")
                    % {"value": values["platform"][:40]}
                )
        elif url_platform is not None and url_platform != platform:
            problems.append(_("ссылка ведёт на другую платформу, чем указана в столбце platform"))

        period = None
        try:
            period = parse_period(values["period"])
        except PeriodError as error:
            problems.append(str(error))

        views = _views_from_text(values["views"])
        if views is None:
            problems.append(
                _("просмотры «%(value)s» — не целое неотрицательное число")
                % {"value": values["views"][:40]}
            )

        if problems:
            errors.append(RowError(line, "; ".join(problems)))
            continue
        parsed.append(_Parsed(line, values["tour"], tour_id, video_key, platform, period, views))
    return parsed, errors


def _resolve_tours(
    parsed: list[_Parsed], errors: list[RowError]
) -> list[tuple[_Parsed, OnlineTour]]:
    """Each row with its tour (two queries for the whole file); unknown tours are errors."""
    ids = {row.tour_id for row in parsed if row.tour_id is not None}
    keys = {row.video_key for row in parsed if row.video_key is not None}
    by_key: dict[tuple[str, str], int] = {}
    if keys:
        publications = Publication.objects.filter(
            video_key__in={key for _platform, key in keys}
        ).values_list("platform", "video_key", "tour_id")
        by_key = {(platform, key): tour for platform, key, tour in publications}
    ids |= set(by_key.values())
    tours = OnlineTour.objects.select_related("experience").in_bulk(ids) if ids else {}
    resolved = []
    for row in parsed:
        if row.tour_id is not None:
            tour = tours.get(row.tour_id)
            if tour is None:
                errors.append(
                    RowError(row.line, _("онлайн-экскурсии №%(id)s нет") % {"id": row.tour_id})
                )
                continue
        else:
            tour = tours.get(by_key.get(row.video_key))
            if tour is None:
                errors.append(
                    RowError(
                        row.line,
                        _("видео %(url)s не привязано ни к одной онлайн-экскурсии")
                        % {"url": row.tour_text[:120]},
                    )
                )
                continue
        resolved.append((row, tour))
    return resolved


def _plan(resolved, errors: list[RowError]) -> list[ImportRow]:
    """Good rows with their action; duplicates and overlaps (in the file or with stored counts)
    are errors on the later line."""
    tour_ids = {tour.pk for _row, tour in resolved}
    stored: dict[tuple[int, str], list[Period]] = defaultdict(list)
    for tour_id, platform, start, end in PlatformViews.objects.filter(
        tour_id__in=tour_ids
    ).values_list("tour_id", "platform", "period_start", "period_end"):
        stored[(tour_id, platform)].append(Period(start, end))
    in_file: dict[tuple[int, str], list[tuple[Period, int]]] = defaultdict(list)
    plan = []
    for row, tour in resolved:
        key = (tour.pk, row.platform)
        earlier = next(
            ((period, line) for period, line in in_file[key] if period.overlaps(row.period)), None
        )
        if earlier is not None:
            period, line = earlier
            message = (
                _("повторяет строку %(line)s (та же экскурсия, платформа и период)")
                if period == row.period
                else _(
                    "период пересекается с периодом строки %(line)s той же экскурсии и платформы"
                )
            )
            errors.append(RowError(row.line, message % {"line": line}))
            continue
        clash = next((p for p in stored[key] if p.overlaps(row.period) and p != row.period), None)
        if clash is not None:
            errors.append(RowError(row.line, _overlap_message(clash)))
            continue
        in_file[key].append((row.period, row.line))
        plan.append(
            ImportRow(
                line=row.line,
                tour_id=tour.pk,
                tour_title=tour.experience.title,
                platform=row.platform,
                period=row.period,
                views=row.views,
                action="update" if row.period in stored[key] else "create",
            )
        )
    return plan


def platform_views_import(
    *, actor, file, skip_bad: bool = False, dry_run: bool = False
) -> ImportResult:
    """Platform counts from a CSV file (see the module docstring): every bad row reported with
    its line number; nothing written when any row is bad (unless ``skip_bad``) or with
    ``dry_run``; one audit event per import that wrote."""
    require_organiser(actor)
    try:
        text = _decode(file)
    except _FileError as error:
        return ImportResult(0, 0, [RowError(1, str(error))])
    with transaction.atomic():
        parsed, errors = _parse_rows(text)
        if errors and errors[0].line == 1 and not parsed:
            return ImportResult(0, 0, errors)
        resolved = _resolve_tours(parsed, errors)
        # Lock the tours in primary-key order so overlapping imports and manual entries queue.
        locked = sorted({tour.pk for _row, tour in resolved})
        if locked and not dry_run:
            list(OnlineTour.objects.select_for_update().filter(pk__in=locked).order_by("pk"))
        plan = _plan(resolved, errors)
        errors.sort(key=lambda error: error.line)
        if not plan and not errors and not parsed:
            errors.append(RowError(1, _("В файле нет строк с данными.")))
        created = sum(1 for row in plan if row.action == "create")
        updated = len(plan) - created
        if errors and not skip_bad:
            return ImportResult(0, 0, errors, rows=plan)
        if dry_run:
            return ImportResult(created, updated, errors, rows=plan)
        now = clock.now()
        existing = {
            (row.tour_id, row.platform, row.period_start, row.period_end): row
            for row in PlatformViews.objects.filter(tour_id__in=locked)
        }
        new, changed = [], []
        for row in plan:
            found = existing.get((row.tour_id, row.platform, row.period.start, row.period.end))
            if found is None:
                new.append(
                    PlatformViews(
                        tour_id=row.tour_id,
                        platform=row.platform,
                        period_start=row.period.start,
                        period_end=row.period.end,
                        views=row.views,
                        source=CountSource.IMPORT,
                        entered_by=actor,
                        entered_at=now,
                    )
                )
            else:
                found.views, found.source = row.views, CountSource.IMPORT
                found.entered_by, found.entered_at = actor, now
                changed.append(found)
        PlatformViews.objects.bulk_create(new)
        PlatformViews.objects.bulk_update(
            changed, ["views", "source", "entered_by", "entered_at"], batch_size=500
        )
        audit_change(
            actor=actor,
            target=None,
            kind="platformviews",
            op="import",
            created=len(new),
            updated=len(changed),
            skipped_lines=[error.line for error in errors],
        )
        return ImportResult(len(new), len(changed), errors, rows=plan, written=True)
