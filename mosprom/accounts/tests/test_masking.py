"""Masked personal data (masking.py)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from mosprom.accounts.masking import mask_email, mask_phone


def test_mask_email():
    assert mask_email("ivan@example.test") == "i***@example.test"
    assert mask_email("a@b.c") == "a***@b.c"
    assert mask_email("") == ""


def test_mask_phone():
    assert mask_phone("+7 (999) 123-45-67") == "+7 (***) ***-**-67"
    assert mask_phone("89991234567") == "8********67"
    assert mask_phone("") == ""


@given(st.from_regex(r"\+?[0-9][0-9 ()\-]{5,22}[0-9]", fullmatch=True))
def test_masked_phone_keeps_shape_and_hides_the_middle(phone):
    masked = mask_phone(phone)
    assert len(masked) == len(phone)
    assert re.sub(r"[0-9*]", "#", masked) == re.sub(r"[0-9]", "#", phone)
    digits = [c for c in masked if c.isdigit() or c == "*"]
    assert all(c == "*" for c in digits[1:-2])


@given(st.emails())
def test_masked_email_keeps_only_the_first_letter_and_the_domain(email):
    local, _, domain = email.partition("@")
    assert mask_email(email) == f"{local[0]}***@{domain}"
