"""The drills API (/api/v1/drills): drills listed with their filters and cursor, a drill planned
once per Idempotency-Key, held, cancelled, its improvements added and marked done; every
endpoint's permission (401/403/404) and bad input (a 4xx naming the field, nothing written)."""

import json
import re
from datetime import date

import pytest
from django.test import Client

from anju.conftest import openapi_schema
from anju.duty import plans
from anju.duty.models import Drill, DrillImprovement
from anju.duty.tests import plans_fixtures
from anju.people.services import issue_token

# The fixtures of this module's tests, where pytest finds them.
clock, world = plans_fixtures.clock, plans_fixtures.world

HOLD = {"held_on": "2026-03-01", "units": "县应急管理局、葛城街道办事处", "head_count": 80,
        "findings": "通信中断时预备方案不清"}


def client(user, **headers):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user)[1]}", **headers)


def send(client, method, url, body=None, **headers):
    data = body if isinstance(body, str) else json.dumps(body if body is not None else {})
    return client.generic(method, url, data, content_type="application/json", **headers)


def fields(response):
    return [e["field"] for e in response.json()["errors"]]


def operations(prefix):
    for path, methods in openapi_schema()["paths"].items():
        if path.startswith(prefix):
            for method in methods:
                yield method.upper(), path


def drills():
    return (list(Drill.objects.order_by("id").values_list("status", "held_on", "units", "head_count", "findings",
                                                          "cancel_reason")),
            list(DrillImprovement.objects.order_by("id").values_list("text", "owner_id", "due_on", "done_on")))


@pytest.fixture
def setup(world):
    """A plan in force since 2023, a drill planned on it, and a drill held with one improvement."""
    plan = world.plan(approved_on=date(2023, 5, 10))
    planned = plans.plan_drill(world.emergency_handler, plans.NewDrill(plan.pk, "tabletop", "森林火灾桌面推演",
                                                                      date(2026, 3, 1)))
    held = plans.plan_drill(world.emergency_handler, plans.NewDrill(plan.pk, "full_scale", "森林火灾综合演练",
                                                                   date(2025, 11, 9)))
    plans.hold_drill(world.emergency_handler, held, held_on=date(2025, 11, 9), units="县应急管理局", head_count=150)
    improvement = plans.add_improvement(world.emergency_handler, held, text="补充风力灭火机", owner="yjj",
                                        due_on=date(2026, 1, 31))
    return plan, planned, held, improvement


@pytest.mark.parametrize("method,path", list(operations("/api/v1/drills")))
def test_it_requires_a_token_on_every_drill_endpoint(method, path, setup):
    before = drills()
    url = re.sub(r"\{[^}]+\}", str(setup[2].pk), path).replace(f"/improvements/{setup[2].pk}",
                                                               f"/improvements/{setup[3].pk}")
    response = send(Client(), method, url, HOLD)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert drills() == before


def test_staff_read_drills_with_filters_and_a_cursor(setup, people):
    plan, planned, held, improvement = setup
    reader = client(people.gridworker)
    body = reader.get("/api/v1/drills?limit=1").json()
    assert [d["id"] for d in body["items"]] == [held.pk] and body["next_cursor"] == held.pk
    body = reader.get(f"/api/v1/drills?limit=1&cursor={body['next_cursor']}").json()
    assert [d["id"] for d in body["items"]] == [planned.pk] and body["next_cursor"] is None
    assert [d["id"] for d in reader.get("/api/v1/drills?status=planned").json()["items"]] == [planned.pk]
    assert [d["id"] for d in reader.get("/api/v1/drills?drill_type=full_scale").json()["items"]] == [held.pk]
    assert reader.get(f"/api/v1/drills?plan={plan.pk}").json()["items"][0]["improvements_open"] == 1
    detail = reader.get(f"/api/v1/drills/{held.pk}").json()
    assert detail["actions"] == [] and detail["improvements"][0]["overdue"] is True
    assert detail["head_count"] == 150 and detail["units"] == "县应急管理局"
    assert client(people.nobody).get("/api/v1/drills").json()["items"] == []
    assert client(people.nobody).get(f"/api/v1/drills/{held.pk}").status_code == 404
    assert reader.get("/api/v1/drills?status=done").status_code == 422


def test_a_keeper_plans_a_drill_once_per_key_holds_it_and_adds_improvements(setup, world):
    plan = setup[0]
    keeper = client(world.emergency_handler, HTTP_IDEMPOTENCY_KEY="d-1")
    body = {"plan": plan.pk, "drill_type": "functional", "title": "通信保障功能演练", "scheduled_on": "2026-04-20"}
    first = send(keeper, "POST", "/api/v1/drills", body)
    assert first.status_code == 201, first.content
    drill_id = first.json()["id"]
    assert first.json()["actions"] == ["hold", "cancel"]
    again = send(keeper, "POST", "/api/v1/drills", body)
    assert again.status_code == 200 and again.json()["id"] == drill_id
    assert fields(send(keeper, "POST", "/api/v1/drills", {**body, "title": "x"})) == ["Idempotency-Key"]
    held = send(keeper, "POST", f"/api/v1/drills/{drill_id}/hold", HOLD)
    assert held.status_code == 200 and held.json()["status"] == "held"
    assert held.json()["actions"] == ["add_improvement"]
    added = send(keeper, "POST", f"/api/v1/drills/{drill_id}/improvements",
                 {"text": "明确备用通信方式", "owner": "gc", "due_on": "2026-06-30"})
    assert added.status_code == 201 and added.json()["improvements"][0]["owner"] == "gc"
    plan.refresh_from_db()
    assert plan.last_drilled_on == date(2026, 3, 1)


def test_a_planned_drill_is_cancelled_and_then_neither_held_nor_cancelled(setup, world):
    planned = setup[1]
    keeper = client(world.emergency_handler)
    assert send(keeper, "POST", f"/api/v1/drills/{planned.pk}/cancel", {"reason": "改期"}).json()["status"] == \
        "cancelled"
    for suffix, body in (("/hold", HOLD), ("/cancel", {"reason": "again"})):
        response = send(keeper, "POST", f"/api/v1/drills/{planned.pk}{suffix}", body)
        assert response.status_code == 409 and response.json()["detail"]


def test_the_responsible_office_marks_its_improvement_done(setup, people, world):
    _plan, _planned, held, improvement = setup
    url = f"/api/v1/drills/{held.pk}/improvements/{improvement.pk}/done"
    assert send(client(people.handler), "POST", url, {"done_on": "2026-02-20"}).status_code == 403
    response = send(client(world.emergency_handler), "POST", url, {"done_on": "2026-02-20", "note": "已采购6台"})
    assert response.status_code == 200
    assert response.json()["improvements"][0]["done_on"] == "2026-02-20"
    assert response.json()["improvements"][0]["overdue"] is False
    assert send(client(world.emergency_handler), "POST", url, {"done_on": "2026-02-21"}).status_code == 409


def writes(setup):
    plan, planned, held, improvement = setup
    return [
        ("/api/v1/drills", {"plan": plan.pk, "drill_type": "tabletop", "title": "推演", "scheduled_on": "2026-05-01"}),
        (f"/api/v1/drills/{planned.pk}/hold", HOLD),
        (f"/api/v1/drills/{planned.pk}/cancel", {"reason": "改期"}),
        (f"/api/v1/drills/{held.pk}/improvements", {"text": "x", "owner": "yjj", "due_on": "2026-06-30"}),
        (f"/api/v1/drills/{held.pk}/improvements/{improvement.pk}/done", {"done_on": "2026-02-20"}),
    ]


@pytest.mark.parametrize("who", ["dispatcher", "gridworker", "handler", "other_handler", "township_supervisor"])
def test_readers_may_not_change_drills(setup, world, people, who):
    user = getattr(world, who, None) or getattr(people, who)
    before, count = drills(), Drill.objects.count()
    for url, body in writes(setup):
        response = send(client(user), "POST", url, body)
        assert response.status_code == 403, (url, response.content)
    assert drills() == before and Drill.objects.count() == count


@pytest.mark.parametrize("who", ["admin", "supervisor", "leader"])
def test_the_county_keepers_may(setup, world, people, who):
    keeper = client(getattr(people, who))
    for index, (url, body) in enumerate(writes(setup)):
        if index == 2:  # the planned drill was just held: cancel another one
            other = plans.plan_drill(world.emergency_handler, plans.NewDrill(setup[0].pk, "tabletop", "推演",
                                                                             date(2026, 6, 1)))
            url = f"/api/v1/drills/{other.pk}/cancel"
        response = send(keeper, "POST", url, body)
        assert response.status_code in (200, 201), (url, response.content)


def test_nobody_learns_whether_a_drill_exists(setup, people):
    before = drills()
    for url, body in writes(setup)[1:]:
        assert send(client(people.nobody), "POST", url, body).status_code == 404
        assert send(client(people.nobody), "POST", re.sub(r"drills/\d+", "drills/999999", url), body).status_code \
            == 404
    response = send(client(people.nobody), "POST", *writes(setup)[0])
    assert response.status_code == 422 and fields(response) == ["plan"]
    assert drills() == before


@pytest.mark.parametrize("index,change,status,field", [
    (0, {"plan": 999999}, 422, "plan"),
    (0, {"plan": 0}, 422, "plan"),
    (0, {"drill_type": "parade"}, 422, "drill_type"),
    (0, {"title": ""}, 422, "title"),
    (0, {"scheduled_on": "2026-13-01"}, 422, "scheduled_on"),
    (0, {"scheduled_on": "1999-12-31"}, 422, "scheduled_on"),
    (1, {"held_on": "2026-03-09"}, 422, "held_on"),
    (1, {"head_count": 0}, 422, "head_count"),
    (1, {"head_count": 1.5}, 422, "head_count"),
    (1, {"units": ""}, 422, "units"),
    (1, {"units": None}, 422, "units"),
    (2, {"reason": " "}, 422, "reason"),
    (3, {"owner": "nope"}, 422, "owner"),
    (3, {"due_on": "2025-11-08"}, 422, "due_on"),
    (3, {"text": "x" * 501}, 422, "text"),
    (4, {"done_on": "2026-03-09"}, 422, "done_on"),
    (4, {"done_on": "2025-11-01"}, 422, "done_on"),
    (4, {"done_on": None}, 422, "done_on"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(setup, world, index, change, status, field):
    url, body = writes(setup)[index]
    before, count = drills(), Drill.objects.count()
    response = send(client(world.emergency_handler), "POST", url, {**body, **change})
    assert response.status_code == status, response.content
    assert fields(response) == [field]
    assert response.json()["errors"][0]["message"]
    assert drills() == before and Drill.objects.count() == count
