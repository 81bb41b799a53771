"""Role-matrix rows for the export API (merged into web/tests/test_role_matrix.py).

The world (``matrix_world.build``): ``event`` (open call) with the matrix host's enterprise
``w.own``'s submitted ``application`` and ``other_application`` of another company;
``past_event`` where ``w.own`` took part (``participant``); a ``vote_round`` with a
``candidate``. Visitors have no company: 403 wherever a company or an organiser acts. Another
company's application is 404 for a host. Organisers act on a company's behalf too.
"""

from __future__ import annotations

import datetime as dt

from mosprom.core import clock
from mosprom.export.models import ExportEvent
from mosprom.export.tests.factories import make_export_event

E = "/api/v1/export"
ROLES = ("anonymous", "visitor", "host", "organiser", "admin")
EVERYONE = dict.fromkeys(ROLES, 200)
COMPANY = {"anonymous": 401, "visitor": 403, "host": 200, "organiser": 200, "admin": 200}
COMPANY_CREATED = COMPANY | {"host": 201, "organiser": 201, "admin": 201}
STAFF = COMPANY | {"host": 403}
NOT_HOSTS = {"host": 404}  # another company's application


def _own(w) -> dict:
    return {"id": w.export.application.pk}


def _other(w) -> dict:
    return {"id": w.export.other_application.pk}


def _new_event(w) -> dict:
    return {"id": make_export_event().pk}


def _finished(w) -> dict:
    """The participant's event, moved into the past so its report is due."""
    today = clock.today()
    ExportEvent.objects.filter(pk=w.export.past_event.pk).update(
        starts_on=today - dt.timedelta(days=12), ends_on=today - dt.timedelta(days=8)
    )
    return {"id": w.export.participant.pk}


def _scores(w) -> dict:
    return {str(c.pk): 7 for c in w.export.event.call.criteria.all()}


OUTCOME = {
    "meetings_held": 9,
    "agreements": 2,
    "expected_export_rub": "15000000.00",
    "contracts": [{"counterpart": "Shanghai Demo Trading", "value": "2500000", "currency": "RUB"}],
    "quote": "Спасибо центру «Моспром» за коллективный стенд.",
}

API: dict = {
    ("GET", f"{E}/events"): [("list", lambda w: ({}, None), EVERYONE)],
    ("GET", f"{E}/events/{{id}}"): [
        ("open call", lambda w: ({"id": w.export.event.pk}, None), EVERYONE)
    ],
    ("GET", f"{E}/events/{{id}}/showcase"): [
        ("participants", lambda w: ({"id": w.export.past_event.pk}, None), EVERYONE)
    ],
    ("GET", f"{E}/events/{{id}}/ranking"): [
        ("organisers", lambda w: ({"id": w.export.event.pk}, None), STAFF)
    ],
    ("GET", f"{E}/applications"): [("visible to me", lambda w: ({}, None), COMPANY)],
    ("POST", f"{E}/events/{{id}}/applications"): [
        ("own enterprise", lambda w: (_new_event(w), {"enterprise": w.own.pk}), COMPANY_CREATED),
        (
            "another enterprise",
            lambda w: (_new_event(w), {"enterprise": w.other.pk}),
            COMPANY_CREATED | {"host": 403},
        ),
        (
            "applied already",
            lambda w: ({"id": w.export.event.pk}, {"enterprise": w.own.pk}),
            COMPANY | dict.fromkeys(("host", "organiser", "admin"), 409),
        ),
    ],
    ("GET", f"{E}/applications/{{id}}"): [
        ("own", lambda w: (_own(w), None), COMPANY),
        ("another company's", lambda w: (_other(w), None), COMPANY | NOT_HOSTS),
    ],
    ("PATCH", f"{E}/applications/{{id}}"): [
        ("own", lambda w: (_own(w), {"target_markets": "Вьетнам, Индия"}), COMPANY),
        ("another company's", lambda w: (_other(w), {"contact_phone": "1"}), COMPANY | NOT_HOSTS),
    ],
    ("POST", f"{E}/applications/{{id}}/transitions"): [
        ("company withdraws", lambda w: (_own(w), {"to": "withdrawn"}), COMPANY),
        # The organisers' move: the company is told whose it is.
        ("review", lambda w: (_own(w), {"to": "in_review"}), COMPANY | {"host": 409}),
        ("another company's", lambda w: (_other(w), {"to": "withdrawn"}), COMPANY | NOT_HOSTS),
    ],
    ("POST", f"{E}/applications/{{id}}/outcome"): [
        ("own, after the event", lambda w: (_finished(w), OUTCOME), COMPANY),
    ],
    ("PUT", f"{E}/applications/{{id}}/scores"): [
        ("organisers", lambda w: (_own(w), _scores(w)), STAFF),
    ],
    ("GET", f"{E}/votes"): [("list", lambda w: ({}, None), EVERYONE)],
    ("GET", f"{E}/votes/{{id}}"): [
        ("candidates", lambda w: ({"id": w.export.vote_round.pk}, None), EVERYONE)
    ],
    ("POST", f"{E}/votes/{{id}}/ballots"): [
        (
            "own enterprise",
            lambda w: (
                {"id": w.export.vote_round.pk},
                {"candidate": w.export.candidate.pk, "enterprise": w.own.pk},
            ),
            COMPANY_CREATED,
        ),
        (
            "another enterprise",
            lambda w: (
                {"id": w.export.vote_round.pk},
                {"candidate": w.export.candidate.pk, "enterprise": w.other.pk},
            ),
            COMPANY_CREATED | {"host": 403},
        ),
    ],
    ("GET", f"{E}/figures"): [("this year", lambda w: ({}, None), STAFF)],
}
