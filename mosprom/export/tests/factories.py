"""Test data for export support: a published event with an open call and two weighted
criteria, a company (enterprise with a host member and a product), applications.

``make_application`` writes rows directly and moves ``ExportEvent.taken`` for statuses that
hold a place, the way the service does, so tests of later steps do not depend on it.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.db.models import F

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.export.models import (
    HOLDS_PLACE,
    Application,
    ApplicationStatus,
    Call,
    Criterion,
    EventKind,
    ExportEvent,
    VoteRound,
)
from mosprom.registry.tests.factories import make_enterprise, make_membership, make_product

_seq = itertools.count(1)


def make_export_event(*, with_call: bool = True, **fields) -> ExportEvent:
    today = clock.today()
    n = next(_seq)
    fields.setdefault("kind", EventKind.EXHIBITION)
    fields.setdefault("title", f"CIIF {2026 + n % 3}: коллективный стенд Москвы №{n}")
    fields.setdefault("title_en", f"CIIF: Moscow joint stand No. {n}")
    fields.setdefault("country", "Китай")
    fields.setdefault("city", "Шанхай")
    fields.setdefault("starts_on", today + dt.timedelta(days=60))
    fields.setdefault("ends_on", fields["starts_on"] + dt.timedelta(days=4))
    fields.setdefault("places", 7)
    fields.setdefault("is_published", True)
    event = ExportEvent.objects.create(**fields)
    if with_call:
        call = Call.objects.create(
            event=event,
            opens_at=clock.now() - dt.timedelta(days=1),
            closes_at=clock.now() + dt.timedelta(days=20),
            required_documents="Презентация компании",
        )
        Criterion.objects.create(call=call, name="Опыт экспорта", weight=40, position=1)
        Criterion.objects.create(call=call, name="Готовность продукции", weight=60, position=2)
    return event


def make_company(**fields):
    """An enterprise with a host member and a product; returns (enterprise, host)."""
    enterprise = make_enterprise(**fields)
    host = make_user(role=Role.HOST)
    make_membership(host, enterprise)
    make_product(enterprise, name="Станок с ЧПУ")
    return enterprise, host


def make_application(
    *,
    event: ExportEvent | None = None,
    enterprise=None,
    user=None,
    status: str = ApplicationStatus.SUBMITTED,
    **fields,
) -> Application:
    event = event or make_export_event()
    if enterprise is None:
        enterprise, host = make_company()
        user = user or host
    user = user or make_user(role=Role.HOST)
    fields.setdefault("export_experience", "Поставки в Казахстан с 2019 года")
    fields.setdefault("target_markets", "Китай, Индия")
    fields.setdefault("contact_name", "Иванова Мария")
    fields.setdefault("contact_email", "export@example.test")
    application = Application.objects.create(
        event=event,
        enterprise=enterprise,
        created_by=user,
        status=status,
        submitted_at=None if status == ApplicationStatus.DRAFT else clock.now(),
        waitlisted_at=clock.now() if status == ApplicationStatus.WAITLISTED else None,
        **fields,
    )
    application.products.set(enterprise.products.all())
    if status in HOLDS_PLACE:
        ExportEvent.objects.filter(pk=event.pk).update(taken=F("taken") + 1)
        event.taken += 1
    return application


def make_vote_round(**fields) -> VoteRound:
    fields.setdefault("year", clock.today().year + 1 + next(_seq))
    fields.setdefault("opens_at", clock.now() - dt.timedelta(days=1))
    fields.setdefault("closes_at", clock.now() + dt.timedelta(days=10))
    fields.setdefault("votes_per_enterprise", 2)
    return VoteRound.objects.create(**fields)
