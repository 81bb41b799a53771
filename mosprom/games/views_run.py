"""Running a game on the night: the score grid (teams × rounds, each cell saved on change by
htmx, the whole grid by one POST without JavaScript), the history of the grid, penalties, the
review queue of disputed online answers, and publishing the final table.

Organisers, administrators and the hosts of the enterprise whose site the game is held at
(``games.selectors.game_for_running`` and friends: Http404 for anybody else's game). The
services in games.scoring write, keep the history (``ScoreChange``) and refuse with a
``GameError`` shown in Russian next to the cell or on the form.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mosprom.accounts.decorators import host_required
from mosprom.games import scoring, selectors
from mosprom.games import selectors_pages as pages
from mosprom.games.forms import PenaltyForm
from mosprom.games.models import Game, Round, Team
from mosprom.tourism.errors import TourismError

GRID_TEAMS_PER_PAGE = 100
HISTORY_PER_PAGE = 50
QUEUE_PER_PAGE = 25


@dataclass
class Cell:
    team: Team
    round: Round
    value: str  # as shown in the input: the stored points, or what was typed when refused
    error: str = ""
    saved: bool = False

    @property
    def name(self) -> str:
        return f"s-{self.team.pk}-{self.round.pk}"


def _parse_points(text: str) -> int | None:
    """'' → None (clear the cell); otherwise an integer, or ValueError."""
    text = (text or "").strip().replace("−", "-")
    if not text:
        return None
    return int(text)


def _save_cell(*, cell: Cell, actor) -> Cell:
    """Save one typed value through ``score_set``; the cell says saved or why not."""
    try:
        points = _parse_points(cell.value)
    except ValueError:
        cell.error = _("Введите целое число очков.")
        return cell
    try:
        score = scoring.score_set(team=cell.team, round=cell.round, points=points, actor=actor)
    except TourismError as error:
        cell.error = error.text
    else:
        cell.value = "" if score is None else str(score.points)
        cell.saved = True
    return cell


def _grid_context(request: HttpRequest, game: Game, typed: dict[str, Cell] | None = None):
    typed = typed or {}
    rounds = pages.rounds_of(game)
    page = Paginator(pages.playing_teams(game), GRID_TEAMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    teams = list(page.object_list)
    scores = pages.scores_of(teams=teams, rounds=rounds)
    rows = []
    for team in teams:
        cells = []
        for round_ in rounds:
            cell = Cell(team=team, round=round_, value="")
            if cell.name in typed:
                cell = typed[cell.name]
            else:
                points = scores.get((team.pk, round_.pk))
                cell.value = "" if points is None else str(points)
            cells.append(cell)
        rows.append((team, cells))
    return {
        "game": game,
        "rounds": rounds,
        "rows": rows,
        "page_obj": page,
        "final": game.results_published_at is not None,
    }


@host_required
@never_cache
@require_http_methods(["GET", "POST"])
def score_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """The grid. With JavaScript every cell is saved on change (``score_cell``); without it,
    «Сохранить» posts the whole grid here and every changed cell is saved."""
    game = selectors.game_for_running(user=request.user, pk=pk)
    if request.method == "POST":
        context = _grid_context(request, game)
        typed: dict[str, Cell] = {}
        changed = refused = 0
        for _team, cells in context["rows"]:
            for cell in cells:
                if cell.name not in request.POST:
                    continue
                new = request.POST[cell.name].strip()
                if new == cell.value:
                    continue
                cell.value = new
                _save_cell(cell=cell, actor=request.user)
                typed[cell.name] = cell
                changed += cell.saved
                refused += bool(cell.error)
        if not refused:
            messages.success(
                request,
                ngettext("Сохранено: %(n)s изменение.", "Сохранено: %(n)s изменений.", changed)
                % {"n": changed},
            )
            return redirect(request.get_full_path())
        context = _grid_context(request, game, typed)
        context["refused"] = refused
        return render(request, "games/manage/score_grid.html", context)
    return render(request, "games/manage/score_grid.html", _grid_context(request, game))


@host_required
@never_cache
@require_POST
def score_cell(request: HttpRequest, pk: int, round_pk: int) -> HttpResponse:
    """One cell, posted by htmx on change: answers with the cell again, marked saved or with
    the refusal, and an update of the grid's status line."""
    team = selectors.team_for_running(user=request.user, pk=pk)
    round_ = pages.round_for_running(user=request.user, pk=round_pk)
    if round_.game_id != team.game_id:
        return HttpResponse(status=404)
    cell = Cell(team=team, round=round_, value="")
    cell.value = request.POST.get(cell.name, "").strip()
    _save_cell(cell=cell, actor=request.user)
    if not request.htmx:
        if cell.error:
            messages.error(request, f"{team.name}, {round_.title}: {cell.error}")
        return redirect("games:manage_scores", pk=team.game_id)
    return render(request, "games/manage/_score_cell.html", {"cell": cell, "oob_status": True})


@host_required
@require_GET
def score_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change of the grid, newest first; ``?team=&round=`` narrows it to one cell."""
    game = selectors.game_for_running(user=request.user, pk=pk)
    team_id, round_id = _int(request.GET.get("team")), _int(request.GET.get("round"))
    changes = pages.score_history(game=game, team_id=team_id, round_id=round_id)
    page = Paginator(changes, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    team = pages.playing_teams(game).filter(pk=team_id).first() if team_id else None
    round_ = Round.objects.filter(game=game, pk=round_id).first() if round_id else None
    return render(
        request,
        "games/manage/score_history.html",
        {"game": game, "page_obj": page, "team": team, "round": round_},
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- Penalties ------------------------------------------------------------------------------


@host_required
@require_http_methods(["GET", "POST"])
def penalties(request: HttpRequest, pk: int) -> HttpResponse:
    game = selectors.game_for_running(user=request.user, pk=pk)
    form = PenaltyForm(request.POST or None, teams=pages.playing_teams(game))
    if request.method == "POST" and form.is_valid():
        team = form.cleaned_data["team"]
        try:
            scoring.penalty_add(
                team=team,
                points=form.cleaned_data["points"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except TourismError as error:
            form.add_error(None, error.text)
        else:
            messages.success(
                request,
                _("Штраф записан: «%(team)s», −%(points)s.")
                % {"team": team.name, "points": form.cleaned_data["points"]},
            )
            return redirect("games:manage_penalties", pk=game.pk)
    page = Paginator(pages.penalties_of(game), HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "games/manage/penalties.html",
        {
            "game": game,
            "form": form,
            "page_obj": page,
            "final": game.results_published_at is not None,
        },
    )


# --- Review queue ---------------------------------------------------------------------------


@host_required
@require_GET
def review_queue(request: HttpRequest, pk: int) -> HttpResponse:
    game = selectors.game_for_running(user=request.user, pk=pk)
    page = Paginator(selectors.review_queue(game), QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "games/manage/review_queue.html",
        {"game": game, "page_obj": page, "final": game.results_published_at is not None},
    )


@host_required
@require_POST
def answer_review(request: HttpRequest, pk: int) -> HttpResponse:
    answer = selectors.answer_for_running(user=request.user, pk=pk)
    game_id = answer.team.game_id
    verdict = request.POST.get("verdict")
    if verdict not in ("correct", "wrong"):
        messages.error(request, _("Выберите: засчитать или не засчитать."))
    else:
        try:
            scoring.answer_review(answer=answer, actor=request.user, correct=verdict == "correct")
        except TourismError as error:
            messages.error(request, error.text)
        else:
            messages.success(
                request,
                (
                    _("Ответ «%(text)s» команды «%(team)s» засчитан.")
                    if verdict == "correct"
                    else _("Ответ «%(text)s» команды «%(team)s» не засчитан.")
                )
                % {"text": answer.text, "team": answer.team.name},
            )
    return redirect("games:manage_review", pk=game_id)


# --- Publishing -----------------------------------------------------------------------------


@host_required
@require_http_methods(["GET", "POST"])
def results_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the final table after a confirmation step that shows it."""
    game = selectors.game_for_running(user=request.user, pk=pk)
    if game.results_published_at is not None:
        messages.info(request, _("Итоги этой игры уже опубликованы."))
        return redirect("games:leaderboard", pk=game.pk)
    error = ""
    if request.method == "POST":
        try:
            scoring.results_publish(game=game, actor=request.user)
        except TourismError as refusal:
            error = refusal.text
        else:
            messages.success(request, _("Итоги опубликованы. Очки больше не меняются."))
            return redirect("games:leaderboard", pk=game.pk)
    figures = pages.game_figures(game)
    return render(
        request,
        "games/manage/results_publish.html",
        {
            "game": game,
            "rounds": pages.rounds_of(game),
            "rows": scoring.leaderboard(game),
            "to_review": figures.to_review,
            "error": error,
            "final": False,
            "screen": False,
        },
    )
