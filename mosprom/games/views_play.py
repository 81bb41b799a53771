"""The captain's pages: my teams (and solo sign-ups), editing a roster until the deadline,
withdrawing after a confirmation step, the online play page (open questions, the team's
answers) and an appeal on a wrong answer.

Every object is reached through a selector that returns only the user's own (Http404 for
anybody else's); the services in games.registration and games.scoring write and refuse with
a ``GameError`` shown on the same form with what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from mosprom.core import clock
from mosprom.games import registration, scoring, selectors
from mosprom.games import selectors_pages as pages
from mosprom.games.errors import TeamNameTaken
from mosprom.games.forms import AnswerForm, AppealForm, TeamForm
from mosprom.games.models import (
    ACTIVE_TEAM,
    AnswerStatus,
    GameFormat,
    GameStatus,
    Question,
    SoloStatus,
    Team,
    TeamStatus,
)
from mosprom.tourism.errors import TourismError

TEAMS_PER_PAGE = 10
SOLOS_PER_PAGE = 10


def _roster_open(team: Team) -> bool:
    game = team.game
    return (
        team.status in ACTIVE_TEAM
        and game.status == GameStatus.PUBLISHED
        and clock.now() < game.registration_closes_at
    )


def _may_withdraw(team: Team) -> bool:
    return team.status in ACTIVE_TEAM and clock.now() < team.game.starts_at


def _plays_online(team: Team) -> bool:
    return team.game.format != GameFormat.OFFLINE


@never_cache
@login_required
@require_safe
def my_teams(request: HttpRequest) -> HttpResponse:
    teams = Paginator(selectors.teams_of_captain(request.user), TEAMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "team": team,
            "roster_open": _roster_open(team),
            "may_withdraw": _may_withdraw(team),
            "online": _plays_online(team) and team.status == TeamStatus.REGISTERED,
        }
        for team in teams.object_list
    ]
    solos = Paginator(pages.solos_of_user(request.user), SOLOS_PER_PAGE).get_page(
        request.GET.get("solos")
    )
    return render(
        request,
        "games/play/my_teams.html",
        {"teams": teams, "rows": rows, "solos": solos},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_of_captain(user=request.user, pk=pk)
    game = team.game
    editable = _roster_open(team)
    if request.method == "POST" and editable:
        form = TeamForm(request.POST, game=game)
        if form.is_valid():
            try:
                registration.team_update(
                    team=team,
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    members=form.members(),
                    organisation=form.cleaned_data["organisation"],
                )
            except TeamNameTaken as error:
                form.add_error("name", error.text)
            except TourismError as error:
                form.add_error(None, error.text)
            else:
                messages.success(request, _("Состав команды сохранён."))
                return redirect("games:my_teams")
    else:
        form = TeamForm(game=game, initial=TeamForm.initial_for(team))
    return render(
        request,
        "games/play/team_edit.html",
        {
            "team": team,
            "game": game,
            "form": form,
            "editable": editable,
            "may_withdraw": _may_withdraw(team),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def team_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_of_captain(user=request.user, pk=pk)
    if team.status == TeamStatus.WITHDRAWN:
        messages.info(request, _("Команда уже снялась с игры."))
        return redirect("games:my_teams")
    allowed = _may_withdraw(team)
    if request.method == "POST" and allowed:
        try:
            registration.team_withdraw(team=team, actor=request.user)
        except TourismError as error:
            messages.error(request, error.text)
        else:
            messages.success(request, _("Команда «%(name)s» снялась с игры.") % {"name": team.name})
        return redirect("games:my_teams")
    return render(
        request,
        "games/play/team_withdraw.html",
        {"team": team, "game": team.game, "allowed": allowed},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def solo_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    solo = selectors.solo_of_user(user=request.user, pk=pk)
    if solo.status != SoloStatus.WAITING:
        messages.info(
            request,
            _("Вы уже в команде — напишите её капитану, если не сможете прийти.")
            if solo.status == SoloStatus.PLACED
            else _("Вы уже отказались от участия."),
        )
        return redirect("games:my_teams")
    if request.method == "POST":
        try:
            registration.solo_withdraw(solo=solo, actor=request.user)
        except TourismError as error:
            messages.error(request, error.text)
        else:
            messages.success(request, _("Вы больше не ищете команду на эту игру."))
        return redirect("games:my_teams")
    return render(request, "games/play/solo_withdraw.html", {"solo": solo, "game": solo.game})


# --- Online play ----------------------------------------------------------------------------


def _play_context(team: Team, *, forms: dict[int, AnswerForm] | None = None) -> dict:
    forms = forms or {}
    questions = pages.questions_open_for(team=team) if _plays_online(team) else []
    return {
        "team": team,
        "game": team.game,
        "online": _plays_online(team),
        "playing": team.status == TeamStatus.REGISTERED,
        "final": team.game.results_published_at is not None,
        "open": [(q, forms.get(q.pk) or AnswerForm(question=q)) for q in questions],
        "answers": list(pages.answers_of(team=team)),
        "next_at": pages.next_question_at(team=team) if _plays_online(team) else None,
        "WRONG": AnswerStatus.WRONG,
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def play(request: HttpRequest, pk: int) -> HttpResponse:
    """Open questions with an answer input (and «уверены» in confidence rounds), the team's
    answers with their status and an appeal link on wrong ones."""
    team = selectors.team_of_captain(user=request.user, pk=pk)
    if request.method == "POST":
        if not _plays_online(team):
            raise Http404
        question = (
            Question.objects.select_related("round")
            .filter(pk=_int(request.POST.get("question")), round__game_id=team.game_id)
            .first()
        )
        if question is None:
            messages.error(request, _("Такого вопроса в игре нет."))
            return redirect("games:play", pk=team.pk)
        form = AnswerForm(request.POST, question=question)
        if form.is_valid():
            try:
                scoring.answer_submit(
                    team=team,
                    question=question,
                    text=form.cleaned_data["text"],
                    confident=form.cleaned_data.get("confident", False),
                    actor=request.user,
                )
            except TourismError as error:
                form.add_error(None, error.text)
            else:
                messages.success(
                    request,
                    _("Ответ на вопрос %(round)s.%(number)s принят.")
                    % {"round": question.round.number, "number": question.number},
                )
                return redirect("games:play", pk=team.pk)
        context = _play_context(team, forms={question.pk: form})
        if question.pk not in {q.pk for q, _form in context["open"]}:
            # Closed meanwhile: keep the refusal on the page.
            context["closed_refusal"] = form.non_field_errors()
        return render(request, "games/play/play.html", context)
    return render(request, "games/play/play.html", _play_context(team))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def answer_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    answer = selectors.answer_of_team(user=request.user, pk=pk)
    team = answer.team
    allowed = (
        answer.status == AnswerStatus.WRONG
        and not answer.appealed
        and team.game.results_published_at is None
    )
    form = AppealForm(request.POST or None)
    if request.method == "POST" and allowed and form.is_valid():
        try:
            scoring.answer_appeal(answer=answer, actor=request.user, note=form.cleaned_data["note"])
        except TourismError as error:
            form.add_error(None, error.text)
        else:
            messages.success(request, _("Апелляция подана: ведущий пересмотрит ответ."))
            return redirect("games:play", pk=team.pk)
    return render(
        request,
        "games/play/answer_appeal.html",
        {"answer": answer, "team": team, "game": team.game, "form": form, "allowed": allowed},
    )
