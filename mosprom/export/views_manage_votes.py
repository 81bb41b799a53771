"""The organisers' fair vote (/export/manage/votes/…): rounds (year, votes per enterprise,
window), their candidate fairs, the counts while voting runs, and publishing the results.

A round or a candidate is written by its ModelForm (plain rows with no counters); the votes
themselves only through ``export.participation``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mosprom.accounts.decorators import organiser_required
from mosprom.export import selectors_pages as pages
from mosprom.export import votes as fair_votes
from mosprom.export.forms_manage import CandidateForm, VoteRoundForm
from mosprom.export.models import VoteRound

PER_PAGE = 20


@organiser_required
@require_safe
def rounds(request: HttpRequest) -> HttpResponse:
    page = Paginator(pages.vote_rounds_for_staff(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "export/manage/votes.html", {"page_obj": page})


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    form = VoteRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        vote_round = form.save()
        messages.success(
            request,
            _("Голосование по выставкам %(year)s года создано. Добавьте выставки-кандидаты.")
            % {"year": vote_round.year},
        )
        return redirect("export:manage_vote", pk=vote_round.pk)
    return render(request, "export/manage/vote_new.html", {"form": form})


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's settings, its candidates with their counts, and a form to add one."""
    vote_round = pages.vote_round_for_staff(user=request.user, pk=pk)
    action = request.POST.get("action", "round")
    form = VoteRoundForm(instance=vote_round)
    candidate_form = CandidateForm()
    if request.method == "POST" and action == "round":
        form = VoteRoundForm(request.POST, instance=vote_round)
        if form.is_valid():
            with transaction.atomic():
                form.instance.save(update_fields=[*VoteRoundForm.Meta.fields, "updated_at"])
            messages.success(request, _("Изменения сохранены."))
            return redirect("export:manage_vote", pk=vote_round.pk)
        vote_round = pages.vote_round_for_staff(user=request.user, pk=pk)
    elif request.method == "POST" and action == "candidate":
        candidate_form = CandidateForm(request.POST)
        if candidate_form.is_valid():
            candidate_form.instance.round = vote_round
            candidate = candidate_form.save()
            messages.success(request, _("Выставка «%(title)s» добавлена.") % {"title": candidate})
            return redirect("export:manage_vote", pk=vote_round.pk)
    elif request.method == "POST":
        return HttpResponse(status=400)
    results = Paginator(fair_votes.vote_results(vote_round), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "export/manage/vote_edit.html",
        {
            "round": vote_round,
            "form": form,
            "candidate_form": candidate_form,
            "results": results,
        },
    )


@organiser_required
@require_POST
def round_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the results (or take them back); the ranking itself is always live."""
    vote_round = pages.vote_round_for_staff(user=request.user, pk=pk)
    publish = request.POST.get("publish") == "1"
    VoteRound.objects.filter(pk=vote_round.pk).update(results_published=publish)
    if publish:
        messages.success(request, _("Итоги голосования опубликованы."))
    else:
        messages.info(request, _("Итоги голосования сняты с публикации."))
    return redirect("export:manage_vote", pk=vote_round.pk)


@organiser_required
@never_cache
@require_http_methods(["GET", "POST"])
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = pages.candidate_for_staff(user=request.user, pk=pk)
    form = CandidateForm(request.POST or None, instance=candidate)
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            round_pk = candidate.round_id
            if candidate.votes.exists():
                # Deleting voted-for rows would leave the ballots' counters behind.
                messages.error(request, _("За эту выставку уже голосовали — удалить её нельзя."))
                return redirect("export:manage_candidate", pk=candidate.pk)
            title = candidate.title
            candidate.delete()
            messages.success(request, _("Выставка «%(title)s» удалена.") % {"title": title})
            return redirect("export:manage_vote", pk=round_pk)
        if form.is_valid():
            form.save()
            messages.success(request, _("Выставка сохранена."))
            return redirect("export:manage_vote", pk=candidate.round_id)
    return render(
        request,
        "export/manage/candidate_form.html",
        {"candidate": candidate, "round": candidate.round, "form": form},
    )
