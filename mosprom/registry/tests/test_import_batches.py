"""Import batches as services and selectors (mosprom/registry/importing/batches.py).

The pages are tested in test_import_views; here the permission checks inside the functions,
which hold even for a caller that forgets the view decorator.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.registry.importing import (
    import_batch_apply,
    import_batch_can_apply,
    import_batch_discard,
    import_batch_get,
    import_batch_list,
    import_batch_upload,
)
from mosprom.registry.models import Enterprise, ImportBatch, ImportStatus
from mosprom.registry.tests.import_files import bad_rows, csv_bytes, good_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER)


@pytest.mark.parametrize("role", [Role.VISITOR, Role.HOST])
def test_only_organisers_may_read_or_decide_batches(role, organiser):
    _, batch = import_batch_upload(
        filename="registry.csv", content=csv_bytes(good_rows()), actor=organiser
    )
    someone = make_user(role=role)

    with pytest.raises(PermissionDenied):
        import_batch_list(user=someone)
    with pytest.raises(PermissionDenied):
        import_batch_get(user=someone, pk=batch.pk)
    with pytest.raises(PermissionDenied):
        import_batch_upload(filename="more.csv", content=csv_bytes(good_rows()), actor=someone)
    with pytest.raises(PermissionDenied):
        import_batch_apply(batch_id=batch.pk, actor=someone, skip_invalid=True)
    with pytest.raises(PermissionDenied):
        import_batch_discard(batch_id=batch.pk, actor=someone)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW
    assert ImportBatch.objects.count() == 1
    assert not Enterprise.objects.exists()


def test_a_readable_file_is_stored_with_its_report(organiser):
    report, batch = import_batch_upload(
        filename="registry.csv", content=csv_bytes(good_rows()), actor=organiser
    )

    assert report.ok
    assert batch is not None
    assert batch.status == ImportStatus.PREVIEW
    assert batch.uploaded_by == organiser
    assert bytes(batch.content) == csv_bytes(good_rows())
    assert batch.report["to_create"] == 3
    assert not Enterprise.objects.exists()


def test_an_unreadable_file_is_refused_and_not_stored(organiser):
    report, batch = import_batch_upload(
        filename="registry.xls", content=b"\xd0\xcf", actor=organiser
    )

    assert batch is None
    assert [p.code for p in report.file_problems] == ["unreadable"]
    assert not ImportBatch.objects.exists()


def test_a_batch_can_be_applied_only_while_open_and_with_a_valid_row(organiser):
    _, good = import_batch_upload(
        filename="good.csv", content=csv_bytes(good_rows()), actor=organiser
    )
    rows, _expected = bad_rows()
    _, mixed = import_batch_upload(filename="mixed.csv", content=csv_bytes(rows), actor=organiser)
    _, hopeless = import_batch_upload(
        filename="bad.csv", content=csv_bytes(rows[1:4]), actor=organiser
    )

    assert import_batch_can_apply(batch=good)
    assert import_batch_can_apply(batch=mixed)
    assert not import_batch_can_apply(batch=hopeless)

    assert import_batch_discard(batch_id=good.pk, actor=organiser)
    good.refresh_from_db()
    assert not import_batch_can_apply(batch=good)
