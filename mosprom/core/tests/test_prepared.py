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
from mosprom.tourism.selectors import SESSION_FOR_BOOKING
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
            got = SESSION_FOR_BOOKING.first(session.pk)
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
    assert SESSION_FOR_BOOKING.first(10**12) is None
    unpublished = make_session()
    unpublished.experience.is_published = False
    unpublished.experience.save()
    assert SESSION_FOR_BOOKING.first(unpublished.pk) is None


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


# --- Two reads in one statement ---------------------------------------------------------------


def _token_and_session():
    user = make_user(role="host")
    token, key = api_token_create(user=user, name="t")
    return token, _hash(key), make_session()


def test_two_reads_together_are_one_query_and_answer_what_each_would():
    token, key_hash, session = _token_and_session()
    for _ in range(2):  # the joined statement is built once, then reused
        with CaptureQueriesContext(connection) as queries:
            got_token, got_session = _LIVE_TOKEN.first_with(
                key_hash, SESSION_FOR_BOOKING, session.pk
            )
        assert len(queries) == 1
        assert _fields(got_token) == _fields(_LIVE_TOKEN.first(key_hash))
        assert got_token.user == token.user and got_token.user.email == token.user.email
        expected = SESSION_FOR_BOOKING.first(session.pk)
        assert _fields(got_session) == _fields(expected)
        with CaptureQueriesContext(connection) as queries:
            assert _fields(got_session.season) == _fields(expected.season)
            assert _fields(got_session.experience.enterprise) == _fields(
                expected.experience.enterprise
            )
        assert len(queries) == 0, "relations come with the row"


def test_either_read_may_find_nothing_on_its_own():
    _, key_hash, session = _token_and_session()
    missing_token = "0" * 64

    assert _LIVE_TOKEN.first_with(missing_token, SESSION_FOR_BOOKING, session.pk)[0] is None
    assert _LIVE_TOKEN.first_with(missing_token, SESSION_FOR_BOOKING, session.pk)[1].pk == (
        session.pk
    )
    token, no_session = _LIVE_TOKEN.first_with(key_hash, SESSION_FOR_BOOKING, 10**12)
    assert token is not None and no_session is None
    assert _LIVE_TOKEN.first_with(missing_token, SESSION_FOR_BOOKING, 10**12) == (None, None)


@pytest.mark.postgres  # the token's write is a PostgreSQL data-modifying CTE
def test_a_writing_read_goes_first_and_keeps_its_write():
    """The token read that records "last used" joins another read: its UPDATE still runs."""
    from mosprom.accounts.tokens import _LIVE_TOKEN_TOUCHING
    from mosprom.core import clock

    token, key_hash, session = _token_and_session()
    now = clock.now()
    with CaptureQueriesContext(connection) as queries:
        got_token, got_session = _LIVE_TOKEN_TOUCHING.first_with(
            key_hash, SESSION_FOR_BOOKING, session.pk, extra=(now, now)
        )
    assert len(queries) == 1 and "UPDATE" in queries[0]["sql"]
    assert got_token.pk == token.pk and got_session.pk == session.pk
    token.refresh_from_db()
    assert token.last_used_at == now


def test_the_second_read_may_not_write():
    from mosprom.accounts.tokens import _LIVE_TOKEN_TOUCHING

    with pytest.raises(ValueError, match="cannot write"):
        SESSION_FOR_BOOKING.first_with(1, _LIVE_TOKEN_TOUCHING, "0" * 64)
