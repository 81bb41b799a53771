"""The SEZ pages per role: a resident files and sees only its own reports, organisers open
periods, review, read KPIs and download the ministry's XLSX; the public zone page."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.sez.models import ReportPeriod, ReportVersion, ResidentPlan, VersionStatus
from mosprom.sez.tests.factories import (
    make_period,
    make_plan,
    make_report,
    make_resident,
    make_zone,
)

pytestmark = pytest.mark.django_db

FIGURES = {
    "investment": "1 000 000",
    "capex": "400000",
    "jobs_created": "12",
    "avg_headcount": "120",
    "revenue": "5000000,50",
    "export_revenue": "500000",
}


@pytest.fixture
def zone():
    return make_zone()


@pytest.fixture
def resident(zone):
    return make_resident(zone=zone, short_name="Альфа")


@pytest.fixture
def other(zone):
    return make_resident(zone=zone, short_name="Бета")


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER)


def test_resident_gets_404_on_another_residents_report(client, resident, other, zone):
    period = make_period(zone=zone, year=2024)
    theirs = make_report(other[0], period)
    client.force_login(resident[1])
    assert client.get(reverse("sez:report_detail", args=[theirs.report_id])).status_code == 404
    url = reverse("sez:report_file", args=[other[0].pk, period.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, FIGURES).status_code == 404
    assert not ReportVersion.objects.filter(report__membership=other[0], number=2).exists()


def test_visitor_and_anonymous_refused_on_cabinet_pages(client, resident, zone):
    period = make_period(zone=zone, year=2024)
    version = make_report(resident[0], period)
    urls = [
        reverse("sez:my_reports"),
        reverse("sez:report_detail", args=[version.report_id]),
        reverse("sez:report_file", args=[resident[0].pk, period.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_user(role=Role.VISITOR))
    for url in [*urls, reverse("sez:manage_periods"), reverse("sez:kpi")]:
        assert client.get(url).status_code == 403
    client.force_login(resident[1])
    assert client.get(reverse("sez:manage_periods")).status_code == 403


def test_my_reports_lists_states(client, resident, zone):
    filed = make_period(zone=zone, year=2024)
    make_period(zone=zone, year=2025, quarter=1, due_on=dt.date(2099, 1, 1))
    make_report(
        resident[0], filed, status=VersionStatus.RETURNED, review_comment="Уточните выручку"
    )
    client.force_login(resident[1])
    body = client.get(reverse("sez:my_reports")).content.decode()
    assert "Возвращён на доработку" in body
    assert "Уточните выручку" in body
    assert "Не сдан" in body


def test_non_resident_host_sees_empty_state(client):
    client.force_login(make_user(role=Role.HOST))
    body = client.get(reverse("sez:my_reports")).content.decode()
    assert "не резидент" in body


def test_filing_creates_version_and_redirects(client, resident, zone):
    period = make_period(zone=zone, year=2025, quarter=1)
    client.force_login(resident[1])
    response = client.post(reverse("sez:report_file", args=[resident[0].pk, period.pk]), FIGURES)
    version = ReportVersion.objects.get(report__membership=resident[0])
    assert response.status_code == 302
    assert response["Location"] == reverse("sez:report_detail", args=[version.report_id])
    assert version.status == VersionStatus.SUBMITTED
    assert version.revenue == Decimal("5000000.50")
    page = client.get(response["Location"]).content.decode()
    assert "На проверке" in page


def test_filing_shows_jump_warnings(client, resident, zone):
    before = make_period(zone=zone, year=2024, quarter=4)
    make_report(resident[0], before, investment=Decimal(100_000), capex=Decimal(0))
    period = make_period(zone=zone, year=2025, quarter=1)
    client.force_login(resident[1])
    response = client.post(
        reverse("sez:report_file", args=[resident[0].pk, period.pk]), FIGURES, follow=True
    )
    assert "Проверьте цифры" in response.content.decode()


def test_refused_filing_keeps_what_was_typed(client, resident, zone):
    period = make_period(zone=zone, year=2025, quarter=1)
    client.force_login(resident[1])
    typed = FIGURES | {"capex": "2000000"}
    response = client.post(reverse("sez:report_file", args=[resident[0].pk, period.pk]), typed)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Капитальные вложения не могут быть больше инвестиций." in body
    assert 'value="2000000"' in body and 'value="1 000 000"' in body
    assert not ReportVersion.objects.exists()


def test_report_under_review_has_no_form(client, resident, zone):
    period = make_period(zone=zone, year=2025, quarter=1)
    make_report(resident[0], period, status=VersionStatus.SUBMITTED)
    client.force_login(resident[1])
    url = reverse("sez:report_file", args=[resident[0].pk, period.pk])
    assert "Отчёт на проверке" in client.get(url).content.decode()
    client.post(url, FIGURES)
    assert ReportVersion.objects.filter(report__membership=resident[0]).count() == 1


def test_organiser_approves(client, resident, zone, organiser):
    version = make_report(resident[0], make_period(zone=zone), status=VersionStatus.SUBMITTED)
    client.force_login(organiser)
    url = reverse("sez:version_review", args=[version.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "approve"}, follow=True)
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED
    assert version.reviewed_by == organiser
    assert "Принят" in response.content.decode()


def test_return_needs_a_comment_and_keeps_it(client, resident, zone, organiser):
    version = make_report(resident[0], make_period(zone=zone), status=VersionStatus.SUBMITTED)
    client.force_login(organiser)
    url = reverse("sez:version_review", args=[version.pk])
    response = client.post(url, {"action": "return", "comment": ""})
    assert "Напишите, что нужно исправить" in response.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.SUBMITTED
    client.post(url, {"action": "return", "comment": "Нет капвложений"})
    version.refresh_from_db()
    assert version.status == VersionStatus.RETURNED
    assert version.review_comment == "Нет капвложений"
    client.force_login(resident[1])
    page = client.get(reverse("sez:report_detail", args=[version.report_id])).content.decode()
    assert "Нет капвложений" in page


def test_period_create_and_duplicate_keeps_typed(client, zone, organiser):
    client.force_login(organiser)
    data = {
        "zone": zone.pk,
        "kind": "quarter",
        "year": "2026",
        "quarter": "2",
        "due_on": "2026-07-30",
    }
    response = client.post(reverse("sez:manage_periods"), data)
    period = ReportPeriod.objects.get(year=2026, quarter=2)
    assert response["Location"] == reverse("sez:manage_period", args=[period.pk])
    response = client.post(reverse("sez:manage_periods"), data)
    body = response.content.decode()
    assert "Такой период уже открыт." in body
    assert 'value="2026-07-30"' in body
    assert ReportPeriod.objects.filter(year=2026).count() == 1


def test_period_page_shows_late_and_queue(client, zone, resident, other, organiser):
    period = make_period(zone=zone, year=2024)
    on_time = dt.datetime(2025, 1, 10, 12, tzinfo=dt.UTC)
    make_report(resident[0], period, status=VersionStatus.SUBMITTED, submitted_at=on_time)
    client.force_login(organiser)
    body = client.get(reverse("sez:manage_period", args=[period.pk])).content.decode()
    queue, _, rest = body.partition("Не сдали в срок")
    assert "Альфа" in queue and "Бета" not in queue
    late = rest.partition("Кто сдаёт отчёт")[0]
    assert "Бета" in late and "Альфа" not in late


def test_xlsx_is_a_workbook(client, zone, resident, organiser):
    from openpyxl import load_workbook

    make_plan(resident[0], 2024, investment=Decimal(2_000_000), capex=Decimal(0), jobs=10)
    make_report(resident[0], make_period(zone=zone, year=2024))
    client.force_login(organiser)
    response = client.get(reverse("sez:kpi_xlsx"), {"zone": zone.pk, "year": 2024})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="sez-kpi-2024.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "Альфа" in [cell.value for cell in sheet["B"]]


def test_kpi_dashboard_shows_growth_and_fulfilment(client, zone, resident, organiser):
    make_plan(resident[0], 2024, investment=Decimal(2_000_000), capex=Decimal(0), jobs=20)
    make_report(resident[0], make_period(zone=zone, year=2023), jobs_created=10)
    make_report(resident[0], make_period(zone=zone, year=2024), jobs_created=15)
    client.force_login(organiser)
    body = client.get(reverse("sez:kpi"), {"zone": zone.pk, "year": 2024}).content.decode()
    assert "50.0" in body or "50,0" in body  # jobs 15 against 10
    assert "75.0%" in body or "75,0%" in body  # 15 of 20 planned
    assert "Альфа" in body


def test_plan_form_saves_and_refuses(client, resident, organiser):
    client.force_login(organiser)
    url = reverse("sez:resident_plans", args=[resident[0].pk])
    plan = {
        "year": "2025",
        "investment": "100",
        "capex": "500",
        "jobs": "3",
        "revenue": "10",
        "export_revenue": "0",
    }
    body = client.post(url, plan).content.decode()
    assert "не могут быть больше инвестиций" in body and 'value="500"' in body
    assert not ResidentPlan.objects.exists()
    client.post(url, plan | {"capex": "50"})
    client.post(url, plan | {"capex": "60"})
    assert ResidentPlan.objects.get(membership=resident[0], year=2025).capex == 60


def test_public_zone_page_has_no_residents_figures(client, zone, resident):
    make_report(resident[0], make_period(zone=zone, year=2024), jobs_created=77)
    body = client.get(reverse("sez:zone")).content.decode()
    assert zone.name in body
    assert "Альфа" not in body
    assert "за 2024 год" in body


def test_queries_bounded(client, zone, organiser, django_assert_max_num_queries):
    for n in range(6):
        membership, _host = make_resident(zone=zone, short_name=f"Резидент {n}")
        make_plan(membership, 2024, investment=Decimal(10), capex=Decimal(0))
        for year in (2023, 2024):
            make_report(membership, make_period(zone=zone, year=year))
        make_report(membership, make_period(zone=zone, year=2025, quarter=1), status="submitted")
    period = make_period(zone=zone, year=2025, quarter=1)
    client.force_login(organiser)
    for url in (
        reverse("sez:manage_periods"),
        reverse("sez:manage_period", args=[period.pk]),
        reverse("sez:kpi") + f"?zone={zone.pk}&year=2024",
        reverse("sez:residents"),
        reverse("sez:my_reports"),
    ):
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200
