"""Plays of online tours on our site, counted once per visitor, tour and Moscow day.

The view (or the API) decides who the visitor is: ``"user:<id>"`` for a logged-in user,
``"anon:<uuid>"`` from a signed random cookie otherwise. Only a keyed hash of that identity is
stored (HMAC-SHA256 with a key derived from SECRET_KEY), so the table holds no account ids
and no addresses. De-duplication is the database's: ``SitePlay`` is UNIQUE(tour, day, visitor)
and ``play_record`` simply INSERTs; a second play the same day hits the constraint and is not
counted. No read-then-write, so concurrent plays (a reload loop, several tabs) count once.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from mosprom.core import clock
from mosprom.media.models import OnlineTour, SitePlay

PLAY_SALT = "media.play"


def visitor_hash(identity: str) -> str:
    """The keyed, irreversible 64-hex-digit stand-in for ``identity`` stored with a play."""
    return salted_hmac(PLAY_SALT, identity, algorithm="sha256").hexdigest()


def play_record(*, tour: OnlineTour, identity: str, at: dt.datetime | None = None) -> bool:
    """Count a play of ``tour`` by ``identity``: True when counted, False when this visitor
    already played this tour that Moscow day. ``ValidationError`` for a tour that is not
    public (unpublished, or published on a later day)."""
    if not identity:
        raise ValueError("a play needs an identity")
    moment = at or clock.now()
    day = clock.localtime(moment).date()
    experience = tour.experience
    if not experience.is_published or tour.published_on > day:
        raise ValidationError(
            _("Эта онлайн-экскурсия ещё не опубликована."), code="tour_not_public"
        )
    try:
        # A savepoint, so a duplicate does not break the caller's transaction.
        with transaction.atomic():
            SitePlay.objects.create(tour=tour, day=day, visitor=visitor_hash(identity), at=moment)
    except IntegrityError:
        return False
    return True
