"""The inspections API (/api/v1/inspections): an inspection submitted once per Idempotency-Key
(required) and the hazards it opens, the list with its filters and cursor, the detail; every
endpoint's permission (401/403/404) and bad input (a 4xx naming the field, nothing written)."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from anju.cases.models import Case
from anju.conftest import openapi_schema
from anju.hazards import services
from anju.hazards.models import Hazard, Inspection, InspectionAnswer, InspectionPhoto
from anju.lib.workdays import LOCAL
from anju.people.services import issue_token

ANSWERS = [{"item": 1, "result": "hazard", "note": "楼梯间堆放杂物堵塞通道"}, {"item": 2, "result": "pass"},
           {"item": 3, "result": "na"}]


def client(user, **headers):
    _record, raw = issue_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", **headers)


def send(client, method, url, body=None, **headers):
    data = body if isinstance(body, str) else json.dumps(body if body is not None else {})
    return client.generic(method, url, data, content_type="application/json", **headers)


def errors(response):
    return [e["field"] for e in response.json()["errors"]]


def submit(client, body, key="phone-1", **headers):
    return send(client, "POST", "/api/v1/inspections", body, HTTP_IDEMPOTENCY_KEY=key, **headers)


def new(hazards, at=None, **change):
    """A submission for the site ``at`` (the tower when none), with ``change``."""
    return {"site": (at or hazards.tower).pk, "answers": ANSWERS, "signed_as": "网格员 张三", **change}


def written():
    """Everything a refused submission must leave as it was."""
    return (Inspection.objects.count(), InspectionAnswer.objects.count(), Hazard.objects.count(),
            Case.objects.count())


def today():
    return timezone.now().astimezone(LOCAL).date()


# ---------------------------------------------------------------------------- authentication


@pytest.mark.parametrize("method,path", [(m.upper(), p) for p, ms in openapi_schema()["paths"].items()
                                         if p.startswith("/api/v1/inspections") for m in ms])
def test_it_requires_a_token_on_every_inspection_endpoint(method, path, people, hazards):
    inspection, _created = services.submit_inspection(people.gridworker, services.NewInspection(
        site=hazards.tower.pk, signed_as="张三", answers=[services.Answer(n, "pass") for n in (1, 2, 3)]),
        idempotency_key="k")
    before = written()
    url = re.sub(r"\{[^}]+\}", str(inspection.pk), path)
    response = send(Client(), method, url, new(hazards), HTTP_IDEMPOTENCY_KEY="k2")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert written() == before


# ---------------------------------------------------------------------------- submitting


def test_an_inspection_is_stored_once_and_opens_a_hazard_for_each_item_found_wanting(people, hazards):
    gridworker = client(people.gridworker)
    response = submit(gridworker, new(hazards))
    assert response.status_code == 201, response.content
    body = response.json()
    inspection = Inspection.objects.get()
    assert (inspection.site, inspection.inspector, inspection.idempotency_key, inspection.signed_as) == (
        hazards.tower, people.gridworker, "phone-1", "网格员 张三")
    hazard = Hazard.objects.get()
    assert (hazard.inspection, hazard.item_number, hazard.case.office) == (inspection, 1, hazards.housing)
    assert body["id"] == inspection.pk and body["checklist"] == hazards.building_checklist.pk
    assert [(a["item"], a["result"], a["hazard"]) for a in body["answers"]] == [
        (1, "hazard", hazard.case_id), (2, "pass", None), (3, "na", None)]
    assert body["hazards"] == [{"id": hazard.case_id, "tracking_code": hazard.case.tracking_code,
                                "status": "submitted", "level": "general", "stage": "found"}]
    assert (body["hazards_found"], body["photos"]) == (1, 0)
    # A double tap, or the phone's outbox sending again: the same inspection, nothing new.
    again = submit(gridworker, new(hazards))
    assert again.status_code == 200 and again.json()["id"] == inspection.pk
    assert written() == (1, 3, 1, 1)


def test_a_major_hazard_found_goes_to_the_mines_department(people, hazards):
    answers = [{"item": 1, "result": "hazard", "note": "边坡超高超陡", "level": "major"}, {"item": 2, "result": "pass"}]
    response = submit(client(hazards.emergency_handler), new(hazards, hazards.quarry, answers=answers))
    assert response.status_code == 201, response.content
    hazard = Hazard.objects.get()
    assert (hazard.level, hazard.case.office) == ("major", hazards.emergency)
    assert response.json()["hazards"][0]["level"] == "major"


def test_an_inspection_for_a_campaign_counts_for_it(people, hazards):
    campaign = services.open_campaign(people.dispatcher, title="汛前高层建筑排查", kind="building", region="500229",
                                      starts_on=today(), ends_on=today() + timedelta(days=30))
    response = submit(client(people.gridworker), new(hazards, campaign=campaign.pk))
    assert response.status_code == 201 and response.json()["campaign"] == campaign.pk
    mine = services.open_campaign(people.dispatcher, title="非煤矿山排查", kind="mine", region="500229",
                                  starts_on=today(), ends_on=today() + timedelta(days=30))
    refused = submit(client(people.gridworker), new(hazards, campaign=mine.pk), key="phone-2")
    assert refused.status_code == 422 and errors(refused) == ["campaign"]


def test_the_idempotency_key_is_required_and_belongs_to_one_inspection(people, hazards):
    gridworker = client(people.gridworker, HTTP_ACCEPT_LANGUAGE="en")
    missing = send(gridworker, "POST", "/api/v1/inspections", new(hazards))
    assert missing.status_code == 422 and errors(missing) == ["Idempotency-Key"]
    assert missing.json()["errors"][0]["message"] == "Idempotency-Key is required."
    for key in ("   ", "x" * 101, "a\x00b"):
        response = submit(gridworker, new(hazards), key=key)
        assert response.status_code == 422 and errors(response) == ["Idempotency-Key"]
    assert written() == (0, 0, 0, 0)
    assert submit(gridworker, new(hazards)).status_code == 201
    # The same key for another site is another request; another inspector's key is theirs.
    other_site = submit(gridworker, new(hazards, hazards.quarry, answers=ANSWERS[1:]))
    assert other_site.status_code == 422 and errors(other_site) == ["Idempotency-Key"]
    taken = submit(client(people.dispatcher), new(hazards))
    assert taken.status_code == 409 and errors(taken) == ["Idempotency-Key"]
    assert written() == (1, 3, 1, 1)


@pytest.mark.parametrize("who,site,status", [
    # The leader reads the register of the county but does not inspect.
    ("leader", "tower", 403),
    # Out of sight: another township's dispatcher, a township office's handler, another
    # department's handler, nobody.
    ("township_dispatcher", "tower", 404),
    ("handler", "tower", 404),
    ("emergency_handler", "tower", 404),
    ("housing_handler", "quarry", 404),
    ("nobody", "tower", 404),
])
def test_an_inspection_is_refused_to_those_who_may_not_inspect_the_site(people, hazards, who, site, status):
    user = getattr(people, who, None) or getattr(hazards, who)
    answers = ANSWERS if site == "tower" else ANSWERS[1:]
    response = submit(client(user), new(hazards, getattr(hazards, site), answers=answers))
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert written() == (0, 0, 0, 0)


def test_a_retired_site_is_not_inspected(people, hazards):
    services.retire_site(people.dispatcher, hazards.tower)
    response = submit(client(people.gridworker), new(hazards))
    assert response.status_code == 404 and errors(response) == ["site"]


BAD = [
    ({"site": 0}, "site"), ({"site": "x"}, "site"), ({"site": 99999999999999999999}, "site"),
    ({"answers": "all good"}, "answers"), ({"answers": [{"item": 1, "result": "maybe"}]}, "answers.result"),
    ({"answers": [{"item": "one", "result": "pass"}]}, "answers.item"),
    ({"answers": [{"item": 9, "result": "pass"}, *ANSWERS]}, "answers.0.item"),
    ({"answers": [*ANSWERS, {"item": 2, "result": "na"}]}, "answers.3.item"),
    ({"answers": ANSWERS[:2]}, "answers"), ({"answers": []}, "answers"),
    ({"answers": [{"item": 1, "result": "hazard"}, *ANSWERS[1:]]}, "answers.0.note"),
    ({"answers": [{**ANSWERS[0], "level": "huge"}, *ANSWERS[1:]]}, "answers.level"),
    ({"answers": [{**ANSWERS[0], "note": "x" * 501}, *ANSWERS[1:]]}, "answers.note"),
    ({"signed_as": ""}, "signed_as"), ({"signed_as": "   "}, "signed_as"), ({"signed_as": "x" * 51}, "signed_as"),
    ({"template": "MINE"}, "template"), ({"template": 999999}, "template"), ({"campaign": 999999}, "campaign"),
    ({"note": "bad\x00byte"}, "note"),
]


def test_bad_input_names_the_field_and_writes_nothing(people, hazards):
    gridworker = client(people.gridworker)
    for change, field in BAD:
        if change.get("template") == "MINE":
            change = {"template": hazards.mine_checklist.pk}
        response = submit(gridworker, new(hazards, **change))
        assert response.status_code == 422, (change, response.content)
        assert errors(response)[0] == field, (change, response.json())
    for field in ("site", "answers", "signed_as"):
        response = submit(gridworker, {k: v for k, v in new(hazards).items() if k != field})
        assert response.status_code == 422 and errors(response) == [field]
    malformed = submit(gridworker, '{"site": 1, "answers": [')
    assert malformed.status_code == 400 and errors(malformed) == ["body"]
    assert submit(gridworker, [new(hazards)]).status_code == 422
    assert written() == (0, 0, 0, 0)
    # The keys of refused submissions are free for the submission that is right.
    assert submit(gridworker, new(hazards)).status_code == 201


# ---------------------------------------------------------------------------- reading


def inspected(people, hazards, site, key, actor=None, campaign=None, now=None):
    answers = [services.Answer(n, "pass") for n in range(1, 4 if site.kind.code != "mine" else 3)]
    inspection, _created = services.submit_inspection(actor or people.dispatcher, services.NewInspection(
        site=site.pk, signed_as="检查员", answers=answers, campaign=campaign), idempotency_key=key, now=now)
    return inspection


def test_the_list_filters_by_site_campaign_and_days_and_pages(people, hazards):
    h = hazards
    now = timezone.now()
    campaign = services.open_campaign(people.dispatcher, title="汛前排查", kind="building", region="500229",
                                      starts_on=today() - timedelta(days=20), ends_on=today() + timedelta(days=10))
    old = inspected(people, h, h.tower, "a", now=now - timedelta(days=10))
    tower = inspected(people, h, h.tower, "b", campaign=campaign.pk)
    quarry = inspected(people, h, h.quarry, "c")
    far = inspected(people, h, h.far_tower, "d", campaign=campaign.pk)
    dispatcher = client(people.dispatcher)

    def listed(query=""):
        response = dispatcher.get(f"/api/v1/inspections?{query}")
        assert response.status_code == 200, response.content
        return [i["id"] for i in response.json()["items"]]

    assert listed() == [far.pk, quarry.pk, tower.pk, old.pk]
    assert listed(f"site={h.tower.pk}") == [tower.pk, old.pk]
    assert listed(f"campaign={campaign.pk}") == [far.pk, tower.pk]
    assert listed(f"since={today().isoformat()}") == [far.pk, quarry.pk, tower.pk]
    assert listed(f"until={(today() - timedelta(days=1)).isoformat()}") == [old.pk]
    day = (now - timedelta(days=10)).astimezone(LOCAL).date().isoformat()
    assert listed(f"since={day}&until={day}") == [old.pk]
    page = dispatcher.get("/api/v1/inspections?limit=3").json()
    assert [i["id"] for i in page["items"]] == [far.pk, quarry.pk, tower.pk]
    assert [i["id"] for i in dispatcher.get(f"/api/v1/inspections?limit=3&cursor={page['next_cursor']}").json()
            ["items"]] == [old.pk]
    item = page["items"][0]
    assert (item["site"], item["site_name"], item["inspector"], item["hazards_found"], item["checklist_version"]) == (
        h.far_tower.pk, "太和大厦", "dispatcher", 0, 1)
    # Each sees the inspections of the sites they may see.
    assert [i["id"] for i in client(people.township_dispatcher).get("/api/v1/inspections").json()["items"]] == [
        far.pk]
    assert [i["id"] for i in client(h.emergency_handler).get("/api/v1/inspections").json()["items"]] == [quarry.pk]
    assert client(people.nobody).get("/api/v1/inspections").json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("query,field", [
    ("site=0", "site"), ("site=x", "site"), ("campaign=-1", "campaign"), ("since=yesterday", "since"),
    ("until=2026-13-01", "until"), ("since=1999-12-31", "since"), ("since=2026-11-10&until=2026-11-09", "until"),
    ("cursor=0", "cursor"), ("limit=0", "limit"), ("limit=201", "limit"),
])
def test_bad_list_parameters_name_the_field(people, hazards, query, field):
    response = client(people.dispatcher).get(f"/api/v1/inspections?{query}")
    assert response.status_code == 422, response.content
    assert errors(response)[0] == field


def test_the_detail_gives_the_answers_photos_and_the_hazards_you_may_see(people, hazards):
    answers = [{"item": 1, "result": "hazard", "note": "边坡超高超陡", "level": "major"}, {"item": 2, "result": "pass"}]
    response = submit(client(people.gridworker), new(hazards, hazards.quarry, answers=answers, note="雨后检查"))
    inspection = Inspection.objects.get(pk=response.json()["id"])
    InspectionPhoto.objects.create(inspection=inspection, item_number=1, file="hazards/slope.jpg",
                                   content_type="image/jpeg", size=1024)
    hazard = Hazard.objects.get()
    body = client(people.supervisor).get(f"/api/v1/inspections/{inspection.pk}").json()
    assert (body["photos"], body["note"], body["signed_as"]) == (1, "雨后检查", "网格员 张三")
    assert [a["text"] for a in body["answers"]] == ["边坡台阶高度、坡面角符合设计", "爆破器材专库存放、专人管理"]
    assert [h["id"] for h in body["hazards"]] == [hazard.case_id] and body["answers"][0]["hazard"] == hazard.case_id
    # The site's department sees the inspection and the hazard it owns.
    assert client(hazards.emergency_handler).get(f"/api/v1/inspections/{inspection.pk}").json()["hazards"][0][
        "id"] == hazard.case_id


def test_an_inspection_out_of_sight_is_404_and_so_is_a_missing_one(people, hazards):
    inspection = inspected(people, hazards, hazards.tower, "a")
    for who in (people.township_dispatcher, people.handler, people.nobody, hazards.emergency_handler):
        response = client(who).get(f"/api/v1/inspections/{inspection.pk}")
        assert response.status_code == 404 and response.json()["detail"] == "未找到。"
    for missing in ("999999", "99999999999999999999"):
        assert client(people.dispatcher).get(f"/api/v1/inspections/{missing}").status_code == 404
    assert client(people.leader).get(f"/api/v1/inspections/{inspection.pk}").status_code == 200
