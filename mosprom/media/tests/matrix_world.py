"""The media objects of the role matrix's world (``web/tests/test_role_matrix.py``).

Rows in ``matrix_pages.PAGES`` and ``matrix_api.API`` read these as ``w.media.<name>``:
a published ``tour`` (with a RUTUBE ``publication`` and 2023 ``views``), an unpublished
``draft`` (404 to everyone but organisers), a ``reach`` record and an ``award``.
"""

from __future__ import annotations

from types import SimpleNamespace

from mosprom.core.periods import Period
from mosprom.media.tests.factories import (
    make_award,
    make_online_tour,
    make_platform_views,
    make_publication,
    make_reach,
)


def build(users: dict, own) -> SimpleNamespace:
    tour = make_online_tour(enterprise=own, title="Онлайн-экскурсия матрицы")
    draft = make_online_tour(enterprise=own, title="Черновик онлайн-экскурсии", is_published=False)
    return SimpleNamespace(
        tour=tour,
        draft=draft,
        publication=make_publication(tour),
        views=make_platform_views(tour, Period.year(2023), 1200),
        reach=make_reach(period=Period.year(2023), value=50_000),
        award=make_award(),
    )
