"""Role-matrix rows for the media pages (merged into web/tests/test_role_matrix.py).

Objects come from ``w.media`` (``matrix_world.build``): a published ``tour`` with a RUTUBE
``publication`` and 2023 ``views``, an unpublished ``draft``, a ``reach`` record, an ``award``.
The gallery, a public tour and the programme page are everyone's (a draft's page, 404 to all
but organisers, is tested in test_views_public.py). The play counter answers POST only (405 to
a GET). The back office is organisers' only.
"""

from __future__ import annotations

LOGIN = "login"
ROLES = ("anonymous", "visitor", "host", "organiser", "admin")


def _everyone(code):
    return dict.fromkeys(ROLES, code)


def _staff_only(allowed=200):
    return {"anonymous": LOGIN, "visitor": 403, "host": 403, "organiser": allowed, "admin": allowed}


PAGES: dict = {
    # Public.
    "media:gallery": (lambda w: [], _everyone(200)),
    "media:tour_detail": (lambda w: [w.media.tour.pk], _everyone(200)),
    "media:tour_play": (lambda w: [w.media.tour.pk], _everyone(405)),  # POST only
    "media:programme": (lambda w: [], _everyone(200)),
    # Organisers.
    "media:manage": (lambda w: [], _staff_only()),
    "media:tours": (lambda w: [], _staff_only()),
    "media:tour_new": (lambda w: [], _staff_only()),
    "media:tour_edit": (lambda w: [w.media.draft.pk], _staff_only()),
    "media:tour_delete": (lambda w: [w.media.tour.pk], _staff_only()),
    "media:publication_remove": (
        lambda w: [w.media.tour.pk, w.media.publication.platform],
        _staff_only(),
    ),
    "media:views": (lambda w: [], _staff_only()),
    "media:views_import": (lambda w: [], _staff_only()),
    "media:views_delete": (lambda w: [w.media.views.pk], _staff_only()),
    "media:reach": (lambda w: [], _staff_only()),
    "media:reach_edit": (lambda w: [w.media.reach.pk], _staff_only()),
    "media:reach_delete": (lambda w: [w.media.reach.pk], _staff_only()),
    "media:awards": (lambda w: [], _staff_only()),
    "media:award_new": (lambda w: [], _staff_only()),
    "media:award_edit": (lambda w: [w.media.award.pk], _staff_only()),
    "media:award_delete": (lambda w: [w.media.award.pk], _staff_only()),
    "media:audience": (lambda w: [], _staff_only()),
}
