"""The sites register: the list with its filters and pages (the responsible person masked), the
map's GeoJSON (names as text), a site's page with its hazards and inspections, and the forms
that register and correct a site."""

import json

import pytest
from django.urls import reverse

from anju.hazards import services
from anju.hazards.models import Site
from anju.hazards.tests.test_pages_hazard import client_for, found
from anju.hazards.views import pages
from anju.lib.tracking import display
from anju.web.tests.conftest import english_client

LIST = reverse("hazards:sites")
NEW = reverse("hazards:site_new")
MAP = reverse("hazards:sites_geojson")


@pytest.fixture
def as_persona(people, hazards):
    return lambda who: client_for(people, hazards, who)


def site_url(site, name="site_detail") -> str:
    return reverse(f"hazards:{name}", args=[site.pk])


def names_in(html: str) -> set[str]:
    return {name for name in ("滨河花园3号楼", "滨河花园5号楼", "土城石场", "太和大厦") if name in html}


def form_data(**changes) -> dict:
    data = {"kind": "building.highrise", "name": "滨河花园7号楼", "address": "葛城街道滨河路22号", "lat": "31.907",
            "lng": "108.608", "unit": "城口县滨河物业管理有限公司", "contact_name": "王建国",
            "contact_phone": "13511112222", "department": "zjj", "risk_notes": "地下车库电动车集中充电"}
    data.update(changes)
    return data


# ---------------------------------------------------------------------------- the list


def test_it_sends_anonymous_visitors_to_sign_in_and_refuses_users_without_a_role(people, hazards):
    for url in (LIST, MAP, NEW, site_url(hazards.tower), site_url(hazards.tower, "site_edit")):
        response = english_client().get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url
        assert client_for(people, hazards, "nobody").get(url).status_code == 404, url


@pytest.mark.parametrize("who,expected", [
    ("supervisor", {"滨河花园3号楼", "滨河花园5号楼", "土城石场", "太和大厦"}),
    ("gridworker", {"滨河花园3号楼", "滨河花园5号楼", "土城石场"}),
    ("housing_handler", {"滨河花园3号楼", "滨河花园5号楼", "太和大厦"}),
    ("emergency_handler", {"土城石场"}),
    ("township_dispatcher", {"太和大厦"}),
    ("other_handler", set()),
])
def test_it_lists_the_sites_in_the_users_scope_with_the_contact_masked(as_persona, who, expected):
    response = as_persona(who).get(LIST)
    html = response.content.decode()
    assert response.status_code == 200 and names_in(html) == expected
    assert "刘德胜" not in html and "13700001111" not in html
    if "滨河花园3号楼" in expected:
        assert "刘**" in html and "137****1111" in html


def test_it_filters_the_list_and_the_map_alike(people, hazards, county, as_persona):
    services.retire_site(people.admin, hazards.tower2)
    client = as_persona("supervisor")

    def listed(**query):
        return names_in(client.get(LIST, query).content.decode().split('id="site-list"', 1)[1])

    def mapped(**query):
        return {f["properties"]["name"] for f in json.loads(client.get(MAP, query).content)["features"]}

    assert listed() == mapped() == {"滨河花园3号楼", "土城石场", "太和大厦"}
    assert listed(status="retired") == mapped(status="retired") == {"滨河花园5号楼"}
    assert listed(kind="building") == mapped(kind="building") == {"滨河花园3号楼", "太和大厦"}
    assert listed(kind="mine") == {"土城石场"}
    assert listed(township=county.fuxing.pk) == mapped(township=county.fuxing.pk) == {"太和大厦"}
    assert listed(department="yjj") == {"土城石场"}
    assert listed(q="石场") == mapped(q="石场") == {"土城石场"}
    assert listed(q="太和置业") == {"太和大厦"}
    html = client.get(LIST, {"q": "没有这个场所"}).content.decode()
    assert "No sites match these filters." in html


def test_a_bad_filter_is_named(as_persona):
    response = as_persona("supervisor").get(LIST, {"kind": "spaceport"})
    assert response.status_code == 400 and 'id="id_kind_error"' in response.content.decode()
    response = as_persona("supervisor").get(MAP, {"kind": "spaceport"})
    assert response.status_code == 400 and "kind" in response.json()["errors"]


def test_it_pages_the_list(as_persona, monkeypatch):
    monkeypatch.setattr(pages, "PAGE_SIZE", 3)
    client = as_persona("supervisor")
    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()
    assert len(names_in(first)) == 3 and len(names_in(second)) == 1 and 'rel="next"' in first


def test_the_map_gives_names_as_text_with_a_link_to_each_site(people, hazards, as_persona):
    Site.objects.filter(pk=hazards.tower.pk).update(name='<b onmouseover="x()">滨河花园3号楼</b>')
    response = as_persona("gridworker").get(MAP)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/geo+json")
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    by_id = {f["properties"]["id"]: f for f in collection["features"]}
    assert set(by_id) == {hazards.tower.pk, hazards.tower2.pk, hazards.quarry.pk}
    tower = by_id[hazards.tower.pk]
    assert tower["properties"]["name"] == '<b onmouseover="x()">滨河花园3号楼</b>'
    assert tower["geometry"] == {"type": "Point", "coordinates": [108.605, 31.905]}
    assert tower["properties"]["url"] == site_url(hazards.tower)
    assert "contact" not in response.content.decode() and "刘德胜" not in response.content.decode()
    # The list escapes it.
    html = as_persona("gridworker").get(LIST).content.decode()
    assert "&lt;b onmouseover=" in html and '<b onmouseover="x()">' not in html


# ---------------------------------------------------------------------------- a site's page


def test_the_site_page_shows_its_hazards_inspections_and_the_inspect_link(people, hazards, as_persona):
    case = found(people, hazards)
    response = as_persona("gridworker").get(site_url(hazards.tower))
    html = response.content.decode()
    assert response.status_code == 200
    assert display(case.tracking_code) in html and "楼梯间堆放杂物堵塞通道" in html
    inspection = case.hazard.inspection
    assert reverse("hazards:inspection_detail", args=[inspection.pk]) in html
    assert f'href="{reverse("hazards:inspect", args=[hazards.tower.pk])}"' in html and "Inspect now" in html
    assert "刘**" in html and "137****1111" in html and "刘德胜" not in html
    # Grid workers inspect but do not keep the register.
    assert site_url(hazards.tower, "site_edit") not in html
    html = as_persona("supervisor").get(site_url(hazards.tower)).content.decode()
    assert site_url(hazards.tower, "site_edit") in html


def test_a_retired_site_has_no_inspect_link(people, hazards, as_persona):
    services.retire_site(people.admin, hazards.tower)
    html = as_persona("supervisor").get(site_url(hazards.tower)).content.decode()
    assert "Inspect now" not in html and "retired" in html


@pytest.mark.parametrize("who", ["township_dispatcher", "other_handler", "emergency_handler"])
def test_the_site_page_answers_404_outside_the_users_scope(as_persona, hazards, who):
    assert as_persona(who).get(site_url(hazards.tower)).status_code == 404
    assert as_persona(who).get(site_url(hazards.tower, "site_edit")).status_code == 404


# ---------------------------------------------------------------------------- registering and correcting


@pytest.mark.parametrize("who,allowed", [("supervisor", True), ("dispatcher", True), ("housing_handler", True),
                                         ("admin", True), ("gridworker", False), ("leader", False)])
def test_the_new_site_form_is_for_those_who_keep_the_register(as_persona, who, allowed):
    response = as_persona(who).get(NEW)
    assert response.status_code == (200 if allowed else 404)
    if allowed:
        html = response.content.decode()
        assert "data-pickmap" in html and 'name="lat"' in html and 'name="lng"' in html
    link = f'href="{NEW}"' in as_persona(who).get(LIST).content.decode()
    assert link == allowed


def test_it_registers_a_site_at_the_point_picked_and_finds_its_grid(people, county, as_persona):
    response = as_persona("supervisor").post(NEW, form_data())
    site = Site.objects.get(name="滨河花园7号楼")
    assert response.status_code == 302 and response.url == site_url(site)
    assert site.region == county.grid1 and site.department.code == "zjj" and site.created_by == people.supervisor
    assert site.contact_phone == "13511112222"


@pytest.mark.parametrize("changes,field,words", [
    ({"lat": ""}, "lat", "Pick the point on the map, or type it."),
    ({"lat": "91"}, "lat", "Ensure this value is less than or equal to 90"),
    ({"lat": "30.0", "lng": "100.0"}, "lat", "This point lies outside every grid of the county."),
    ({"name": ""}, "name", "This field is required."),
    ({"kind": "spaceport"}, "kind", "Select a valid choice."),
    ({"contact_phone": "call me"}, "contact_phone", "A phone number has digits only."),
    ({"department": "nowhere"}, "department", "Select a valid choice."),
])
def test_a_bad_site_is_named_next_to_its_field_and_nothing_is_stored(as_persona, changes, field, words):
    count = Site.objects.count()
    response = as_persona("supervisor").post(NEW, form_data(**changes))
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in html and words in html
    assert Site.objects.count() == count


def test_a_department_handler_registers_only_the_sites_his_department_supervises(as_persona, hazards):
    client = as_persona("housing_handler")
    response = client.post(NEW, form_data(department="yjj"))
    assert response.status_code == 400 and 'id="id_department_error"' in response.content.decode()
    assert client.post(NEW, form_data(department="zjj")).status_code == 302


def test_a_township_keeper_registers_sites_in_his_township_only(as_persona):
    response = as_persona("township_dispatcher").post(NEW, form_data())
    html = response.content.decode()
    assert response.status_code == 400 and 'id="id_lat_error"' in html
    assert "This place lies outside the area where you may keep sites." in html
    assert as_persona("township_dispatcher").post(NEW, form_data(lat="31.955", lng="108.705")).status_code == 302


def test_the_edit_form_shows_the_site_and_saves_the_change(hazards, as_persona):
    client = as_persona("supervisor")
    html = client.get(site_url(hazards.tower, "site_edit")).content.decode()
    assert 'value="滨河花园3号楼"' in html and 'value="13700001111"' in html
    response = client.post(site_url(hazards.tower, "site_edit"), form_data(name="滨河花园3号楼（A座）",
                                                                           lat="31.905", lng="108.605"))
    assert response.status_code == 302
    hazards.tower.refresh_from_db()
    assert hazards.tower.name == "滨河花园3号楼（A座）" and hazards.tower.contact_name == "王建国"


def test_those_who_see_but_do_not_keep_a_site_may_not_edit_it(hazards, as_persona):
    for who in ("gridworker", "leader"):
        assert as_persona(who).get(site_url(hazards.tower, "site_edit")).status_code == 403, who
        assert as_persona(who).post(site_url(hazards.tower, "site_edit"), form_data()).status_code == 403, who
    # A department's handler does not hand its site to another department.
    response = as_persona("housing_handler").post(site_url(hazards.tower, "site_edit"), form_data(department="yjj"))
    assert response.status_code == 400
    hazards.tower.refresh_from_db()
    assert hazards.tower.department == hazards.housing and hazards.tower.name == "滨河花园3号楼"
