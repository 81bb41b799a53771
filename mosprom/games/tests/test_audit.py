"""Staff actions on games land in the audit log: a team changed or withdrawn by an organiser,
results published (once), a prize draw."""

from __future__ import annotations

import pytest

from mosprom.accounts.models import AuditAction, AuditEvent, Role
from mosprom.accounts.tests.factories import make_user
from mosprom.games.prizes import prize_draw
from mosprom.games.registration import team_update, team_withdraw
from mosprom.games.scoring import results_publish
from mosprom.games.tests.factories import make_game, make_team
from mosprom.tourism.tests.factories import make_session

pytestmark = pytest.mark.django_db


def events(action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_organiser_changing_or_withdrawing_a_team_is_audited_the_captain_is_not():
    organiser = make_user(role=Role.ORGANISER)
    team = make_team()
    team_update(team=team, actor=team.captain, organisation="Школа № 1")
    assert events(AuditAction.TEAM_CHANGED_BY_STAFF) == []
    team_update(team=team, actor=organiser, name="Новое имя")
    team_withdraw(team=team, actor=organiser)
    changed, withdrawn = events(AuditAction.TEAM_CHANGED_BY_STAFF)
    assert changed.actor == organiser and changed.target_id == str(team.pk)
    assert "name" in changed.details["changed"]
    assert withdrawn.details == {"changed": ["withdrawn"]}


def test_publishing_results_is_audited_once():
    organiser = make_user(role=Role.ORGANISER)
    game = make_game()
    results_publish(game=game, actor=organiser)
    results_publish(game=game, actor=organiser)
    (event,) = events(AuditAction.GAME_RESULTS_PUBLISHED)
    assert event.target_id == str(game.pk)


def test_a_prize_draw_is_audited_with_its_seed_and_winners():
    organiser = make_user(role=Role.ORGANISER)
    game = make_game()
    teams = [make_team(game=game) for _ in range(3)]
    draw = prize_draw(
        game=game,
        session=make_session(),
        team_ids=[t.pk for t in teams],
        places=2,
        condition="все команды",
        actor=organiser,
    )
    (event,) = events(AuditAction.PRIZE_DRAW)
    assert event.details["seed"] == draw.seed
    assert event.details["winners"] == draw.winners
