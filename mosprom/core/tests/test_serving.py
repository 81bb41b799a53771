"""What the app server runs: warmed workers, database options, quiet expected refusals."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from mosprom.core.logs import SkipExpectedRefusals


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
