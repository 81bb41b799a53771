import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


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
    environment had when the first request came (the server copies it then, after importing
    this module); anything the server or the client set is kept.

    **A body in one piece.** A response that is not streamed is handed back as a one-item list
    of bytes, closed first (which is what ends the request for Django: ``request_finished``).
    granian sends a list as it is; any other iterable it walks item by item from Rust, each
    item a call into Python and a hand-over of the GIL — per request, on the hot path of a
    rush. Streamed responses (files, exports) still go out piece by piece."""

    def __init__(self, app):
        self.app = app
        self.inherited: tuple[tuple[str, str], ...] | None = None

    def __call__(self, environ, start_response):
        inherited = self.inherited
        if inherited is None:
            inherited = self.inherited = tuple(os.environ.items())
        for key, value in inherited:
            if environ.get(key) == value:
                del environ[key]
        response = self.app(environ, start_response)
        if getattr(response, "streaming", True):
            return response
        try:
            return [response.content]
        finally:
            response.close()


application = ServedApplication(get_wsgi_application())

# Import the URLconf (every view and API module) now, while the worker boots, not in the
# first request it serves: in a registration rush each worker's first request would
# otherwise spend seconds importing (docs/PERFORMANCE.md).
from config.warm import warm_up  # noqa: E402

warm_up()
