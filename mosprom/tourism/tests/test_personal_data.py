"""Passport details: validated, stored encrypted, masked, revealed only with an audit record."""

from __future__ import annotations

import pytest

from mosprom.accounts.models import AuditAction, AuditEvent, Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import crypto
from mosprom.registry.tests.factories import make_membership
from mosprom.tourism import errors
from mosprom.tourism.models import IdRequirement
from mosprom.tourism.personal_data import (
    participant_passport_masked,
    participant_passport_reveal,
    passport_mask,
    passport_normalise,
    passports_purge,
)
from mosprom.tourism.tests.factories import make_booking, make_experience, make_session


@pytest.mark.parametrize("typed", ["45 06 123456", "4506123456", "45-06 №123456", " 4506 123456 "])
def test_passport_normalise_accepts_the_usual_spellings(typed):
    assert passport_normalise(typed) == "4506123456"


@pytest.mark.parametrize(
    "typed", ["", "45 06 12345", "45 06 1234567", "4A 06 123456", "٤٥٠٦١٢٣٤٥٦"]
)
def test_passport_normalise_refuses_anything_else(typed):
    with pytest.raises(ValueError):
        passport_normalise(typed)


def test_passport_mask_hides_all_but_the_edges():
    assert passport_mask("4506123456") == "45 ** ****56"
    assert passport_mask("") == ""


@pytest.fixture
def participant(db):
    session = make_session(experience=make_experience(id_requirement=IdRequirement.PASSPORT))
    return make_booking(session=session).participants.get()


def test_passport_is_stored_encrypted_and_shown_masked(participant, settings):
    assert "4506123456" not in participant.passport_encrypted
    assert crypto.decrypt(participant.passport_encrypted) == "4506123456"
    assert participant_passport_masked(participant) == "45 ** ****56"
    settings.FIELD_ENCRYPTION_KEY = "A" * 43 + "="  # another key cannot read it
    with pytest.raises(ValueError):
        crypto.decrypt(participant.passport_encrypted)


def test_reveal_is_for_the_sessions_hosts_and_organisers_and_is_audited(participant):
    enterprise = participant.booking.session.experience.enterprise
    other_host = make_user(role=Role.HOST)
    make_membership(other_host, make_experience().enterprise)
    for stranger in (make_user(), participant.booking.user, other_host):
        with pytest.raises(errors.Forbidden):
            participant_passport_reveal(participant=participant, viewer=stranger, ip_address=None)
    assert not AuditEvent.objects.filter(action=AuditAction.PD_REVEALED).exists()

    host = make_user(role=Role.HOST)
    make_membership(host, enterprise)
    organiser = make_user(role=Role.ORGANISER)
    for viewer in (host, organiser):
        shown = participant_passport_reveal(
            participant=participant, viewer=viewer, ip_address="203.0.113.7"
        )
        assert shown == "45 06 123456"
    events = AuditEvent.objects.filter(action=AuditAction.PD_REVEALED).order_by("id")
    assert [e.actor for e in events] == [host, organiser]
    assert events[0].ip_address == "203.0.113.7"
    assert events[0].target_id == str(participant.pk)
    assert events[0].details["booking"] == participant.booking.code


def test_nothing_to_reveal_after_the_purge(participant):
    organiser = make_user(role=Role.ORGANISER)
    assert passports_purge(session=participant.booking.session) == 1
    participant.refresh_from_db()
    assert participant_passport_masked(participant) == ""
    assert (
        participant_passport_reveal(participant=participant, viewer=organiser, ip_address=None)
        == ""
    )
    assert not AuditEvent.objects.filter(action=AuditAction.PD_REVEALED).exists()
