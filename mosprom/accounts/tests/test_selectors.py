"""Permission rules inside the reads (selectors.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mosprom.accounts import selectors
from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db

ALL = {r.value for r in Role}
BASIC = {Role.VISITOR.value, Role.HOST.value}


@pytest.mark.parametrize(
    ("viewer_role", "target_role", "allowed"),
    [
        (Role.VISITOR, Role.VISITOR, set()),
        (Role.HOST, Role.VISITOR, set()),
        (Role.ORGANISER, Role.VISITOR, BASIC),
        (Role.ORGANISER, Role.HOST, BASIC),
        (Role.ORGANISER, Role.ORGANISER, set()),
        (Role.ORGANISER, Role.ADMIN, set()),
        (Role.ADMIN, Role.VISITOR, ALL),
        (Role.ADMIN, Role.ORGANISER, ALL),
        (Role.ADMIN, Role.ADMIN, ALL),
    ],
)
def test_role_choices(viewer_role, target_role, allowed):
    viewer, target = make_user(role=viewer_role), make_user(role=target_role)
    choices = selectors.role_choices_for(viewer=viewer, user=target)
    assert {value for value, _ in choices} == allowed


def test_no_role_choices_for_oneself():
    admin = make_user(role=Role.ADMIN)
    assert selectors.role_choices_for(viewer=admin, user=admin) == []


def test_inactive_organiser_is_not_an_organiser():
    viewer = make_user(role=Role.ORGANISER, is_active=False)
    with pytest.raises(PermissionDenied):
        selectors.user_list_for(viewer=viewer)


@pytest.mark.parametrize("role", [Role.VISITOR, Role.HOST])
def test_reads_refuse_non_organisers(role):
    viewer, other = make_user(role=role), make_user()
    with pytest.raises(PermissionDenied):
        selectors.user_list_for(viewer=viewer)
    with pytest.raises(PermissionDenied):
        selectors.user_get_for(viewer=viewer, pk=other.pk)
    with pytest.raises(PermissionDenied):
        selectors.audit_events_for(viewer=viewer)


def test_user_get_for_missing_is_404():
    with pytest.raises(Http404):
        selectors.user_get_for(viewer=make_user(role=Role.ORGANISER), pk=10**9)


def test_visitors_read_no_tokens():
    with pytest.raises(PermissionDenied):
        selectors.api_tokens_of(user=make_user())
