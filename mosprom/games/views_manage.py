"""Organising games: the list of games one may run, creating and editing a game (organisers),
seasons (organisers), rounds and questions, rosters with the waitlist and solo players, and
the prize draw (organisers).

Who may reach a game is ``games.selectors.games_run_by``: organisers and administrators all,
hosts those held at their enterprises' sites (Http404 for others). A game, season, round or
question is written by its ModelForm with ``update_fields`` limited to the form's fields, so
``Game.taken`` — moved only by games.registration's conditional UPDATEs — is never written
back stale; lowering the capacity below it is refused (the CHECK would refuse it anyway).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mosprom.accounts.decorators import host_required, organiser_required
from mosprom.games import prizes, registration, selectors
from mosprom.games import selectors_pages as pages
from mosprom.games.forms import (
    GameForm,
    PlaceSoloForm,
    PrizeDrawForm,
    QuestionForm,
    RoundForm,
    SeasonForm,
)
from mosprom.games.models import Game, GameSeason, Question, Round
from mosprom.tourism.errors import TourismError

PER_PAGE = 25
TEAMS_PER_PAGE = 50


def _save_fields(form, instance, *, extra: tuple[str, ...] = ()) -> None:
    """Write only what the form edits (plus ``extra``), never a counter read earlier."""
    with transaction.atomic():
        instance.save(update_fields=[*form.Meta.fields, *extra])


# --- Games ----------------------------------------------------------------------------------


@host_required
@require_GET
def manage_games(request: HttpRequest) -> HttpResponse:
    games = selectors.games_run_by(request.user).order_by("-starts_at", "-id")
    page = Paginator(games, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "games/manage/game_list.html", {"page_obj": page})


@organiser_required
@require_http_methods(["GET", "POST"])
def game_new(request: HttpRequest) -> HttpResponse:
    form = GameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        game = form.save()
        messages.success(
            request,
            _("Игра «%(title)s» создана. Добавьте туры и вопросы.") % {"title": game.title},
        )
        return redirect("games:manage_game", pk=game.pk)
    return render(request, "games/manage/game_form.html", {"form": form, "game": None})


@organiser_required
@require_http_methods(["GET", "POST"])
def game_edit(request: HttpRequest, pk: int) -> HttpResponse:
    game = selectors.game_for_running(user=request.user, pk=pk)
    form = GameForm(request.POST or None, instance=game)
    if request.method == "POST" and form.is_valid():
        try:
            _save_fields(form, form.instance, extra=("updated_at",))
        except IntegrityError:
            # A team registered between the check and the write (taken <= capacity).
            form.add_error(
                "capacity", _("Зарегистрированных команд уже больше, чем это число мест.")
            )
        else:
            messages.success(request, _("Изменения сохранены."))
            if promoted := registration.waitlist_fill(game=form.instance):
                messages.info(
                    request,
                    _("Из листа ожидания переведены команды: %(names)s.")
                    % {"names": ", ".join(f"«{team.name}»" for team in promoted)},
                )
            return redirect("games:manage_game", pk=game.pk)
        game = selectors.game_for_running(user=request.user, pk=pk)
    return render(request, "games/manage/game_form.html", {"form": form, "game": game})


@host_required
@require_GET
def manage_game(request: HttpRequest, pk: int) -> HttpResponse:
    """A game's hub: figures and the way to every page of running it."""
    game = selectors.game_for_running(user=request.user, pk=pk)
    return render(
        request,
        "games/manage/game_hub.html",
        {"game": game, "figures": pages.game_figures(game)},
    )


# --- Seasons --------------------------------------------------------------------------------


@organiser_required
@require_GET
def season_list(request: HttpRequest) -> HttpResponse:
    from django.db.models import Count

    seasons = GameSeason.objects.annotate(game_count=Count("games")).order_by("-year", "name")
    page = Paginator(seasons, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "games/manage/season_list.html", {"page_obj": page})


@organiser_required
@require_http_methods(["GET", "POST"])
def season_new(request: HttpRequest) -> HttpResponse:
    form = SeasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        season = form.save()
        messages.success(request, _("Сезон «%(name)s» создан.") % {"name": season.name})
        return redirect("games:manage_seasons")
    return render(request, "games/manage/season_form.html", {"form": form, "season": None})


@organiser_required
@require_http_methods(["GET", "POST"])
def season_edit(request: HttpRequest, pk: int) -> HttpResponse:
    season = pages.season_public(pk=pk)
    form = SeasonForm(request.POST or None, instance=season)
    if request.method == "POST" and form.is_valid():
        _save_fields(form, form.instance, extra=("updated_at",))
        messages.success(request, _("Сезон «%(name)s» сохранён.") % {"name": season.name})
        return redirect("games:manage_seasons")
    return render(
        request,
        "games/manage/season_form.html",
        {"form": form, "season": pages.season_public(pk=pk)},
    )


# --- Rounds and questions -------------------------------------------------------------------


@host_required
@require_http_methods(["GET", "POST"])
def rounds(request: HttpRequest, pk: int) -> HttpResponse:
    """The game's rounds, and a form to add one."""
    game = selectors.game_for_running(user=request.user, pk=pk)
    existing = list(pages.rounds_with_counts(game))
    next_number = (existing[-1].number + 1) if existing else 1
    form = RoundForm(request.POST or None, game=game, initial={"number": next_number, "title": ""})
    if request.method == "POST" and form.is_valid():
        form.instance.game = game
        round_ = form.save()
        messages.success(request, _("Тур «%(title)s» добавлен.") % {"title": round_.title})
        return redirect("games:manage_round", pk=round_.pk)
    return render(
        request,
        "games/manage/rounds.html",
        {"game": game, "rounds": existing, "form": form},
    )


@host_required
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A round's settings, its questions and a form to add a question."""
    round_ = pages.round_for_running(user=request.user, pk=pk)
    game = round_.game
    questions = list(Question.objects.filter(round=round_).order_by("number"))
    action = request.POST.get("action", "round")
    form = RoundForm(instance=round_, game=game)
    next_number = (questions[-1].number + 1) if questions else 1
    question_form = QuestionForm(round=round_, initial={"number": next_number})
    if request.method == "POST" and action == "round":
        form = RoundForm(request.POST, instance=round_, game=game)
        if form.is_valid():
            _save_fields(form, form.instance)
            messages.success(request, _("Тур сохранён."))
            return redirect("games:manage_round", pk=round_.pk)
        round_ = pages.round_for_running(user=request.user, pk=pk)
    elif request.method == "POST" and action == "question":
        question_form = QuestionForm(request.POST, round=round_)
        if question_form.is_valid():
            question_form.instance.round = round_
            question = question_form.save()
            messages.success(request, _("Вопрос %(n)s добавлен.") % {"n": question.number})
            return redirect("games:manage_round", pk=round_.pk)
    elif request.method == "POST":
        return HttpResponse(status=400)
    return render(
        request,
        "games/manage/round_form.html",
        {
            "game": game,
            "round": round_,
            "form": form,
            "questions": questions,
            "question_form": question_form,
        },
    )


@host_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = pages.question_for_running(user=request.user, pk=pk)
    round_: Round = question.round
    form = QuestionForm(request.POST or None, instance=question, round=round_)
    if request.method == "POST" and form.is_valid():
        _save_fields(form, form.instance)
        messages.success(request, _("Вопрос сохранён."))
        return redirect("games:manage_round", pk=round_.pk)
    return render(
        request,
        "games/manage/question_form.html",
        {
            "game": round_.game,
            "round": round_,
            "question": pages.question_for_running(user=request.user, pk=pk),
            "form": form,
        },
    )


# --- Rosters --------------------------------------------------------------------------------


def _rosters_context(request: HttpRequest, game: Game, **extra) -> dict:
    teams = Paginator(selectors.teams_of(game), TEAMS_PER_PAGE).get_page(request.GET.get("page"))
    solos = Paginator(pages.waiting_solos(game), TEAMS_PER_PAGE).get_page(request.GET.get("solos"))
    may_place = request.user.is_organiser
    place_teams = list(pages.playing_teams(game)) if may_place and solos.object_list else []
    return {
        "game": game,
        "teams": teams,
        "solos": solos,
        "may_place": may_place,
        "place_teams": place_teams,
        "figures": pages.game_figures(game),
        **extra,
    }


@host_required
@require_GET
def rosters(request: HttpRequest, pk: int) -> HttpResponse:
    """Teams in registration order (the waitlist in its order after them) with their
    rosters; solo players looking for a team, each with «поставить в команду»."""
    game = selectors.game_for_running(user=request.user, pk=pk)
    return render(request, "games/manage/rosters.html", _rosters_context(request, game))


@organiser_required
@require_POST
def solo_place(request: HttpRequest, pk: int) -> HttpResponse:
    solo = pages.solo_for_running(user=request.user, pk=pk)
    game = solo.game
    form = PlaceSoloForm(request.POST, teams=pages.playing_teams(game))
    if form.is_valid():
        try:
            registration.solo_place(solo=solo, team=form.cleaned_data["team"], actor=request.user)
        except TourismError as error:
            messages.error(request, error.text)
        else:
            messages.success(
                request,
                _("%(player)s теперь в команде «%(team)s».")
                % {"player": solo.full_name, "team": form.cleaned_data["team"].name},
            )
            return redirect("games:manage_rosters", pk=game.pk)
    else:
        messages.error(
            request,
            _("%(player)s: выберите команду из списка.") % {"player": solo.full_name},
        )
    return redirect("games:manage_rosters", pk=game.pk)


# --- Prize draw -----------------------------------------------------------------------------


def _draw_rows(game: Game) -> list[dict]:
    draws = list(pages.prize_draws_of(game)[:20])
    ids = {int(pk) for draw in draws for pk in draw.candidates}
    names = pages.team_names(sorted(ids))
    return [
        {
            "draw": draw,
            "candidates": [names.get(int(pk), f"#{pk}") for pk in draw.candidates],
            "winners": [names.get(int(pk), f"#{pk}") for pk in draw.winners],
            "verified": prizes.prize_draw_verify(draw),
        }
        for draw in draws
    ]


@organiser_required
@require_http_methods(["GET", "POST"])
def prize_draw(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: the condition and the session, which shows the candidates; step 2 (``draw``):
    the seeded draw among the same candidates, recomputed from the condition."""
    game = selectors.game_for_running(user=request.user, pk=pk)
    form = PrizeDrawForm(request.POST or None, sessions=pages.prize_sessions())
    candidates: list[int] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            candidates = prizes.prize_candidates(
                game=game,
                top=form.cleaned_data.get("top"),
                min_correct=form.cleaned_data.get("min_correct"),
            )
            if request.POST.get("action") == "draw":
                draw = prizes.prize_draw(
                    game=game,
                    session=form.cleaned_data["session"],
                    team_ids=candidates,
                    places=form.cleaned_data["places"],
                    condition=form.condition(),
                    actor=request.user,
                )
                messages.success(
                    request,
                    _("Розыгрыш проведён: победителей %(n)s. Билеты отправлены капитанам.")
                    % {"n": len(draw.winners)},
                )
                return redirect(f"{request.path}#draw-{draw.pk}")
        except TourismError as error:
            form.add_error(None, error.text)
    names = pages.team_names(candidates) if candidates else {}
    return render(
        request,
        "games/manage/prize_draw.html",
        {
            "game": game,
            "form": form,
            "candidates": [names[pk] for pk in candidates or [] if pk in names],
            "previewed": candidates is not None,
            "draws": _draw_rows(game),
        },
    )
