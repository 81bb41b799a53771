"""Role-matrix rows for the media API (merged into web/tests/test_role_matrix.py).

The world (``matrix_world.build``): a published ``tour`` with a RUTUBE publication and a 2023
RUTUBE count (``views``), an unpublished ``draft``. Reads are public; a draft is 404 except to
organisers and administrators, who read it with their token (a play of it is then refused:
422). Plays need any user's token. Platform counts are the organisers' (others 403): a new
period is 201, the world's period again 200 (replaced), a period overlapping it 422.
"""

from __future__ import annotations

M = "/api/v1/media"
ROLES = ("anonymous", "visitor", "host", "organiser", "admin")
READ = dict.fromkeys(ROLES, 200)
DRAFT_READ = READ | {"anonymous": 404, "visitor": 404, "host": 404}
LOGGED_IN = {"anonymous": 401} | dict.fromkeys(ROLES[1:], 200)
STAFF = {"anonymous": 401, "visitor": 403, "host": 403, "organiser": 200, "admin": 200}


def _count(w, period: str) -> tuple[dict, dict]:
    return {}, {"tour": w.media.tour.pk, "platform": "rutube", "period": period, "views": 4200}


API: dict = {
    ("GET", f"{M}/tours"): [("gallery", lambda w: ({}, None), READ)],
    ("GET", f"{M}/tours/{{id}}"): [
        ("published", lambda w: ({"id": w.media.tour.pk}, None), READ),
        ("draft", lambda w: ({"id": w.media.draft.pk}, None), DRAFT_READ),
    ],
    ("POST", f"{M}/tours/{{id}}/plays"): [
        ("published", lambda w: ({"id": w.media.tour.pk}, None), LOGGED_IN),
        (
            "draft",
            lambda w: ({"id": w.media.draft.pk}, None),
            LOGGED_IN | {"visitor": 404, "host": 404, "organiser": 422, "admin": 422},
        ),
    ],
    ("GET", f"{M}/tours/{{id}}/views"): [
        ("published", lambda w: ({"id": w.media.tour.pk}, None), READ),
        ("draft", lambda w: ({"id": w.media.draft.pk}, None), DRAFT_READ),
    ],
    ("GET", f"{M}/views"): [("organisers", lambda w: ({}, None), STAFF)],
    ("POST", f"{M}/views"): [
        ("new period", lambda w: _count(w, "2024"), STAFF | {"organiser": 201, "admin": 201}),
        ("same period again", lambda w: _count(w, "2023"), STAFF),
        (
            "overlapping period",
            lambda w: _count(w, "2023-05"),
            STAFF | {"organiser": 422, "admin": 422},
        ),
    ],
    ("DELETE", f"{M}/views/{{id}}"): [
        (
            "a count",
            lambda w: ({"id": w.media.views.pk}, None),
            STAFF | {"organiser": 204, "admin": 204},
        ),
    ],
    ("GET", f"{M}/audience"): [("all time", lambda w: ({}, None), READ)],
    ("GET", f"{M}/awards"): [("list", lambda w: ({}, None), READ)],
}
