"""What the app server runs: warmed workers, database options, quiet expected refusals."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from mosprom.accounts.tests.factories import make_user
from mosprom.accounts.tokens import api_token_create
from mosprom.core.logs import SkipExpectedRefusals
from mosprom.tourism.tests.factories import make_booking, make_session


def test_a_worker_has_imported_every_api_module_before_its_first_request():
    code = (
        "import sys, config.wsgi; "
        "missing = [m for m in ('config.api', 'mosprom.tourism.api', 'mosprom.web.urls') "
        "if m not in sys.modules]; print(missing)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"


def _record(status: int) -> logging.LogRecord:
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "x", (), None)
    record.status_code = status
    return record


def test_rule_refusals_are_not_logged_other_client_errors_are():
    keep = SkipExpectedRefusals()
    assert not keep.filter(_record(409))
    assert not keep.filter(_record(429))
    assert keep.filter(_record(404)) and keep.filter(_record(400)) and keep.filter(_record(500))
    names = [type(f).__name__ for f in logging.getLogger("django.request").filters]
    assert "SkipExpectedRefusals" in names


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_runs_with_prepared_statements_as_in_production():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["server_side_binding"] is True and options["prepare_threshold"] >= 1
    assert connection.connection is None or connection.connection.prepare_threshold >= 1


@pytest.mark.django_db
def test_a_refusal_by_rule_makes_no_log_record_at_all_a_fault_still_does(client, caplog):
    session = make_session(capacity=1)
    make_booking(session=session)
    _, key = api_token_create(user=make_user(), name="test")
    headers = {"Authorization": f"Bearer {key}"}
    body = json.dumps({"participants": [{"full_name": "Иванов Иван Иванович"}]})
    url = f"/api/v1/tourism/sessions/{session.pk}/bookings"
    request_log = logging.getLogger("django.request")
    filters = list(request_log.filters)
    for one in filters:  # without the filter: only the answer's own mark keeps it quiet
        request_log.removeFilter(one)
    try:
        with caplog.at_level(logging.WARNING, logger="django.request"):
            sold_out = client.post(url, body, content_type="application/json", headers=headers)
            missing = client.post(
                "/api/v1/tourism/sessions/999999/bookings",
                body,
                content_type="application/json",
                headers=headers,
            )
    finally:
        for one in filters:
            request_log.addFilter(one)
    assert sold_out.status_code == 409 and missing.status_code == 404
    logged = [r.status_code for r in caplog.records if r.name == "django.request"]
    assert logged == [404]  # the refusal was never even formatted; the 404 still is


def _granian_environ(**request) -> dict:
    """What granian hands the app: its process environment, then the request's variables."""
    import io
    import os

    return dict(os.environ) | {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/api/v1/tourism/sessions",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        **request,
    }


def test_requests_do_not_carry_the_server_processs_environment(monkeypatch):
    from config.wsgi import ServedApplication

    monkeypatch.setenv("DATABASE_URL", "postgres://app:s3cret@db/mosprom")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("HTTP_X_REQUEST_ID", "from-the-process")
    # Set for the server (a sub-path install, a templated port): the request's own variables.
    monkeypatch.setenv("SCRIPT_NAME", "/mosprom")
    monkeypatch.setenv("SERVER_PORT", "8000")
    seen = {}
    answer = [b""]

    def app(environ, start_response):
        seen.update(environ)
        return answer

    wrapped = ServedApplication(app)
    environ = _granian_environ(
        HTTP_AUTHORIZATION="Bearer mp_x", HTTP_X_REQUEST_ID="abc", SCRIPT_NAME="/mosprom"
    )
    assert wrapped(environ, None) is answer  # not a response object: handed on as it is

    assert "DATABASE_URL" not in seen and "PATH" not in seen
    # A process variable named like a header is not a header the client sent…
    assert "HTTP_PROXY" not in seen
    # …but what the client did send stays, even under a name the process environment has.
    assert seen["HTTP_X_REQUEST_ID"] == "abc"
    assert seen["HTTP_AUTHORIZATION"] == "Bearer mp_x"
    assert seen["REQUEST_METHOD"] == "GET" and seen["REMOTE_ADDR"] == "127.0.0.1"
    assert "wsgi.input" in seen and seen["wsgi.url_scheme"] == "http"
    assert seen["SCRIPT_NAME"] == "/mosprom" and seen["SERVER_PORT"] == "8000"


@pytest.mark.usefixtures("keep_the_test_connection")
def test_the_served_application_hands_django_only_the_request(monkeypatch):
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_started

    import config.wsgi

    assert isinstance(config.wsgi.application, config.wsgi.ServedApplication)
    assert isinstance(config.wsgi.application.app, WSGIHandler)
    monkeypatch.setenv("MOSPROM_TEST_SECRET", "do-not-leak")
    monkeypatch.setenv("SECRET_KEY", "not-the-settings-one-but-still-secret")
    served = config.wsgi.ServedApplication(config.wsgi.application.app)
    metas = []

    def keep(sender, environ, **kwargs):
        metas.append(dict(environ))

    request_started.connect(keep)
    try:
        statuses = []
        # The API's schema: no database in the way of this test.
        environ = _granian_environ(PATH_INFO="/api/v1/openapi.json")
        body = served(environ, lambda status, headers, *a: statuses.append(status))
        assert isinstance(body, list) and body[0].startswith(b"{")  # closed by the wrapper
    finally:
        request_started.disconnect(keep)
    assert statuses == ["200 OK"]
    assert "MOSPROM_TEST_SECRET" not in metas[0] and "SECRET_KEY" not in metas[0]
    assert metas[0]["PATH_INFO"] == "/api/v1/openapi.json"


@pytest.mark.usefixtures("keep_the_test_connection")
def test_a_plain_response_goes_back_in_one_piece_closed_a_streamed_one_as_it_is():
    from django.core.signals import request_finished
    from django.http import HttpResponse, StreamingHttpResponse

    from config.wsgi import ServedApplication

    finished = []

    def count(sender, **kwargs):
        finished.append(sender)

    plain = HttpResponse(b'{"id": 1}', content_type="application/json")
    streamed = StreamingHttpResponse(iter([b"a", b"b"]))
    request_finished.connect(count)
    try:
        body = ServedApplication(lambda environ, start: plain)(_granian_environ(), None)
        assert body == [b'{"id": 1}']
        assert plain.closed and len(finished) == 1  # Django's end of the request has run

        body = ServedApplication(lambda environ, start: streamed)(_granian_environ(), None)
        assert body is streamed and not streamed.closed  # the server closes it when sent
        assert b"".join(body) == b"ab"
    finally:
        request_finished.disconnect(count)


@pytest.mark.usefixtures("keep_the_test_connection")
def test_a_failure_while_closing_is_logged_and_the_answer_still_goes_out(caplog):
    from django.core.signals import request_finished
    from django.http import HttpResponse

    from config.wsgi import ServedApplication

    def broken(sender, **kwargs):
        raise RuntimeError("the connection could not be closed")

    request_finished.connect(broken)
    try:
        with caplog.at_level(logging.ERROR, logger="django.request"):
            body = ServedApplication(lambda environ, start: HttpResponse(b"201 body"))(
                _granian_environ(PATH_INFO="/api/v1/x"), None
            )
    finally:
        request_finished.disconnect(broken)
    assert body == [b"201 body"]
    assert [r.getMessage() for r in caplog.records] == ["Closing the response to /api/v1/x failed"]


def test_granian_serves_the_application(tmp_path):
    """The recommended server (docs/OPERATIONS.md) in front of config.wsgi, on loopback: the
    body handed over in one piece arrives whole, with its length."""
    import http.client
    import os
    import socket
    import time
    from pathlib import Path

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    granian = Path(sys.executable).with_name("granian")
    server = subprocess.Popen(
        [
            str(granian),
            "--interface",
            "wsgi",
            "config.wsgi:application",
            "--workers",
            "1",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-ws",
            "--log-level",
            "warning",
        ],
        env=os.environ | {"MOSPROM_VAR_DIR": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )

    def get(path: str) -> tuple[int, str | None, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", path)
            answer = conn.getresponse()
            return answer.status, answer.headers["Content-Length"], answer.read()
        finally:
            conn.close()

    try:
        for _ in range(150):
            try:
                status, length, body = get("/api/v1/openapi.json")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.2)
        else:
            pytest.fail("granian did not answer")
        assert status == 200 and int(length) == len(body)
        assert json.loads(body)["openapi"].startswith("3.")
        status, length, body = get("/api/v1/no-such-thing")
        assert status == 404 and int(length) == len(body)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
