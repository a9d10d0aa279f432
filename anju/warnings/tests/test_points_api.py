"""The points register API (/api/v1/monitoring-points): the list with its filters, cursor and
masked monitors; who sees which point; a point registered once per Idempotency-Key with its
grade computed; its correction; its households masked, their counts kept in step and a reveal
logged; the three checks; devices and their key shown once; every endpoint's permission and
bad input (a 4xx naming the field, nothing written)."""

import re

import pytest
from django.test import Client

from anju.conftest import at
from anju.warnings.models import ContactReveal, Device, Household, MonitoringPoint, SeasonCheck
from anju.warnings.tests.apitools import client, fields, operations, send

NEW = {"code": "CK-GC-010", "name": "土城新滑坡", "type": "landslide", "lat": 31.905, "lng": 108.616,
       "monitor_name": "吴守望", "monitor_phone": "13811112222", "potential_loss": 600,
       "route": {"type": "LineString", "coordinates": [[108.616, 31.905], [108.618, 31.907]]},
       "shelter_name": "土城村委会", "shelter_lat": 31.907, "shelter_lng": 108.618, "shelter_capacity": 80,
       "warning_signal": "铜锣"}


def register():
    return list(MonitoringPoint.objects.order_by("id").values_list(
        "code", "name", "type", "region_id", "lat", "lng", "outline", "scale_grade", "households", "people",
        "potential_loss", "monitor_name", "monitor_phone", "route", "shelter_name", "is_active"))


def ids(response):
    assert response.status_code == 200, response.content
    return {p["id"] for p in response.json()["items"]}


@pytest.mark.parametrize("method,path", list(operations("/api/v1/monitoring-points")))
def test_it_requires_a_token_on_every_endpoint(method, path, points):
    url = re.sub(r"\{[^}]+\}", str(points.slope.pk), path)
    before = register()
    response = send(Client(), method, url, NEW)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert register() == before


def test_the_list_masks_the_monitors_and_pages_with_a_cursor(points, people):
    admin = client(people.admin)
    body = admin.get("/api/v1/monitoring-points").json()
    slope = next(p for p in body["items"] if p["id"] == points.slope.pk)
    assert (slope["monitor_name"], slope["monitor_phone"], slope["deputy_phone"]) == ("张**", "138****5555",
                                                                                      "138****6666")
    assert (slope["households"], slope["people"], slope["scale_grade"]) == (3, 9, "small")
    assert (slope["region_code"], slope["township_name"]) == ("500229001001001", "葛城街道")
    assert slope["route"]["type"] == "LineString" and slope["outline"]["type"] == "Polygon"
    content = admin.get("/api/v1/monitoring-points").content.decode()
    assert "张守山" not in content and "13800005555" not in content
    seen, page = [], admin.get("/api/v1/monitoring-points?limit=2").json()
    seen += [p["id"] for p in page["items"]]
    while page["next_cursor"]:
        page = admin.get(f"/api/v1/monitoring-points?limit=2&cursor={page['next_cursor']}").json()
        seen += [p["id"] for p in page["items"]]
    assert seen == sorted(MonitoringPoint.objects.values_list("id", flat=True), reverse=True)


def test_the_list_filters_by_township_type_grade_level_and_text(points, people):
    MonitoringPoint.objects.filter(pk=points.rock.pk).update(level="orange")
    admin = client(people.admin)

    def listed(query):
        return ids(admin.get(f"/api/v1/monitoring-points?{query}"))

    p = points
    assert listed("township=500229001") == {p.slope.pk, p.gully.pk}
    assert listed("township=500229001001001") == {p.slope.pk}
    assert listed("type=collapse") == {p.rock.pk}
    assert listed("level=orange") == {p.rock.pk}
    assert listed("level=none") == {p.slope.pk, p.gully.pk}
    assert listed("grade=small") == {p.slope.pk, p.gully.pk, p.rock.pk}
    assert listed("grade=huge") == set()
    assert listed("q=土城") == {p.slope.pk, p.gully.pk}
    assert listed("q=ck-fx") == {p.rock.pk}
    assert listed("active=false") == set()
    for bad, field in (("township=999", "township"), ("type=volcano", "type"), ("level=purple", "level"),
                       ("limit=0", "limit"), ("cursor=-1", "cursor")):
        response = admin.get(f"/api/v1/monitoring-points?{bad}")
        assert response.status_code == 422 and fields(response) == [field], bad


def test_each_user_sees_the_points_their_scope_or_office_reaches(points, people):
    p = points
    who = {"gridworker": people.gridworker, "grid1_worker": p.grid1_worker, "handler": people.handler,
           "other_handler": people.other_handler, "township_dispatcher": people.township_dispatcher,
           "leader": people.leader, "monitor": p.monitor, "deputy": p.deputy, "nobody": people.nobody,
           "gc_keeper": p.gc_keeper}
    seen = {name: ids(client(user).get("/api/v1/monitoring-points")) for name, user in who.items()}
    assert seen == {
        "gridworker": {p.slope.pk, p.gully.pk}, "grid1_worker": {p.slope.pk},
        "handler": {p.slope.pk, p.gully.pk}, "other_handler": {p.rock.pk},
        "township_dispatcher": {p.rock.pk}, "leader": {p.slope.pk, p.gully.pk, p.rock.pk},
        "monitor": {p.slope.pk}, "deputy": {p.slope.pk}, "nobody": set(), "gc_keeper": {p.slope.pk, p.gully.pk},
    }
    # Out of reach is not found, like a point that does not exist.
    assert client(people.township_dispatcher).get(f"/api/v1/monitoring-points/{p.slope.pk}").status_code == 404
    assert client(people.admin).get("/api/v1/monitoring-points/999999").status_code == 404


def test_the_detail_says_what_each_user_may_do(points, people, warnings_clock):
    def actions(user):
        response = client(user).get(f"/api/v1/monitoring-points/{points.slope.pk}")
        assert response.status_code == 200
        return response.json()["actions"]

    keeper = ["update", "households", "devices", "rules", "readings", "checks", "reveal", "cards"]
    assert actions(people.admin) == keeper
    assert actions(people.dispatcher) == ["update", "households", "devices", "readings", "checks", "reveal", "cards"]
    assert actions(points.grid1_worker) == actions(points.monitor) == ["readings", "checks", "reveal", "cards"]
    assert actions(people.leader) == actions(people.handler) == []
    body = client(people.admin).get(f"/api/v1/monitoring-points/{points.slope.pk}").json()
    assert body["checks_missing"] == ["before", "during", "after"] and body["devices"] == 1
    assert body["rain_mm"] == {"1": None, "3": None, "24": None}
    assert body["monitor_has_account"] and body["deputy_has_account"]


# ---------------------------------------------------------------------------- registering


def test_a_point_is_registered_once_per_idempotency_key_with_its_grade_computed(points, people):
    keeper = client(points.gc_keeper, HTTP_IDEMPOTENCY_KEY="k-1")
    first = send(keeper, "POST", "/api/v1/monitoring-points", NEW)
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["region_code"], body["scale_grade"], body["households"]) == ("500229001001002", "medium", 0)
    again = send(keeper, "POST", "/api/v1/monitoring-points", NEW)
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    other = send(keeper, "POST", "/api/v1/monitoring-points", {**NEW, "name": "另一个"})
    assert other.status_code == 422 and fields(other) == ["Idempotency-Key"]
    assert MonitoringPoint.objects.filter(code="CK-GC-010").count() == 1


@pytest.mark.parametrize("who", ["township_dispatcher", "gridworker", "leader", "handler", "nobody"])
def test_it_refuses_a_point_outside_the_users_keeping(points, people, who):
    before = register()
    response = send(client(getattr(people, who)), "POST", "/api/v1/monitoring-points", NEW)
    assert response.status_code == 403
    assert register() == before


BAD = [
    ({"type": "volcano"}, "type"),
    ({"lat": 91}, "lat"),
    ({"lat": "north"}, "lat"),
    ({"lng": 108.9, "lat": 31.5}, "region"),  # in no grid
    ({"region": "500229001"}, "region"),  # a township
    ({"region": "123"}, "region"),
    ({"code": "CK GC 1"}, "code"),
    ({"code": ""}, "code"),
    ({"name": "坏\x00名"}, "name"),
    ({"monitor_phone": "call me"}, "monitor_phone"),
    ({"monitor_user": "ghost"}, "monitor_user"),
    ({"potential_loss": -1}, "potential_loss"),
    ({"shelter_lng": None}, "shelter_lng"),
    ({"shelter_capacity": 1.5}, "shelter_capacity"),
    ({"outline": {"type": "Polygon", "coordinates": [[[108.6, 31.9], [108.61, 31.91], [108.61, 31.9],
                                                      [108.6, 31.91], [108.6, 31.9]]]}}, "outline"),
    ({"outline": {"type": "Polygon", "coordinates": [[[108.6, 31.9], [108.61, 31.91]]]}}, "outline"),
    ({"outline": {"type": "Point", "coordinates": [[[108.6, 31.9]]]}}, "outline.type"),
    ({"route": {"type": "LineString", "coordinates": [[108.6, 31.9]]}}, "route"),
    ({"route": {"type": "LineString", "coordinates": [[200, 31.9], [108.6, 31.9]]}}, "route"),
    ({"deputy_phone": "13800001111"}, "deputy_name"),
]


@pytest.mark.parametrize("change,field", BAD)
def test_it_refuses_bad_input_naming_the_field(points, people, change, field):
    before = register()
    response = send(client(people.admin), "POST", "/api/v1/monitoring-points", {**NEW, **change})
    assert response.status_code == 422, response.content
    assert fields(response) == [field]
    assert register() == before


def test_a_code_already_in_the_register_is_refused(points, people):
    response = send(client(people.admin), "POST", "/api/v1/monitoring-points", {**NEW, "code": "CK-GC-001"})
    assert response.status_code == 409 and fields(response) == ["code"]


def test_a_point_is_corrected_by_its_keepers_only(points, people):
    url = f"/api/v1/monitoring-points/{points.slope.pk}"
    body = {**NEW, "code": "CK-GC-001", "name": "土城滑坡（东）", "lat": 31.905, "lng": 108.605, "potential_loss": 5000}
    assert send(client(people.leader), "PUT", url, body).status_code == 403
    assert send(client(points.grid1_worker), "PUT", url, body).status_code == 403
    assert send(client(people.township_dispatcher), "PUT", url, body).status_code == 404
    # Moved into another township, out of the keeper's reach: refused.
    moved = send(client(points.gc_keeper), "PUT", url, {**body, "lat": 31.955, "lng": 108.705})
    assert moved.status_code == 403
    response = send(client(points.gc_keeper), "PUT", url, body)
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["scale_grade"]) == ("土城滑坡（东）", "large")
    retired = send(client(points.gc_keeper), "POST", f"{url}/active", {"active": False})
    assert retired.status_code == 200 and retired.json()["is_active"] is False
    assert "readings" not in retired.json()["actions"]


# ---------------------------------------------------------------------------- households


def test_households_are_masked_and_their_counts_kept_in_step(points, people):
    admin = client(people.admin)
    url = f"/api/v1/monitoring-points/{points.slope.pk}/households"
    listed = admin.get(url)
    assert [h["head_name"] for h in listed.json()] == ["王**", "刘**", "陈**"]
    assert listed.json()[0]["phone"] == "139****1111" and listed.json()[0]["address"] == "土城社区…"
    assert "王大山" not in listed.content.decode()
    added = send(admin, "POST", url, {"head_name": "新住户", "members": 95, "phone": "13700000000"})
    assert added.status_code == 201 and added.json()["card_number"] == "CK-GC-001-004"
    point = admin.get(f"/api/v1/monitoring-points/{points.slope.pk}").json()
    assert (point["households"], point["people"], point["scale_grade"]) == (4, 104, "medium")
    hid = added.json()["id"]
    changed = send(admin, "PUT", f"{url}/{hid}", {"head_name": "新住户", "members": 5})
    assert changed.status_code == 200 and changed.json()["card_number"] == "CK-GC-001-004"
    assert admin.get(f"/api/v1/monitoring-points/{points.slope.pk}").json()["people"] == 14
    assert send(admin, "DELETE", f"{url}/{hid}").status_code == 204
    assert admin.get(f"/api/v1/monitoring-points/{points.slope.pk}").json()["households"] == 3
    for bad, field in (({"head_name": "", "members": 1}, "head_name"), ({"head_name": "x", "members": 0}, "members"),
                       ({"head_name": "x", "phone": "abc"}, "phone")):
        response = send(admin, "POST", url, bad)
        assert response.status_code == 422 and fields(response) == [field]
    assert Household.objects.filter(point=points.slope).count() == 3
    assert send(client(people.leader), "POST", url, {"head_name": "x"}).status_code == 403
    assert send(client(points.grid1_worker), "DELETE", f"{url}/{points.households[0].pk}").status_code == 403
    assert send(admin, "DELETE", f"{url}/{points.households[0].pk + 1000}").status_code == 404


def test_a_household_revealed_in_full_is_logged_granted_or_not(points, people):
    household = points.households[0]
    url = f"/api/v1/monitoring-points/{points.slope.pk}/households/{household.pk}/reveal"
    response = send(client(points.grid1_worker), "POST", url, {"reason": "通知转移"})
    assert response.status_code == 200
    assert (response.json()["head_name"], response.json()["phone"]) == ("王大山", "13900001111")
    refused = send(client(people.leader), "POST", url, {})
    assert refused.status_code == 403 and "王大山" not in refused.content.decode()
    assert list(ContactReveal.objects.order_by("at", "pk").values_list("user__username", "subject", "granted",
                                                                        "reason")) == [
        ("grid1_worker", f"household {household.pk}", True, "通知转移"),
        ("leader", f"household {household.pk}", False, "")]
    # The monitors' phones: the duty officers of the township's office see them too.
    monitors = send(client(people.handler), "POST", f"/api/v1/monitoring-points/{points.slope.pk}/monitors/reveal", {})
    assert monitors.status_code == 200 and monitors.json()["monitor_phone"] == "13800005555"
    assert send(client(people.leader), "POST", f"/api/v1/monitoring-points/{points.slope.pk}/monitors/reveal",
                {}).status_code == 403
    assert ContactReveal.objects.filter(subject="monitors").count() == 2


# ---------------------------------------------------------------------------- the three checks


def test_the_three_checks_are_recorded_once_each_and_the_missing_listed(points, people, warnings_clock):
    url = f"/api/v1/monitoring-points/{points.slope.pk}/checks"
    worker = client(points.grid1_worker)
    first = send(worker, "POST", url, {"round": "before", "checked_on": "2026-04-20"})
    assert first.status_code == 201 and first.json()["checked_by"] == "grid1_worker"
    again = send(worker, "POST", url, {"round": "before", "checked_on": "2026-04-21"})
    assert again.status_code == 409 and fields(again) == ["round"]
    for bad, field in (({"round": "during", "checked_on": "2026-07-11"}, "checked_on"),
                       ({"round": "during", "checked_on": "2026-07-01", "stable": False}, "finding"),
                       ({"round": "sometime", "checked_on": "2026-07-01"}, "round"),
                       ({"round": "during", "checked_on": "1999-07-01"}, "checked_on")):
        response = send(worker, "POST", url, bad)
        assert response.status_code == 422 and fields(response) == [field], bad
    assert send(client(people.leader), "POST", url, {"round": "during", "checked_on": "2026-07-01"}).status_code == 403
    send(client(points.monitor), "POST", url, {"round": "during", "checked_on": "2026-07-09", "stable": False,
                                               "finding": "后缘裂缝加宽"})
    assert SeasonCheck.objects.filter(point=points.slope).count() == 2
    listed = client(people.admin).get("/api/v1/monitoring-points/season-checks?missing=true").json()["items"]
    rows = {row["code"]: row for row in listed}
    assert rows["CK-GC-001"]["missing"] == ["after"] and rows["CK-GC-001"]["overdue"] == []
    assert rows["CK-GC-002"]["missing"] == ["before", "during", "after"]
    assert rows["CK-GC-002"]["overdue"] == ["before"]
    assert rows["CK-GC-001"]["during"]["finding"] == "后缘裂缝加宽"
    only_during = client(people.admin).get("/api/v1/monitoring-points/season-checks?missing=true&round=during")
    assert {row["code"] for row in only_during.json()["items"]} == {"CK-GC-002", "CK-FX-001"}


# ---------------------------------------------------------------------------- devices


def test_a_devices_key_is_shown_once_and_only_its_hash_kept(points, people):
    url = f"/api/v1/monitoring-points/{points.slope.pk}/devices"
    made = send(client(people.admin), "POST", url, {"name": "GNSS站", "kinds": ["displacement"],
                                                     "interval_minutes": 30})
    assert made.status_code == 201
    key = made.json()["key"]
    device = Device.objects.get(pk=made.json()["id"])
    assert key.startswith("ajd_") and device.key_prefix == key[:12] and key not in device.key_hash
    listed = client(people.admin).get(url)
    assert key not in listed.content.decode() and len(listed.json()) == 2
    assert send(client(points.grid1_worker), "POST", url, {"name": "x", "kinds": ["rain"]}).status_code == 403
    for bad, field in (({"name": "x", "kinds": []}, "kinds"), ({"name": "x", "kinds": ["wind"]}, "kinds"),
                       ({"name": "x", "kinds": ["rain"], "interval_minutes": 0}, "interval_minutes")):
        response = send(client(people.admin), "POST", url, bad)
        assert response.status_code == 422 and fields(response) == [field], bad
    off = send(client(people.admin), "POST", f"{url}/{device.pk}/active", {"active": False})
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert send(client(people.admin), "POST", f"{url}/{device.pk + 99}/active", {"active": False}).status_code == 404


def test_ids_beyond_the_range_are_not_found(points, people):
    admin = client(people.admin)
    assert admin.get(f"/api/v1/monitoring-points/{2**63}").status_code == 404
    assert admin.get(f"/api/v1/monitoring-points/{points.slope.pk}/households/{2**63}/reveal").status_code in (404,
                                                                                                             405)
    assert at(2026, 1, 1)  # the fixtures' clock helper stays importable
