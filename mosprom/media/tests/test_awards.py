"""Writing awards (``media.awards``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mosprom.accounts.models import AuditAction, AuditEvent, Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.media.awards import award_create, award_delete, award_update
from mosprom.media.models import Award
from mosprom.media.tests.factories import make_award

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER)


def award_data(**overrides) -> dict:
    data = {
        "name": "Маршрут построен",
        "category": "Промышленный маршрут",
        "year": 2023,
        "awarding_body": "Народная премия «Маршрут построен»",
        "place": "Победитель",
        "url": "",
    }
    return data | overrides


def test_an_award_is_created(organiser):
    award = award_create(actor=organiser, data=award_data(name="  Маршрут построен "))

    award.refresh_from_db()
    assert (award.name, award.category, award.year, award.place) == (
        "Маршрут построен",
        "Промышленный маршрут",
        2023,
        "Победитель",
    )
    event = AuditEvent.objects.get(action=AuditAction.FIGURES_CHANGED)
    assert (event.details["op"], event.target_id) == ("create", str(award.pk))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"awarding_body": " "}, "awarding_body"),
        ({"place": ""}, "place"),
        ({"year": 1999}, "year"),
        ({"year": 2026}, "year"),  # current year (2024) + 2
        ({"year": "двадцать"}, "year"),
        ({"year": None}, "year"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "ftp://example.com/award"}, "url"),
        ({"name": "П" * 256}, "name"),
        ({"place": "м" * 101}, "place"),
    ],
)
def test_bad_awards_are_refused(organiser, overrides, field):
    with clock.frozen(NOW), pytest.raises(ValidationError) as refused:
        award_create(actor=organiser, data=award_data(**overrides))

    assert field in refused.value.message_dict
    assert not Award.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_year_range_is_2000_to_next_year(organiser):
    with clock.frozen(NOW):
        first = award_create(actor=organiser, data=award_data(year=2000))
        next_year = award_create(actor=organiser, data=award_data(year="2025"))

    assert (first.year, next_year.year) == (2000, 2025)


def test_an_award_is_updated_keeping_the_other_fields(organiser):
    award = make_award(place="2 место")

    award_update(
        actor=organiser, award=award, data={"place": "1 место", "url": "https://example.com/a"}
    )

    award.refresh_from_db()
    assert (award.place, award.url, award.name) == (
        "1 место",
        "https://example.com/a",
        "Russian Event Awards",
    )
    assert AuditEvent.objects.get().details["fields"] == ["place", "url"]


def test_an_update_is_validated(organiser):
    award = make_award()

    with pytest.raises(ValidationError):
        award_update(actor=organiser, award=award, data={"year": 1990})

    award.refresh_from_db()
    assert award.year == 2023


def test_an_award_is_deleted(organiser):
    award = make_award()

    award_delete(actor=organiser, award=award)

    assert not Award.objects.exists()
    assert AuditEvent.objects.get().details["op"] == "delete"
