"""The sites API (/api/v1/sites): the register listed with its filters and cursor and the
responsible person masked, a site registered once per Idempotency-Key, its detail, correction,
retirement and checklist; every endpoint's permission (401/403/404) and bad input (a 4xx naming
the field, nothing written)."""

import json
import re

import pytest
from django.test import Client

from anju.conftest import openapi_schema
from anju.hazards import services
from anju.hazards.models import Site, SiteKind
from anju.people.services import issue_token

NEW = {"kind": "building.highrise", "name": "滨河花园7号楼", "address": "葛城街道滨河路22号", "lat": 31.905,
       "lng": 108.606, "unit": "城口县滨河物业管理有限公司", "contact_name": "王建国", "contact_phone": "13900003333",
       "department": "zjj", "risk_notes": "地下车库堆放易燃物"}


def client(user, **headers):
    _record, raw = issue_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", **headers)


def send(client, method, url, body=None, **headers):
    data = body if isinstance(body, str) else json.dumps(body if body is not None else {})
    return client.generic(method, url, data, content_type="application/json", **headers)


def errors(response):
    return [e["field"] for e in response.json()["errors"]]


def operations(prefix):
    for path, methods in openapi_schema()["paths"].items():
        if path.startswith(prefix):
            for method in methods:
                yield method.upper(), path


def register():
    """Everything a refused request must leave as it was."""
    return list(Site.objects.order_by("id").values_list("kind_id", "name", "address", "lat", "lng", "region_id",
                                                        "unit", "contact_name", "contact_phone", "department_id",
                                                        "risk_notes", "is_active"))


def ids(response):
    assert response.status_code == 200, response.content
    return [s["id"] for s in response.json()["items"]]


# ---------------------------------------------------------------------------- authentication


@pytest.mark.parametrize("method,path", list(operations("/api/v1/sites")))
def test_it_requires_a_token_on_every_site_endpoint(method, path, hazards):
    url = re.sub(r"\{[^}]+\}", str(hazards.tower.pk), path)
    response = send(Client(), method, url, NEW)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"]
    assert Site.objects.count() == 4 and Site.objects.filter(is_active=True).count() == 4


# ---------------------------------------------------------------------------- the list


def test_the_list_masks_the_responsible_person_and_pages_with_a_cursor(people, hazards):
    dispatcher = client(people.dispatcher)
    response = dispatcher.get("/api/v1/sites")
    body = response.json()
    tower = next(s for s in body["items"] if s["id"] == hazards.tower.pk)
    assert (tower["contact_name"], tower["contact_phone"]) == ("刘**", "137****1111")
    assert (tower["kind"], tower["region_code"], tower["department"]) == ("building.highrise", "500229001001001", "zjj")
    assert "刘德胜" not in response.content.decode() and "13700001111" not in response.content.decode()
    far = next(s for s in body["items"] if s["id"] == hazards.far_tower.pk)
    assert (far["contact_name"], far["contact_phone"]) == ("", "")
    seen, page = [], dispatcher.get("/api/v1/sites?limit=3").json()
    seen += [s["id"] for s in page["items"]]
    while page["next_cursor"]:
        page = dispatcher.get(f"/api/v1/sites?limit=3&cursor={page['next_cursor']}").json()
        seen += [s["id"] for s in page["items"]]
    assert seen == sorted(Site.objects.values_list("id", flat=True), reverse=True)


def test_the_list_filters_by_kind_township_department_text_and_use(people, hazards):
    h = hazards
    services.retire_site(people.dispatcher, h.tower2)
    dispatcher = client(people.dispatcher)

    def listed(query):
        return set(ids(dispatcher.get(f"/api/v1/sites?{query}")))

    assert listed("kind=building") == {h.tower.pk, h.tower2.pk, h.far_tower.pk}
    assert listed("kind=mine") == {h.quarry.pk}
    assert listed("township=500229002") == {h.far_tower.pk}
    assert listed("township=500229001001002") == {h.tower2.pk}
    assert listed("department=yjj") == {h.quarry.pk}
    assert listed("q=滨河") == {h.tower.pk, h.tower2.pk}
    assert listed("q=土城建材") == {h.quarry.pk}
    assert listed("active=false") == {h.tower2.pk}
    assert listed("active=true&kind=building&township=500229001") == {h.tower.pk}
    assert listed("department=jtj") == set()


def test_the_list_shows_each_user_only_the_sites_they_may_see(people, hazards):
    h = hazards
    seen = {who: set(ids(client(getattr(people, who, None) or getattr(h, who)).get("/api/v1/sites")))
            for who in ("gridworker", "leader", "housing_handler", "emergency_handler", "township_dispatcher",
                        "handler", "nobody")}
    assert seen == {
        "gridworker": {h.tower.pk, h.tower2.pk, h.quarry.pk},
        "leader": {h.tower.pk, h.tower2.pk, h.quarry.pk, h.far_tower.pk},
        "housing_handler": {h.tower.pk, h.tower2.pk, h.far_tower.pk},
        "emergency_handler": {h.quarry.pk},
        "township_dispatcher": {h.far_tower.pk},
        "handler": set(),
        "nobody": set(),
    }


@pytest.mark.parametrize("query,field", [
    ("limit=0", "limit"), ("limit=201", "limit"), ("cursor=0", "cursor"), ("cursor=x", "cursor"),
    ("active=maybe", "active"), ("kind=nope", "kind"), ("township=999999", "township"),
    ("department=nope", "department"), ("q=" + "x" * 101, "q"), ("township=" + "1" * 21, "township"),
])
def test_bad_list_parameters_name_the_field(people, hazards, query, field):
    response = client(people.dispatcher).get(f"/api/v1/sites?{query}")
    assert response.status_code == 422, response.content
    assert errors(response)[0] == field


# ---------------------------------------------------------------------------- registering


def test_it_registers_a_site_in_the_grid_of_its_point_and_answers_it_masked(people, hazards, county):
    response = send(client(people.dispatcher), "POST", "/api/v1/sites", NEW)
    assert response.status_code == 201, response.content
    body = response.json()
    site = Site.objects.get(pk=body["id"])
    assert (site.region, site.department, site.contact_name, site.created_by) == (
        county.grid1, hazards.housing, "王建国", people.dispatcher)
    assert body["region_code"] == "500229001001001" and body["kind"] == "building.highrise"
    assert (body["contact_name"], body["contact_phone"]) == ("王**", "139****3333")
    assert "13900003333" not in response.content.decode()
    assert body["actions"] == ["update", "retire", "inspect"]
    assert (body["hazards"], body["hazards_open"], body["last_inspection"]) == (0, 0, None)


def test_a_department_registers_the_sites_it_supervises_anywhere(people, hazards):
    response = send(client(hazards.housing_handler), "POST", "/api/v1/sites", NEW)
    assert response.status_code == 201, response.content
    refused = send(client(hazards.housing_handler), "POST", "/api/v1/sites", {**NEW, "department": "yjj"})
    assert refused.status_code == 403
    assert Site.objects.count() == 5


def test_an_idempotency_key_makes_a_retry_return_the_same_site(people, hazards):
    dispatcher = client(people.dispatcher)
    first = send(dispatcher, "POST", "/api/v1/sites", NEW, HTTP_IDEMPOTENCY_KEY="site-1")
    again = send(dispatcher, "POST", "/api/v1/sites", NEW, HTTP_IDEMPOTENCY_KEY="site-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Site.objects.count() == 5
    other = send(dispatcher, "POST", "/api/v1/sites", {**NEW, "name": "滨河花园8号楼"}, HTTP_IDEMPOTENCY_KEY="site-1")
    assert other.status_code == 422 and errors(other) == ["Idempotency-Key"]
    # Another user's key is another request; a failed request leaves its key free.
    assert send(client(people.supervisor), "POST", "/api/v1/sites", NEW, HTTP_IDEMPOTENCY_KEY="site-1"
                ).status_code == 201
    bad = send(dispatcher, "POST", "/api/v1/sites", {**NEW, "kind": "nope"}, HTTP_IDEMPOTENCY_KEY="site-2")
    assert bad.status_code == 422
    assert send(dispatcher, "POST", "/api/v1/sites", NEW, HTTP_IDEMPOTENCY_KEY="site-2").status_code == 201
    assert send(dispatcher, "POST", "/api/v1/sites", NEW, HTTP_IDEMPOTENCY_KEY="x" * 101).status_code == 422
    assert send(dispatcher, "POST", "/api/v1/sites", NEW, HTTP_IDEMPOTENCY_KEY="a\x00b").status_code == 422
    assert Site.objects.count() == 7


@pytest.mark.parametrize("who", ["gridworker", "leader", "township_dispatcher", "handler", "nobody"])
def test_only_those_who_keep_the_register_there_register_sites(people, hazards, who):
    # The grid worker and the leader reach 土城 but do not keep the register; the others do not
    # reach it at all.
    response = send(client(getattr(people, who)), "POST", "/api/v1/sites", NEW)
    assert response.status_code == 403 and response.json()["detail"]
    assert Site.objects.count() == 4


BAD_SITES = [
    ({"kind": "nope"}, "kind"), ({"kind": 5}, "kind"), ({"kind": ""}, "kind"), ({"lat": 91}, "lat"),
    ({"lat": "north"}, "lat"), ({"lat": 30.0}, "lat"), ({"lng": 181}, "lng"), ({"contact_phone": "call me"},
                                                                             "contact_phone"),
    ({"department": "nope"}, "department"), ({"name": "  "}, "name"), ({"name": "x" * 201}, "name"),
    ({"unit": ""}, "unit"), ({"address": "bad\x00byte"}, "address"), ({"risk_notes": "x" * 2001}, "risk_notes"),
]
MISSING = ["kind", "name", "address", "lat", "lng", "unit"]


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_bad_input_names_the_field_and_writes_nothing(people, hazards, method):
    dispatcher = client(people.dispatcher, HTTP_ACCEPT_LANGUAGE="en")
    url = "/api/v1/sites" if method == "POST" else f"/api/v1/sites/{hazards.tower.pk}"
    before = register()
    for change, field in BAD_SITES:
        response = send(dispatcher, method, url, {**NEW, **change})
        assert response.status_code == 422, (change, response.content)
        assert errors(response)[0] == field, change
        assert response.json()["errors"][0]["message"]
    for field in MISSING:
        response = send(dispatcher, method, url, {k: v for k, v in NEW.items() if k != field})
        assert response.status_code == 422 and errors(response) == [field]
        assert response.json()["errors"][0]["message"] == "this field is required"
    malformed = send(dispatcher, method, url, '{"kind": "building",')
    assert malformed.status_code == 400 and errors(malformed) == ["body"]
    assert send(dispatcher, method, url, [NEW]).status_code == 422
    assert register() == before


def test_errors_are_in_chinese_by_default(people, hazards):
    response = send(client(people.dispatcher), "POST", "/api/v1/sites", {k: v for k, v in NEW.items() if k != "name"})
    assert response.json()["errors"] == [{"field": "name", "message": "此项为必填项"}]
    response = send(client(people.dispatcher), "POST", "/api/v1/sites", {**NEW, "department": "nope"})
    assert response.json()["errors"][0]["field"] == "department"


# ---------------------------------------------------------------------------- one site


def test_the_detail_counts_the_hazards_you_may_see_and_gives_the_last_inspection(people, hazards):
    answers = [services.Answer(1, "hazard", "楼梯间堆放杂物堵塞通道"), services.Answer(2, "pass"),
               services.Answer(3, "na")]
    inspection, _created = services.submit_inspection(people.gridworker, services.NewInspection(
        site=hazards.tower.pk, signed_as="网格员 张三", answers=answers), idempotency_key="i-1")
    body = client(people.gridworker).get(f"/api/v1/sites/{hazards.tower.pk}").json()
    assert (body["hazards"], body["hazards_open"]) == (1, 1)
    assert body["last_inspection"] == {"id": inspection.pk, "inspected_at": body["last_inspection"]["inspected_at"],
                                       "inspector": "gridworker", "signed_as": "网格员 张三",
                                       "checklist_version": 1, "hazards_found": 1}
    assert body["actions"] == ["inspect"] and body["contact_name"] == "刘**"
    # The hazard is the housing bureau's: the emergency bureau's handler would not see it, and
    # the housing bureau keeps the site.
    assert client(hazards.housing_handler).get(f"/api/v1/sites/{hazards.tower.pk}").json()["actions"] == [
        "update", "retire", "inspect"]
    assert client(people.leader).get(f"/api/v1/sites/{hazards.tower.pk}").json()["actions"] == []


@pytest.mark.parametrize("method,path,body", [
    ("GET", "", None), ("PUT", "", NEW), ("POST", "/retire", None), ("GET", "/checklist", None),
])
def test_a_site_out_of_sight_is_404_and_so_is_a_missing_one(people, hazards, method, path, body):
    before = register()
    for who in (people.township_dispatcher, people.handler, people.nobody, hazards.emergency_handler):
        response = send(client(who), method, f"/api/v1/sites/{hazards.tower.pk}{path}", body)
        assert response.status_code == 404 and response.json()["detail"] == "未找到。"
    for missing in ("999999", "99999999999999999999"):
        assert send(client(people.dispatcher), method, f"/api/v1/sites/{missing}{path}", body).status_code == 404
    assert register() == before


def test_a_correction_is_written(people, hazards):
    response = send(client(hazards.housing_handler), "PUT", f"/api/v1/sites/{hazards.tower.pk}",
                    {**NEW, "name": "滨河花园3号楼（A座）", "lat": 31.905, "lng": 108.605})
    assert response.status_code == 200, response.content
    site = Site.objects.get(pk=hazards.tower.pk)
    assert (site.name, site.contact_phone, site.risk_notes) == (
        "滨河花园3号楼（A座）", "13900003333", "地下车库堆放易燃物")
    assert response.json()["name"] == "滨河花园3号楼（A座）" and response.json()["contact_phone"] == "139****3333"


@pytest.mark.parametrize("who,site,change", [
    ("gridworker", "tower", {}),
    ("leader", "tower", {}),
    # Not moved, nor handed to another department, out of the reach of who changes it.
    ("township_dispatcher", "far_tower", {"lat": 31.905, "lng": 108.605}),
    ("housing_handler", "tower", {"department": "yjj"}),
])
def test_a_correction_is_refused_to_those_who_do_not_keep_the_site(people, hazards, who, site, change):
    user = getattr(people, who, None) or getattr(hazards, who)
    before = register()
    site = getattr(hazards, site)
    body = {**NEW, "lat": site.lat, "lng": site.lng, **change}
    response = send(client(user), "PUT", f"/api/v1/sites/{site.pk}", body)
    assert response.status_code == 403 and response.json()["detail"]
    assert register() == before


def test_a_site_is_retired_once_and_keeps_its_history(people, hazards):
    dispatcher = client(people.dispatcher)
    response = send(dispatcher, "POST", f"/api/v1/sites/{hazards.tower2.pk}/retire")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert response.json()["actions"] == []
    assert Site.objects.get(pk=hazards.tower2.pk).is_active is False
    again = send(dispatcher, "POST", f"/api/v1/sites/{hazards.tower2.pk}/retire")
    assert again.status_code == 409 and again.json()["detail"]
    assert dispatcher.get(f"/api/v1/sites/{hazards.tower2.pk}").status_code == 200


@pytest.mark.parametrize("who", ["gridworker", "leader"])
def test_retiring_is_refused_to_those_who_do_not_keep_the_site(people, hazards, who):
    response = send(client(getattr(people, who)), "POST", f"/api/v1/sites/{hazards.tower.pk}/retire")
    assert response.status_code == 403
    assert Site.objects.get(pk=hazards.tower.pk).is_active is True


def test_the_checklist_is_the_kinds_own_or_its_parents_with_basis_and_evidence(people, hazards):
    gridworker = client(people.gridworker)
    body = gridworker.get(f"/api/v1/sites/{hazards.tower.pk}/checklist").json()
    assert (body["id"], body["kind"], body["version"]) == (hazards.building_checklist.pk, "building", 1)
    assert body["items"][0] == {"number": 1, "text": "消防通道畅通，无占用堵塞", "basis": "《消防法》第二十八条",
                                "evidence": "现场查看通道"}
    assert [i["number"] for i in body["items"]] == [1, 2, 3]
    newer = services.publish_checklist(people.admin, kind="building.highrise", title="高层建筑消防检查表",
                                       items=[services.NewItem("消防设施完好有效", "《消防法》第十六条", "维保记录")])
    body = gridworker.get(f"/api/v1/sites/{hazards.tower.pk}/checklist").json()
    assert (body["id"], body["kind"], len(body["items"])) == (newer.pk, "building.highrise", 1)
    assert gridworker.get(f"/api/v1/sites/{hazards.quarry.pk}/checklist").json()["title"] == "非煤矿山安全检查表"


def test_a_kind_without_a_checklist_answers_404(people, hazards):
    school = SiteKind.objects.create(code="school", name="学校", category=hazards.building_category)
    site = Site.objects.create(kind=school, name="土城小学", address="土城社区1组", lat=31.905, lng=108.605,
                               region=hazards.tower.region, unit="土城小学")
    response = client(people.dispatcher, HTTP_ACCEPT_LANGUAGE="en").get(f"/api/v1/sites/{site.pk}/checklist")
    assert response.status_code == 404 and response.json()["detail"] == "No checklist of this site's kind."
