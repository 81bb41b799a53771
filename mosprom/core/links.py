"""Absolute links to the public site, for mail, calendar files and anything read off-site."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` on the public site (settings.SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path
