"""Public games pages: the list, a game, registering a team, signing up as a solo player, the
live leaderboard (and its fragment that htmx polls) and a season's table.

Views parse the request, call one service (games.registration) and render; a refusal
(``GameError``, a ``TourismError``) is shown in Russian on the same form with what was typed.
Every page works without JavaScript; htmx only refreshes the leaderboard.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from mosprom.core import clock
from mosprom.core.ratelimit import rate_limit
from mosprom.games import registration, scoring, selectors, standings
from mosprom.games import selectors_pages as pages
from mosprom.games.errors import TeamNameTaken
from mosprom.games.forms import GameFilterForm, SoloForm, TeamForm
from mosprom.games.models import Game, GameStatus, League, SkippedGames, TeamStatus
from mosprom.tourism.errors import TourismError

GAMES_PER_PAGE = 12
TEAMS_PER_PAGE = 50
SEASON_ROWS_PER_PAGE = 50
# htmx stops polling when a fragment answers with this status (the final table is out).
STOP_POLLING = 286


def _full_name(user) -> str:
    return " ".join(part for part in (user.first_name, user.last_name) if part)


# --- The list and a game ---------------------------------------------------------------------


@require_safe
def game_list(request: HttpRequest) -> HttpResponse:
    form = GameFilterForm(request.GET or None)
    filters = form.values()
    upcoming = Paginator(pages.games_listed(upcoming=True, **filters), GAMES_PER_PAGE)
    past = Paginator(pages.games_listed(upcoming=False, **filters), GAMES_PER_PAGE)
    return render(
        request,
        "games/public/game_list.html",
        {
            "form": form,
            "filtering": bool(filters),
            "upcoming": upcoming.get_page(request.GET.get("page")),
            "past": past.get_page(request.GET.get("past")),
            "seasons": list(pages.seasons_with_games()[:6]),
            "may_run": request.user.is_authenticated
            and (request.user.is_host or request.user.is_organiser),
        },
    )


def _registration_state(game: Game) -> str:
    """closed_early / open / full (waitlist) / closed / cancelled, as the page shows it."""
    now = clock.now()
    if game.status == GameStatus.CANCELLED:
        return "cancelled"
    if game.status != GameStatus.PUBLISHED:
        return "draft"
    if now < game.registration_opens_at:
        return "not_open"
    if now >= game.registration_closes_at:
        return "closed"
    return "open" if game.places_left > 0 else "full"


@require_safe
def game_detail(request: HttpRequest, pk: int) -> HttpResponse:
    game = selectors.game_public(pk=pk, user=request.user)
    teams = Paginator(pages.game_registered_teams(game), TEAMS_PER_PAGE)
    return render(
        request,
        "games/public/game_detail.html",
        {
            "game": game,
            "state": _registration_state(game),
            "teams": teams.get_page(request.GET.get("page")),
            "waitlisted": pages.game_waitlisted_count(game),
            "my_team": pages.active_team_of(user=request.user, game=game),
            "my_solo": pages.active_solo_of(user=request.user, game=game),
            "online": game.format != "offline",
        },
    )


# --- Registering ----------------------------------------------------------------------------


def _refusal_to_form(form, error: TourismError) -> None:
    """Show a service's refusal next to the field it is about, else above the form."""
    if isinstance(error, TeamNameTaken):
        form.add_error("name", error.text)
    else:
        form.add_error(None, error.text)


@never_cache
@login_required
@rate_limit("game_registration")
@require_http_methods(["GET", "POST"])
def team_register(request: HttpRequest, pk: int) -> HttpResponse:
    game = selectors.game_public(pk=pk, user=request.user)
    existing = pages.active_team_of(user=request.user, game=game)
    if existing is not None:
        messages.info(request, _("Вы уже зарегистрировали команду на эту игру."))
        return redirect("games:team_edit", pk=existing.pk)
    state = _registration_state(game)
    if request.method == "POST":
        form = TeamForm(request.POST, game=game)
        if form.is_valid():
            try:
                team = registration.team_register(
                    user=request.user,
                    game=game,
                    name=form.cleaned_data["name"],
                    members=form.members(),
                    organisation=form.cleaned_data["organisation"],
                )
            except TourismError as error:
                _refusal_to_form(form, error)
            else:
                if team.status == TeamStatus.WAITLISTED:
                    messages.info(
                        request,
                        _(
                            "Мест на игре не осталось: команда «%(name)s» в листе ожидания. "
                            "Если место освободится, пришлём письмо."
                        )
                        % {"name": team.name},
                    )
                else:
                    messages.success(
                        request,
                        _("Команда «%(name)s» зарегистрирована. Подтверждение — на почте.")
                        % {"name": team.name},
                    )
                return redirect("games:my_teams")
    else:
        form = TeamForm(game=game, initial={"member_0": _full_name(request.user)})
    return render(
        request,
        "games/public/team_register.html",
        {
            "game": game,
            "form": form,
            "state": state,
            "email_confirmed": request.user.email_confirmed,
        },
    )


@never_cache
@login_required
@rate_limit("game_registration")
@require_http_methods(["GET", "POST"])
def solo_signup(request: HttpRequest, pk: int) -> HttpResponse:
    game = selectors.game_public(pk=pk, user=request.user)
    existing = pages.active_solo_of(user=request.user, game=game)
    if existing is not None:
        messages.info(request, _("Вы уже записались на эту игру как игрок без команды."))
        return redirect("games:my_teams")
    if request.method == "POST":
        form = SoloForm(request.POST)
        if form.is_valid():
            try:
                registration.solo_signup(
                    user=request.user,
                    game=game,
                    full_name=form.cleaned_data["full_name"],
                    note=form.cleaned_data["note"],
                )
            except TourismError as error:
                form.add_error(None, error.text)
            else:
                messages.success(
                    request,
                    _("Вы записаны как игрок без команды. Организатор предложит вам команду."),
                )
                return redirect("games:my_teams")
    else:
        form = SoloForm(initial={"full_name": _full_name(request.user)})
    return render(
        request,
        "games/public/solo_signup.html",
        {
            "game": game,
            "form": form,
            "state": _registration_state(game),
            "email_confirmed": request.user.email_confirmed,
        },
    )


# --- The leaderboard ------------------------------------------------------------------------


def _board_context(game: Game) -> dict:
    rounds = pages.rounds_of(game)
    rows = scoring.leaderboard(game)
    final = game.results_published_at is not None
    fingerprint = repr((final, [r.pk for r in rounds], rows)).encode()
    return {
        "game": game,
        "rounds": rounds,
        "rows": rows,
        "final": final,
        "version": hashlib.sha256(fingerprint).hexdigest()[:16],
        "updated_at": clock.now(),
    }


@require_safe
def leaderboard(request: HttpRequest, pk: int) -> HttpResponse:
    """The table for phones, or for the screen in the hall with ``?screen=1``: large type, no
    site chrome. Until the results are published htmx refreshes it every 3 seconds."""
    game = selectors.game_public(pk=pk, user=request.user)
    context = _board_context(game)
    context["screen"] = request.GET.get("screen") == "1"
    template = (
        "games/public/leaderboard_screen.html"
        if context["screen"]
        else ("games/public/leaderboard.html")
    )
    return render(request, template, context)


@never_cache
@require_safe
def leaderboard_table(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the table, for polling. Nothing changed since the version the page has: 204, so
    nothing is swapped and screen readers are not told the table again; the final table is
    sent with 286, which stops the polling."""
    game = selectors.game_public(pk=pk, user=request.user)
    context = _board_context(game)
    context["screen"] = request.GET.get("screen") == "1"
    if request.GET.get("v") == context["version"] and not context["final"]:
        return HttpResponse(status=204)
    response = render(request, "games/public/_leaderboard_table.html", context)
    if context["final"]:
        response.status_code = STOP_POLLING
    return response


# --- Season table ---------------------------------------------------------------------------


@require_safe
def season_table(request: HttpRequest, pk: int) -> HttpResponse:
    season = pages.season_public(pk=pk)
    leagues = pages.season_leagues(season)
    league = request.GET.get("league")
    if league not in leagues:
        league = leagues[0]
    games = standings.season_games(season, league)
    rows = standings.season_standings(season, league)
    page = Paginator(rows, SEASON_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "games/public/season_table.html",
        {
            "season": season,
            "league": league,
            "league_label": League(league).label,
            "tabs": [(value, League(value).label) for value in leagues],
            "games": games,
            "page": page,
            "best_n": season.skipped_rule == SkippedGames.BEST_N and season.best_n,
            "points": season.place_points or [],
        },
    )
