"""The SEZ API under /api/v1/sez/: residents file and read only their own reports; organisers
see all, approve or return versions, read the KPIs and who is late.

Refusals carry the codes of ``sez.errors``; bad input is a 422, never a 500; lists keep a
fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.accounts.tokens import api_token_create
from mosprom.core import clock
from mosprom.registry.models import SEZStatus
from mosprom.sez.models import Report, ReportVersion, VersionStatus
from mosprom.sez.tests.factories import (
    make_period,
    make_report,
    make_resident,
    make_zone,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/sez"
FIGURES = {
    "investment": "2500000.00",
    "capex": "1000000",
    "jobs_created": 4,
    "avg_headcount": 60,
    "revenue": 9000000,
    "export_revenue": "1200000.50",
}


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


def post(client, path: str, body=None, **headers):
    return client.post(
        API + path, data=json.dumps(body or {}), content_type="application/json", headers=headers
    )


def get(client, path: str, params=None, **headers):
    return client.get(API + path, params or {}, headers=headers)


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER)


@pytest.fixture
def resident():
    return make_resident(zone=make_zone())


# --- Reading reports --------------------------------------------------------------------------


def test_a_host_sees_only_own_reports_with_versions(client, resident, organiser):
    membership, host = resident
    other, _ = make_resident(zone=membership.zone)
    period = make_period(year=2024)
    make_report(membership, period, status=VersionStatus.RETURNED)
    own = make_report(membership, period, status=VersionStatus.SUBMITTED)
    theirs = make_report(other, period)

    mine = get(client, "/reports", **bearer(host)).json()
    everything = get(client, "/reports", **bearer(organiser)).json()

    assert mine["count"] == 1
    assert [v["status"] for v in mine["items"][0]["versions"]] == ["returned", "submitted"]
    assert mine["items"][0]["period"]["name"] == "2024 год"
    assert everything["count"] == 2
    assert get(client, f"/reports/{own.report_id}", **bearer(host)).status_code == 200
    refused = get(client, f"/reports/{theirs.report_id}", **bearer(host))
    assert refused.status_code == 404
    assert get(client, f"/reports/{theirs.report_id}", **bearer(organiser)).status_code == 200


def test_a_visitor_has_no_reports(client):
    response = get(client, "/reports", **bearer(make_user()))
    assert response.status_code == 403
    assert get(client, "/reports").status_code == 401


def test_report_list_query_count_is_flat(client, organiser, django_assert_max_num_queries):
    zone = make_zone()
    periods = [make_period(zone=zone, year=2023), make_period(zone=zone, year=2024)]
    for _ in range(10):
        membership, _host = make_resident(zone=zone)
        for period in periods:
            make_report(membership, period, status=VersionStatus.RETURNED)
            make_report(membership, period, status=VersionStatus.SUBMITTED)
    headers = bearer(organiser)

    # The token, the count, the reports with their periods and enterprises, their versions.
    with django_assert_max_num_queries(6):
        response = get(client, "/reports", {"limit": 100}, **headers)

    assert response.json()["count"] == 20
    assert all(len(item["versions"]) == 2 for item in response.json()["items"])


def test_unknown_query_parameter_is_refused(client, organiser):
    response = get(client, "/reports", {"period": 1}, **bearer(organiser))
    assert response.status_code == 422


# --- Filing -----------------------------------------------------------------------------------


def test_a_resident_files_a_version_and_a_second_waits_for_review(client, resident):
    membership, host = resident
    period = make_period(year=2025, quarter=1)
    body = {"membership": membership.pk, **FIGURES}

    first = post(client, f"/periods/{period.pk}/reports", body, **bearer(host))
    second = post(client, f"/periods/{period.pk}/reports", body, **bearer(host))

    assert first.status_code == 201, first.content
    data = first.json()
    assert data["number"] == 1 and data["status"] == "submitted"
    assert Decimal(data["export_revenue"]) == Decimal("1200000.50")
    assert data["warnings"] == []
    assert second.status_code == 409
    assert second.json()["code"] == "report_locked"
    assert ReportVersion.objects.filter(report__membership=membership).count() == 1


def test_a_jump_against_last_period_is_a_warning_not_a_refusal(client, resident):
    membership, host = resident
    make_report(membership, make_period(year=2023), jobs_created=1, avg_headcount=50)
    period = make_period(year=2024)

    response = post(
        client,
        f"/periods/{period.pk}/reports",
        {"membership": membership.pk, **FIGURES, "jobs_created": 40},
        **bearer(host),
    )

    assert response.status_code == 201
    assert len(response.json()["warnings"]) == 1
    assert "Создано рабочих мест" in response.json()["warnings"][0]


def test_filing_for_another_resident_is_forbidden(client, resident):
    membership, _host = resident
    _other, other_host = make_resident(zone=membership.zone)
    period = make_period(year=2024)

    response = post(
        client,
        f"/periods/{period.pk}/reports",
        {"membership": membership.pk, **FIGURES},
        **bearer(other_host),
    )

    assert response.status_code == 403
    assert not Report.objects.exists()


def test_a_located_company_is_not_a_resident(client):
    membership, host = make_resident(status=SEZStatus.LOCATED)
    period = make_period(year=2024)

    response = post(
        client,
        f"/periods/{period.pk}/reports",
        {"membership": membership.pk, **FIGURES},
        **bearer(host),
    )

    assert response.status_code == 409
    assert response.json()["code"] == "not_resident"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"capex": "3000000"}, 422),  # more than the investment: the service's rule
        ({"export_revenue": "9000001"}, 422),
        ({"investment": "-1"}, 422),
        ({"investment": "1.005"}, 422),
        ({"investment": "1e20"}, 422),
        ({"investment": "NaN"}, 422),
        ({"investment": "много"}, 422),
        ({"jobs_created": 1.5}, 422),
        ({"jobs_created": "4"}, 422),
        ({"jobs_created": 2**40}, 422),
        ({"membership": 0}, 422),
        ({"membership": 2**63}, 422),
        ({"revenue": None}, 422),
    ],
)
def test_bad_figures_are_a_422(client, resident, change, status):
    membership, host = resident
    period = make_period(year=2024)

    response = post(
        client,
        f"/periods/{period.pk}/reports",
        {"membership": membership.pk, **FIGURES} | change,
        **bearer(host),
    )

    assert response.status_code == status, response.content
    assert not ReportVersion.objects.exists()


def test_filing_for_an_unknown_period_or_membership(client, resident):
    membership, host = resident
    period = make_period(year=2024)

    no_period = post(
        client, "/periods/999999/reports", {"membership": membership.pk, **FIGURES}, **bearer(host)
    )
    no_member = post(
        client, f"/periods/{period.pk}/reports", {"membership": 999999, **FIGURES}, **bearer(host)
    )

    assert no_period.status_code == 404
    assert no_member.status_code == 422


# --- Review -----------------------------------------------------------------------------------


def test_organisers_approve_once(client, resident, organiser):
    membership, _host = resident
    version = make_report(membership, make_period(year=2024), status=VersionStatus.SUBMITTED)

    first = post(client, f"/versions/{version.pk}/approve", **bearer(organiser))
    again = post(client, f"/versions/{version.pk}/approve", **bearer(organiser))

    assert first.status_code == 200
    assert first.json()["status"] == "approved" and first.json()["reviewed_at"]
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_review_state"


def test_a_returned_version_can_be_corrected(client, resident, organiser):
    membership, host = resident
    period = make_period(year=2024)
    version = make_report(membership, period, status=VersionStatus.SUBMITTED)

    empty = post(client, f"/versions/{version.pk}/return", {"comment": "  "}, **bearer(organiser))
    returned = post(
        client,
        f"/versions/{version.pk}/return",
        {"comment": "Уточните капитальные вложения."},
        **bearer(organiser),
    )
    corrected = post(
        client,
        f"/periods/{period.pk}/reports",
        {"membership": membership.pk, **FIGURES},
        **bearer(host),
    )

    assert empty.status_code == 422
    assert returned.status_code == 200
    assert returned.json()["review_comment"] == "Уточните капитальные вложения."
    assert returned.json()["status"] == "returned"
    assert corrected.status_code == 201 and corrected.json()["number"] == 2


def test_hosts_may_not_review(client, resident):
    membership, host = resident
    version = make_report(membership, make_period(year=2024), status=VersionStatus.SUBMITTED)

    assert post(client, f"/versions/{version.pk}/approve", **bearer(host)).status_code == 403
    assert (
        post(
            client, "/versions/999999/approve", **bearer(make_user(role=Role.ORGANISER))
        ).status_code
        == 404
    )
    version.refresh_from_db()
    assert version.status == VersionStatus.SUBMITTED


# --- Periods, KPIs, late residents ------------------------------------------------------------


def test_period_list_for_organisers(client, organiser, django_assert_max_num_queries):
    zone = make_zone()
    for year in range(2018, 2025):
        make_period(zone=zone, year=year)
        make_period(zone=zone, year=year, quarter=1)
    headers = bearer(organiser)

    with django_assert_max_num_queries(4):
        response = get(client, "/periods", {"limit": 100}, **headers)

    items = response.json()["items"]
    assert response.json()["count"] == 14
    assert [item["year"] for item in items[::2]] == list(range(2024, 2017, -1))


def test_kpi_totals_growth_and_counts(client, organiser):
    zone = make_zone()
    a, _ = make_resident(zone=zone)
    b, _ = make_resident(zone=zone)
    y23, y24 = make_period(zone=zone, year=2023), make_period(zone=zone, year=2024)
    make_report(a, y23, jobs_created=60, investment=Decimal(1_000_000))
    make_report(b, y23, jobs_created=40, investment=Decimal(1_000_000))
    make_report(a, y24, jobs_created=100, investment=Decimal(2_000_000))
    make_report(b, y24, jobs_created=51, investment=Decimal(1_140_000))
    make_report(b, y24, status=VersionStatus.SUBMITTED, jobs_created=999)  # not counted

    response = get(client, "/kpi", {"year": 2024}, **bearer(organiser))

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["totals"]["jobs_created"] == 151
    assert data["previous"]["jobs_created"] == 100
    assert Decimal(data["growth"]["jobs_created"]) == Decimal("51.0")
    assert Decimal(data["growth"]["investment"]) == Decimal("57.0")
    assert data["cumulative"]["jobs_created"] == 251
    assert data["counts"]["residents"] == 2


def test_kpi_defaults_to_last_year_and_checks_input(client, organiser):
    make_zone()
    headers = bearer(organiser)
    with clock.frozen(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)):
        default = get(client, "/kpi", **headers)
    assert default.json()["year"] == 2024
    assert default.json()["growth"]["jobs_created"] is None
    assert get(client, "/kpi", {"year": "x"}, **headers).status_code == 422
    assert get(client, "/kpi", {"year": 1900}, **headers).status_code == 422
    assert get(client, "/kpi", {"zone": 999999}, **headers).status_code == 404


def test_late_residents_after_the_due_date(client, organiser):
    zone = make_zone()
    filed, _ = make_resident(zone=zone, short_name="Сдал вовремя")
    late, _ = make_resident(zone=zone, short_name="Опоздал")
    period = make_period(zone=zone, year=2024, quarter=4, due_on=dt.date(2025, 1, 30))
    headers = bearer(organiser)

    with clock.frozen(dt.datetime(2025, 1, 20, 12, tzinfo=dt.UTC)):
        make_report(filed, period, status=VersionStatus.SUBMITTED)
        before = get(client, f"/periods/{period.pk}/late", **headers).json()
    with clock.frozen(dt.datetime(2025, 2, 5, 12, tzinfo=dt.UTC)):
        after = get(client, f"/periods/{period.pk}/late", **headers).json()

    assert before["count"] == 0
    assert [row["enterprise_name"] for row in after["items"]] == ["Опоздал"]
    assert after["items"][0]["membership_id"] == late.pk
