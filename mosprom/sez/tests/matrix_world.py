"""The SEZ objects of the role matrix's world (``web/tests/test_role_matrix.py``).

The matrix host acts for ``w.own``, made a resident here; rows in ``matrix_pages.PAGES`` and
``matrix_api.API`` read these as ``w.sez.<name>``.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from mosprom.registry.models import SEZMembership, SEZStatus
from mosprom.sez.models import Residency, VersionStatus
from mosprom.sez.tests.factories import (
    make_period,
    make_plan,
    make_report,
    make_resident,
    make_zone,
)


def build(users: dict, own) -> SimpleNamespace:
    zone = make_zone()
    membership = SEZMembership.objects.create(
        enterprise=own,
        zone=zone,
        status=SEZStatus.RESIDENT,
        agreement_number="ОЭЗ-МАТРИЦА",
        agreement_date=dt.date(2020, 1, 15),
    )
    Residency.objects.create(membership=membership, located_from=dt.date(2019, 6, 1))
    make_plan(membership, 2024, investment=5_000_000, capex=1_000_000, jobs=20)
    other, _ = make_resident(zone=zone, short_name="Чужой резидент")
    period = make_period(zone=zone, year=2024)
    open_period = make_period(zone=zone, year=2025, quarter=1)
    version = make_report(membership, period, status=VersionStatus.SUBMITTED)
    other_version = make_report(other, period)
    return SimpleNamespace(
        zone=zone,
        membership=membership,
        other_membership=other,
        period=period,
        open_period=open_period,
        report=version.report,
        version=version,
        other_report=other_version.report,
    )
