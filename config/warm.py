"""What an app server's worker loads before it serves its first request."""

from django.urls import get_resolver


def warm_up() -> None:
    """Import the URLconf and with it every view, API router and schema (ninja builds its
    pydantic models at import): seconds of CPU per worker that would otherwise fall on the
    first requests, all at once in a rush."""
    get_resolver().url_patterns  # noqa: B018 — the property imports the modules
