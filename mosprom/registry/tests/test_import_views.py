"""The organiser's import pages (mosprom/registry/views_import.py): upload → preview → confirm."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mosprom.accounts.models import AuditAction, AuditEvent, Role
from mosprom.accounts.tests.factories import make_user
from mosprom.registry.importing import MAX_UPLOAD_BYTES
from mosprom.registry.models import Enterprise, ImportBatch, ImportStatus
from mosprom.registry.tests.factories import make_enterprise
from mosprom.registry.tests.import_files import (
    bad_rows,
    csv_bytes,
    good_rows,
    inn,
    ogrn,
    row,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db
UPLOAD = reverse("registry:import")


@pytest.fixture
def organiser(client):
    user = make_user(role=Role.ORGANISER)
    client.force_login(user)
    return user


def upload(client, content: bytes, name: str = "registry.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def preview_url(batch: ImportBatch) -> str:
    return reverse("registry:import_preview", args=[batch.pk])


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.VISITOR, Role.HOST])
def test_visitors_and_hosts_are_refused(client, role):
    batch = ImportBatch.objects.create(filename="x.csv", content=b"")
    client.force_login(make_user(role=role))

    assert client.get(UPLOAD).status_code == 403
    assert upload(client, csv_bytes(good_rows())).status_code == 403
    assert client.get(preview_url(batch)).status_code == 403
    assert client.post(preview_url(batch), {"action": "apply"}).status_code == 403
    assert ImportBatch.objects.count() == 1
    assert not Enterprise.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(UPLOAD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_unknown_batch_is_404(client, organiser):
    assert client.get(reverse("registry:import_preview", args=[999])).status_code == 404


# --- Upload ---------------------------------------------------------------------------------


def test_upload_page_has_the_form_template_link_and_an_empty_list(client, organiser):
    response = client.get(UPLOAD)

    assert response.status_code == 200
    page = text(response)
    assert '<input type="file" name="file" id="id_file"' in page
    assert '<label for="id_file">Файл реестра</label>' in page
    assert "/static/registry/import-template.csv" in page
    assert "Импортов ещё не было." in page


def test_template_csv_has_every_column_the_importer_knows():
    from django.contrib.staticfiles import finders

    from mosprom.registry.importing import COLUMNS

    with open(finders.find("registry/import-template.csv"), "rb") as template:
        header = template.read().decode("utf-8-sig").strip().split(";")
    assert header == [c.title for c in COLUMNS]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "registry.txt",
            b"hello",
            "Нужен файл .csv или .xlsx, а «registry.txt» — файл другого типа.",
        ),
        ("registry.pdf", b"%PDF-1.4", "Нужен файл .csv или .xlsx"),
        ("registry.xlsx", b"not a zip", "Не удалось открыть XLSX"),
        ("registry.csv", "Название\nЗавод\n".encode(), "Нет обязательного столбца «ИНН»"),
    ],
)
def test_wrong_files_re_render_the_form_with_the_reason(client, organiser, name, content, message):
    response = upload(client, content, name)

    assert response.status_code == 200
    assert message in text(response)
    assert 'aria-invalid="true"' in text(response)
    assert not ImportBatch.objects.exists()


def test_posting_without_a_file_says_so(client, organiser):
    response = client.post(UPLOAD, {})

    assert response.status_code == 200
    assert "Обязательное поле." in text(response)


def test_oversized_file_is_refused(client, organiser):
    content = csv_bytes(good_rows()) + b" " * MAX_UPLOAD_BYTES

    response = upload(client, content)

    assert response.status_code == 200
    assert "а можно не больше 10 МБ" in text(response)
    assert not ImportBatch.objects.exists()


# --- Preview and confirm --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make"), [("registry.csv", csv_bytes), ("registry.xlsx", xlsx_bytes)]
)
def test_upload_preview_confirm(client, organiser, name, make):
    response = upload(client, make(good_rows()), name)

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == preview_url(batch)
    assert (batch.filename, batch.uploaded_by, batch.status) == (
        name,
        organiser,
        ImportStatus.PREVIEW,
    )
    assert not Enterprise.objects.exists()  # nothing before the confirmation

    page = text(client.get(preview_url(batch)))
    assert "<dt>Будет создано</dt><dd>3</dd>" in page
    assert "Ошибок нет: все строки верны." in page
    assert "Альфа-Электроника" in page
    assert 'value="apply"' in page
    assert 'name="skip_invalid"' not in page

    response = client.post(preview_url(batch), {"action": "apply"}, follow=True)

    assert "Импорт применён: создано 3, обновлено 0, без изменений 0." in text(response)
    assert Enterprise.objects.count() == 3
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    assert batch.applied_at is not None
    assert batch.report["result"] == {"created": 3, "updated": 0, "unchanged": 0}
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert (event.actor, event.target_id, event.details["source"]) == (
        organiser,
        str(batch.pk),
        "upload",
    )
    assert 'value="apply"' not in text(response)  # nothing left to decide


def test_a_batch_is_applied_only_once(client, organiser):
    upload(client, csv_bytes(good_rows()))
    batch = ImportBatch.objects.get()
    client.post(preview_url(batch), {"action": "apply"})
    Enterprise.objects.filter(inn=inn(2)).delete()  # so a second apply would show

    response = client.post(preview_url(batch), {"action": "apply"}, follow=True)

    assert "Этот импорт уже применён или отменён; повторно он не применяется." in text(response)
    assert Enterprise.objects.count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT).count() == 1


def test_discarded_batch_cannot_be_applied(client, organiser):
    upload(client, csv_bytes(good_rows()))
    batch = ImportBatch.objects.get()

    response = client.post(preview_url(batch), {"action": "discard"}, follow=True)
    assert "Импорт отменён, реестр не изменился." in text(response)
    client.post(preview_url(batch), {"action": "apply"})

    batch.refresh_from_db()
    assert batch.status == ImportStatus.DISCARDED
    assert not Enterprise.objects.exists()


def test_preview_lists_every_problem_and_applies_nothing_unless_told_to_skip(client, organiser):
    rows, expected = bad_rows()
    upload(client, csv_bytes(rows))
    batch = ImportBatch.objects.get()

    page = text(client.get(preview_url(batch)))

    found = set(re.findall(r'<tr class="row-error" data-code="(\w+)"><td>(\d+)</td>', page))
    assert {(int(line), code) for code, line in found} == expected
    assert f"Ошибки ({len(expected) + 1})" in page  # line 17 has two «incomplete_site»
    assert "<dt>С ошибками</dt><dd>18</dd>" in page
    assert 'name="skip_invalid"' in page

    response = client.post(preview_url(batch), {"action": "apply"}, follow=True)
    assert "Импорт не применён: в файле есть ошибочные строки" in text(response)
    assert not Enterprise.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW

    client.post(preview_url(batch), {"action": "apply", "skip_invalid": "on"})
    assert list(Enterprise.objects.values_list("inn", flat=True)) == [inn(10)]
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    assert batch.report["skipped_lines"] == sorted({line for line, _ in expected})


def test_confirm_rechecks_against_the_registry_as_it_is_now(client, organiser):
    upload(client, csv_bytes([row(1, ОГРН=ogrn(1)), row(2)]))
    batch = ImportBatch.objects.get()
    make_enterprise(ogrn=ogrn(1))  # meanwhile someone registered that OGRN elsewhere

    client.post(preview_url(batch), {"action": "apply"})

    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW
    assert [p["code"] for p in batch.report["problems"]] == ["duplicate_ogrn"]
    assert not Enterprise.objects.filter(inn__in=[inn(1), inn(2)]).exists()


def test_preview_shows_what_an_update_changes(client, organiser):
    make_enterprise(short_name="Бета", inn=inn(2), ogrn=ogrn(2), okrug="CAO", website="")
    upload(client, csv_bytes([row(2, Краткое_название="Бета", Округ="ВАО", Сайт="beta.ru")]))

    page = text(client.get(preview_url(ImportBatch.objects.get())))

    assert "<dt>Будет обновлено</dt><dd>1</dd>" in page
    assert "<td>обновление</td> <td>округ, сайт</td>" in page


def test_problems_are_paginated(client, organiser):
    rows = [row(n, Округ="Нигде") for n in range(1, 131)]
    upload(client, csv_bytes(rows))
    url = preview_url(ImportBatch.objects.get())

    first, second = text(client.get(url)), text(client.get(url + "?page=2"))

    assert first.count('class="row-error"') == 100
    assert second.count('class="row-error"') == 30
    assert "Страница 2 из 2" in second


def test_recent_imports_are_listed_in_bounded_queries(
    client, organiser, django_assert_max_num_queries
):
    for n in range(15):
        ImportBatch.objects.create(
            filename=f"file-{n}.csv", content=b"x", uploaded_by=organiser, report={"total_rows": n}
        )

    with django_assert_max_num_queries(6):
        response = client.get(UPLOAD)

    page = text(response)
    assert page.count('href="/enterprises/import/') == 10
    assert "file-14.csv" in page
    assert "Страница 1 из 2" in page


def test_preview_renders_in_bounded_queries(client, organiser, django_assert_max_num_queries):
    rows, _ = bad_rows()
    upload(client, csv_bytes(rows))
    url = preview_url(ImportBatch.objects.get())

    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_organiser_imports_in_a_browser(live_server, page, client, assert_accessible, tmp_path):
    """On a phone: upload with bad rows, read the problems, tick «skip», apply; pages pass axe."""
    user = make_user(role=Role.ORGANISER)
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    path = tmp_path / "registry.csv"
    path.write_bytes(csv_bytes([row(1), row(2, Округ="Нигде"), row(3)], delimiter=";"))

    page.goto(live_server.url + UPLOAD)
    assert_accessible(page)
    page.get_by_label("Файл реестра").set_input_files(str(path))
    page.get_by_role("button", name="Проверить файл").click()

    page.get_by_role("heading", name="Проверка файла «registry.csv»").wait_for()
    assert page.get_by_role("cell", name="Округ «Нигде» не найден", exact=False).is_visible()
    apply_button = page.get_by_role("button", name="Применить")
    assert apply_button.is_hidden()  # with errors, only after ticking «skip»
    assert_accessible(page)
    page.get_by_label("Пропустить 1 ошибочную строку и применить остальные").check()
    apply_button.click()

    page.get_by_text("Импорт применён: создано 2, обновлено 0, без изменений 0.").wait_for()
    assert set(Enterprise.objects.values_list("inn", flat=True)) == {inn(1), inn(3)}
    assert_accessible(page)  # now with the success message shown
