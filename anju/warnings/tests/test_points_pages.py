"""The points pages: the register with its filters, pages and Excel export (monitors masked);
the map's GeoJSON; a point's page showing each user exactly their forms, households masked and
one shown in full only through a logged reveal; the forms of a point, a household, a reading, a
check and a device (its key shown once); the 避险明白卡 printed and logged; the three checks'
list; the threshold rules' page."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from anju.conftest import at
from anju.warnings import readings
from anju.warnings.models import ContactReveal, Device, Household, MonitoringPoint, Reading, SeasonCheck, ThresholdRule


def page_client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def test_the_register_lists_filters_and_exports_with_monitors_masked(points, people):
    admin = page_client(people.admin)
    response = admin.get("/work/warnings/points/")
    assert response.status_code == 200
    body = text(response)
    assert "土城滑坡" in body and "太和危岩" in body and "张**" in body and "138****5555" in body
    assert "张守山" not in body and "13800005555" not in body
    only = text(admin.get("/work/warnings/points/?township=500229002&type=collapse"))
    assert "太和危岩" in only and "土城滑坡" not in only
    assert admin.get("/work/warnings/points/?level=purple").status_code == 400
    export = admin.get("/work/warnings/points/export.xlsx?township=500229001")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[2][0] == "隐患点编号" and {row[0] for row in values[3:]} == {"CK-GC-001", "CK-GC-002"}
    assert "张守山" not in str(values) and "13800005555" not in str(values)
    assert page_client(people.nobody).get("/work/warnings/points/").status_code == 404
    assert Client().get("/work/warnings/points/").status_code == 302


def test_the_map_shows_the_points_routes_and_shelters_in_reach(points, people):
    assert page_client(people.admin).get("/work/warnings/points/map/").status_code == 200
    data = page_client(points.grid1_worker).get("/work/warnings/points/map.json").json()
    roles = sorted((f["properties"]["role"], f["properties"]["id"]) for f in data["features"])
    assert roles == sorted([("point", points.slope.pk), ("outline", points.slope.pk), ("route", points.slope.pk),
                            ("shelter", points.slope.pk)])
    one = page_client(people.admin).get(f"/work/warnings/points/map.json?point={points.rock.pk}").json()
    assert [f["properties"]["name"] for f in one["features"]] == ["太和危岩"]
    hidden = page_client(points.grid1_worker).get(f"/work/warnings/points/map.json?point={points.rock.pk}").json()
    assert hidden["features"] == []


@pytest.mark.parametrize("who,forms,sees", [
    ("admin", {"point_edit", "household_new", "point_device_new", "point_reading", "point_check", "household_reveal",
               "point_cards"}, True),
    ("grid1_worker", {"point_reading", "point_check", "household_reveal", "point_cards"}, True),
    ("monitor_staff", {"point_reading", "point_check", "household_reveal", "point_cards"}, True),
    ("leader", set(), True),
    ("township_dispatcher", set(), False),
])
def test_a_points_page_shows_each_user_their_forms(points, people, who, forms, sees):
    if who == "monitor_staff":
        # The monitor with a role (a village cadre): the staff pages open to them.
        from anju.people.models import RoleAssignment

        RoleAssignment.objects.create(user=points.monitor, role="grid_worker", region=points.slope.region)
        user = points.monitor
    else:
        user = getattr(points, who, None) or getattr(people, who)
    response = page_client(user).get(f"/work/warnings/points/{points.slope.pk}/")
    if not sees:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    body = text(response)
    urls = {"point_edit": "/edit/", "household_new": "/households/new/",
            "point_device_new": f"{points.slope.pk}/devices/",
            "point_reading": f"{points.slope.pk}/readings/", "point_check": f"{points.slope.pk}/checks/",
            "household_reveal": "/reveal/", "point_cards": f"{points.slope.pk}/cards/"}
    shown = {name for name, url in urls.items() if url in body}
    assert shown == forms
    assert "王**" in body and "王大山" not in body and "13900001111" not in body


def test_a_household_shown_in_full_is_logged_and_only_for_that_answer(points, people):
    worker = page_client(points.grid1_worker)
    household = points.households[0]
    response = worker.post(f"/work/warnings/points/{points.slope.pk}/households/{household.pk}/reveal/",
                           {"reason": "通知转移"})
    assert response.status_code == 200 and "王大山" in text(response) and "13900001111" in text(response)
    assert ContactReveal.objects.filter(user=points.grid1_worker, household=household, granted=True).count() == 1
    assert "王大山" not in text(worker.get(f"/work/warnings/points/{points.slope.pk}/"))
    refused = page_client(people.leader).post(
        f"/work/warnings/points/{points.slope.pk}/households/{household.pk}/reveal/")
    assert refused.status_code == 403
    assert ContactReveal.objects.filter(user=people.leader, granted=False).count() == 1


def test_the_evacuation_card_prints_on_a5_and_is_logged(points, people):
    worker = page_client(points.grid1_worker)
    household = points.households[1]
    card = worker.get(f"/work/warnings/points/{points.slope.pk}/households/{household.pk}/card/")
    assert card.status_code == 200
    body = text(card)
    for words in ("地质灾害防灾避险明白卡", "刘二妹", "139****2222", "张守山", "13800005555", "土城小学操场",
                  "鸣锣、手摇报警器", "CK-GC-001-002", "<polyline", "葛城街道办事处"):
        assert words in body, words
    assert "13900002222" not in body
    every = worker.get(f"/work/warnings/points/{points.slope.pk}/cards/")
    assert text(every).count('class="card-sheet"') == 3
    assert list(ContactReveal.objects.order_by("pk").values_list("subject", flat=True)) == [
        f"card {household.pk}", "cards"]
    assert page_client(people.leader).get(f"/work/warnings/points/{points.slope.pk}/cards/").status_code == 403
    assert page_client(people.township_dispatcher).get(
        f"/work/warnings/points/{points.slope.pk}/cards/").status_code == 404


POINT_FORM = {"code": "CK-GC-020", "name": "土城北坡", "type": "landslide", "region": "", "lat": "31.906",
              "lng": "108.607", "outline": "31.905, 108.606\n31.905, 108.608\n31.907, 108.608", "potential_loss": "0",
              "monitor_name": "黄守坡", "monitor_phone": "13822223333", "monitor_user": "", "deputy_name": "",
              "deputy_phone": "", "deputy_user": "", "route": "31.906, 108.607\n31.909, 108.608",
              "shelter_name": "土城小学", "shelter_lat": "31.909", "shelter_lng": "108.608", "shelter_capacity": "100",
              "warning_signal": "广播"}


def test_a_point_is_registered_and_edited_through_its_form(points, people):
    keeper = page_client(points.gc_keeper)
    assert keeper.get("/work/warnings/points/new/").status_code == 200
    bad = keeper.post("/work/warnings/points/new/", {**POINT_FORM, "outline": "31.9 north\n31.9, 108.6"})
    assert bad.status_code == 400 and "Line 1 of Outline" in text(bad)
    taken = keeper.post("/work/warnings/points/new/", {**POINT_FORM, "code": "CK-GC-001"})
    assert taken.status_code == 400 and "already in the register" in text(taken)
    far = keeper.post("/work/warnings/points/new/", {**POINT_FORM, "lat": "31.955", "lng": "108.705"})
    assert far.status_code == 400 and "outside the area" in text(far)
    made = keeper.post("/work/warnings/points/new/", POINT_FORM)
    assert made.status_code == 302
    point = MonitoringPoint.objects.get(code="CK-GC-020")
    assert point.region.code == "500229001001001" and point.outline["coordinates"][0][0] == [108.606, 31.905]
    assert point.outline["coordinates"][0][-1] == [108.606, 31.905] and len(point.route["coordinates"]) == 2
    form = keeper.get(f"/work/warnings/points/{point.pk}/edit/")
    assert "31.905000, 108.606000" in text(form)
    edited = keeper.post(f"/work/warnings/points/{point.pk}/edit/", {**POINT_FORM, "name": "土城北坡（改）",
                                                                    "outline": ""})
    assert edited.status_code == 302
    point.refresh_from_db()
    assert point.name == "土城北坡（改）" and point.outline is None
    assert page_client(people.leader).get(f"/work/warnings/points/{point.pk}/edit/").status_code == 403
    assert page_client(people.leader).get("/work/warnings/points/new/").status_code == 404


def test_households_readings_checks_and_devices_through_the_pages(points, people, warnings_clock):
    admin = page_client(people.admin)
    base = f"/work/warnings/points/{points.slope.pk}"
    added = admin.post(f"{base}/households/new/", {"head_name": "钱家", "members": "6", "phone": "", "address": "",
                                                   "card_number": ""})
    assert added.status_code == 302
    points.slope.refresh_from_db()
    assert (points.slope.households, points.slope.people) == (4, 15)
    new = Household.objects.get(head_name="钱家")
    edit = admin.get(f"{base}/households/{new.pk}/edit/")
    assert edit.status_code == 200 and ContactReveal.objects.filter(household=new, reason="edit").exists()
    assert admin.post(f"{base}/households/{new.pk}/edit/", {"head_name": "钱家", "members": "0"}).status_code == 400
    assert admin.post(f"{base}/households/{new.pk}/remove/").status_code == 302
    assert not Household.objects.filter(pk=new.pk).exists()

    reading = admin.post(f"{base}/readings/", {"kind": "rain", "value": "23", "measured_at": "2026-07-10T07:30"})
    assert reading.status_code == 302
    assert Reading.objects.get().measured_at == at(2026, 7, 10, 7, 30)
    points.slope.refresh_from_db()
    assert points.slope.level == "blue"
    future = admin.post(f"{base}/readings/", {"kind": "rain", "value": "1", "measured_at": "2026-07-10T09:30"})
    assert future.status_code == 400 and "future" in text(future)

    check = admin.post(f"{base}/checks/", {"round": "during", "checked_on": "2026-07-09", "stable": "on"})
    assert check.status_code == 302 and SeasonCheck.objects.count() == 1
    again = admin.post(f"{base}/checks/", {"round": "during", "checked_on": "2026-07-09", "stable": "on"})
    assert again.status_code == 400 and "already recorded" in text(again)

    device = admin.post(f"{base}/devices/", {"name": "裂缝计", "kinds": ["crack"], "interval_minutes": "30"})
    assert device.status_code == 200
    key = device.context["new_key"]
    assert key in text(device) and Device.objects.filter(name="裂缝计").exists()
    assert key not in text(admin.get(f"{base}/"))
    made = Device.objects.get(name="裂缝计")
    assert admin.post(f"{base}/devices/{made.pk}/active/", {"active": "0"}).status_code == 302
    made.refresh_from_db()
    assert not made.is_active
    worker = page_client(points.grid1_worker)
    assert worker.post(f"{base}/devices/", {"name": "x", "kinds": ["rain"],
                                            "interval_minutes": "5"}).status_code == 403
    assert worker.post(f"{base}/households/new/", {"head_name": "x", "members": "1"}).status_code == 403


def test_the_points_page_shows_the_chart_data_and_gaps(points, people, warnings_clock):
    for hour in (2, 3, 6, 7, 8):
        readings.record_readings(points.slope, [readings.NewReading("rain", 4, at(2026, 7, 10, hour))],
                                 device=points.gauge)
    response = page_client(people.admin).get(f"/work/warnings/points/{points.slope.pk}/")
    body = text(response)
    assert "Gap: no reading from 土城1号雨量计 between 07-10 03:00 and 07-10 06:00 (180 min)." in body
    chart = response.context["chart"]
    assert chart["rain"][-1] == 4 and chart["rain24"][-1] == 20 and chart["has_rain"]
    assert [t["value"] for t in chart["thresholds"]] == [50, 80, 100, 150]


def test_the_three_checks_list_shows_what_is_missing(points, people, warnings_clock):
    from anju.warnings import points as services

    services.record_check(people.admin, points.slope, round="before", checked_on=at(2026, 4, 20).date())
    admin = page_client(people.admin)
    response = admin.get("/work/warnings/points/checks/")
    assert response.status_code == 200
    rows = {row.point.code: row for row in response.context["table"]}
    assert rows["CK-GC-001"].missing == ["during", "after"] and rows["CK-GC-002"].overdue == ["before"]
    assert "✗" in text(response)
    assert admin.get("/work/warnings/points/checks/?missing=1&year=abc").status_code == 200


def test_the_rules_page_keeps_rules_for_their_keepers(points, people):
    admin = page_client(people.admin)
    response = admin.get("/work/warnings/rules/")
    assert response.status_code == 200 and "城口县" in text(response)
    made = admin.post("/work/warnings/rules/", {"area": "500229001", "point_code": "", "kind": "rain",
                                                "window_hours": "6", "level": "blue", "threshold": "40"})
    assert made.status_code == 302
    rule = ThresholdRule.objects.get(window_hours=6)
    both = admin.post("/work/warnings/rules/", {"area": "500229001", "point_code": "CK-GC-001", "kind": "rain",
                                                "window_hours": "6", "level": "red", "threshold": "90"})
    assert both.status_code == 400
    own = admin.post("/work/warnings/rules/", {"area": "", "point_code": "CK-GC-001", "kind": "crack",
                                               "window_hours": "0", "level": "red", "threshold": "30"})
    assert own.status_code == 302 and ThresholdRule.objects.filter(point=points.slope).count() == 1
    unknown = admin.post("/work/warnings/rules/", {"area": "", "point_code": "CK-NONE", "kind": "crack",
                                                   "window_hours": "0", "level": "red", "threshold": "30"})
    assert unknown.status_code == 400 and "Unknown monitoring point" in text(unknown)
    assert admin.get(f"/work/warnings/rules/{rule.pk}/edit/").status_code == 200
    edited = admin.post(f"/work/warnings/rules/{rule.pk}/edit/", {
        "area": "500229001", "kind": "rain", "window_hours": "6", "level": "blue", "threshold": "45"})
    assert edited.status_code == 302
    rule.refresh_from_db()
    assert rule.threshold == 45
    leader = page_client(people.leader)
    assert leader.get("/work/warnings/rules/").status_code == 200
    assert "Set a rule" not in text(leader.get("/work/warnings/rules/"))
    assert leader.post(f"/work/warnings/rules/{rule.pk}/delete/").status_code == 403
    assert admin.post(f"/work/warnings/rules/{rule.pk}/delete/").status_code == 302
    assert not ThresholdRule.objects.filter(pk=rule.pk).exists()


def test_the_monitors_phones_are_shown_to_call_and_logged(points, people):
    handler = page_client(people.handler)  # the township office's duty officer
    page = handler.get(f"/work/warnings/points/{points.slope.pk}/")
    assert "13800005555" not in text(page) and "/monitors/" in text(page)
    shown = handler.post(f"/work/warnings/points/{points.slope.pk}/monitors/")
    assert shown.status_code == 200 and "张守山 · 13800005555" in text(shown)
    assert ContactReveal.objects.filter(user=people.handler, subject="monitors", granted=True).exists()
    leader = page_client(people.leader)
    assert "/monitors/" not in text(leader.get(f"/work/warnings/points/{points.slope.pk}/"))
    assert leader.post(f"/work/warnings/points/{points.slope.pk}/monitors/").status_code == 403


def test_ids_beyond_the_range_are_not_found(points, people):
    admin = page_client(people.admin)
    huge = 2**64
    for url in (f"/work/warnings/points/{huge}/", f"/work/warnings/points/{points.slope.pk}/households/{huge}/card/",
                f"/work/warnings/rules/{huge}/edit/"):
        assert admin.get(url).status_code == 404, url
    assert admin.get(f"/work/warnings/points/map.json?point={huge}").json()["features"] == []
    assert admin.get("/work/warnings/points/map.json?point=x").json()["features"] == []
