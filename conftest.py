"""Fixtures shared by every context's tests: real SMTP, Chromium, accessibility checks.

Per-app factories live in ``mosprom/<context>/tests/factories.py``.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.db import connection

# Playwright's sync API keeps an event loop in the test thread; the ORM calls made by the
# tests next to it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests when the suite runs on SQLite (``make test`` uses PostgreSQL)."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (make test starts one)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- Mail through a real SMTP server on loopback ---------------------------------------------


class SmtpInbox:
    """Messages received by the loopback SMTP server, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._cond = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        msg = message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        with self._cond:
            self.messages.append(msg)
            self._cond.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} mail(s), got {len(self.messages)}")
                self._cond.wait(left)
            return list(self.messages)

    @staticmethod
    def text_of(msg: EmailMessage) -> str:
        part = msg.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1; Django's mail goes to it for the test."""
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    try:
        yield inbox
    finally:
        controller.stop()


# --- Chromium through Playwright -----------------------------------------------------------


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs it")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def chromium(_playwright):
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def page(chromium, request):
    """A fresh phone-sized browser context in Russian; a screenshot is kept when the test fails."""
    context = chromium.new_context(
        locale="ru-RU", viewport={"width": 412, "height": 900}, timezone_id="Europe/Moscow"
    )
    context.set_default_timeout(10_000)
    pg = context.new_page()
    yield pg
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page and return the violations of the given impact levels."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in impacts]


@pytest.fixture
def assert_accessible():
    """Call with a loaded page: fails listing every serious or critical axe-core finding."""

    def check(page) -> None:
        found = axe_violations(page)
        detail = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] if n["target"] else "" for n in v["nodes"][:5])
            for v in found
        )
        assert not found, f"axe-core findings on {page.url}:\n{detail}"

    return check


# --- Reference data after flushes ------------------------------------------------------------


def _load_reference_data() -> None:
    """Re-create what the data migrations load (industries, the SEZ, the consent text).

    A transactional test ends with a flush that empties every table, migration data included;
    pytest-django runs transactional tests after the others, so each one reloads it first.
    """
    import importlib

    from django.apps import apps

    for module, functions in (
        (
            "mosprom.registry.migrations.0002_industries_and_search",
            ("load_industries", "load_zone"),
        ),
        ("mosprom.accounts.migrations.0002_consent_v1", ("create_v1",)),
    ):
        migration = importlib.import_module(module)
        for name in functions:
            getattr(migration, name)(apps, None)


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("_django_db_helper")
        if "transactional_db" in request.fixturenames:
            request.getfixturevalue("transactional_db")
        _load_reference_data()
    yield


@pytest.fixture
def keep_the_test_connection():
    """For tests that call the WSGI app directly (schemathesis), not through Django's test
    client: do what the client does and stop the request signals from closing the connection
    that holds the test's transaction (PostgreSQL would lose it; SQLite's in-memory database
    ignores the close)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _private_files_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploaded private documents (export applications) never land in the working tree's
    var/private during tests."""
    location = tmp_path_factory.getbasetemp() / "private-storage"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
