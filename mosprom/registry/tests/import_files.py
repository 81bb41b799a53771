"""Registry import files for the tests, written on the fly: CSV with the csv module, XLSX
with openpyxl. No tests here; test_importing, test_import_command and test_import_views use it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from mosprom.core.validators import inn_complete, ogrn_complete

HEADER = [
    "ИНН",
    "Краткое название",
    "Полное наименование",
    "ОГРН",
    "ОКВЭД",
    "Округ",
    "Сайт",
    "Описание",
    "Принимает экскурсии",
    "ОЭЗ",
    "Статус в ОЭЗ",
    "Номер соглашения",
    "Дата соглашения",
    "Площадка",
    "Адрес площадки",
    "Широта",
    "Долгота",
]
ZONE = "Технополис Москва"


def inn(n: int) -> str:
    """A valid organisation INN no factory hands out (factories use the 77 prefix)."""
    return inn_complete(f"97{n:07d}")


def ogrn(n: int) -> str:
    return ogrn_complete(f"10297{n:07d}")


def row(n: int, **cells: Any) -> dict[str, Any]:
    """A minimal valid row for enterprise ``n``; keyword arguments set other columns by title."""
    values: dict[str, Any] = {"ИНН": inn(n), "Краткое название": f"Завод {n}"}
    values.update({key.replace("_", " "): value for key, value in cells.items()})
    return values


def good_rows() -> list[dict[str, Any]]:
    """Three companies: a SEZ resident with a site, a bare minimum, a located SEZ company."""
    return [
        {
            "ИНН": inn(1),
            "Краткое название": "Альфа-Электроника",
            "Полное наименование": "АО «Альфа-Электроника»",
            "ОГРН": ogrn(1),
            "ОКВЭД": "26.11",
            "Округ": "ЗелАО",
            "Сайт": "alfa.example.ru",
            "Описание": "Микросхемы и модули.\nЭкскурсии по субботам.",
            "Принимает экскурсии": "да",
            "ОЭЗ": ZONE,
            "Статус в ОЭЗ": "резидент",
            "Номер соглашения": "№ 12/2020",
            "Дата соглашения": "01.02.2020",
            "Площадка": "Корпус 1",
            "Адрес площадки": "Москва, Зеленоград, корпус 1",
            "Широта": "55.984123",
            "Долгота": "37.180456",
        },
        {"ИНН": inn(2), "Краткое название": "Бета"},
        {
            "ИНН": inn(3),
            "Краткое название": "Гамма-Пласт",
            "ОКВЭД": "22.2",
            "Округ": "Южный",
            "Принимает экскурсии": "нет",
            "ОЭЗ": ZONE,
            "Статус в ОЭЗ": "размещённая компания",
        },
    ]


def csv_bytes(
    rows: list[dict[str, Any]],
    *,
    header: list[str] = HEADER,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(title, "") for title in header])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict[str, Any]], *, header: list[str] = HEADER) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for values in rows:
        sheet.append([values.get(title) if values.get(title) != "" else None for title in header])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write(tmp_path: Path, name: str, rows: list[dict[str, Any]], **options: Any) -> Path:
    """Write ``rows`` to ``tmp_path / name`` as CSV or XLSX, by the name's suffix."""
    path = tmp_path / name
    path.write_bytes(
        xlsx_bytes(rows, **options) if name.endswith(".xlsx") else csv_bytes(rows, **options)
    )
    return path


def bad_rows() -> tuple[list[dict[str, Any]], set[tuple[int, str]]]:
    """A good row, then every kind of bad row; and the (line, code) each one must get."""
    rows = [
        row(10, ОГРН=ogrn(10)),  # line 2: good, yet nothing may be written
        row(11, ИНН="7701234568"),  # 3: checksum
        row(12, Краткое_название=""),  # 4
        row(13, Округ="Марсианский"),  # 5
        row(10),  # 6: the INN of line 2 again
        row(14, ОГРН="1027700000001"),  # 7: checksum
        row(15, ОКВЭД="01.11"),  # 8: agriculture is not in the registry
        row(16, ОКВЭД="26-11"),  # 9
        row(17, Сайт="не сайт"),  # 10
        row(18, Принимает_экскурсии="может быть"),  # 11
        row(
            19,
            ОЭЗ=ZONE,
            Статус_в_ОЭЗ="резидент",
            Номер_соглашения="1",
            Дата_соглашения="32.13.2020",
        ),
        row(20, ОЭЗ=ZONE, Статус_в_ОЭЗ="резидент"),  # 13: no agreement
        row(21, ОЭЗ="Алабушево", Статус_в_ОЭЗ="участник"),  # 14: unknown zone and status
        row(22, Статус_в_ОЭЗ="размещённая компания"),  # 15: status without a zone
        row(23, Площадка="Цех", Адрес_площадки="Москва", Широта="91", Долгота="37.6"),  # 16
        row(24, Широта="55.7"),  # 17: a site without name or address, half the coordinates
        row(25, ОГРН=ogrn(10)),  # 18: OGRN of line 2 under another INN
        row(26, Краткое_название="Я" * 256),  # 19
        {"ИНН": "12345", "Краткое название": "", "Округ": "Луна"},  # 20: several at once
    ]
    expected = {
        (3, "bad_inn"),
        (4, "missing_name"),
        (5, "unknown_okrug"),
        (6, "duplicate_in_file"),
        (7, "bad_ogrn"),
        (8, "unknown_okved"),
        (9, "bad_okved"),
        (10, "bad_url"),
        (11, "bad_bool"),
        (12, "bad_date"),
        (13, "resident_without_agreement"),
        (14, "unknown_sez_zone"),
        (14, "bad_sez_status"),
        (15, "missing_sez_zone"),
        (16, "bad_coordinates"),
        (17, "incomplete_site"),
        (17, "bad_coordinates"),
        (18, "duplicate_ogrn"),
        (19, "too_long"),
        (20, "bad_inn"),
        (20, "missing_name"),
        (20, "unknown_okrug"),
    }
    return rows, expected
