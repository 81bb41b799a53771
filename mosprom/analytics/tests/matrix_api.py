"""Role-matrix rows for the KPI API (merged into web/tests/test_role_matrix.py).

The catalogue and public KPIs are open to everyone; a non-public KPI (``sez_revenue``) is for
organisers and administrators and does not exist for anyone else (404). The KPIs used here
read the registry and the SEZ, which every world has.

The matrix puts path arguments into the path and sends no query string, so the required
``period`` rides in the ``name`` argument; for ``{name}.csv`` it ends with ``#`` so that the
rest of the template (``.csv``) becomes a fragment the client does not send.
"""

from __future__ import annotations

K = "/api/v1/kpi"
ROLES = ("anonymous", "visitor", "host", "organiser", "admin")
EVERYONE = dict.fromkeys(ROLES, 200)
STAFF_ELSE_NOT_FOUND = EVERYONE | {"anonymous": 404, "visitor": 404, "host": 404}

API: dict = {
    ("GET", f"{K}/"): [("catalogue", lambda w: ({}, None), EVERYONE)],
    ("GET", f"{K}/{{name}}"): [
        ("public", lambda w: ({"name": "enterprises?period=2023"}, None), EVERYONE),
        ("non-public", lambda w: ({"name": "sez_revenue?period=2023"}, None), STAFF_ELSE_NOT_FOUND),
    ],
    ("GET", f"{K}/{{name}}.csv"): [
        ("public", lambda w: ({"name": "sez_residents.csv?period=2023-Q1#"}, None), EVERYONE),
        (
            "non-public",
            lambda w: ({"name": "sez_revenue.csv?period=2024#"}, None),
            STAFF_ELSE_NOT_FOUND,
        ),
    ],
}
