"""Deferred mail goes through the real task queue: enqueued on commit, run by db_worker."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from mosprom.core.mail import mail_after_commit

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_mail_is_queued_on_commit_and_delivered_by_db_worker(settings):
    settings.TASKS = DATABASE_TASKS
    with transaction.atomic():
        mail_after_commit(subject="Проверка", body="Текст письма", to=["a@example.test"])
        assert DBTaskResult.objects.count() == 0  # nothing before commit
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert mail.outbox == []

    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert [m.subject for m in mail.outbox] == ["Проверка"]
    assert mail.outbox[0].to == ["a@example.test"]


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_sends_nothing(settings):
    settings.TASKS = DATABASE_TASKS
    with pytest.raises(RuntimeError), transaction.atomic():
        mail_after_commit(subject="Не уйдёт", body="—", to=["a@example.test"])
        raise RuntimeError("rollback")
    assert DBTaskResult.objects.count() == 0
