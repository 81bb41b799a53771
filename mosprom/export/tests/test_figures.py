"""Export figures for analytics on a known set: per year and half-year, and per event
(``export.figures.export_figures`` / ``event_figures``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.export.figures import ExportFigures, event_figures, export_figures
from mosprom.export.models import ApplicationStatus, EventKind, EventRate
from mosprom.export.participation import outcome_submit
from mosprom.export.tests.factories import make_application, make_company, make_export_event
from mosprom.registry.tests.factories import make_product

pytestmark = pytest.mark.django_db

S = ApplicationStatus
MSK = dt.timezone(dt.timedelta(hours=3))
NOW = dt.datetime(2026, 12, 20, 12, 0, tzinfo=MSK)
YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
H1 = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
H2 = (dt.date(2026, 7, 1), dt.date(2026, 12, 31))


@pytest.fixture(autouse=True)
def december():
    with clock.frozen(NOW):
        yield


def event(kind: str, ends_on: dt.date, **fields):
    return make_export_event(
        with_call=False,
        kind=kind,
        starts_on=ends_on - dt.timedelta(days=3),
        ends_on=ends_on,
        **fields,
    )


def report(application, *, meetings: int, agreements: int, contracts=()):
    return outcome_submit(
        application=application,
        actor=make_user(role=Role.ORGANISER),
        meetings_held=meetings,
        agreements=agreements,
        expected_export_rub=Decimal(0),
        contracts=[
            {"counterpart": "Partner", "value": value, "currency": currency}
            for value, currency in contracts
        ],
    )


@pytest.fixture
def known():
    """2026: two missions in H1, an exhibition and a B2B session in H2, plus what must not
    count (a draft event, an event of 2025, one that has not ended, non-participants)."""
    e1, _ = make_company(short_name="Альфа-Станок")
    e2, _ = make_company(short_name="Бета-Электро")
    e3, _ = make_company(short_name="Вега-Пром")
    e4, _ = make_company(short_name="Гамма")
    e5, _ = make_company(short_name="Дельта")
    make_product(e3, name="Литий-ионные ячейки")

    m1 = event(EventKind.MISSION, dt.date(2026, 2, 10), title="Миссия в Казахстан")
    EventRate.objects.create(event=m1, currency="USD", rub_per_unit=Decimal("90.0000"))
    report(
        make_application(event=m1, enterprise=e1, status=S.PARTICIPATED),
        meetings=3,
        agreements=1,
        contracts=[("100", "USD")],
    )
    make_application(event=m1, enterprise=e2, status=S.CONFIRMED)  # took part, no report

    m2 = event(EventKind.MISSION, dt.date(2026, 6, 30), title="Миссия в Индию")
    report(
        make_application(event=m2, enterprise=e1, status=S.PARTICIPATED),
        meetings=2,
        agreements=0,
    )

    x1 = event(EventKind.EXHIBITION, dt.date(2026, 7, 1), title="CIIF 2026")
    EventRate.objects.create(event=x1, currency="CNY", rub_per_unit=Decimal("12.5000"))
    report(
        make_application(event=x1, enterprise=e3, status=S.PARTICIPATED),
        meetings=5,
        agreements=2,
        contracts=[("1000", "CNY"), ("250000", "RUB")],
    )

    b1 = event(EventKind.B2B, dt.date(2026, 11, 15), title="B2B-сессия с ОАЭ")
    make_application(event=b1, enterprise=e4, status=S.WITHDRAWN)
    make_application(event=b1, enterprise=e5, status=S.ACCEPTED)

    draft = event(EventKind.MISSION, dt.date(2026, 3, 1), is_published=False)
    report(
        make_application(event=draft, enterprise=e4, status=S.PARTICIPATED),
        meetings=50,
        agreements=50,
    )
    old = event(EventKind.EXHIBITION, dt.date(2025, 12, 31))
    report(
        make_application(event=old, enterprise=e5, status=S.PARTICIPATED),
        meetings=40,
        agreements=40,
    )
    running = event(EventKind.EXHIBITION, dt.date(2026, 12, 20))  # ends today: not over
    make_application(event=running, enterprise=e4, status=S.CONFIRMED)
    return {"m1": m1, "m2": m2, "x1": x1, "b1": b1, "e3": e3}


def test_figures_of_the_year(known):
    assert export_figures(start=YEAR[0], end=YEAR[1]) == ExportFigures(
        missions=2,
        exhibitions=1,
        b2b_sessions=1,
        companies_supported=3,  # Альфа twice, Бета without a report, Вега
        meetings=10,
        agreements=3,
        contracts=3,
        contract_value_rub=Decimal("271500.00"),  # 100 × 90 + 1000 × 12.5 + 250 000
    )


def test_figures_of_each_half_year(known):
    assert export_figures(start=H1[0], end=H1[1]) == ExportFigures(
        missions=2,
        exhibitions=0,
        b2b_sessions=0,
        companies_supported=2,
        meetings=5,
        agreements=1,
        contracts=1,
        contract_value_rub=Decimal("9000.00"),
    )
    assert export_figures(start=H2[0], end=H2[1]) == ExportFigures(
        missions=0,
        exhibitions=1,
        b2b_sessions=1,
        companies_supported=1,
        meetings=5,
        agreements=2,
        contracts=2,
        contract_value_rub=Decimal("262500.00"),
    )


def test_figures_of_an_empty_period():
    figures = export_figures(start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31))
    assert figures == ExportFigures(0, 0, 0, 0, 0, 0, 0, Decimal("0.00"))


def test_figures_take_a_bounded_number_of_queries(known, django_assert_max_num_queries):
    for n in range(5):
        extra = event(EventKind.MISSION, dt.date(2026, 4, n + 1))
        EventRate.objects.create(event=extra, currency="USD", rub_per_unit=Decimal("80"))
        report(
            make_application(event=extra, status=S.PARTICIPATED),
            meetings=1,
            agreements=1,
            contracts=[("10", "USD")],
        )

    with django_assert_max_num_queries(5):
        figures = export_figures(start=YEAR[0], end=YEAR[1])
    assert figures.missions == 7
    assert figures.contract_value_rub == Decimal("271500.00") + 5 * Decimal("800.00")


def test_a_rate_removed_after_filing_leaves_the_contract_out_of_the_roubles(known):
    EventRate.objects.filter(event=known["x1"], currency="CNY").delete()

    figures = export_figures(start=H2[0], end=H2[1])

    assert figures.contracts == 2
    assert figures.contracts_without_rate == 1
    assert figures.contract_value_rub == Decimal("250000.00")


def test_event_figures_list_participants_and_their_products(known, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        figures = event_figures(known["m1"])
        names = [row.enterprise.short_name for row in figures.participants]
        products = [[p.name for p in row.products] for row in figures.participants]

    assert names == ["Альфа-Станок", "Бета-Электро"]
    assert products == [["Станок с ЧПУ"], ["Станок с ЧПУ"]]
    assert figures.companies == 2
    assert figures.products == 2
    assert figures.reports_filed == 1
    assert figures.participants[1].report is None
    assert (figures.meetings, figures.agreements, figures.contracts) == (3, 1, 1)
    assert figures.contract_value_rub == Decimal("9000.00")

    ciif = event_figures(known["x1"])
    (vega,) = ciif.participants
    assert [p.name for p in vega.products] == ["Литий-ионные ячейки", "Станок с ЧПУ"]
    assert ciif.contract_value_rub == Decimal("262500.00")


def test_event_figures_leave_out_non_participants(known):
    figures = event_figures(known["b1"])
    assert figures.participants == ()
    assert (figures.companies, figures.products, figures.contract_value_rub) == (
        0,
        0,
        Decimal("0.00"),
    )
