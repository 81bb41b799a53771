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


def quietly(response):
    """A rule's refusal (``EXPECTED_STATUSES``) marked as logged already, so Django does not
    build the warning at all (the filter above would only drop it afterwards; in the rush that
    was ≈ 5 % of a refusal's CPU). Other answers are returned untouched."""
    if response.status_code in EXPECTED_STATUSES:
        response._has_been_logged = True  # what django.utils.log.log_response checks
    return response
