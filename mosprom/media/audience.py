"""The programme's audience: a documented formula over reach typed by organisers and figures
counted from the platform's own records.

THE FORMULA, for a period P::

    audience(P) = site visitors      (reach, typed by organisers)
                + social networks    (reach, typed by organisers)
                + media              (reach, typed by organisers)
                + online views       (counted: plays on our site + views reported by the
                                      video platforms, as ``media.counts.views_total``)
                + event participants (counted: places of people who came to tours and master
                                      classes, ``tourism.figures.participants``, + players of
                                      the games held, ``games.standings.games_figures``)

* A typed reach record counts when its period lies wholly inside P (a yearly figure is never
  split into months); records of one channel never overlap, so nothing counts twice.
* Online views follow the same rule for platform counts; site plays count by their day
  (one visitor, one tour, one Moscow day = one play).
* Event participants are never typed: tourism counts places of confirmed bookings at sessions
  held (started) in P minus no-shows; games count roster lines of registered teams of games
  held in P.
* The parts are added as they are: the same person reached through two channels counts twice.
  That is how the programme has always reported its audience («охват»), and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from mosprom.core import clock
from mosprom.core.periods import Period
from mosprom.media.counts import ViewTotals, views_total
from mosprom.media.models import Reach, ReachChannel
from mosprom.media.selectors import require_organiser
from mosprom.media.tours import audit_change

MAX_REACH = 10**12
NOTE_MAX = 500


# --- Reach ----------------------------------------------------------------------------------


def _serialise_channel(channel: str) -> None:
    """Queue concurrent writes of one channel's reach (the overlap check reads, then writes)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"media.reach.{channel}"])


def _check_value(value) -> int:
    number = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if number is None or not 0 <= number <= MAX_REACH:
        raise ValidationError({"value": [_("Охват — целое неотрицательное число человек.")]})
    return number


def reach_set(
    *, actor, channel: str, period: Period, value: int, note: str = ""
) -> tuple[Reach, bool]:
    """The reach of ``channel`` for exactly ``period`` set to ``value``: (record, created). A
    period overlapping another record of the channel is refused (it would count twice);
    audited."""
    require_organiser(actor)
    errors: dict[str, list[str]] = {}
    if channel not in ReachChannel.values:
        errors["channel"] = [
            _(
                "Выберите канал из списка. Онлайн-просмотры и участники мероприятий "
                "считаются автоматически."
            )
        ]
    if not isinstance(period, Period):
        errors["period"] = [_("Укажите период.")]
    try:
        number = _check_value(value)
    except ValidationError as error:
        errors.update(error.message_dict)
    note = str(note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = [_("Комментарий не длиннее %(n)s символов.") % {"n": NOTE_MAX}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _serialise_channel(channel)
        existing = list(
            Reach.objects.filter(
                channel=channel, period_start__lte=period.end, period_end__gte=period.start
            )
        )
        same = next((row for row in existing if row.period == period), None)
        clash = next((row for row in existing if row.period != period), None)
        if clash is not None:
            raise ValidationError(
                {
                    "period": [
                        _(
                            "Охват этого канала за этот период пересекается с уже внесённым за "
                            "%(period)s: пересекающиеся периоды посчитались бы дважды."
                        )
                        % {"period": clash.period.label}
                    ]
                }
            )
        now = clock.now()
        if same is not None:
            before = same.value
            same.value, same.note, same.entered_by, same.entered_at = number, note, actor, now
            same.save(update_fields=["value", "note", "entered_by", "entered_at"])
            reach, created = same, False
        else:
            before = None
            reach = Reach.objects.create(
                channel=channel,
                period_start=period.start,
                period_end=period.end,
                value=number,
                note=note,
                entered_by=actor,
                entered_at=now,
            )
            created = True
        audit_change(
            actor=actor,
            target=reach,
            op="create" if created else "update",
            channel=channel,
            period=period.code,
            value=number,
            before=before,
        )
    return reach, created


def reach_delete(*, actor, reach: Reach) -> None:
    """The reach record gone from every audience figure, audited."""
    require_organiser(actor)
    with transaction.atomic():
        audit_change(
            actor=actor,
            target=reach,
            op="delete",
            channel=reach.channel,
            period=reach.period.code,
            value=reach.value,
        )
        reach.delete()


# --- The audience ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AudiencePart:
    key: str
    label: str
    value: int
    counted: bool  # True: from the platform's own records; False: typed by organisers
    source: str  # a short Russian explanation of where the number comes from
    details: tuple[tuple[str, int], ...] = ()  # the part's own components, when it has some


@dataclass(frozen=True)
class Audience:
    period: Period
    parts: list[AudiencePart]
    total: int

    def part(self, key: str) -> AudiencePart:
        return next(part for part in self.parts if part.key == key)


def _typed_reach(period: Period) -> dict[str, int]:
    rows = (
        Reach.objects.filter(period_start__gte=period.start, period_end__lte=period.end)
        .values_list("channel")
        .annotate(total=Sum("value"))
        .order_by()
    )
    return {channel: int(total) for channel, total in rows}


def audience(
    *,
    period: Period,
    views: ViewTotals | None = None,
    visitors: int | None = None,
    players: int | None = None,
) -> Audience:
    """The programme's audience in ``period`` by the module's formula, with its parts, in a
    bounded number of queries (seven). A caller that already holds the period's view totals,
    tourism participants or game players (analytics, inside ``computing()``) passes them in
    and they are not read again."""
    # Imported here: tourism and games are siblings of media, read only for these figures.
    from mosprom.games.standings import games_figures
    from mosprom.tourism.figures import participants

    typed = _typed_reach(period)
    if views is None:
        views = views_total(period=period)
    if visitors is None:
        visitors = participants(period=period)
    if players is None:
        players = games_figures(period=period).players
    typed_source = _("внесено организаторами: охват за периоды внутри выбранного")
    parts = [
        AudiencePart(
            key=channel.value,
            label=str(channel.label),
            value=typed.get(channel, 0),
            counted=False,
            source=typed_source,
        )
        for channel in (ReachChannel.SITE_VISITORS, ReachChannel.SOCIAL, ReachChannel.MEDIA)
    ] + [
        AudiencePart(
            key="online_views",
            label=_("Просмотры онлайн-экскурсий"),
            value=views.total,
            counted=True,
            source=_(
                "считается автоматически: просмотры на нашем сайте (один зритель — один раз "
                "в день) и на видеоплатформах за периоды внутри выбранного"
            ),
            details=(("site", views.site), ("platforms", views.external)),
        ),
        AudiencePart(
            key="participants",
            label=_("Участники мероприятий"),
            value=visitors + players,
            counted=True,
            source=_(
                "считается автоматически: пришедшие на экскурсии и мастер-классы (без неявок "
                "и отмен) и участники игр"
            ),
            details=(("tourism", visitors), ("games", players)),
        ),
    ]
    return Audience(period=period, parts=parts, total=sum(part.value for part in parts))
