"""What the app server runs: warmed workers, database options, quiet expected refusals."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from mosprom.accounts.tests.factories import make_user
from mosprom.accounts.tokens import api_token_create
from mosprom.core.logs import SkipExpectedRefusals
from mosprom.tourism.tests.factories import make_booking, make_session


def test_a_worker_has_imported_every_api_module_before_its_first_request():
    code = (
        "import sys, config.wsgi; "
        "missing = [m for m in ('config.api', 'mosprom.tourism.api', 'mosprom.web.urls') "
        "if m not in sys.modules]; print(missing)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"


def _record(status: int) -> logging.LogRecord:
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "x", (), None)
    record.status_code = status
    return record


def test_rule_refusals_are_not_logged_other_client_errors_are():
    keep = SkipExpectedRefusals()
    assert not keep.filter(_record(409))
    assert not keep.filter(_record(429))
    assert keep.filter(_record(404)) and keep.filter(_record(400)) and keep.filter(_record(500))
    names = [type(f).__name__ for f in logging.getLogger("django.request").filters]
    assert "SkipExpectedRefusals" in names


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_runs_with_prepared_statements_as_in_production():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["server_side_binding"] is True and options["prepare_threshold"] >= 1
    assert connection.connection is None or connection.connection.prepare_threshold >= 1


@pytest.mark.django_db
def test_a_refusal_by_rule_makes_no_log_record_at_all_a_fault_still_does(client, caplog):
    session = make_session(capacity=1)
    make_booking(session=session)
    _, key = api_token_create(user=make_user(), name="test")
    headers = {"Authorization": f"Bearer {key}"}
    body = json.dumps({"participants": [{"full_name": "Иванов Иван Иванович"}]})
    url = f"/api/v1/tourism/sessions/{session.pk}/bookings"
    request_log = logging.getLogger("django.request")
    filters = list(request_log.filters)
    for one in filters:  # without the filter: only the answer's own mark keeps it quiet
        request_log.removeFilter(one)
    try:
        with caplog.at_level(logging.WARNING, logger="django.request"):
            sold_out = client.post(url, body, content_type="application/json", headers=headers)
            missing = client.post(
                "/api/v1/tourism/sessions/999999/bookings",
                body,
                content_type="application/json",
                headers=headers,
            )
    finally:
        for one in filters:
            request_log.addFilter(one)
    assert sold_out.status_code == 409 and missing.status_code == 404
    logged = [r.status_code for r in caplog.records if r.name == "django.request"]
    assert logged == [404]  # the refusal was never even formatted; the 404 still is
