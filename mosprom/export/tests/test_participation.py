"""The participant's checklist and B2B meeting schedule (``export.participation``)."""

from __future__ import annotations

import datetime as dt

import pytest

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.export.errors import Forbidden, InvalidRequest, NotFound
from mosprom.export.models import (
    HOLDS_PLACE,
    ApplicationStatus,
    ChecklistItem,
    Meeting,
    MeetingResult,
)
from mosprom.export.participation import checklist_ensure, checklist_mark, meeting_save
from mosprom.export.tests.factories import make_application, make_company, make_export_event

pytestmark = pytest.mark.django_db

S = ApplicationStatus
NOT_HOLDING = [s for s in S.values if s not in HOLDS_PLACE]


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return clock.start_of_day(day) + dt.timedelta(hours=hour, minutes=minute)


# --- Checklist -----------------------------------------------------------------------------


def test_checklist_is_created_once_with_the_four_standard_items():
    application = make_application(status=S.ACCEPTED)

    items = checklist_ensure(application=application, actor=application.created_by)
    again = checklist_ensure(application=application)

    assert [item.kind for item in items] == ["stand", "shipping", "visa", "travel"]
    assert [item.title for item in items] == [
        "Стенд: место, оформление и оборудование экспозиции",
        "Доставка экспонатов и таможенные документы",
        "Письмо для визовой поддержки",
        "Проезд и проживание",
    ]
    assert [item.pk for item in again] == [item.pk for item in items]
    assert ChecklistItem.objects.filter(application=application).count() == 4
    assert not any(item.done for item in items)


def test_checklist_adds_only_a_missing_standard_item():
    application = make_application(status=S.CONFIRMED)
    items = checklist_ensure(application=application)
    items[1].delete()

    again = checklist_ensure(application=application)

    assert sorted(item.kind for item in again) == ["shipping", "stand", "travel", "visa"]
    assert ChecklistItem.objects.filter(application=application).count() == 4


@pytest.mark.parametrize("status", HOLDS_PLACE)
def test_checklist_is_open_to_place_holding_applications(status):
    application = make_application(status=status)
    assert len(checklist_ensure(application=application)) == 4


@pytest.mark.parametrize("status", NOT_HOLDING)
def test_checklist_is_refused_without_a_place(status):
    application = make_application(status=status)

    with pytest.raises(InvalidRequest) as refusal:
        checklist_ensure(application=application)

    assert "когда заявка одобрена" in refusal.value.text
    assert not ChecklistItem.objects.filter(application=application).exists()


def test_checklist_belongs_to_the_company_and_the_organisers():
    application = make_application(status=S.ACCEPTED)
    _other, stranger = make_company()

    for actor in (stranger, make_user(role=Role.VISITOR)):
        with pytest.raises(Forbidden):
            checklist_ensure(application=application, actor=actor)
    assert not ChecklistItem.objects.filter(application=application).exists()

    items = checklist_ensure(application=application, actor=make_user(role=Role.ORGANISER))
    assert len(items) == 4


def test_checklist_mark_sets_done_at_once_and_clears_it():
    application = make_application(status=S.CONFIRMED)
    host = application.created_by
    item = checklist_ensure(application=application)[0]
    first = clock.now().replace(microsecond=0)

    with clock.frozen(first):
        checklist_mark(item=item, actor=host, done=True, note="Стенд C-12, павильон 4")
    with clock.frozen(first + dt.timedelta(days=1)):
        checklist_mark(item=item, actor=host, done=True, note="Стенд C-12, угловой")
    item.refresh_from_db()
    assert item.done and item.done_at == first
    assert item.note == "Стенд C-12, угловой"

    checklist_mark(item=item, actor=host, done=False)
    item.refresh_from_db()
    assert not item.done and item.done_at is None and item.note == ""


def test_checklist_note_is_at_most_500_characters():
    application = make_application(status=S.ACCEPTED)
    item = checklist_ensure(application=application)[0]

    with pytest.raises(InvalidRequest) as refusal:
        checklist_mark(item=item, actor=application.created_by, done=True, note="я" * 501)
    assert "не длиннее 500 символов" in refusal.value.text
    item.refresh_from_db()
    assert not item.done

    checklist_mark(item=item, actor=application.created_by, done=True, note="я" * 500)
    item.refresh_from_db()
    assert item.done and len(item.note) == 500


def test_checklist_mark_by_another_company_is_forbidden():
    application = make_application(status=S.ACCEPTED)
    item = checklist_ensure(application=application)[0]
    _other, stranger = make_company()

    with pytest.raises(Forbidden):
        checklist_mark(item=item, actor=stranger, done=True)
    item.refresh_from_db()
    assert not item.done


def test_checklist_mark_is_refused_after_withdrawal():
    application = make_application(status=S.ACCEPTED)
    item = checklist_ensure(application=application)[0]
    application.status = S.WITHDRAWN
    application.save(update_fields=["status"])
    item.refresh_from_db()

    with pytest.raises(InvalidRequest):
        checklist_mark(item=item, actor=application.created_by, done=True)


# --- B2B meetings --------------------------------------------------------------------------


def meeting_fields(event, **changes) -> dict:
    fields = {
        "counterpart": "Shanghai Electric Co.",
        "country": "Китай",
        "starts_at": at(event.starts_on, 11),
    }
    fields.update(changes)
    return fields


def test_meeting_is_created_then_changed_field_by_field():
    application = make_application(status=S.CONFIRMED)
    host = application.created_by

    meeting = meeting_save(application=application, actor=host, **meeting_fields(application.event))
    assert meeting.pk and meeting.result == MeetingResult.PLANNED

    meeting_save(
        application=application,
        actor=host,
        meeting=meeting,
        result=MeetingResult.AGREEMENT,
        notes="Подписали меморандум",
    )
    meeting.refresh_from_db()
    assert meeting.result == MeetingResult.AGREEMENT
    assert meeting.counterpart == "Shanghai Electric Co."
    assert meeting.notes == "Подписали меморандум"
    assert Meeting.objects.filter(application=application).count() == 1


@pytest.mark.parametrize(
    ("day_offset", "hour", "allowed"),
    [
        (-1, 9, True),  # arrival day
        (0, 10, True),
        (5, 23, True),  # the day after the last (events last 4 days + 1)
        (-2, 23, False),
        (6, 0, False),
    ],
)
def test_meeting_time_must_be_within_a_day_of_the_event(day_offset, hour, allowed):
    application = make_application(status=S.ACCEPTED)
    event = application.event
    assert (event.ends_on - event.starts_on).days == 4
    when = at(event.starts_on + dt.timedelta(days=day_offset), hour)
    fields = meeting_fields(event, starts_at=when)

    if allowed:
        assert meeting_save(application=application, actor=application.created_by, **fields)
        return
    with pytest.raises(InvalidRequest) as refusal:
        meeting_save(application=application, actor=application.created_by, **fields)
    assert "в дни мероприятия" in refusal.value.text
    assert not Meeting.objects.exists()


def test_meeting_naive_time_is_read_as_moscow_time():
    application = make_application(status=S.ACCEPTED)
    naive = dt.datetime.combine(application.event.starts_on, dt.time(15, 30))

    meeting = meeting_save(
        application=application,
        actor=application.created_by,
        **meeting_fields(application.event, starts_at=naive),
    )
    assert clock.localtime(meeting.starts_at).time() == dt.time(15, 30)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"counterpart": "  "}, "Заполните поле «Компания-партнёр»"),
        ({"counterpart": "x" * 256}, "не длиннее 255 символов"),
        ({"country": ""}, "Заполните поле «Страна»"),
        ({"country": "x" * 101}, "не длиннее 100 символов"),
        ({"starts_at": None}, "Укажите дату и время встречи"),
        ({"starts_at": "завтра"}, "Укажите дату и время встречи"),
        ({"result": "won"}, "итог встречи"),
        ({"notes": "x" * 1001}, "не длиннее 1000 символов"),
    ],
)
def test_meeting_fields_are_checked(changes, message):
    application = make_application(status=S.ACCEPTED)
    fields = meeting_fields(application.event, **changes)

    with pytest.raises(InvalidRequest) as refusal:
        meeting_save(application=application, actor=application.created_by, **fields)
    assert message in refusal.value.text
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("status", NOT_HOLDING)
def test_meetings_are_only_for_place_holding_applications(status):
    application = make_application(status=status)

    with pytest.raises(InvalidRequest):
        meeting_save(
            application=application,
            actor=application.created_by,
            **meeting_fields(application.event),
        )


def test_meeting_of_another_application_is_not_found():
    event = make_export_event()
    mine = make_application(event=event, status=S.ACCEPTED)
    theirs = make_application(event=event, status=S.ACCEPTED)
    meeting = meeting_save(application=theirs, actor=theirs.created_by, **meeting_fields(event))

    with pytest.raises(NotFound):
        meeting_save(application=mine, actor=mine.created_by, meeting=meeting, notes="чужая")
    meeting.refresh_from_db()
    assert meeting.notes == ""


def test_a_host_of_company_a_cannot_plan_meetings_for_company_b():
    application = make_application(status=S.ACCEPTED)
    _other, stranger = make_company()

    with pytest.raises(Forbidden):
        meeting_save(application=application, actor=stranger, **meeting_fields(application.event))

    organiser = make_user(role=Role.ORGANISER)
    assert meeting_save(
        application=application, actor=organiser, **meeting_fields(application.event)
    ).pk


def test_unknown_meeting_fields_are_a_programming_error():
    application = make_application(status=S.ACCEPTED)
    with pytest.raises(TypeError):
        meeting_save(application=application, actor=application.created_by, venue="Зал 3")
