"""The registry import's reading, validation and upsert (mosprom/registry/importing/)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from mosprom.accounts.models import AuditAction, AuditEvent
from mosprom.core import clock
from mosprom.core.validators import inn_complete
from mosprom.registry.importing import registry_import_apply, registry_import_validate
from mosprom.registry.models import Enterprise, ProductionSite, SEZMembership, SEZStatus
from mosprom.registry.tests.factories import make_enterprise
from mosprom.registry.tests.import_files import (
    HEADER,
    ZONE,
    bad_rows,
    csv_bytes,
    good_rows,
    inn,
    ogrn,
    row,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def validate(rows, name="registry.csv", **options):
    content = xlsx_bytes(rows, **options) if name.endswith(".xlsx") else csv_bytes(rows, **options)
    return registry_import_validate(content=content, filename=name)


def apply(rows, name="registry.csv", **options):
    report = validate(rows, name, **options)
    assert report.ok, report.problems + report.file_problems
    return registry_import_apply(rows=report.rows, actor=None, filename=name)


def codes(report) -> set[tuple[int | None, str]]:
    return {(p.line, p.code) for p in report.problems}


# --- A good file ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["registry.csv", "registry.xlsx"])
def test_good_file_creates_enterprises_sites_and_sez_membership(name):
    report = validate(good_rows(), name)
    assert report.ok
    assert (report.total_rows, report.to_create, report.to_update, report.unchanged) == (3, 3, 0, 0)

    result = apply(good_rows(), name)

    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    alfa = Enterprise.objects.get(inn=inn(1))
    assert alfa.short_name == "Альфа-Электроника"
    assert alfa.legal_name == "АО «Альфа-Электроника»"
    assert alfa.ogrn == ogrn(1)
    assert (alfa.okved, alfa.industry.code, alfa.okrug) == ("26.11", "26", "ZELAO")
    assert alfa.website == "https://alfa.example.ru"
    assert alfa.description == "Микросхемы и модули.\nЭкскурсии по субботам."
    assert alfa.hosts_tours is True
    site = ProductionSite.objects.get(enterprise=alfa)
    assert (site.name, site.address, site.okrug) == (
        "Корпус 1",
        "Москва, Зеленоград, корпус 1",
        "ZELAO",
    )
    assert (site.latitude, site.longitude) == (Decimal("55.984123"), Decimal("37.180456"))
    membership = SEZMembership.objects.get(enterprise=alfa)
    assert (membership.zone.name, membership.status) == (ZONE, SEZStatus.RESIDENT)
    assert membership.agreement_number == "№ 12/2020"
    assert membership.agreement_date == dt.date(2020, 2, 1)

    beta = Enterprise.objects.get(inn=inn(2))
    assert (beta.legal_name, beta.ogrn, beta.okrug, beta.hosts_tours) == ("Бета", None, "", False)
    assert not beta.sites.exists()
    assert not SEZMembership.objects.filter(enterprise=beta).exists()

    gamma = Enterprise.objects.get(inn=inn(3))
    assert (gamma.industry.code, gamma.okrug) == ("22", "UAO")
    assert gamma.sez_membership.status == SEZStatus.LOCATED
    assert gamma.sez_membership.agreement_date is None


def test_apply_is_audited_with_the_counts():
    apply(good_rows())

    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.details["created"] == 3
    assert event.details["updated"] == 0
    assert event.details["filename"] == "registry.csv"


def test_english_headers_in_any_case_and_spacing_are_accepted():
    header = ["  INN ", "Short_Name", "OKRUG", "hosts_tours", "Website"]
    rows = [{"  INN ": inn(5), "Short_Name": "Дельта", "OKRUG": "cao", "hosts_tours": "yes"}]

    report = validate(rows, header=header)

    assert report.ok, report.problems
    assert report.rows[0].enterprise == {
        "short_name": "Дельта",
        "okrug": "CAO",
        "hosts_tours": True,
    }


def test_unknown_columns_are_a_warning_not_an_error():
    header = ["ИНН", "Краткое название", "Директор"]
    report = validate(
        [{"ИНН": inn(6), "Краткое название": "Е", "Директор": "Иванов"}], header=header
    )

    assert report.ok
    assert report.warnings == ["Столбцы не распознаны и пропущены: «Директор»."]


# --- Bad files ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["registry.csv", "registry.xlsx"])
def test_every_kind_of_bad_row_is_reported_with_its_line_and_nothing_is_valid_to_write(name):
    rows, expected = bad_rows()

    report = validate(rows, name)

    assert codes(report) == expected
    assert report.invalid_lines == sorted({line for line, _ in expected})
    # Only line 2 is good; the report alone writes nothing.
    assert [r.line for r in report.rows] == [2]
    assert not Enterprise.objects.exists()


def test_duplicate_names_the_first_line_and_a_row_gets_all_its_problems():
    rows, _ = bad_rows()
    by_line = validate(rows).errors_by_line()

    assert (
        by_line[6][0].message
        == f"ИНН {inn(10)} уже был в строке 2: одно предприятие — одна строка."
    )
    assert [p.code for p in by_line[20]] == ["bad_inn", "missing_name", "unknown_okrug"]
    assert "«12345»" in by_line[20][0].message


def test_skipping_invalid_rows_writes_only_the_good_ones():
    rows = [row(30), row(31, ИНН="123"), row(32), row(33, Округ="Нигде")]
    report = validate(rows)
    assert report.invalid_lines == [3, 5]

    result = registry_import_apply(rows=report.rows, actor=None)

    assert result.created == 2
    assert set(Enterprise.objects.values_list("inn", flat=True)) == {inn(30), inn(32)}


def test_ogrn_of_another_registered_enterprise_is_refused():
    other = make_enterprise(ogrn=ogrn(40))

    report = validate([row(41, ОГРН=ogrn(40))])

    assert codes(report) == {(2, "duplicate_ogrn")}
    assert other.inn in report.problems[0].message
    # The owner itself may of course keep its OGRN.
    assert validate([row(42, ИНН=other.inn, ОГРН=ogrn(40))]).ok


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (["ИНН", "Округ"], "missing_column"),
        (["Краткое название"], "missing_column"),
        (["ИНН", "Краткое название", "inn"], "duplicate_column"),
    ],
)
def test_header_problems_are_file_level(header, code):
    report = validate([{"ИНН": inn(7)}], header=header)

    assert [p.code for p in report.file_problems] == [code]
    assert report.file_problems[0].line is None
    assert not report.rows


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"", "empty.csv", "empty_file"),
        ("ИНН,Краткое название\n".encode(), "header-only.csv", "empty_file"),
        (b"PK\x03\x04 not really a workbook", "broken.xlsx", "unreadable"),
        (b"whatever", "registry.xls", "unreadable"),
        (b"whatever", "registry.pdf", "unreadable"),
    ],
)
def test_unreadable_files_are_reported_as_a_whole(content, name, code):
    report = registry_import_validate(content=content, filename=name)

    assert [p.code for p in report.file_problems] == [code]
    assert not report.ok


# --- Encodings, delimiters, spreadsheets ----------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(";", "cp1251"), (";", "utf-8-sig"), ("\t", "utf-8"), (",", "cp1251")],
)
def test_csv_in_cp1251_or_with_bom_and_any_usual_delimiter(delimiter, encoding):
    rows = [row(50, Краткое_название="Ёлочные игрушки", Округ="Северо-Западный", Сайт="ёлка.рф")]

    report = validate(rows, delimiter=delimiter, encoding=encoding)

    assert report.ok, report.problems
    assert report.rows[0].enterprise == {
        "short_name": "Ёлочные игрушки",
        "okrug": "SZAO",
        "website": "https://ёлка.рф",
    }


def test_csv_line_numbers_count_lines_inside_quoted_cells():
    rows = [row(51, Описание="первая строка\nвторая строка\nтретья"), row(52, Округ="Нигде")]

    report = validate(rows)

    # The first record spans lines 2-4, so the bad one is on line 5 as an editor shows it.
    assert codes(report) == {(5, "unknown_okrug")}


def test_blank_lines_are_skipped_but_counted():
    content = f"ИНН;Краткое название\n{inn(53)};А\n\n;\n{inn(54)};\n".encode()

    report = registry_import_validate(content=content, filename="gaps.csv")

    assert report.total_rows == 2
    assert codes(report) == {(5, "missing_name")}


def test_xlsx_numbers_become_digit_strings_and_text_keeps_leading_zeros():
    leading_zero = inn_complete("010100001")
    assert leading_zero.startswith("0")
    rows = [
        row(
            55,
            ИНН=int(inn(55)),
            ОГРН=float(ogrn(55)),
            ОКВЭД=26.11,
            Широта=55.7,
            Долгота=37.6,
            Площадка="Цех",
            Адрес_площадки="Москва",
        ),
        row(56, ИНН=leading_zero),  # a text cell
        row(57, ИНН=int(inn_complete("020100002"))),  # a number cell lost its zero
        row(
            58,
            Принимает_экскурсии=True,
            ОЭЗ=ZONE,
            Статус_в_ОЭЗ="резидент",
            Номер_соглашения=7,
            Дата_соглашения=dt.datetime(2021, 3, 4),
        ),
    ]

    report = validate(rows, "registry.xlsx")

    assert report.ok, report.problems
    first, second, third, fourth = report.rows
    assert (first.inn, first.enterprise["ogrn"], first.enterprise["okved"]) == (
        inn(55),
        ogrn(55),
        "26.11",
    )
    assert (first.site["latitude"], first.site["longitude"]) == (
        Decimal("55.700000"),
        Decimal("37.600000"),
    )
    assert second.inn == leading_zero
    assert third.inn == inn_complete("020100002")
    assert fourth.enterprise["hosts_tours"] is True
    assert fourth.sez["agreement_number"] == "7"
    assert fourth.sez["agreement_date"] == dt.date(2021, 3, 4)


def test_dates_in_iso_form_and_comma_decimals_are_accepted():
    rows = [
        row(
            59,
            ОЭЗ=ZONE,
            Статус_в_ОЭЗ="Резидент",
            Номер_соглашения="A-1",
            Дата_соглашения="2019-12-31",
            Площадка="Цех",
            Адрес_площадки="Москва",
            Широта="55,75",
            Долгота="37,61",
        ),
    ]

    (parsed,) = validate(rows, delimiter=";").rows

    assert parsed.sez["agreement_date"] == dt.date(2019, 12, 31)
    assert parsed.site["latitude"] == Decimal("55.75")


# --- Re-import ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["registry.csv", "registry.xlsx"])
def test_reimport_of_the_same_file_changes_nothing(name):
    apply(good_rows(), name)
    stamps = {
        model: dict(model.objects.values_list("pk", "updated_at"))
        for model in (Enterprise, ProductionSite, SEZMembership)
    }

    report = validate(good_rows(), name)
    assert (report.to_create, report.to_update, report.unchanged) == (0, 0, 3)
    assert report.sample == []
    result = apply(good_rows(), name)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    for model, before in stamps.items():
        assert dict(model.objects.values_list("pk", "updated_at")) == before, model


def test_a_changed_value_updates_only_that_enterprise_and_field():
    apply(good_rows())
    beta_before = Enterprise.objects.get(inn=inn(2))
    alfa_before = Enterprise.objects.get(inn=inn(1))
    rows = good_rows()
    rows[0]["Сайт"] = "https://alfa.example.com"

    report = validate(rows)
    assert (report.to_create, report.to_update, report.unchanged) == (0, 1, 2)
    assert report.sample == [
        {
            "line": 2,
            "inn": inn(1),
            "short_name": "Альфа-Электроника",
            "action": "update",
            "changes": ["сайт"],
        }
    ]
    later = timezone.now() + dt.timedelta(days=1)
    with clock.frozen(later):
        result = apply(rows)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    alfa = Enterprise.objects.get(inn=inn(1))
    assert alfa.website == "https://alfa.example.com"
    assert alfa.updated_at == later
    assert (alfa.short_name, alfa.description, alfa.okrug) == (
        alfa_before.short_name,
        alfa_before.description,
        alfa_before.okrug,
    )
    assert Enterprise.objects.get(inn=inn(2)).updated_at == beta_before.updated_at
    # The site and membership of the changed company were not touched either.
    assert alfa.sites.get().updated_at < later
    assert alfa.sez_membership.updated_at < later


def test_empty_cells_keep_what_the_registry_knows():
    apply(good_rows())
    bare = [{"ИНН": inn(1), "Краткое название": "Альфа-Электроника"}]

    result = apply(bare)

    assert (result.updated, result.unchanged) == (0, 1)
    alfa = Enterprise.objects.get(inn=inn(1))
    assert (alfa.website, alfa.okrug, alfa.hosts_tours) == (
        "https://alfa.example.ru",
        "ZELAO",
        True,
    )
    assert alfa.sez_membership.status == SEZStatus.RESIDENT


def test_site_is_matched_by_name_and_membership_is_updated_in_place():
    apply(good_rows())
    rows = good_rows()
    rows[0].update(
        {
            "Адрес площадки": "Москва, Зеленоград, корпус 1А",
            "Статус в ОЭЗ": "Резидент",
            "Номер соглашения": "№ 13/2021",
        }
    )
    rows[1].update({"Площадка": "Новый цех", "Адрес площадки": "Москва, ул. Новая, 5"})

    result = apply(rows)

    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    alfa = Enterprise.objects.get(inn=inn(1))
    assert list(alfa.sites.values_list("name", "address")) == [
        ("Корпус 1", "Москва, Зеленоград, корпус 1А")
    ]
    assert alfa.sez_membership.agreement_number == "№ 13/2021"
    assert SEZMembership.objects.count() == 2
    assert list(Enterprise.objects.get(inn=inn(2)).sites.values_list("name", flat=True)) == [
        "Новый цех"
    ]


def test_an_existing_enterprise_is_found_by_inn_and_updated():
    existing = make_enterprise(short_name="Старое имя", inn=inn(60), ogrn=ogrn(60), okrug="CAO")

    result = apply([row(60, Краткое_название="Новое имя", Округ="ВАО")])

    assert (result.created, result.updated) == (0, 1)
    existing.refresh_from_db()
    assert (existing.short_name, existing.okrug, existing.ogrn) == ("Новое имя", "VAO", ogrn(60))


# --- Cost -----------------------------------------------------------------------------------


def many(start: int, count: int, **cells) -> list[dict]:
    return [
        row(
            n,
            Площадка="Цех",
            Адрес_площадки=f"Москва, {n}",
            ОЭЗ=ZONE,
            Статус_в_ОЭЗ="размещённая компания",
            **cells,
        )
        for n in range(start, start + count)
    ]


@pytest.mark.parametrize("count", [3, 60])
def test_apply_runs_a_bounded_number_of_queries(count, django_assert_max_num_queries):
    """Creating, then updating, N companies with sites and memberships costs the same for any N."""
    report = validate(many(100, count))
    with django_assert_max_num_queries(10):
        result = registry_import_apply(rows=report.rows, actor=None)
    assert result.created == count

    report = validate(many(100, count, Округ="ЮАО", Широта="55.6", Долгота="37.6"))
    with django_assert_max_num_queries(10):
        result = registry_import_apply(rows=report.rows, actor=None)
    assert result.updated == count
    assert ProductionSite.objects.filter(okrug="UAO", latitude=Decimal("55.6")).count() == count


def test_header_constant_lists_every_documented_column():
    from mosprom.registry.importing import COLUMNS

    assert [c.title for c in COLUMNS] == HEADER


def test_refusal_says_why_nothing_may_be_written():
    rows, _expected = bad_rows()
    mixed, hopeless, good = validate(rows), validate(rows[1:4]), validate(good_rows())
    unreadable = registry_import_validate(content=b"\xd0\xcf", filename="registry.xls")

    assert unreadable.refusal(skip_invalid=True) == "file"
    assert mixed.refusal(skip_invalid=False) == "invalid_rows"
    assert mixed.refusal(skip_invalid=True) is None
    assert hopeless.refusal(skip_invalid=True) == "no_rows"
    assert good.refusal(skip_invalid=False) is None
