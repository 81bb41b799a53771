"""Team registration for games: register, edit the roster, withdraw, the waitlist, solo players.

The team limit is the database's (``Game.taken`` under a CHECK, moved by conditional UPDATEs
in the same transaction as the team row, docs/adr/0004-capacity-counters.md): a team that
finds no place goes to the waitlist (status ``waitlisted``), and a withdrawal promotes the
longest-waiting team in the same transaction. Team names and captains are unique per game by
partial unique constraints; a clash found by the database gets the same answer as one found
by the checks before it.

Locks, in one order: the game row (the conditional UPDATE, or ``select_for_update`` where no
counter moves), then team rows, then solo players. A registration that finds the game full
holds the game row before inserting its waitlisted team, so a withdrawal (which locks the game
row first) either sees that team and promotes it or frees its place before the team looks.
Mail to captains and players is queued on commit (``core.mail.mail_after_commit``).
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mosprom.accounts.audit import audit_record
from mosprom.accounts.models import AuditAction
from mosprom.core import clock
from mosprom.core.links import absolute_url
from mosprom.core.mail import mail_template_after_commit
from mosprom.games.errors import (
    AlreadyRegistered,
    AlreadySignedUp,
    EmailNotConfirmed,
    Forbidden,
    InvalidRequest,
    NotActive,
    NotFound,
    RegistrationClosed,
    RegistrationNotOpen,
    RosterSize,
    TeamNameTaken,
)
from mosprom.games.models import (
    ACTIVE_TEAM,
    Game,
    GameStatus,
    SoloPlayer,
    SoloStatus,
    Team,
    TeamMember,
    TeamStatus,
    name_key,
)
from mosprom.games.selectors import can_run_game
from mosprom.tourism.booking import format_moment

logger = logging.getLogger(__name__)

TEAM_NAME_MAX = 100
PERSON_NAME_MAX = 255
ORGANISATION_MAX = 255
NOTE_MAX = 500


# --- Mail ----------------------------------------------------------------------------------


def game_url(game: Game) -> str:
    """The game's public page as an absolute link (for mail)."""
    return absolute_url(game.get_absolute_url())


def mail_games(*, template: str, to: str, context: dict) -> None:
    """Render ``games/email/<template>_subject.txt`` and ``_body.txt`` in Russian and queue the
    mail for after the commit."""
    if "game" in context:
        context = {"game_url": game_url(context["game"]), **context}
    mail_template_after_commit(template=f"games/email/{template}", to=[to], context=context)


def team_waitlist_position(team: Team) -> int:
    """The team's place in its game's waitlist (1 is next); 0 when it is not waitlisted."""
    if team.status != TeamStatus.WAITLISTED or team.waitlisted_at is None:
        return 0
    return (
        Team.objects.filter(game_id=team.game_id, status=TeamStatus.WAITLISTED)
        .filter(
            Q(waitlisted_at__lt=team.waitlisted_at)
            | Q(waitlisted_at=team.waitlisted_at, pk__lte=team.pk)
        )
        .count()
    )


def _mail_captain(team: Team, template: str, **extra) -> None:
    captain = team.captain
    mail_games(
        template=template,
        to=captain.email,
        context={"team": team, "game": team.game, "user": captain, **extra},
    )


# --- Checks that need no lock --------------------------------------------------------------


def _collapse(text: str | None) -> str:
    return " ".join((text or "").split())


def check_registration_open(game: Game) -> None:
    """Raise the refusal that applies to registering for ``game`` now, if any."""
    if game.status == GameStatus.DRAFT:
        raise NotFound()
    if game.status == GameStatus.CANCELLED:
        raise RegistrationClosed(_("Игра отменена, регистрация на неё закрыта."))
    now = clock.now()
    if now < game.registration_opens_at:
        raise RegistrationNotOpen(opens=format_moment(game.registration_opens_at))
    if now >= game.registration_closes_at:
        raise RegistrationClosed()


def clean_team_name(name: str | None) -> str:
    """The team name with spaces collapsed; InvalidRequest when empty or too long."""
    name = _collapse(name)
    if not name:
        raise InvalidRequest(_("Укажите название команды."))
    if len(name) > TEAM_NAME_MAX or len(name_key(name)) > TEAM_NAME_MAX:
        raise InvalidRequest(
            ngettext(
                "Название команды не длиннее %(max)s символа.",
                "Название команды не длиннее %(max)s символов.",
                TEAM_NAME_MAX,
            ),
            max=TEAM_NAME_MAX,
        )
    return name


def _clean_person(full_name: str | None, *, label: str) -> str:
    name = _collapse(full_name)
    if not name:
        raise InvalidRequest(_("%(who)s: укажите имя."), who=label)
    if len(name) > PERSON_NAME_MAX:
        raise InvalidRequest(
            ngettext(
                "%(who)s: имя не длиннее %(max)s символа.",
                "%(who)s: имя не длиннее %(max)s символов.",
                PERSON_NAME_MAX,
            ),
            who=label,
            max=PERSON_NAME_MAX,
        )
    return name


def clean_roster(game: Game, members: list[str] | None) -> list[str]:
    """Players' names trimmed, the captain first; RosterSize or InvalidRequest when wrong."""
    members = list(members or [])
    if not game.team_min <= len(members) <= game.team_max:
        raise RosterSize(min=game.team_min, max=game.team_max)
    return [
        _clean_person(
            full_name,
            label=_("Капитан") if number == 1 else _("Игрок %(n)s") % {"n": number},
        )
        for number, full_name in enumerate(members, start=1)
    ]


def _clean_organisation(organisation: str | None) -> str:
    organisation = _collapse(organisation)
    if len(organisation) > ORGANISATION_MAX:
        raise InvalidRequest(
            ngettext(
                "Название школы или организации не длиннее %(max)s символа.",
                "Название школы или организации не длиннее %(max)s символов.",
                ORGANISATION_MAX,
            ),
            max=ORGANISATION_MAX,
        )
    return organisation


def _active_teams(game_id: int):
    return Team.objects.filter(game_id=game_id, status__in=ACTIVE_TEAM)


def _refuse_clash(*, game_id: int, user, name: str) -> None:
    """AlreadyRegistered / TeamNameTaken from what is committed (after a unique clash too)."""
    teams = _active_teams(game_id)
    if teams.filter(captain=user).exists():
        raise AlreadyRegistered()
    if teams.filter(name_key=name_key(name)).exists():
        raise TeamNameTaken(name=name)


# --- Counters and rosters ------------------------------------------------------------------


def _lock_game(game_id: int) -> Game:
    """Hold the game row for the rest of the transaction (always the first lock taken)."""
    return Game.objects.select_for_update().get(pk=game_id)


def _take_place(game_id: int) -> bool:
    """Take a place for a team (True) or, the game being full, hold its row for a waitlisted
    insert (False). RegistrationClosed when the game is no longer published."""
    places = Game.objects.filter(pk=game_id, status=GameStatus.PUBLISHED, taken__lt=F("capacity"))
    if places.update(taken=F("taken") + 1):
        return True
    current = _lock_game(game_id)
    if current.status != GameStatus.PUBLISHED:
        raise RegistrationClosed()
    # A withdrawal may have committed since the UPDATE above read a full game.
    return bool(places.update(taken=F("taken") + 1))


def _release_place(game_id: int) -> None:
    freed = Game.objects.filter(pk=game_id, taken__gte=1).update(taken=F("taken") - 1)
    if not freed:
        logger.error("game %s: cannot release a team place, counter already zero", game_id)


def _write_roster(team: Team, names: list[str], *, previous: list[TeamMember] = ()) -> None:
    """Write the roster: the captain's account on the first line, other accounts kept where a
    previous line had the same name (compared as team names are)."""
    links: dict[str, list[int]] = {}
    for member in previous:
        if member.user_id and member.user_id != team.captain_id:
            links.setdefault(name_key(member.full_name), []).append(member.user_id)
    rows = []
    for position, full_name in enumerate(names):
        pool = links.get(name_key(full_name))
        user_id = team.captain_id if position == 0 else (pool.pop(0) if pool else None)
        rows.append(TeamMember(team=team, position=position, full_name=full_name, user_id=user_id))
    TeamMember.objects.bulk_create(rows)


# --- Teams ---------------------------------------------------------------------------------


def team_register(
    *, user, game: Game, name: str, members: list[str], organisation: str = ""
) -> Team:
    """Register a team captained by ``user``; ``members`` are all players' names, the captain
    first. Registered while places last, waitlisted after. Raises EmailNotConfirmed,
    RegistrationNotOpen/RegistrationClosed, RosterSize, TeamNameTaken, AlreadyRegistered,
    InvalidRequest (empty or too long names)."""
    if not user.email_confirmed:
        raise EmailNotConfirmed()
    check_registration_open(game)
    name = clean_team_name(name)
    names = clean_roster(game, members)
    organisation = _clean_organisation(organisation)
    _refuse_clash(game_id=game.pk, user=user, name=name)
    placed = (
        SoloPlayer.objects.filter(game=game, user=user, status=SoloStatus.PLACED)
        .select_related("team")
        .first()
    )
    if placed is not None and placed.team is not None:
        raise InvalidRequest(
            _("Вы уже играете в команде «%(team)s» на этой игре."), team=placed.team.name
        )
    try:
        with transaction.atomic():
            registered = _take_place(game.pk)
            team = Team.objects.create(
                game=game,
                captain=user,
                name=name,
                organisation=organisation,
                status=TeamStatus.REGISTERED if registered else TeamStatus.WAITLISTED,
                waitlisted_at=None if registered else clock.now(),
            )
            _write_roster(team, names)
            # The captain has found a team: their "looking for a team" sign-up is closed.
            SoloPlayer.objects.filter(game=game, user=user, status=SoloStatus.WAITING).update(
                status=SoloStatus.WITHDRAWN
            )
            if registered:
                _mail_captain(team, "team_registered", members=names)
            else:
                _mail_captain(
                    team,
                    "team_waitlisted",
                    members=names,
                    position=team_waitlist_position(team),
                )
    except IntegrityError as clash:
        # A concurrent registration won the name or the captain's slot: answer as it would
        # have been answered a moment later.
        _refuse_clash(game_id=game.pk, user=user, name=name)
        raise TeamNameTaken(name=name) from clash
    return team


def _check_can_edit(*, team: Team, actor) -> None:
    game = team.game
    now = clock.now()
    is_captain = team.captain_id == actor.pk
    if is_captain and now < game.registration_closes_at:
        return
    if actor.is_organiser or can_run_game(user=actor, game=game):
        if now >= game.starts_at:
            raise RegistrationClosed(_("Игра уже началась: состав команды больше не меняется."))
        return
    if is_captain:
        raise RegistrationClosed(
            _(
                "Состав и название можно было менять до закрытия регистрации "
                "(%(moment)s). Теперь изменения вносят организаторы."
            ),
            moment=format_moment(game.registration_closes_at),
        )
    raise Forbidden()


def team_update(
    *,
    team: Team,
    actor,
    name: str | None = None,
    members: list[str] | None = None,
    organisation: str | None = None,
) -> Team:
    """Change the name, roster or organisation until the registration closes (the captain;
    organisers at any time before the game). Same validation as registering."""
    _check_can_edit(team=team, actor=actor)
    if team.status not in ACTIVE_TEAM:
        raise NotActive()
    game = team.game
    changes: dict = {}
    if name is not None:
        name = clean_team_name(name)
        key = name_key(name)
        if key != team.name_key and _active_teams(game.pk).filter(name_key=key).exists():
            raise TeamNameTaken(name=name)
        changes |= {"name": name, "name_key": key}
    names = clean_roster(game, members) if members is not None else None
    if organisation is not None:
        changes["organisation"] = _clean_organisation(organisation)
    try:
        with transaction.atomic():
            current = Team.objects.select_for_update().get(pk=team.pk)
            if current.status not in ACTIVE_TEAM:
                raise NotActive()
            if changes:
                Team.objects.filter(pk=team.pk).update(**changes)
            if names is not None:
                previous = list(current.members.all())
                current.members.all().delete()
                _write_roster(current, names, previous=previous)
                kept = {uid for uid in current.members.values_list("user_id", flat=True) if uid}
                # Placed players whose line was taken off are looking for a team again.
                SoloPlayer.objects.filter(team=current, status=SoloStatus.PLACED).exclude(
                    user_id__in=kept
                ).update(status=SoloStatus.WAITING, team=None)
            if actor.pk != team.captain_id:
                current.refresh_from_db()
                audit_record(
                    action=AuditAction.TEAM_CHANGED_BY_STAFF,
                    actor=actor,
                    target=current,
                    details={"changed": sorted(changes) + (["members"] if names else [])},
                )
                _mail_captain(
                    current,
                    "team_updated",
                    members=list(current.members.values_list("full_name", flat=True)),
                )
    except IntegrityError as clash:
        raise TeamNameTaken(name=name) from clash
    team.refresh_from_db()
    return team


def _promote_next(game: Game) -> Team | None:
    """Give a freed place to the longest-waiting team, or take it off the counter."""
    waiting = (
        Team.objects.select_for_update()
        .filter(game_id=game.pk, status=TeamStatus.WAITLISTED)
        .order_by("waitlisted_at", "id")
        .first()
    )
    if waiting is None or game.status != GameStatus.PUBLISHED:
        _release_place(game.pk)
        return None
    Team.objects.filter(pk=waiting.pk).update(status=TeamStatus.REGISTERED, promoted_at=clock.now())
    waiting.refresh_from_db()
    _mail_captain(waiting, "team_promoted")
    return waiting


def waitlist_fill(*, game: Game) -> list[Team]:
    """Give the game's free places to waitlisted teams, longest-waiting first (after the
    capacity was raised); each promoted captain is told by mail. Returns the promoted teams."""
    promoted: list[Team] = []
    with transaction.atomic():
        locked = _lock_game(game.pk)
        if locked.status != GameStatus.PUBLISHED:
            return promoted
        for _free in range(locked.capacity - locked.taken):
            waiting = (
                Team.objects.select_for_update()
                .filter(game_id=game.pk, status=TeamStatus.WAITLISTED)
                .order_by("waitlisted_at", "id")
                .first()
            )
            if waiting is None or not _take_place(game.pk):
                break
            Team.objects.filter(pk=waiting.pk).update(
                status=TeamStatus.REGISTERED, promoted_at=clock.now()
            )
            waiting.refresh_from_db()
            _mail_captain(waiting, "team_promoted")
            promoted.append(waiting)
    return promoted


def team_withdraw(*, team: Team, actor) -> Team:
    """Withdraw a team (captain or organiser); its place goes to the first waitlisted team,
    which is told by mail. Withdrawing twice changes nothing."""
    if team.captain_id != actor.pk and not actor.is_organiser:
        raise Forbidden()
    if team.status == TeamStatus.WITHDRAWN:
        return team
    if team.game.starts_at <= clock.now():
        raise RegistrationClosed(_("Игра уже началась: сняться с неё нельзя."))
    with transaction.atomic():
        game = _lock_game(team.game_id)
        current = Team.objects.select_for_update().get(pk=team.pk)
        if current.status != TeamStatus.WITHDRAWN:
            Team.objects.filter(pk=team.pk).update(
                status=TeamStatus.WITHDRAWN, withdrawn_at=clock.now()
            )
            if current.status == TeamStatus.REGISTERED:
                _promote_next(game)
            current.refresh_from_db()
            if actor.pk != team.captain_id:
                audit_record(
                    action=AuditAction.TEAM_CHANGED_BY_STAFF,
                    actor=actor,
                    target=current,
                    details={"changed": ["withdrawn"]},
                )
            _mail_captain(current, "team_withdrawn", by_organiser=actor.pk != team.captain_id)
    team.refresh_from_db()
    return team


# --- Solo players --------------------------------------------------------------------------


def solo_signup(*, user, game: Game, full_name: str, note: str = "") -> SoloPlayer:
    """Sign up as a player looking for a team. Raises EmailNotConfirmed, registration window
    errors, AlreadySignedUp."""
    if not user.email_confirmed:
        raise EmailNotConfirmed()
    check_registration_open(game)
    full_name = _clean_person(full_name, label=_("Игрок"))
    note = _collapse(note)
    if len(note) > NOTE_MAX:
        raise InvalidRequest(
            ngettext(
                "Рассказ о себе не длиннее %(max)s символа.",
                "Рассказ о себе не длиннее %(max)s символов.",
                NOTE_MAX,
            ),
            max=NOTE_MAX,
        )
    if _active_teams(game.pk).filter(captain=user).exists():
        raise AlreadyRegistered()
    signed_up = SoloPlayer.objects.filter(
        game=game, user=user, status__in=[SoloStatus.WAITING, SoloStatus.PLACED]
    )
    if signed_up.exists():
        raise AlreadySignedUp()
    try:
        with transaction.atomic():
            solo = SoloPlayer.objects.create(game=game, user=user, full_name=full_name, note=note)
            mail_games(
                template="solo_signed_up",
                to=user.email,
                context={"solo": solo, "game": game, "user": user},
            )
    except IntegrityError as clash:
        raise AlreadySignedUp() from clash
    return solo


def _may_run(actor, game: Game) -> bool:
    return actor.is_organiser or can_run_game(user=actor, game=game)


def solo_withdraw(*, solo: SoloPlayer, actor) -> SoloPlayer:
    """Take a waiting solo player off the list (the player, or whoever runs the game);
    withdrawing twice changes nothing. A placed player is on a roster: the captain edits it."""
    if solo.user_id != actor.pk and not _may_run(actor, solo.game):
        raise Forbidden()
    if solo.status == SoloStatus.WITHDRAWN:
        return solo
    with transaction.atomic():
        current = SoloPlayer.objects.select_for_update().get(pk=solo.pk)
        if current.status == SoloStatus.PLACED:
            raise InvalidRequest(
                _(
                    "Игрок уже в команде «%(team)s»: чтобы убрать его из состава, "
                    "капитан или организатор меняет состав команды."
                ),
                team=Team.objects.filter(pk=current.team_id).values_list("name", flat=True).first()
                or "",
            )
        SoloPlayer.objects.filter(pk=solo.pk, status=SoloStatus.WAITING).update(
            status=SoloStatus.WITHDRAWN
        )
    solo.refresh_from_db()
    return solo


def solo_place(*, solo: SoloPlayer, team: Team, actor) -> TeamMember:
    """Organiser places a solo player in a team of the same game (within the team size limit);
    the player and the captain are told by mail."""
    game = team.game
    if not _may_run(actor, game):
        raise Forbidden()
    if solo.game_id != team.game_id:
        raise InvalidRequest(_("Игрок записан на другую игру."))
    if game.starts_at <= clock.now():
        raise RegistrationClosed(_("Игра уже началась: состав команды больше не меняется."))
    with transaction.atomic():
        current = Team.objects.select_for_update().select_related("captain").get(pk=team.pk)
        if current.status not in ACTIVE_TEAM:
            raise NotActive()
        player = SoloPlayer.objects.select_for_update().get(pk=solo.pk)
        if player.status != SoloStatus.WAITING:
            raise InvalidRequest(
                _("Игрок уже в команде.")
                if player.status == SoloStatus.PLACED
                else _("Игрок отказался от участия.")
            )
        if current.captain_id == player.user_id:
            raise InvalidRequest(_("Игрок — капитан этой команды."))
        roster = current.members.aggregate(n=Max("position"), count=Count("id"))
        if roster["count"] >= game.team_max:
            raise RosterSize(min=game.team_min, max=game.team_max)
        member = TeamMember.objects.create(
            team=current,
            position=(roster["n"] if roster["n"] is not None else -1) + 1,
            full_name=player.full_name,
            user_id=player.user_id,
        )
        SoloPlayer.objects.filter(pk=player.pk).update(status=SoloStatus.PLACED, team=current)
        player.status, player.team = SoloStatus.PLACED, current
        mail_games(
            template="solo_placed",
            to=player.user.email,
            context={"solo": player, "team": current, "game": game, "user": player.user},
        )
        _mail_captain(current, "solo_placed_captain", solo=player)
    solo.refresh_from_db()
    return member
