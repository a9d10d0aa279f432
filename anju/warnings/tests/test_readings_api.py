"""Readings through the API on a frozen clock: a device posts with its own key (in either
header), twice and out of order, one row each; a late reading placed by its own time; gaps
found; the same time with another value refused; a time in the future, an unknown kind, a kind
the device does not measure, a bad value refused with 422 naming the field and nothing stored;
a disabled or unknown key refused with 401; staff enter readings by hand within their reach."""

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from anju.conftest import at
from anju.warnings import readings
from anju.warnings.models import Reading, Warning
from anju.warnings.tests.apitools import client, fields, send


def device(key, **headers):
    return Client(HTTP_AUTHORIZATION=f"Device {key}", **headers)


def rows(point):
    return list(Reading.objects.filter(point=point).order_by("measured_at").values_list("measured_at", "value",
                                                                                          "source"))


def test_a_device_posts_twice_and_out_of_order_and_each_reading_is_stored_once(points, warnings_clock):
    gauge = device(points.gauge_key)
    first = send(gauge, "POST", "/api/v1/readings", {"kind": "rain", "value": 4.5,
                                                      "measured_at": "2026-07-10T07:00:00+08:00"})
    assert first.status_code == 201, first.content
    assert first.json()["readings"][0]["created"] is True and first.json()["level"] == ""
    again = send(gauge, "POST", "/api/v1/readings", {"kind": "rain", "value": 4.5,
                                                      "measured_at": "2026-07-09T23:00:00Z"})  # the same moment
    assert again.status_code == 200
    assert again.json()["readings"][0]["id"] == first.json()["readings"][0]["id"]
    assert again.json()["readings"][0]["created"] is False
    # A batch out of order, with one reading already there.
    batch = send(gauge, "POST", "/api/v1/readings", {"readings": [
        {"kind": "rain", "value": 21, "measured_at": "2026-07-10T08:00:00+08:00"},
        {"kind": "rain", "value": 4.5, "measured_at": "2026-07-10T07:00:00+08:00"},
        {"kind": "rain", "value": 1, "measured_at": "2026-07-10T05:00:00+08:00"},
    ]})
    assert batch.status_code == 201
    assert [r["created"] for r in batch.json()["readings"]] == [True, False, True]
    assert batch.json()["level"] == "blue"  # 21 mm in the hour ending now
    assert rows(points.slope) == [(at(2026, 7, 10, 5), 1, "device"), (at(2026, 7, 10, 7), 4.5, "device"),
                                  (at(2026, 7, 10, 8), 21, "device")]
    assert Warning.objects.count() == 1
    # Posted again, the whole batch is the same readings: 200, nothing new, no second draft.
    repeat = send(gauge, "POST", "/api/v1/readings", {"readings": [
        {"kind": "rain", "value": 1, "measured_at": "2026-07-10T05:00:00+08:00"},
        {"kind": "rain", "value": 21, "measured_at": "2026-07-10T08:00:00+08:00"}]})
    assert repeat.status_code == 200 and Reading.objects.count() == 3 and Warning.objects.count() == 1
    points.gauge.refresh_from_db()
    assert points.gauge.last_seen_at == at(2026, 7, 10, 8)


def test_a_late_reading_is_placed_by_its_time_and_the_gaps_show(points, people, warnings_clock):
    gauge = device(points.gauge_key)
    for hour in (1, 2, 3, 6, 7):
        send(gauge, "POST", "/api/v1/readings", {"kind": "rain", "value": 2,
                                                  "measured_at": f"2026-07-10T0{hour}:00:00+08:00"})
    warnings_clock.set(at(2026, 7, 10, 8, 30))  # the 08:00 reading is half an hour late: a gap still open
    url = f"/api/v1/monitoring-points/{points.slope.pk}/readings?since=2026-07-10T00:00:00%2B08:00"
    body = client(people.admin).get(url).json()
    assert [(g["start"], g["end"], g["minutes"]) for g in body["gaps"]] == [
        ("2026-07-09T19:00:00Z", "2026-07-09T22:00:00Z", 180), ("2026-07-09T23:00:00Z", None, 90)]
    assert body["rain_mm"] == {"1": None, "3": 4.0, "24": 10.0}  # (05:30, 08:30] holds 06:00 and 07:00
    # The 05:00 reading arrives late: it goes between 03:00 and 06:00 and splits the gap.
    late = send(gauge, "POST", "/api/v1/readings", {"kind": "rain", "value": 3,
                                                     "measured_at": "2026-07-10T05:00:00+08:00"})
    assert late.status_code == 201
    body = client(people.admin).get(url).json()
    assert [r["value"] for r in body["readings"]] == [2, 2, 3, 2, 2, 2]
    assert [(g["minutes"], g["end"] is None) for g in body["gaps"]] == [(120, False), (90, True)]
    assert body["rain_mm"]["24"] == 13.0
    # One kind, a span: the API takes both; a span the wrong way round or too long is refused.
    admin = client(people.admin)
    short = admin.get(f"/api/v1/monitoring-points/{points.slope.pk}/readings?kind=rain"
                      "&since=2026-07-10T04:00:00%2B08:00&until=2026-07-10T06:30:00%2B08:00").json()
    assert [r["value"] for r in short["readings"]] == [2, 3]
    for query, field in (("since=2026-07-10T09:00:00%2B08:00&until=2026-07-10T08:00:00%2B08:00", "since"),
                         ("since=2026-05-01T00:00:00%2B08:00&until=2026-07-10T08:00:00%2B08:00", "since"),
                         ("since=2026-07-10T09:00:00", "since"), ("kind=wind", "kind"), ("limit=0", "limit")):
        response = admin.get(f"/api/v1/monitoring-points/{points.slope.pk}/readings?{query}")
        assert response.status_code == 422 and fields(response) == [field], query


def test_the_same_time_with_another_value_is_refused(points, warnings_clock):
    gauge = device(points.gauge_key)
    send(gauge, "POST", "/api/v1/readings", {"kind": "rain", "value": 4, "measured_at": "2026-07-10T07:00:00+08:00"})
    response = send(gauge, "POST", "/api/v1/readings", {"readings": [
        {"kind": "rain", "value": 9, "measured_at": "2026-07-10T06:00:00+08:00"},
        {"kind": "rain", "value": 5, "measured_at": "2026-07-10T07:00:00+08:00"}]})
    assert response.status_code == 409 and fields(response) == ["readings[1].value"]
    assert "4" in response.json()["detail"]
    twice = send(gauge, "POST", "/api/v1/readings", {"readings": [
        {"kind": "rain", "value": 1, "measured_at": "2026-07-10T05:00:00+08:00"},
        {"kind": "rain", "value": 2, "measured_at": "2026-07-10T05:00:00+08:00"}]})
    assert twice.status_code == 409
    assert rows(points.slope) == [(at(2026, 7, 10, 7), 4, "device")]


@pytest.mark.parametrize("body,field", [
    ({"kind": "rain", "value": 1, "measured_at": "2026-07-10T08:06:00+08:00"}, "measured_at"),  # 6 min ahead
    ({"kind": "rain", "value": 1, "measured_at": "2026-07-10T08:00:00"}, "measured_at"),  # no zone
    ({"kind": "rain", "value": 1, "measured_at": "2025-07-01T08:00:00+08:00"}, "measured_at"),  # over a year old
    ({"kind": "rain", "value": 1, "measured_at": "yesterday"}, "measured_at"),
    ({"kind": "rain", "value": 1}, "measured_at"),
    ({"kind": "wind", "value": 1, "measured_at": "2026-07-10T08:00:00+08:00"}, "kind"),
    ({"kind": "crack", "value": 1, "measured_at": "2026-07-10T08:00:00+08:00"}, "kind"),  # not a gauge's
    ({"kind": "rain", "value": -1, "measured_at": "2026-07-10T08:00:00+08:00"}, "value"),
    ({"kind": "rain", "value": 501, "measured_at": "2026-07-10T08:00:00+08:00"}, "value"),
    ({"kind": "rain", "value": "lots", "measured_at": "2026-07-10T08:00:00+08:00"}, "value"),
    ({"readings": []}, "readings"),
    ({"readings": [{"kind": "rain", "value": 1, "measured_at": "2026-07-10T07:00:00+08:00"},
                   {"kind": "rain", "value": 1, "measured_at": "2026-07-10T09:00:00+08:00"}]},
     "readings[1].measured_at"),
    ({"kind": "rain", "value": 1, "measured_at": "2026-07-10T07:00:00+08:00", "readings": []}, "readings"),
])
def test_it_refuses_bad_readings_naming_the_field_and_storing_none(points, warnings_clock, body, field):
    response = send(device(points.gauge_key), "POST", "/api/v1/readings", body)
    assert response.status_code == 422, response.content
    assert field in fields(response)
    assert Reading.objects.count() == 0


def test_a_value_that_is_not_finite_is_refused(points, warnings_clock):
    body = '{"kind": "rain", "value": NaN, "measured_at": "2026-07-10T07:00:00+08:00"}'
    response = send(device(points.gauge_key), "POST", "/api/v1/readings", body)
    assert response.status_code in (400, 422) and Reading.objects.count() == 0


@settings(max_examples=40, deadline=None)
@given(value=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**9, 10**9)),
       kind=st.sampled_from(["rain", "displacement", "crack", "water_level", "", "RAIN", "rain "]))
def test_any_value_is_either_taken_or_refused_with_422(value, kind):
    """The checks of one reading (``readings.check_reading``), never an unexpected error."""
    from anju.lib.errors import ServiceError

    now = at(2026, 7, 10, 8)
    try:
        checked = readings.check_reading(readings.NewReading(kind, value, now), now=now)
    except ServiceError as error:
        assert error.status == 422 and error.field in ("kind", "value")
    else:
        assert checked.kind == kind and readings.VALUE_RANGES[kind][0] <= checked.value <= \
            readings.VALUE_RANGES[kind][1]


def test_a_disabled_or_unknown_key_is_refused(points, people, warnings_clock):
    body = {"kind": "rain", "value": 1, "measured_at": "2026-07-10T07:00:00+08:00"}
    assert send(Client(), "POST", "/api/v1/readings", body).status_code == 401
    assert send(device("ajd_not-a-key"), "POST", "/api/v1/readings", body).status_code == 401
    # A person's token is not a device's key.
    assert send(client(people.admin), "POST", "/api/v1/readings", body).status_code == 401
    assert send(Client(HTTP_X_DEVICE_KEY=points.gauge_key), "POST", "/api/v1/readings", body).status_code == 201
    send(client(people.admin), "POST", f"/api/v1/monitoring-points/{points.slope.pk}/devices/{points.gauge.pk}/active",
         {"active": False})
    refused = send(device(points.gauge_key), "POST", "/api/v1/readings", {**body, "value": 2,
                                                                         "measured_at": "2026-07-10T08:00:00+08:00"})
    assert refused.status_code == 401 and Reading.objects.count() == 1


def test_staff_enter_readings_by_hand_within_their_reach(points, people, warnings_clock):
    url = f"/api/v1/monitoring-points/{points.slope.pk}/readings"
    body = {"kind": "crack", "value": 12.5, "measured_at": "2026-07-10T07:30:00+08:00"}
    made = send(client(points.monitor), "POST", url, body)
    assert made.status_code == 201 and made.json()["readings"][0]["source"] == "hand"
    assert send(client(points.grid1_worker), "POST", url, body).status_code == 200  # the same reading
    conflict = send(client(points.grid1_worker), "POST", url, {**body, "value": 13})
    assert conflict.status_code == 409 and fields(conflict) == ["value"]
    assert send(client(people.leader), "POST", url, body).status_code == 403
    assert send(client(people.township_dispatcher), "POST", url, body).status_code == 404
    assert send(Client(), "POST", url, body).status_code == 401
    bad = send(client(points.monitor), "POST", url, {**body, "measured_at": "2026-07-10T09:00:00+08:00"})
    assert bad.status_code == 422 and fields(bad) == ["measured_at"]
    assert Reading.objects.filter(point=points.slope).count() == 1
    assert Reading.objects.get().entered_by == points.monitor
