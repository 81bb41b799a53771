"""The open-data API: the catalogue, values with comparisons, shares, series, CSV, refusals.

Most tests use two KPIs of their own registered into the catalogue (records from 1 January
2023: ten tours a month; a sum of money a month), so every number below is counted by hand
and the tests do not depend on other contexts' records; ``enterprises`` (the registry) is the
real KPI for a state and for the query counts.
"""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from config.api import api
from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.accounts.tokens import api_token_create
from mosprom.analytics import catalogue, schemas
from mosprom.analytics.api import CSV_COLUMNS
from mosprom.analytics.catalogue import Context, Kpi, Unit, memo
from mosprom.analytics.importing import kpi_import
from mosprom.analytics.models import ImportedValue
from mosprom.core import clock
from mosprom.core.periods import Period, parse_period
from mosprom.registry.models import Enterprise
from mosprom.registry.tests.factories import make_enterprise

pytestmark = pytest.mark.django_db

K = "/api/v1/kpi"
SINCE = dt.date(2023, 1, 1)
MONTHLY_RUB = Decimal("1000000.50")


def _months(period: Period) -> int:
    """Whole or part months of ``period`` from SINCE on."""
    months, day = 0, max(period.start, SINCE)
    while day <= period.end:
        months += 1
        day = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return months


@pytest.fixture
def computed(monkeypatch):
    """Periods each fake KPI computed, in order (one call per period inside computing())."""
    calls: list[tuple[str, Period]] = []

    @memo
    def tours(period: Period) -> int:
        calls.append(("tours", period))
        return 10 * _months(period)

    @memo
    def money(period: Period) -> Decimal:
        calls.append(("money", period))
        return MONTHLY_RUB * _months(period)

    kpis = [
        Kpi(
            name="test_tours",
            title="Тестовые экскурсии",
            definition="Десять в месяц с 2023 года.",
            unit=Unit.COUNT,
            context=Context.TOURISM,
            compute=tours,
            since=lambda: SINCE,
            noun="экскурсия",
        ),
        Kpi(
            name="test_money",
            title="Тестовые контракты",
            definition="Миллион с полтиной в месяц.",
            unit=Unit.RUB,
            context=Context.EXPORT,
            compute=money,
            since=lambda: SINCE,
            noun="рубль",
        ),
    ]
    for kpi in kpis:
        monkeypatch.setitem(catalogue._load(), kpi.name, kpi)
    return calls


def _import(kpi: str, code: str, value) -> None:
    period = parse_period(code)
    ImportedValue.objects.create(
        kpi=kpi, period_start=period.start, period_end=period.end, value=Decimal(value)
    )


def _history() -> None:
    for year, value in ((2019, 20), (2020, 30), (2021, 40), (2022, 60)):
        _import("test_tours", str(year), value)
    _import("test_money", "2022", "10000000")


def bearer(role: str) -> dict[str, str]:
    _, key = api_token_create(user=make_user(role=role), name="test")
    return {"Authorization": f"Bearer {key}"}


def get(client, path: str, params=None, **headers):
    return client.get(K + path, params or {}, headers=headers)


def _field_error(response) -> tuple[list, str]:
    assert response.status_code == 422, response.content
    (error,) = response.json()["detail"]
    return error["loc"], error["msg"]


# --- The catalogue --------------------------------------------------------------------------


def test_the_list_shows_public_kpis_with_definitions(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = get(client, "/")
    assert response.status_code == 200
    body = response.json()
    names = [item["name"] for item in body["items"]]
    assert body["count"] == len(names) == len(catalogue.all_kpis(public_only=True))
    assert "sez_revenue" not in names and {"tours_held", "enterprises"} <= set(names)
    enterprises = next(item for item in body["items"] if item["name"] == "enterprises")
    assert enterprises == {
        "name": "enterprises",
        "title": "Промышленные предприятия в реестре",
        "definition": "Предприятия в реестре на последний день периода (или сегодня).",
        "unit": "count",
        "unit_label": "шт.",
        "context": "registry",
        "context_label": "Реестр предприятий",
        "additive": False,
        "public": True,
    }
    contexts = [item["context"] for item in body["items"]]
    assert contexts == sorted(contexts, key=Context.ORDER.index)


def test_organisers_see_the_non_public_kpis_too(client, django_assert_max_num_queries):
    headers = bearer(Role.ORGANISER)
    with django_assert_max_num_queries(2):  # the token, and its "last used" once a minute
        body = get(client, "/", **headers).json()
    revenue = next(item for item in body["items"] if item["name"] == "sez_revenue")
    assert revenue["public"] is False
    assert body["count"] == len(catalogue.all_kpis())
    visitor = get(client, "/", **bearer(Role.HOST)).json()
    assert "sez_revenue" not in {item["name"] for item in visitor["items"]}


def test_the_list_filters_by_context_and_pages(client):
    body = get(client, "/", {"context": "sez"}).json()
    assert [item["name"] for item in body["items"]] == [
        "sez_residents",
        "sez_located",
        "sez_investment",
        "sez_jobs",
    ]
    page = get(client, "/", {"limit": 2, "offset": 1}).json()
    everything = get(client, "/").json()
    assert page["items"] == everything["items"][1:3] and page["count"] == everything["count"]


def test_the_list_refuses_unknown_parameters_and_contexts(client):
    assert _field_error(get(client, "/", {"contex": "sez"}))[0] == ["query", "contex"]
    loc, message = _field_error(get(client, "/", {"context": "space"}))
    assert loc == ["query", "context"] and message.startswith("Допустимые значения")


def test_a_bad_token_is_refused_not_ignored(client):
    response = get(client, "/", Authorization="Bearer mp_not-a-token")
    assert response.status_code == 401
    assert get(client, "/tours_held", {"period": "2023"}, Authorization="Bearer x").status_code == (
        401
    )


# --- A value and its comparisons ------------------------------------------------------------


def test_a_year_against_the_imported_year_before(client, computed):
    _history()
    body = get(client, "/test_tours", {"period": "2023"}).json()
    assert body["kpi"]["name"] == "test_tours"
    assert body["period"] == {
        "code": "2023",
        "label": "2023 год",
        "start": "2023-01-01",
        "end": "2023-12-31",
    }
    assert (body["value"], body["source"], body["partial"]) == (120, "computed", False)
    previous = body["previous"]
    assert previous["period"]["code"] == "2022"
    assert (previous["value"], previous["source"]) == (60, "imported")
    assert (previous["ratio"], previous["percent"]) == (2.0, 100.0)
    assert body["year_before"] == previous  # for a year they are the same period
    assert body["share"] is None and body["series"] is None


def test_a_quarter_against_the_one_before_and_a_year_earlier(client, computed):
    _import("test_tours", "2022-Q2", 20)
    body = get(client, "/test_tours", {"period": "2023-Q2"}).json()
    assert body["value"] == 30
    assert body["previous"]["period"]["code"] == "2023-Q1"
    assert (body["previous"]["value"], body["previous"]["ratio"]) == (30, 1.0)
    assert body["previous"]["percent"] == 0.0
    year_before = body["year_before"]
    assert (year_before["period"]["code"], year_before["value"]) == ("2022-Q2", 20)
    assert (year_before["ratio"], year_before["percent"]) == (1.5, 50.0)


def test_nothing_known_and_partial_periods_say_so(client, computed):
    body = get(client, "/test_tours", {"period": "2022-12-01..2023-01-31"}).json()
    assert (body["value"], body["source"], body["partial"]) == (10, "computed", True)
    previous = body["previous"]
    assert previous["period"]["code"] == "2022-09-30..2022-11-30"  # as many days (62)
    assert (previous["value"], previous["source"], previous["ratio"]) == (None, "none", None)
    assert previous["percent"] is None


def test_money_is_a_decimal_string(client, computed):
    _history()
    body = get(client, "/test_money", {"period": "2023"}).json()
    assert body["value"] == "12000006.00"
    assert body["previous"]["value"] == "10000000.00"
    assert (body["previous"]["ratio"], body["previous"]["percent"]) == (1.2, 20.0)
    assert get(client, "/test_money", {"period": "2021"}).json()["value"] is None


def test_a_fractional_imported_count_is_a_string_too(client, computed):
    _import("test_tours", "2021", "30.5")
    assert get(client, "/test_tours", {"period": "2021"}).json()["value"] == "30.50"


def test_a_state_kpi_counted_by_hand(client, django_assert_max_num_queries):
    for year in (2021, 2022, 2023, 2023, 2024):
        enterprise = make_enterprise()
        Enterprise.objects.filter(pk=enterprise.pk).update(
            created_at=clock.start_of_day(dt.date(year, 6, 1))
        )
    # since (1), imported (1), the registry on 31.12.2023 and 31.12.2022 (2)
    with django_assert_max_num_queries(4):
        body = get(client, "/enterprises", {"period": "2023"}).json()
    assert (body["value"], body["source"]) == (4, "computed")
    assert (body["previous"]["value"], body["previous"]["percent"]) == (2, 100.0)


def test_a_series_is_bounded_in_queries(client, django_assert_max_num_queries):
    make_enterprise()
    months = ",".join(f"2023-{month:02d}" for month in range(1, 13))
    # since, imported, and one count per distinct day: 12 months, December 2022, and the
    # twelve months of 2022 a year earlier.
    with django_assert_max_num_queries(2 + 12 + 12):
        body = get(client, "/enterprises", {"period": "2023", "periods": months}).json()
    assert [point["period"]["code"] for point in body["series"]] == months.split(",")


def test_each_period_is_computed_once_per_request(client, computed):
    _history()
    get(client, "/test_tours", {"period": "2023", "share_years": 5, "periods": "2023,2024"})
    assert sorted(period.code for _, period in computed) == ["2023", "2024"]


def test_unknown_and_non_public_kpis_are_not_found(client):
    assert get(client, "/nope", {"period": "2023"}).status_code == 404
    assert get(client, "/sez_revenue", {"period": "2023"}).status_code == 404
    for role, status in ((Role.HOST, 404), (Role.ORGANISER, 200), (Role.ADMIN, 200)):
        response = get(client, "/sez_revenue", {"period": "2023"}, **bearer(role))
        assert response.status_code == status, role
    assert get(client, "/nope", {"period": "2023"}).json() == {"detail": "Такого показателя нет."}


# --- Refusals of the query ------------------------------------------------------------------


def test_the_period_is_required(client):
    assert _field_error(get(client, "/enterprises")) == (["query", "period"], "Обязательное поле.")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023-13", "Месяц должен быть от 01 до 12."),
        ("1812", "Год должен быть от 1990 до 2100."),
        ("2023-02-30..2023-03-01", "Такой даты нет в календаре."),
        ("2023-03-01..2023-02-01", "Конец периода раньше его начала."),
        ("прошлый год", "Не удалось прочитать период «прошлый год»."),
    ],
)
def test_a_bad_period_is_a_field_error_in_russian(client, text, message):
    loc, msg = _field_error(get(client, "/enterprises", {"period": text}))
    assert loc == ["query", "period"] and msg.startswith(message)


def test_unknown_parameters_are_refused(client):
    response = get(client, "/enterprises", {"period": "2023", "format": "csv"})
    assert _field_error(response)[0] == ["query", "format"]


def test_share_of_a_total_over_years(client, computed):
    _history()
    share = get(client, "/test_tours", {"period": "2023", "share_years": 5}).json()["share"]
    assert (share["years"], share["first_year"], share["last_year"]) == (5, 2019, 2023)
    assert (share["total"], share["share"], share["percent"]) == (270, 0.4444, 44.4)
    assert [(v["period"]["code"], v["value"], v["source"]) for v in share["values"]] == [
        ("2019", 20, "imported"),
        ("2020", 30, "imported"),
        ("2021", 40, "imported"),
        ("2022", 60, "imported"),
        ("2023", 120, "computed"),
    ]
    gap = get(client, "/test_tours", {"period": "2023", "share_years": 6}).json()["share"]
    assert (gap["total"], gap["share"], gap["percent"]) == (None, None, None)


def test_share_refusals_name_the_parameter(client, computed):
    loc, message = _field_error(get(client, "/enterprises", {"period": "2023", "share_years": 5}))
    assert loc == ["query", "share_years"]
    assert "«Промышленные предприятия в реестре» — показатель на дату" in message
    loc, message = _field_error(get(client, "/test_tours", {"period": "2023-Q1", "share_years": 5}))
    assert (loc, message) == (
        ["query", "share_years"],
        "Долю от суммы за несколько лет считают только для года: period=2023.",
    )
    for years in (1, 21, "пять"):
        loc, _ = _field_error(get(client, "/test_tours", {"period": "2023", "share_years": years}))
        assert loc == ["query", "share_years"]


def test_a_series_with_comparisons(client, computed):
    _history()
    body = get(client, "/test_tours", {"period": "2023", "periods": "2021, 2022,2023"}).json()
    assert [(p["period"]["code"], p["value"], p["source"]) for p in body["series"]] == [
        ("2021", 40, "imported"),
        ("2022", 60, "imported"),
        ("2023", 120, "computed"),
    ]
    assert [p["previous"]["percent"] for p in body["series"]] == [33.3, 50.0, 100.0]


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ("2022,2023-13", "«2023-13»: Месяц должен быть от 01 до 12."),
        ("2022,,2023", "Пустой период в списке: лишняя запятая?"),
        (",".join(["2023"] * 61), "Не больше 60 периодов в одном запросе."),
    ],
)
def test_a_bad_series_is_a_field_error(client, periods, message):
    response = get(client, "/enterprises", {"period": "2023", "periods": periods})
    assert _field_error(response) == (["query", "periods"], message)


# --- CSV ------------------------------------------------------------------------------------


def _table(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_for_russian_excel(client, computed):
    _history()
    response = client.get(
        f"{K}/test_money.csv", {"period": "2023", "periods": "2022,2023", "share_years": 2}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kpi-test_money-2023.csv"'
    assert response.content.decode("utf-8")[1:].split("\r\n")[0] == ";".join(CSV_COLUMNS)
    rows = _table(response)
    assert [row["period"] for row in rows] == ["2023", "2022"]  # 2023 once, first
    first = rows[0]
    assert first == first | {
        "kpi": "test_money",
        "title": "Тестовые контракты",
        "unit": "rub",
        "period_label": "2023 год",
        "start": "2023-01-01",
        "end": "2023-12-31",
        "value": "12000006,00",
        "source": "computed",
        "partial": "0",
        "previous_period": "2022",
        "previous_value": "10000000,00",
        "previous_source": "imported",
        "previous_ratio": "1,20",
        "previous_percent": "20,0",
        "share_years": "2",
        "share_total": "22000006,00",
        "share_percent": "54,5",
    }
    assert rows[1]["previous_value"] == "" and rows[1]["previous_source"] == "none"
    assert rows[1]["share_years"] == ""


def test_csv_of_a_count_and_its_refusals(client, computed):
    _history()
    rows = _table(client.get(f"{K}/test_tours.csv", {"period": "2023"}))
    assert (rows[0]["value"], rows[0]["previous_percent"]) == ("120", "100,0")
    missing = client.get(f"{K}/test_tours.csv")
    assert missing["Content-Type"].startswith("application/json")
    assert _field_error(missing)[0] == ["query", "period"]
    assert client.get(f"{K}/sez_revenue.csv", {"period": "2023"}).status_code == 404
    assert client.get(f"{K}/nope.csv", {"period": "2023"}).status_code == 404


def test_a_downloaded_csv_imports_back(client, computed):
    _history()
    content = client.get(f"{K}/test_tours.csv", {"period": "2021", "periods": "2020"}).content
    ImportedValue.objects.all().delete()
    result = kpi_import(
        actor=make_user(role=Role.ORGANISER), content=content, filename="kpi-test_tours.csv"
    )
    assert (result.created, result.errors) == (2, [])
    assert get(client, "/test_tours", {"period": "2020"}).json()["value"] == 30


# --- The OpenAPI document -------------------------------------------------------------------


def test_openapi_documents_our_shapes_and_the_optional_token():
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    for name in ("KpiDefinitionOut", "KpiPeriodOut", "KpiValueOut", "KpiShareOut"):
        assert set(components[name]["properties"]) == set(getattr(schemas, name).model_fields), (
            f"another schema is called {name}"
        )
    for path in ("/api/v1/kpi/", "/api/v1/kpi/{name}", "/api/v1/kpi/{name}.csv"):
        assert {} in document["paths"][path]["get"]["security"]
    csv_answer = document["paths"]["/api/v1/kpi/{name}.csv"]["get"]["responses"][200]
    assert list(csv_answer["content"]) == ["text/csv"]


def test_the_schema_literals_match_the_catalogue():
    assert set(schemas.ContextCode.__args__) == set(Context.ORDER)
    assert set(schemas.UnitCode.__args__) == set(Unit.LABELS)
