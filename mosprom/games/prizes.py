"""Prize draws: teams that met a condition drawn, seeded and reproducible, for places on a
tour session; winners' captains get tickets the normal way (``tourism.booking``).

The published arithmetic: the seed is the SHA-256 of ``"<game id>|<drawn moment, UTC ISO
8601>|<sorted candidate ids, comma-separated>"``; the drawn order is the lottery's
(``tourism.lottery.lottery_order``: the sorted ids shuffled by ``random.Random(seed)``). The
winners are the first teams in that order whose captain can still be seated: one place each,
booked through the tourism counters in one transaction exactly as the lottery books its
winners (allowances locked in primary-key order, then the session; ``take_allowance``,
``take_session_places``, ``insert_booking``), so capacity and the season quota hold. A captain
over the quota or already booked on the session is skipped and the next team drawn.

No audit event: ``AuditAction`` has no value for a prize draw (the draw row itself records who
drew, when and with which seed).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mosprom.accounts.audit import audit_record
from mosprom.accounts.models import AuditAction
from mosprom.core import clock
from mosprom.games.errors import Forbidden, InvalidRequest, NotDrawable
from mosprom.games.models import Answer, AnswerStatus, Game, PrizeDraw, Team, TeamStatus
from mosprom.games.registration import mail_games
from mosprom.games.scoring import leaderboard
from mosprom.tourism import errors as tourism_errors
from mosprom.tourism.booking import (
    CheckedPerson,
    insert_booking,
    lock_allowances,
    lock_session,
    schedule_booking_work,
    take_allowance,
    take_session_places,
)
from mosprom.tourism.lottery import lottery_order
from mosprom.tourism.models import Booking, SeasonAllowance, Session, SessionStatus

CONDITION_MAX = 255


def prize_candidates(
    *, game: Game, top: int | None = None, min_correct: int | None = None
) -> list[int]:
    """Team ids that met the condition: within the top N places of the leaderboard, and/or at
    least ``min_correct`` correct answers (online)."""
    for value in (top, min_correct):
        if value is not None and value < 1:
            raise InvalidRequest(_("Условие розыгрыша — целое число не меньше 1."))
    registered = Team.objects.filter(game=game, status=TeamStatus.REGISTERED)
    if top is not None:
        # Shared places count as reached: «3–4» is within the top 3.
        ranked = [row.team_id for row in leaderboard(game) if row.place_from <= top]
    else:
        ranked = list(registered.order_by("id").values_list("pk", flat=True))
    if min_correct is None:
        return ranked
    correct = dict(
        Answer.objects.filter(
            team__in=registered, status=AnswerStatus.CORRECT, question__round__game=game
        )
        .values_list("team_id")
        .annotate(n=Count("id"))
        .filter(n__gte=min_correct)
        .values_list("team_id", "n")
    )
    if top is None:
        # No ranking asked for: most correct answers first.
        ranked.sort(key=lambda pk: -correct.get(pk, 0))
    return [pk for pk in ranked if pk in correct]


def prize_seed(*, game_id: int, candidate_ids, drawn_at: dt.datetime) -> str:
    """The draw's seed: sha256 of the game id, the draw moment (UTC, ISO 8601) and the sorted
    candidate ids."""
    moment = drawn_at.astimezone(dt.UTC).isoformat()
    ids = ",".join(str(pk) for pk in sorted(candidate_ids))
    return hashlib.sha256(f"{game_id}|{moment}|{ids}".encode()).hexdigest()


def _free_places_refusal(*, free: int, places: int) -> NotDrawable:
    # Worded without a counted noun: the same text reads right for any number.
    return NotDrawable(
        reason=_("свободных мест на сеансе — %(free)s, а разыгрывается %(places)s.")
        % {"free": free, "places": places}
    )


def _candidates(*, game: Game, team_ids: list[int]) -> list[Team]:
    ids = list(dict.fromkeys(int(pk) for pk in team_ids))
    teams = {
        team.pk: team
        for team in Team.objects.filter(pk__in=ids, game=game, status=TeamStatus.REGISTERED)
        .select_related("captain")
        .order_by("pk")
    }
    strangers = [pk for pk in ids if pk not in teams]
    if strangers:
        raise InvalidRequest(
            _("Команды %(ids)s не участвуют в этой игре."),
            ids=", ".join(str(pk) for pk in strangers),
        )
    return [teams[pk] for pk in ids]


def _check_session(session: Session, places: int) -> None:
    if session.status != SessionStatus.SCHEDULED:
        raise NotDrawable(reason=_("сеанс отменён."))
    if session.starts_at <= clock.now():
        raise NotDrawable(reason=_("сеанс уже начался."))
    if session.places_left < places:
        raise _free_places_refusal(free=session.places_left, places=places)


def _seat(*, session: Session, team: Team):
    """Book one place for the team's captain, or None when the quota or an existing booking on
    the session keeps them out (the savepoint undoes the counters)."""
    try:
        with transaction.atomic():
            take_allowance(user=team.captain, season=session.season, places=1)
            take_session_places(session=session, places=1)
            name = team.captain.get_full_name() or team.captain.email
            return insert_booking(
                user=team.captain, session=session, people=[CheckedPerson(name, None, "")]
            )
    except (tourism_errors.QuotaExceeded, tourism_errors.AlreadyBooked):
        return None


def prize_draw(
    *, game: Game, session, team_ids: list[int], places: int, condition: str, actor
) -> PrizeDraw:
    """Draw ``places`` winners among ``team_ids`` with a published seed; each winner's captain
    gets one place on ``session`` (booked as usual: ticket mail, QR, .ics). Raises NotDrawable."""
    if not actor.is_organiser:
        raise Forbidden()
    if places < 1:
        raise InvalidRequest(_("Разыгрывается хотя бы одно место."))
    condition = " ".join((condition or "").split())
    if not condition:
        raise InvalidRequest(_("Опишите условие розыгрыша, например «топ-3 игры»."))
    if len(condition) > CONDITION_MAX:
        raise InvalidRequest(
            ngettext(
                "Условие розыгрыша не длиннее %(max)s символа.",
                "Условие розыгрыша не длиннее %(max)s символов.",
                CONDITION_MAX,
            ),
            max=CONDITION_MAX,
        )
    candidates = _candidates(game=game, team_ids=team_ids)
    if not candidates:
        raise NotDrawable(reason=_("нет команд, выполнивших условие."))
    _check_session(session, places)
    drawn_at = clock.now().replace(microsecond=0)
    ids = [team.pk for team in candidates]
    seed = prize_seed(game_id=game.pk, candidate_ids=ids, drawn_at=drawn_at)
    by_id = {team.pk: team for team in candidates}
    with transaction.atomic():
        season = session.season
        captains = sorted({team.captain_id for team in candidates})
        SeasonAllowance.objects.bulk_create(
            [
                SeasonAllowance(user_id=uid, season=season, allowed=season.places_per_person)
                for uid in captains
            ],
            ignore_conflicts=True,
        )
        lock_allowances(season_id=season.pk, user_ids=captains)
        locked = lock_session(session.pk)
        _check_session(locked, places)
        winners, bookings = [], []
        for pk in lottery_order(application_ids=ids, seed=seed):
            if len(winners) == places:
                break
            booking = _seat(session=locked, team=by_id[pk])
            if booking is not None:
                winners.append(pk)
                bookings.append(booking)
        draw = PrizeDraw.objects.create(
            game=game,
            session=locked,
            condition=condition,
            places=places,
            seed=seed,
            candidates=ids,
            winners=winners,
            drawn_by=actor,
            drawn_at=drawn_at,
        )
        audit_record(
            action=AuditAction.PRIZE_DRAW,
            actor=actor,
            target=draw,
            details={"session": locked.pk, "seed": seed, "winners": winners},
        )
        for pk, booking in zip(winners, bookings, strict=True):
            schedule_booking_work(booking, with_passports=False)
            team = by_id[pk]
            mail_games(
                template="prize_won",
                to=team.captain.email,
                context={
                    "draw": draw,
                    "team": team,
                    "game": game,
                    "user": team.captain,
                    "session": locked,
                    "experience": locked.experience,
                },
            )
    return draw


def prize_draw_verify(draw: PrizeDraw) -> bool:
    """Recompute the draw from its seed and candidates; True when it gives the same winners."""
    return not prize_draw_problems(draw)


def prize_draw_problems(draw: PrizeDraw) -> list[str]:
    """What does not match when the draw is recomputed from its game, moment and candidates
    (empty when it is confirmed): the seed, the winners' drawn order, their bookings.

    Which earlier-drawn teams were skipped (quota, already booked) depended on bookings at the
    moment of the draw and is not stored, so it is not re-checked."""
    candidates = [int(pk) for pk in draw.candidates]
    problems = []
    seed = prize_seed(game_id=draw.game_id, candidate_ids=candidates, drawn_at=draw.drawn_at)
    if seed != draw.seed:
        problems.append(f"seed differs: published {draw.seed}, recomputed {seed}")
    rank = {pk: n for n, pk in enumerate(lottery_order(application_ids=candidates, seed=seed))}
    winners = [int(pk) for pk in draw.winners]
    if len(winners) > draw.places:
        problems.append(f"{len(winners)} winners for {draw.places} places")
    if len(set(winners)) != len(winners):
        problems.append("a team wins twice")
    strangers = [pk for pk in winners if pk not in rank]
    if strangers:
        problems.append(f"winners not among the candidates: {strangers}")
    ranks = [rank[pk] for pk in winners if pk in rank]
    if ranks != sorted(ranks):
        problems.append("winners are not in drawn order")
    captains = dict(Team.objects.filter(pk__in=winners).values_list("pk", "captain_id"))
    booked = set(
        Booking.objects.filter(
            session_id=draw.session_id, user_id__in=captains.values()
        ).values_list("user_id", flat=True)
    )
    for pk in winners:
        if captains.get(pk) not in booked:
            problems.append(f"winning team {pk}: its captain has no booking on the session")
    return problems
