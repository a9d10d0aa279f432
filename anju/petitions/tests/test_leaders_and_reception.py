"""Leaders in personal charge (领导包案) and leader reception days (领导接访日): planning,
booking a slot online or at the counter, and recording the reception."""

from datetime import timedelta

import pytest
from django.utils.translation import gettext as _

from anju.cases.services import CaseError
from anju.conftest import at
from anju.petitions import services
from anju.petitions.choices import BookedVia, BookingStatus, PetitionEvent
from anju.petitions.models import Booking
from anju.petitions.tests import flow

NOW = at(2026, 11, 2, 9)
DAY = at(2026, 11, 10, 9)  # a Tuesday morning


@pytest.fixture
def day(petitions, people):
    return services.plan_reception_day(people.supervisor, leader_id=people.leader.pk, region_code="500229",
                                       place="县信访接待中心", starts_at=DAY, ends_at=DAY + timedelta(hours=1),
                                       slot_minutes=30, per_slot=1, topic="征地拆迁", now=NOW)


def test_a_leader_takes_charge_and_a_supervisor_may_name_one(petitions, people):
    case = flow.accepted(people)
    services.assign_leader(people.leader, case, leader_id=people.leader.pk)
    case.refresh_from_db()
    assert case.petition.leader == people.leader
    assert case.events.get(action=PetitionEvent.LEADER).data["leader"] == "leader"
    with pytest.raises(CaseError) as error:
        services.assign_leader(people.handler, case, leader_id=petitions.township_leader.pk)
    assert error.value.status == 403
    services.assign_leader(people.supervisor, case, leader_id=petitions.township_leader.pk)
    case.refresh_from_db()
    assert case.petition.leader == petitions.township_leader


def test_a_leader_must_reach_the_petition(petitions, people):
    case = flow.accepted(people)
    with pytest.raises(CaseError) as error:
        services.assign_leader(people.supervisor, case, leader_id=people.handler.pk)
    assert error.value.field == "leader"


def test_a_reception_day_has_slots_with_places(day):
    slots = services.slots_of(day)
    assert [s["at"] for s in slots] == [DAY, DAY + timedelta(minutes=30)] and all(s["free"] == 1 for s in slots)


@pytest.mark.parametrize("change, field", [
    ({"starts_at": at(2026, 10, 1, 9)}, "starts_at"),
    ({"ends_at": DAY}, "ends_at"),
    ({"ends_at": DAY + timedelta(days=1)}, "ends_at"),
    ({"slot_minutes": 5}, "slot_minutes"),
    ({"per_slot": 0}, "per_slot"),
    ({"region_code": "999"}, "region"),
    ({"place": ""}, "place"),
])
def test_planning_refuses_bad_input(petitions, people, change, field):
    values = {"leader_id": people.leader.pk, "region_code": "500229", "place": "接待中心", "starts_at": DAY,
              "ends_at": DAY + timedelta(hours=2), "now": NOW}
    values.update(change)
    with pytest.raises(CaseError) as error:
        services.plan_reception_day(people.supervisor, **values)
    assert error.value.field == field


def test_only_supervisors_and_leaders_plan_and_only_leaders_receive(petitions, people):
    with pytest.raises(CaseError) as error:
        services.plan_reception_day(people.handler, leader_id=people.leader.pk, region_code="500229", place="x",
                                    starts_at=DAY, ends_at=DAY + timedelta(hours=1), now=NOW)
    assert error.value.status == 403
    with pytest.raises(CaseError) as error:
        services.plan_reception_day(people.supervisor, leader_id=people.handler.pk, region_code="500229", place="x",
                                    starts_at=DAY, ends_at=DAY + timedelta(hours=1), now=NOW)
    assert error.value.field == "leader"


def test_a_petitioner_books_a_slot_online_and_it_shows_on_the_timeline(day, people):
    case = flow.routed(people, now=NOW)
    booking = services.book_reception(None, case, day_id=day.pk, slot_at=DAY, by_petitioner=True, now=NOW)
    assert booking.via == BookedVia.PUBLIC and booking.booked_by is None
    event = case.events.get(action=PetitionEvent.RECEPTION_BOOKED)
    assert event.public and event.data["place"] == "县信访接待中心"
    assert services.slots_of(day)[0]["free"] == 0


def test_a_full_slot_a_second_booking_and_a_past_slot_are_refused(day, people):
    first, second = flow.routed(people, now=NOW), flow.routed(people, now=NOW)
    services.book_reception(people.dispatcher, first, day_id=day.pk, slot_at=DAY, now=NOW)
    with pytest.raises(CaseError) as error:
        services.book_reception(people.dispatcher, second, day_id=day.pk, slot_at=DAY, now=NOW)
    assert error.value.field == "slot_at" and error.value.message == _("This slot is full; choose another.")
    with pytest.raises(CaseError) as error:
        services.book_reception(people.dispatcher, first, day_id=day.pk, slot_at=DAY + timedelta(minutes=30), now=NOW)
    assert error.value.field == "day"
    with pytest.raises(CaseError) as error:
        services.book_reception(people.dispatcher, second, day_id=day.pk, slot_at=DAY + timedelta(minutes=10),
                                now=NOW)
    assert error.value.field == "slot_at"
    with pytest.raises(CaseError) as error:
        services.book_reception(people.dispatcher, second, day_id=day.pk, slot_at=DAY + timedelta(minutes=30),
                                now=DAY + timedelta(hours=1))
    assert error.value.field == "slot_at"


def test_a_cancelled_booking_frees_its_place(day, people):
    first, second = flow.routed(people, now=NOW), flow.routed(people, now=NOW)
    booking = services.book_reception(None, first, day_id=day.pk, slot_at=DAY, by_petitioner=True, now=NOW)
    services.cancel_booking(None, booking, by_petitioner=True, now=NOW)
    services.book_reception(people.dispatcher, second, day_id=day.pk, slot_at=DAY, now=NOW)
    assert Booking.objects.filter(status=BookingStatus.BOOKED).count() == 1


def test_the_leader_records_the_reception_and_takes_charge(day, people):
    case = flow.accepted(people, now=NOW)
    booking = services.book_reception(people.dispatcher, case, day_id=day.pk, slot_at=DAY, now=NOW)
    with pytest.raises(CaseError) as error:
        services.record_reception(people.leader, booking, summary="", now=DAY)
    assert error.value.field == "summary"
    services.record_reception(people.leader, booking, summary="听取诉求，责成街道一周内复核测量数据", take_charge=True,
                              now=DAY + timedelta(minutes=20))
    booking.refresh_from_db()
    case.refresh_from_db()
    assert booking.status == BookingStatus.RECEIVED and case.petition.leader == people.leader
    assert case.events.filter(action=PetitionEvent.RECEPTION).exists()
    assert case.events.filter(action=PetitionEvent.LEADER).exists()


def test_what_was_said_is_kept_whole_and_shown_without_who_petitioned(day, people):
    """The record of a reception names the petitioner as the leader heard them: kept as written
    for those who may see who petitioned, and read without them everywhere else."""
    case = flow.accepted(people, now=NOW)
    booking = services.book_reception(people.dispatcher, case, day_id=day.pk, slot_at=DAY, now=NOW)
    said = "王秀英（老王）当面反映补偿款问题，留电话138 0000 5678。"
    services.record_reception(people.leader, booking, summary=said, now=DAY + timedelta(minutes=20))
    booking.refresh_from_db()
    assert booking.summary_whole == said
    assert "补偿款问题" in booking.summary
    for word in ("王秀英", "老王", "138 0000 5678"):
        assert word not in booking.summary
        assert word not in case.events.get(action=PetitionEvent.RECEPTION).note
    assert case.events.get(action=PetitionEvent.RECEPTION).note_whole == said


def test_cancelling_a_day_tells_each_petitioner_booked(day, people):
    case = flow.routed(people, now=NOW)
    services.book_reception(None, case, day_id=day.pk, slot_at=DAY, by_petitioner=True, now=NOW)
    services.cancel_reception_day(people.supervisor, day, reason="领导临时出差", now=NOW)
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    assert case.events.filter(action=PetitionEvent.RECEPTION_BOOKED, note="领导临时出差").exists()
