import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger("django.request")

# The request variables a server defines itself (PEP 3333, CGI). gunicorn takes SCRIPT_NAME from
# its environment for a sub-path install, and a deployment may export SERVER_PORT to template
# the command line: such a value is the request's, even when it equals the process's.
SERVER_DEFINED = frozenset(
    {
        "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "REQUEST_METHOD", "CONTENT_TYPE",
        "CONTENT_LENGTH", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "SERVER_SOFTWARE",
        "GATEWAY_INTERFACE", "REMOTE_ADDR", "REMOTE_HOST", "REMOTE_USER", "AUTH_TYPE", "HTTPS",
    }
)  # fmt: skip


class ServedApplication:
    """Django's WSGI application as the app server should see it.

    **The request's variables without the server process's environment.**

    granian (docs/OPERATIONS.md) starts every request's environ from a copy of its own
    ``os.environ``, as a CGI script would inherit it. Django keeps the environ as
    ``request.META``, so ``DATABASE_URL`` with its password, ``SECRET_KEY`` and the field
    encryption key would sit in every request — and in an error report, whose filter hides
    keys by name (``DATABASE_URL`` is not one it hides). An ``HTTP_PROXY`` variable of the
    process would read as a header the client sent. And ``request.headers`` walks every key:
    with a few dozen inherited variables that is most of its cost on each API call.

    The keys dropped are those that hold, per request, exactly the value the process
    environment had when this application was built (the server copies its environment once,
    after importing this module), except the variables a server defines itself
    (``SERVER_DEFINED``); anything the client sent under another value is kept.

    **A body in one piece.** A response that is not streamed is handed back as a one-item list
    of bytes, closed first (which is what ends the request for Django: ``request_finished``).
    granian sends a list as it is; any other iterable it walks item by item from Rust, each
    item a call into Python and a hand-over of the GIL — per request, on the hot path of a
    rush. Streamed responses (files, exports) still go out piece by piece. A failure while
    closing is logged, as the server would log it, and the answer still goes out."""

    def __init__(self, app):
        self.app = app
        self.inherited = tuple(
            (key, value) for key, value in os.environ.items() if key not in SERVER_DEFINED
        )

    def __call__(self, environ, start_response):
        for key, value in self.inherited:
            if environ.get(key) == value:
                del environ[key]
        response = self.app(environ, start_response)
        if getattr(response, "streaming", True):
            return response
        body = response.content
        try:
            response.close()
        except Exception:
            logger.exception("Closing the response to %s failed", environ.get("PATH_INFO"))
        return [body]


application = ServedApplication(get_wsgi_application())

# Import the URLconf (every view and API module) now, while the worker boots, not in the
# first request it serves: in a registration rush each worker's first request would
# otherwise spend seconds importing (docs/PERFORMANCE.md).
from config.warm import warm_up  # noqa: E402

warm_up()
