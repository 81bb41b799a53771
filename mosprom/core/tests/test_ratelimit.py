"""Abuse limits (core.ratelimit): rates, fixed windows, per-account and per-IP counters, and
the 429 answers of the sign-up, login, password-reset and confirmation-resend forms.

The limits are off under the test runner (the suite sends thousands of requests from
127.0.0.1); the ``limits`` fixture switches them on with an empty cache.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.urls import reverse

from mosprom.accounts.models import User
from mosprom.accounts.tests.factories import PASSWORD, make_user
from mosprom.core import clock, ratelimit
from mosprom.core.ratelimit import Rate, RateLimited, parse_rate, rate_limit_check

# A moment on a whole hour, so every window of a minute or an hour starts exactly here.
START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {}
    settings.RATE_LIMIT_CACHE = "default"
    caches["default"].clear()
    yield settings
    caches["default"].clear()


# --- Rates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("10/m", Rate(10, 60)),
        ("30/15m", Rate(30, 900)),
        ("5/h", Rate(5, 3600)),
        ("1/d", Rate(1, 86400)),
        ("20/30", Rate(20, 30)),
        (" 3 / 10s ", Rate(3, 10)),
        (None, None),
        ("", None),
    ],
)
def test_rates_are_parsed(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["10", "10/", "ten/m", "10/0s", "10/w", "-1/m"])
def test_bad_rates_are_refused_loudly(text):
    with pytest.raises(ValueError, match="bad rate"):
        parse_rate(text)


def test_settings_override_one_limit_and_keep_the_other(limits):
    limits.RATE_LIMITS = {"booking": {"ip": None}, "login": {"account": "3/m"}}

    assert ratelimit.limits_for("booking") == {"account": Rate(10, 60), "ip": None}
    assert ratelimit.limits_for("login") == {"account": Rate(3, 60), "ip": Rate(50, 900)}
    assert ratelimit.limits_for("unknown") == {"account": None, "ip": None}


def test_limits_are_off_under_the_test_runner_unless_switched_on(settings):
    del settings.RATE_LIMITS_ENABLED
    settings.TESTING = True
    assert ratelimit.enabled() is False
    settings.TESTING = False
    assert ratelimit.enabled() is True
    settings.RATE_LIMITS_ENABLED = False
    assert ratelimit.enabled() is False


# --- Counting ---------------------------------------------------------------------------------


def test_the_account_limit_refuses_past_the_count_until_the_window_turns(limits):
    limits.RATE_LIMITS = {"booking": {"account": "3/m", "ip": None}}
    with clock.frozen(START + dt.timedelta(seconds=15)):
        for _ in range(3):
            rate_limit_check(scope="booking", account=1, ip="198.51.100.1")
        with pytest.raises(RateLimited) as refused:
            rate_limit_check(scope="booking", account=1, ip="198.51.100.1")
        # Somebody else is not affected.
        rate_limit_check(scope="booking", account=2, ip="198.51.100.1")

    assert refused.value.retry_after == 45
    assert refused.value.code == "rate_limited"
    assert refused.value.text == (
        "Слишком много попыток подряд. Подождите 45 с и попробуйте снова."
    )
    with clock.frozen(START + dt.timedelta(seconds=60)):
        rate_limit_check(scope="booking", account=1, ip="198.51.100.1")


def test_the_ip_limit_counts_every_account_from_one_address(limits):
    limits.RATE_LIMITS = {"signup": {"account": None, "ip": "2/h"}}
    with clock.frozen(START + dt.timedelta(minutes=10)):
        rate_limit_check(scope="signup", account="a", ip="198.51.100.1")
        rate_limit_check(scope="signup", account="b", ip="198.51.100.1")
        with pytest.raises(RateLimited) as refused:
            rate_limit_check(scope="signup", account="c", ip="198.51.100.1")
        rate_limit_check(scope="signup", account="c", ip="198.51.100.2")

    assert refused.value.retry_after == 50 * 60
    assert "Подождите 50 мин" in refused.value.text


def test_scopes_count_apart_and_missing_identities_are_not_counted(limits):
    limits.RATE_LIMITS = {"booking": {"account": "1/m", "ip": "1/m"}}
    with clock.frozen(START):
        rate_limit_check(scope="booking", account=7, ip="198.51.100.1")
        rate_limit_check(scope="lottery_apply", account=7, ip="198.51.100.1")
        for _ in range(5):
            rate_limit_check(scope="booking", account=None, ip=None)
        with pytest.raises(RateLimited):
            rate_limit_check(scope="booking", account=7, ip=None)


def test_switched_off_limits_never_refuse(limits):
    limits.RATE_LIMITS = {"booking": {"account": "1/m"}}
    limits.RATE_LIMITS_ENABLED = False
    for _ in range(5):
        rate_limit_check(scope="booking", account=1, ip="198.51.100.1")


def test_cache_keys_hold_no_personal_data(limits):
    with clock.frozen(START):
        rate_limit_check(scope="login", account="email:maria@example.test", ip="198.51.100.77")
    keys = list(caches["default"]._cache)  # LocMemCache's own store
    assert len(keys) == 2
    assert not [k for k in keys if "maria" in k or "198.51" in k]


def test_an_expired_counter_starts_a_new_window(limits, monkeypatch):
    """``incr`` failing after ``add`` lost the race (the key expired in between) still counts."""
    cache = caches["default"]
    calls = []

    def flaky_incr(key, delta=1, version=None):
        calls.append(key)
        raise ValueError("missing")

    monkeypatch.setattr(cache, "incr", flaky_incr)
    monkeypatch.setattr(cache, "add", lambda *a, **k: False)
    assert ratelimit._count("rl:test", 60) == 1
    assert len(calls) == 2
    monkeypatch.undo()
    assert cache.get("rl:test") == 1


# --- The accounts forms -----------------------------------------------------------------------


def _assert_429_page(response, seconds: int) -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == str(seconds)
    body = response.content.decode()
    assert "<h1>Слишком много попыток</h1>" in body
    assert f"Подождите {seconds} с и попробуйте снова." in body


@pytest.mark.django_db
def test_login_is_limited_per_account_and_per_address(client, limits):
    limits.RATE_LIMITS = {"login": {"account": "2/m", "ip": "4/m"}}
    user = make_user(email="maria@example.test")
    url = reverse("accounts:login")
    wrong = {"email": "Maria@Example.test ", "password": "wrong-password"}
    with clock.frozen(START + dt.timedelta(seconds=20)):
        assert client.post(url, wrong, REMOTE_ADDR="198.51.100.1").status_code == 200
        assert client.post(url, wrong, REMOTE_ADDR="198.51.100.2").status_code == 200
        # The third try at this account is refused, even with the right password.
        right = {"email": user.email, "password": PASSWORD}
        _assert_429_page(client.post(url, right, REMOTE_ADDR="198.51.100.3"), 40)
        assert "_auth_user_id" not in client.session
        # Another account from the first address is still let in...
        other = make_user()
        ok = client.post(url, {"email": other.email, "password": PASSWORD}, REMOTE_ADDR="1.1.1.1")
        assert ok.status_code == 302
        # ...and reading the form is never counted.
        for _ in range(5):
            assert client.get(url, REMOTE_ADDR="198.51.100.1").status_code == 200
    with clock.frozen(START + dt.timedelta(seconds=61)):
        response = client.post(
            url, {"email": user.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.3"
        )
        assert response.status_code == 302


@pytest.mark.django_db
def test_login_addresses_are_limited_across_accounts(client, limits):
    limits.RATE_LIMITS = {"login": {"account": None, "ip": "3/15m"}}
    url = reverse("accounts:login")
    with clock.frozen(START + dt.timedelta(minutes=5)):
        for n in range(3):
            data = {"email": f"guess{n}@example.test", "password": "x"}
            assert client.post(url, data, REMOTE_ADDR="203.0.113.9").status_code == 200
        response = client.post(
            url, {"email": "g@example.test", "password": "x"}, REMOTE_ADDR="203.0.113.9"
        )
    assert response.status_code == 429
    assert response["Retry-After"] == str(10 * 60)
    assert "Подождите 10 мин" in response.content.decode()


@pytest.mark.django_db
def test_signup_is_limited_per_address(client, limits):
    limits.RATE_LIMITS = {"signup": {"ip": "2/h"}}
    url = reverse("accounts:signup")
    with clock.frozen(START + dt.timedelta(minutes=59, seconds=30)):
        for n in range(2):
            data = {"email": f"new{n}@example.test", "first_name": "Иван"}  # incomplete form
            assert client.post(url, data, REMOTE_ADDR="203.0.113.5").status_code == 200
        response = client.post(url, {"email": "new9@example.test"}, REMOTE_ADDR="203.0.113.5")
    _assert_429_page(response, 30)
    assert not User.objects.filter(email__startswith="new").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accounts:password_reset", "accounts:confirm_resend"])
def test_mail_sending_forms_are_limited_per_address_typed(client, limits, name, mailoutbox):
    limits.RATE_LIMITS = {name.split(":")[1]: {"account": "2/h", "ip": None}}
    make_user(email="maria@example.test", confirmed=False)
    url = reverse(name)
    with clock.frozen(START + dt.timedelta(minutes=59, seconds=50)):
        for _ in range(2):
            assert client.post(url, {"email": "maria@example.test"}).status_code == 302
        sent = len(mailoutbox)
        _assert_429_page(client.post(url, {"email": "MARIA@example.test"}), 10)
        assert len(mailoutbox) == sent
        assert client.post(url, {"email": "other@example.test"}).status_code == 302
