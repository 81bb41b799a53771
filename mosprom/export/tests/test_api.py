"""The export API under /api/v1/export/: public events, showcase and vote; companies'
applications (only their own), outcome reports and votes; the organisers' scoring, ranking
and figures.

Refusals carry the codes of ``export.errors``; lists keep a fixed number of queries; a
schemathesis run against real rows finds no server error and nothing undocumented.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application as wsgi_application
from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.accounts.tokens import api_token_create
from mosprom.core import clock
from mosprom.export.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Call,
    CriterionScore,
    EventKind,
    EventRate,
    ExportEvent,
    FairCandidate,
    FairVote,
    OutcomeReport,
)
from mosprom.export.tests.factories import (
    make_application,
    make_company,
    make_export_event,
    make_vote_round,
)
from mosprom.registry.models import Industry
from mosprom.registry.tests.factories import make_product

pytestmark = pytest.mark.django_db

API = "/api/v1/export"
S = ApplicationStatus


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


def send(client, method: str, path: str, body=None, **headers):
    return client.generic(
        method,
        API + path,
        data=json.dumps(body if body is not None else {}),
        content_type="application/json",
        headers=headers,
    )


def post(client, path: str, body=None, **headers):
    return send(client, "POST", path, body, **headers)


def get(client, path: str, params=None, **headers):
    return client.get(API + path, params or {}, headers=headers)


@pytest.fixture
def company():
    """(enterprise, its host, the host's token headers)."""
    enterprise, host = make_company(short_name="Воздух")
    return enterprise, host, bearer(host)


@pytest.fixture
def organiser_auth():
    return bearer(make_user(role=Role.ORGANISER))


def _past_event(**fields) -> ExportEvent:
    today = clock.today()
    fields.setdefault("starts_on", today - dt.timedelta(days=20))
    fields.setdefault("ends_on", today - dt.timedelta(days=16))
    return make_export_event(with_call=False, **fields)


def _document(application: Application, title: str = "Презентация компании"):
    return ApplicationDocument.objects.create(
        application=application, title=title, file="export/documents/x.pdf", size=10
    )


# --- Events -----------------------------------------------------------------------------------


def test_event_list_shows_published_events_with_their_call(client):
    event = make_export_event(places=7, country="Китай", city="Шанхай")
    closes_at = clock.now().replace(microsecond=0) + dt.timedelta(days=9)
    Call.objects.filter(event=event).update(closes_at=closes_at)
    machinery, _ = Industry.objects.get_or_create(
        code="28", defaults={"section": "C", "name": "Производство машин и оборудования"}
    )
    event.industries.set([machinery])
    make_application(event=event, status=S.ACCEPTED)
    make_export_event(is_published=False)

    response = client.get(f"{API}/events")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == event.pk and item["kind"] == "exhibition"
    assert item["kind_name"] == "Международная выставка (коллективный стенд)"
    assert (item["places"], item["places_left"]) == (7, 6)
    assert item["call_open"] is True
    assert dt.datetime.fromisoformat(item["call_closes_at"]) == closes_at
    assert item["industries"] == [{"code": "28", "name": machinery.name}]
    assert (item["country"], item["city"]) == ("Китай", "Шанхай")


def test_event_list_filters(client):
    today = clock.today()
    mission = make_export_event(kind=EventKind.MISSION, country="Индия", with_call=False)
    fair = make_export_event(country="Китай")
    old = make_export_event(
        country="Китай",
        starts_on=dt.date(2024, 9, 24),
        ends_on=dt.date(2024, 9, 28),
        with_call=False,
    )

    def ids(**params):
        response = client.get(f"{API}/events", params)
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    assert ids() == {mission.pk, fair.pk, old.pk}
    assert ids(kind="mission") == {mission.pk}
    assert ids(country="Китай") == {fair.pk, old.pk}
    assert ids(year=2024) == {old.pk}
    assert ids(year=fair.starts_on.year, kind="exhibition") == {fair.pk}
    assert ids(year=today.year - 10) == set()
    assert client.get(f"{API}/events", {"kind": "cruise"}).status_code == 422
    assert client.get(f"{API}/events", {"country": "Ки\x00тай"}).status_code == 422
    assert client.get(f"{API}/events", {"country": "Я" * 101}).status_code == 422
    unknown = client.get(f"{API}/events", {"contry": "Китай"})
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["query", "contry"]


def test_event_list_query_count_is_flat(client, django_assert_max_num_queries):
    industries = list(Industry.objects.all()[:3])
    for n in range(30):
        event = make_export_event(with_call=bool(n % 2))
        event.industries.set(industries)

    with django_assert_max_num_queries(3):
        response = client.get(f"{API}/events", {"limit": 100})

    assert len(response.json()["items"]) == 30


def test_event_read_has_the_call_and_conditions(client):
    event = make_export_event(
        city_covers="Стенд и переводчики", company_pays="Проезд", places=3, show_chinese=True
    )
    Call.objects.filter(event=event).update(
        required_documents="Презентация компании\n\nКаталог на английском\n"
    )
    make_application(event=event, status=S.CONFIRMED)
    draft = make_export_event(is_published=False)

    item = client.get(f"{API}/events/{event.pk}").json()

    assert (item["city_covers"], item["company_pays"]) == ("Стенд и переводчики", "Проезд")
    assert item["places_left"] == 2 and item["show_chinese"] is True
    call = item["call"]
    assert call["open"] is True
    assert call["required_documents"] == ["Презентация компании", "Каталог на английском"]
    assert [(c["name"], c["weight"], c["max_score"]) for c in call["criteria"]] == [
        ("Опыт экспорта", 40, 10),
        ("Готовность продукции", 60, 10),
    ]
    assert client.get(f"{API}/events/{_past_event().pk}").json()["call"] is None
    assert client.get(f"{API}/events/{draft.pk}").status_code == 404
    assert client.get(f"{API}/events/{2**40}").status_code == 404
    assert client.get(f"{API}/events/0").status_code == 422


# --- Showcase ---------------------------------------------------------------------------------


def test_showcase_lists_confirmed_participants_and_their_products(client):
    event = _past_event(
        title="CIIF: стенд Москвы",
        title_en="CIIF: Moscow joint stand",
        title_zh="中国国际工业博览会",
        description_en="The joint stand.",
        show_chinese=True,
    )
    vozdukh, _ = make_company(short_name="Воздух")
    make_product(vozdukh, name="Газоочистная установка")
    took_part = make_application(event=event, enterprise=vozdukh, status=S.PARTICIPATED)
    confirmed = make_application(event=event, status=S.CONFIRMED)
    make_application(event=event, status=S.ACCEPTED)
    make_application(event=event, status=S.WITHDRAWN)

    ru = client.get(f"{API}/events/{event.pk}/showcase").json()
    en = client.get(f"{API}/events/{event.pk}/showcase", {"lang": "en"}).json()
    zh = client.get(f"{API}/events/{event.pk}/showcase", {"lang": "zh"}).json()

    assert ru["title"] == "CIIF: стенд Москвы" and ru["languages"] == ["ru", "en", "zh"]
    assert en["title"] == "CIIF: Moscow joint stand" and en["description"] == "The joint stand."
    assert zh["title"] == "中国国际工业博览会" and zh["description"] == "The joint stand."
    participants = {p["enterprise_id"]: p for p in ru["participants"]}
    assert set(participants) == {took_part.enterprise_id, confirmed.enterprise_id}
    assert [p["name"] for p in participants[vozdukh.pk]["products"]] == [
        "Газоочистная установка",
        "Станок с ЧПУ",
    ]
    assert participants[vozdukh.pk]["url"] == vozdukh.get_absolute_url()


def test_showcase_in_chinese_only_when_the_event_has_it(client):
    event = _past_event(show_chinese=False, title_en="")

    zh = client.get(f"{API}/events/{event.pk}/showcase", {"lang": "zh"})
    en = client.get(f"{API}/events/{event.pk}/showcase", {"lang": "en"})

    assert (zh.status_code, zh.json()["code"]) == (404, "not_found")
    assert en.json()["title"] == event.title  # no translation: the Russian title
    assert client.get(f"{API}/events/{event.pk}/showcase", {"lang": "de"}).status_code == 422


def test_showcase_query_count_is_flat(client, django_assert_max_num_queries):
    event = _past_event(places=30)
    for _ in range(20):
        application = make_application(event=event, status=S.PARTICIPATED)
        application.products.add(make_product(application.enterprise, name="Второе изделие"))

    # The event with its industries, the participants, their products.
    with django_assert_max_num_queries(4):
        response = client.get(f"{API}/events/{event.pk}/showcase")

    participants = response.json()["participants"]
    assert len(participants) == 20 and all(len(p["products"]) == 2 for p in participants)


# --- Applications: who sees what --------------------------------------------------------------


def test_a_company_sees_only_its_applications(client, company, organiser_auth):
    enterprise, host, auth = company
    mine = make_application(enterprise=enterprise, user=host)
    theirs = make_application()

    own = get(client, "/applications", **auth).json()
    every = get(client, "/applications", **organiser_auth).json()

    assert [item["id"] for item in own["items"]] == [mine.pk]
    assert own["items"][0]["enterprise_name"] == "Воздух"
    assert {item["id"] for item in every["items"]} == {mine.pk, theirs.pk}
    assert get(client, f"/applications/{theirs.pk}", **auth).status_code == 404
    assert send(client, "PATCH", f"/applications/{theirs.pk}", {}, **auth).status_code == 404
    assert (
        post(client, f"/applications/{theirs.pk}/transitions", {"to": "withdrawn"}, **auth)
    ).status_code == 404
    assert Application.objects.get(pk=theirs.pk).status == S.SUBMITTED
    assert get(client, f"/applications/{theirs.pk}", **organiser_auth).status_code == 200
    visitor = get(client, "/applications", **bearer(make_user()))
    assert (visitor.status_code, visitor.json()["code"]) == (403, "forbidden")
    assert get(client, "/applications").status_code == 401


def test_application_list_filters_and_query_count(
    client, organiser_auth, django_assert_max_num_queries
):
    event = make_export_event(places=40)
    for n in range(25):
        make_application(event=event, status=S.ACCEPTED if n % 5 == 0 else S.SUBMITTED)
    make_application()  # another event

    with django_assert_max_num_queries(5):
        response = get(client, "/applications", {"limit": 100}, **organiser_auth)
    accepted = get(
        client, "/applications", {"event": event.pk, "status": "accepted"}, **organiser_auth
    )

    assert response.json()["count"] == 26
    assert accepted.json()["count"] == 5
    assert get(client, "/applications", {"status": "maybe"}, **organiser_auth).status_code == 422


# --- Applications: writing --------------------------------------------------------------------


def test_create_a_draft_and_read_it(client, company):
    enterprise, host, auth = company
    event = make_export_event()
    product = enterprise.products.get()
    body = {
        "enterprise": enterprise.pk,
        "products": [product.pk],
        "export_experience": "Поставки в Казахстан",
        "target_markets": "Китай",
        "contact_name": "Иванова Мария",
        "contact_email": "export@vozdukh.example",
        "contact_phone": "+7 495 000-00-00",
    }

    response = post(client, f"/events/{event.pk}/applications", body, **auth)

    assert response.status_code == 201, response.content
    item = response.json()
    application = Application.objects.get(pk=item["id"])
    assert application.created_by == host and application.status == S.DRAFT
    assert item["status"] == "draft" and item["status_name"] == "Черновик"
    assert item["products"] == [{"id": product.pk, "name": product.name}]
    assert item["next_statuses"] == ["submitted", "withdrawn"]
    assert item["documents"] == [] and item["history"] == [] and item["outcome"] is None
    assert get(client, f"/applications/{application.pk}", **auth).json() == item
    again = post(client, f"/events/{event.pk}/applications", body, **auth)
    assert (again.status_code, again.json()["code"]) == (409, "already_applied")


def test_create_refusals(client, company):
    enterprise, _host, auth = company
    event = make_export_event()
    other, _ = make_company()
    closed = make_export_event()
    Call.objects.filter(event=closed).update(
        opens_at=clock.now() - dt.timedelta(days=30), closes_at=clock.now() - dt.timedelta(days=1)
    )

    def create(path_event, **body):
        body.setdefault("enterprise", enterprise.pk)
        return post(client, f"/events/{path_event.pk}/applications", body, **auth)

    foreign_product = create(event, products=[other.products.get().pk])
    not_mine = create(event, enterprise=other.pk)
    late = create(closed)
    no_call = create(_past_event())
    nobody = create(event, enterprise=2**40)

    assert (foreign_product.status_code, foreign_product.json()["code"]) == (
        422,
        "invalid_request",
    )
    assert (not_mine.status_code, not_mine.json()["code"]) == (403, "forbidden")
    assert (late.status_code, late.json()["code"]) == (409, "call_closed")
    assert no_call.status_code == 409
    assert (nobody.status_code, nobody.json()["code"]) == (422, "invalid_request")
    for bad in (
        {"contact_email": "not-an-address"},
        {"export_experience": "Я" * 5001},
        {"target_markets": "Китай\x00"},
        {"products": [0]},
        {"created_by": 1},
    ):
        response = create(event, **bad)
        assert response.status_code == 422, bad
        assert response.json()["detail"][0]["loc"][0] == "body"
    assert not Application.objects.filter(enterprise=enterprise).exists()
    assert create(make_export_event(is_published=False)).status_code == 404


def test_patch_changes_only_what_is_sent_until_review(client, company, organiser_auth):
    enterprise, host, auth = company
    application = make_application(enterprise=enterprise, user=host, status=S.DRAFT)

    response = send(
        client, "PATCH", f"/applications/{application.pk}", {"target_markets": "Вьетнам"}, **auth
    )

    assert response.status_code == 200, response.content
    application.refresh_from_db()
    assert application.target_markets == "Вьетнам"
    assert application.contact_name == "Иванова Мария"  # not sent: unchanged
    assert response.json()["products"] == [
        {"id": p.pk, "name": p.name} for p in application.products.all()
    ]
    null = send(client, "PATCH", f"/applications/{application.pk}", {"contact_name": None}, **auth)
    assert null.status_code == 422
    Application.objects.filter(pk=application.pk).update(status=S.IN_REVIEW)
    late = send(client, "PATCH", f"/applications/{application.pk}", {"contact_phone": "1"}, **auth)
    assert late.status_code == 409 and "изменить уже нельзя" in late.json()["detail"]


def test_submit_needs_the_documents_then_the_organiser_decides(client, company, organiser_auth):
    enterprise, host, auth = company
    event = make_export_event(places=1)
    application = make_application(event=event, enterprise=enterprise, user=host, status=S.DRAFT)
    path = f"/applications/{application.pk}/transitions"

    missing = post(client, path, {"to": "submitted"}, **auth)
    _document(application)
    submitted = post(client, path, {"to": "submitted"}, **auth)
    own_review = post(client, path, {"to": "in_review"}, **auth)
    review = post(client, path, {"to": "in_review"}, **organiser_auth)
    accepted = post(
        client, path, {"to": "accepted", "comment": "Добро пожаловать"}, **organiser_auth
    )

    assert (missing.status_code, missing.json()["code"]) == (422, "invalid_request")
    assert "Презентация компании" in missing.json()["detail"]
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert (own_review.status_code, own_review.json()["code"]) == (409, "invalid_transition")
    assert review.json()["next_statuses"] == ["accepted", "waitlisted", "rejected", "withdrawn"]
    assert accepted.status_code == 200
    body = get(client, f"/applications/{application.pk}", **auth).json()
    assert body["status"] == "accepted" and body["next_statuses"] == ["confirmed", "withdrawn"]
    assert [(h["from_status"], h["to_status"]) for h in body["history"]] == [
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "accepted"),
    ]
    assert body["history"][-1]["comment"] == "Добро пожаловать"
    assert body["documents"][0]["title"] == "Презентация компании"
    assert "file" not in body["documents"][0]
    assert ExportEvent.objects.get(pk=event.pk).taken == 1

    second = make_application(event=event, status=S.IN_REVIEW)
    full = post(
        client, f"/applications/{second.pk}/transitions", {"to": "accepted"}, **organiser_auth
    )
    assert (full.status_code, full.json()["code"]) == (409, "no_places_left")
    unknown = post(client, path, {"to": "flying"}, **auth)
    assert unknown.status_code == 422


def test_withdrawal_passes_the_place_to_the_waitlist(client, company):
    enterprise, host, auth = company
    event = make_export_event(places=1)
    accepted = make_application(event=event, enterprise=enterprise, user=host, status=S.ACCEPTED)
    waiting = make_application(event=event, status=S.WAITLISTED)

    response = post(client, f"/applications/{accepted.pk}/transitions", {"to": "withdrawn"}, **auth)

    assert response.status_code == 200 and response.json()["next_statuses"] == []
    assert Application.objects.get(pk=waiting.pk).status == S.ACCEPTED
    assert ExportEvent.objects.get(pk=event.pk).taken == 1


# --- Outcome reports --------------------------------------------------------------------------


def test_outcome_report_converts_contracts_at_the_event_rate(client, company):
    enterprise, host, auth = company
    event = _past_event()
    EventRate.objects.create(event=event, currency="CNY", rub_per_unit=Decimal("12.35"))
    participant = make_application(
        event=event, enterprise=enterprise, user=host, status=S.PARTICIPATED
    )
    body = {
        "meetings_held": 14,
        "agreements": 3,
        "expected_export_rub": "120000000",
        "contracts": [
            {"counterpart": "Shanghai Clean Air", "value": "4800000", "currency": "CNY"},
            {"counterpart": "ООО «Партнёр»", "value": 1500000.5, "signed_on": "2024-10-01"},
        ],
        "quote": "Благодарим центр «Моспром».",
        "quote_author": "Александр Бондарь",
    }

    response = post(client, f"/applications/{participant.pk}/outcome", body, **auth)

    assert response.status_code == 200, response.content
    outcome = response.json()["outcome"]
    assert (outcome["meetings_held"], outcome["agreements"]) == (14, 3)
    assert [(c["value_rub"], c["currency"]) for c in outcome["contracts"]] == [
        ("59280000.00", "CNY"),
        ("1500000.50", "RUB"),
    ]
    assert Decimal(outcome["contracts_value_rub"]) == Decimal("60780000.50")
    assert outcome["quote_author"] == "Александр Бондарь"
    report = OutcomeReport.objects.get(application=participant)
    assert report.contracts.count() == 2 and report.submitted_by == host

    again = post(
        client, f"/applications/{participant.pk}/outcome", body | {"contracts": []}, **auth
    )
    assert again.json()["outcome"]["contracts"] == []
    assert OutcomeReport.objects.get(application=participant).contracts.count() == 0


def test_outcome_report_refusals(client, company):
    enterprise, host, auth = company
    participant = make_application(
        event=_past_event(), enterprise=enterprise, user=host, status=S.PARTICIPATED
    )
    applicant = make_application(enterprise=enterprise, user=host)
    body = {"meetings_held": 1, "agreements": 0, "expected_export_rub": "0"}
    dollars = {"counterpart": "Buyer", "value": "10", "currency": "USD"}

    early = post(client, f"/applications/{applicant.pk}/outcome", body, **auth)
    no_rate = post(
        client, f"/applications/{participant.pk}/outcome", body | {"contracts": [dollars]}, **auth
    )

    assert (early.status_code, early.json()["code"]) == (409, "report_not_due")
    assert (no_rate.status_code, no_rate.json()["code"]) == (422, "invalid_request")
    assert "USD" in no_rate.json()["detail"]
    for bad in (
        {"meetings_held": -1},
        {"expected_export_rub": "-5"},
        {"expected_export_rub": "NaN"},
        {"expected_export_rub": "1.001"},
        {"contracts": [dollars | {"value": "0"}]},
        {"contracts": [dollars | {"currency": "usd"}]},
        {"quote": "Я" * 2001},
    ):
        response = post(client, f"/applications/{participant.pk}/outcome", body | bad, **auth)
        assert response.status_code == 422, bad
    assert not OutcomeReport.objects.exists()


# --- Scores and ranking -----------------------------------------------------------------------


def test_organisers_score_and_rank(client, company, organiser_auth):
    enterprise, host, auth = company
    event = make_export_event()
    experience, readiness = event.call.criteria.order_by("position")
    weak = make_application(event=event)
    strong = make_application(event=event, status=S.IN_REVIEW)
    unscored = make_application(event=event, enterprise=enterprise, user=host)
    make_application(event=event, status=S.DRAFT)  # not in the ranking

    for application, scores in ((weak, (10, 2)), (strong, (6, 9))):
        response = send(
            client,
            "PUT",
            f"/applications/{application.pk}/scores",
            {str(experience.pk): scores[0], str(readiness.pk): scores[1]},
            **organiser_auth,
        )
        assert response.status_code == 200, response.content
    rescore = send(
        client, "PUT", f"/applications/{weak.pk}/scores", {str(readiness.pk): 3}, **organiser_auth
    )
    ranking = get(client, f"/events/{event.pk}/ranking", **organiser_auth).json()

    assert rescore.status_code == 200
    assert CriterionScore.objects.get(application=weak, criterion=readiness).score == 3
    rows = [(r["position"], r["application_id"], r["score"]) for r in ranking["items"]]
    # strong: (40×6/10 + 60×9/10) = 78; weak: (40×10/10 + 60×3/10) = 58
    assert rows == [(1, strong.pk, 78.0), (2, weak.pk, 58.0), (3, unscored.pk, None)]
    assert {s["criterion_id"]: s["score"] for s in ranking["items"][0]["scores"]} == {
        experience.pk: 6,
        readiness.pk: 9,
    }
    by_host = send(
        client, "PUT", f"/applications/{unscored.pk}/scores", {str(experience.pk): 5}, **auth
    )
    assert (by_host.status_code, by_host.json()["code"]) == (403, "forbidden")
    assert get(client, f"/events/{event.pk}/ranking", **auth).status_code == 403


def test_score_refusals(client, organiser_auth):
    event = make_export_event()
    criterion = event.call.criteria.first()
    foreign = make_export_event().call.criteria.first()
    application = make_application(event=event)
    path = f"/applications/{application.pk}/scores"

    for bad in ({}, {str(foreign.pk): 5}, {str(criterion.pk): 11}):
        response = send(client, "PUT", path, bad, **organiser_auth)
        assert (response.status_code, response.json()["code"]) == (422, "invalid_request"), bad
    for bad in ({str(criterion.pk): -1}, {"abc": 5}, {str(criterion.pk): "7"}, []):
        assert send(client, "PUT", path, bad, **organiser_auth).status_code == 422, bad
    assert not CriterionScore.objects.exists()


def test_ranking_query_count_is_flat(client, organiser_auth, django_assert_max_num_queries):
    event = make_export_event(places=40)
    criteria = list(event.call.criteria.all())
    for n in range(25):
        application = make_application(event=event, status=S.IN_REVIEW)
        CriterionScore.objects.bulk_create(
            CriterionScore(application=application, criterion=c, score=(n + i) % 10)
            for i, c in enumerate(criteria)
        )

    # The token (and its last use), the event with its industries and criteria, then the
    # applications with their scores, products and the call's criteria.
    with django_assert_max_num_queries(9):
        response = get(client, f"/events/{event.pk}/ranking", {"limit": 100}, **organiser_auth)

    assert len(response.json()["items"]) == 25


# --- The fair vote ----------------------------------------------------------------------------


def test_vote_shows_counts_only_once_published(client, company):
    enterprise, _host, auth = company
    vote = make_vote_round(votes_per_enterprise=2)
    ciif, canton, tashkent = (
        FairCandidate.objects.create(round=vote, title=title, country="Китай", city=city)
        for title, city in (
            ("China Industry Fair", "Шанхай"),
            ("Canton Fair", "Гуанчжоу"),
            ("Иннопром", "Ташкент"),
        )
    )
    other, _ = make_company()
    FairVote.objects.create(candidate=ciif, enterprise=other)

    cast = post(
        client,
        f"/votes/{vote.pk}/ballots",
        {"candidate": ciif.pk, "enterprise": enterprise.pk},
        **auth,
    )
    hidden = client.get(f"{API}/votes/{vote.pk}").json()
    vote.results_published = True
    vote.save()
    shown = client.get(f"{API}/votes/{vote.pk}").json()

    assert cast.status_code == 201, cast.content
    assert cast.json()["votes_left"] == 1 and cast.json()["candidate_id"] == ciif.pk
    assert [(c["title"], c["votes"]) for c in hidden["candidates"]] == [
        ("Canton Fair", None),
        ("China Industry Fair", None),
        ("Иннопром", None),
    ]
    assert hidden["open"] is True and hidden["votes_per_enterprise"] == 2
    assert [(c["id"], c["votes"]) for c in shown["candidates"]] == [
        (ciif.pk, 2),
        (canton.pk, 0),
        (tashkent.pk, 0),
    ]
    listed = client.get(f"{API}/votes").json()
    assert [item["id"] for item in listed["items"]] == [vote.pk]
    assert client.get(f"{API}/votes/{2**40}").status_code == 404


def test_vote_refusals(client, company):
    enterprise, _host, auth = company
    vote = make_vote_round(votes_per_enterprise=1)
    first, second = (
        FairCandidate.objects.create(round=vote, title=t, country="ОАЭ", city="Дубай")
        for t in ("Big 5", "Gulfood")
    )
    elsewhere = FairCandidate.objects.create(
        round=make_vote_round(), title="IMTEX", country="Индия", city="Бангалор"
    )
    other, _ = make_company()

    def cast(candidate, enterprise_id=enterprise.pk, headers=auth):
        return post(
            client,
            f"/votes/{vote.pk}/ballots",
            {"candidate": candidate.pk, "enterprise": enterprise_id},
            **headers,
        )

    assert cast(first).status_code == 201
    twice = cast(first)
    over = cast(second)
    foreign = cast(second, other.pk)
    wrong_round = cast(elsewhere)
    visitor = cast(second, headers=bearer(make_user()))

    assert (twice.status_code, twice.json()["code"]) == (409, "already_voted")
    assert (over.status_code, over.json()["code"]) == (409, "vote_limit")
    assert (foreign.status_code, foreign.json()["code"]) == (403, "forbidden")
    assert (wrong_round.status_code, wrong_round.json()["code"]) == (422, "invalid_request")
    assert visitor.status_code == 403
    assert FairVote.objects.count() == 1

    closed = make_vote_round(
        opens_at=clock.now() - dt.timedelta(days=10), closes_at=clock.now() - dt.timedelta(days=1)
    )
    late_candidate = FairCandidate.objects.create(
        round=closed, title="CIIF", country="Китай", city="Шанхай"
    )
    late = post(
        client,
        f"/votes/{closed.pk}/ballots",
        {"candidate": late_candidate.pk, "enterprise": enterprise.pk},
        **auth,
    )
    assert (late.status_code, late.json()["code"]) == (409, "vote_closed")


# --- Figures ----------------------------------------------------------------------------------


def test_figures_for_a_period(client, company, organiser_auth):
    enterprise, host, auth = company
    start = clock.today() - dt.timedelta(days=60)
    mission = _past_event(kind=EventKind.MISSION)
    fair = _past_event()
    EventRate.objects.create(event=fair, currency="CNY", rub_per_unit=Decimal("12.5"))
    for event, meetings, contract in ((mission, 5, None), (fair, 9, "1000")):
        application = make_application(
            event=event, enterprise=enterprise, user=host, status=S.PARTICIPATED
        )
        report = OutcomeReport.objects.create(
            application=application, meetings_held=meetings, agreements=1, submitted_at=clock.now()
        )
        if contract:
            report.contracts.create(counterpart="Buyer", value=Decimal(contract), currency="CNY")
    make_export_event()  # not held yet

    response = get(
        client,
        "/figures",
        {"start": start.isoformat(), "end": clock.today().isoformat()},
        **organiser_auth,
    )

    assert response.status_code == 200, response.content
    figures = response.json()
    assert (figures["missions"], figures["exhibitions"], figures["b2b_sessions"]) == (1, 1, 0)
    assert figures["companies_supported"] == 1
    assert (figures["meetings"], figures["agreements"], figures["contracts"]) == (14, 2, 1)
    assert Decimal(figures["contract_value_rub"]) == Decimal("12500")
    default = get(client, "/figures", **organiser_auth).json()
    assert default["start"] == clock.today().replace(month=1, day=1).isoformat()
    backwards = get(
        client, "/figures", {"start": "2026-06-30", "end": "2026-01-01"}, **organiser_auth
    )
    assert (backwards.status_code, backwards.json()["code"]) == (422, "invalid_request")
    assert get(client, "/figures", {"start": "2026-13-01"}, **organiser_auth).status_code == 422
    assert get(client, "/figures", **auth).status_code == 403


# --- Nothing makes it fail ------------------------------------------------------------------

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_application).include(
    path_regex="^/api/v1/export"
)
# The test sends its own token: a generated case "without Authorization" would still reach the
# API authenticated, and be reported as a wrongly accepted request.
schema.config.generation.update(with_security_parameters=False)


@pytest.fixture
def real_ids(db, keep_the_test_connection):
    """Rows the generated requests are pointed at, and an organiser's token for the writes."""
    organiser = make_user(role=Role.ORGANISER)
    event = make_export_event(show_chinese=True)
    application = make_application(event=event)
    make_application(event=event, status=S.IN_REVIEW)
    past = _past_event()
    EventRate.objects.create(event=past, currency="CNY", rub_per_unit=Decimal("12.35"))
    participant = make_application(event=past, status=S.PARTICIPATED)
    vote = make_vote_round()
    FairCandidate.objects.create(round=vote, title="CIIF", country="Китай", city="Шанхай")
    return {
        "events": [event.pk, past.pk],
        "applications": [application.pk, participant.pk],
        "votes": [vote.pk],
        "headers": bearer(organiser),
    }


def _point_at_real_rows(case, ids) -> None:
    """Most generated ids would be 404; map valid ones onto rows that exist."""
    value = (case.path_parameters or {}).get("id")
    if type(value) is not int or not 1 <= value < 2**63:  # bool is an int, but negative data
        return
    kind = case.path.split("/")[4]  # "", "api", "v1", "export", "events", "{id}", …
    pool = ids[kind]
    case.path_parameters["id"] = pool[value % len(pool)]


@schema.parametrize()
@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_export_api_answers_as_documented_on_real_rows(case, real_ids):
    _point_at_real_rows(case, real_ids)
    case.call_and_validate(
        headers=real_ids["headers"],
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            negative_data_rejection,
        ],
    )
