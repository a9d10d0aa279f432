"""The duty API (/api/v1/duty) on a frozen clock: shifts planned once per Idempotency-Key, changed,
swapped and logged; who is on duty and the board; month rosters and the arrangement; and on
every endpoint the permission matrix (401 without a token, 403 for a role that may not, 404 for
what does not exist) and bad input answered with a 4xx naming the field, never a 500, nothing
written."""

import json
import re
from datetime import UTC, date, time

import pytest
from django.test import Client
from django.utils import timezone

from anju.conftest import at, openapi_schema
from anju.duty import services
from anju.duty.choices import ShiftKind
from anju.duty.models import HandoverEntry, Shift, Swap
from anju.lib.errors import ServiceError
from anju.people.services import issue_token
from anju.web.tests.conftest import english_client

NOW = at(2026, 9, 20, 10)
SHIFT = {"office": "gc", "day": "2026-10-01", "kind": "day", "officer": "gc_officer", "leader": "gc_leader",
         "note": "国庆值班"}


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def client(user, **headers):
    _record, raw = issue_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", **headers)


def send(c, method, url, body=None, **headers):
    data = body if isinstance(body, str) else json.dumps(body if body is not None else {})
    return c.generic(method, url, data, content_type="application/json", **headers)


def fields(response):
    return [e["field"] for e in response.json()["errors"]]


def operations():
    for path, methods in openapi_schema()["paths"].items():
        if path.startswith("/api/v1/duty"):
            for method in methods:
                yield method.upper(), path


def written():
    return (list(Shift.objects.order_by("id").values_list("office_id", "day", "kind", "officer_id", "leader_id",
                                                          "note")),
            list(Swap.objects.order_by("id").values_list("status", "to_user_id")),
            list(HandoverEntry.objects.order_by("id").values_list("text", "closed_at")))


@pytest.fixture
def world(duty, people, county):
    """Today's day shift of 葛城 (running now), a shift of 1 October planned ahead, a swap of it
    waiting, and an open matter in today's log."""
    w = duty
    w.today = services.plan_shift(people.supervisor, services.NewShift("gc", date(2026, 9, 20), ShiftKind.DAY,
                                                                       "gc_officer", "gc_leader"), now=at(2026, 9, 1))
    w.ahead = services.plan_shift(people.supervisor, services.NewShift("gc", date(2026, 10, 2), ShiftKind.DAY,
                                                                       "gc_officer", "gc_leader"), now=at(2026, 9, 1))
    w.swap = services.request_swap(w.gc_officer, w.ahead, post="officer", to_user="gc_officer2", reason="探亲",
                                   now=at(2026, 9, 2))
    w.matter = services.write_entry(w.gc_officer, w.today, kind="matter", text="土城社区停水，供水公司18时前回复",
                                    now=at(2026, 9, 20, 9))
    return w


# ---------------------------------------------------------------------------- authentication


@pytest.mark.parametrize("method,path", list(operations()))
def test_it_requires_a_token_on_every_endpoint(method, path, world):
    url = re.sub(r"\{office\}", "gc", re.sub(r"\{[^}]+_id\}", str(world.ahead.pk), path))
    response = send(Client(), method, url, {})
    assert response.status_code == 401, (method, url, response.content)
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("method,path", list(operations()))
def test_a_user_without_a_role_reaches_nothing_and_nothing_is_written(method, path, world, people):
    url = re.sub(r"\{office\}", "gc", re.sub(r"\{[^}]+_id\}", str(world.ahead.pk), path))
    before = written()
    response = send(client(people.nobody), method, url, {**SHIFT, "post": "officer", "to_user": "gc_officer2",
                                                         "reason": "x", "kind": "call", "text": "x"})
    assert response.status_code in (403, 404, 422), (method, url, response.content)
    assert response.status_code != 200 and written() == before


@pytest.mark.parametrize("method,path", list(operations()))
def test_no_endpoint_answers_garbage_with_a_500(method, path, world, people):
    url = re.sub(r"\{office\}", "gc", re.sub(r"\{[^}]+_id\}", str(world.ahead.pk), path))
    c = client(people.admin)
    for body in ("not json", "[]", json.dumps({"office": 7, "day": "soon", "kind": None, "officer": ["x"],
                                               "post": "boss", "at": "yesterday", "pattern": 3})):
        response = send(c, method, url, body)
        assert response.status_code < 500, (method, url, body, response.content)
    for query in ("?limit=0", "?cursor=-1", "?since=2026-13-01", "?month=2026-13", "?region=\x00",
                  "?at=2026-10-01T09:00:00"):
        assert send(c, method, url + query, "{}").status_code < 500, (method, url, query)
    if "_id}" in path:
        huge = re.sub(r"\{[^}]+_id\}", str(2**63), path)
        assert send(c, method, huge, "{}").status_code in (404, 422), (method, huge)


# ---------------------------------------------------------------------------- shifts


def test_a_keeper_plans_a_shift_once_per_idempotency_key(world, people):
    c = client(people.supervisor)
    first = send(c, "POST", "/api/v1/duty/shifts", SHIFT, HTTP_IDEMPOTENCY_KEY="plan-1")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["officer"] == {"username": "gc_officer", "name": "陈干事", "email": ""}
    assert body["leader"]["name"] == "刘镇长" and body["starts_at"] == "2026-10-01T00:30:00Z"
    assert body["ends_at"] == "2026-10-01T09:30:00Z" and "change" in body["actions"]
    again = send(c, "POST", "/api/v1/duty/shifts", SHIFT, HTTP_IDEMPOTENCY_KEY="plan-1")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    other = send(c, "POST", "/api/v1/duty/shifts", {**SHIFT, "note": "另"}, HTTP_IDEMPOTENCY_KEY="plan-1")
    assert other.status_code == 422 and fields(other) == ["Idempotency-Key"]
    twice = send(c, "POST", "/api/v1/duty/shifts", SHIFT)
    assert twice.status_code == 409 and fields(twice) == ["day"]


@pytest.mark.parametrize("persona", ["handler", "gridworker", "leader", "township_dispatcher"])
def test_a_role_that_does_not_keep_the_office_s_roster_may_not_plan_it(world, people, persona):
    before = written()
    response = send(client(getattr(people, persona)), "POST", "/api/v1/duty/shifts", SHIFT)
    assert response.status_code == 403, response.content
    assert written() == before


@pytest.mark.parametrize("change,field", [
    ({"office": "nowhere"}, "office"),
    ({"kind": "day24"}, "kind"),
    ({"kind": "dusk"}, "kind"),
    ({"officer": "ghost"}, "officer"),
    ({"officer": ""}, "officer"),
    ({"officer": "nobody"}, "officer"),
    ({"leader": "gc_officer2"}, "leader"),
    ({"leader": "gc_officer"}, "leader"),
    ({"day": "2026-09-01"}, "day"),
    ({"day": "1999-12-31"}, "day"),
    ({"day": "01/10/2026"}, "day"),
    ({"note": "长" * 201}, "note"),
    ({"officer": "gc\x00officer"}, "officer"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_planned(world, people, change, field):
    before = written()
    response = send(client(people.supervisor), "POST", "/api/v1/duty/shifts", {**SHIFT, **change})
    assert response.status_code == 422, response.content
    assert field in fields(response)
    assert written() == before


def test_the_list_pages_by_cursor_and_filters_by_office(world, people):
    c = client(people.gridworker)
    page = send(c, "GET", "/api/v1/duty/shifts?office=gc&limit=1").json()
    assert [s["id"] for s in page["items"]] == [world.ahead.pk]
    rest = send(c, "GET", f"/api/v1/duty/shifts?office=gc&limit=1&cursor={page['next_cursor']}").json()
    assert [s["id"] for s in rest["items"]] == [world.today.pk] and rest["next_cursor"] is None
    assert send(c, "GET", "/api/v1/duty/shifts?office=nowhere").status_code == 404
    assert send(c, "GET", "/api/v1/duty/shifts?since=2026-10-01").json()["items"][0]["id"] == world.ahead.pk


def test_a_shift_shows_its_swaps_log_and_the_matters_it_takes_over(world, people):
    c = client(people.gridworker)
    today = send(c, "GET", f"/api/v1/duty/shifts/{world.today.pk}").json()
    assert [e["text"] for e in today["entries"]] == [world.matter.text] and today["entries"][0]["open"]
    assert today["actions"] == []
    ahead = send(c, "GET", f"/api/v1/duty/shifts/{world.ahead.pk}").json()
    assert [s["status"] for s in ahead["swaps"]] == ["requested"]
    assert [e["id"] for e in ahead["open_matters"]] == [world.matter.pk]
    assert send(c, "GET", "/api/v1/duty/shifts/999999").status_code == 404
    mine = send(client(world.gc_officer), "GET", f"/api/v1/duty/shifts/{world.today.pk}").json()
    assert mine["actions"] == ["swap_officer", "write_log"]


def test_a_keeper_changes_a_shift_and_others_may_not(world, people):
    url = f"/api/v1/duty/shifts/{world.ahead.pk}"
    body = {"officer": "gc_officer2", "leader": "gc_leader2", "note": ""}
    assert send(client(world.gc_officer), "PUT", url, body).status_code == 403
    bad = send(client(people.supervisor), "PUT", url, {**body, "leader": "gc_officer"})
    assert bad.status_code == 422 and fields(bad) == ["leader"]
    done = send(client(people.supervisor), "PUT", url, body)
    assert done.status_code == 200 and done.json()["leader"]["username"] == "gc_leader2"


# ---------------------------------------------------------------------------- swaps


def test_a_swap_is_asked_for_by_the_holder_and_approved_by_a_leader(world, people):
    c = client(world.gc_leader)
    url = f"/api/v1/duty/shifts/{world.today.pk}/swaps"
    asked = send(c, "POST", url, {"post": "leader", "to_user": "gc_leader2", "reason": "开会"},
                 HTTP_IDEMPOTENCY_KEY="swap-1")
    assert asked.status_code == 201, asked.content
    assert send(c, "POST", url, {"post": "leader", "to_user": "gc_leader2", "reason": "开会"},
                HTTP_IDEMPOTENCY_KEY="swap-1").json()["id"] == asked.json()["id"]
    swap = asked.json()["id"]
    assert send(client(people.handler), "POST", f"/api/v1/duty/swaps/{swap}/approve", {}).status_code == 403
    assert send(c, "POST", f"/api/v1/duty/swaps/{swap}/approve", {}).status_code == 403
    approved = send(client(people.leader), "POST", f"/api/v1/duty/swaps/{swap}/approve", {"note": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert Shift.objects.get(pk=world.today.pk).leader == world.gc_leader2
    again = send(client(people.leader), "POST", f"/api/v1/duty/swaps/{swap}/refuse", {"note": "不"})
    assert again.status_code == 409
    waiting = send(c, "GET", "/api/v1/duty/swaps?status=requested").json()["items"]
    assert [s["id"] for s in waiting] == [world.swap.pk]


@pytest.mark.parametrize("body,status,field", [
    ({"post": "boss", "to_user": "gc_officer2", "reason": "x"}, 422, "post"),
    ({"post": "officer", "to_user": "ghost", "reason": "x"}, 422, "to_user"),
    ({"post": "officer", "to_user": "gc_officer", "reason": "x"}, 422, "to_user"),
    ({"post": "officer", "to_user": "gc_leader", "reason": "x"}, 422, "to_user"),
    ({"post": "officer", "to_user": "gc_officer2", "reason": ""}, 422, "reason"),
    ({"post": "officer", "to_user": "gc_officer2"}, 422, "reason"),
])
def test_a_bad_swap_request_names_the_field(world, body, status, field):
    before = written()
    response = send(client(world.gc_officer), "POST", f"/api/v1/duty/shifts/{world.today.pk}/swaps", body)
    assert response.status_code == status and field in fields(response), response.content
    assert written() == before


def test_a_swap_is_asked_for_by_no_one_else_and_refused_with_a_reason(world, people):
    url = f"/api/v1/duty/shifts/{world.today.pk}/swaps"
    body = {"post": "officer", "to_user": "gc_officer2", "reason": "x"}
    assert send(client(world.gc_officer2), "POST", url, body).status_code == 403
    assert send(client(people.gridworker), "POST", url, body).status_code == 403
    open_twice = send(client(world.gc_officer), "POST", f"/api/v1/duty/shifts/{world.ahead.pk}/swaps",
                      {**body, "to_user": "handler"})
    assert open_twice.status_code == 409
    no_reason = send(client(people.supervisor), "POST", f"/api/v1/duty/swaps/{world.swap.pk}/refuse", {"note": ""})
    assert no_reason.status_code == 422 and fields(no_reason) == ["note"]
    refused = send(client(people.supervisor), "POST", f"/api/v1/duty/swaps/{world.swap.pk}/refuse",
                   {"note": "国庆期间原则上不换班"})
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    assert Shift.objects.get(pk=world.ahead.pk).officer == world.gc_officer
    assert send(client(people.supervisor), "POST", "/api/v1/duty/swaps/999999/approve", {}).status_code == 404


# ---------------------------------------------------------------------------- the handover log


def test_those_on_duty_write_the_log_and_close_a_matter(world, people):
    url = f"/api/v1/duty/shifts/{world.today.pk}/entries"
    body = {"kind": "instruction", "text": "县领导要求加强节前安全检查"}
    assert send(client(people.gridworker), "POST", url, body).status_code == 403
    assert send(client(world.gc_officer2), "POST", url, body).status_code == 403
    wrote = send(client(world.gc_leader), "POST", url, body, HTTP_IDEMPOTENCY_KEY="e1")
    assert wrote.status_code == 201 and wrote.json()["written_by"]["name"] == "刘镇长"
    assert send(client(world.gc_leader), "POST", url, body, HTTP_IDEMPOTENCY_KEY="e1").status_code == 200
    for bad, field in (({"kind": "gossip", "text": "x"}, "kind"), ({"kind": "call", "text": ""}, "text"),
                       ({"kind": "call", "text": " "}, "text"), ({"kind": "call"}, "text")):
        response = send(client(world.gc_officer), "POST", url, bad)
        assert response.status_code == 422 and field in fields(response), (bad, response.content)
    early = send(client(world.gc_officer), "POST", f"/api/v1/duty/shifts/{world.ahead.pk}/entries", body)
    assert early.status_code == 409
    close = f"/api/v1/duty/entries/{world.matter.pk}/close"
    assert send(client(people.gridworker), "POST", close).status_code == 403
    closed = send(client(world.gc_officer), "POST", close)
    assert closed.status_code == 200 and closed.json()["open"] is False
    assert send(client(world.gc_officer), "POST", close).status_code == 409
    assert send(client(world.gc_officer), "POST", "/api/v1/duty/entries/999999/close").status_code == 404


# ---------------------------------------------------------------------------- who is on duty


def test_who_is_on_duty_for_a_region_now_and_at_a_moment(world, people, county):
    c = client(people.gridworker)
    now = send(c, "GET", "/api/v1/duty/now?region=500229001001001").json()
    assert now["source"] == "roster" and now["officer"]["name"] == "陈干事" and now["leader"]["name"] == "刘镇长"
    night = send(c, "GET", "/api/v1/duty/now?region=500229001&at=2026-09-20T22:00:00%2B08:00").json()
    assert night["source"] == "supervisors" and [s["name"] for s in night["supervisors"]] == ["吴督查"]
    unknown = send(c, "GET", "/api/v1/duty/now?region=123")
    assert unknown.status_code == 422 and fields(unknown) == ["region"]
    naive = send(c, "GET", "/api/v1/duty/now?region=500229001&at=2026-09-20T22:00:00")
    assert naive.status_code == 422 and fields(naive) == ["at"]
    assert send(c, "GET", "/api/v1/duty/now").status_code == 422


def test_the_board_lists_the_county_and_every_township(world, people):
    rows = send(client(people.handler), "GET", "/api/v1/duty/board").json()
    assert [r["region_name"] for r in rows] == ["城口县", "葛城街道", "复兴街道"]
    assert rows[1]["officer"]["name"] == "陈干事" and rows[0]["source"] == "supervisors"


# ---------------------------------------------------------------------------- rosters


def test_a_month_roster_marks_the_holiday(world, people):
    c = client(people.gridworker)
    october = send(c, "GET", "/api/v1/duty/rosters/gc?month=2026-10").json()
    days = {d["day"]: d for d in october["days"]}
    assert days["2026-10-01"]["day_kind"] == "holiday" and days["2026-10-01"]["holiday"] == "国庆节"
    assert days["2026-10-10"]["day_kind"] == "makeup" and not days["2026-10-10"]["estimated"]
    assert [s["id"] for s in days["2026-10-02"]["shifts"]] == [world.ahead.pk]
    assert october["complete_days"] == 0 and october["pattern"] == "day_night"
    bad = send(c, "GET", "/api/v1/duty/rosters/gc?month=2026-13")
    assert bad.status_code == 422 and fields(bad) == ["month"]
    assert send(c, "GET", "/api/v1/duty/rosters/nowhere?month=2026-10").status_code == 404


def test_a_keeper_sets_the_arrangement(world, people, county):
    url = "/api/v1/duty/rosters/gc"
    body = {"pattern": "24h", "day_starts": "09:00"}
    assert send(client(people.other_handler), "PUT", url, body).status_code == 403
    assert send(client(people.township_dispatcher), "PUT", url, body).status_code == 403
    bad = send(client(world.gc_supervisor), "PUT", url, {"pattern": "day_night", "day_starts": "18:00",
                                                         "night_starts": "08:00"})
    assert bad.status_code == 422 and fields(bad) == ["night_starts"]
    bad = send(client(world.gc_supervisor), "PUT", url, {"pattern": "weekly", "day_starts": "08:00"})
    assert bad.status_code == 422 and fields(bad) == ["pattern"]
    # A time with a zone of its own, or no time at all, is no time of day on the duty's clock.
    for body_with_zone, field in (({"pattern": "24h", "day_starts": "00:00:00Z"}, "day_starts"),
                                  ({"pattern": "24h", "day_starts": "25:00"}, "day_starts"),
                                  ({"pattern": "day_night", "day_starts": "08:00",
                                    "night_starts": "18:00+08:00"}, "night_starts")):
        bad = send(client(world.gc_supervisor), "PUT", url, body_with_zone)
        assert bad.status_code == 422 and fields(bad) == [field], bad.content
    with pytest.raises(ServiceError) as zoned:
        services.set_roster(world.gc_supervisor, county.gecheng_office, pattern="24h",
                            day_starts=time(8, 30, tzinfo=UTC))
    assert zoned.value.field == "day_starts"
    done = send(client(world.gc_supervisor), "PUT", url, body)
    assert done.status_code == 200 and done.json()["pattern"] == "24h"


def test_a_caller_s_number_written_in_the_log_is_shown_redacted(world, people):
    entry = services.write_entry(world.gc_officer, world.today, kind="call",
                                 text="13912345678来电反映土城社区停水，已转供水公司", now=at(2026, 9, 20, 10))
    entry.refresh_from_db()
    assert entry.text_whole.startswith("13912345678") and "13912345678" not in entry.text
    shift = client(people.supervisor).get(f"/api/v1/duty/shifts/{world.today.pk}").json()
    texts = [e["text"] for e in shift["entries"]]
    assert any("已转供水公司" in t for t in texts) and not any("13912345678" in t for t in texts)
    page = english_client(people.supervisor).get(f"/work/duty/shifts/{world.today.pk}/").content.decode()
    assert "已转供水公司" in page and "13912345678" not in page
