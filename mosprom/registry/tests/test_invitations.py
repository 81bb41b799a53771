"""Host invitations: the organiser's page, the mail, acceptance (invitations.py, views_hosts.py)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from mosprom.accounts.models import AuditAction, AuditEvent, Role
from mosprom.accounts.tests.factories import PASSWORD, make_user
from mosprom.registry import invitations
from mosprom.registry.models import HostInvitation, Membership
from mosprom.registry.tests.factories import make_enterprise

pytestmark = pytest.mark.django_db

LIST = reverse("registry:invitation_list")


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER)


@pytest.fixture
def enterprise():
    return make_enterprise(short_name="Завод «Прибор»")


def accept_path(invitation: HostInvitation) -> str:
    return reverse("registry:invitation_accept", args=[invitation.token])


def invite(organiser, enterprise, email="new.host@example.test") -> HostInvitation:
    return invitations.host_invitation_create(
        actor=organiser, email=email, enterprise=enterprise, ip_address=None
    )


def test_invitation_flow_end_to_end(
    client, organiser, enterprise, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            LIST, {"email": "New.Host@Example.test", "enterprise": enterprise.pk}
        )
    assert response["Location"] == LIST
    invitation = HostInvitation.objects.get()
    assert (invitation.email, invitation.enterprise, invitation.invited_by) == (
        "new.host@example.test",
        enterprise,
        organiser,
    )
    invited = AuditEvent.objects.get(action=AuditAction.HOST_INVITED)
    assert invited.actor == organiser
    assert invited.details["enterprise_id"] == enterprise.pk

    (message,) = mail.outbox
    assert message.to == ["new.host@example.test"]
    assert "Завод «Прибор»" in message.subject
    (link,) = re.findall(rf"{re.escape(settings.SITE_URL)}(/\S*/join/\S+)", message.body)
    assert link == accept_path(invitation)

    # Not logged in: asked to log in or sign up, and to come back here.
    client.logout()
    page = client.get(link).content.decode()
    assert f"next={link.replace('/', '%2F')}" in page
    assert "email=new.host%40example.test" in page

    host = make_user(email="new.host@example.test")
    login = client.post(
        reverse("accounts:login"), {"email": host.email, "password": PASSWORD, "next": link}
    )
    assert login["Location"] == link
    assert "Принять приглашение" in client.get(link).content.decode()
    assert not Membership.objects.exists()  # a GET changes nothing

    response = client.post(link)
    assert response["Location"] == reverse("accounts:profile")
    membership = Membership.objects.get()
    assert (membership.user, membership.enterprise, membership.invited_by) == (
        host,
        enterprise,
        organiser,
    )
    host.refresh_from_db()
    assert host.role == Role.HOST
    invitation.refresh_from_db()
    assert invitation.accepted_by == host and invitation.accepted_at is not None
    joined = AuditEvent.objects.get(action=AuditAction.HOST_JOINED)
    assert joined.actor == host
    role = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
    assert role.details["old"] == "visitor" and role.details["new"] == "host"

    # The enterprise shows up on the profile; the link now says it was used.
    assert "Завод «Прибор»" in client.get(reverse("accounts:profile")).content.decode()
    again = client.get(link)
    assert again.status_code == 410
    assert "Вы уже представляете" in again.content.decode()


def test_wrong_email_is_refused(client, organiser, enterprise):
    invitation = invite(organiser, enterprise, email="right@example.test")
    intruder = make_user(email="wrong@example.test")
    client.force_login(intruder)
    page = client.get(accept_path(invitation))
    assert page.status_code == 403
    assert "r***@example.test" in page.content.decode()
    assert client.post(accept_path(invitation)).status_code == 403
    assert not Membership.objects.exists()
    intruder.refresh_from_db()
    assert intruder.role == Role.VISITOR
    with pytest.raises(invitations.InvitationError) as error:
        invitations.host_invitation_accept(invitation=invitation, user=intruder, ip_address=None)
    assert error.value.code == "wrong_email"


def test_unconfirmed_address_must_be_confirmed_first(client, organiser, enterprise):
    invitation = invite(organiser, enterprise, email="fresh@example.test")
    client.force_login(make_user(email="fresh@example.test", confirmed=False))
    page = client.get(accept_path(invitation)).content.decode()
    assert "подтвердите свой e-mail" in page
    assert reverse("accounts:confirm_resend") in page
    client.post(accept_path(invitation))
    assert not Membership.objects.exists()


def test_unknown_token_gives_a_clear_page(client):
    response = client.get(reverse("registry:invitation_accept", args=[uuid.uuid4()]))
    assert response.status_code == 404
    assert "Приглашение не найдено" in response.content.decode()


def test_accepted_invitation_cannot_be_used_by_someone_else(client, organiser, enterprise):
    invitation = invite(organiser, enterprise, email="first@example.test")
    first = make_user(email="first@example.test")
    invitations.host_invitation_accept(invitation=invitation, user=first, ip_address=None)
    client.force_login(make_user(role=Role.ORGANISER))
    response = client.post(accept_path(invitation))
    assert response.status_code == 410
    assert "Приглашение уже принято" in response.content.decode()
    assert Membership.objects.count() == 1
    with pytest.raises(invitations.InvitationError) as error:
        invitations.host_invitation_accept(invitation=invitation, user=first, ip_address=None)
    assert error.value.code == "accepted"


def test_organiser_keeps_their_role_when_joining(organiser, enterprise):
    other_organiser = make_user(role=Role.ORGANISER, email="staff@example.test")
    invitation = invite(organiser, enterprise, email="staff@example.test")
    invitations.host_invitation_accept(invitation=invitation, user=other_organiser, ip_address=None)
    other_organiser.refresh_from_db()
    assert other_organiser.role == Role.ORGANISER
    assert Membership.objects.filter(user=other_organiser, enterprise=enterprise).exists()


def test_pending_invitation_is_sent_again_not_duplicated(
    organiser, enterprise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = invite(organiser, enterprise)
        second = invite(organiser, enterprise, email="NEW.HOST@example.test")
    assert first.pk == second.pk
    assert len(mail.outbox) == 2
    assert mail.outbox[0].body == mail.outbox[1].body
    resent = AuditEvent.objects.filter(action=AuditAction.HOST_INVITED).order_by("id")
    assert [e.details["resent"] for e in resent] == [False, True]


def test_inviting_an_existing_member_is_an_error(client, organiser, enterprise):
    member = make_user(email="member@example.test", role=Role.HOST)
    Membership.objects.create(user=member, enterprise=enterprise)
    client.force_login(organiser)
    response = client.post(LIST, {"email": "member@example.test", "enterprise": enterprise.pk})
    assert response.status_code == 200
    assert "уже представляет это предприятие" in response.content.decode()
    assert not HostInvitation.objects.exists()


def test_form_errors_keep_what_was_typed(client, organiser):
    client.force_login(organiser)
    response = client.post(LIST, {"email": "someone@example.test", "enterprise": ""})
    body = response.content.decode()
    assert "Выберите предприятие из списка" in body
    assert 'value="someone@example.test"' in body


@pytest.mark.parametrize("role", [Role.VISITOR, Role.HOST])
def test_only_organisers_invite(client, enterprise, role):
    client.force_login(make_user(role=role))
    assert client.get(LIST).status_code == 403
    response = client.post(LIST, {"email": "x@example.test", "enterprise": enterprise.pk})
    assert response.status_code == 403
    assert not HostInvitation.objects.exists()


def test_enterprise_search_narrows_the_choices(client, organiser, enterprise):
    make_enterprise(short_name="Кондитерская фабрика")
    client.force_login(organiser)
    response = client.get(
        LIST, {"enterprise_q": "Прибор"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="enterprise-field"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="enterprise-field"')
    assert "Завод «Прибор»" in body
    assert "Кондитерская фабрика" not in body
    nothing = client.get(LIST, {"enterprise_q": "несуществующее"}).content.decode()
    assert "Ничего не нашлось" in nothing


def test_list_masks_emails_and_counts_queries(
    client, organiser, enterprise, django_assert_max_num_queries
):
    for n in range(30):
        invite(organiser, enterprise, email=f"person{n}@example.test")
    for n in range(25):
        user = make_user(email=f"member{n}@example.test", role=Role.HOST)
        Membership.objects.create(user=user, enterprise=enterprise, invited_by=organiser)
    client.force_login(organiser)
    with django_assert_max_num_queries(9):
        response = client.get(LIST)
    body = response.content.decode()
    assert "p***@example.test" in body
    assert "person0@example.test" not in body
    assert "m***@example.test" in body
    assert len(response.context["invitations"].object_list) == 20
    assert len(response.context["members"].object_list) == 20
