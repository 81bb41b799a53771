"""Reads of export support, each scoped to who asks.

- Public: published events, their showcase (participants and their products), vote results
  once published.
- A company's staff (hosts who are members of the enterprise) reach only their enterprise's
  applications, reports and votes; organisers and administrators reach all.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from mosprom.export.models import (
    Application,
    ApplicationStatus,
    ExportEvent,
    VoteRound,
)
from mosprom.registry.models import Enterprise, Membership, Product


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_organiser)


def events_public() -> QuerySet[ExportEvent]:
    return (
        ExportEvent.objects.filter(is_published=True)
        .select_related("call")
        .prefetch_related("industries")
        .order_by("-starts_on", "id")
    )


def event_public(*, pk: int, user=None) -> ExportEvent:
    """A published event (staff also see drafts); Http404 otherwise."""
    events = ExportEvent.objects.select_related("call").prefetch_related(
        "industries", "call__criteria"
    )
    if not is_staff(user):
        events = events.filter(is_published=True)
    event = events.filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def event_for_staff(*, user, pk: int) -> ExportEvent:
    if not is_staff(user):
        raise Http404
    return event_public(pk=pk, user=user)


def enterprises_of(user) -> QuerySet[Enterprise]:
    """Enterprises ``user`` acts for: all for staff; a host's memberships; none otherwise."""
    if is_staff(user):
        return Enterprise.objects.all()
    if user and user.is_authenticated and user.is_active and user.is_host:
        return Enterprise.objects.filter(
            pk__in=Membership.objects.filter(user=user).values("enterprise_id")
        )
    return Enterprise.objects.none()


def applications_visible_to(user) -> QuerySet[Application]:
    """Every application for staff; a host's enterprises' applications; nothing otherwise."""
    applications = Application.objects.select_related("event", "enterprise", "created_by")
    if is_staff(user):
        return applications
    if user and user.is_authenticated and user.is_active and user.is_host:
        return applications.filter(
            enterprise_id__in=Membership.objects.filter(user=user).values("enterprise_id")
        )
    return applications.none()


def application_for(*, user, pk: int) -> Application:
    """An application ``user`` may see (own enterprise's, or any for staff); Http404 otherwise."""
    application = (
        applications_visible_to(user)
        .select_related("event__call", "outcome")
        .prefetch_related("products", "documents", "transitions__actor")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


SHOWCASE = (ApplicationStatus.CONFIRMED, ApplicationStatus.PARTICIPATED)


def showcase(event: ExportEvent) -> QuerySet[Application]:
    """Companies that take or took part in ``event`` with the products they present."""
    return (
        Application.objects.filter(event=event, status__in=SHOWCASE)
        .select_related("enterprise")
        .prefetch_related(Prefetch("products", queryset=Product.objects.order_by("name", "id")))
        .order_by("enterprise__short_name", "id")
    )


def vote_rounds_public() -> QuerySet[VoteRound]:
    return VoteRound.objects.order_by("-year")


def vote_round(*, pk: int) -> VoteRound:
    found = VoteRound.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
