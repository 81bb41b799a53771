"""Where to send someone after a form: only ever back into this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, url: str | None) -> str:
    """``url`` if it points back into this site, else an empty string."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def requested_next(request: HttpRequest) -> str:
    """The safe ``next`` of a POST body or of the query string."""
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))
