"""Reads of the SEZ, each scoped to who asks.

- A resident's staff (hosts who are members of the enterprise) reach only their enterprise's
  residency, plans and reports; organisers and administrators reach all.
- Public: the zone's headline figures only (no resident's report is public).
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from mosprom.registry.models import Membership, SEZMembership, SEZStatus
from mosprom.sez.models import Report, ReportPeriod, ReportVersion


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_organiser)


def memberships_of(user) -> QuerySet[SEZMembership]:
    """Zone memberships ``user`` acts for: all for staff; a host's enterprises'; none else."""
    memberships = SEZMembership.objects.select_related("enterprise", "zone")
    if is_staff(user):
        return memberships
    if user and user.is_authenticated and user.is_active and user.is_host:
        return memberships.filter(
            enterprise_id__in=Membership.objects.filter(user=user).values("enterprise_id")
        )
    return memberships.none()


def residents_of(user) -> QuerySet[SEZMembership]:
    return memberships_of(user).filter(status=SEZStatus.RESIDENT)


def membership_for(*, user, pk: int) -> SEZMembership:
    found = memberships_of(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _versions() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=ReportVersion.objects.select_related("submitted_by", "reviewed_by").order_by(
            "number"
        ),
    )


def reports_visible_to(user) -> QuerySet[Report]:
    """Reports of the memberships ``user`` acts for, newest period first, with versions."""
    return (
        Report.objects.filter(membership__in=memberships_of(user))
        .select_related("membership__enterprise", "period")
        .prefetch_related(_versions())
        .order_by("-period__starts_on", "membership__enterprise__short_name", "id")
    )


def report_for(*, user, pk: int) -> Report:
    """A report ``user`` may see; Http404 for another resident's."""
    found = reports_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def version_for_staff(*, user, pk: int) -> ReportVersion:
    if not is_staff(user):
        raise Http404
    found = ReportVersion.objects.select_related("report__membership__enterprise", "report__period")
    version = found.filter(pk=pk).first()
    if version is None:
        raise Http404
    return version


def periods(zone=None) -> QuerySet[ReportPeriod]:
    found = ReportPeriod.objects.select_related("zone").order_by("-starts_on", "kind")
    return found.filter(zone=zone) if zone is not None else found


def period_for(*, pk: int) -> ReportPeriod:
    found = periods().filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
