"""Reads the export pages need beyond ``export.selectors``, scoped the same way: public reads
return only published events and what anybody may see; a company's reads go through
``applications_visible_to`` / ``enterprises_of`` (Http404 for another company's object);
the organisers' reads check ``is_staff`` themselves.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from mosprom.core import clock
from mosprom.export.models import (
    CLOSED,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    ChecklistItem,
    Contract,
    CriterionScore,
    ExportEvent,
    FairCandidate,
    FairVote,
    Meeting,
    OutcomeReport,
    VoteRound,
)
from mosprom.export.selectors import (
    applications_visible_to,
    enterprises_of,
    events_public,
    is_staff,
    showcase,
)
from mosprom.registry.models import Enterprise, Product

# --- Public --------------------------------------------------------------------------------


def events_listed(
    *, upcoming: bool, kind: str = "", country: str = "", year: int | None = None
) -> QuerySet[ExportEvent]:
    """Published events not over yet (soonest first) or over (latest first), filtered."""
    today = clock.today()
    events = events_public()
    if kind:
        events = events.filter(kind=kind)
    if country:
        events = events.filter(country=country)
    if year:
        events = events.filter(starts_on__year=year)
    if upcoming:
        return events.filter(ends_on__gte=today).order_by("starts_on", "id")
    return events.filter(ends_on__lt=today).order_by("-starts_on", "-id")


def event_countries() -> list[str]:
    """Countries of published events, for the filter."""
    return list(
        ExportEvent.objects.filter(is_published=True)
        .order_by("country")
        .values_list("country", flat=True)
        .distinct()
    )


def event_years() -> list[int]:
    """Years in which published events start, latest first."""
    return sorted(
        {
            day.year
            for day in ExportEvent.objects.filter(is_published=True).values_list(
                "starts_on", flat=True
            )
        },
        reverse=True,
    )


def showcase_of(event: ExportEvent) -> QuerySet[Application]:
    """The event's showcase (``selectors.showcase``) with the participants' published quotes."""
    return showcase(event).select_related("outcome")


def open_application_of(*, user, event: ExportEvent) -> Application | None:
    """The application (not rejected or withdrawn) of one of ``user``'s enterprises to
    ``event``; organisers have none of their own."""
    if not (user and user.is_authenticated) or is_staff(user):
        return None
    return (
        applications_visible_to(user)
        .filter(event=event)
        .exclude(status__in=CLOSED)
        .order_by("-created_at", "-id")
        .first()
    )


def vote_candidates(vote_round: VoteRound) -> QuerySet[FairCandidate]:
    return FairCandidate.objects.filter(round=vote_round).prefetch_related("industries")


# --- A company's -----------------------------------------------------------------------------


def my_applications(user) -> QuerySet[Application]:
    """Applications of ``user``'s enterprises (all for organisers), newest first."""
    return applications_visible_to(user).order_by("-created_at", "-id")


def enterprise_products(enterprise_ids) -> QuerySet[Product]:
    return (
        Product.objects.filter(enterprise_id__in=list(enterprise_ids))
        .select_related("enterprise")
        .order_by("enterprise__short_name", "name", "id")
    )


def document_for(*, user, pk: int) -> ApplicationDocument:
    """A document of an application ``user`` may see; Http404 otherwise."""
    document = (
        ApplicationDocument.objects.filter(
            pk=pk, application__in=applications_visible_to(user).values("pk")
        )
        .select_related("application")
        .first()
    )
    if document is None:
        raise Http404
    return document


def meeting_for(*, user, pk: int) -> Meeting:
    """A B2B meeting of an application ``user`` may see; Http404 otherwise."""
    meeting = (
        Meeting.objects.filter(pk=pk, application__in=applications_visible_to(user).values("pk"))
        .select_related("application__event", "application__enterprise")
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def meetings_of(application: Application) -> QuerySet[Meeting]:
    return Meeting.objects.filter(application=application).order_by("starts_at", "id")


def checklist_of(application: Application) -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(application=application).order_by("id"))


def report_of(application: Application) -> OutcomeReport | None:
    return (
        OutcomeReport.objects.filter(application=application)
        .prefetch_related(Prefetch("contracts", queryset=Contract.objects.order_by("id")))
        .first()
    )


def my_enterprises(user) -> QuerySet[Enterprise]:
    """Enterprises ``user`` acts for (``selectors.enterprises_of``), by name."""
    return enterprises_of(user).order_by("short_name", "id")


def vote_by(*, user, enterprise: Enterprise, candidate_id: int) -> FairVote:
    """The vote ``enterprise`` (one ``user`` acts for) cast for a candidate; Http404 otherwise."""
    vote = (
        FairVote.objects.filter(
            candidate_id=candidate_id,
            enterprise=enterprise,
            enterprise__in=enterprises_of(user).values("pk"),
        )
        .select_related("candidate__round")
        .first()
    )
    if vote is None:
        raise Http404
    return vote


# --- Organisers ----------------------------------------------------------------------------


def _staff_only(user) -> None:
    if not is_staff(user):
        raise Http404


def events_for_staff(user) -> QuerySet[ExportEvent]:
    """Every event, drafts included, with its count of applications (not drafts)."""
    _staff_only(user)
    return (
        ExportEvent.objects.select_related("call")
        .annotate(
            applications_count=Count(
                "applications", filter=~Q(applications__status=ApplicationStatus.DRAFT)
            )
        )
        .order_by("-starts_on", "-id")
    )


def event_applications(*, user, event: ExportEvent, status: str) -> list[Application]:
    """The event's applications in ``status`` with what ``weighted_score`` reads prefetched."""
    _staff_only(user)
    return list(
        Application.objects.filter(event=event, status=status)
        .select_related("enterprise", "event__call")
        .prefetch_related(
            Prefetch("scores", queryset=CriterionScore.objects.select_related("criterion")),
            "event__call__criteria",
        )
        .order_by("submitted_at", "id")
    )


def status_counts(event: ExportEvent) -> dict[str, int]:
    """State → how many of the event's applications are in it (one query)."""
    return dict(
        Application.objects.filter(event=event)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )


def application_scores(application: Application) -> dict[int, int]:
    """Criterion id → the score given."""
    return dict(
        CriterionScore.objects.filter(application=application).values_list("criterion_id", "score")
    )


def event_criteria(event: ExportEvent) -> list:
    call = call_of(event)
    return list(call.criteria.all()) if call is not None else []


def _has_call(event: ExportEvent) -> bool:
    try:
        event.call  # noqa: B018 — the reverse one-to-one raises when there is none
    except ExportEvent.call.RelatedObjectDoesNotExist:
        return False
    return True


def call_of(event: ExportEvent):
    """The event's call, or None."""
    return event.call if _has_call(event) else None


def _has_outcome(application: Application) -> bool:
    try:
        application.outcome  # noqa: B018
    except Application.outcome.RelatedObjectDoesNotExist:
        return False
    return True


def outcome_of(application: Application) -> OutcomeReport | None:
    return application.outcome if _has_outcome(application) else None


def contract_counts(report_ids: list[int]) -> dict[int, int]:
    """Outcome report id → how many contracts it lists (one query)."""
    return dict(
        Contract.objects.filter(report_id__in=report_ids)
        .values("report_id")
        .annotate(n=Count("id"))
        .values_list("report_id", "n")
    )


def vote_rounds_for_staff(user) -> QuerySet[VoteRound]:
    _staff_only(user)
    return VoteRound.objects.annotate(candidates_count=Count("candidates")).order_by("-year")


def vote_round_for_staff(*, user, pk: int) -> VoteRound:
    _staff_only(user)
    found = VoteRound.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def candidate_for_staff(*, user, pk: int) -> FairCandidate:
    _staff_only(user)
    found = FairCandidate.objects.select_related("round").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
