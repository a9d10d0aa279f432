"""The reception-days API (/api/v1/reception-days): the calendar and its dates, planning,
one day with its slots and the bookings of petitions the reader may see (by tracking code,
never who petitioned), cancelling a day, and recording or cancelling a booking, each with its
permission matrix (403 in scope, 404 out of it), bad input (422 naming the field, nothing
written) and its effect on the database. Real clock: days are planned relative to today."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from anju.cases.models import CaseEvent
from anju.lib.masking import mask_name, mask_phone
from anju.lib.workdays import LOCAL
from anju.petitions import services
from anju.petitions.choices import BookingStatus, PetitionEvent, ReceptionStatus
from anju.petitions.models import Booking, Petition, ReceptionDay
from anju.petitions.tests import flow
from anju.petitions.tests.conftest import post

NAMES = [p.name for p in flow.PETITIONERS]
PHONES = [p.phone for p in flow.PETITIONERS]


def today():
    return timezone.now().astimezone(LOCAL).date()


def local(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL)


def errors(response):
    return [e["field"] for e in response.json()["errors"]]


def plan(people, *, days_ahead=1, hour=9, hours=2, per_slot=2, leader=None, region="500229", planned_at=None):
    """A reception day ``days_ahead`` days from today (negative: in the past, planned before it)."""
    start = local(today() + timedelta(days=days_ahead), hour)
    return services.plan_reception_day(
        people.supervisor, leader_id=(leader or people.leader).pk, region_code=region, place="县信访接待中心",
        starts_at=start, ends_at=start + timedelta(hours=hours), slot_minutes=30, per_slot=per_slot,
        topic="征地拆迁", now=planned_at or (start - timedelta(days=2) if days_ahead <= 0 else None))


def book(people, case, day, slot=0):
    """Booked at the counter when the day was still ahead (so that past days can hold bookings)."""
    slot_at = day.starts_at + timedelta(minutes=30 * slot)
    return services.book_reception(people.dispatcher, case, day_id=day.pk, slot_at=slot_at,
                                   now=min(timezone.now(), day.starts_at - timedelta(hours=1)))


def personal_data_in(content: bytes) -> list[str]:
    text = content.decode()
    forms = NAMES + PHONES + [mask_name(n) for n in NAMES] + [mask_phone(p) for p in PHONES]
    return [form for form in forms if form in text]


def day_state(day):
    """Everything a refused request on a day must leave as it was."""
    return (ReceptionDay.objects.filter(pk=day.pk).values_list("status", "place", "starts_at").get(),
            list(Booking.objects.filter(day=day).order_by("id").values_list("status", "summary", "received_at")),
            CaseEvent.objects.count(), ReceptionDay.objects.count())


# ---------------------------------------------------------------------------- the calendar


def test_the_calendar_lists_planned_days_soonest_first_with_free_places(as_user, people, petitions):
    later = plan(people, days_ahead=5)
    sooner = plan(people, days_ahead=1, per_slot=3)
    cancelled = plan(people, days_ahead=2)
    services.cancel_reception_day(people.supervisor, cancelled, reason="领导临时出差")
    past = plan(people, days_ahead=-3)
    book(people, flow.routed(people, now=None), sooner)
    response = as_user("nobody").get("/api/v1/reception-days")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [d["id"] for d in body] == [sooner.pk, later.pk]
    assert past.pk not in [d["id"] for d in body]
    # Two hours of 30-minute slots with three places each, one taken.
    assert body[0]["free"] == 4 * 3 - 1 and body[1]["free"] == 4 * 2
    assert (body[0]["leader"], body[0]["region_code"], body[0]["place"]) == ("leader", "500229", "县信访接待中心")
    assert datetime.fromisoformat(body[0]["starts_at"]) == sooner.starts_at


def test_the_calendar_takes_a_period(as_user, people, petitions):
    days = {n: plan(people, days_ahead=n) for n in (1, 3, 6)}
    past = plan(people, days_ahead=-3)
    client = as_user("clerk")

    def ids(query):
        response = client.get(f"/api/v1/reception-days?{query}")
        assert response.status_code == 200, response.content
        return [d["id"] for d in response.json()]

    assert ids(f"from={today() + timedelta(days=2)}") == [days[3].pk, days[6].pk]
    assert ids(f"to={today() + timedelta(days=3)}") == [days[1].pk, days[3].pk]
    assert ids(f"from={today() + timedelta(days=3)}&to={today() + timedelta(days=3)}") == [days[3].pk]
    assert ids(f"from={today() - timedelta(days=5)}&to={today()}") == [past.pk]
    assert ids("limit=1") == [days[1].pk]


@pytest.mark.parametrize("query,field", [
    ("from=soon", "from"), ("from=1999-12-31", "from"), ("to=2026-02-30", "to"), ("limit=0", "limit"),
    ("limit=501", "limit"),
])
def test_bad_calendar_parameters_name_the_field(as_user, petitions, query, field):
    response = as_user("clerk").get(f"/api/v1/reception-days?{query}")
    assert response.status_code == 422 and field in errors(response)


def test_a_period_that_ends_before_it_starts_is_refused_in_the_language_asked(as_user, petitions):
    query = f"from={today() + timedelta(days=3)}&to={today()}"
    english = as_user("clerk").get(f"/api/v1/reception-days?{query}")
    assert english.status_code == 422 and english.json()["errors"] == [
        {"field": "to", "message": "The period must not end before it starts."}]
    chinese = as_user("clerk", HTTP_ACCEPT_LANGUAGE="zh-hans").get(f"/api/v1/reception-days?{query}")
    assert chinese.json()["errors"] == [{"field": "to", "message": "结束日期不能早于开始日期。"}]


# ---------------------------------------------------------------------------- planning


def _new_day(people, **changes):
    start = local(today() + timedelta(days=7), 9)
    body = {"leader": people.leader.pk, "region": "500229", "place": "县信访接待中心", "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=3)).isoformat(), "slot_minutes": 60, "per_slot": 2,
            "topic": "征地拆迁"}
    body.update(changes)
    return body


@pytest.mark.parametrize("who,region", [("supervisor", "500229"), ("leader", "500229"),
                                        ("township_supervisor", "500229001"), ("admin", "500229002")])
def test_supervisors_and_leaders_plan_days_in_their_scope(as_user, people, petitions, who, region):
    response = post(as_user(who), "/api/v1/reception-days", _new_day(people, region=region))
    assert response.status_code == 201, response.content
    day = ReceptionDay.objects.get()
    body = response.json()
    assert (body["id"], body["region_code"], body["status"]) == (day.pk, region, "planned")
    assert (day.leader, day.region.code, day.slot_minutes, day.per_slot, day.created_by.username) == (
        people.leader, region, 60, 2, who)
    assert [s["free"] for s in body["slots"]] == [2, 2, 2] and body["can_cancel"] is True
    assert datetime.fromisoformat(body["slots"][1]["at"]) == day.starts_at + timedelta(hours=1)


@pytest.mark.parametrize("who,region", [("handler", "500229"), ("clerk", "500229"), ("nobody", "500229"),
                                        ("township_supervisor", "500229"), ("township_leader", "500229002")])
def test_others_may_not_plan_a_day(as_user, people, petitions, who, region):
    response = post(as_user(who), "/api/v1/reception-days", _new_day(people, region=region))
    assert response.status_code == 403 and response.json()["detail"]
    assert not ReceptionDay.objects.exists()


@pytest.mark.parametrize("change,field", [
    ({"starts_at": "NAIVE"}, "starts_at"),
    ({"starts_at": "PAST"}, "starts_at"),
    ({"starts_at": "NEXT_YEAR_AND_MORE", "ends_at": "NEXT_YEAR_AND_MORE_LATER"}, "starts_at"),
    ({"ends_at": "START"}, "ends_at"),
    ({"ends_at": "NEXT_DAY"}, "ends_at"),
    ({"ends_at": "SHORT"}, "ends_at"),
    ({"slot_minutes": 5}, "slot_minutes"),
    ({"per_slot": 0}, "per_slot"),
    ({"region": "999"}, "region"),
    ({"region": ""}, "region"),
    ({"leader": "USER:handler"}, "leader"),
    ({"leader": 0}, "leader"),
    ({"place": " "}, "place"),
    ({"topic": "x" * 201}, "topic"),
])
def test_bad_input_on_planning_names_the_field_and_writes_nothing(as_user, people, petitions, change, field):
    body = _new_day(people)
    start = datetime.fromisoformat(body["starts_at"])
    far = local(today() + timedelta(days=400), 9)
    values = {"NAIVE": start.replace(tzinfo=None).isoformat(), "PAST": (start - timedelta(days=30)).isoformat(),
              "NEXT_YEAR_AND_MORE": far.isoformat(), "NEXT_YEAR_AND_MORE_LATER": (far + timedelta(hours=2)).isoformat(),
              "START": start.isoformat(), "NEXT_DAY": (start + timedelta(days=1)).isoformat(),
              "SHORT": (start + timedelta(minutes=30)).isoformat(), "USER:handler": people.handler.pk}
    body.update({k: values.get(v, v) if isinstance(v, str) else v for k, v in change.items()})
    response = post(as_user("supervisor"), "/api/v1/reception-days", body)
    assert response.status_code == 422, response.content
    assert field in errors(response)
    assert not ReceptionDay.objects.exists()


# ---------------------------------------------------------------------------- one day


@pytest.fixture
def booked_day(people, petitions):
    """Tomorrow's day with two bookings: a petition with 葛城 (routed to gc) and one routed to
    复兴 (fx), both located in 葛城."""
    day = plan(people, per_slot=1)
    with_gc = flow.routed(people, now=None)
    with_fx = flow.routed(people, now=None, to="fx")
    day.gc_booking = book(people, with_gc, day, slot=0)
    day.fx_booking = book(people, with_fx, day, slot=1)
    day.with_gc, day.with_fx = with_gc, with_fx
    return day


@pytest.mark.parametrize("who,sees", [("clerk", {"gc", "fx"}), ("supervisor", {"gc", "fx"}), ("handler", {"gc"}),
                                      ("other_handler", {"fx"}), ("township_dispatcher", set()),
                                      ("nobody", set())])
def test_a_day_shows_its_slots_and_only_the_bookings_the_user_may_see(as_user, booked_day, who, sees):
    response = as_user(who).get(f"/api/v1/reception-days/{booked_day.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [s["free"] for s in body["slots"]] == [0, 0, 1, 1] and body["free"] == 2
    expected = {"gc": booked_day.with_gc, "fx": booked_day.with_fx}
    assert {(b["case"], b["tracking_code"]) for b in body["bookings"]} == {
        (expected[k].pk, expected[k].tracking_code) for k in sees}
    assert all(set(b) == {"id", "case", "tracking_code", "slot_at", "status", "via", "received_at"}
               for b in body["bookings"])
    assert personal_data_in(response.content) == []
    assert body["can_cancel"] is (who == "supervisor")


def test_a_missing_day_is_404(as_user, petitions):
    for day_id in ("999999", "99999999999999999999"):
        response = as_user("clerk").get(f"/api/v1/reception-days/{day_id}")
        assert response.status_code == 404 and response.json()["detail"] == "Not found."


def test_the_body_a_petition_is_about_sees_its_booking_by_tracking_code_only(as_user, people, petitions):
    day = plan(people)
    about = flow.routed(people, now=None, about="gc", official="征收办主任")
    wrongdoing = flow.register(people, now=None, category="petition.conduct", about="gc", wrongdoing=True)
    services.route_petition(people.dispatcher, wrongdoing, office_code="xzf")
    book(people, about, day, slot=0)
    book(people, wrongdoing, day, slot=1)
    for who in ("handler", "township_leader", "township_supervisor"):
        response = as_user(who).get(f"/api/v1/reception-days/{day.pk}")
        assert [b["tracking_code"] for b in response.json()["bookings"]] == [about.tracking_code], who
        assert personal_data_in(response.content) == []
    seen = as_user("clerk").get(f"/api/v1/reception-days/{day.pk}").json()["bookings"]
    assert [b["case"] for b in seen] == [about.pk, wrongdoing.pk]


# ---------------------------------------------------------------------------- cancelling a day


def test_a_supervisor_cancels_a_day_and_every_booking_with_it(as_user, booked_day):
    response = post(as_user("supervisor"), f"/api/v1/reception-days/{booked_day.pk}/cancel", {"reason": "领导临时出差"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled" and response.json()["can_cancel"] is False
    assert ReceptionDay.objects.get(pk=booked_day.pk).status == ReceptionStatus.CANCELLED
    assert set(Booking.objects.filter(day=booked_day).values_list("status", flat=True)) == {BookingStatus.CANCELLED}
    assert CaseEvent.objects.filter(case=booked_day.with_gc, action=PetitionEvent.RECEPTION_BOOKED,
                                    note="领导临时出差").exists()
    again = post(as_user("supervisor"), f"/api/v1/reception-days/{booked_day.pk}/cancel", {"reason": "再次"})
    assert again.status_code == 409


@pytest.mark.parametrize("who", ["handler", "clerk", "township_supervisor", "nobody"])
def test_others_may_not_cancel_a_day(as_user, booked_day, who):
    before = day_state(booked_day)
    response = post(as_user(who), f"/api/v1/reception-days/{booked_day.pk}/cancel", {"reason": "改期"})
    assert response.status_code == 403 and response.json()["detail"]
    assert day_state(booked_day) == before


@pytest.mark.parametrize("body,field", [({"reason": ""}, "reason"), ({}, "reason"), ({"reason": "  "}, "reason"),
                                        ({"reason": "x" * 501}, "reason")])
def test_cancelling_a_day_needs_a_reason(as_user, booked_day, body, field):
    before = day_state(booked_day)
    response = post(as_user("supervisor"), f"/api/v1/reception-days/{booked_day.pk}/cancel", body)
    assert response.status_code == 422 and errors(response) == [field]
    assert day_state(booked_day) == before


def test_cancelling_a_missing_day_is_404(as_user, petitions):
    assert post(as_user("supervisor"), "/api/v1/reception-days/999999/cancel", {"reason": "改期"}).status_code == 404


# ---------------------------------------------------------------------------- bookings


@pytest.fixture
def held_day(people, petitions):
    """A day held today from 8:00 (planned and booked before), with a petition of 葛城 booked."""
    day = plan(people, days_ahead=0, hour=8, planned_at=local(today(), 8) - timedelta(days=3))
    case = flow.accepted(people, now=None)
    day.booking = book(people, case, day)
    day.case = case
    return day


@pytest.mark.parametrize("who", ["leader", "handler", "supervisor"])
def test_a_reception_held_is_recorded_on_the_petition(as_user, held_day, who):
    url = f"/api/v1/reception-days/bookings/{held_day.booking.pk}/record"
    response = post(as_user(who), url, {"summary": "听取诉求，责成街道一周内复核测量数据"})
    assert response.status_code == 200, response.content
    booking = Booking.objects.get(pk=held_day.booking.pk)
    assert (booking.status, booking.summary, booking.received_by.username) == (
        "received", "听取诉求，责成街道一周内复核测量数据", who)
    assert response.json()["status"] == "received" and response.json()["id"] == booking.pk
    event = CaseEvent.objects.get(case=held_day.case, action=PetitionEvent.RECEPTION)
    assert event.note == booking.summary and event.actor.username == who
    assert Petition.objects.get(case=held_day.case).leader is None


def test_the_leader_takes_charge_at_the_reception(as_user, held_day, people):
    response = post(as_user("leader"), f"/api/v1/reception-days/bookings/{held_day.booking.pk}/record",
                    {"summary": "当场包案", "take_charge": True})
    assert response.status_code == 200
    assert Petition.objects.get(case=held_day.case).leader == people.leader
    assert CaseEvent.objects.filter(case=held_day.case, action=PetitionEvent.LEADER).exists()
    again = post(as_user("leader"), f"/api/v1/reception-days/bookings/{held_day.booking.pk}/record",
                 {"summary": "再次记录"})
    assert again.status_code == 409


@pytest.mark.parametrize("who,status", [("township_leader", 403), ("gridworker", 404), ("other_handler", 404),
                                        ("township_dispatcher", 404), ("nobody", 404)])
def test_others_may_not_record_a_reception(as_user, held_day, who, status):
    before = day_state(held_day)
    response = post(as_user(who), f"/api/v1/reception-days/bookings/{held_day.booking.pk}/record",
                    {"summary": "听取诉求"})
    assert response.status_code == status and response.json()["detail"]
    assert day_state(held_day) == before


def test_a_reception_is_recorded_on_its_day(as_user, people, petitions):
    day = plan(people, days_ahead=3)
    booking = book(people, flow.routed(people, now=None), day)
    before = day_state(day)
    response = post(as_user("leader"), f"/api/v1/reception-days/bookings/{booking.pk}/record", {"summary": "听取诉求"})
    assert response.status_code == 422 and errors(response) == ["booking"]
    assert day_state(day) == before


@pytest.mark.parametrize("body,field", [({"summary": ""}, "summary"), ({"summary": "  "}, "summary"), ({}, "summary"),
                                        ({"summary": "x", "take_charge": "perhaps"}, "take_charge")])
def test_recording_a_reception_needs_what_was_said(as_user, held_day, body, field):
    before = day_state(held_day)
    response = post(as_user("leader"), f"/api/v1/reception-days/bookings/{held_day.booking.pk}/record", body)
    assert response.status_code == 422 and errors(response) == [field]
    assert day_state(held_day) == before


def test_the_counter_cancels_a_booking_and_the_place_is_free_again(as_user, booked_day):
    url = f"/api/v1/reception-days/bookings/{booked_day.gc_booking.pk}/cancel"
    response = post(as_user("clerk"), url)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert Booking.objects.get(pk=booked_day.gc_booking.pk).status == BookingStatus.CANCELLED
    slots = as_user("clerk").get(f"/api/v1/reception-days/{booked_day.pk}").json()["slots"]
    assert [s["free"] for s in slots] == [1, 0, 1, 1]
    assert post(as_user("clerk"), url).status_code == 409


@pytest.mark.parametrize("who,status", [("supervisor", 403), ("leader", 403), ("other_handler", 404),
                                        ("township_dispatcher", 404), ("nobody", 404)])
def test_others_may_not_cancel_a_booking(as_user, booked_day, who, status):
    before = day_state(booked_day)
    response = post(as_user(who), f"/api/v1/reception-days/bookings/{booked_day.gc_booking.pk}/cancel")
    assert response.status_code == status and response.json()["detail"]
    assert day_state(booked_day) == before


@pytest.mark.parametrize("action,body", [("record", {"summary": "x"}), ("cancel", {})])
@pytest.mark.parametrize("booking_id", ["999999", "99999999999999999999"])
def test_a_missing_booking_is_404(as_user, petitions, action, body, booking_id):
    response = post(as_user("admin"), f"/api/v1/reception-days/bookings/{booking_id}/{action}", body)
    assert response.status_code == 404
