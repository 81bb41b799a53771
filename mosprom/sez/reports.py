"""Residents' reports: file, correct, approve, return; the warning on a jump.

CONTRACT STUB — bodies being written; signatures and behaviour fixed.

A report is one per resident and period; each filing adds a ``ReportVersion`` (numbered 1, 2…),
so every version is kept with who and when. Only one version may await review at a time.
Organisers approve it or return it with a comment; totals use the latest approved version.
"""

from __future__ import annotations

from decimal import Decimal

from mosprom.sez.models import Report, ReportPeriod, ReportVersion

FIGURES = ("investment", "capex", "jobs_created", "avg_headcount", "revenue", "export_revenue")
JUMP_FACTOR_DEFAULT = Decimal(3)  # settings.SEZ_JUMP_FACTOR overrides


def report_submit(*, membership, period: ReportPeriod, actor, figures: dict) -> ReportVersion:
    """File (or correct) ``membership``'s report for ``period``: a host member of the
    enterprise (or an organiser). Validates: every figure present, no negatives, jobs and
    headcount whole, capex ≤ investment, export ≤ revenue (InvalidRequest naming the field in
    Russian); the membership is a resident with an active agreement (NotResident); a version
    awaiting review blocks a new one (ReportLocked). Adds a warning (not a refusal) to
    ``warnings`` for each figure more than the jump factor above or below the previous period's
    approved figure of the same kind. Mails organisers? no — the list of reports to review is
    enough; mails the company on approve/return."""
    raise NotImplementedError


def version_approve(*, version: ReportVersion, actor) -> ReportVersion:
    """Organisers approve a submitted version (InvalidReviewState otherwise); company mailed."""
    raise NotImplementedError


def version_return(*, version: ReportVersion, actor, comment: str) -> ReportVersion:
    """Organisers return a submitted version with a comment (required, ≤2000); company mailed."""
    raise NotImplementedError


def latest_approved(report: Report) -> ReportVersion | None:
    raise NotImplementedError


def jump_warnings(*, figures: dict, previous: ReportVersion | None, factor: Decimal) -> list[str]:
    """Russian warnings for figures more than ``factor`` times the previous (or less than
    previous / factor); none without a previous approved version or when the previous is 0."""
    raise NotImplementedError
