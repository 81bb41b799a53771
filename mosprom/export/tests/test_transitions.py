"""The application state machine: every (from, to) pair for both sides, submitting, places
taken and passed on, history rows and the mail to the company."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.http import HttpResponse
from django.urls import include, path

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.export.applications import TRANSITIONS, application_transition
from mosprom.export.errors import (
    CallClosed,
    CallNotOpen,
    Forbidden,
    InvalidRequest,
    InvalidTransition,
    NoPlacesLeft,
)
from mosprom.export.models import (
    HOLDS_PLACE,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    ApplicationTransition,
    Call,
    ExportEvent,
)
from mosprom.export.tests.factories import make_application, make_company, make_export_event
from mosprom.tourism.booking import format_moment

pytestmark = pytest.mark.django_db

# The two pages the mail links to, for the test that sets this module as the URLconf.
urlpatterns = [
    path(
        "export/",
        include(
            (
                [
                    path("<int:pk>/", HttpResponse, name="event_detail"),
                    path("my/applications/<int:pk>/", HttpResponse, name="my_application"),
                ],
                "export",
            )
        ),
    )
]

S = ApplicationStatus
STATES = list(S.values)
REQUIRED = "Презентация компании"  # the factory call's one required document


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the on-commit work (the mail) queued inside the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER, first_name="Ольга")


def attach_required(application: Application, title: str = REQUIRED) -> ApplicationDocument:
    return ApplicationDocument.objects.create(
        application=application, title=title, file="export/documents/test.pdf", size=100
    )


def ready(status: str, **fields) -> Application:
    """An application in ``status`` that meets every rule of every move out of it."""
    application = make_application(status=status, **fields)
    attach_required(application)
    return application


def taken(event: ExportEvent) -> int:
    event.refresh_from_db()
    return event.taken


def moves(application: Application) -> list[tuple[str, str, int | None]]:
    return list(
        ApplicationTransition.objects.filter(application=application)
        .order_by("id")
        .values_list("from_status", "to_status", "actor_id")
    )


def label(status: str) -> str:
    return str(S(status).label)


# --- Every pair, both sides ------------------------------------------------------------------


@pytest.mark.parametrize("side", ["company", "organiser"])
@pytest.mark.parametrize(
    ("source", "target"),
    list(itertools.product(STATES, STATES)),
    ids=[f"{a}->{b}" for a, b in itertools.product(STATES, STATES)],
)
def test_every_pair_of_states_for_both_sides(source, target, side, organiser):
    application = ready(source)
    event = application.event
    before = taken(event)
    actor = application.created_by if side == "company" else organiser
    whose = TRANSITIONS.get((source, target))
    # Organisers make their own moves and the company's on its behalf.
    allowed = whose == side or (whose is not None and side == "organiser")

    if allowed:
        moved = application_transition(application=application, actor=actor, to=target)
        assert moved.status == target
        application.refresh_from_db()
        assert application.status == target
        assert moves(application) == [(source, target, actor.pk)]
        # Nobody waits on this event: a place is taken on acceptance, freed on leaving.
        expected = before + (target in HOLDS_PLACE) - (source in HOLDS_PLACE)
        assert taken(event) == expected
        return

    with pytest.raises(InvalidTransition) as refused:
        application_transition(application=application, actor=actor, to=target)
    text = refused.value.text
    if whose is None:
        assert text == (
            f"Заявку в состоянии «{label(source)}» нельзя перевести в состояние «{label(target)}»."
        )
    else:  # the company tried an organiser's move
        assert side == "company" and whose == "organiser"
        assert (
            text
            == f"Заявку из состояния «{label(source)}» в «{label(target)}» переводит организатор."
        )
    assert refused.value.code == "invalid_transition"
    application.refresh_from_db()
    assert application.status == source
    assert moves(application) == []
    assert taken(event) == before


def test_the_table_covers_the_documented_machine():
    assert len(TRANSITIONS) == 15
    assert set(TRANSITIONS.values()) == {"company", "organiser"}
    # Nothing leaves a closed application, and only the organiser decides.
    assert not [
        pair for pair in TRANSITIONS if pair[0] in (S.REJECTED, S.WITHDRAWN, S.PARTICIPATED)
    ]
    decisions = [pair for pair in TRANSITIONS if pair[1] in (S.ACCEPTED, S.REJECTED, S.WAITLISTED)]
    assert {TRANSITIONS[pair] for pair in decisions} == {"organiser"}


def test_an_unknown_state_is_an_invalid_request(organiser):
    application = ready(S.SUBMITTED)
    with pytest.raises(InvalidRequest, match="Неизвестное состояние заявки: «archived»"):
        application_transition(application=application, actor=organiser, to="archived")


# --- Who may ---------------------------------------------------------------------------------


def test_a_host_of_another_company_cannot_move_the_application(organiser):
    application = ready(S.DRAFT)
    _other, stranger = make_company()
    with pytest.raises(Forbidden):
        application_transition(application=application, actor=stranger, to=S.SUBMITTED)
    with pytest.raises(Forbidden):
        application_transition(application=application, actor=stranger, to=S.WITHDRAWN)
    application.refresh_from_db()
    assert application.status == S.DRAFT


@pytest.mark.parametrize("who", ["visitor", "anonymous", "inactive organiser"])
def test_visitors_and_anonymous_cannot_move_any_application(who):
    application = ready(S.SUBMITTED)
    actor = {
        "visitor": lambda: make_user(role=Role.VISITOR),
        "anonymous": AnonymousUser,
        "inactive organiser": lambda: make_user(role=Role.ORGANISER, is_active=False),
    }[who]()
    with pytest.raises(Forbidden):
        application_transition(application=application, actor=actor, to=S.IN_REVIEW)


def test_a_second_host_of_the_same_company_may_act_for_it():
    from mosprom.registry.tests.factories import make_membership

    application = ready(S.DRAFT)
    colleague = make_user(role=Role.HOST)
    make_membership(colleague, application.enterprise)
    application_transition(application=application, actor=colleague, to=S.SUBMITTED)
    assert moves(application) == [(S.DRAFT, S.SUBMITTED, colleague.pk)]


# --- Submitting ------------------------------------------------------------------------------


def test_submit_stamps_the_time():
    application = ready(S.DRAFT)
    moment = clock.now().replace(microsecond=0)
    with clock.frozen(moment):
        application_transition(
            application=application, actor=application.created_by, to="submitted"
        )
    application.refresh_from_db()
    assert application.submitted_at == moment


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"contact_name": ""}, "Укажите контактное лицо и его адрес электронной почты."),
        ({"contact_email": ""}, "Укажите контактное лицо и его адрес электронной почты."),
    ],
)
def test_submit_needs_the_contact(change, message):
    application = ready(S.DRAFT, **change)
    with pytest.raises(InvalidRequest) as refused:
        application_transition(
            application=application, actor=application.created_by, to=S.SUBMITTED
        )
    assert refused.value.text == message
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_submit_needs_a_product():
    application = ready(S.DRAFT)
    application.products.clear()
    with pytest.raises(InvalidRequest, match="Выберите хотя бы одну продукцию"):
        application_transition(
            application=application, actor=application.created_by, to=S.SUBMITTED
        )


def test_submit_needs_every_required_document_named_as_required():
    application = make_application(status=S.DRAFT)
    Call.objects.filter(event=application.event).update(
        required_documents="Презентация компании\n\nВыписка из ЕГРЮЛ\n"
    )
    application.event.call.refresh_from_db()
    attach_required(application, title="Каталог продукции")  # not a required one
    with pytest.raises(InvalidRequest) as refused:
        application_transition(
            application=application, actor=application.created_by, to=S.SUBMITTED
        )
    assert refused.value.text == (
        "Приложите обязательные документы: «Презентация компании», «Выписка из ЕГРЮЛ»."
    )

    attach_required(application, title="презентация  компании")  # case and spaces do not matter
    with pytest.raises(InvalidRequest) as refused:
        application_transition(
            application=application, actor=application.created_by, to=S.SUBMITTED
        )
    assert refused.value.text == "Приложите обязательные документы: «Выписка из ЕГРЮЛ»."

    attach_required(application, title="Выписка из ЕГРЮЛ")
    application_transition(application=application, actor=application.created_by, to=S.SUBMITTED)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_submit_after_the_call_closed_is_refused(organiser):
    application = ready(S.DRAFT)
    call = application.event.call
    with clock.frozen(call.closes_at), pytest.raises(CallClosed):
        application_transition(
            application=application, actor=application.created_by, to=S.SUBMITTED
        )
    # Not even an organiser on the company's behalf.
    with clock.frozen(call.closes_at + dt.timedelta(days=1)), pytest.raises(CallClosed):
        application_transition(application=application, actor=organiser, to=S.SUBMITTED)
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_submit_before_the_call_opens_names_the_moscow_moment():
    application = ready(S.DRAFT)
    call = application.event.call
    with (
        clock.frozen(call.opens_at - dt.timedelta(minutes=1)),
        pytest.raises(CallNotOpen) as refused,
    ):
        application_transition(
            application=application, actor=application.created_by, to=S.SUBMITTED
        )
    assert refused.value.text == (
        f"Приём заявок ещё не начался: он откроется {format_moment(call.opens_at)}."
    )


# --- Places ----------------------------------------------------------------------------------


def test_accepting_takes_a_place_and_a_full_event_refuses(organiser):
    event = make_export_event(places=1)
    first = ready(S.IN_REVIEW, event=event)
    second = ready(S.WAITLISTED, event=event)
    application_transition(application=first, actor=organiser, to=S.ACCEPTED)
    assert taken(event) == 1

    with pytest.raises(NoPlacesLeft) as refused:
        application_transition(application=second, actor=organiser, to=S.ACCEPTED)
    assert refused.value.code == "no_places_left"
    assert "Все места на мероприятии уже заняты" in refused.value.text
    second.refresh_from_db()
    assert second.status == S.WAITLISTED
    assert moves(second) == []
    assert taken(event) == 1


def test_waitlisting_stamps_the_queue_time(organiser):
    application = ready(S.IN_REVIEW)
    moment = clock.now().replace(microsecond=0) + dt.timedelta(hours=1)
    with clock.frozen(moment):
        application_transition(application=application, actor=organiser, to=S.WAITLISTED)
    application.refresh_from_db()
    assert application.waitlisted_at == moment
    assert taken(application.event) == 0


@pytest.mark.parametrize("holder_status", [S.ACCEPTED, S.CONFIRMED])
def test_withdrawal_passes_the_place_to_the_longest_waiting(holder_status, committed):
    event = make_export_event(places=1)
    holder = ready(holder_status, event=event)
    now = clock.now()
    late = ready(S.WAITLISTED, event=event)
    early = ready(S.WAITLISTED, event=event)
    Application.objects.filter(pk=late.pk).update(waitlisted_at=now - dt.timedelta(hours=1))
    Application.objects.filter(pk=early.pk).update(waitlisted_at=now - dt.timedelta(hours=5))
    assert taken(event) == 1

    with committed():
        application_transition(application=holder, actor=holder.created_by, to=S.WITHDRAWN)

    statuses = dict(Application.objects.filter(event=event).values_list("pk", "status"))
    assert statuses == {holder.pk: S.WITHDRAWN, early.pk: S.ACCEPTED, late.pk: S.WAITLISTED}
    assert taken(event) == 1  # the place passed on
    assert moves(early) == [(S.WAITLISTED, S.ACCEPTED, None)]
    note = ApplicationTransition.objects.get(application=early).comment
    assert note == "Освободилось место: заявка одобрена из листа ожидания."
    promoted_mail = [
        m for m in mail.outbox if early.contact_email in m.to and "Освободилось" in m.subject
    ]
    assert len(promoted_mail) == 1
    assert promoted_mail[0].subject == f"Освободилось место: заявка на «{event.title}» одобрена"
    assert "освободившееся место перешло к вам из листа ожидания" in promoted_mail[0].body


def test_withdrawal_promotes_the_lower_id_on_a_tie(organiser):
    event = make_export_event(places=1)
    holder = ready(S.ACCEPTED, event=event)
    first = ready(S.WAITLISTED, event=event)
    second = ready(S.WAITLISTED, event=event)
    Application.objects.filter(pk__in=[first.pk, second.pk]).update(waitlisted_at=clock.now())
    application_transition(application=holder, actor=organiser, to=S.WITHDRAWN)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.ACCEPTED, S.WAITLISTED)


def test_withdrawal_with_nobody_waiting_frees_the_place():
    event = make_export_event(places=2)
    holder = ready(S.CONFIRMED, event=event)
    other = ready(S.ACCEPTED, event=event)
    rejected = ready(S.REJECTED, event=event)  # closed applications never get the place
    assert taken(event) == 2
    application_transition(application=holder, actor=holder.created_by, to=S.WITHDRAWN)
    assert taken(event) == 1
    other.refresh_from_db()
    rejected.refresh_from_db()
    assert (other.status, rejected.status) == (S.ACCEPTED, S.REJECTED)


def test_withdrawing_from_the_waitlist_neither_frees_nor_promotes():
    event = make_export_event(places=1)
    ready(S.ACCEPTED, event=event)
    leaving = ready(S.WAITLISTED, event=event)
    staying = ready(S.WAITLISTED, event=event)
    application_transition(application=leaving, actor=leaving.created_by, to=S.WITHDRAWN)
    staying.refresh_from_db()
    assert staying.status == S.WAITLISTED
    assert taken(event) == 1


def test_confirming_and_participating_keep_the_place(organiser):
    event = make_export_event(places=1)
    application = ready(S.ACCEPTED, event=event)
    application_transition(application=application, actor=application.created_by, to=S.CONFIRMED)
    application_transition(application=application, actor=organiser, to=S.PARTICIPATED)
    assert taken(event) == 1
    assert [m[:2] for m in moves(application)] == [
        (S.ACCEPTED, S.CONFIRMED),
        (S.CONFIRMED, S.PARTICIPATED),
    ]


def test_a_stale_object_is_rechecked_under_the_lock(organiser):
    event = make_export_event(places=3)
    application = ready(S.IN_REVIEW, event=event)
    stale = Application.objects.get(pk=application.pk)
    application_transition(application=application, actor=organiser, to=S.ACCEPTED)
    with pytest.raises(InvalidTransition) as refused:
        application_transition(application=stale, actor=organiser, to=S.ACCEPTED)
    assert "«Одобрена» нельзя перевести в состояние «Одобрена»" in refused.value.text
    assert taken(event) == 1


# --- History and mail ------------------------------------------------------------------------


def test_a_comment_is_kept_with_the_move_and_bounded(organiser):
    application = ready(S.IN_REVIEW)
    with pytest.raises(InvalidRequest, match="не длиннее 1000 символов"):
        application_transition(
            application=application, actor=organiser, to=S.REJECTED, comment="я" * 1001
        )
    application_transition(
        application=application, actor=organiser, to=S.REJECTED, comment="  " + "я" * 1000 + " "
    )
    (move,) = ApplicationTransition.objects.filter(application=application)
    assert move.comment == "я" * 1000
    assert move.actor == organiser


def test_every_move_mails_the_contact_and_the_creator(organiser, committed):
    host = make_user(role=Role.HOST, email="creator@example.test")
    enterprise, _ = make_company(short_name="Станкомаш")
    from mosprom.registry.tests.factories import make_membership

    make_membership(host, enterprise)
    application = ready(
        S.DRAFT,
        enterprise=enterprise,
        user=host,
        contact_name="Мария Иванова",
        contact_email="export@stankomash.test",
    )
    event = application.event
    with committed():
        application_transition(application=application, actor=host, to=S.SUBMITTED)
    (message,) = mail.outbox
    assert message.to == ["export@stankomash.test", "creator@example.test"]
    assert message.subject == f"Заявка на «{event.title}»: Подана"
    assert message.body.startswith("Здравствуйте, Мария Иванова!")
    assert (
        f"Заявка предприятия «Станкомаш» на мероприятие «{event.title}» переведена "
        "из состояния «Черновик» в состояние «Подана»." in message.body
    )
    assert "Мы получили заявку." in message.body
    assert f"Мероприятие: «{event.title}», Шанхай (Китай)" in message.body


def test_the_rejection_mail_gives_the_reason(organiser, committed):
    application = ready(S.IN_REVIEW, contact_email="Export@Example.test")
    with committed():
        application_transition(
            application=application,
            actor=organiser,
            to=S.REJECTED,
            comment="Продукция не соответствует тематике выставки.",
        )
    (message,) = mail.outbox
    assert message.subject.endswith(": Отклонена")
    assert "К сожалению, в этот раз заявка отклонена." in message.body
    assert "Причина: Продукция не соответствует тематике выставки." in message.body


def test_the_acceptance_mail_asks_to_confirm(organiser, committed):
    application = ready(S.IN_REVIEW)
    with committed():
        application_transition(application=application, actor=organiser, to=S.ACCEPTED)
    (message,) = mail.outbox
    assert "в состояние «Одобрена»" in message.body
    assert "Подтвердите участие в личном кабинете" in message.body
    assert "Комментарий" not in message.body


def test_one_address_gets_one_copy(committed):
    application = ready(S.DRAFT)
    Application.objects.filter(pk=application.pk).update(
        contact_email=application.created_by.email.upper()
    )
    application.refresh_from_db()
    with committed():
        application_transition(
            application=application, actor=application.created_by, to=S.WITHDRAWN
        )
    (message,) = mail.outbox
    assert len(message.to) == 1
    assert "Заявка отозвана." in message.body


def test_a_refused_move_mails_nobody(organiser, committed):
    event = make_export_event(places=0)
    application = ready(S.IN_REVIEW, event=event)
    with committed(), pytest.raises(NoPlacesLeft):
        application_transition(application=application, actor=organiser, to=S.ACCEPTED)
    assert mail.outbox == []


def test_the_mail_links_to_the_event_and_the_application(settings, committed):
    settings.ROOT_URLCONF = __name__
    settings.SITE_URL = "https://mosprom.example"
    application = ready(S.DRAFT)
    with committed():
        application_transition(
            application=application, actor=application.created_by, to=S.SUBMITTED
        )
    (message,) = mail.outbox
    event_id, application_id = application.event_id, application.pk
    assert f"Страница мероприятия: https://mosprom.example/export/{event_id}/" in message.body
    assert (
        f"Заявка в личном кабинете: https://mosprom.example/export/my/applications/{application_id}/"
        in message.body
    )
    assert message.body.rstrip().endswith(
        "https://mosprom.example\nПисьмо отправлено автоматически, отвечать на него не нужно."
    )
