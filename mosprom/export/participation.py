"""Participation and outcomes: checklist, B2B meetings, outcome reports with contracts,
reminders for missing reports, the yearly fair vote, the figures for analytics.

CONTRACT STUB — the bodies are being written; signatures and behaviour are fixed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from mosprom.export.models import (
    Application,
    ChecklistItem,
    ExportEvent,
    FairVote,
    Meeting,
    OutcomeReport,
    VoteRound,
)


def checklist_ensure(*, application: Application) -> list[ChecklistItem]:
    """The standard items (stand, shipping, visa letter, travel) for an accepted/confirmed
    application, created once."""
    raise NotImplementedError


def checklist_mark(*, item: ChecklistItem, actor, done: bool, note: str = "") -> ChecklistItem:
    raise NotImplementedError


def meeting_save(
    *, application: Application, actor, meeting: Meeting | None = None, **fields
) -> Meeting:
    """Create or change a B2B meeting (counterpart, country, starts_at, result, notes)."""
    raise NotImplementedError


def outcome_submit(
    *,
    application: Application,
    actor,
    meetings_held: int,
    agreements: int,
    expected_export_rub: Decimal,
    contracts: list[dict],
    quote: str = "",
    quote_author: str = "",
) -> OutcomeReport:
    """File (or correct) the outcome report of a participant after the event ends; contracts:
    dicts with counterpart, country, value, currency, signed_on. Raises ReportNotDue,
    InvalidRequest (negative numbers, a currency without a rate for the event, …)."""
    raise NotImplementedError


def contract_value_rub(*, event: ExportEvent, value: Decimal, currency: str) -> Decimal:
    """``value`` in roubles at the event's rate (RUB as is). InvalidRequest without a rate."""
    raise NotImplementedError


def reports_missing(event: ExportEvent) -> list[Application]:
    """Participants of a finished event without an outcome report."""
    raise NotImplementedError


def remind_missing_reports(event_id: int) -> int:
    """Deferred task body: mail every participant without a report; returns how many."""
    raise NotImplementedError


def vote_cast(*, round: VoteRound, candidate_id: int, enterprise, actor) -> FairVote:
    """One vote of ``enterprise`` (``actor`` its host, or an organiser) for a candidate, within
    the window and the round's limit per enterprise (VoteLimit, VoteClosed, AlreadyVoted)."""
    raise NotImplementedError


def vote_withdraw(*, vote: FairVote, actor) -> None:
    raise NotImplementedError


def vote_results(round: VoteRound) -> list[tuple[object, int]]:
    """Candidates with their vote counts, most first (ties by title)."""
    raise NotImplementedError


@dataclass(frozen=True)
class ExportFigures:
    missions: int
    exhibitions: int
    b2b_sessions: int
    companies_supported: int  # unique enterprises that participated
    meetings: int
    agreements: int
    contracts: int
    contract_value_rub: Decimal


def export_figures(*, start: dt.date, end: dt.date) -> ExportFigures:
    """Events that ended within [start, end] (a year, a half-year…) and their outcomes."""
    raise NotImplementedError
