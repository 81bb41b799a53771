"""Applications to export events: the state machine, places, scoring, documents.

CONTRACT STUB — the bodies are being written; signatures and behaviour are fixed.

States: draft → submitted → in_review → accepted / waitlisted / rejected → confirmed →
participated / withdrawn (``TRANSITIONS`` lists every allowed move; anything else raises
InvalidTransition with both states named). Accepting takes one of the event's places by a
conditional UPDATE of ``ExportEvent.taken`` (NoPlacesLeft when none: the organiser waitlists
instead); a withdrawal of a place-holding application promotes the longest-waiting waitlisted
one in the same transaction (or frees the place). Every change is written to
``ApplicationTransition`` and mailed to the company (its contact e-mail and the creator).
"""

from __future__ import annotations

from mosprom.export.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    CriterionScore,
    ExportEvent,
)

S = ApplicationStatus
# (from, to) → who may: "company" (the enterprise's hosts) or "organiser".
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): "company",
    (S.DRAFT, S.WITHDRAWN): "company",
    (S.SUBMITTED, S.IN_REVIEW): "organiser",
    (S.SUBMITTED, S.WITHDRAWN): "company",
    (S.IN_REVIEW, S.ACCEPTED): "organiser",
    (S.IN_REVIEW, S.WAITLISTED): "organiser",
    (S.IN_REVIEW, S.REJECTED): "organiser",
    (S.IN_REVIEW, S.WITHDRAWN): "company",
    (S.WAITLISTED, S.ACCEPTED): "organiser",
    (S.WAITLISTED, S.REJECTED): "organiser",
    (S.WAITLISTED, S.WITHDRAWN): "company",
    (S.ACCEPTED, S.CONFIRMED): "company",
    (S.ACCEPTED, S.WITHDRAWN): "company",
    (S.CONFIRMED, S.PARTICIPATED): "organiser",
    (S.CONFIRMED, S.WITHDRAWN): "company",
}

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def application_create(*, user, event: ExportEvent, enterprise, **fields) -> Application:
    """A draft for ``enterprise`` (``user`` must be its host member, or an organiser), while the
    call is open. ``fields``: products (ids of the enterprise's own products), export_experience,
    target_markets, contact_name, contact_email, contact_phone. Raises Forbidden, CallNotOpen,
    CallClosed, AlreadyApplied, InvalidRequest."""
    raise NotImplementedError


def application_update(*, application: Application, actor, **fields) -> Application:
    """Change a draft (or a submitted application before review) — same fields and rules."""
    raise NotImplementedError


def application_transition(
    *, application: Application, actor, to: str, comment: str = ""
) -> Application:
    """Move the application to ``to`` if ``TRANSITIONS`` allows it for ``actor``'s side;
    submitting needs every required document and the contact filled, within the call window."""
    raise NotImplementedError


def document_attach(*, application: Application, actor, title: str, upload) -> ApplicationDocument:
    """Attach a PDF (content starts with ``%PDF-``, ≤ MAX_DOCUMENT_BYTES, name ends .pdf) while
    the application is a draft or submitted. Raises DocumentRejected with the reason."""
    raise NotImplementedError


def document_remove(*, document: ApplicationDocument, actor) -> None:
    raise NotImplementedError


def application_score(
    *, application: Application, actor, scores: dict[int, int]
) -> list[CriterionScore]:
    """Organiser scores criteria (criterion id → 0..max_score) of a submitted / in-review /
    waitlisted application; the latest score per criterion counts."""
    raise NotImplementedError


def weighted_score(application: Application) -> float | None:
    """Σ weight × score / max_score over scored criteria, as a share of Σ weights × 100
    (0–100); None when nothing is scored. Reads prefetched ``scores`` and ``call.criteria``."""
    raise NotImplementedError


def ranking(event: ExportEvent) -> list[tuple[Application, float | None]]:
    """The event's applications that are being decided (submitted, in review, waitlisted,
    accepted, confirmed), best weighted score first; a bounded number of queries."""
    raise NotImplementedError
