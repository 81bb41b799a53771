"""``manage.py demo_data``: loads the seeds' enterprises and demo accounts, idempotently."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from mosprom.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from mosprom.accounts.models import Consent, Role, User
from mosprom.core.validators import inn_is_valid, ogrn_is_valid
from mosprom.registry.demo import SEED_ENTERPRISES
from mosprom.registry.models import Enterprise, Membership, Product, ProductionSite

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("demo_data", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return (
        Enterprise.objects.count(),
        ProductionSite.objects.count(),
        Product.objects.count(),
        User.objects.count(),
        Consent.objects.count(),
        Membership.objects.count(),
    )


def test_loads_every_seed_enterprise_as_valid_demo_data():
    output = run()
    for seed in SEED_ENTERPRISES:
        enterprise = Enterprise.objects.get(short_name=seed.short_name)
        assert enterprise.is_demo
        assert inn_is_valid(enterprise.inn) and ogrn_is_valid(enterprise.ogrn)
    assert not Enterprise.objects.filter(is_demo=False).exists()
    assert f"{len(SEED_ENTERPRISES)} named enterprises" in output


def test_running_twice_changes_nothing():
    run()
    before = counts()
    password_hash = User.objects.get(email="admin@demo.mosprom.local").password
    run()
    assert counts() == before
    assert User.objects.get(email="admin@demo.mosprom.local").password == password_hash


def test_enterprises_option_adds_that_many_with_unique_inns():
    run()
    before = Enterprise.objects.count()
    run("--enterprises", "300")
    assert Enterprise.objects.count() == before + 300
    assert Enterprise.objects.values("inn").distinct().count() == before + 300
    assert not Enterprise.objects.filter(is_demo=False).exists()
    run("--enterprises", "300")
    assert Enterprise.objects.values("inn").distinct().count() == before + 600


def test_demo_accounts_have_their_roles_confirmed_mail_and_consent():
    run()
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.role == account.role
        assert user.email_confirmed
        assert Consent.objects.filter(user=user).exists()
    admin = User.objects.get(email="admin@demo.mosprom.local")
    assert admin.is_superuser and admin.is_staff and admin.is_admin
    assert User.objects.get(email="organiser@demo.mosprom.local").is_organiser
    visitor = User.objects.get(email="visitor@demo.mosprom.local")
    assert not visitor.is_staff and not visitor.is_organiser


def test_host_is_a_member_of_the_toy_factory_and_mikron():
    run()
    host = User.objects.get(email="host@demo.mosprom.local")
    assert host.is_host
    assert set(host.memberships.values_list("enterprise__short_name", flat=True)) == {
        "Московский комбинат игрушек",
        "Микрон",
    }


@pytest.mark.parametrize("email", [a.email for a in DEMO_ACCOUNTS])
def test_demo_logins_work(client, email):
    run()
    assert client.login(email=email, password=DEMO_PASSWORD)
    assert not client.login(email=email, password="wrong-password")


def test_print_logins_prints_the_table_and_writes_nothing():
    output = run("--print-logins")
    assert counts() == (0, 0, 0, 0, 0, 0)
    for account in DEMO_ACCOUNTS:
        assert account.email in output
        assert str(Role(account.role).label) in output
    assert output.count(DEMO_PASSWORD) == len(DEMO_ACCOUNTS)
    assert "demo-only" in output


def test_negative_count_is_refused():
    with pytest.raises(SystemExit):
        call_command("demo_data", "--enterprises", "-1", stdout=StringIO(), stderr=StringIO())
    assert not Enterprise.objects.exists()
