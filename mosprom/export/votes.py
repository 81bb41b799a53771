"""The yearly fair vote: each enterprise votes for up to N candidate fairs; results ranked.

The limit is the database's: ``VoteBallot.used <= allowed`` (CHECK) moved by one conditional
UPDATE in the transaction that inserts the vote (docs/adr/0004).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, F

from mosprom.core import clock
from mosprom.export.errors import (
    AlreadyVoted,
    NotFound,
    VoteClosed,
    VoteLimit,
)
from mosprom.export.models import (
    FairCandidate,
    FairVote,
    VoteBallot,
    VoteRound,
)
from mosprom.export.participation import (
    require_company_side,
)

# --- The fair vote -----------------------------------------------------------------------


def _require_open(round: VoteRound) -> None:
    now = clock.now()
    if not round.opens_at <= now < round.closes_at:
        raise VoteClosed()


def vote_cast(*, round: VoteRound, candidate_id: int, enterprise, actor) -> FairVote:
    """One vote of ``enterprise`` (``actor`` its host, or an organiser) for a candidate, within
    the window and the round's limit per enterprise (VoteLimit, VoteClosed, AlreadyVoted)."""
    enterprise_id = getattr(enterprise, "pk", enterprise)
    require_company_side(actor, enterprise_id)
    _require_open(round)
    if not FairCandidate.objects.filter(pk=candidate_id, round=round).exists():
        raise NotFound()
    if FairVote.objects.filter(candidate_id=candidate_id, enterprise_id=enterprise_id).exists():
        raise AlreadyVoted()
    limit = round.votes_per_enterprise
    with transaction.atomic():
        VoteBallot.objects.bulk_create(
            [VoteBallot(round=round, enterprise_id=enterprise_id, allowed=limit)],
            ignore_conflicts=True,
        )
        # The round's current limit is written back so the CHECK guards the same number.
        took = VoteBallot.objects.filter(
            round=round, enterprise_id=enterprise_id, used__lt=limit
        ).update(used=F("used") + 1, allowed=limit)
        if not took:
            raise VoteLimit(allowed=limit)
        try:
            with transaction.atomic():
                vote = FairVote.objects.create(
                    candidate_id=candidate_id,
                    enterprise_id=enterprise_id,
                    voter=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError as clash:
            # Raised out of the outer block, so the counter's +1 is rolled back too.
            raise AlreadyVoted() from clash
    return vote


def vote_withdraw(*, vote: FairVote, actor) -> None:
    """Take a vote back inside the window (the enterprise's host or an organiser); the ballot's
    counter goes down in the same transaction, freeing the vote."""
    require_company_side(actor, vote.enterprise_id)
    round = VoteRound.objects.get(candidates__pk=vote.candidate_id)
    _require_open(round)
    with transaction.atomic():
        deleted, _rows = FairVote.objects.filter(pk=vote.pk).delete()
        if deleted:
            VoteBallot.objects.filter(
                round=round, enterprise_id=vote.enterprise_id, used__gt=0
            ).update(used=F("used") - 1)


def vote_results(round: VoteRound) -> list[tuple[object, int]]:
    """Candidates with their vote counts, most first (ties by title)."""
    candidates = (
        FairCandidate.objects.filter(round=round)
        .annotate(vote_count=Count("votes"))
        .order_by("-vote_count", "title", "id")
    )
    return [(candidate, candidate.vote_count) for candidate in candidates]


@dataclass(frozen=True)
class Ballot:
    used: int
    allowed: int
    candidate_ids: frozenset[int]

    @property
    def left(self) -> int:
        return max(self.allowed - self.used, 0)


def ballot_of(*, round: VoteRound, enterprise) -> Ballot:
    """How many votes ``enterprise`` used in the round and for which candidates (2 queries)."""
    enterprise_id = getattr(enterprise, "pk", enterprise)
    voted = frozenset(
        FairVote.objects.filter(candidate__round=round, enterprise_id=enterprise_id).values_list(
            "candidate_id", flat=True
        )
    )
    ballot = VoteBallot.objects.filter(round=round, enterprise_id=enterprise_id).first()
    return Ballot(
        used=ballot.used if ballot else len(voted),
        allowed=round.votes_per_enterprise,
        candidate_ids=voted,
    )
