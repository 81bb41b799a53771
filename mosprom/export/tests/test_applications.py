"""Creating and changing applications, scoring them and ranking them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models.query import QuerySet

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.export.applications import (
    application_create,
    application_score,
    application_update,
    ranking,
    weighted_score,
)
from mosprom.export.errors import (
    AlreadyApplied,
    CallClosed,
    CallNotOpen,
    Forbidden,
    InvalidRequest,
    InvalidTransition,
    NotFound,
)
from mosprom.export.models import Application, ApplicationStatus, Criterion, CriterionScore
from mosprom.export.tests.factories import make_application, make_company, make_export_event
from mosprom.registry.tests.factories import make_product
from mosprom.tourism.booking import format_moment

pytestmark = pytest.mark.django_db

S = ApplicationStatus


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER)


@pytest.fixture
def company():
    """(enterprise, its host, its product)."""
    enterprise, host = make_company(short_name="Станкомаш")
    return enterprise, host, enterprise.products.get()


def create(event, enterprise, user, **fields):
    return application_create(user=user, event=event, enterprise=enterprise, **fields)


# --- Creating --------------------------------------------------------------------------------


def test_a_host_creates_a_draft_with_products_and_cleaned_texts(company):
    enterprise, host, product = company
    second = make_product(enterprise, name="Фрезерный центр")
    event = make_export_event()
    application = create(
        event,
        enterprise,
        host,
        products=[product.pk, str(second.pk), product.pk],
        export_experience="  Поставки в Казахстан\r\nи Беларусь с 2019 года  \n",
        target_markets="  Китай,   Индия ",
        contact_name=" Мария   Иванова ",
        contact_email="export@stankomash.test",
        contact_phone=" +7 495 000-00-00 ",
    )
    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert application.created_by == host
    assert (application.event, application.enterprise) == (event, enterprise)
    assert set(application.products.values_list("pk", flat=True)) == {product.pk, second.pk}
    assert application.export_experience == "Поставки в Казахстан\nи Беларусь с 2019 года"
    assert application.target_markets == "Китай, Индия"
    assert application.contact_name == "Мария Иванова"
    assert application.contact_phone == "+7 495 000-00-00"
    assert application.submitted_at is None


def test_an_organiser_may_create_on_the_company_behalf(company, organiser):
    enterprise, _host, _product = company
    application = create(make_export_event(), enterprise, organiser)
    assert application.created_by == organiser
    assert application.status == S.DRAFT


def test_a_host_of_company_a_cannot_create_for_company_b(company):
    enterprise_a, _host_a, _ = company
    _enterprise_b, host_b = make_company()
    event = make_export_event()
    with pytest.raises(Forbidden):
        create(event, enterprise_a, host_b)
    with pytest.raises(Forbidden):
        create(event, enterprise_a, make_user(role=Role.VISITOR))
    assert not Application.objects.exists()


def test_an_unpublished_event_takes_no_application_from_a_host(company, organiser):
    enterprise, host, _ = company
    event = make_export_event(is_published=False)
    with pytest.raises(NotFound):
        create(event, enterprise, host)
    assert create(event, enterprise, organiser).status == S.DRAFT


def test_the_call_window_is_enforced(company):
    enterprise, host, _ = company
    event = make_export_event()
    call = event.call
    with clock.frozen(call.opens_at - dt.timedelta(seconds=1)), pytest.raises(CallNotOpen) as early:
        create(event, enterprise, host)
    assert early.value.text == (
        f"Приём заявок ещё не начался: он откроется {format_moment(call.opens_at)}."
    )
    assert early.value.code == "call_not_open"
    with clock.frozen(call.closes_at), pytest.raises(CallClosed) as late:
        create(event, enterprise, host)
    assert late.value.text == "Приём заявок на это мероприятие закрыт."
    with clock.frozen(call.opens_at):
        assert create(event, enterprise, host).status == S.DRAFT


def test_an_event_without_a_call_takes_no_application(company):
    enterprise, host, _ = company
    with pytest.raises(CallClosed, match="На это мероприятие заявки не принимаются"):
        create(make_export_event(with_call=False), enterprise, host)


def test_products_must_be_the_enterprise_own(company):
    enterprise, host, product = company
    other, _ = make_company()
    foreign = other.products.get()
    with pytest.raises(InvalidRequest) as refused:
        create(make_export_event(), enterprise, host, products=[product.pk, foreign.pk])
    assert refused.value.text == (
        f"Продукция №{foreign.pk} не относится к предприятию «Станкомаш»."
    )
    with pytest.raises(InvalidRequest, match="Неизвестная продукция: «станок»"):
        create(make_export_event(), enterprise, host, products=["станок"])
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("field", "limit", "label"),
    [
        ("export_experience", 5000, "Опыт экспорта"),
        ("target_markets", 500, "Целевые рынки"),
        ("contact_name", 255, "Контактное лицо"),
        ("contact_phone", 32, "Телефон контактного лица"),
    ],
)
def test_texts_are_bounded(company, field, limit, label):
    enterprise, host, _ = company
    event = make_export_event()
    with pytest.raises(InvalidRequest) as refused:
        create(event, enterprise, host, **{field: "ф" * (limit + 1)})
    assert refused.value.text == f"{label}: не длиннее {limit} символов."
    application = create(event, enterprise, host, **{field: "ф" * limit})
    assert len(getattr(application, field)) == limit


@pytest.mark.parametrize("email", ["мария@", "export@", "a b@example.test", "@example.test"])
def test_the_contact_email_is_validated(company, email):
    enterprise, host, _ = company
    with pytest.raises(InvalidRequest, match="Проверьте адрес электронной почты контактного лица"):
        create(make_export_event(), enterprise, host, contact_email=email)


def test_unknown_fields_are_a_programming_error(company):
    enterprise, host, _ = company
    with pytest.raises(TypeError, match="status"):
        create(make_export_event(), enterprise, host, status=S.ACCEPTED)


def test_one_open_application_per_enterprise_and_event(company):
    enterprise, host, _ = company
    event = make_export_event()
    first = create(event, enterprise, host)
    with pytest.raises(AlreadyApplied) as refused:
        create(event, enterprise, host)
    assert refused.value.text == "У предприятия уже есть заявка на это мероприятие."
    # Another event is another application; a withdrawn one leaves room for a new one.
    create(make_export_event(), enterprise, host)
    Application.objects.filter(pk=first.pk).update(status=S.WITHDRAWN)
    assert create(event, enterprise, host).pk != first.pk


def test_the_database_constraint_answers_a_race_as_already_applied(company, organiser, monkeypatch):
    enterprise, _host, _ = company
    event = make_export_event()
    create(event, enterprise, organiser)
    # As if the rival's draft was committed after our check: only the constraint sees it.
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with pytest.raises(AlreadyApplied):
        create(event, enterprise, organiser)
    monkeypatch.undo()
    assert Application.objects.filter(event=event).count() == 1


# --- Updating --------------------------------------------------------------------------------


def test_update_changes_only_the_given_fields(company):
    enterprise, host, product = company
    application = create(
        make_export_event(),
        enterprise,
        host,
        products=[product.pk],
        contact_name="Мария Иванова",
        target_markets="Китай",
    )
    application_update(application=application, actor=host, target_markets=" Индия,  ОАЭ ")
    application.refresh_from_db()
    assert application.target_markets == "Индия, ОАЭ"
    assert application.contact_name == "Мария Иванова"
    assert list(application.products.all()) == [product]

    application_update(application=application, actor=host, products=[])
    assert not application.products.exists()


def test_a_submitted_application_may_still_change(company):
    enterprise, host, _ = company
    application = make_application(enterprise=enterprise, user=host, status=S.SUBMITTED)
    application_update(application=application, actor=host, contact_phone="+7 495 111-22-33")
    application.refresh_from_db()
    assert application.contact_phone == "+7 495 111-22-33"
    assert application.status == S.SUBMITTED


@pytest.mark.parametrize(
    "status", [S.IN_REVIEW, S.ACCEPTED, S.WAITLISTED, S.REJECTED, S.CONFIRMED, S.WITHDRAWN]
)
def test_update_after_review_started_is_refused(company, status):
    enterprise, host, _ = company
    application = make_application(enterprise=enterprise, user=host, status=status)
    with pytest.raises(InvalidTransition) as refused:
        application_update(application=application, actor=host, target_markets="Индия")
    assert refused.value.text == (f"Заявку в состоянии «{S(status).label}» изменить уже нельзя.")
    application.refresh_from_db()
    assert application.target_markets == "Китай, Индия"


def test_a_host_of_company_b_cannot_update_company_a_application(company):
    enterprise, host, _ = company
    application = make_application(enterprise=enterprise, user=host, status=S.DRAFT)
    _other, stranger = make_company()
    with pytest.raises(Forbidden):
        application_update(application=application, actor=stranger, target_markets="Индия")
    application.refresh_from_db()
    assert application.target_markets == "Китай, Индия"


def test_update_follows_the_same_rules(company):
    enterprise, host, _ = company
    application = make_application(enterprise=enterprise, user=host, status=S.DRAFT)
    with pytest.raises(InvalidRequest, match="Целевые рынки: не длиннее 500 символов"):
        application_update(application=application, actor=host, target_markets="ы" * 501)
    other, _ = make_company()
    with pytest.raises(InvalidRequest, match="не относится к предприятию"):
        application_update(application=application, actor=host, products=[other.products.get()])
    with clock.frozen(application.event.call.closes_at), pytest.raises(CallClosed):
        application_update(application=application, actor=host, target_markets="Индия")


# --- Scoring ---------------------------------------------------------------------------------


def criteria_of(event) -> tuple[Criterion, Criterion]:
    experience, readiness = event.call.criteria.order_by("position")
    return experience, readiness  # weights 40 and 60, max 10


def test_an_organiser_scores_and_rescores(organiser):
    application = make_application(status=S.IN_REVIEW)
    experience, readiness = criteria_of(application.event)
    rows = application_score(
        application=application, actor=organiser, scores={experience.pk: 8, readiness.pk: 5}
    )
    assert [(row.criterion_id, row.score) for row in rows] == [
        (experience.pk, 8),
        (readiness.pk, 5),
    ]
    second = make_user(role=Role.ORGANISER)
    application_score(application=application, actor=second, scores={str(experience.pk): "9"})
    assert dict(
        CriterionScore.objects.filter(application=application).values_list("criterion_id", "score")
    ) == {experience.pk: 9, readiness.pk: 5}
    assert CriterionScore.objects.get(criterion=experience).scored_by == second


@pytest.mark.parametrize("value", [-1, 11, "много", 2.5, True])
def test_a_score_is_a_whole_number_within_the_maximum(organiser, value):
    application = make_application(status=S.SUBMITTED)
    experience, _ = criteria_of(application.event)
    with pytest.raises(InvalidRequest) as refused:
        application_score(application=application, actor=organiser, scores={experience.pk: value})
    assert refused.value.text == "«Опыт экспорта»: оценка — целое число от 0 до 10."
    assert not CriterionScore.objects.exists()


def test_a_criterion_of_another_event_is_refused(organiser):
    application = make_application(status=S.SUBMITTED)
    foreign, _ = criteria_of(make_export_event())
    with pytest.raises(InvalidRequest) as refused:
        application_score(application=application, actor=organiser, scores={foreign.pk: 5})
    assert refused.value.text == f"Критерий №{foreign.pk} не относится к этому мероприятию."
    with pytest.raises(InvalidRequest, match="Поставьте хотя бы одну оценку"):
        application_score(application=application, actor=organiser, scores={})


def test_only_organisers_score(company):
    enterprise, host, _ = company
    application = make_application(enterprise=enterprise, user=host, status=S.SUBMITTED)
    experience, _ = criteria_of(application.event)
    with pytest.raises(Forbidden):
        application_score(application=application, actor=host, scores={experience.pk: 10})
    assert not CriterionScore.objects.exists()


@pytest.mark.parametrize("status", [S.DRAFT, S.ACCEPTED, S.REJECTED, S.WITHDRAWN])
def test_applications_outside_the_decision_are_not_scored(organiser, status):
    application = make_application(status=status)
    experience, _ = criteria_of(application.event)
    with pytest.raises(InvalidTransition, match="не оценивают"):
        application_score(application=application, actor=organiser, scores={experience.pk: 5})


# --- Weighted score and ranking --------------------------------------------------------------


def scored(event, status, marks: tuple[int | None, int | None]) -> Application:
    application = make_application(event=event, status=status)
    for criterion, mark in zip(criteria_of(event), marks, strict=True):
        if mark is not None:
            CriterionScore.objects.create(application=application, criterion=criterion, score=mark)
    return application


def fresh(application: Application) -> Application:
    return (
        Application.objects.select_related("event__call")
        .prefetch_related("scores", "event__call__criteria")
        .get(pk=application.pk)
    )


def test_weighted_score_on_a_known_example():
    event = make_export_event()
    # 40 × 8/10 + 60 × 5/10 = 62 of 100.
    assert weighted_score(fresh(scored(event, S.IN_REVIEW, (8, 5)))) == 62.0
    assert weighted_score(fresh(scored(event, S.IN_REVIEW, (10, 10)))) == 100.0
    assert weighted_score(fresh(scored(event, S.IN_REVIEW, (0, 0)))) == 0.0
    # An unscored criterion counts as zero against all the weights.
    assert weighted_score(fresh(scored(event, S.IN_REVIEW, (10, None)))) == 40.0
    assert weighted_score(fresh(scored(event, S.IN_REVIEW, (None, None)))) is None


def test_weighted_score_respects_each_maximum():
    event = make_export_event()
    experience, readiness = criteria_of(event)
    Criterion.objects.filter(pk=experience.pk).update(max_score=5, weight=1)
    Criterion.objects.filter(pk=readiness.pk).update(max_score=3, weight=2)
    # (1 × 4/5 + 2 × 1/3) / 3 × 100 = 48.89
    assert weighted_score(fresh(scored(event, S.SUBMITTED, (4, 1)))) == 48.89


def test_ranking_orders_by_weighted_score_and_leaves_out_the_undecidable(
    django_assert_max_num_queries,
):
    event = make_export_event()
    best = scored(event, S.IN_REVIEW, (10, 10))  # 100
    accepted = scored(event, S.ACCEPTED, (8, 5))  # 62
    middle = scored(event, S.WAITLISTED, (5, 5))  # 50
    confirmed = scored(event, S.CONFIRMED, (10, None))  # 40
    unscored = scored(event, S.SUBMITTED, (None, None))
    for status in (S.DRAFT, S.REJECTED, S.WITHDRAWN, S.PARTICIPATED):
        scored(event, status, (10, 10))
    scored(make_export_event(), S.IN_REVIEW, (10, 10))  # another event's

    with django_assert_max_num_queries(4):
        ranked = ranking(event)
        [(a.enterprise.short_name, a.event.call.pk, list(a.products.all())) for a, _ in ranked]

    assert [(a.pk, score) for a, score in ranked] == [
        (best.pk, 100.0),
        (accepted.pk, 62.0),
        (middle.pk, 50.0),
        (confirmed.pk, 40.0),
        (unscored.pk, None),
    ]


def test_ranking_ties_go_to_the_earlier_submission():
    event = make_export_event()
    later = scored(event, S.IN_REVIEW, (5, 5))
    earlier = scored(event, S.IN_REVIEW, (5, 5))
    Application.objects.filter(pk=earlier.pk).update(
        submitted_at=clock.now() - dt.timedelta(days=2)
    )
    assert [a.pk for a, _ in ranking(event)] == [earlier.pk, later.pk]


def test_ranking_queries_do_not_grow_with_applications(django_assert_max_num_queries):
    event = make_export_event()
    for n in range(12):
        scored(event, S.IN_REVIEW, (n % 11, (n * 3) % 11))
    with django_assert_max_num_queries(4):
        ranked = ranking(event)
    scores = [score for _, score in ranked]
    assert len(ranked) == 12
    assert scores == sorted(scores, reverse=True)


def test_ranking_of_an_event_without_a_call_lists_unscored():
    event = make_export_event(with_call=False)
    application = make_application(event=event, status=S.SUBMITTED)
    assert ranking(event) == [(application, None)]
