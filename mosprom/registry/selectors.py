"""Reads of the registry."""

from __future__ import annotations

from django.db.models import Count, Q

from mosprom.registry.models import Enterprise, SEZStatus


def registry_stats() -> dict[str, int]:
    """Headline counts of the registry, in one query."""
    return Enterprise.objects.aggregate(
        enterprises=Count("id"),
        hosting=Count("id", filter=Q(hosts_tours=True)),
        sez_residents=Count("id", filter=Q(sez_membership__status=SEZStatus.RESIDENT)),
    )
