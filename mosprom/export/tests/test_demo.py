"""The export demo: loads twice without duplicates and gives the seed's half-year figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mosprom.accounts.demo import accounts_demo_load
from mosprom.core import clock
from mosprom.export.demo import (
    CIIF,
    CNY_RATE,
    INNOPROM,
    MISSIONS,
    demo_half_year,
    export_demo_load,
)
from mosprom.export.figures import export_figures
from mosprom.export.models import (
    Application,
    ApplicationStatus,
    ExportEvent,
    FairVote,
    OutcomeReport,
    VoteBallot,
)
from mosprom.registry.demo import registry_demo_load, registry_demo_memberships_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    registry_demo_load()
    accounts_demo_load()
    registry_demo_memberships_load()
    return export_demo_load()


def _counts() -> tuple[int, ...]:
    return (
        ExportEvent.objects.count(),
        Application.objects.count(),
        OutcomeReport.objects.count(),
        FairVote.objects.count(),
    )


def test_loads_twice_without_duplicates(loaded):
    before = _counts()

    again = export_demo_load()

    assert loaded.created and not again.created
    assert _counts() == before
    assert before[0] == 11 + 2 + 1  # the half-year's missions and fairs, the upcoming fair


def test_needs_the_registry_and_accounts():
    result = export_demo_load()

    assert not result.created
    assert not ExportEvent.objects.exists()


def test_ciif_stand_and_what_lies_ahead(loaded):
    ciif = ExportEvent.objects.get(title__startswith="CIIF", city="Шанхай")
    taking_part = Application.objects.filter(event=ciif, status=ApplicationStatus.PARTICIPATED)
    quoted = OutcomeReport.objects.exclude(quote="").get()

    assert taking_part.count() == 7 == ciif.taken == ciif.places
    assert ciif.show_chinese and ciif.title_zh
    assert quoted.application.enterprise.short_name == "Корпорация «Воздух»"
    assert "China International Industry Fair" in quoted.quote
    draft = Application.objects.get(status=ApplicationStatus.DRAFT)
    assert draft.enterprise.short_name == "Микрон"
    assert draft.created_by.email == "host@demo.mosprom.local"
    assert draft.event.call.is_open() and len(draft.event.call.documents) == 3
    assert sum(c.weight for c in draft.event.call.criteria.all()) == 100
    assert all(b.used <= b.allowed for b in VoteBallot.objects.all())
    assert VoteBallot.objects.filter(round__year=clock.today().year + 1, used=3).count() == 2


def test_half_year_figures_are_the_seeds(loaded):
    start, end = demo_half_year(clock.today())

    figures = export_figures(start=start, end=end)

    assert (figures.missions, figures.exhibitions, figures.b2b_sessions) == (11, 2, 0)
    assert figures.companies_supported == 13
    reported = [(m, a) for *_, rows in MISSIONS for _, m, a in rows if m is not None]
    reported += [(m, a) for _, m, a, *_ in CIIF] + [(m, a) for _, m, a in INNOPROM]
    assert figures.meetings == sum(m for m, _ in reported) == 253
    assert figures.agreements == sum(a for _, a in reported) == 39
    assert figures.contracts == 5
    yuan = 4_800_000 + 1_250_000 + 2_100_000
    assert figures.contract_value_rub == yuan * CNY_RATE + 18_500_000 + 9_800_000
    assert figures.contract_value_rub == Decimal("128952500.00")
