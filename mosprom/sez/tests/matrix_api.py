"""Role-matrix rows for the SEZ API (merged into web/tests/test_role_matrix.py).

The world (``matrix_world.build``): the matrix host's enterprise ``w.own`` is the resident
``membership`` with a submitted ``version`` of ``report`` for ``period`` (2024), so a second
filing for that period is refused (409 report_locked) until it is reviewed; ``open_period``
(2025 Q1) has nothing filed yet. ``other_membership`` has an approved ``other_report``.
Visitors act for no company: 403. Another resident's report is 404 for a host; filing for
another resident is 403.
"""

from __future__ import annotations

S = "/api/v1/sez"
ROLES = ("anonymous", "visitor", "host", "organiser", "admin")
COMPANY = {"anonymous": 401, "visitor": 403, "host": 200, "organiser": 200, "admin": 200}
COMPANY_CREATED = COMPANY | {"host": 201, "organiser": 201, "admin": 201}
STAFF = COMPANY | {"host": 403}

FIGURES = {
    "investment": "2500000.00",
    "capex": "1000000",
    "jobs_created": 4,
    "avg_headcount": 60,
    "revenue": 9000000,
    "export_revenue": "1200000.50",
}


def _filing(w, period, membership) -> tuple[dict, dict]:
    return {"id": period.pk}, {"membership": membership.pk, **FIGURES}


API: dict = {
    ("GET", f"{S}/reports"): [("visible to me", lambda w: ({}, None), COMPANY)],
    ("GET", f"{S}/reports/{{id}}"): [
        ("own", lambda w: ({"id": w.sez.report.pk}, None), COMPANY),
        (
            "another resident's",
            lambda w: ({"id": w.sez.other_report.pk}, None),
            COMPANY | {"host": 404},
        ),
    ],
    ("POST", f"{S}/periods/{{id}}/reports"): [
        (
            "own, open period",
            lambda w: _filing(w, w.sez.open_period, w.sez.membership),
            COMPANY_CREATED,
        ),
        (
            "own, version awaiting review",
            lambda w: _filing(w, w.sez.period, w.sez.membership),
            COMPANY | dict.fromkeys(("host", "organiser", "admin"), 409),
        ),
        (
            "another resident",
            lambda w: _filing(w, w.sez.open_period, w.sez.other_membership),
            COMPANY_CREATED | {"host": 403},
        ),
    ],
    ("GET", f"{S}/periods"): [("organisers", lambda w: ({}, None), STAFF)],
    ("POST", f"{S}/versions/{{id}}/approve"): [
        ("submitted", lambda w: ({"id": w.sez.version.pk}, None), STAFF),
    ],
    ("POST", f"{S}/versions/{{id}}/return"): [
        (
            "submitted",
            lambda w: ({"id": w.sez.version.pk}, {"comment": "Уточните капитальные вложения."}),
            STAFF,
        ),
    ],
    ("GET", f"{S}/kpi"): [("year", lambda w: ({}, None), STAFF)],
    ("GET", f"{S}/periods/{{id}}/late"): [
        ("organisers", lambda w: ({"id": w.sez.period.pk}, None), STAFF),
    ],
}
