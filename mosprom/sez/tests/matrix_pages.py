"""Role-matrix rows for the SEZ pages (merged into web/tests/test_role_matrix.py).

Objects come from ``w.sez`` (``matrix_world.build``): the matrix host is a member of
``w.own``, the resident ``membership`` whose ``report`` for ``period`` has a submitted
``version``; ``open_period`` is one it has not filed for. A resident's pages answer its hosts
and the organisers; visitors are refused (403). The back office is organisers' only.
"""

from __future__ import annotations

LOGIN = "login"
ROLES = ("anonymous", "visitor", "host", "organiser", "admin")


def _everyone(code):
    return dict.fromkeys(ROLES, code)


def _staff_only(allowed=200):
    return {"anonymous": LOGIN, "visitor": 403, "host": 403, "organiser": allowed, "admin": allowed}


def _resident(allowed=200):
    return {
        "anonymous": LOGIN,
        "visitor": 403,
        "host": allowed,
        "organiser": allowed,
        "admin": allowed,
    }


PAGES: dict = {
    # Public.
    "sez:zone": (lambda w: [], _everyone(200)),
    # A resident's reports.
    "sez:my_reports": (lambda w: [], _resident()),
    "sez:report_file": (lambda w: [w.sez.membership.pk, w.sez.open_period.pk], _resident()),
    "sez:report_detail": (lambda w: [w.sez.report.pk], _resident()),
    # Organisers.
    "sez:manage_periods": (lambda w: [], _staff_only()),
    "sez:manage_period": (lambda w: [w.sez.period.pk], _staff_only()),
    "sez:version_review": (lambda w: [w.sez.version.pk], _staff_only()),
    "sez:kpi": (lambda w: [], _staff_only()),
    "sez:kpi_xlsx": (lambda w: [], _staff_only()),
    "sez:residents": (lambda w: [], _staff_only()),
    "sez:resident_plans": (lambda w: [w.sez.membership.pk], _staff_only()),
}
