"""Schemathesis against the live OpenAPI document: no input makes the API fail or lie.

Every operation of /api/v1/openapi.json gets generated requests (valid and invalid) through
the WSGI application in-process, with an organiser's token so the writes run too. Each answer
must not be a 5xx, must use a documented status code and content type, and must match the
documented response schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.accounts.tokens import api_token_create
from mosprom.registry.tests.factories import (
    make_enterprise,
    make_product,
    make_sez_membership,
    make_site,
)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# The test sends its own token: a generated case "without Authorization" would still reach the
# API authenticated, and be reported as a wrongly accepted request.
schema.config.generation.update(with_security_parameters=False)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def organiser_headers(db, keep_the_test_connection):
    """Some registry rows for the reads, and an organiser's token for the writes."""
    for n in range(3):
        enterprise = make_enterprise(short_name=f"Завод {n}", hosts_tours=bool(n % 2))
        make_site(enterprise, latitude="55.750000", longitude="37.610000")
        make_product(enterprise, name="Станок", hs_code="8458")
        if n == 0:
            make_sez_membership(enterprise)
    _, key = api_token_create(user=make_user(role=Role.ORGANISER), name="schemathesis")
    return {"Authorization": f"Bearer {key}"}


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_as_documented(case, organiser_headers):
    case.call_and_validate(headers=organiser_headers, checks=CHECKS)
