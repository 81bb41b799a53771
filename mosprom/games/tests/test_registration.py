"""Team registration: the rules and their Russian refusals, the waitlist, roster edits, solos."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.games import errors
from mosprom.games.models import (
    Game,
    GameStatus,
    SoloPlayer,
    SoloStatus,
    Team,
    TeamMember,
    TeamStatus,
)
from mosprom.games.registration import (
    solo_place,
    solo_signup,
    solo_withdraw,
    team_register,
    team_update,
    team_waitlist_position,
    team_withdraw,
)
from mosprom.games.tests.factories import make_game, make_team
from mosprom.registry.tests.factories import make_enterprise, make_membership, make_site
from mosprom.tourism.booking import format_moment

pytestmark = pytest.mark.django_db


def register(game: Game, user=None, name: str | None = None, members=None, **extra) -> Team:
    user = user or make_user()
    return team_register(
        user=user,
        game=game,
        name=name or f"Команда {user.pk}",
        members=members or [user.get_full_name(), "Пётр Игроков"],
        **extra,
    )


def taken(game: Game) -> int:
    game.refresh_from_db()
    return game.taken


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the on-commit work (the mail) queued inside the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- Registering ---------------------------------------------------------------------------


def test_register_takes_a_place_links_the_captain_and_mails_them(committed):
    game = make_game(capacity=2)
    captain = make_user(first_name="Анна")
    with committed():
        team = team_register(
            user=captain,
            game=game,
            name="  Станкостроители   Москвы ",
            members=["  Анна   Капитанова ", "Борис Игроков", "Вера Знатокова"],
            organisation=" Школа  № 1 ",
        )
    assert team.status == TeamStatus.REGISTERED
    assert team.waitlisted_at is None
    assert team.name == "Станкостроители Москвы"
    assert team.name_key == "станкостроители москвы"
    assert team.organisation == "Школа № 1"
    members = list(team.members.order_by("position"))
    assert [m.full_name for m in members] == ["Анна Капитанова", "Борис Игроков", "Вера Знатокова"]
    assert [m.user_id for m in members] == [captain.pk, None, None]
    assert taken(game) == 1
    (message,) = mail.outbox
    assert message.to == [captain.email]
    assert message.subject == (
        f"Команда «Станкостроители Москвы» зарегистрирована на игру «{game.title}»"
    )
    assert "Здравствуйте, Анна!" in message.body
    assert "2. Борис Игроков" in message.body


def test_full_game_puts_teams_on_the_waitlist_with_their_position(committed):
    game = make_game(capacity=1)
    with committed():
        first = register(game)
        second = register(game)
        third = register(game)
    assert first.status == TeamStatus.REGISTERED
    assert [second.status, third.status] == [TeamStatus.WAITLISTED] * 2
    assert second.waitlisted_at is not None
    assert [team_waitlist_position(second), team_waitlist_position(third)] == [1, 2]
    assert team_waitlist_position(first) == 0
    assert taken(game) == 1
    assert "лист ожидания, номер 2." in mail.outbox[-1].body
    assert mail.outbox[-1].subject.startswith(f"Команда «{third.name}» в листе ожидания")


def test_unconfirmed_email_is_refused():
    with pytest.raises(errors.EmailNotConfirmed) as refusal:
        register(make_game(), user=make_user(confirmed=False))
    assert refusal.value.code == "email_not_confirmed"
    assert refusal.value.text.startswith("Подтвердите адрес электронной почты")


def test_registration_before_the_window_names_the_moscow_moment():
    opens = dt.datetime(2030, 9, 1, 9, 0, tzinfo=dt.UTC)  # 12:00 in Moscow
    game = make_game(
        registration_opens_at=opens,
        registration_closes_at=opens + dt.timedelta(days=5),
        starts_at=opens + dt.timedelta(days=7),
    )
    with pytest.raises(errors.RegistrationNotOpen) as refusal:
        register(game)
    assert refusal.value.code == "registration_not_open"
    assert refusal.value.text == "Регистрация ещё не открыта: она начнётся 1 сентября 2030, 12:00."
    assert not Team.objects.exists()


def test_registration_after_the_window_or_for_a_cancelled_game_is_closed():
    game = make_game()
    with clock.frozen(game.registration_closes_at), pytest.raises(errors.RegistrationClosed) as r:
        register(game)
    assert r.value.code == "registration_closed"
    assert r.value.text == "Регистрация на эту игру закрыта."
    cancelled = make_game(status=GameStatus.CANCELLED)
    with pytest.raises(errors.RegistrationClosed, match="Игра отменена"):
        register(cancelled)
    with pytest.raises(errors.NotFound):
        register(make_game(status=GameStatus.DRAFT))
    assert not Team.objects.exists()


@pytest.mark.parametrize("count", [1, 7])
def test_roster_outside_the_team_size_is_refused(count):
    game = make_game(team_min=2, team_max=6)
    with pytest.raises(errors.RosterSize) as refusal:
        register(game, members=[f"Игрок {n}" for n in range(count)])
    assert refusal.value.code == "roster_size"
    assert refusal.value.http_status == 422
    assert refusal.value.text == "В команде должно быть от 2 до 6 игроков."
    assert taken(game) == 0


def test_roster_message_uses_the_russian_plural_of_the_maximum():
    game = make_game(team_min=1, team_max=1)
    with pytest.raises(errors.RosterSize) as refusal:
        register(game, members=["Один", "Два"])
    assert refusal.value.text == "В команде должно быть от 1 до 1 игрока."


@pytest.mark.parametrize(
    ("name", "members", "text"),
    [
        ("   ", None, "Укажите название команды."),
        ("Я" * 101, None, "Название команды не длиннее 100 символов."),
        ("Команда", ["Анна Капитанова", "  "], "Игрок 2: укажите имя."),
        ("Команда", ["", "Борис"], "Капитан: укажите имя."),
        ("Команда", ["Анна", "Б" * 256], "Игрок 2: имя не длиннее 255 символов."),
    ],
)
def test_empty_or_too_long_names_are_refused(name, members, text):
    game = make_game()
    with pytest.raises(errors.InvalidRequest) as refusal:
        register(game, name=name, members=members)
    assert refusal.value.code == "invalid_request"
    assert refusal.value.text == text
    assert not Team.objects.exists()


def test_a_hundred_character_name_is_accepted():
    team = register(make_game(), name="Я" * 100)
    assert len(team.name) == 100


def test_team_name_is_unique_ignoring_case_spaces_and_yo():
    game = make_game()
    register(game, name="Ёжики  в тумане")
    with pytest.raises(errors.TeamNameTaken) as refusal:
        register(game, name="ежики в Тумане")
    assert refusal.value.code == "team_name_taken"
    assert refusal.value.text == (
        "Команда «ежики в Тумане» уже зарегистрирована на эту игру. Выберите другое название."
    )
    assert taken(game) == 1
    # Another game may use it.
    assert register(make_game(), name="ежики в Тумане").status == TeamStatus.REGISTERED


def test_a_withdrawn_teams_name_is_free_again():
    game = make_game()
    first = register(game, name="Ёжики в тумане")
    team_withdraw(team=first, actor=first.captain)
    assert register(game, name="ЁЖИКИ В ТУМАНЕ").status == TeamStatus.REGISTERED


def test_database_clash_on_the_name_gets_the_same_answer(monkeypatch):
    """A concurrent registration that won the name between the check and the insert."""
    from mosprom.games import registration

    game = make_game()
    rival = register(game, name="Ёжики в тумане")
    monkeypatch.setattr(registration, "_refuse_clash", _skip_first_check(registration))
    with pytest.raises(errors.TeamNameTaken):
        register(game, name="ежики в тумане")
    assert taken(game) == 1, "the counter moved in the rolled-back transaction only"
    assert list(Team.objects.filter(game=game)) == [rival]


def test_database_clash_on_the_captain_gets_the_same_answer(monkeypatch):
    from mosprom.games import registration

    game = make_game()
    captain = make_user()
    register(game, user=captain)
    monkeypatch.setattr(registration, "_refuse_clash", _skip_first_check(registration))
    with pytest.raises(errors.AlreadyRegistered):
        register(game, user=captain, name="Другое название")
    assert taken(game) == 1


def _skip_first_check(registration):
    real = registration._refuse_clash
    calls = []

    def refuse(**kwargs):
        calls.append(kwargs)
        if len(calls) > 1:
            real(**kwargs)

    return refuse


def test_one_active_team_per_captain():
    game = make_game()
    captain = make_user()
    first = register(game, user=captain)
    with pytest.raises(errors.AlreadyRegistered) as refusal:
        register(game, user=captain, name="Вторая")
    assert refusal.value.text == "Вы уже зарегистрировали команду на эту игру."
    team_withdraw(team=first, actor=captain)
    assert register(game, user=captain, name="Вторая").status == TeamStatus.REGISTERED


# --- Withdrawing and the waitlist ----------------------------------------------------------


def test_withdrawal_promotes_the_longest_waiting_team_and_mails_it(committed):
    game = make_game(capacity=2)
    a, b = register(game), register(game)
    c, d = register(game), register(game)
    Team.objects.filter(pk=c.pk).update(waitlisted_at=clock.now() + dt.timedelta(seconds=5))
    mail.outbox.clear()

    with committed():
        withdrawn = team_withdraw(team=a, actor=a.captain)

    assert withdrawn.status == TeamStatus.WITHDRAWN
    assert withdrawn.withdrawn_at is not None
    d.refresh_from_db()
    c.refresh_from_db()
    assert d.status == TeamStatus.REGISTERED, "d waited longer than c (waitlisted_at)"
    assert d.promoted_at is not None
    assert c.status == TeamStatus.WAITLISTED
    assert team_waitlist_position(c) == 1
    assert taken(game) == 2, "the place passed on, the counter stays"
    promoted = [m for m in mail.outbox if m.to == [d.captain.email]]
    assert len(promoted) == 1
    assert promoted[0].subject.startswith("Освободилось место")
    assert [m.to for m in mail.outbox if m.to == [a.captain.email]] == [[a.captain.email]]

    mail.outbox.clear()
    with committed():
        again = team_withdraw(team=withdrawn, actor=a.captain)
        assert again.status == TeamStatus.WITHDRAWN
        stale = Team.objects.get(pk=a.pk)
        stale.status = TeamStatus.REGISTERED  # a stale copy: the locked row decides
        team_withdraw(team=stale, actor=a.captain)
    c.refresh_from_db()
    assert c.status == TeamStatus.WAITLISTED
    assert taken(game) == 2
    assert mail.outbox == []
    assert b.status == TeamStatus.REGISTERED


def test_withdrawal_without_a_waitlist_frees_the_place():
    game = make_game(capacity=2)
    a = register(game)
    register(game)
    team_withdraw(team=a, actor=a.captain)
    assert taken(game) == 1
    team_withdraw(team=a, actor=a.captain)
    assert taken(game) == 1


def test_withdrawing_a_waitlisted_team_moves_no_counter():
    game = make_game(capacity=1)
    register(game)
    waiting = register(game)
    team_withdraw(team=waiting, actor=waiting.captain)
    assert taken(game) == 1
    assert Team.objects.filter(game=game, status=TeamStatus.REGISTERED).count() == 1


def test_only_the_captain_or_an_organiser_withdraws():
    game = make_game()
    team = register(game)
    with pytest.raises(errors.Forbidden) as refusal:
        team_withdraw(team=team, actor=make_user())
    assert refusal.value.text == "Недостаточно прав."
    team_withdraw(team=team, actor=make_user(role=Role.ORGANISER))
    assert taken(game) == 0


def test_no_withdrawal_once_the_game_has_started():
    game = make_game()
    team = register(game)
    with clock.frozen(game.starts_at), pytest.raises(errors.RegistrationClosed) as refusal:
        team_withdraw(team=team, actor=team.captain)
    assert refusal.value.text == "Игра уже началась: сняться с неё нельзя."


# --- Editing -------------------------------------------------------------------------------


def test_captain_renames_and_replaces_the_roster_keeping_the_account_links():
    game = make_game()
    team = register(game, members=["Анна Капитанова", "Борис Игроков"])
    solo_user = make_user()
    TeamMember.objects.create(team=team, position=2, full_name="Вера Знатокова", user=solo_user)
    updated = team_update(
        team=team,
        actor=team.captain,
        name="Новые  знатоки",
        members=["Анна  Капитанова-Иванова", "вера знатокова", "Глеб Новиков"],
        organisation="Завод",
    )
    assert (updated.name, updated.name_key, updated.organisation) == (
        "Новые знатоки",
        "новые знатоки",
        "Завод",
    )
    rows = list(updated.members.order_by("position").values_list("full_name", "user_id"))
    assert rows == [
        ("Анна Капитанова-Иванова", team.captain_id),
        ("вера знатокова", solo_user.pk),
        ("Глеб Новиков", None),
    ]


def test_rename_checks_uniqueness_but_keeps_its_own_name():
    game = make_game()
    register(game, name="Ёжики в тумане")
    team = register(game, name="Знатоки")
    with pytest.raises(errors.TeamNameTaken):
        team_update(team=team, actor=team.captain, name="ежики  в Тумане")
    assert team_update(team=team, actor=team.captain, name="ЗНАТОКИ").name == "ЗНАТОКИ"


def test_update_validates_like_registration():
    team = register(make_game(team_min=2, team_max=3))
    with pytest.raises(errors.RosterSize):
        team_update(team=team, actor=team.captain, members=["Один"])
    with pytest.raises(errors.InvalidRequest, match="Игрок 2: укажите имя"):
        team_update(team=team, actor=team.captain, members=["Один", " "])
    assert team.members.count() == 2


def test_roster_edit_after_the_deadline_is_refused_to_the_captain_but_not_to_organisers():
    game = make_game()
    team = register(game)
    after = game.registration_closes_at + dt.timedelta(minutes=1)
    with clock.frozen(after), pytest.raises(errors.RegistrationClosed) as refusal:
        team_update(team=team, actor=team.captain, members=["Анна", "Борис"])
    assert refusal.value.code == "registration_closed"
    assert refusal.value.text.startswith("Состав и название можно было менять до закрытия")
    assert format_moment(game.registration_closes_at) in refusal.value.text
    assert [m.full_name for m in team.members.all()][1] == "Пётр Игроков"

    with clock.frozen(after):
        team_update(team=team, actor=make_user(role=Role.ORGANISER), members=["Анна", "Борис"])
    assert [m.full_name for m in team.members.order_by("position")] == ["Анна", "Борис"]
    with clock.frozen(game.starts_at), pytest.raises(errors.RegistrationClosed, match="началась"):
        team_update(team=team, actor=make_user(role=Role.ORGANISER), name="Поздно")


def test_host_of_the_games_site_may_edit_other_visitors_may_not(committed):
    enterprise = make_enterprise()
    game = make_game(site=make_site(enterprise))
    team = register(game)
    host = make_user(role=Role.HOST)
    make_membership(host, enterprise)
    mail.outbox.clear()
    with committed():
        team_update(team=team, actor=host, organisation="Лицей № 2")
    team.refresh_from_db()
    assert team.organisation == "Лицей № 2"
    (message,) = mail.outbox
    assert message.to == [team.captain.email]
    assert "Организаторы изменили данные команды" in message.subject
    with pytest.raises(errors.Forbidden):
        team_update(team=team, actor=make_user(role=Role.HOST), name="Чужие")
    with pytest.raises(errors.Forbidden):
        team_update(team=team, actor=make_user(), name="Чужие")


def test_withdrawn_team_is_not_edited():
    team = register(make_game())
    team_withdraw(team=team, actor=team.captain)
    with pytest.raises(errors.NotActive):
        team_update(team=team, actor=team.captain, name="Снова")


# --- Solo players --------------------------------------------------------------------------


def test_solo_flow_signup_place_and_mail(committed):
    game = make_game(team_max=3)
    team = register(game, members=["Анна Капитанова", "Борис Игроков"])
    player = make_user(first_name="Вера")
    solo = solo_signup(user=player, game=game, full_name=" Вера  Знатокова ", note="Люблю химию")
    assert (solo.status, solo.full_name) == (SoloStatus.WAITING, "Вера Знатокова")
    with pytest.raises(errors.AlreadySignedUp) as refusal:
        solo_signup(user=player, game=game, full_name="Вера")
    assert refusal.value.text == "Вы уже записались на эту игру как игрок без команды."
    mail.outbox.clear()

    organiser = make_user(role=Role.ORGANISER)
    with committed():
        member = solo_place(solo=solo, team=team, actor=organiser)

    assert (member.user_id, member.position, member.full_name) == (player.pk, 2, "Вера Знатокова")
    solo.refresh_from_db()
    assert (solo.status, solo.team_id) == (SoloStatus.PLACED, team.pk)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([player.email, team.captain.email])
    to_player = next(m for m in mail.outbox if m.to == [player.email])
    assert f"«{team.name}»" in to_player.body
    to_captain = next(m for m in mail.outbox if m.to == [team.captain.email])
    assert "Вера Знатокова" in to_captain.body and "Люблю химию" in to_captain.body

    # The team is now full.
    other = solo_signup(user=make_user(), game=game, full_name="Глеб")
    with pytest.raises(errors.RosterSize):
        solo_place(solo=other, team=team, actor=organiser)
    # A placed player is on the roster: taken off by editing it, not by withdrawing.
    with pytest.raises(errors.InvalidRequest, match="уже в команде"):
        solo_withdraw(solo=solo, actor=player)
    team_update(team=team, actor=team.captain, members=["Анна Капитанова", "Борис Игроков"])
    solo.refresh_from_db()
    assert (solo.status, solo.team_id) == (SoloStatus.WAITING, None)


def test_solo_place_is_for_whoever_runs_the_game_and_the_same_game():
    game = make_game()
    team = register(game)
    solo = solo_signup(user=make_user(), game=game, full_name="Вера")
    with pytest.raises(errors.Forbidden):
        solo_place(solo=solo, team=team, actor=team.captain)
    elsewhere = register(make_game())
    with pytest.raises(errors.InvalidRequest, match="другую игру"):
        solo_place(solo=solo, team=elsewhere, actor=make_user(role=Role.ORGANISER))
    solo_withdraw(solo=solo, actor=solo.user)
    with pytest.raises(errors.InvalidRequest, match="отказался"):
        solo_place(solo=solo, team=team, actor=make_user(role=Role.ORGANISER))


def test_solo_signup_rules():
    game = make_game()
    with pytest.raises(errors.EmailNotConfirmed):
        solo_signup(user=make_user(confirmed=False), game=game, full_name="Вера")
    with clock.frozen(game.registration_closes_at), pytest.raises(errors.RegistrationClosed):
        solo_signup(user=make_user(), game=game, full_name="Вера")
    with pytest.raises(errors.InvalidRequest, match="Игрок: укажите имя"):
        solo_signup(user=make_user(), game=game, full_name="  ")
    captain = register(game).captain
    with pytest.raises(errors.AlreadyRegistered):
        solo_signup(user=captain, game=game, full_name="Капитан")


def test_solo_withdraw_twice_then_sign_up_again_and_register_closes_the_signup():
    game = make_game()
    player = make_user()
    solo = solo_signup(user=player, game=game, full_name="Вера")
    with pytest.raises(errors.Forbidden):
        solo_withdraw(solo=solo, actor=make_user())
    assert solo_withdraw(solo=solo, actor=player).status == SoloStatus.WITHDRAWN
    assert solo_withdraw(solo=solo, actor=player).status == SoloStatus.WITHDRAWN
    again = solo_signup(user=player, game=game, full_name="Вера")
    register(game, user=player)
    again.refresh_from_db()
    assert again.status == SoloStatus.WITHDRAWN, "found a team: no longer looking"
    assert SoloPlayer.objects.filter(game=game, status=SoloStatus.WAITING).count() == 0


def test_a_placed_player_cannot_captain_another_team_of_the_game():
    game = make_game()
    team = make_team(game=game)
    player = make_user()
    solo = solo_signup(user=player, game=game, full_name="Вера")
    solo_place(solo=solo, team=team, actor=make_user(role=Role.ORGANISER))
    with pytest.raises(errors.InvalidRequest) as refusal:
        register(game, user=player)
    assert refusal.value.text == f"Вы уже играете в команде «{team.name}» на этой игре."
