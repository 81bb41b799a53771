"""Who may open what: every page and every API operation against every role.

The matrix is complete by construction: a test walks the URL resolver and the OpenAPI schema
and fails when a page or an operation has no row here, so a new view cannot ship without
saying who may use it.

Expectations: a status code, or LOGIN for "redirected to the login page".
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.api import api
from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.accounts.tokens import api_token_create
from mosprom.analytics.tests import matrix_api as analytics_api
from mosprom.analytics.tests import matrix_pages as analytics_pages
from mosprom.export.tests import matrix_api as export_api
from mosprom.export.tests import matrix_pages as export_pages
from mosprom.export.tests import matrix_world as export_world
from mosprom.games.tests import matrix_api as games_api
from mosprom.games.tests import matrix_pages as games_pages
from mosprom.games.tests import matrix_world as games_world
from mosprom.media.tests import matrix_api as media_api
from mosprom.media.tests import matrix_pages as media_pages
from mosprom.media.tests import matrix_world as media_world
from mosprom.registry.models import HostInvitation, ImportBatch
from mosprom.registry.tests.factories import (
    make_enterprise,
    make_membership,
    make_product,
    make_site,
    valid_inn,
    valid_ogrn,
)
from mosprom.sez.tests import matrix_api as sez_api
from mosprom.sez.tests import matrix_pages as sez_pages
from mosprom.sez.tests import matrix_world as sez_world
from mosprom.tourism.booking import ParticipantData
from mosprom.tourism.lottery import lottery_apply
from mosprom.tourism.tests.factories import (
    make_booking,
    make_experience,
    make_season,
    make_session,
)
from mosprom.tourism.waitlist import waitlist_join

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "visitor", "host", "organiser", "admin")
LOGIN = "login"


def everyone(code):
    return dict.fromkeys(ROLES, code)


def staff_only(allowed=200):
    """Organisers and administrators; anonymous users are sent to log in."""
    return {"anonymous": LOGIN, "visitor": 403, "host": 403, "organiser": allowed, "admin": allowed}


def hosts_and_staff(allowed=200):
    return {
        "anonymous": LOGIN,
        "visitor": 403,
        "host": allowed,
        "organiser": allowed,
        "admin": allowed,
    }


def owner_only(allowed=200):
    """Only the visitor who owns the object; everyone else sees nothing there (404)."""
    return {"anonymous": LOGIN, "visitor": allowed, "host": 404, "organiser": 404, "admin": 404}


def logged_in(allowed=200):
    return {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], allowed)


@dataclass
class World:
    """The objects the URLs point at, made once per test."""

    users: dict
    own: object  # an enterprise the host acts for
    other: object  # one the host does not
    own_site: object
    own_product: object
    other_site: object
    other_product: object
    batch: object
    invitation: object
    session: object  # a session of the host's enterprise
    open_session: object  # another one nobody booked
    booking: object  # the visitor's booking on ``session``
    waiting: object  # the visitor's waitlist entry on a full session
    lottery: object  # a lottery session, not drawn yet
    application: object  # the visitor's application to it
    games: object  # games/tests/matrix_world.py: a game with the visitor's team, a round…
    export: object  # export/tests/matrix_world.py: the host's enterprise's application…
    sez: object  # sez/tests/matrix_world.py: the host's enterprise as a resident, its report…
    media: object  # media/tests/matrix_world.py: a published tour, a draft, views, reach, an award


@pytest.fixture
def world(db) -> World:
    users = {role: make_user(role=role) for role in Role.values}
    own = make_enterprise(short_name="Своё предприятие")
    other = make_enterprise(short_name="Чужое предприятие")
    make_membership(users[Role.HOST], own)
    batch = ImportBatch.objects.create(
        filename="r.csv", content=b"", uploaded_by=users[Role.ORGANISER], report={}
    )
    invitation = HostInvitation.objects.create(
        email="invited@example.test", enterprise=own, invited_by=users[Role.ORGANISER]
    )
    season = make_season()
    experience = make_experience(enterprise=own)
    session = make_session(experience=experience, season=season)
    full = make_session(experience=experience, season=season, capacity=1)
    make_booking(session=full)
    lottery = make_session(experience=experience, season=season, mode="lottery")
    application = lottery_apply(
        user=users[Role.VISITOR],
        session=lottery,
        participants=[
            ParticipantData(full_name="Заявитель Матрицы", birth_date=dt.date(1990, 1, 2))
        ],
    )
    return World(
        games=games_world.build(users),
        export=export_world.build(users, own),
        sez=sez_world.build(users, own),
        media=media_world.build(users, own),
        lottery=lottery,
        application=application,
        session=session,
        open_session=make_session(experience=experience, season=season),
        booking=make_booking(session=session, user=users[Role.VISITOR]),
        waiting=waitlist_join(user=users[Role.VISITOR], session=full, places=1),
        users=users,
        own=own,
        other=other,
        own_site=make_site(own),
        own_product=make_product(own),
        other_site=make_site(other),
        other_product=make_product(other),
        batch=batch,
        invitation=invitation,
    )


# --- Pages ----------------------------------------------------------------------------------

# url name → (arguments from the world, expected GET result per role)
PAGES: dict[str, tuple[Callable[[World], list], dict]] = {
    "web:home": (lambda w: [], everyone(200)),
    "web:healthz": (lambda w: [], everyone(200)),
    "web:api_docs": (lambda w: [], everyone(302)),
    "web:backoffice": (lambda w: [], staff_only()),
    "accounts:login": (lambda w: [], everyone(200)),
    "accounts:logout": (lambda w: [], everyone(405)),  # POST only
    "accounts:signup": (lambda w: [], {"anonymous": 200} | dict.fromkeys(ROLES[1:], 302)),
    "accounts:signup_sent": (lambda w: [], everyone(200)),
    "accounts:confirm_email": (lambda w: ["not-a-token"], everyone(400)),  # bad link page
    "accounts:confirm_resend": (lambda w: [], everyone(200)),
    "accounts:password_reset": (lambda w: [], everyone(200)),
    "accounts:password_reset_sent": (lambda w: [], everyone(200)),
    "accounts:password_reset_confirm": (lambda w: ["MQ", "bad-token"], everyone(400)),
    "accounts:profile": (lambda w: [], logged_in()),
    "accounts:consent_current": (lambda w: [], everyone(200)),
    "accounts:consent_accept": (lambda w: [], logged_in(405)),  # POST only
    "accounts:token_list": (lambda w: [], hosts_and_staff()),
    "accounts:user_list": (lambda w: [], staff_only()),
    "accounts:user_detail": (lambda w: [w.users[Role.VISITOR].pk], staff_only()),
    "accounts:user_reveal": (lambda w: [w.users[Role.VISITOR].pk], staff_only(405)),  # POST
    "accounts:audit_log": (lambda w: [], staff_only()),
    "registry:enterprise_list": (lambda w: [], everyone(200)),
    "registry:enterprise_detail": (lambda w: [w.own.pk], everyone(200)),
    "registry:import": (lambda w: [], staff_only()),
    "registry:import_preview": (lambda w: [w.batch.pk], staff_only()),
    "registry:invitation_list": (lambda w: [], staff_only()),
    # Tourism, public side.
    "tourism:calendar": (lambda w: [], everyone(200)),
    "tourism:experience_detail": (lambda w: [w.session.experience_id], everyone(200)),
    "tourism:book": (lambda w: [w.open_session.pk], logged_in()),
    "tourism:waitlist_join": (lambda w: [w.open_session.pk], logged_in()),
    "tourism:my_tickets": (lambda w: [], logged_in()),
    # The visitor's own ticket and waitlist entry: others get 404, so codes can't be probed.
    "tourism:ticket": (lambda w: [w.booking.code], owner_only()),
    "tourism:booking_cancel": (lambda w: [w.booking.code], owner_only()),
    "tourism:feedback": (lambda w: [w.booking.code], owner_only(302)),  # before check-in
    # The ticket's files also serve the session's host and organisers (printing at the door).
    "tourism:ticket_ics": (lambda w: [w.booking.code], logged_in()),
    "tourism:ticket_qr": (lambda w: [w.booking.code], logged_in()),
    "tourism:waitlist_leave": (lambda w: [w.waiting.pk], owner_only()),
    "tourism:waitlist_offer": (lambda w: [w.waiting.pk], owner_only()),
    # The lottery: anyone logged in applies; the result page is public (the API says 404
    # until the draw has run).
    "tourism:lottery_apply": (lambda w: [w.lottery.pk], logged_in()),
    "tourism:lottery_result": (lambda w: [w.lottery.pk], everyone(200)),
    "tourism:my_lottery_applications": (lambda w: [], logged_in()),
    "tourism:lottery_withdraw": (lambda w: [w.application.pk], owner_only()),
    # Tourism, hosts of the enterprise and organisers.
    "tourism:host_sessions": (lambda w: [], hosts_and_staff()),
    "tourism:host_session": (lambda w: [w.session.pk], hosts_and_staff()),
    "tourism:host_attendees": (lambda w: [w.session.pk], hosts_and_staff()),
    "tourism:host_attendees_csv": (lambda w: [w.session.pk], hosts_and_staff()),
    "tourism:host_checkin": (lambda w: [w.session.pk], hosts_and_staff()),
    "tourism:host_session_cancel": (lambda w: [w.session.pk], hosts_and_staff()),
    "tourism:host_no_shows": (lambda w: [w.session.pk], hosts_and_staff()),
    "tourism:host_reveal_passport": (
        lambda w: [w.booking.participants.first().pk],
        hosts_and_staff(405),  # POST only
    ),
    "tourism:manage_experiences": (lambda w: [], hosts_and_staff()),
    "tourism:manage_experience_new": (lambda w: [], hosts_and_staff()),
    "tourism:manage_experience_edit": (lambda w: [w.session.experience_id], hosts_and_staff()),
    "tourism:manage_session_new": (lambda w: [w.session.experience_id], hosts_and_staff()),
    "tourism:manage_session_edit": (lambda w: [w.session.pk], hosts_and_staff()),
    "tourism:manage_seasons": (lambda w: [], staff_only()),
    "tourism:manage_season_new": (lambda w: [], staff_only()),
    "tourism:manage_season_edit": (lambda w: [w.session.season_id], staff_only()),
    # Anonymous people are asked to log in or sign up; anyone but the invited person is refused.
    "registry:invitation_accept": (
        lambda w: [w.invitation.token],
        {"anonymous": 200} | dict.fromkeys(ROLES[1:], 403),
    ),
}

PAGES |= games_pages.PAGES
PAGES |= export_pages.PAGES
PAGES |= sez_pages.PAGES
PAGES |= media_pages.PAGES
PAGES |= analytics_pages.PAGES

# Not ours to test here: Django's admin (superusers only), the language switch (POST, public),
# uploaded media in the embedded mode, and the API (its own matrix below).
NOT_PAGES = {"set_language"}
NOT_PAGE_NAMESPACES = {"admin", "api"}


def _named_urls(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in NOT_PAGE_NAMESPACES:
                continue
            names |= _named_urls(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_named_page_is_in_the_matrix():
    assert _named_urls(get_resolver()) - NOT_PAGES == set(PAGES)


def _client_for(client, world: World, role: str):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_access(client, world, name, role):
    args_of, expected = PAGES[name]
    url = reverse(name, args=args_of(world))
    response = _client_for(client, world, role).get(url)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == want, f"{name} as {role}: {response.status_code}"


# --- API --------------------------------------------------------------------------------------


def _new_enterprise_payload() -> dict:
    n = 900_000 + uuid.uuid4().int % 90_000
    return {
        "short_name": f"Новое {n}",
        "legal_name": f"ООО «Новое {n}»",
        "inn": valid_inn(n),
        "ogrn": valid_ogrn(n),
    }


SITE = {"name": "Цех", "address": "Москва, ул. Новая, 1"}
PRODUCT = {"name": "Новое изделие"}
READ = everyone(200)
ORGANISERS_WRITE = {"anonymous": 401, "visitor": 403, "host": 403, "organiser": 201, "admin": 201}


def _host_may(code):
    return {"anonymous": 401, "visitor": 403, "host": code, "organiser": code, "admin": code}


# (method, path template) → list of (label, path args and body from the world, expectations)
API_MATRIX: dict[tuple[str, str], list[tuple[str, Callable[[World], tuple], dict]]] = {
    ("GET", "/api/v1/enterprises"): [("list", lambda w: ({}, None), READ)],
    ("POST", "/api/v1/enterprises"): [
        ("create", lambda w: ({}, _new_enterprise_payload()), ORGANISERS_WRITE)
    ],
    ("GET", "/api/v1/enterprises/{id}"): [("read", lambda w: ({"id": w.own.pk}, None), READ)],
    ("PATCH", "/api/v1/enterprises/{id}"): [
        (
            "update own",
            lambda w: ({"id": w.own.pk}, {"description": "Новое описание"}),
            {"anonymous": 401, "visitor": 403, "host": 403, "organiser": 200, "admin": 200},
        )
    ],
    ("GET", "/api/v1/enterprises/{id}/sites"): [("read", lambda w: ({"id": w.own.pk}, None), READ)],
    ("POST", "/api/v1/enterprises/{id}/sites"): [
        ("own", lambda w: ({"id": w.own.pk}, SITE), _host_may(201)),
        ("other", lambda w: ({"id": w.other.pk}, SITE), _host_may(201) | {"host": 403}),
    ],
    ("GET", "/api/v1/enterprises/{id}/products"): [
        ("read", lambda w: ({"id": w.own.pk}, None), READ)
    ],
    ("POST", "/api/v1/enterprises/{id}/products"): [
        ("own", lambda w: ({"id": w.own.pk}, PRODUCT), _host_may(201)),
        ("other", lambda w: ({"id": w.other.pk}, PRODUCT), _host_may(201) | {"host": 403}),
    ],
    ("GET", "/api/v1/sites"): [("list", lambda w: ({}, None), READ)],
    ("GET", "/api/v1/products"): [("list", lambda w: ({}, None), READ)],
    ("DELETE", "/api/v1/sites/{id}"): [
        ("own", lambda w: ({"id": w.own_site.pk}, None), _host_may(204)),
        ("other", lambda w: ({"id": w.other_site.pk}, None), _host_may(204) | {"host": 403}),
    ],
    ("DELETE", "/api/v1/products/{id}"): [
        ("own", lambda w: ({"id": w.own_product.pk}, None), _host_may(204)),
        ("other", lambda w: ({"id": w.other_product.pk}, None), _host_may(204) | {"host": 403}),
    ],
}


T = "/api/v1/tourism"
OWNER_API = {"anonymous": 401, "visitor": 200, "host": 404, "organiser": 404, "admin": 404}
LOGGED_IN_API = {"anonymous": 401} | dict.fromkeys(ROLES[1:], 200)
HOSTS_API = {"anonymous": 401, "visitor": 403, "host": 200, "organiser": 200, "admin": 200}


def _booking_body(w: World) -> dict:
    return {"participants": [{"full_name": "Участник Матрицы", "birth_date": "1990-05-17"}]}


API_MATRIX |= {
    ("GET", f"{T}/sessions"): [("list", lambda w: ({}, None), READ)],
    ("GET", f"{T}/sessions/{{id}}"): [("read", lambda w: ({"id": w.session.pk}, None), READ)],
    ("POST", f"{T}/sessions/{{id}}/bookings"): [
        (
            "book",
            lambda w: ({"id": w.open_session.pk}, _booking_body(w)),
            {"anonymous": 401} | dict.fromkeys(ROLES[1:], 201),
        )
    ],
    ("GET", f"{T}/bookings"): [("mine", lambda w: ({}, None), LOGGED_IN_API)],
    ("GET", f"{T}/bookings/{{id}}"): [("own", lambda w: ({"id": w.booking.pk}, None), OWNER_API)],
    ("POST", f"{T}/bookings/{{id}}/cancel"): [
        ("own", lambda w: ({"id": w.booking.pk}, None), OWNER_API)
    ],
    ("GET", f"{T}/waitlist"): [("mine", lambda w: ({}, None), LOGGED_IN_API)],
    ("POST", f"{T}/sessions/{{id}}/waitlist"): [
        (
            "full session",
            lambda w: ({"id": w.waiting.session_id}, {"places": 1}),
            # The visitor is already in the line; everyone else joins it.
            {"anonymous": 401, "visitor": 409, "host": 201, "organiser": 201, "admin": 201},
        )
    ],
    ("POST", f"{T}/waitlist/{{id}}/leave"): [
        ("own", lambda w: ({"id": w.waiting.pk}, None), OWNER_API)
    ],
    ("POST", f"{T}/waitlist/{{id}}/decline"): [
        ("own", lambda w: ({"id": w.waiting.pk}, None), OWNER_API)
    ],
    ("POST", f"{T}/waitlist/{{id}}/accept"): [
        (
            "own, not offered yet",
            lambda w: ({"id": w.waiting.pk}, _booking_body(w)),
            OWNER_API | {"visitor": 409},
        )
    ],
    ("GET", f"{T}/host/sessions/{{id}}/attendees"): [
        ("own enterprise", lambda w: ({"id": w.session.pk}, None), HOSTS_API)
    ],
    ("POST", f"{T}/sessions/{{id}}/lottery/applications"): [
        (
            "apply",
            lambda w: ({"id": w.lottery.pk}, _booking_body(w)),
            # The visitor has applied already; one application per person and session.
            {"anonymous": 401, "visitor": 409, "host": 201, "organiser": 201, "admin": 201},
        )
    ],
    ("GET", f"{T}/lottery/applications"): [("mine", lambda w: ({}, None), LOGGED_IN_API)],
    ("POST", f"{T}/lottery/applications/{{id}}/withdraw"): [
        ("own", lambda w: ({"id": w.application.pk}, None), OWNER_API)
    ],
    ("GET", f"{T}/sessions/{{id}}/lottery"): [
        ("not drawn yet", lambda w: ({"id": w.lottery.pk}, None), everyone(404))
    ],
    ("POST", f"{T}/host/sessions/{{id}}/checkin"): [
        (
            "own enterprise",
            lambda w: ({"id": w.session.pk}, {"code": w.booking.code}),
            HOSTS_API,
        )
    ],
}

API_MATRIX |= games_api.API
API_MATRIX |= export_api.API
API_MATRIX |= sez_api.API
API_MATRIX |= media_api.API
API_MATRIX |= analytics_api.API


def test_every_api_operation_is_in_the_matrix():
    schema = api.get_openapi_schema()
    operations = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    assert operations == set(API_MATRIX)


API_CASES = [
    pytest.param(method, path, label, role, id=f"{method} {path} {label} {role}")
    for (method, path), cases in API_MATRIX.items()
    for label, _, _ in cases
    for role in ROLES
]


@pytest.mark.parametrize(("method", "path", "label", "role"), API_CASES)
def test_api_access(client, world, method, path, label, role):
    make_args, expected = next((m, e) for lbl, m, e in API_MATRIX[(method, path)] if lbl == label)
    path_args, body = make_args(world)
    headers = {}
    if role != "anonymous":
        _, key = api_token_create(user=world.users[role], name="matrix")
        headers["Authorization"] = f"Bearer {key}"
    response = client.generic(
        method,
        path.format(**path_args),
        data=None if body is None else json.dumps(body),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == expected[role], (
        f"{method} {path} ({label}) as {role}: {response.status_code} {response.content[:200]}"
    )
