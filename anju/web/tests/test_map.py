"""The map of open cases (page and points) and the public grid and township outlines."""

import gzip
import json

import pytest
from django.urls import reverse

from anju.cases import services as s
from anju.conftest import at, square
from anju.web import outlines
from anju.web.views import maps

GRIDS = reverse("web:map_grids")
PAGE = reverse("web:map")
POINTS = reverse("web:map_cases")
FUXING_POINT = {"lat": 31.955, "lng": 108.705}


@pytest.fixture(autouse=True)
def fresh_outlines():
    # The outline cache lives in the process; each test's county is new.
    outlines.forget()
    yield
    outlines.forget()


def features(response, kind=None):
    found = json.loads(response.content)["features"]
    return [f for f in found if kind is None or f["properties"]["kind"] == kind]


def points(client, user, **params):
    client.force_login(user)
    response = client.get(POINTS, params)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def ids(data):
    return {p["id"] for p in data["points"]}


def in_progress(case, people, handler=None, now=None):
    case = s.accept_case(people.dispatcher, case, now=now)
    case = s.dispatch_case(people.dispatcher, case, now=now)
    return s.start_case(handler or people.handler, case, now=now)


# ---------------------------------------------------------------------------- grids.json


def test_it_serves_grids_and_township_outlines_to_anyone(client, county):
    response = client.get(GRIDS)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    grids = features(response, "grid")
    assert sorted(f["properties"]["code"] for f in grids) == [county.grid1.code, county.grid2.code, county.grid3.code]
    grid1 = next(f for f in grids if f["properties"]["code"] == county.grid1.code)
    assert grid1["properties"] == {"kind": "grid", "code": county.grid1.code, "name": "土城第1网格",
                                   "township": county.gecheng.code, "township_name": "葛城街道"}
    townships = {f["properties"]["code"]: f for f in features(response, "township")}
    assert set(townships) == {county.gecheng.code, county.fuxing.code}
    assert townships[county.gecheng.code]["properties"]["name"] == "葛城街道"


def test_it_outlines_a_township_as_the_union_of_its_grids(client, county):
    gecheng = next(f for f in features(client.get(GRIDS), "township")
                   if f["properties"]["code"] == county.gecheng.code)
    # Grids 1 and 2 are side by side: one rectangle from 108.60 to 108.62, without the shared edge.
    assert gecheng["geometry"]["type"] == "Polygon"
    ring = gecheng["geometry"]["coordinates"][0]
    assert {round(x, 5) for x, _y in ring} == {108.60, 108.62}
    assert {round(y, 5) for _x, y in ring} == {31.90, 31.91}
    props = gecheng["properties"]
    assert 108.60 < props["label_lng"] < 108.62 and 31.90 < props["label_lat"] < 31.91


def test_it_filters_grids_by_township(client, county):
    response = client.get(GRIDS, {"township": county.fuxing.code})
    assert response.status_code == 200
    assert [f["properties"]["code"] for f in features(response, "grid")] == [county.grid3.code]
    assert [f["properties"]["code"] for f in features(response, "township")] == [county.fuxing.code]


def test_it_serves_one_layer_when_asked(client, county):
    assert {f["properties"]["kind"] for f in features(client.get(GRIDS, {"layer": "townships"}))} == {"township"}
    assert {f["properties"]["kind"] for f in features(client.get(GRIDS, {"layer": "grids"}))} == {"grid"}


@pytest.mark.parametrize("params, field, label", [
    ({"township": "999999999"}, "township", "Township / street"),
    ({"township": "500229001001"}, "township", "Township / street"),  # a village, not a township
    ({"layer": "roads"}, "layer", "Layer"),
])
def test_it_refuses_an_unknown_filter_naming_the_field(client, county, params, field, label):
    response = client.get(GRIDS, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["field"] == field
    assert body["error"].startswith(label + ":")


def test_it_lets_browsers_cache_the_outlines_and_revalidate(client, county):
    first = client.get(GRIDS)
    assert "max-age=300" in first["Cache-Control"]
    assert first["ETag"]
    again = client.get(GRIDS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    other = client.get(GRIDS, {"township": county.gecheng.code})
    assert other["ETag"] != first["ETag"]


def test_it_compresses_the_outlines_and_answers_head_requests(client, county):
    plain = client.get(GRIDS)
    packed = client.get(GRIDS, HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    head = client.head(GRIDS)
    assert head.status_code == 200 and head["ETag"] == plain["ETag"]


def test_it_rebuilds_the_outlines_when_a_grid_changes(client, county):
    before = client.get(GRIDS, {"township": county.fuxing.code, "layer": "townships"})
    county.grid3.boundary = square(108.80, 31.95)
    county.grid3.save()
    after = client.get(GRIDS, {"township": county.fuxing.code, "layer": "townships"},
                       HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    ring = features(after)[0]["geometry"]["coordinates"][0]
    assert min(x for x, _y in ring) == pytest.approx(108.80)


def test_it_keeps_five_decimals(client, county):
    county.grid3.boundary = {"type": "Polygon", "coordinates": [[
        [108.7000001234, 31.9500004321], [108.7100069876, 31.95], [108.71, 31.9600006789],
        [108.7000001234, 31.9500004321],
    ]]}
    county.grid3.save()
    grid3 = next(f for f in features(client.get(GRIDS, {"layer": "grids"}))
                 if f["properties"]["code"] == county.grid3.code)
    assert grid3["geometry"]["coordinates"][0][0] == [108.7, 31.95]
    assert grid3["geometry"]["coordinates"][0][1] == [108.71001, 31.95]


# ---------------------------------------------------------------------------- the page


def test_it_sends_anonymous_visitors_to_sign_in(client, county):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_answers_anonymous_point_requests_with_401(client, county):
    response = client.get(POINTS)
    assert response.status_code == 401
    assert "error" in json.loads(response.content)


def test_it_keeps_points_out_of_shared_caches(client, people):
    client.force_login(people.handler)
    assert "private" in client.get(POINTS)["Cache-Control"]


@pytest.mark.parametrize("url", [PAGE, POINTS])
def test_it_hides_the_map_from_users_without_a_role(client, people, url):
    client.force_login(people.nobody)
    assert client.get(url).status_code == 404


def test_it_shows_the_map_with_filters_legend_and_no_tiles_by_default(client, people):
    client.force_login(people.handler)
    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("category", "township", "status", "overdue"):
        assert f'name="{name}"' in html
    assert 'id="case-map"' in html and 'data-tile-url=""' in html
    assert "vendor/leaflet/leaflet.js" in html and "leaflet.markercluster.js" in html
    # The legend says in words what each pin colour and character means.
    assert "Accepted (已受理)" in html and ">受<" in html and "Overdue" in html
    assert "<noscript>" in html
    config = response.context["map_config"]
    assert config["casesUrl"] == POINTS and config["gridsUrl"] == GRIDS


def test_it_adds_a_tile_layer_only_when_a_tile_server_is_set(client, people, settings):
    settings.ANJU_TILE_URL = "https://tiles.example.gov.cn/{z}/{x}/{y}.png"
    settings.ANJU_TILE_ATTRIBUTION = "© 县自然资源局"
    client.force_login(people.handler)
    html = client.get(PAGE).content.decode()
    assert 'data-tile-url="https://tiles.example.gov.cn/{z}/{x}/{y}.png"' in html
    assert "© 县自然资源局" in html


def test_it_passes_the_filters_to_the_points_and_the_case_list(client, people, county):
    client.force_login(people.dispatcher)
    response = client.get(PAGE, {"category": "urban", "township": county.gecheng.code, "status": "in_progress",
                                 "overdue": "on"})
    assert response.status_code == 200
    assert response.context["map_config"]["casesUrl"] == (
        POINTS + f"?category=urban&township={county.gecheng.code}&status=in_progress&overdue=on"
    )
    assert response.context["map_config"]["township"] == county.gecheng.code
    assert response.context["list_url"] == reverse("web:case_list") + (
        f"?status=in_progress&category={county.urban.pk}&township={county.gecheng.pk}&overdue=yes"
    )


def test_it_links_to_all_open_cases_in_the_case_list_when_no_status_is_chosen(client, people):
    client.force_login(people.dispatcher)
    assert client.get(PAGE).context["list_url"] == reverse("web:case_list") + "?status=open"


def test_it_links_to_a_case_list_that_holds_the_same_cases(client, people, new_case, county):
    wanted = new_case(now=at(2024, 3, 4, 9))  # overdue
    new_case()  # not overdue
    new_case(category_code="env.noise", now=at(2024, 3, 4, 9))  # another category
    s.reject_case(people.dispatcher, new_case(now=at(2024, 3, 4, 9)), reply="重复")  # closed
    client.force_login(people.dispatcher)
    page = client.get(PAGE, {"category": "urban", "township": county.gecheng.code, "overdue": "on"})
    listed = client.get(page.context["list_url"])
    assert listed.status_code == 200
    on_map = ids(points(client, people.dispatcher, category="urban", township=county.gecheng.code, overdue="on"))
    assert on_map == {wanted.pk}
    assert {c.pk for c in listed.context["page"].object_list} == on_map


def test_it_gives_the_filters_back_with_an_error_for_a_bad_value(client, people):
    client.force_login(people.dispatcher)
    response = client.get(PAGE, {"status": "closed"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert 'id="case-map"' not in response.content.decode()


# ---------------------------------------------------------------------------- cases.json


def test_it_gives_open_cases_only(client, people, new_case):
    open_case = new_case()
    rejected = s.reject_case(people.dispatcher, new_case(), reply="不属于受理范围")
    into = new_case()
    merged = s.merge_case(people.dispatcher, new_case(), into=into)
    found = ids(points(client, people.dispatcher))
    assert found == {open_case.pk, into.pk}
    assert rejected.pk not in found and merged.pk not in found


def test_it_keeps_to_the_users_scope(client, people, new_case):
    gecheng = in_progress(new_case(), people)
    road = in_progress(new_case(category_code="urban.road"), people, handler=people.transport_handler)
    fuxing = in_progress(new_case(**FUXING_POINT), people, handler=people.other_handler)
    assert ids(points(client, people.dispatcher)) == {gecheng.pk, road.pk, fuxing.pk}
    assert ids(points(client, people.handler)) == {gecheng.pk}
    assert ids(points(client, people.transport_handler)) == {road.pk}
    assert ids(points(client, people.township_dispatcher)) == {fuxing.pk}


def test_it_filters_by_category_with_its_subcategories(client, people, new_case):
    light = new_case(category_code="urban.light")
    road = new_case(category_code="urban.road")
    noise = new_case(category_code="env.noise")
    assert ids(points(client, people.dispatcher, category="urban")) == {light.pk, road.pk}
    assert ids(points(client, people.dispatcher, category="urban.road")) == {road.pk}
    assert ids(points(client, people.dispatcher, category="env.noise")) == {noise.pk}


def test_it_filters_by_township(client, people, new_case, county):
    gecheng = new_case()
    fuxing = new_case(**FUXING_POINT)
    assert ids(points(client, people.dispatcher, township=county.gecheng.code)) == {gecheng.pk}
    assert ids(points(client, people.dispatcher, township=county.fuxing.code)) == {fuxing.pk}


def test_it_filters_by_status(client, people, new_case):
    submitted = new_case()
    accepted = s.accept_case(people.dispatcher, new_case())
    assert ids(points(client, people.dispatcher, status="submitted")) == {submitted.pk}
    assert ids(points(client, people.dispatcher, status="accepted")) == {accepted.pk}


def test_it_marks_and_filters_overdue_cases(client, people, new_case):
    # Registered long ago and never accepted: the time to accept has passed.
    late = new_case(now=at(2024, 3, 4, 9))
    fresh = new_case()
    data = points(client, people.dispatcher)
    by_id = {p["id"]: p for p in data["points"]}
    assert by_id[late.pk]["overdue"] is True and by_id[fresh.pk]["overdue"] is False
    assert ids(points(client, people.dispatcher, overdue="1")) == {late.pk}
    # Overdue first, so a cut keeps the urgent ones.
    assert data["points"][0]["id"] == late.pk


@pytest.mark.parametrize("params, field", [
    ({"category": "no.such"}, "category"),
    ({"township": "999"}, "township"),
    ({"status": "closed"}, "status"),
])
def test_it_refuses_a_bad_point_filter_naming_the_field(client, people, params, field):
    client.force_login(people.dispatcher)
    response = client.get(POINTS, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["field"] == field
    assert body["error"].split(":")[0] == str(maps.MapFilterForm.base_fields[field].label)


def test_it_sends_what_the_pin_needs_and_no_personal_data(client, people, new_case):
    case = new_case(reporter_name="张三", reporter_phone="13800001234", address="滨河路12号")
    client.force_login(people.dispatcher)
    response = client.get(POINTS, HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert "张三" not in text and "13800001234" not in text and "滨河路" not in text
    (point,) = json.loads(text)["points"]
    assert point == {
        "id": case.pk, "code": f"{case.tracking_code[:4]}-{case.tracking_code[4:]}", "lat": 31.905, "lng": 108.605,
        "status": "submitted", "status_label": "Submitted (待受理)", "overdue": False, "category": "路灯故障",
        "url": reverse("web:case_detail", args=[case.pk]),
    }


def test_it_caps_the_points_and_says_how_many_matched(client, people, new_case, monkeypatch, county):
    monkeypatch.setattr(maps, "MAX_POINTS", 2)
    for _ in range(3):
        new_case()
    new_case(lat=None, lng=None, region_code=county.tucheng.code)
    client.force_login(people.dispatcher)
    data = json.loads(client.get(POINTS, HTTP_ACCEPT_LANGUAGE="en").content)
    assert (data["shown"], data["total"], data["unlocated"]) == (2, 3, 1)
    assert len(data["points"]) == 2
    assert data["note"] == "Showing 2 of 3 open cases. 1 case without a location is not on the map."
