"""Small fixtures for the accounts tests: one user per role, and following mailed links."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user


@pytest.fixture
def visitor(db):
    return make_user(role=Role.VISITOR)


@pytest.fixture
def host(db):
    return make_user(role=Role.HOST)


@pytest.fixture
def organiser(db):
    return make_user(role=Role.ORGANISER)


@pytest.fixture
def administrator(db):
    return make_user(role=Role.ADMIN)


def link_in(text: str, fragment: str) -> str:
    """The one site link in ``text`` whose path contains ``fragment``, as a path for the client."""
    links = re.findall(rf"{re.escape(settings.SITE_URL)}(\S*{re.escape(fragment)}\S*)", text)
    assert len(links) == 1, text
    return links[0]
