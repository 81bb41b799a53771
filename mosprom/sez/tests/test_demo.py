"""The SEZ demo: loads twice without duplicates and gives the seed's +51 % jobs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from mosprom.accounts.demo import accounts_demo_load
from mosprom.registry.demo import registry_demo_load, registry_demo_memberships_load
from mosprom.sez import deadlines, kpi, selectors
from mosprom.sez.demo import QUARTER, sez_demo_load
from mosprom.sez.models import (
    Report,
    ReportPeriod,
    ReportVersion,
    Residency,
    ResidentPlan,
    VersionStatus,
    ZoneSite,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    registry_demo_load()
    accounts_demo_load()
    registry_demo_memberships_load()
    return sez_demo_load()


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (ZoneSite, Residency, ResidentPlan, ReportPeriod, Report, ReportVersion)
    )


def test_loads_twice_without_duplicates(loaded):
    before = _counts()

    again = sez_demo_load()

    assert _counts() == before
    assert again.versions_created == 0
    assert loaded.residents == 3 and loaded.versions_created == 8
    assert ResidentPlan.objects.filter(year__in=(2023, 2024, 2025)).count() == 9


def test_jobs_grow_by_51_percent(loaded):
    zone = loaded.zone
    now = kpi.zone_totals(zone=zone, year=2024)
    before = kpi.zone_totals(zone=zone, year=2023)

    assert now.reports == before.reports == 3
    assert kpi.growth(now.jobs_created, before.jobs_created) == Decimal("51.0")
    assert kpi.growth(now.investment, before.investment) == Decimal("57.0")


def test_the_quarter_has_one_version_to_review_and_one_late_resident(loaded):
    year, quarter = QUARTER
    period = ReportPeriod.objects.get(zone=loaded.zone, year=year, quarter=quarter)
    versions = ReportVersion.objects.filter(report__period=period)

    assert versions.filter(status=VersionStatus.SUBMITTED).count() == 1
    assert versions.filter(status=VersionStatus.APPROVED).count() == 1
    late = Report.objects.get(period=period, late=True)
    assert late.membership.enterprise.short_name == "Микрон"
    assert not late.versions.exists()
    assert list(deadlines.residents_late(period)) == [late.membership]


def test_the_demo_host_acts_for_a_resident(loaded):
    host = get_user_model().objects.get(email="host@demo.mosprom.local")

    assert [m.enterprise.short_name for m in selectors.residents_of(host)] == ["Микрон"]
