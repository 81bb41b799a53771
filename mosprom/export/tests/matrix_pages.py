"""Role-matrix rows for the export pages (merged into web/tests/test_role_matrix.py).

Objects come from ``w.export`` (``matrix_world.build``): the matrix host is a member of
``w.own``, whose application ``application`` is submitted to ``event`` and whose
``participant`` took part in ``past_event``. A company's pages answer its hosts and the
organisers (who may act for any company); visitors are refused (403). What the world lacks —
an event nobody applied to, a document, a B2B meeting — is made here on demand.
"""

from __future__ import annotations

import datetime as dt

LOGIN = "login"
ROLES = ("anonymous", "visitor", "host", "organiser", "admin")
MATRIX_PDF = "export/documents/role-matrix.pdf"


def _everyone(code):
    return dict.fromkeys(ROLES, code)


def _staff_only(allowed=200):
    return {"anonymous": LOGIN, "visitor": 403, "host": 403, "organiser": allowed, "admin": allowed}


def _company(allowed=200):
    """The enterprise's hosts and the organisers; visitors are no company's staff."""
    return {
        "anonymous": LOGIN,
        "visitor": 403,
        "host": allowed,
        "organiser": allowed,
        "admin": allowed,
    }


def _fresh_event(w):
    """An open event the host's enterprise has not applied to (the apply form shows)."""
    from mosprom.export.tests.factories import make_export_event

    return make_export_event(title="Бизнес-миссия в Индию")


def _document(w):
    """A PDF of the host's application, in the private storage (one file, reused)."""
    from django.core.files.base import ContentFile

    from mosprom.export.models import ApplicationDocument, private_storage

    storage = private_storage()
    if not storage.exists(MATRIX_PDF):
        storage.save(MATRIX_PDF, ContentFile(b"%PDF-1.4\n% role matrix\n"))
    return ApplicationDocument.objects.create(
        application=w.export.application, title="Презентация компании", file=MATRIX_PDF, size=24
    )


def _meeting(w):
    from mosprom.core import clock
    from mosprom.export.models import Meeting

    return Meeting.objects.create(
        application=w.export.participant,
        counterpart="Shanghai Electric",
        country="Китай",
        starts_at=clock.start_of_day(w.export.past_event.starts_on) + dt.timedelta(hours=10),
    )


PAGES: dict = {
    # Public.
    "export:event_list": (lambda w: [], _everyone(200)),
    "export:event_detail": (lambda w: [w.export.event.pk], _everyone(200)),
    "export:showcase": (lambda w: [w.export.past_event.pk], _everyone(200)),
    "export:vote_list": (lambda w: [], _everyone(200)),
    "export:vote_detail": (lambda w: [w.export.vote_round.pk], _everyone(200)),
    # A company's applications.
    "export:my_applications": (lambda w: [], _company()),
    "export:apply": (lambda w: [_fresh_event(w).pk], _company()),
    "export:my_application": (lambda w: [w.export.application.pk], _company()),
    "export:my_edit": (lambda w: [w.export.application.pk], _company()),
    "export:my_documents": (lambda w: [w.export.application.pk], _company()),
    "export:my_document_remove": (lambda w: [_document(w).pk], _company(405)),  # POST only
    "export:document_download": (lambda w: [_document(w).pk], _company()),
    "export:my_transition": (lambda w: [w.export.application.pk, "withdrawn"], _company()),
    # A company's participation.
    "export:my_checklist": (lambda w: [w.export.participant.pk], _company()),
    "export:my_meetings": (lambda w: [w.export.participant.pk], _company()),
    "export:my_meeting": (lambda w: [_meeting(w).pk], _company()),
    "export:outcome_report": (lambda w: [w.export.participant.pk], _company()),
    "export:my_vote": (lambda w: [w.export.vote_round.pk], _company()),
    # Organisers.
    "export:manage_events": (lambda w: [], _staff_only()),
    "export:manage_event_new": (lambda w: [], _staff_only()),
    "export:manage_event_edit": (lambda w: [w.export.event.pk], _staff_only()),
    "export:manage_applications": (lambda w: [w.export.event.pk], _staff_only()),
    "export:manage_application": (lambda w: [w.export.application.pk], _staff_only()),
    "export:manage_transition": (
        lambda w: [w.export.application.pk, "in_review"],
        _staff_only(),
    ),
    "export:manage_reports": (lambda w: [w.export.past_event.pk], _staff_only()),
    "export:manage_remind": (lambda w: [w.export.past_event.pk], _staff_only(405)),  # POST
    "export:manage_votes": (lambda w: [], _staff_only()),
    "export:manage_vote_new": (lambda w: [], _staff_only()),
    "export:manage_vote": (lambda w: [w.export.vote_round.pk], _staff_only()),
    "export:manage_vote_publish": (lambda w: [w.export.vote_round.pk], _staff_only(405)),
    "export:manage_candidate": (lambda w: [w.export.candidate.pk], _staff_only()),
}
