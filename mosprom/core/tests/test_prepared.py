"""core.prepared: a query compiled once answers what the ORM would, with one query a call."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mosprom.accounts.models import ApiToken
from mosprom.accounts.tests.factories import make_user
from mosprom.accounts.tokens import _LIVE_TOKEN, _hash, api_token_create
from mosprom.core.prepared import PreparedQuery
from mosprom.tourism.models import Session
from mosprom.tourism.selectors import _SESSION_FOR_BOOKING
from mosprom.tourism.tests.factories import make_session

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_session_read_equals_the_orm_with_every_relation():
    session = make_session()
    expected = (
        Session.objects.select_related("season", "experience__enterprise", "experience__site")
        .filter(pk=session.pk)
        .first()
    )
    for _ in range(2):  # compiled on the first call, reused on the second
        with CaptureQueriesContext(connection) as queries:
            got = _SESSION_FOR_BOOKING.first(session.pk)
        assert len(queries) == 1
        assert _fields(got) == _fields(expected)
        with CaptureQueriesContext(connection) as queries:
            assert _fields(got.season) == _fields(expected.season)
            assert _fields(got.experience) == _fields(expected.experience)
            assert _fields(got.experience.enterprise) == _fields(expected.experience.enterprise)
            assert got.experience.site == expected.experience.site
        assert len(queries) == 0, "relations come with the row"
        assert got._state.adding is False and got._state.db == "default"


def test_no_row_is_none_and_the_filter_still_applies():
    assert _SESSION_FOR_BOOKING.first(10**12) is None
    unpublished = make_session()
    unpublished.experience.is_published = False
    unpublished.experience.save()
    assert _SESSION_FOR_BOOKING.first(unpublished.pk) is None


def test_the_token_read_returns_its_user_and_skips_revoked_tokens():
    user = make_user(role="host")
    token, key = api_token_create(user=user, name="t")
    got = _LIVE_TOKEN.first(_hash(key))
    assert got.pk == token.pk and got.user == user and got.user.email == user.email
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.created_at)
    assert _LIVE_TOKEN.first(_hash(key)) is None


def test_a_sentinel_that_is_not_exactly_one_parameter_is_refused():
    missing = PreparedQuery(lambda pk: Session.objects.filter(pk=1), sentinel=-1)
    with pytest.raises(ValueError, match="once"):
        missing.first(1)
    twice = PreparedQuery(lambda n: Session.objects.filter(taken=n, capacity=n), sentinel=999_999)
    with pytest.raises(ValueError, match="once"):
        twice.first(1)
