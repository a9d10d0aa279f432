"""The warnings API (/api/v1/warnings): every endpoint needs a token; the list with its filters and
cursor, scoped to the user; a draft made once per Idempotency-Key; each step by the role it needs
(403), in the state it needs (409 naming the state), with bad input refused naming the field
(422) and nothing written; the acknowledgements and the evacuation, persons masked."""

import json
import re

import pytest
from django.test import Client

from anju.conftest import openapi_schema
from anju.people.services import issue_token
from anju.warnings.choices import AckState, EvacuationState, WarningStatus
from anju.warnings.models import Acknowledgement, CapMessage, Evacuation, Warning, WarningLog

BASE = "/api/v1/warnings"


def client(user, **headers):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user)[1]}", HTTP_ACCEPT_LANGUAGE="en", **headers)


def send(client, method, url, body=None, **headers):
    data = body if isinstance(body, str) else json.dumps(body if body is not None else {})
    return client.generic(method, url, data, content_type="application/json", **headers)


def post(user, url, body=None, **headers):
    return send(client(user), "POST", url, body, **headers)


def fields(response):
    return [e["field"] for e in response.json()["errors"]]


def operations(prefix):
    for path, methods in openapi_schema()["paths"].items():
        if path.startswith(prefix):
            for method in methods:
                yield method.upper(), path


def everything():
    """What a refused request must leave as it was."""
    return (list(Warning.objects.order_by("pk").values_list("status", "level", "headline", "approved_by")),
            CapMessage.objects.count(), WarningLog.objects.count(),
            list(Acknowledgement.objects.order_by("pk").values_list("state", "responder")),
            list(Evacuation.objects.order_by("pk").values_list("state", "reason", "people_moved")))


def draft_body(county, **change):
    body = {"level": "orange", "hazard_type": "landslide", "area": county.gecheng.code, "headline": "葛城街道橙色预警",
            "description": "受强降雨影响，土城社区发生滑坡的可能性大。", "points": ["DZ001", "DZ002"]}
    body.update(change)
    return body


@pytest.mark.parametrize("method,path", list(operations(BASE)))
def test_every_warning_endpoint_requires_a_token(method, path, make_warning, desk):
    warning = make_warning("orange", [desk.p1])
    before = everything()
    url = re.sub(r"\{[^}]+\}", str(warning.pk), path)
    response = send(Client(), method, url, {})
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert everything() == before


def test_a_draft_is_made_once_and_approved_by_another(county, desk, people):
    response = post(people.dispatcher, BASE, draft_body(county), HTTP_IDEMPOTENCY_KEY="d-1")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["points"], body["approver_role"], body["ack_minutes"]) == (
        "draft", ["DZ001", "DZ002"], "leader", 15)
    assert body["actions"] == [] and len(body["polygon"]) == 5
    again = post(people.dispatcher, BASE, draft_body(county), HTTP_IDEMPOTENCY_KEY="d-1")
    assert again.status_code == 200 and again.json()["id"] == body["id"] and Warning.objects.count() == 1
    url = f"{BASE}/{body['id']}"
    assert client(desk.gc_leader).get(url).json()["actions"] == ["approve", "reject"]
    assert post(people.dispatcher, f"{url}/approve").status_code == 403  # the drafter
    assert post(desk.gc_supervisor, f"{url}/approve").status_code == 403  # orange needs a leader
    approved = post(desk.gc_leader, f"{url}/approve", {"note": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    twice = post(desk.gc_leader, f"{url}/approve", {})
    assert twice.status_code == 409 and "Approved" in twice.json()["detail"] and fields(twice) == ["status"]


@pytest.mark.parametrize("change,field", [
    ({"area": "999999"}, "area"),
    ({"level": "purple"}, "level"),
    ({"hazard_type": "quake"}, "hazard_type"),
    ({"headline": ""}, "headline"),
    ({"headline": "x" * 201}, "headline"),
    ({"points": ["DZ003"]}, "points"),
    ({"points": "DZ001"}, "points"),
    ({"expires_at": "2026-07-15T10:00:00"}, "expires_at"),
    ({"expires_at": "not a time"}, "expires_at"),
    ({"onset_at": "0001-01-01T00:00:00+14:00"}, "onset_at"),
    ({"polygon": [[31.9, 108.6], [31.9, 108.7], [31.9, 108.6]]}, "polygon"),
    ({"polygon": "31.9,108.6"}, "polygon"),
    ({"description": "a\x00b"}, "description"),
    ({"unknown": 1, "level": None}, "level"),
])
def test_a_bad_draft_is_refused_naming_the_field(county, desk, people, change, field):
    response = post(people.dispatcher, BASE, draft_body(county, **change))
    assert response.status_code == 422, response.content
    assert field in fields(response)
    assert Warning.objects.count() == 0


def test_a_draft_from_outside_the_area_is_forbidden(county, desk, people):
    for user in (people.township_dispatcher, people.gridworker, people.handler, people.nobody):
        assert post(user, BASE, draft_body(county)).status_code == 403
    assert Warning.objects.count() == 0
    assert post(people.dispatcher, BASE, "{not json").status_code == 400


def test_the_list_is_scoped_filtered_and_paged_with_a_cursor(make_warning, desk, people, county):
    made = [make_warning("blue", [desk.p1], status="draft", headline=f"蓝色预警{n}") for n in range(4)]
    issued = make_warning("orange", [desk.p1])
    fuxing = make_warning("yellow", [desk.p3], area=county.fuxing, headline="复兴预警")
    reader = client(people.dispatcher)
    seen, page = [], reader.get(f"{BASE}?limit=2").json()
    while True:
        seen += [w["id"] for w in page["items"]]
        if page["next_cursor"] is None:
            break
        page = reader.get(f"{BASE}?limit=2&cursor={page['next_cursor']}").json()
    assert seen == sorted([w.pk for w in [*made, issued, fuxing]], reverse=True)

    def ids(user, query=""):
        response = client(user).get(f"{BASE}?{query}")
        assert response.status_code == 200, response.content
        return {w["id"] for w in response.json()["items"]}

    assert ids(people.dispatcher, "status=in_force") == {issued.pk, fuxing.pk}
    assert ids(people.dispatcher, "status=draft&level=blue") == {w.pk for w in made}
    assert ids(people.dispatcher, "point=DZ003") == {fuxing.pk}
    assert ids(people.dispatcher, f"area={county.fuxing.code}") == {fuxing.pk}
    assert ids(people.dispatcher, "q=复兴") == {fuxing.pk}
    # A grid worker of 复兴 sees 复兴's; a monitor's account sees what it was asked to acknowledge.
    assert ids(desk.fx_gridworker) == {fuxing.pk}
    assert ids(desk.monitor) == {issued.pk}
    assert ids(people.nobody) == set()
    for query, field in (("area=999", "area"), ("status=gone", "status"), ("limit=0", "limit"),
                         ("cursor=-1", "cursor")):
        response = reader.get(f"{BASE}?{query}")
        assert response.status_code == 422 and field in fields(response)


def test_hidden_and_missing_warnings_look_the_same(make_warning, desk, people):
    warning = make_warning("orange", [desk.p1])
    for url in (f"{BASE}/{warning.pk}", f"{BASE}/999999", f"{BASE}/{2**63}"):
        assert client(desk.fx_gridworker).get(url).status_code == 404
    assert post(desk.fx_gridworker, f"{BASE}/{warning.pk}/cancel", {"reason": "x"}).status_code == 404


def test_each_step_by_the_role_it_needs_in_the_state_it_needs(make_warning, desk, people):
    warning = make_warning("yellow", [desk.p1], status="approved")
    url = f"{BASE}/{warning.pk}"
    assert post(people.gridworker, f"{url}/issue", {}).status_code == 403
    assert post(people.dispatcher, f"{url}/issue", {"evacuate": "maybe"}).status_code == 422
    issued = post(people.dispatcher, f"{url}/issue", {})
    assert issued.status_code == 200 and issued.json()["status"] == "issued"
    assert issued.json()["messages"][0]["msg_type"] == "Alert"
    assert issued.json()["messages"][0]["url"].startswith("/cap/")
    assert issued.json()["evacuation"]["total"] == 0 and issued.json()["acknowledgements"]["points"] == 1
    before = everything()
    assert post(desk.gc_supervisor, f"{url}/update", {}).status_code == 422  # nothing changed
    assert post(desk.gc_supervisor, f"{url}/update", {"level": "red"}).status_code == 403  # red needs a leader
    assert fields(post(desk.gc_supervisor, f"{url}/update", {"points": ["DZ009"]})) == ["points"]
    assert fields(post(desk.gc_supervisor, f"{url}/update", {"expires_at": "2020-01-01T00:00:00+08:00"})) == [
        "expires_at"]
    assert everything() == before
    updated = post(desk.gc_supervisor, f"{url}/update", {"headline": "黄色预警（更新）", "note": "范围调整"})
    assert updated.status_code == 200 and [m["msg_type"] for m in updated.json()["messages"]] == ["Alert", "Update"]
    evacuate = post(people.handler, f"{url}/evacuate")
    assert evacuate.status_code == 200 and evacuate.json()["evacuation"]["to_move"] == 3
    assert post(people.handler, f"{url}/evacuate").status_code == 409
    assert post(people.handler, f"{url}/incident", {}).status_code == 409  # yellow
    assert fields(post(desk.gc_supervisor, f"{url}/cancel", {"reason": ""})) == ["reason"]
    done = post(desk.gc_supervisor, f"{url}/all-clear", {"note": "险情解除"})
    assert done.status_code == 200 and done.json()["all_clear_at"] and not done.json()["in_force"]
    assert done.json()["actions"] == []
    for step, body in (("cancel", {"reason": "x"}), ("all-clear", {}), ("update", {"headline": "新"}),
                       ("issue", {}), ("approve", {}), ("reject", {"reason": "x"})):
        response = post(desk.gc_leader, f"{url}/{step}", body)
        assert response.status_code == 409, (step, response.content)
        assert "Cancelled" in response.json()["detail"]


def test_an_orange_warning_opens_an_incident(make_warning, desk, people):
    warning = make_warning("orange", [desk.p1])
    url = f"{BASE}/{warning.pk}/incident"
    assert post(people.gridworker, url, {}).status_code == 403
    assert fields(post(people.handler, url, {"grade": "huge"})) == ["grade"]
    response = post(people.handler, url, {"grade": "major", "text": "土城滑坡险情加剧"})
    assert response.status_code == 200, response.content
    assert response.json()["incidents"][0]["grade"] == "major" and response.json()["incidents"][0]["open"]
    assert post(people.handler, url, {}).status_code == 409


def test_the_acknowledgements_masked_answered_in_the_app_and_by_a_call(make_warning, desk, people):
    warning = make_warning("orange", [desk.p1, desk.p2])
    url = f"{BASE}/{warning.pk}/acknowledgements"
    rows = client(people.dispatcher).get(url).json()
    assert [(r["point"], r["responder"], r["who"], r["phone"], r["state"]) for r in rows] == [
        ("DZ001", "monitor", "张**", "138****1111", "waiting"), ("DZ002", "monitor", "王*", "137****3333", "waiting")]
    assert not any(r["yours"] for r in rows)
    mine = client(desk.monitor).get(url).json()
    assert [r["yours"] for r in mine] == [True, False]
    p1, p2 = (r["id"] for r in rows)
    assert post(desk.monitor, f"{url}/{p2}/acknowledge").status_code == 403
    answered = post(desk.monitor, f"{url}/{p1}/acknowledge")
    assert answered.status_code == 200 and answered.json()[0]["channel"] == "app"
    assert post(desk.monitor, f"{url}/{p1}/acknowledge").status_code == 409
    assert post(people.gridworker, f"{url}/{p2}/call", {"note": "电话确认"}).status_code == 403
    assert fields(post(people.handler, f"{url}/{p2}/call", {"note": "x" * 501})) == ["note"]
    called = post(people.handler, f"{url}/{p2}/call", {"note": "电话确认"})
    assert called.status_code == 200 and called.json()[1]["recorded_by"] == "handler"
    assert post(people.handler, f"{url}/999999/call", {}).status_code == 404
    assert set(Acknowledgement.objects.values_list("state", flat=True)) == {AckState.ACKNOWLEDGED}


def test_the_evacuation_masked_and_entered(make_warning, desk, people):
    warning = make_warning("orange", [desk.p1])
    url = f"{BASE}/{warning.pk}/evacuations"
    rows = client(desk.grid1_worker).get(url).json()
    assert [(r["head"], r["phone"], r["address"], r["steps"]) for r in rows][0] == (
        "陈**", "138****0001", "土城社区…", ["moved", "refused"])
    assert "陈大福" not in json.dumps(rows, ensure_ascii=False)
    assert client(people.dispatcher).get(f"{url}?state=refused").json() == []
    first, second = rows[0]["id"], rows[1]["id"]
    before = everything()
    for body, field, status in (({"state": "refused"}, "reason", 422), ({"state": "moved", "people_moved": 0},
                                                                         "people_moved", 422),
                                ({"state": "returned"}, "state", 409), ({"state": "to_move"}, "state", 422)):
        response = post(desk.grid1_worker, f"{url}/{first}", body)
        assert response.status_code == status and field in fields(response), response.content
    assert post(desk.grid2_worker, f"{url}/{first}", {"state": "moved"}).status_code == 403
    assert post(desk.grid1_worker, f"{url}/999999", {"state": "moved"}).status_code == 404
    assert everything() == before
    moved = post(desk.grid1_worker, f"{url}/{first}", {"state": "moved", "people_moved": 2})
    assert moved.status_code == 200 and (moved.json()["state"], moved.json()["people_moved"]) == ("moved", 2)
    assert moved.json()["steps"] == ["returned"]
    no = post(desk.grid1_worker, f"{url}/{second}", {"state": "refused", "reason": "坚持留守，电话13811110002"})
    assert no.status_code == 200 and "13811110002" not in no.json()["reason"]
    assert Evacuation.objects.get(pk=second).state == EvacuationState.REFUSED
    detail = client(people.dispatcher).get(f"{BASE}/{warning.pk}").json()
    assert detail["evacuation"] == {"total": 3, "to_move": 1, "moved": 1, "refused": 1, "returned": 0,
                                    "people_moved": 2}
    assert detail["status"] == WarningStatus.ISSUED
