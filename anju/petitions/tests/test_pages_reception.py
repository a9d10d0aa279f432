"""The staff pages of leader reception days (领导接访日): the calendar, planning a day, a day's
slots and bookings, recording a reception and cancelling a day. Who may do what, bad input (the
field named, nothing written), and each change as the database has it afterwards."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from anju.lib import tracking
from anju.lib.workdays import LOCAL
from anju.petitions import services
from anju.petitions.choices import BookingStatus, PetitionEvent, ReceptionStatus
from anju.petitions.models import Booking, ReceptionDay
from anju.petitions.tests import flow

DAYS = "/work/reception/"
PLAN = "/work/reception/new/"


def day_url(day) -> str:
    return f"/work/reception/{day.pk}/"


def record_url(booking) -> str:
    return f"/work/reception/bookings/{booking.pk}/record/"


def cancel_url(day) -> str:
    return f"/work/reception/{day.pk}/cancel/"


def local_today():
    return timezone.now().astimezone(LOCAL).date()


def plan(people, starts_at, *, hours=1, per_slot=2, planned_at=None):
    return services.plan_reception_day(
        people.supervisor, leader_id=people.leader.pk, region_code="500229", place="县信访接待中心",
        starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), slot_minutes=30, per_slot=per_slot,
        topic="征地拆迁", now=planned_at or starts_at - timedelta(days=2))


@pytest.fixture
def future_day(petitions, people):
    """A day three days from now, 09:00–10:00, two places a slot."""
    starts_at = datetime.combine(local_today() + timedelta(days=3), time(9), tzinfo=LOCAL)
    return plan(people, starts_at, planned_at=timezone.now())


@pytest.fixture
def today_day(petitions, people):
    """Today's day from 00:00 (so that it has begun whenever the test runs), planned two days ago."""
    return plan(people, datetime.combine(local_today(), time(0), tzinfo=LOCAL))


def booked(people, day, case, slot=0):
    """``case`` booked at the counter into slot ``slot`` of ``day``, the day before it."""
    slot_at = day.starts_at + timedelta(minutes=30 * slot)
    return services.book_reception(people.dispatcher, case, day_id=day.pk, slot_at=slot_at,
                                   now=day.starts_at - timedelta(days=1))


def a_petition(people, **kwargs):
    return flow.accepted(people, now=timezone.now() - timedelta(days=5), **kwargs)


def plan_data(people, **changes) -> dict:
    data = {"leader": str(people.leader.pk), "region": "500229", "place": "县信访接待中心",
            "date": (local_today() + timedelta(days=7)).isoformat(), "start_time": "09:00", "end_time": "11:00",
            "slot_minutes": "30", "per_slot": "3", "topic": "征地拆迁"}
    data.update(changes)
    return data


# ---------------------------------------------------------------------------- the calendar


def test_it_sends_anonymous_visitors_to_sign_in(client, future_day):
    for url in (DAYS, PLAN, day_url(future_day), cancel_url(future_day)):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


def test_it_is_not_found_for_users_without_a_role(signed_in, future_day):
    for url in (DAYS, PLAN, day_url(future_day), cancel_url(future_day)):
        assert signed_in("nobody").get(url).status_code == 404, url


def test_the_calendar_lists_upcoming_days_soonest_first_and_past_days_latest_first(signed_in, people, petitions):
    today = local_today()
    upcoming = [plan(people, datetime.combine(today + timedelta(days=n), time(9), tzinfo=LOCAL),
                     planned_at=timezone.now()) for n in (9, 2, 5)]
    past = [plan(people, datetime.combine(today - timedelta(days=n), time(9), tzinfo=LOCAL)) for n in (3, 30)]
    services.cancel_reception_day(people.supervisor, upcoming[2], reason="领导临时出差")
    html = signed_in("handler").get(DAYS).content.decode()
    order = [html.index(f'data-day="{day.pk}"') for day in (upcoming[1], upcoming[2], upcoming[0])]
    assert order == sorted(order)
    assert all(f'data-day="{day.pk}"' not in html for day in past)
    assert f'data-day="{upcoming[2].pk}" class="is-cancelled"' in html
    html = signed_in("handler").get(DAYS, {"when": "past"}).content.decode()
    assert html.index(f'data-day="{past[0].pk}"') < html.index(f'data-day="{past[1].pk}"')
    assert all(f'data-day="{day.pk}"' not in html for day in upcoming)


def test_the_calendar_is_paginated(signed_in, people, petitions):
    today = local_today()
    days = [plan(people, datetime.combine(today + timedelta(days=n), time(9), tzinfo=LOCAL),
                 planned_at=timezone.now()) for n in range(1, 24)]
    client = signed_in("handler")
    first = client.get(DAYS).content.decode()
    second = client.get(DAYS, {"when": "upcoming", "page": "2"}).content.decode()
    assert sum(f'data-day="{d.pk}"' in first for d in days) == 20
    assert sum(f'data-day="{d.pk}"' in second for d in days) == 3
    assert "?when=upcoming&amp;page=2" in first


def test_the_calendar_counts_places_and_bookings(signed_in, people, future_day):
    booked(people, future_day, a_petition(people))
    html = signed_in("handler").get(DAYS).content.decode()
    row = html[html.index(f'data-day="{future_day.pk}"'):].split("</tr>")[0]
    # Two slots of two places, one taken.
    assert "3 / 4" in row


def test_only_planners_see_the_link_to_plan(signed_in, future_day):
    assert PLAN in signed_in("supervisor").get(DAYS).content.decode()
    assert PLAN not in signed_in("handler").get(DAYS).content.decode()


# ---------------------------------------------------------------------------- planning


@pytest.mark.parametrize("who", ["supervisor", "leader", "admin", "township_supervisor"])
def test_supervisors_leaders_and_administrators_may_plan(signed_in, petitions, who):
    assert signed_in(who).get(PLAN).status_code == 200


@pytest.mark.parametrize("who", ["handler", "dispatcher", "clerk", "gridworker"])
def test_others_may_not_plan_and_nothing_is_written(signed_in, people, petitions, who):
    client = signed_in(who)
    assert client.get(PLAN).status_code == 404
    assert client.post(PLAN, plan_data(people)).status_code == 404
    assert not ReceptionDay.objects.exists()


def test_planning_a_day_puts_it_on_the_calendar(signed_in, people, petitions):
    response = signed_in("supervisor").post(PLAN, plan_data(people, leader=str(petitions.township_leader.pk),
                                                            region="500229001"))
    day = ReceptionDay.objects.get()
    assert response.status_code == 302 and response.url == day_url(day)
    day_on = local_today() + timedelta(days=7)
    assert (day.leader, day.region.code, day.place, day.topic) == (petitions.township_leader, "500229001",
                                                                   "县信访接待中心", "征地拆迁")
    assert day.starts_at == datetime.combine(day_on, time(9), tzinfo=LOCAL)
    assert day.ends_at == datetime.combine(day_on, time(11), tzinfo=LOCAL)
    assert (day.slot_minutes, day.per_slot, day.status, day.created_by) == (30, 3, ReceptionStatus.PLANNED,
                                                                            people.supervisor)


def test_the_leader_is_chosen_among_users_with_the_leader_role(signed_in, people, petitions):
    response = signed_in("supervisor").get(PLAN)
    select = response.content.decode().split('name="leader"')[1].split("</select>")[0]
    offered = {int(pk) for pk in re.findall(r'<option value="(\d+)"', select)}
    assert offered == {people.leader.pk, petitions.township_leader.pk}


def test_a_township_supervisor_plans_only_for_the_township(signed_in, people, petitions):
    client = signed_in("township_supervisor")
    html = client.get(PLAN).content.decode()
    assert 'value="500229001"' in html and 'value="500229"' not in html
    response = client.post(PLAN, plan_data(people, region="500229"))
    assert response.status_code == 400 and "region" in response.context["form"].errors
    assert not ReceptionDay.objects.exists()


@pytest.mark.parametrize("changes, field", [
    ({"place": ""}, "place"),
    ({"leader": "0"}, "leader"),
    ({"date": "yesterday"}, "date"),
    ({"date": (datetime.now() - timedelta(days=2)).date().isoformat()}, "date"),
    ({"end_time": "08:00"}, "end_time"),
    ({"slot_minutes": "5"}, "slot_minutes"),
    ({"per_slot": "0"}, "per_slot"),
    ({"start_time": "09:00", "end_time": "09:20"}, "end_time"),
])
def test_bad_input_names_the_field_and_writes_nothing(signed_in, people, petitions, changes, field):
    response = signed_in("supervisor").post(PLAN, plan_data(people, **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not ReceptionDay.objects.exists()


def test_a_user_chosen_as_leader_must_hold_the_leader_role(signed_in, people, petitions):
    response = signed_in("supervisor").post(PLAN, plan_data(people, leader=str(people.handler.pk)))
    assert response.status_code == 400 and "leader" in response.context["form"].errors
    assert not ReceptionDay.objects.exists()


# ---------------------------------------------------------------------------- a day


def test_a_day_shows_its_slots_free_places_and_bookings(signed_in, people, future_day):
    first, second = a_petition(people), a_petition(people)
    booked(people, future_day, first, slot=0)
    booked(people, future_day, second, slot=0)
    html = signed_in("supervisor").get(day_url(future_day)).content.decode()
    slots = html.split('class="slot"')[1:]
    assert len(slots) == 2
    assert "0 places free" in slots[0] and "2 places free" in slots[1]
    for case in (first, second):
        assert tracking.display(case.tracking_code) in slots[0]
        assert f'href="/work/petitions/{case.pk}/"' in slots[0]
    assert "征地拆迁" in slots[0] and 'data-figure="free">2 / 4' in html


def test_petitioners_are_shown_masked_and_only_to_those_who_may_see_them(signed_in, people, future_day):
    booked(people, future_day, a_petition(people))
    html = signed_in("supervisor").get(day_url(future_day)).content.decode()
    assert "王**、赵**" in html
    # The leader sees the petition but may not see who petitioned.
    html = signed_in("leader").get(day_url(future_day)).content.decode()
    assert "王**" not in html
    for who in ("supervisor", "leader", "handler"):
        html = signed_in(who).get(day_url(future_day)).content.decode()
        assert "王秀英" not in html and "13800005678" not in html


def test_a_petition_the_user_may_not_see_shows_neither_code_nor_category(signed_in, people, petitions, future_day):
    # A report of wrongdoing by 葛城街道办事处, handled by the county government.
    case = flow.routed(people, to="xzf", about="gc", wrongdoing=True, category="petition.conduct",
                       now=timezone.now() - timedelta(days=5))
    booked(people, future_day, case)
    html = signed_in("township_supervisor").get(day_url(future_day)).content.decode()
    assert "A petition outside your scope" in html
    assert tracking.display(case.tracking_code) not in html and "干部作风" not in html
    assert f"/work/petitions/{case.pk}/" not in html
    html = signed_in("supervisor").get(day_url(future_day)).content.decode()
    assert tracking.display(case.tracking_code) in html and "干部作风" in html


def test_an_unknown_day_is_not_found(signed_in, petitions):
    assert signed_in("handler").get("/work/reception/999999/").status_code == 404


# ---------------------------------------------------------------------------- recording a reception


def test_the_record_form_is_offered_on_the_day_to_those_who_may_record(signed_in, people, today_day, future_day):
    now_booking = booked(people, today_day, a_petition(people))
    later_booking = booked(people, future_day, a_petition(people))
    html = signed_in("leader").get(day_url(today_day)).content.decode()
    assert f'action="{record_url(now_booking)}"' in html
    html = signed_in("leader").get(day_url(future_day)).content.decode()
    assert f'action="{record_url(later_booking)}"' not in html
    html = signed_in("township_leader").get(day_url(today_day)).content.decode()
    assert f'action="{record_url(now_booking)}"' not in html


def test_the_leader_of_the_day_records_the_reception_and_takes_charge(signed_in, people, today_day):
    case = a_petition(people)
    booking = booked(people, today_day, case)
    prefix = f"booking-{booking.pk}"
    response = signed_in("leader").post(record_url(booking), {
        f"{prefix}-summary": "听取诉求，责成街道一周内复核测量数据", f"{prefix}-take_charge": "on"})
    assert response.status_code == 302 and response.url == f"{day_url(today_day)}#booking-{booking.pk}"
    booking.refresh_from_db()
    case.refresh_from_db()
    assert booking.status == BookingStatus.RECEIVED and booking.received_by == people.leader
    assert booking.summary == "听取诉求，责成街道一周内复核测量数据"
    assert case.petition.leader == people.leader
    assert case.events.get(action=PetitionEvent.RECEPTION).note == booking.summary
    assert case.events.filter(action=PetitionEvent.LEADER).count() == 1
    html = signed_in("supervisor").get(day_url(today_day)).content.decode()
    assert "听取诉求" in html and 'data-figure="received">1' in html


def test_recording_without_taking_charge_leaves_the_petition_without_a_leader(signed_in, people, today_day):
    case = a_petition(people)
    booking = booked(people, today_day, case)
    response = signed_in("dispatcher").post(record_url(booking), {f"booking-{booking.pk}-summary": "已登记诉求"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.petition.leader is None and not case.events.filter(action=PetitionEvent.LEADER).exists()
    assert Booking.objects.get().status == BookingStatus.RECEIVED


def test_a_reception_without_a_summary_is_refused_and_nothing_written(signed_in, people, today_day):
    case = a_petition(people)
    booking = booked(people, today_day, case)
    response = signed_in("leader").post(record_url(booking), {f"booking-{booking.pk}-summary": " ",
                                                              f"booking-{booking.pk}-take_charge": "on"})
    assert response.status_code == 400 and "summary" in response.context["form"].errors
    booking.refresh_from_db()
    case.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED and case.petition.leader is None
    assert not case.events.filter(action__in=[PetitionEvent.RECEPTION, PetitionEvent.LEADER]).exists()


def test_a_reception_is_recorded_on_its_day(signed_in, people, future_day):
    booking = booked(people, future_day, a_petition(people))
    response = signed_in("leader").post(record_url(booking), {f"booking-{booking.pk}-summary": "提前记录"})
    assert response.status_code == 400 and "summary" in response.context["form"].errors
    assert Booking.objects.get().status == BookingStatus.BOOKED


def test_who_sees_the_petition_but_may_not_record_is_refused(signed_in, people, today_day):
    booking = booked(people, today_day, a_petition(people))
    response = signed_in("township_leader").post(record_url(booking), {f"booking-{booking.pk}-summary": "记录"})
    assert response.status_code == 403
    assert response.context["form"].non_field_errors()
    assert Booking.objects.get().status == BookingStatus.BOOKED


def test_who_may_not_see_the_petition_gets_not_found(signed_in, people, today_day):
    booking = booked(people, today_day, a_petition(people))
    for who in ("other_handler", "nobody"):
        client = signed_in(who)
        assert client.get(record_url(booking)).status_code == 404
        assert client.post(record_url(booking), {f"booking-{booking.pk}-summary": "记录"}).status_code == 404
    assert Booking.objects.get().status == BookingStatus.BOOKED


def test_the_record_page_shows_the_form_alone(signed_in, people, today_day):
    case = a_petition(people)
    booking = booked(people, today_day, case)
    html = signed_in("leader").get(record_url(booking)).content.decode()
    assert f'name="booking-{booking.pk}-summary"' in html and tracking.display(case.tracking_code) in html


# ---------------------------------------------------------------------------- cancelling a day


def test_cancelling_asks_for_confirmation_first(signed_in, people, future_day):
    booked(people, future_day, a_petition(people))
    response = signed_in("supervisor").get(cancel_url(future_day))
    html = response.content.decode()
    assert response.status_code == 200 and 'name="reason"' in html and "1 petition is booked" in html
    future_day.refresh_from_db()
    assert future_day.status == ReceptionStatus.PLANNED


def test_cancelling_a_day_tells_the_petitioners_booked(signed_in, people, future_day):
    case = a_petition(people)
    booked(people, future_day, case)
    response = signed_in("supervisor").post(cancel_url(future_day), {"reason": "领导临时出差"})
    assert response.status_code == 302 and response.url == day_url(future_day)
    future_day.refresh_from_db()
    assert future_day.status == ReceptionStatus.CANCELLED
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    assert case.events.filter(action=PetitionEvent.RECEPTION_BOOKED, note="领导临时出差").exists()
    # A cancelled day cannot be cancelled again.
    assert signed_in("supervisor").get(cancel_url(future_day)).status_code == 404


def test_cancelling_without_a_reason_is_refused_and_nothing_written(signed_in, people, future_day):
    booked(people, future_day, a_petition(people))
    response = signed_in("supervisor").post(cancel_url(future_day), {"reason": ""})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    future_day.refresh_from_db()
    assert future_day.status == ReceptionStatus.PLANNED
    assert Booking.objects.get().status == BookingStatus.BOOKED


@pytest.mark.parametrize("who", ["handler", "dispatcher", "township_leader"])
def test_only_planners_of_the_region_may_cancel(signed_in, people, future_day, who):
    # The day is for the whole county: 葛城's leader may not cancel it.
    client = signed_in(who)
    assert client.get(cancel_url(future_day)).status_code == 404
    assert client.post(cancel_url(future_day), {"reason": "不想接访"}).status_code == 404
    future_day.refresh_from_db()
    assert future_day.status == ReceptionStatus.PLANNED
    assert cancel_url(future_day) not in client.get(day_url(future_day)).content.decode()
