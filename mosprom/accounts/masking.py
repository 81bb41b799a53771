"""Masked forms of personal data, for lists and pages where the full value is not needed."""

from __future__ import annotations

MASK = "*"


def mask_email(email: str) -> str:
    """``ivan@example.test`` → ``i***@example.test``: the first letter and the domain stay."""
    if not email:
        return ""
    local, sep, domain = email.partition("@")
    if not sep:
        return local[:1] + MASK * 3
    return f"{local[:1]}{MASK * 3}@{domain}"


def mask_phone(phone: str) -> str:
    """``+7 (999) 123-45-67`` → ``+7 (***) ***-**-67``: the first and the last two digits stay."""
    if not phone:
        return ""
    total = sum(ch.isdigit() for ch in phone)
    seen = 0
    out = []
    for ch in phone:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen == 1 or seen > total - 2 else MASK)
        else:
            out.append(ch)
    return "".join(out)
