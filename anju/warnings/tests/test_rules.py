"""Threshold rules through the API: set, changed and removed by supervisors and administrators
within their scope; one rule per level and a higher level above a lower one's threshold; the
rules in force at a point (its own before its area's); a change moves a point's level now."""

import pytest
from django.test import Client

from anju.conftest import at
from anju.warnings import readings
from anju.warnings.choices import Level
from anju.warnings.models import ThresholdRule, Warning
from anju.warnings.tests.apitools import client, fields, operations, send

RULE = {"kind": "rain", "window_hours": 6, "level": "blue", "threshold": 45, "area": "500229001"}


def table():
    return list(ThresholdRule.objects.order_by("pk").values_list("point_id", "area_id", "kind", "window_hours",
                                                                 "level", "threshold", "is_active"))


def test_supervisors_and_administrators_keep_the_rules_of_their_scope(points, people):
    made = send(client(people.supervisor), "POST", "/api/v1/monitoring-points/rules", RULE)
    assert made.status_code == 201, made.content
    assert (made.json()["area"], made.json()["actions"]) == ("500229001", ["update", "delete"])
    # 葛城's supervisor keeps 葛城's rules and its points', not the county's nor 复兴's.
    keeper = client(points.gc_keeper)
    assert send(keeper, "POST", "/api/v1/monitoring-points/rules", {**RULE, "level": "yellow", "threshold": 60}
                ).status_code == 201
    before = table()
    for body in ({**RULE, "area": "500229"}, {**RULE, "area": "500229002"}):
        assert send(keeper, "POST", "/api/v1/monitoring-points/rules", body).status_code == 403
    for who in ("dispatcher", "leader", "gridworker", "handler"):
        assert send(client(getattr(people, who)), "POST", "/api/v1/monitoring-points/rules",
                    RULE).status_code == 403, who
    rock = send(keeper, "POST", "/api/v1/monitoring-points/rules",
                {**RULE, "area": "", "point": points.rock.pk})
    assert rock.status_code == 422 and fields(rock) == ["point"]  # a point out of reach is unknown
    assert table() == before
    own = send(keeper, "POST", "/api/v1/monitoring-points/rules", {**RULE, "area": "", "point": points.slope.pk})
    assert own.status_code == 201 and own.json()["point_code"] == "CK-GC-001"
    rule_id = made.json()["id"]
    changed = send(keeper, "PUT", f"/api/v1/monitoring-points/rules/{rule_id}", {**RULE, "threshold": 50})
    assert changed.status_code == 200 and changed.json()["threshold"] == 50
    county_rule = points.rules[0].pk
    assert send(keeper, "PUT", f"/api/v1/monitoring-points/rules/{county_rule}",
                {**RULE, "area": "500229", "window_hours": 1, "threshold": 21}).status_code == 403
    assert send(keeper, "DELETE", f"/api/v1/monitoring-points/rules/{county_rule}").status_code == 403
    assert send(people_client(people.township_dispatcher), "DELETE",
                f"/api/v1/monitoring-points/rules/{rule_id}").status_code == 404
    assert send(keeper, "DELETE", f"/api/v1/monitoring-points/rules/{rule_id}").status_code == 204
    assert not ThresholdRule.objects.filter(pk=rule_id).exists()


def people_client(user):
    return client(user)


@pytest.mark.parametrize("change,field,status", [
    ({"level": "blue", "threshold": 55}, "level", 409),  # 葛城 already has a blue 6 h rule
    ({"level": "yellow", "threshold": 30}, "threshold", 422),  # below blue's 40
    ({"level": "yellow", "threshold": 90}, "threshold", 422),  # above orange's 80
    ({"threshold": 70}, "threshold", 422),  # red below orange
    ({"threshold": -3}, "threshold", 422),
    ({"threshold": 0}, "threshold", 422),
    ({"kind": "wind"}, "kind", 422),
    ({"level": "green"}, "level", 422),
    ({"window_hours": 200}, "window_hours", 422),
    ({"area": "999"}, "area", 422),
    ({"area": ""}, "area", 422),
    ({"point": 12345}, "point", 422),
])
def test_it_refuses_a_bad_rule_naming_the_field(points, people, change, field, status):
    admin = client(people.admin)
    for level, mm in (("blue", 40), ("orange", 80)):
        send(admin, "POST", "/api/v1/monitoring-points/rules", {**RULE, "level": level, "threshold": mm})
    before = table()
    body = {**RULE, "level": "red", "threshold": 100, **change}
    if change.get("point"):
        body["area"] = ""
    response = send(admin, "POST", "/api/v1/monitoring-points/rules", body)
    assert response.status_code == status, response.content
    assert fields(response) == [field]
    assert table() == before


def test_the_rules_in_force_at_a_point_and_the_lists(points, people):
    admin = client(people.admin)
    send(admin, "POST", "/api/v1/monitoring-points/rules", {**RULE, "area": "", "point": points.slope.pk,
                                                            "window_hours": 24, "threshold": 70})
    in_force = admin.get(f"/api/v1/monitoring-points/{points.slope.pk}/rules").json()
    by_window = {}
    for rule in in_force:
        by_window.setdefault(rule["window_hours"], []).append((rule["level"], rule["threshold"], rule["area"]))
    assert by_window[24] == [("blue", 70, None)]
    assert by_window[1] == [("blue", 20, "500229"), ("yellow", 30, "500229"), ("orange", 40, "500229"),
                            ("red", 50, "500229")]
    listed = admin.get("/api/v1/monitoring-points/rules?area=500229&kind=rain").json()["items"]
    assert len(listed) == 12
    # A grid worker reads the county's table and his point's rules, and may change none.
    seen = client(points.grid1_worker).get("/api/v1/monitoring-points/rules").json()["items"]
    assert len(seen) == 13 and all(rule["actions"] == [] for rule in seen)
    assert client(people.nobody).get("/api/v1/monitoring-points/rules").json()["items"] == []
    assert Client().get("/api/v1/monitoring-points/rules").status_code == 401


def test_a_lower_threshold_moves_the_level_now_and_drafts(points, people, warnings_clock):
    readings.record_readings(points.slope, [readings.NewReading("rain", 15, at(2026, 7, 10, 8))],
                             device=points.gauge)
    points.slope.refresh_from_db()
    assert points.slope.level == ""
    blue_1h = next(r for r in points.rules if r.window_hours == 1 and r.level == Level.BLUE)
    response = send(client(people.admin), "PUT", f"/api/v1/monitoring-points/rules/{blue_1h.pk}",
                    {"kind": "rain", "window_hours": 1, "level": "blue", "threshold": 12, "area": "500229"})
    assert response.status_code == 200
    points.slope.refresh_from_db()
    assert points.slope.level == Level.BLUE and Warning.objects.count() == 1
    send(client(people.admin), "DELETE", f"/api/v1/monitoring-points/rules/{blue_1h.pk}")
    points.slope.refresh_from_db()
    assert points.slope.level == ""


@pytest.mark.parametrize("method,path", [op for op in operations("/api/v1/monitoring-points/rules")])
def test_every_rule_endpoint_needs_a_token(points, method, path):
    url = path.replace("{rule_id}", str(points.rules[0].pk))
    assert send(Client(), method, url, RULE).status_code == 401
