"""Role-matrix rows for the analytics pages (merged into web/tests/test_role_matrix.py).

The public «Программа в цифрах» answers everyone; the dashboard, the chart files, the KPI
catalogue and the import of historical values are the organisers' (anonymous users are sent
to log in, visitors and hosts refused). The import check without an uploaded file sends the
organiser back to the upload page (302).
"""

from __future__ import annotations

LOGIN = "login"
ROLES = ("anonymous", "visitor", "host", "organiser", "admin")


def _everyone(code):
    return dict.fromkeys(ROLES, code)


def _staff_only(allowed=200):
    return {"anonymous": LOGIN, "visitor": 403, "host": 403, "organiser": allowed, "admin": allowed}


# The chart files need ?period=…; without it they answer 400 (the matrix only checks access).
PAGES: dict = {
    "analytics:programme": (lambda w: [], _everyone(200)),
    "analytics:dashboard": (lambda w: [], _staff_only()),
    "analytics:chart_csv": (lambda w: ["sez"], _staff_only(400)),
    "analytics:chart_xlsx": (lambda w: ["sez"], _staff_only(400)),
    "analytics:kpis": (lambda w: [], _staff_only()),
    "analytics:import": (lambda w: [], _staff_only()),
    "analytics:import_preview": (lambda w: [], _staff_only(302)),
    "press:release": (lambda w: [], _staff_only()),
}
