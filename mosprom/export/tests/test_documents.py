"""Documents of applications: PDF only (by name and by content), 10 MB at most, kept in the
private storage under a random name, changed only before review, only by the company."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.export.applications import (
    MAX_DOCUMENT_BYTES,
    document_attach,
    document_remove,
)
from mosprom.export.errors import DocumentRejected, Forbidden
from mosprom.export.models import ApplicationDocument, ApplicationStatus, private_storage
from mosprom.export.tests.factories import make_application, make_company

pytestmark = pytest.mark.django_db

S = ApplicationStatus
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path) -> Path:
    """The private storage in a temporary directory, and MEDIA elsewhere to prove the split."""
    root = tmp_path / "private"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        },
    }
    return root


def pdf(name: str = "Презентация.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def attach(application, actor=None, title="Презентация компании", upload=None):
    return document_attach(
        application=application,
        actor=actor or application.created_by,
        title=title,
        upload=upload or pdf(),
    )


# --- Accepted --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED])
def test_a_pdf_is_kept_privately_under_a_random_name(status, private_root, tmp_path):
    application = make_application(status=status)
    document = attach(application, title="  Презентация   компании ", upload=pdf("Мой файл.PDF"))
    document.refresh_from_db()
    assert document.title == "Презентация компании"
    assert document.size == len(PDF)
    assert document.uploaded_by == application.created_by
    assert document.application == application
    (stored,) = files_under(private_root)
    assert stored.read_bytes() == PDF
    assert stored.name.endswith(".pdf") and "Мой файл" not in stored.name
    assert len(stored.stem) == 32  # a random hex name
    assert Path(private_root / document.file.name) == stored
    assert document.file.name.startswith("export/documents/")
    assert files_under(tmp_path / "media") == []


def test_the_limit_itself_is_accepted():
    application = make_application(status=S.DRAFT)
    content = PDF + b"0" * (MAX_DOCUMENT_BYTES - len(PDF))
    document = attach(application, upload=pdf(content=content))
    assert document.size == MAX_DOCUMENT_BYTES


def test_an_organiser_may_attach_for_the_company():
    application = make_application(status=S.SUBMITTED)
    organiser = make_user(role=Role.ORGANISER)
    document = attach(application, actor=organiser)
    assert document.uploaded_by == organiser


# --- Refused ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (
            lambda: pdf(content=PDF + b"0" * (MAX_DOCUMENT_BYTES - len(PDF) + 1)),
            "файл больше 10 МБ",
        ),
        (lambda: pdf(content=b""), "файл пустой"),
        (
            lambda: pdf(content=b"PK\x03\x04 a zip named .pdf"),
            "нужен PDF, а этот файл им не является",
        ),
        (lambda: pdf(content=b" %PDF-1.7 leading space"), "нужен PDF, а этот файл им не является"),
        (lambda: pdf("presentation.docx"), "нужен PDF — файл с расширением .pdf"),
        (lambda: pdf("presentation.pdf.exe"), "нужен PDF — файл с расширением .pdf"),
        (lambda: pdf("pdf"), "нужен PDF — файл с расширением .pdf"),
        (lambda: ContentFile(PDF), "нужен PDF — файл с расширением .pdf"),  # no name at all
    ],
    ids=["too-big", "empty", "zip-content", "not-at-start", "docx", "double-ext", "bare", "noname"],
)
def test_files_that_are_not_small_pdfs_are_refused(upload, reason, private_root):
    application = make_application(status=S.DRAFT)
    with pytest.raises(DocumentRejected) as refused:
        attach(application, upload=upload())
    assert refused.value.text == f"Документ не принят: {reason}"
    assert refused.value.code == "document_rejected"
    assert refused.value.http_status == 422
    assert not ApplicationDocument.objects.exists()
    assert files_under(private_root) == []


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("   ", "укажите, что это за документ"),
        ("ы" * 256, "название документа не длиннее 255 символов"),
    ],
)
def test_the_title_is_required_and_bounded(title, reason):
    application = make_application(status=S.DRAFT)
    with pytest.raises(DocumentRejected) as refused:
        attach(application, title=title)
    assert refused.value.text == f"Документ не принят: {reason}"


@pytest.mark.parametrize(
    "status",
    [S.IN_REVIEW, S.ACCEPTED, S.WAITLISTED, S.REJECTED, S.CONFIRMED, S.PARTICIPATED, S.WITHDRAWN],
)
def test_after_review_starts_documents_are_frozen(status, private_root):
    application = make_application(status=status)
    with pytest.raises(DocumentRejected) as refused:
        attach(application)
    assert refused.value.text == (
        f"Документ не принят: заявка в состоянии «{S(status).label}», документы менять уже нельзя"
    )
    assert files_under(private_root) == []


def test_a_stale_application_is_rechecked_and_the_file_is_not_left_behind(private_root):
    application = make_application(status=S.SUBMITTED)
    type(application).objects.filter(pk=application.pk).update(status=S.IN_REVIEW)
    with pytest.raises(DocumentRejected, match="«На рассмотрении»"):
        attach(application)  # the object still says «submitted»
    assert not ApplicationDocument.objects.exists()
    assert files_under(private_root) == []


def test_a_host_of_company_b_cannot_attach_to_company_a(private_root):
    application = make_application(status=S.DRAFT)
    _other, stranger = make_company()
    for actor in (stranger, make_user(role=Role.VISITOR)):
        with pytest.raises(Forbidden):
            attach(application, actor=actor)
    assert files_under(private_root) == []


def test_documents_per_application_are_limited():
    from mosprom.export.applications import MAX_DOCUMENTS

    application = make_application(status=S.DRAFT)
    ApplicationDocument.objects.bulk_create(
        ApplicationDocument(application=application, title=f"Д{n}", file=f"x{n}.pdf", size=1)
        for n in range(MAX_DOCUMENTS)
    )
    with pytest.raises(DocumentRejected, match=f"в заявке уже {MAX_DOCUMENTS} документов"):
        attach(application)


# --- Removing --------------------------------------------------------------------------------


def test_removing_deletes_the_row_and_after_commit_the_file(
    private_root, django_capture_on_commit_callbacks
):
    application = make_application(status=S.SUBMITTED)
    document = attach(application)
    kept = attach(application, title="Каталог")
    assert len(files_under(private_root)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        document_remove(document=document, actor=application.created_by)
    assert list(ApplicationDocument.objects.values_list("pk", flat=True)) == [kept.pk]
    (left,) = files_under(private_root)
    assert private_storage().exists(kept.file.name)
    assert left == private_root / kept.file.name


def test_removing_is_refused_after_review_starts_and_for_strangers(private_root):
    application = make_application(status=S.SUBMITTED)
    document = attach(application)
    _other, stranger = make_company()
    with pytest.raises(Forbidden):
        document_remove(document=document, actor=stranger)
    type(application).objects.filter(pk=application.pk).update(status=S.IN_REVIEW)
    with pytest.raises(DocumentRejected, match="документы менять уже нельзя"):
        document_remove(document=document, actor=application.created_by)
    assert ApplicationDocument.objects.filter(pk=document.pk).exists()
    assert len(files_under(private_root)) == 1
