"""The export objects of the role matrix's world (``web/tests/test_role_matrix.py``).

The host of the matrix acts for ``w.own`` (an enterprise the world already made); the rows in
``matrix_pages.PAGES`` and ``matrix_api.API`` read these as ``w.export.<name>``.
"""

from __future__ import annotations

from types import SimpleNamespace

from mosprom.accounts.models import Role
from mosprom.export.models import ApplicationStatus, FairCandidate
from mosprom.export.tests.factories import (
    make_application,
    make_company,
    make_export_event,
    make_vote_round,
)
from mosprom.registry.tests.factories import make_product


def build(users: dict, own) -> SimpleNamespace:
    host = users[Role.HOST]
    event = make_export_event()
    make_product(own, name="Изделие для выставки")
    application = make_application(event=event, enterprise=own, user=host)
    other_enterprise, _ = make_company(short_name="Чужой экспортёр")
    other_application = make_application(event=event, enterprise=other_enterprise)
    past = make_export_event(with_call=False)
    participant = make_application(
        event=past, enterprise=own, user=host, status=ApplicationStatus.PARTICIPATED
    )
    vote_round = make_vote_round()
    candidate = FairCandidate.objects.create(
        round=vote_round, title="Иннопром. Центральная Азия", country="Узбекистан", city="Ташкент"
    )
    return SimpleNamespace(
        event=event,
        application=application,
        other_application=other_application,
        past_event=past,
        participant=participant,
        vote_round=vote_round,
        candidate=candidate,
    )
