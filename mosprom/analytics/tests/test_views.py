"""The figures pages (views.py, views_manage.py): who may open them, the period picker and its
errors, the chart files, the KPI catalogue, the historical import and the query budget."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mosprom.accounts.models import AuditAction, AuditEvent, Role
from mosprom.accounts.tests.factories import make_user
from mosprom.analytics.catalogue import all_kpis
from mosprom.analytics.models import ImportedValue
from mosprom.analytics.tests.test_dashboard import (
    NOW,
    add_sez,
    base_records,
    imported,
    more_records,
)
from mosprom.core import clock

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("analytics:dashboard")
KPIS = reverse("analytics:kpis")
PUBLIC = reverse("analytics:programme")
IMPORT = reverse("analytics:import")
PREVIEW = reverse("analytics:import_preview")


@pytest.fixture(autouse=True)
def frozen_now():
    with clock.frozen(NOW):
        yield NOW


@pytest.fixture
def organiser(client):
    user = make_user(role=Role.ORGANISER)
    client.force_login(user)
    return user


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode()).replace("\xa0", " ")


def csv_url(key: str, period: str) -> str:
    return reverse("analytics:chart_csv", args=[key]) + f"?period={period}"


def xlsx_url(key: str, period: str) -> str:
    return reverse("analytics:chart_xlsx", args=[key]) + f"?period={period}"


# --- Who may open what -----------------------------------------------------------------------

STAFF_URLS = [DASHBOARD, KPIS, IMPORT, csv_url("sez", "2024"), xlsx_url("sez", "2024")]


@pytest.mark.parametrize("role", [Role.VISITOR, Role.HOST])
@pytest.mark.parametrize("url", STAFF_URLS)
def test_visitors_and_hosts_are_refused(client, role, url):
    client.force_login(make_user(role=role))
    assert client.get(url).status_code == 403


def test_visitors_cannot_import(client):
    client.force_login(make_user(role=Role.HOST))
    upload = SimpleUploadedFile("h.csv", b"kpi,period,value\ntours_held,2020,5\n")
    assert client.post(IMPORT, {"file": upload}).status_code == 403
    assert not ImportedValue.objects.exists()


@pytest.mark.parametrize("url", STAFF_URLS)
def test_anonymous_users_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.ADMIN])
def test_organisers_and_admins_see_the_dashboard(client, role):
    client.force_login(make_user(role=role))
    assert client.get(DASHBOARD).status_code == 200


def test_the_public_page_answers_everyone(client):
    assert client.get(PUBLIC).status_code == 200


# --- The dashboard ---------------------------------------------------------------------------


def test_dashboard_defaults_to_the_current_year_with_every_chart(client, organiser):
    imported("tours_held", "2025-01", 7)
    response = client.get(DASHBOARD)
    page = text(response)
    assert "Показатели: 2025 год" in page
    for key in ("tours", "participants", "sites", "formats", "games", "media", "export", "sez"):
        assert f'data-chart-key="{key}"' in page
        assert f'href="/manage/figures/chart/{key}.csv?period=2025"' in page
        assert f'href="/manage/figures/chart/{key}.xlsx?period=2025"' in page
    # Each canvas has an accessible name and a real table beside it.
    assert re.search(r'<canvas id="chart-tours" [^>]*role="img" aria-label="Экскурсии', page)
    assert '<caption id="chart-tours-caption">' in page
    assert '<th scope="col">Период</th>' in page and '<th scope="row">Январь</th>' in page
    assert '7<span class="figure-source figure-source-imported">импортировано</span>' in page
    # A chart with nothing to draw says so instead of an empty canvas.
    assert 'id="chart-games"' not in page
    assert "За этот период данных нет" in page
    selected = response.context["form"]
    assert selected.initial["year"] == 2025


def test_a_link_period_shows_in_the_selects(client, organiser):
    response = client.get(DASHBOARD, {"period": "2024-Q2"})
    page = text(response)
    assert '<option value="2024" selected>2024</option>' in page
    assert '<option value="Q2" selected>2-й квартал</option>' in page
    assert "Показатели: 2 кв. 2024 г." in page
    assert "/manage/figures/chart/tours.csv?period=2024-Q2" in page


def test_selects_choose_the_period(client, organiser):
    page = text(client.get(DASHBOARD, {"year": "2024", "part": "05"}))
    assert "Показатели: май 2024 г." in page
    assert "Май" in page


def test_a_typed_range_wins_and_stays_in_the_field(client, organiser):
    typed = "2024-02-10..2024-04-20"
    page = text(client.get(DASHBOARD, {"year": "2023", "part": "", "period": typed}))
    assert "Показатели: 10.02.2024–20.04.2024" in page
    assert f'value="{typed}"' in page
    assert "period=2024-02-10..2024-04-20" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2024-13", "Месяц должен быть от 01 до 12."),
        ("вчера", "Не удалось прочитать период «вчера»"),
        ("2024-02-30..2024-03-01", "Такой даты нет в календаре."),
        ("2010-01-01..2024-12-31", "Выберите период не длиннее 10 лет."),
    ],
)
def test_bad_period_re_renders_with_the_russian_error_and_what_was_typed(
    client, organiser, typed, message
):
    response = client.get(DASHBOARD, {"period": typed})
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert f'value="{typed}"' in page
    assert 'aria-invalid="true"' in page
    assert "Показатели: 2025 год" in page  # the current year meanwhile


def test_bad_year_from_the_select_says_so(client, organiser):
    page = text(client.get(DASHBOARD, {"year": "1812"}))
    assert "Выберите год из списка." in page


def test_htmx_gets_only_the_swapped_part(client, organiser):
    response = client.get(DASHBOARD, {"period": "2024"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="figures-body"')
    assert "<html" not in body and 'data-chart-key="sez"' in body


# --- Chart files -----------------------------------------------------------------------------


def test_chart_csv_download(client, organiser):
    add_sez()
    imported("sez_investment", "2022", "2500000")
    response = client.get(csv_url("sez", "2024"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="figures-sez-2024.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == [
        "Период",
        "Инвестиции резидентов ОЭЗ, руб.",
        "Инвестиции резидентов ОЭЗ: источник",
        "Инвестиции резидентов ОЭЗ: период",
    ]
    assert [row[0] for row in rows[1:]] == ["2020", "2021", "2022", "2023", "2024"]
    assert rows[3][1:4] == ["2500000", "импортировано", "2022"]
    assert rows[5][1:4] == ["4000000", "по записям платформы", "2024"]
    assert rows[5][4:7] == ["40", "по записям платформы", "2024"]


def test_chart_xlsx_download(client, organiser):
    add_sez()
    response = client.get(xlsx_url("sez", "2024"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "ОЭЗ: инвестиции и рабочие места — 2024 год"
    assert rows[-1][:4] == ("2024", 4000000, "по записям платформы", "2024")
    assert rows[-2][1:3] == (3000000, "по записям платформы")


def test_chart_files_refuse_unknown_charts_and_bad_periods(client, organiser):
    assert client.get(csv_url("nope", "2024")).status_code == 404
    response = client.get(csv_url("sez", "2024-13"))
    assert response.status_code == 400
    assert "Месяц должен быть от 01 до 12." in response.content.decode()
    assert client.get(reverse("analytics:chart_xlsx", args=["sez"])).status_code == 400


# --- The KPI catalogue -----------------------------------------------------------------------


def test_kpi_page_lists_every_kpi_with_definition_value_and_comparisons(client, organiser):
    imported("export_contract_value", "2024", "1500")
    imported("export_contract_value", "2023", "1000")
    response = client.get(KPIS, {"period": "2024"})
    page = text(response)
    for kpi in all_kpis():
        assert f'id="kpi-{kpi.name}"' in page
        assert str(kpi.definition) in page.replace("&quot;", '"').replace("&#x27;", "'")
    row = re.search(r'<tr id="kpi-export_contract_value">(.*?)</tr>', page).group(1)
    assert "1 500" in row and "импортировано" in row
    assert "×1,50" in row and "+50,0%" in row and "1 000" in row
    assert "Предыдущий период: 2023 год" in page and "Годом раньше: 2023 год" in page
    assert "не публикуется" in page  # sez_revenue is marked


def test_kpi_page_for_a_quarter_compares_with_two_different_periods(client, organiser):
    imported("export_contract_value", "2024-Q2", "300")
    imported("export_contract_value", "2024-Q1", "200")
    imported("export_contract_value", "2023-Q2", "600")
    page = text(client.get(KPIS, {"period": "2024-Q2"}))
    assert "Предыдущий период: 1 кв. 2024 г." in page
    assert "Годом раньше: 2 кв. 2023 г." in page
    row = re.search(r'<tr id="kpi-export_contract_value">(.*?)</tr>', page).group(1)
    assert "×1,50" in row and "+50,0%" in row
    assert "×0,50" in row and "−50,0%" in row


# --- The public page -------------------------------------------------------------------------


def test_public_page_shows_public_kpis_and_a_few_charts(client):
    imported("sez_investment", "2024", "70800000000")
    imported("sez_investment", "2023", "45100000000")
    page = text(client.get(PUBLIC, {"year": "2024"}))
    assert "<h1>Программа в цифрах</h1>" in page
    assert '<option value="2024" selected>2024</option>' in page
    assert "70 800 000 000" in page and "+57,0% (×1,57)" in page
    assert "Выручка резидентов ОЭЗ" not in page  # not public
    assert 'id="chart-sez"' in page  # drawn: it has data
    assert 'data-chart-key="tours"' in page and 'data-chart-key="formats"' in page
    assert 'data-chart-key="participants"' not in page
    assert "chart/tours.csv" not in page  # the files are the organisers'
    assert "<table>" in page and '<th scope="row">' in page


def test_public_page_refuses_a_year_off_the_list(client):
    response = client.get(PUBLIC, {"year": "1812"})
    assert response.status_code == 200
    page = text(response)
    assert "Выберите год из списка." in page
    assert "2025 год" in page


# --- Importing historical values -------------------------------------------------------------


def _upload(client, content: bytes, name: str = "history.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


GOOD_AND_BAD = (
    b"kpi;period;value\n"
    b"tours_held;2022;800\n"
    b"tours_hold;2022;5\n"
    b"participants;2022-13;100\n"
    b"players;2021;-3\n"
    b"sez_jobs;2022;3907\n"
)


def test_import_lists_every_bad_row_and_writes_nothing_until_confirmed(client, organiser):
    response = _upload(client, GOOD_AND_BAD)
    assert response.status_code == 302 and response["Location"] == PREVIEW
    assert not ImportedValue.objects.exists()
    page = text(client.get(PREVIEW))
    assert "Проверка файла «history.csv»" in page
    assert re.search(r"Будет добавлено</dt><dd>2</dd>", page)
    for line, message in (
        (3, "неизвестный показатель «tours_hold»"),
        (4, "Месяц должен быть от 01 до 12."),
        (5, "значение не может быть отрицательным"),
    ):
        assert f'<th scope="row">{line}</th><td>{message}' in page
    token = client.session["analytics_kpi_upload"]["token"]

    response = client.post(PREVIEW, {"token": token, "action": "apply"}, follow=True)
    assert "Ничего не записано: в файле есть ошибочные строки." in text(response)
    assert not ImportedValue.objects.exists()

    response = client.post(
        PREVIEW, {"token": token, "action": "apply", "skip_bad": "on"}, follow=True
    )
    assert "Показатели импортированы: новых 2, заменено 0, пропущено 3." in text(response)
    assert {(v.kpi, v.period.code, int(v.value)) for v in ImportedValue.objects.all()} == {
        ("tours_held", "2022", 800),
        ("sez_jobs", "2022", 3907),
    }
    event = AuditEvent.objects.get(action=AuditAction.FIGURES_CHANGED)
    assert event.actor == organiser and event.details["file"] == "history.csv"
    assert "analytics_kpi_upload" not in client.session
    listing = text(client.get(IMPORT))
    assert "Экскурсии" in listing and "3 907" in listing


def test_a_good_xlsx_is_applied_and_replaces_earlier_values(client, organiser):
    imported("tours_held", "2022", 700)
    book = openpyxl.Workbook()
    book.active.append(["kpi", "period", "value"])
    book.active.append(["tours_held", "2022", 800])
    out = io.BytesIO()
    book.save(out)
    _upload(client, out.getvalue(), "history.xlsx")
    page = text(client.get(PREVIEW))
    assert re.search(r"Будет заменено</dt><dd>1</dd>", page)
    assert "Ошибок нет: все строки верны." in page
    token = client.session["analytics_kpi_upload"]["token"]
    client.post(PREVIEW, {"token": token, "action": "apply"})
    assert ImportedValue.objects.get(kpi="tours_held").value == 800


def test_discard_forgets_the_file(client, organiser):
    _upload(client, GOOD_AND_BAD)
    token = client.session["analytics_kpi_upload"]["token"]
    response = client.post(PREVIEW, {"token": token, "action": "discard"}, follow=True)
    assert "Импорт отменён, показатели не изменились." in text(response)
    assert not ImportedValue.objects.exists()
    assert client.get(PREVIEW)["Location"] == IMPORT


def test_a_stale_token_applies_nothing(client, organiser):
    _upload(client, b"kpi,period,value\ntours_held,2020,5\n")
    response = client.post(PREVIEW, {"token": "old", "action": "apply"}, follow=True)
    assert "Этот файл уже заменён другим" in text(response)
    assert not ImportedValue.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("history.txt", b"kpi,period,value\n", "Нужен файл .csv или .xlsx"),
        ("history.csv", b"", "Отправленный файл пуст."),
        ("history.csv", b"kpi;value\ntours_held;5\n", "нет столбцов period"),
        ("history.xlsx", b"not a workbook", "XLSX"),
    ],
)
def test_unreadable_files_are_refused_on_the_form(client, organiser, name, content, message):
    response = _upload(client, content, name)
    assert response.status_code == 200
    assert message in text(response)
    assert "analytics_kpi_upload" not in client.session


# --- Queries ---------------------------------------------------------------------------------


def _count(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url", "params", "budget"),
    [
        (DASHBOARD, {"period": "2024"}, 200),
        (KPIS, {"period": "2024"}, 80),
        (PUBLIC, {"year": "2024"}, 180),
    ],
)
def test_pages_stay_within_a_query_budget_that_does_not_grow(
    client, organiser, django_assert_max_num_queries, url, params, budget
):
    base_records()
    imported("tours_held", "2022", 800)
    with django_assert_max_num_queries(budget):
        client.get(url, params)
    few = _count(client, url, params)
    more_records()
    imported("tours_held", "2021", 600)
    assert _count(client, url, params) == few
