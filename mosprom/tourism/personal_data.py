"""Passport details of participants: stored encrypted, shown masked, revealed only to the
session's hosts and organisers (each reveal audited), purged after the retention period."""

from __future__ import annotations

import re

from django.db import transaction

from mosprom.accounts.audit import audit_record
from mosprom.accounts.models import AuditAction
from mosprom.core import clock, crypto
from mosprom.registry.selectors import user_can_manage_enterprise
from mosprom.tourism import errors
from mosprom.tourism.models import Participant, Session

_SEPARATORS = re.compile(r"[\s\-№]+")


def passport_normalise(text: str) -> str:
    """The 10 digits of a Russian passport's series and number ("45 06 123456"); ValueError
    for anything else."""
    digits = _SEPARATORS.sub("", text or "")
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        raise ValueError("a passport series and number is 10 digits")
    return digits


def passport_format(digits: str) -> str:
    """``4506123456`` as people write it: ``45 06 123456``."""
    return f"{digits[:2]} {digits[2:4]} {digits[4:]}" if len(digits) == 10 else digits


def passport_mask(digits: str) -> str:
    """What may be shown to anyone allowed to see the list: ``45 ** ****56``."""
    if len(digits) != 10:
        return "** ** ******" if digits else ""
    return f"{digits[:2]} ** ****{digits[-2:]}"


def passport_encrypt(digits: str) -> str:
    """Ciphertext for ``Participant.passport_encrypted`` (empty stays empty)."""
    return crypto.encrypt(digits)


def person_rows(model, people, **parent) -> list:
    """Unsaved rows of ``model`` — a booking's participants or a lottery application's — for
    the checked ``people``, in order (the first is the booker), passports encrypted;
    ``parent`` names the row they belong to (``booking=…``, ``application=…``)."""
    return [
        model(
            **parent,
            position=position,
            full_name=person.full_name,
            birth_date=person.birth_date,
            passport_encrypted=passport_encrypt(person.passport_digits),
        )
        for position, person in enumerate(people)
    ]


def participant_passport_masked(participant: Participant) -> str:
    """The masked passport of ``participant``, or "" when none is stored (or it was purged)."""
    if not participant.passport_encrypted:
        return ""
    return passport_mask(crypto.decrypt(participant.passport_encrypted))


def participant_passport_reveal(*, participant: Participant, viewer, ip_address: str | None) -> str:
    """The full passport series and number, for the session's hosts and organisers only; each
    reveal is written to the audit log. "" when nothing is stored (or it was purged)."""
    session = participant.booking.session
    if not user_can_manage_enterprise(user=viewer, enterprise=session.experience.enterprise):
        raise errors.Forbidden()
    if not participant.passport_encrypted:
        return ""
    digits = crypto.decrypt(participant.passport_encrypted)
    audit_record(
        action=AuditAction.PD_REVEALED,
        actor=viewer,
        target=participant,
        ip_address=ip_address,
        details={
            "what": "passport",
            "booking": participant.booking.code,
            "session": session.pk,
        },
    )
    return passport_format(digits)


def passports_purge(*, session: Session) -> int:
    """Erase every stored passport of the session's participants; returns how many."""
    with transaction.atomic():
        return (
            Participant.objects.filter(booking__session=session, passport_purged_at__isnull=True)
            .exclude(passport_encrypted="")
            .update(passport_encrypted="", passport_purged_at=clock.now())
        )
