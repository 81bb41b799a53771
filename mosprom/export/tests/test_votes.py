"""The yearly fair vote: the window, one vote per candidate, the limit per enterprise held by the
database, withdrawal, results (``export.participation``)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.export.errors import (
    AlreadyVoted,
    ExportError,
    Forbidden,
    NotFound,
    VoteClosed,
    VoteLimit,
)
from mosprom.export.models import FairCandidate, FairVote, VoteBallot
from mosprom.export.tests.factories import make_company, make_vote_round
from mosprom.export.votes import ballot_of, vote_cast, vote_results, vote_withdraw

FAIRS = [
    ("CIIF", "Китай", "Шанхай"),
    ("Canton Fair", "Китай", "Гуанчжоу"),
    ("Hannover Messe", "Германия", "Ганновер"),
    ("Иннопром. Центральная Азия", "Узбекистан", "Ташкент"),
    ("Arab Health", "ОАЭ", "Дубай"),
]


def candidates(round, titles=None) -> list[FairCandidate]:
    rows = [fair for fair in FAIRS if titles is None or fair[0] in titles]
    return [
        FairCandidate.objects.create(round=round, title=title, country=country, city=city)
        for title, country, city in rows
    ]


def used(round, enterprise) -> int:
    return VoteBallot.objects.get(round=round, enterprise=enterprise).used


@pytest.mark.django_db
def test_the_limit_per_enterprise_refuses_the_third_vote_and_withdrawal_frees_one():
    round = make_vote_round(votes_per_enterprise=2)
    ciif, canton, hannover, *_ = candidates(round)
    enterprise, host = make_company()

    first = vote_cast(round=round, candidate_id=ciif.pk, enterprise=enterprise, actor=host)
    vote_cast(round=round, candidate_id=canton.pk, enterprise=enterprise, actor=host)
    with pytest.raises(VoteLimit) as refusal:
        vote_cast(round=round, candidate_id=hannover.pk, enterprise=enterprise, actor=host)

    assert refusal.value.text == "Предприятие уже отдало все голоса (2) в этом голосовании."
    assert refusal.value.code == "vote_limit"
    assert FairVote.objects.filter(enterprise=enterprise).count() == 2
    assert used(round, enterprise) == 2

    vote_withdraw(vote=first, actor=host)
    assert used(round, enterprise) == 1
    assert not FairVote.objects.filter(pk=first.pk).exists()

    vote_cast(round=round, candidate_id=hannover.pk, enterprise=enterprise, actor=host)
    assert used(round, enterprise) == 2
    ballot = ballot_of(round=round, enterprise=enterprise)
    assert (ballot.used, ballot.allowed, ballot.left) == (2, 2, 0)
    assert ballot.candidate_ids == {canton.pk, hannover.pk}


@pytest.mark.django_db
def test_each_enterprise_has_its_own_limit():
    round = make_vote_round(votes_per_enterprise=1)
    ciif, canton, *_ = candidates(round)
    first, first_host = make_company()
    second, second_host = make_company()

    vote_cast(round=round, candidate_id=ciif.pk, enterprise=first, actor=first_host)
    vote_cast(round=round, candidate_id=ciif.pk, enterprise=second, actor=second_host)
    with pytest.raises(VoteLimit):
        vote_cast(round=round, candidate_id=canton.pk, enterprise=first, actor=first_host)

    assert (used(round, first), used(round, second)) == (1, 1)


@pytest.mark.django_db
def test_one_vote_per_candidate_and_the_counter_does_not_move():
    round = make_vote_round(votes_per_enterprise=3)
    (ciif,) = candidates(round, {"CIIF"})
    enterprise, host = make_company()
    vote_cast(round=round, candidate_id=ciif.pk, enterprise=enterprise, actor=host)

    with pytest.raises(AlreadyVoted) as refusal:
        vote_cast(round=round, candidate_id=ciif.pk, enterprise=enterprise, actor=host)

    assert refusal.value.text == "Предприятие уже голосовало за эту выставку."
    assert used(round, enterprise) == 1


@pytest.mark.django_db
def test_a_duplicate_caught_by_the_unique_constraint_rolls_the_counter_back(monkeypatch):
    """The duplicate that slips past the friendly check (a concurrent vote) meets the unique
    constraint; the counter's +1 of the same transaction goes back with it."""
    round = make_vote_round(votes_per_enterprise=3)
    (ciif,) = candidates(round, {"CIIF"})
    enterprise, host = make_company()
    vote_cast(round=round, candidate_id=ciif.pk, enterprise=enterprise, actor=host)

    real_filter = FairVote.objects.filter

    class Blind:
        def exists(self):
            return False

    def filter_missing_the_duplicate(*args, **kwargs):
        if "candidate_id" in kwargs and "enterprise_id" in kwargs:
            return Blind()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(FairVote.objects, "filter", filter_missing_the_duplicate)
    with pytest.raises(AlreadyVoted):
        vote_cast(round=round, candidate_id=ciif.pk, enterprise=enterprise, actor=host)
    monkeypatch.undo()

    assert used(round, enterprise) == 1
    assert FairVote.objects.filter(enterprise=enterprise).count() == 1


@pytest.mark.django_db
def test_a_lowered_limit_applies_to_the_next_vote():
    round = make_vote_round(votes_per_enterprise=3)
    ciif, canton, hannover, *_ = candidates(round)
    enterprise, host = make_company()
    vote_cast(round=round, candidate_id=ciif.pk, enterprise=enterprise, actor=host)
    vote_cast(round=round, candidate_id=canton.pk, enterprise=enterprise, actor=host)
    round.votes_per_enterprise = 2
    round.save(update_fields=["votes_per_enterprise"])

    with pytest.raises(VoteLimit) as refusal:
        vote_cast(round=round, candidate_id=hannover.pk, enterprise=enterprise, actor=host)
    assert "(2)" in refusal.value.text


@pytest.mark.django_db
@pytest.mark.parametrize("moment", ["before", "after"])
def test_votes_only_inside_the_window(moment):
    now = clock.now()
    if moment == "before":
        round = make_vote_round(opens_at=now + dt.timedelta(hours=1))
    else:
        round = make_vote_round(
            opens_at=now - dt.timedelta(days=10), closes_at=now - dt.timedelta(seconds=1)
        )
    (ciif,) = candidates(round, {"CIIF"})
    enterprise, host = make_company()

    with pytest.raises(VoteClosed) as refusal:
        vote_cast(round=round, candidate_id=ciif.pk, enterprise=enterprise, actor=host)
    assert refusal.value.text == "Голосование закрыто."
    assert not FairVote.objects.exists()
    assert not VoteBallot.objects.exists()


@pytest.mark.django_db
def test_withdrawal_after_the_close_is_refused():
    round = make_vote_round()
    (ciif,) = candidates(round, {"CIIF"})
    enterprise, host = make_company()
    vote = vote_cast(round=round, candidate_id=ciif.pk, enterprise=enterprise, actor=host)

    with clock.frozen(round.closes_at), pytest.raises(VoteClosed):
        vote_withdraw(vote=vote, actor=host)
    assert FairVote.objects.filter(pk=vote.pk).exists()
    assert used(round, enterprise) == 1


@pytest.mark.django_db
def test_a_candidate_of_another_round_is_not_found():
    round, other = make_vote_round(), make_vote_round()
    (elsewhere,) = candidates(other, {"CIIF"})
    enterprise, host = make_company()

    with pytest.raises(NotFound):
        vote_cast(round=round, candidate_id=elsewhere.pk, enterprise=enterprise, actor=host)
    assert not VoteBallot.objects.exists()


@pytest.mark.django_db
def test_a_host_of_company_a_cannot_vote_or_withdraw_for_company_b():
    round = make_vote_round()
    ciif, canton, *_ = candidates(round)
    company_b, host_b = make_company()
    _company_a, host_a = make_company()
    vote = vote_cast(round=round, candidate_id=ciif.pk, enterprise=company_b, actor=host_b)

    for actor in (host_a, make_user(role=Role.VISITOR)):
        with pytest.raises(Forbidden):
            vote_cast(round=round, candidate_id=canton.pk, enterprise=company_b, actor=actor)
        with pytest.raises(Forbidden):
            vote_withdraw(vote=vote, actor=actor)
    assert FairVote.objects.filter(enterprise=company_b).count() == 1
    assert used(round, company_b) == 1

    organiser = make_user(role=Role.ORGANISER)
    vote_cast(round=round, candidate_id=canton.pk, enterprise=company_b, actor=organiser)
    vote_withdraw(vote=vote, actor=organiser)
    assert used(round, company_b) == 1


@pytest.mark.django_db
def test_results_rank_by_votes_then_title_in_one_query(django_assert_num_queries):
    round = make_vote_round(votes_per_enterprise=4)
    ciif, canton, hannover, innoprom, arab = candidates(round)
    ballots = {
        ciif: 3,
        innoprom: 3,
        canton: 1,
        hannover: 0,
        arab: 1,
    }
    companies = [make_company() for _ in range(3)]
    for candidate, count in ballots.items():
        for enterprise, host in companies[:count]:
            vote_cast(round=round, candidate_id=candidate.pk, enterprise=enterprise, actor=host)
    other = make_vote_round()
    (elsewhere,) = candidates(other, {"CIIF"})
    vote_cast(
        round=other, candidate_id=elsewhere.pk, enterprise=companies[0][0], actor=companies[0][1]
    )

    with django_assert_num_queries(1):
        results = vote_results(round)

    assert [(candidate.title, count) for candidate, count in results] == [
        ("CIIF", 3),
        ("Иннопром. Центральная Азия", 3),
        ("Arab Health", 1),
        ("Canton Fair", 1),
        ("Hannover Messe", 0),
    ]


# --- Races on PostgreSQL -------------------------------------------------------------------


def race(attempt, items: list) -> list[str]:
    """Run ``attempt(item)`` on one thread per item, released together by a barrier; each
    answers "ok", a refusal's code or "error: …". Every thread closes its own connection."""
    barrier = threading.Barrier(len(items))

    def run(item) -> str:
        try:
            barrier.wait(timeout=30)
            attempt(item)
            return "ok"
        except ExportError as refusal:
            return refusal.code
        except Exception as failure:
            return f"error: {failure!r}"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(run, items))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_votes_of_one_enterprise_with_limit_three():
    round = make_vote_round(votes_per_enterprise=3)
    fairs = [
        FairCandidate.objects.create(round=round, title=f"Выставка {n}", country="Китай", city="")
        for n in range(10)
    ]
    enterprise, host = make_company()

    outcomes = Counter(
        race(
            lambda fair: vote_cast(
                round=round, candidate_id=fair.pk, enterprise=enterprise, actor=host
            ),
            fairs,
        )
    )

    assert outcomes == {"ok": 3, "vote_limit": 7}
    assert FairVote.objects.filter(enterprise=enterprise).count() == 3
    assert used(round, enterprise) == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_votes_for_one_candidate_count_once():
    round = make_vote_round(votes_per_enterprise=3)
    (ciif,) = candidates(round, {"CIIF"})
    enterprise, host = make_company()

    outcomes = Counter(
        race(
            lambda _n: vote_cast(
                round=round, candidate_id=ciif.pk, enterprise=enterprise, actor=host
            ),
            list(range(10)),
        )
    )

    assert outcomes == {"ok": 1, "already_voted": 9}
    assert FairVote.objects.filter(enterprise=enterprise).count() == 1
    assert used(round, enterprise) == 1
