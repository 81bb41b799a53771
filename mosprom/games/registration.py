"""Team registration for games: register, edit the roster, withdraw, the waitlist, solo players.

CONTRACT STUB — the bodies are being written; signatures and behaviour are fixed.

The team limit is the database's (``Game.taken`` under a CHECK, moved by conditional UPDATEs
in the same transaction as the team row): a team that finds no place goes to the waitlist
(status ``waitlisted``), and a withdrawal promotes the longest-waiting team in the same
transaction. Every change mails the captain (``core.mail.mail_after_commit``).
"""

from __future__ import annotations

from mosprom.games.models import Game, SoloPlayer, Team, TeamMember


def team_register(
    *, user, game: Game, name: str, members: list[str], organisation: str = ""
) -> Team:
    """Register a team captained by ``user``; ``members`` are all players' names, the captain
    first. Registered while places last, waitlisted after. Raises EmailNotConfirmed,
    RegistrationNotOpen/RegistrationClosed, RosterSize, TeamNameTaken, AlreadyRegistered,
    InvalidRequest (empty or too long names)."""
    raise NotImplementedError


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
    raise NotImplementedError


def team_withdraw(*, team: Team, actor) -> Team:
    """Withdraw a team (captain or organiser); its place goes to the first waitlisted team,
    which is told by mail. Withdrawing twice changes nothing."""
    raise NotImplementedError


def solo_signup(*, user, game: Game, full_name: str, note: str = "") -> SoloPlayer:
    """Sign up as a player looking for a team. Raises EmailNotConfirmed, registration window
    errors, AlreadySignedUp."""
    raise NotImplementedError


def solo_withdraw(*, solo: SoloPlayer, actor) -> SoloPlayer:
    raise NotImplementedError


def solo_place(*, solo: SoloPlayer, team: Team, actor) -> TeamMember:
    """Organiser places a solo player in a team of the same game (within the team size limit);
    the player and the captain are told by mail."""
    raise NotImplementedError
