"""A company's export pages: applying, editing, PDF documents (limits through the page, the
private download), submitting / confirming / withdrawing with a confirmation step, the
checklist, B2B meetings, the outcome report and the fair vote — and company A's host finding
nothing of company B's (404) on any of them."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.export.applications import document_attach
from mosprom.export.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    ChecklistItem,
    EventRate,
    FairCandidate,
    FairVote,
    Meeting,
    OutcomeReport,
    VoteBallot,
)
from mosprom.export.tests.factories import (
    make_application,
    make_company,
    make_export_event,
    make_vote_round,
)
from mosprom.registry.tests.factories import make_membership, make_product

pytestmark = pytest.mark.django_db

S = ApplicationStatus
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path) -> Path:
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        },
    }
    return root


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _pdf(name="Презентация.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def company():
    enterprise, host = make_company(short_name="Корпорация «Воздух»")
    make_product(enterprise, name="Скруббер промышленный")
    return enterprise, host


def _attach(application, title="Презентация компании"):
    return document_attach(
        application=application, actor=application.created_by, title=title, upload=_pdf()
    )


# --- The list and applying -----------------------------------------------------------------


def test_list_shows_only_the_companys_own_applications(client, company):
    enterprise, host = company
    mine = make_application(enterprise=enterprise, user=host)
    other = make_application()
    client.force_login(host)
    text = _text(client.get(reverse("export:my_applications")))
    assert mine.event.title in text and other.event.title not in text
    assert "Корпорация «Воздух»" in text and "Подана" in text


def test_list_without_applications_says_so(client, company):
    client.force_login(company[1])
    assert "Заявок пока нет" in _text(client.get(reverse("export:my_applications")))


def test_visitor_is_refused_the_company_pages(client):
    client.force_login(make_user(role=Role.VISITOR))
    assert client.get(reverse("export:my_applications")).status_code == 403
    event = make_export_event()
    assert client.get(reverse("export:apply", args=[event.pk])).status_code == 403


def test_apply_form_offers_only_the_enterprises_own_products(client, company):
    _, host = company
    other, _ = make_company()
    make_product(other, name="Чужое изделие")
    event = make_export_event()
    client.force_login(host)
    text = _text(client.get(reverse("export:apply", args=[event.pk])))
    assert "Скруббер промышленный" in text and "Станок с ЧПУ" in text
    assert "Чужое изделие" not in text
    assert host.email in text  # the contact is filled from the account


def test_apply_creates_a_draft_and_goes_to_the_documents(client, company):
    enterprise, host = company
    event = make_export_event()
    product = enterprise.products.get(name="Скруббер промышленный")
    client.force_login(host)
    response = client.post(
        reverse("export:apply", args=[event.pk]),
        {
            "enterprise": enterprise.pk,
            "products": [product.pk],
            "export_experience": "Поставки в Казахстан",
            "target_markets": "Китай",
            "contact_name": "Иванова Мария",
            "contact_email": "export@vozdukh.test",
            "contact_phone": "+7 495 000-00-00",
        },
    )
    application = Application.objects.get(event=event, enterprise=enterprise)
    assert response.status_code == 302
    assert response["Location"] == reverse("export:my_documents", args=[application.pk])
    assert application.status == S.DRAFT and application.created_by == host
    assert list(application.products.all()) == [product]
    assert application.target_markets == "Китай"


def test_apply_refusal_keeps_what_was_typed(client, company):
    """A host of two enterprises applies again for the one that has an application."""
    enterprise, host = company
    second, _ = make_company(short_name="Вертикаль Эйр")
    make_membership(host, second)
    event = make_export_event()
    make_application(event=event, enterprise=enterprise, user=host)
    client.force_login(host)
    response = client.post(
        reverse("export:apply", args=[event.pk]),
        {
            "enterprise": enterprise.pk,
            "target_markets": "Индия и Вьетнам",
            "contact_name": "Петров Пётр",
            "contact_email": "petrov@example.test",
        },
    )
    text = _text(response)
    assert response.status_code == 200
    assert "уже есть заявка" in text
    assert 'value="Индия и Вьетнам"' in text and 'value="Петров Пётр"' in text
    assert Application.objects.filter(event=event).count() == 1


def test_apply_rejects_another_enterprises_product_and_bad_email(client, company):
    enterprise, host = company
    other, _ = make_company()
    foreign = make_product(other, name="Чужое изделие")
    event = make_export_event()
    client.force_login(host)
    response = client.post(
        reverse("export:apply", args=[event.pk]),
        {
            "enterprise": enterprise.pk,
            "products": [foreign.pk],
            "contact_email": "не почта",
            "target_markets": "Китай",
        },
    )
    text = _text(response)
    assert "Выберите продукцию выбранного предприятия." in text
    assert "Введите e-mail" in text
    assert 'value="Китай"' in text
    assert not Application.objects.filter(event=event).exists()


def test_organiser_applies_for_a_company_by_its_inn(client, company):
    enterprise, _ = company
    event = make_export_event()
    organiser = make_user(role=Role.ORGANISER)
    client.force_login(organiser)
    url = reverse("export:apply", args=[event.pk])
    assert "ИНН предприятия" in _text(client.get(url))
    text = _text(client.post(url, {"enterprise": "7700000000", "target_markets": "Китай"}))
    assert "Предприятия с таким ИНН нет в реестре." in text and 'value="Китай"' in text
    response = client.post(url, {"enterprise": enterprise.inn, "target_markets": "Китай"})
    application = Application.objects.get(event=event)
    assert response["Location"] == reverse("export:my_documents", args=[application.pk])
    assert application.enterprise == enterprise and application.created_by == organiser
    # Its products are offered once the company is known.
    text = _text(client.get(reverse("export:my_edit", args=[application.pk])))
    assert "Скруббер промышленный" in text


def test_apply_when_the_call_is_closed_shows_no_form(client, company):
    event = make_export_event()
    event.call.opens_at = clock.now() - dt.timedelta(days=10)
    event.call.closes_at = clock.now() - dt.timedelta(days=1)
    event.call.save()
    client.force_login(company[1])
    text = _text(client.get(reverse("export:apply", args=[event.pk])))
    assert "Приём заявок закрыт." in text and "Сохранить черновик" not in text


def test_apply_again_goes_to_the_existing_application(client, company):
    enterprise, host = company
    application = make_application(enterprise=enterprise, user=host)
    client.force_login(host)
    response = client.get(reverse("export:apply", args=[application.event_id]))
    assert response["Location"] == reverse("export:my_application", args=[application.pk])


def test_host_without_an_enterprise_is_told_how_to_get_one(client):
    client.force_login(make_user(role=Role.HOST))
    text = _text(client.get(reverse("export:apply", args=[make_export_event().pk])))
    assert "не привязана к предприятию" in text


def test_edit_a_draft_and_not_after_review(client, company):
    enterprise, host = company
    application = make_application(enterprise=enterprise, user=host, status=S.DRAFT)
    client.force_login(host)
    url = reverse("export:my_edit", args=[application.pk])
    assert 'value="Китай, Индия"' in _text(client.get(url))
    response = client.post(
        url,
        {
            "products": [enterprise.products.first().pk],
            "export_experience": "Новые поставки",
            "target_markets": "ОАЭ",
            "contact_name": "Иванова Мария",
            "contact_email": "export@example.test",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.target_markets == "ОАЭ" and application.export_experience == "Новые поставки"
    Application.objects.filter(pk=application.pk).update(status=S.IN_REVIEW)
    response = client.get(url)
    assert response["Location"] == reverse("export:my_application", args=[application.pk])


# --- Documents ----------------------------------------------------------------------------


def test_upload_shows_the_required_list_and_what_is_attached(client, company, private_root):
    enterprise, host = company
    application = make_application(enterprise=enterprise, user=host, status=S.DRAFT)
    client.force_login(host)
    url = reverse("export:my_documents", args=[application.pk])
    assert "не приложен" in _text(client.get(url))
    response = client.post(url, {"title": "Презентация компании", "file": _pdf()})
    assert response.status_code == 302
    document = ApplicationDocument.objects.get(application=application)
    assert document.title == "Презентация компании" and document.size == len(PDF)
    assert (private_root / document.file.name).read_bytes() == PDF
    text = _text(client.get(url))
    assert "✓ приложен" in text
    assert reverse("export:document_download", args=[document.pk]) in text


def test_upload_of_a_big_file_is_refused_on_the_page(client, company, private_root):
    enterprise, host = company
    application = make_application(enterprise=enterprise, user=host, status=S.DRAFT)
    client.force_login(host)
    big = _pdf(content=PDF + b"0" * (11 * 1024 * 1024))
    response = client.post(
        reverse("export:my_documents", args=[application.pk]),
        {"title": "__other__", "other_title": "Каталог продукции", "file": big},
    )
    text = _text(response)
    assert response.status_code == 200
    assert "файл больше 10 МБ" in text
    assert 'value="Каталог продукции"' in text  # what was typed stays
    assert not ApplicationDocument.objects.exists()
    assert not [p for p in private_root.rglob("*") if p.is_file()]


def test_upload_of_a_pdf_that_is_not_a_pdf_is_refused(client, company):
    enterprise, host = company
    application = make_application(enterprise=enterprise, user=host, status=S.DRAFT)
    client.force_login(host)
    url = reverse("export:my_documents", args=[application.pk])
    fake = SimpleUploadedFile("Презентация.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    text = _text(client.post(url, {"title": "Презентация компании", "file": fake}))
    assert "этот файл им не является" in text
    word = SimpleUploadedFile("Презентация.docx", PDF, "application/msword")
    assert "нужен PDF" in _text(client.post(url, {"title": "Презентация компании", "file": word}))
    assert "Выберите файл PDF." in _text(client.post(url, {"title": "Презентация компании"}))
    assert not ApplicationDocument.objects.exists()


def test_remove_a_document(client, company):
    enterprise, host = company
    application = make_application(enterprise=enterprise, user=host, status=S.DRAFT)
    document = _attach(application)
    client.force_login(host)
    response = client.post(reverse("export:my_document_remove", args=[document.pk]))
    assert response["Location"] == reverse("export:my_documents", args=[application.pk])
    assert not ApplicationDocument.objects.exists()


def test_download_streams_the_pdf_to_the_company_and_organisers_only(client, company):
    enterprise, host = company
    application = make_application(enterprise=enterprise, user=host, status=S.DRAFT)
    document = _attach(application)
    url = reverse("export:document_download", args=[document.pk])
    client.force_login(host)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    client.force_login(make_user(role=Role.ORGANISER))
    assert client.get(url).status_code == 200
    _, stranger = make_company()
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(make_user(role=Role.VISITOR))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


# --- The company's moves ------------------------------------------------------------------


def test_submit_asks_first_and_names_missing_documents(client, company):
    enterprise, host = company
    application = make_application(enterprise=enterprise, user=host, status=S.DRAFT)
    client.force_login(host)
    url = reverse("export:my_transition", args=[application.pk, "submitted"])
    text = _text(client.get(url))
    assert "Отправить заявку организаторам?" in text and "Презентация компании" in text
    response = client.post(url, {"comment": "Просим рассмотреть"})
    text = _text(response)
    assert response.status_code == 200
    assert "Приложите обязательные документы" in text
    assert "Просим рассмотреть" in text
    application.refresh_from_db()
    assert application.status == S.DRAFT
    _attach(application)
    response = client.post(url, {"comment": "Просим рассмотреть"})
    assert response["Location"] == reverse("export:my_application", args=[application.pk])
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    step = application.transitions.get()
    assert (step.from_status, step.to_status, step.actor, step.comment) == (
        S.DRAFT,
        S.SUBMITTED,
        host,
        "Просим рассмотреть",
    )


def test_history_shows_who_and_when(client, company):
    enterprise, host = company
    host.first_name, host.last_name = "Мария", "Иванова"
    host.save()
    application = make_application(enterprise=enterprise, user=host, status=S.DRAFT)
    _attach(application)
    client.force_login(host)
    client.post(reverse("export:my_transition", args=[application.pk, "submitted"]))
    text = _text(client.get(reverse("export:my_application", args=[application.pk])))
    assert "«Черновик» → «Подана», Мария Иванова" in text


def test_confirm_and_withdraw_with_a_confirmation_step(
    client, company, django_capture_on_commit_callbacks
):
    enterprise, host = company
    application = make_application(enterprise=enterprise, user=host, status=S.ACCEPTED)
    client.force_login(host)
    page = _text(client.get(reverse("export:my_application", args=[application.pk])))
    assert "Подтвердить участие" in page and "Отозвать заявку" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("export:my_transition", args=[application.pk, "confirmed"]))
    application.refresh_from_db()
    assert application.status == S.CONFIRMED
    assert mail.outbox and "Участие подтверждено" in mail.outbox[-1].subject
    url = reverse("export:my_transition", args=[application.pk, "withdrawn"])
    assert "Вернуть заявку будет нельзя" in _text(client.get(url))
    client.post(url, {"comment": "Не успеваем с экспонатами"})
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    application.event.refresh_from_db()
    assert application.event.taken == 0


def test_a_move_not_allowed_now_is_explained(client, company):
    enterprise, host = company
    application = make_application(enterprise=enterprise, user=host, status=S.SUBMITTED)
    client.force_login(host)
    url = reverse("export:my_transition", args=[application.pk, "confirmed"])
    assert "нельзя перевести" in _text(client.get(url))
    client.post(url)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    # The organisers' moves are not the company's.
    assert (
        client.get(reverse("export:my_transition", args=[application.pk, "accepted"])).status_code
        == 404
    )


# --- Company A cannot reach company B's ------------------------------------------------------


def test_another_companys_objects_are_not_found_page_by_page(client, company):
    _, host = company
    other = make_application(status=S.PARTICIPATED)
    draft = make_application(status=S.DRAFT)
    document = _attach(draft)
    meeting = Meeting.objects.create(
        application=other,
        counterpart="Partner",
        country="Китай",
        starts_at=clock.start_of_day(other.event.starts_on),
    )
    OutcomeReport.objects.create(application=other, meetings_held=3, submitted_at=clock.now())
    client.force_login(host)
    for name in (
        "my_application",
        "my_edit",
        "my_documents",
        "my_checklist",
        "my_meetings",
        "outcome_report",
    ):
        assert client.get(reverse(f"export:{name}", args=[other.pk])).status_code == 404, name
    for to in ("submitted", "confirmed", "withdrawn"):
        url = reverse("export:my_transition", args=[other.pk, to])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert client.get(reverse("export:document_download", args=[document.pk])).status_code == 404
    assert client.post(reverse("export:my_document_remove", args=[document.pk])).status_code == 404
    assert client.get(reverse("export:my_meeting", args=[meeting.pk])).status_code == 404
    post = {"meetings_held": 9, "agreements": 0, "expected_export_rub": 0}
    assert client.post(reverse("export:outcome_report", args=[other.pk]), post).status_code == 404
    assert ApplicationDocument.objects.filter(pk=document.pk).exists()
    assert OutcomeReport.objects.get(application=other).meetings_held == 3


# --- Checklist and meetings ------------------------------------------------------------------


def test_checklist_appears_once_accepted_and_is_ticked(client, company):
    enterprise, host = company
    draft = make_application(enterprise=enterprise, user=host, status=S.SUBMITTED)
    client.force_login(host)
    assert "Подготовка начинается, когда заявка одобрена" in _text(
        client.get(reverse("export:my_checklist", args=[draft.pk]))
    )
    application = make_application(user=host, enterprise=make_company()[0], status=S.ACCEPTED)
    make_membership(host, application.enterprise)
    url = reverse("export:my_checklist", args=[application.pk])
    text = _text(client.get(url))
    items = list(ChecklistItem.objects.filter(application=application).order_by("id"))
    assert len(items) == 4 and "Готово 0 из 4" in text
    visa = next(item for item in items if item.kind == "visa")
    data = {f"note_{item.pk}": "" for item in items}
    data[f"done_{visa.pk}"] = "on"
    data[f"note_{visa.pk}"] = "Письмо получено"
    client.post(url, data)
    visa.refresh_from_db()
    assert visa.done and visa.done_at and visa.note == "Письмо получено"
    assert "Готово 1 из 4" in _text(client.get(url))


def test_meetings_add_edit_and_refusal_keeps_typed(client, company):
    enterprise, host = company
    application = make_application(enterprise=enterprise, user=host, status=S.CONFIRMED)
    event = application.event
    client.force_login(host)
    url = reverse("export:my_meetings", args=[application.pk])
    day = event.starts_on.isoformat()
    response = client.post(
        url,
        {
            "counterpart": "Shanghai Electric",
            "country": "Китай",
            "starts_at": f"{day}T10:30",
            "result": "planned",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(application=application)
    assert clock.localtime(meeting.starts_at).strftime("%H:%M") == "10:30"
    far = (event.starts_on + dt.timedelta(days=30)).isoformat()
    response = client.post(
        url,
        {
            "counterpart": "Sinopec",
            "country": "Китай",
            "starts_at": f"{far}T11:00",
            "result": "planned",
        },
    )
    text = _text(response)
    assert "Встреча должна пройти в дни мероприятия" in text and 'value="Sinopec"' in text
    assert Meeting.objects.count() == 1
    edit = reverse("export:my_meeting", args=[meeting.pk])
    assert 'value="Shanghai Electric"' in _text(client.get(edit))
    client.post(
        edit,
        {
            "counterpart": "Shanghai Electric",
            "country": "Китай",
            "starts_at": f"{day}T10:30",
            "result": "agreement",
            "notes": "Подписали меморандум",
        },
    )
    meeting.refresh_from_db()
    assert meeting.result == "agreement" and meeting.notes == "Подписали меморандум"
    assert "Соглашение о намерениях" in _text(client.get(url))


# --- The outcome report -------------------------------------------------------------------


def test_report_waits_for_the_end_of_the_event(client, company):
    enterprise, host = company
    application = make_application(enterprise=enterprise, user=host, status=S.CONFIRMED)
    client.force_login(host)
    url = reverse("export:outcome_report", args=[application.pk])
    assert "откроется, когда мероприятие закончится" in _text(client.get(url))
    client.post(url, {"meetings_held": 3, "agreements": 1, "expected_export_rub": 0})
    assert not OutcomeReport.objects.exists()


def _report_post(**extra):
    data = {
        "meetings_held": "12",
        "agreements": "3",
        "expected_export_rub": "15000000",
        "quote": "Благодарим центр «Моспром» за помощь.",
        "quote_author": "Александр Бондарь, генеральный директор",
        "contracts-TOTAL_FORMS": "2",
        "contracts-INITIAL_FORMS": "0",
        "contracts-MIN_NUM_FORMS": "0",
        "contracts-MAX_NUM_FORMS": "50",
        "contracts-0-counterpart": "Shanghai Water",
        "contracts-0-country": "Китай",
        "contracts-0-value": "100000",
        "contracts-0-currency": "CNY",
        "contracts-0-signed_on": "",
        "contracts-1-counterpart": "",
        "contracts-1-country": "",
        "contracts-1-value": "",
        "contracts-1-currency": "RUB",
        "contracts-1-signed_on": "",
    }
    data.update(extra)
    return data


def test_participant_files_the_report_with_a_contract_in_yuan(client, company):
    enterprise, host = company
    application = make_application(enterprise=enterprise, user=host, status=S.PARTICIPATED)
    EventRate.objects.create(event=application.event, currency="CNY", rub_per_unit=Decimal("12.5"))
    client.force_login(host)
    url = reverse("export:outcome_report", args=[application.pk])
    text = _text(client.get(url))
    assert '<option value="CNY">CNY</option>' in text and "Сдать отчёт" in text
    response = client.post(url, _report_post())
    assert response.status_code == 302
    report = OutcomeReport.objects.get(application=application)
    assert (report.meetings_held, report.agreements) == (12, 3)
    assert report.expected_export_rub == Decimal("15000000")
    contract = report.contracts.get()
    assert (contract.counterpart, contract.value, contract.currency) == (
        "Shanghai Water",
        Decimal("100000"),
        "CNY",
    )
    # Correcting it shows what was filed, and a new filing replaces it.
    text = _text(client.get(url))
    assert 'value="Shanghai Water"' in text and "Сохранить исправленный отчёт" in text
    data = _report_post(**{"contracts-0-value": "200000"})
    data["contracts-INITIAL_FORMS"] = "1"
    client.post(url, data)
    assert OutcomeReport.objects.get().contracts.get().value == Decimal("200000")


def test_report_form_errors_keep_what_was_typed(client, company):
    enterprise, host = company
    application = make_application(enterprise=enterprise, user=host, status=S.PARTICIPATED)
    client.force_login(host)
    url = reverse("export:outcome_report", args=[application.pk])
    data = _report_post(
        **{
            "contracts-0-counterpart": "",
            "contracts-0-currency": "RUB",
            "meetings_held": "-1",
        }
    )
    text = _text(client.post(url, data))
    assert "Укажите покупателя." in text
    assert 'value="Александр Бондарь, генеральный директор"' in text
    assert 'value="100000"' in text
    assert not OutcomeReport.objects.exists()
    # A currency the event has no rate for is not offered at all.
    text = _text(client.post(url, _report_post()))
    assert "Выберите корректный вариант" in text or "Select a valid choice" in text
    assert not OutcomeReport.objects.exists()


# --- The fair vote ------------------------------------------------------------------------


def test_vote_cast_limit_and_withdraw(client, company):
    enterprise, host = company
    vote_round = make_vote_round(votes_per_enterprise=2)
    fairs = [
        FairCandidate.objects.create(round=vote_round, title=title, country="Китай", city="Шанхай")
        for title in ("CIIF", "CIIE", "Canton Fair")
    ]
    client.force_login(host)
    url = reverse("export:my_vote", args=[vote_round.pk])
    assert "осталось голосов — 2 из 2" in _text(client.get(url))
    for fair in fairs[:2]:
        client.post(url, {"candidate": fair.pk, "action": "cast", "enterprise": enterprise.pk})
    text = _text(client.get(url))
    assert "осталось голосов — 0 из 2" in text
    assert "Голосовать за «Canton Fair»" not in text  # no votes left
    response = client.post(
        url, {"candidate": fairs[2].pk, "action": "cast", "enterprise": enterprise.pk}, follow=True
    )
    assert "уже отдало все голоса" in _text(response)
    assert FairVote.objects.filter(enterprise=enterprise).count() == 2
    client.post(url, {"candidate": fairs[0].pk, "action": "withdraw", "enterprise": enterprise.pk})
    assert set(FairVote.objects.values_list("candidate_id", flat=True)) == {fairs[1].pk}
    assert VoteBallot.objects.get(enterprise=enterprise).used == 1


def test_vote_for_another_enterprise_is_not_possible(client, company):
    _, host = company
    other, _ = make_company()
    vote_round = make_vote_round()
    fair = FairCandidate.objects.create(
        round=vote_round, title="CIIF", country="Китай", city="Шанхай"
    )
    FairVote.objects.create(candidate=fair, enterprise=other)
    client.force_login(host)
    url = reverse("export:my_vote", args=[vote_round.pk])
    # The enterprise given is not the host's: the page votes for the host's own instead.
    client.post(url, {"candidate": fair.pk, "action": "withdraw", "enterprise": other.pk})
    assert FairVote.objects.filter(enterprise=other).exists()
