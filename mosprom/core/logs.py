"""Logging filters."""

from __future__ import annotations

import logging

# Answers the programme gives by rule, not faults: "sold out", "already booked", "quota
# reached" (409) and "too many attempts" (429). Django logs every 4xx as a warning; in a
# registration rush that is thousands of lines a minute about nothing.
EXPECTED_STATUSES = frozenset({409, 429})


class SkipExpectedRefusals(logging.Filter):
    """Drop ``django.request`` warnings for answers in ``EXPECTED_STATUSES``."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) not in EXPECTED_STATUSES
