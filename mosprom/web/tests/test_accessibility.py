"""axe-core on every public page (PUBLIC_PAGES) in Chromium at phone width, with demo data."""

from __future__ import annotations

import pytest

from mosprom.accounts.demo import accounts_demo_load
from mosprom.registry.demo import registry_demo_load
from mosprom.web.tests.public_pages import PUBLIC_PAGES


def test_public_pages_are_listed_once():
    names = [name for name, _ in PUBLIC_PAGES]
    assert len(names) == len(set(names))
    assert not any(isinstance(path, str) and path.startswith("/api/") for _, path in PUBLIC_PAGES)


@pytest.mark.browser
@pytest.mark.usefixtures("django_db_serialized_rollback")
@pytest.mark.parametrize(("name", "path"), PUBLIC_PAGES, ids=[name for name, _ in PUBLIC_PAGES])
def test_public_page_is_accessible(
    page, live_server, transactional_db, assert_accessible, name, path
):
    registry_demo_load()
    accounts_demo_load()
    url = live_server.url + (path() if callable(path) else path)
    response = page.goto(url)
    assert response is not None and response.status < 500, f"{name}: HTTP {response.status}"
    assert page.locator("h1").count() == 1, f"{name}: one main heading"
    assert_accessible(page)
