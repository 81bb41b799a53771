"""Organisers' pages: user list, user detail and roles, revealing personal data, audit log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mosprom.accounts.audit import audit_record
from mosprom.accounts.models import AuditAction, AuditEvent, Role, User
from mosprom.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db

USERS = reverse("accounts:user_list")
AUDIT = reverse("accounts:audit_log")


def detail(user: User) -> str:
    return reverse("accounts:user_detail", args=[user.pk])


def reveal(user: User) -> str:
    return reverse("accounts:user_reveal", args=[user.pk])


@pytest.mark.parametrize(
    "url",
    [
        lambda u: USERS,
        lambda u: detail(u),
        lambda u: AUDIT,
    ],
)
@pytest.mark.parametrize("role", [Role.VISITOR, Role.HOST])
def test_visitors_and_hosts_get_403(client, url, role):
    viewer = make_user(role=role)
    other = make_user()
    client.force_login(viewer)
    assert client.get(url(other)).status_code == 403
    assert client.post(reveal(other)).status_code == 403
    assert client.post(detail(other), {"role": Role.ORGANISER}).status_code == 403
    other.refresh_from_db()
    assert other.role == Role.VISITOR
    assert not AuditEvent.objects.filter(action=AuditAction.PD_REVEALED).exists()


def test_user_list_masks_emails_and_phones(client, organiser):
    make_user(email="ivanov@example.test", phone="+7 (999) 123-45-67")
    client.force_login(organiser)
    body = client.get(USERS).content.decode()
    assert "i***@example.test" in body
    assert "ivanov@example.test" not in body
    assert "+7 (***) ***-**-67" in body
    assert "123-45" not in body


def test_user_list_searches_and_filters_by_role(client, organiser):
    make_user(email="tokar@example.test", last_name="Токарев")
    make_user(email="slesar@example.test", last_name="Слесарев", role=Role.HOST)
    client.force_login(organiser)

    found = client.get(USERS, {"q": "tokar"}).context["page_obj"].object_list
    assert [u.email for u in found] == ["tokar@example.test"]

    found = client.get(USERS, {"q": "Слесарев"}).context["page_obj"].object_list
    assert [u.email for u in found] == ["slesar@example.test"]

    found = client.get(USERS, {"role": Role.HOST}).context["page_obj"].object_list
    assert [u.email for u in found] == ["slesar@example.test"]

    empty = client.get(USERS, {"q": "nobody-at-all"})
    assert "Никого не нашлось" in empty.content.decode()


def test_user_list_query_count_with_many_users(client, organiser, django_assert_max_num_queries):
    for _ in range(60):
        make_user(phone="+7 495 000-00-00")
    client.force_login(organiser)
    with django_assert_max_num_queries(5):
        response = client.get(USERS, {"page": 2})
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 25
    assert "Страница 2 из 3" in response.content.decode()


def test_reveal_shows_full_data_and_is_audited(client, organiser):
    person = make_user(email="petrova@example.test", phone="+7 916 555-44-33")
    client.force_login(organiser)

    page = client.get(detail(person)).content.decode()
    assert "p***@example.test" in page
    assert "petrova@example.test" not in page
    assert not AuditEvent.objects.filter(action=AuditAction.PD_REVEALED).exists()

    assert client.get(reveal(person)).status_code == 405
    response = client.post(reveal(person), REMOTE_ADDR="192.0.2.1")
    body = response.content.decode()
    assert "petrova@example.test" in body
    assert "+7 916 555-44-33" in body
    assert "<html" in body  # without htmx, the whole page
    event = AuditEvent.objects.get(action=AuditAction.PD_REVEALED)
    assert (event.actor, event.target_id, event.ip_address) == (
        organiser,
        str(person.pk),
        "192.0.2.1",
    )


def test_reveal_returns_a_fragment_to_htmx(client, organiser):
    person = make_user(email="sidorov@example.test")
    client.force_login(organiser)
    response = client.post(reveal(person), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="personal-data")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="personal-data"')
    assert "sidorov@example.test" in body
    assert "<html" not in body
    assert AuditEvent.objects.filter(action=AuditAction.PD_REVEALED).count() == 1


def test_missing_user_is_404(client, organiser):
    client.force_login(organiser)
    assert client.get(reverse("accounts:user_detail", args=[999_999])).status_code == 404


def test_organiser_sets_host_and_is_audited(client, organiser, visitor):
    client.force_login(organiser)
    response = client.post(detail(visitor), {"role": Role.HOST})
    assert response["Location"] == detail(visitor)
    visitor.refresh_from_db()
    assert visitor.role == Role.HOST
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
    assert event.actor == organiser
    assert event.details == {"old": "visitor", "new": "host"}


def test_organiser_cannot_grant_organiser(client, organiser, visitor):
    client.force_login(organiser)
    page = client.get(detail(visitor)).content.decode()
    assert f'value="{Role.ORGANISER}"' not in page
    response = client.post(detail(visitor), {"role": Role.ORGANISER})
    assert response.status_code == 200
    assert response.context["form"].errors
    visitor.refresh_from_db()
    assert visitor.role == Role.VISITOR
    assert not AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGED).exists()


def test_organiser_cannot_demote_an_administrator(client, organiser, administrator):
    client.force_login(organiser)
    assert "только администратор" in client.get(detail(administrator)).content.decode()
    assert client.post(detail(administrator), {"role": Role.VISITOR}).status_code == 403
    administrator.refresh_from_db()
    assert administrator.role == Role.ADMIN


def test_administrator_grants_organiser(client, administrator, visitor):
    client.force_login(administrator)
    client.post(detail(visitor), {"role": Role.ORGANISER})
    visitor.refresh_from_db()
    assert visitor.role == Role.ORGANISER


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.ADMIN])
def test_nobody_changes_their_own_role(client, role):
    me = make_user(role=role)
    client.force_login(me)
    assert "Свою роль изменить нельзя" in client.get(detail(me)).content.decode()
    assert client.post(detail(me), {"role": Role.VISITOR}).status_code == 403
    me.refresh_from_db()
    assert me.role == role


def test_audit_log_is_for_organisers_only(client, visitor, host, organiser):
    audit_record(action=AuditAction.LOGIN, actor=visitor)
    for user in (visitor, host):
        client.force_login(user)
        assert client.get(AUDIT).status_code == 403
    client.logout()
    assert client.get(AUDIT)["Location"].startswith(reverse("accounts:login"))
    client.force_login(organiser)
    response = client.get(AUDIT)
    assert response.status_code == 200
    assert visitor.email in response.content.decode()


def test_audit_log_filters_newest_first(client, organiser):
    alice = make_user(email="alice@example.test")
    bob = make_user(email="bob@example.test")
    first = audit_record(action=AuditAction.LOGIN, actor=alice)
    audit_record(action=AuditAction.LOGOUT, actor=alice)
    second = audit_record(action=AuditAction.LOGIN, actor=bob)
    client.force_login(organiser)

    events = list(client.get(AUDIT, {"action": "login"}).context["page_obj"].object_list)
    assert events == [second, first]
    events = list(
        client.get(AUDIT, {"action": "login", "actor": "alice"}).context["page_obj"].object_list
    )
    assert events == [first]
    assert (
        "Событий с такими условиями нет" in client.get(AUDIT, {"actor": "nobody"}).content.decode()
    )


def test_audit_log_query_count_with_many_events(client, organiser, django_assert_max_num_queries):
    for n in range(120):
        audit_record(action=AuditAction.LOGIN_FAILED, details={"email": f"guess{n}@example.test"})
    client.force_login(organiser)
    with django_assert_max_num_queries(5):
        response = client.get(AUDIT)
    page = response.context["page_obj"]
    assert len(page.object_list) == 50
    assert page.object_list[0].details == {"email": "guess119@example.test"}
    assert "Страница 1 из 3" in response.content.decode()
