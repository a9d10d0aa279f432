"""The hazards API (/api/v1/hazards): the list with its filters and cursor, the detail (the case
with its hazard record, rounds, plan and listed supervision), and each action of the ledger loop
(link-site, order, work-stopped, plan, rectified, reinspect, list, progress, delist): its effect,
its permission (401/403/404), bad input (a 4xx naming the field, nothing written) and wrong
state (409). The API runs on the real clock, so hazards are built through the services at the
real time."""

import json
import re
from datetime import timedelta
from itertools import count

import pytest
from django.test import Client
from django.utils import timezone

from anju.cases import services as case_services
from anju.cases.models import Case, CaseEvent
from anju.conftest import openapi_schema
from anju.hazards import services
from anju.hazards.models import Hazard, Listing, ListingProgress, RectificationRound
from anju.lib.masking import mask_name, mask_phone
from anju.lib.workdays import LOCAL
from anju.people.services import issue_token

KEYS = count(1)
PLAN = {"goals": "消除边坡失稳隐患", "methods": "分台阶削坡，修建截排水沟", "resources": "投入资金80万元、挖掘机2台",
        "responsible": "企业主要负责人负总责", "timeline": "一个月内完成", "safety": "设置警戒区，雨天停止作业"}


def client(user, **headers):
    _record, raw = issue_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", **headers)


def post(client, url, body=None, **headers):
    data = body if isinstance(body, str) else json.dumps(body if body is not None else {})
    return client.post(url, data, content_type="application/json", **headers)


def errors(response):
    return [e["field"] for e in response.json()["errors"]]


def today():
    return timezone.now().astimezone(LOCAL).date()


def day(offset: int) -> str:
    return (today() + timedelta(days=offset)).isoformat()


def user(people, hazards, who):
    return getattr(people, who, None) or getattr(hazards, who)


# ---------------------------------------------------------------------------- hazards in a state


def found(people, hazards, *, major=False, site=None, now=None):
    """A hazard found at an inspection: a general one at the tower by the grid worker (the
    housing bureau's), or a major one at the quarry by the emergency bureau (its own)."""
    if major:
        answers = [services.Answer(1, "hazard", "边坡超高超陡，已出现裂缝", level="major"), services.Answer(2, "pass")]
        actor, site = hazards.emergency_handler, site or hazards.quarry
    else:
        answers = [services.Answer(1, "hazard", "楼梯间堆放杂物堵塞通道"), services.Answer(2, "pass"),
                   services.Answer(3, "na")]
        # The grid worker of 土城 there; the dispatcher of the county elsewhere.
        actor = people.gridworker if site is None else people.dispatcher
        site = site or hazards.tower
    inspection, _created = services.submit_inspection(actor, services.NewInspection(
        site=site.pk, answers=answers, signed_as="检查员"), idempotency_key=f"key-{next(KEYS)}", now=now)
    return Hazard.objects.get(inspection=inspection).case


def reported(people):
    """A hazard a resident reported through the core's intake: no site yet, with the centre."""
    case, _created = case_services.create_case(people.dispatcher, case_services.NewCase(
        kind="hazard", category_code="hazard.building", text="滨河花园3号楼楼道堆满杂物，物业刘德胜不管",
        lat=31.905, lng=108.605, reporter_name="张三", reporter_phone="13800001234"))
    return case


def hazard_in(people, hazards, state):
    """A hazard brought to ``state`` through the services at the real time."""
    h = hazards
    if state == "reported":
        return reported(people)
    if state == "found":
        return found(people, h)
    if state == "rectifying":
        case = found(people, h)
        services.issue_order(h.housing_handler, case, measures="清理楼梯间杂物", due_on=today() + timedelta(days=7))
        return case
    if state == "reinspection":
        case = hazard_in(people, h, "rectifying")
        services.report_rectified(h.housing_handler, case, note="物业已清理")
        return case
    if state == "major_found":
        return found(people, h, major=True)
    if state == "major_stopped":
        case = found(people, h, major=True)
        services.record_work_stopped(h.emergency_handler, case, stopped_on=today())
        return case
    if state == "major_rectifying":
        case = hazard_in(people, h, "major_stopped")
        services.issue_order(h.emergency_handler, case, measures="削坡减载", due_on=today() + timedelta(days=30))
        services.record_plan(h.emergency_handler, case, services.PlanText(**PLAN))
        return case
    if state == "listed":
        case = hazard_in(people, h, "major_rectifying")
        services.list_hazard(people.supervisor, case, owner="yjj", due_on=today() + timedelta(days=60))
        return case
    if state == "closed_listed":
        case = hazard_in(people, h, "listed")
        services.report_rectified(h.emergency_handler, case)
        services.reinspect(people.supervisor, case, passed=True, evidence="边坡稳定，截排水沟完工")
        return case
    raise ValueError(state)


def fingerprint(case):
    """Everything a refused request must leave as it was."""
    return (Case.objects.filter(pk=case.pk).values_list("status", "office_id", "due_at", "handle_due_at").get(),
            CaseEvent.objects.filter(case=case).count(),
            Hazard.objects.filter(case=case).values_list("site_id", "level", "stage", "work_stopped_on",
                                                         "plan_received_at", "plan_goals", "closed_at").first(),
            list(RectificationRound.objects.filter(hazard__case=case).values_list(
                "number", "measures", "due_at", "rectified_at", "result", "evidence")),
            list(Listing.objects.filter(hazard__case=case).values_list("owner_id", "due_on", "status", "acceptance")),
            list(ListingProgress.objects.filter(listing__hazard__case=case).values_list("week_of", "note")))


def record(case):
    return Hazard.objects.select_related("listing").get(case=case)


# ---------------------------------------------------------------------------- the action matrix

# action → (state, persona allowed, persona refused in scope, good body, [(bad body, field) ...],
#           the change it makes, read from the database)
ACTIONS = {
    "link-site": ("reported", "dispatcher", "supervisor", {"site": "TOWER", "level": "general"},
                  [({"site": 999999, "level": "general"}, "site"), ({"site": "x"}, "site"),
                   ({"site": "TOWER", "level": "huge"}, "level"), ({"level": "general"}, "site")],
                  lambda case: record(case).site_id is not None),
    "order": ("found", "housing_handler", "supervisor", {"measures": "清理楼梯间杂物", "due_on": "+7"},
              [({"measures": "清理", "due_on": "-1"}, "due_on"), ({"measures": "清理", "due_on": "soon"}, "due_on"),
               ({"measures": "清理", "due_on": "+400"}, "due_on"), ({"measures": "", "due_on": "+7"}, "measures"),
               ({"measures": "   ", "due_on": "+7"}, "measures"), ({"due_on": "+7"}, "measures"),
               ({"measures": "清理", "due_on": "2026-02-30"}, "due_on")],
              lambda case: record(case).stage == "rectifying" and record(case).rounds.count() == 1),
    "work-stopped": ("major_found", "emergency_handler", "supervisor", {"stopped_on": "+0"},
                     [({"stopped_on": "+1"}, "stopped_on"), ({"stopped_on": "x"}, "stopped_on"),
                      ({}, "stopped_on"), ({"stopped_on": "1999-01-01"}, "stopped_on")],
                     lambda case: record(case).work_stopped_on == today()),
    "plan": ("major_stopped", "emergency_handler", "supervisor", PLAN,
             [({**PLAN, "goals": ""}, "goals"), ({k: v for k, v in PLAN.items() if k != "safety"}, "safety"),
              ({**PLAN, "methods": "x" * 3001}, "methods"), ({**PLAN, "timeline": "  "}, "timeline"),
              ({**PLAN, "resources": 80}, "resources")],
             lambda case: record(case).has_plan and record(case).plan_safety == PLAN["safety"]),
    "rectified": ("rectifying", "housing_handler", "supervisor", {"note": "物业已清理"},
                  [({"note": "x" * 1001}, "note"), ({"note": 5}, "note")],
                  lambda case: record(case).stage == "reinspection"),
    "reinspect": ("reinspection", "housing_handler", "dispatcher", {"passed": True, "evidence": "通道已畅通（附照片）"},
                  [({"passed": "perhaps", "evidence": "x"}, "passed"), ({"passed": True, "evidence": ""}, "evidence"),
                   ({"evidence": "x"}, "passed"), ({"passed": False, "evidence": "仍有杂物"}, "new_due_on"),
                   ({"passed": False, "evidence": "仍有杂物", "new_due_on": "+5"}, "measures"),
                   ({"passed": False, "evidence": "仍有杂物", "new_due_on": "-3", "measures": "再清理"}, "new_due_on")],
                  lambda case: record(case).stage == "closed" and Case.objects.get(pk=case.pk).status == "resolved"),
    "list": ("major_rectifying", "supervisor", "dispatcher", {"owner": "yjj", "due_on": "+60"},
             [({"owner": "nope", "due_on": "+60"}, "owner"), ({"owner": "yjj", "due_on": "-1"}, "due_on"),
              ({"due_on": "+60"}, "owner"), ({"owner": "yjj"}, "due_on"), ({"owner": "", "due_on": "+60"}, "owner")],
             lambda case: record(case).listing.status == "listed"),
    "progress": ("listed", "supervisor", "dispatcher", {"note": "已完成削坡方案设计"},
                 [({"note": ""}, "note"), ({}, "note"), ({"note": "x", "week_of": "+7"}, "week_of"),
                  ({"note": "x", "week_of": "monday"}, "week_of")],
                 lambda case: record(case).listing.progress.count() == 1),
    "delist": ("closed_listed", "supervisor", "dispatcher", {"acceptance": "经县应急局组织专家验收合格"},
               [({"acceptance": ""}, "acceptance"), ({}, "acceptance"), ({"acceptance": "x" * 3001}, "acceptance")],
               lambda case: record(case).listing.status == "delisted"),
}
# Who may not see a hazard in 葛城 owned by a county department: another township's staff, the
# 葛城 township office's handler, nobody.
OUTSIDERS = ("township_dispatcher", "other_handler", "handler", "nobody")


def filled(body, hazards):
    """The body with its placeholders filled: the tower's id, days relative to today."""
    def value(v):
        if v == "TOWER":
            return hazards.tower.pk
        if isinstance(v, str) and re.fullmatch(r"[+-]\d+", v):
            return day(int(v))
        return v
    return {k: value(v) for k, v in body.items()}


@pytest.fixture
def prepared(people, hazards):
    def make(action):
        case = hazard_in(people, hazards, ACTIONS[action][0])
        return case, f"/api/v1/hazards/{case.pk}/{action}"
    return make


@pytest.mark.parametrize("method,path", [(m.upper(), p) for p, ms in openapi_schema()["paths"].items()
                                         if p.startswith("/api/v1/hazards") for m in ms])
def test_it_requires_a_token_on_every_hazard_endpoint(method, path, people, hazards):
    case = hazard_in(people, hazards, "found")
    before = fingerprint(case)
    response = Client().generic(method, re.sub(r"\{[^}]+\}", str(case.pk), path), "{}",
                                content_type="application/json")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert fingerprint(case) == before


@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_works_for_its_role_and_answers_the_hazard(action, people, hazards, prepared):
    case, url = prepared(action)
    _state, allowed, _refused, good, _bad, changed = ACTIONS[action]
    events = CaseEvent.objects.filter(case=case).count()
    response = post(client(user(people, hazards, allowed)), url, filled(good, hazards))
    assert response.status_code == 200, response.content
    assert changed(case)
    assert CaseEvent.objects.filter(case=case).count() > events
    body = response.json()
    assert body["id"] == case.pk and body["hazard"]["stage"] == record(case).stage


@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_is_refused_to_another_role_in_scope_with_403(action, people, hazards, prepared):
    case, url = prepared(action)
    _state, _allowed, refused, good, *_rest = ACTIONS[action]
    before = fingerprint(case)
    refuser = client(user(people, hazards, refused))
    assert refuser.get(f"/api/v1/hazards/{case.pk}").status_code == 200
    response = post(refuser, url, filled(good, hazards))
    assert response.status_code == 403 and response.json()["detail"]
    assert fingerprint(case) == before


@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_hides_a_hazard_out_of_sight_with_404(action, people, hazards, prepared):
    case, url = prepared(action)
    good = filled(ACTIONS[action][3], hazards)
    before = fingerprint(case)
    other_department = hazards.emergency_handler if record_site(case) != hazards.quarry.pk else \
        hazards.housing_handler
    for outsider in [*(getattr(people, who) for who in OUTSIDERS), other_department]:
        response = post(client(outsider), url, good)
        assert response.status_code == 404 and response.json()["detail"] == "未找到。"
    for missing in ("999999", "99999999999999999999"):
        assert post(client(people.supervisor), url.replace(str(case.pk), missing), good).status_code == 404
    assert fingerprint(case) == before


def record_site(case):
    found_record = Hazard.objects.filter(case=case).first()
    return found_record.site_id if found_record else None


@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_names_the_bad_field_and_writes_nothing(action, people, hazards, prepared):
    case, url = prepared(action)
    _state, allowed, _refused, _good, bad, _changed = ACTIONS[action]
    allowed = client(user(people, hazards, allowed))
    before = fingerprint(case)
    for body, field in bad:
        response = post(allowed, url, filled(body, hazards))
        assert response.status_code == 422, (body, response.content)
        assert errors(response)[0] == field, (body, response.json())
        assert response.json()["errors"][0]["message"]
    malformed = post(allowed, url, '{"note": ')
    assert malformed.status_code == 400 and errors(malformed) == ["body"]
    if action != "rectified":
        # (A body of optional fields only, as the core's notes, reads a list as empty.)
        assert post(allowed, url, "[1, 2]").status_code == 422
    assert fingerprint(case) == before


@pytest.mark.parametrize("action,state,who,field", [
    ("order", "rectifying", "housing_handler", None),
    ("order", "major_found", "emergency_handler", "work_stopped_on"),
    ("rectified", "found", "housing_handler", None),
    ("rectified", "major_stopped", "emergency_handler", None),
    ("reinspect", "found", "housing_handler", None),
    ("work-stopped", "found", "housing_handler", "level"),
    ("plan", "rectifying", "housing_handler", "level"),
    ("list", "found", "supervisor", "level"),
    ("list", "listed", "supervisor", None),
    ("progress", "major_rectifying", "supervisor", None),
    ("delist", "listed", "supervisor", None),
    ("link-site", "found", "dispatcher", "site"),
    ("reinspect", "reported", "supervisor", "site"),
])
def test_an_action_in_the_wrong_state_is_409(action, state, who, field, people, hazards):
    case = hazard_in(people, hazards, state)
    before = fingerprint(case)
    response = post(client(user(people, hazards, who)), f"/api/v1/hazards/{case.pk}/{action}",
                    filled(ACTIONS[action][3], hazards))
    assert response.status_code == 409, response.content
    assert response.json()["detail"] and (field is None or errors(response) == [field])
    assert fingerprint(case) == before


def test_a_case_of_another_kind_is_not_a_hazard(people, hazards, new_case):
    complaint = new_case()
    supervisor = client(people.supervisor)
    assert supervisor.get(f"/api/v1/hazards/{complaint.pk}").status_code == 404
    assert post(supervisor, f"/api/v1/hazards/{complaint.pk}/list", {"owner": "yjj", "due_on": day(9)}
                ).status_code == 404
    assert post(client(people.dispatcher), f"/api/v1/hazards/{complaint.pk}/link-site",
                {"site": hazards.tower.pk}).status_code == 404
    assert not Hazard.objects.exists()


# ---------------------------------------------------------------------------- the detail


def test_the_detail_gives_the_record_rounds_plan_listing_and_the_actions_allowed_now(people, hazards):
    case = hazard_in(people, hazards, "closed_listed")
    services.record_progress(hazards.emergency_handler, case, note="已完成削坡方案设计")
    supervisor = client(people.supervisor)
    response = supervisor.get(f"/api/v1/hazards/{case.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["status"], body["office"]) == ("hazard", "resolved", "yjj")
    record_ = body["hazard"]
    assert (record_["level"], record_["stage"], record_["listed"], record_["plan_received"]) == (
        "major", "closed", True, True)
    assert record_["site"]["id"] == hazards.quarry.pk and record_["work_stopped_on"] == today().isoformat()
    [round_] = body["rounds"]
    assert (round_["number"], round_["result"], round_["measures"], round_["on_time"]) == (
        1, "passed", "削坡减载", True)
    assert round_["order_number"].endswith("号") and round_["evidence"] == "边坡稳定，截排水沟完工"
    assert record_["current_round"] == round_
    assert body["plan"]["safety"] == PLAN["safety"]
    listing = body["listing"]
    assert (listing["owner"], listing["status"], listing["due_on"]) == ("yjj", "listed", day(60))
    assert [p["note"] for p in listing["progress"]] == ["已完成削坡方案设计"]
    assert body["contact"] == {"hidden": False, "name": mask_name("陈国强"), "phone": mask_phone("13600002222")}
    assert "13600002222" not in response.content.decode() and "陈国强" not in response.content.decode()
    assert body["actions"] == ["delist", "progress"]
    assert [e["action"] for e in body["timeline"]][-3:] == ["hazard_reinspection_passed", "resolve", "hazard_progress"]
    assert "resolve" not in body["case_actions"]


@pytest.mark.parametrize("state,who,actions", [
    ("reported", "dispatcher", ["link_site"]),
    ("reported", "supervisor", []),
    ("found", "housing_handler", ["order"]),
    ("found", "supervisor", []),
    ("major_found", "emergency_handler", ["work_stopped", "plan", "incident"]),
    ("major_found", "supervisor", ["list", "incident"]),
    ("major_stopped", "emergency_handler", ["order", "work_stopped", "plan", "incident"]),
    ("rectifying", "housing_handler", ["rectified", "reinspect"]),
    ("rectifying", "supervisor", ["reinspect"]),
    ("reinspection", "gridworker", []),
    ("listed", "emergency_handler", ["work_stopped", "plan", "rectified", "reinspect", "progress", "incident"]),
    ("listed", "supervisor", ["reinspect", "progress", "incident"]),
])
def test_the_detail_offers_exactly_the_actions_allowed_now(state, who, actions, people, hazards):
    case = hazard_in(people, hazards, state)
    assert client(user(people, hazards, who)).get(f"/api/v1/hazards/{case.pk}").json()["actions"] == actions


def test_a_reported_hazard_shows_the_default_record_until_linked_without_writing_one(people, hazards):
    case = reported(people)
    body = client(people.dispatcher).get(f"/api/v1/hazards/{case.pk}").json()
    assert body["hazard"]["site"] is None and body["hazard"]["stage"] == "found" and body["rounds"] == []
    assert body["contact"]["name"] == "" and not Hazard.objects.exists()
    # Once linked, the site's responsible person is hidden in the case's words too.
    linked = post(client(people.dispatcher), f"/api/v1/hazards/{case.pk}/link-site",
                  {"site": hazards.tower.pk, "level": "major"}).json()
    assert linked["hazard"]["site"]["id"] == hazards.tower.pk and linked["hazard"]["level"] == "major"
    assert "刘德胜" not in linked["text"] and "刘德胜" not in linked["hazard"]["description"]
    assert linked["contact"]["name"] == "刘**"


def test_the_responsible_person_is_hidden_from_whom_the_cases_people_are_hidden(people, hazards):
    case, _created = case_services.create_case(people.dispatcher, case_services.NewCase(
        kind="hazard", category_code="hazard.building", text="滨河花园3号楼外墙空鼓", lat=31.905, lng=108.605,
        reporter_name="张三", reporter_phone="13800001234", confidential=True))
    services.link_site(people.dispatcher, case, site_id=hazards.tower.pk, level="general")
    # The centre owns the confidential case: its staff do not learn who is on it; the county's
    # leader, who is not of the centre, does.
    for who in (people.dispatcher, people.supervisor):
        hidden = client(who).get(f"/api/v1/hazards/{case.pk}").json()
        assert hidden["contact"] == {"hidden": True, "name": "", "phone": ""}
    shown = client(people.leader).get(f"/api/v1/hazards/{case.pk}").json()
    assert shown["contact"] == {"hidden": False, "name": "刘**", "phone": "137****1111"}


def test_a_hazard_out_of_sight_is_404_and_so_is_a_missing_one(people, hazards):
    case = hazard_in(people, hazards, "found")
    for who in (*OUTSIDERS, "emergency_handler"):
        response = client(user(people, hazards, who)).get(f"/api/v1/hazards/{case.pk}")
        assert response.status_code == 404 and response.json()["detail"] == "未找到。"
    for missing in ("999999", "99999999999999999999"):
        assert client(people.supervisor).get(f"/api/v1/hazards/{missing}").status_code == 404
    for who in ("gridworker", "leader", "housing_handler", "dispatcher"):
        assert client(user(people, hazards, who)).get(f"/api/v1/hazards/{case.pk}").status_code == 200


# ---------------------------------------------------------------------------- the list


def test_the_list_filters_and_pages_with_a_cursor(people, hazards):
    h = hazards
    late = found(people, h, now=timezone.now() - timedelta(days=10))
    rectifying = hazard_in(people, h, "rectifying")
    far = found(people, h, site=h.far_tower)
    listed = hazard_in(people, h, "listed")
    closed = hazard_in(people, h, "reinspection")
    services.reinspect(h.housing_handler, closed, passed=True, evidence="已清理")
    incoming = reported(people)
    everything = [late, rectifying, far, listed, closed, incoming]
    supervisor = client(people.supervisor)

    def ids(query=""):
        response = supervisor.get(f"/api/v1/hazards?{query}")
        assert response.status_code == 200, response.content
        return [c["id"] for c in response.json()["items"]]

    seen, page = [], supervisor.get("/api/v1/hazards?limit=4").json()
    seen += [c["id"] for c in page["items"]]
    while page["next_cursor"]:
        page = supervisor.get(f"/api/v1/hazards?limit=4&cursor={page['next_cursor']}").json()
        seen += [c["id"] for c in page["items"]]
    assert seen == ids() == sorted([c.pk for c in everything], reverse=True)
    assert ids("stage=found") == [incoming.pk, far.pk, late.pk]
    assert ids("stage=rectifying") == [listed.pk, rectifying.pk]
    assert ids("stage=closed") == [closed.pk]
    assert ids("level=major") == [listed.pk]
    assert ids("level=general") == [incoming.pk, closed.pk, far.pk, rectifying.pk, late.pk]
    assert ids("township=500229002") == [far.pk]
    assert ids("kind=mine") == [listed.pk]
    assert ids("kind=building") == [closed.pk, far.pk, rectifying.pk, late.pk]
    assert ids("department=yjj") == [listed.pk]
    assert ids("department=centre") == [incoming.pk]
    assert ids("listed=true") == [listed.pk]
    assert listed.pk not in ids("listed=false") and len(ids("listed=false")) == 5
    assert ids("overdue=true") == [late.pk]
    assert late.pk not in ids("overdue=false") and len(ids("overdue=false")) == 5
    assert ids(f"site={h.far_tower.pk}") == [far.pk]
    assert ids("q=边坡") == [listed.pk] and ids("q=太和") == [far.pk]
    assert ids(f"q={incoming.tracking_code}") == [incoming.pk]
    assert ids("stage=found&level=general&township=500229001") == [incoming.pk, late.pk]
    items = {c["id"]: c for c in supervisor.get("/api/v1/hazards").json()["items"]}
    item = items[rectifying.pk]
    assert (item["tracking_code"], item["status"], item["overdue"]) == (rectifying.tracking_code, "in_progress",
                                                                         False)
    assert item["due_at"] and item["deadline_estimated"] in (True, False)
    assert (item["hazard"]["site"]["name"], item["hazard"]["level"], item["hazard"]["stage"]) == (
        "滨河花园3号楼", "general", "rectifying")
    assert item["hazard"]["current_round"]["number"] == 1
    assert item["hazard"]["current_round"]["due_at"].startswith(day(7))
    assert items[listed.pk]["hazard"]["listed"] is True and items[late.pk]["overdue"] is True
    assert items[incoming.pk]["hazard"]["site"] is None and items[incoming.pk]["hazard"]["current_round"] is None


def test_the_list_shows_each_user_only_the_hazards_they_may_see(people, hazards):
    tower = found(people, hazards)
    quarry = found(people, hazards, major=True)
    far = found(people, hazards, site=hazards.far_tower)
    seen = {who: [c["id"] for c in client(user(people, hazards, who)).get("/api/v1/hazards").json()["items"]]
            for who in ("housing_handler", "emergency_handler", "gridworker", "township_dispatcher", "handler",
                        "nobody")}
    assert seen == {"housing_handler": [far.pk, tower.pk], "emergency_handler": [quarry.pk],
                    "gridworker": [quarry.pk, tower.pk], "township_dispatcher": [far.pk], "handler": [],
                    "nobody": []}


@pytest.mark.parametrize("query,field", [
    ("stage=lost", "stage"), ("level=huge", "level"), ("listed=maybe", "listed"), ("overdue=soon", "overdue"),
    ("site=0", "site"), ("site=x", "site"), ("cursor=0", "cursor"), ("cursor=x", "cursor"), ("limit=0", "limit"),
    ("limit=201", "limit"), ("township=999", "township"), ("kind=nope", "kind"), ("department=nope", "department"),
    ("q=" + "x" * 101, "q"),
])
def test_bad_list_parameters_name_the_field(people, hazards, query, field):
    response = client(people.supervisor).get(f"/api/v1/hazards?{query}")
    assert response.status_code == 422, response.content
    assert errors(response)[0] == field


# ---------------------------------------------------------------------------- whole loops


def test_a_reported_hazard_is_linked_dispatched_ordered_failed_once_and_closed(people, hazards):
    dispatcher, housing = client(people.dispatcher), client(hazards.housing_handler)
    created = post(dispatcher, "/api/v1/cases", {"kind": "hazard", "category": "hazard.building",
                                                 "text": "滨河花园3号楼外墙瓷砖脱落", "lat": 31.905, "lng": 108.605})
    url = f"/api/v1/hazards/{created.json()['id']}"
    assert post(dispatcher, f"{url}/link-site", {"site": hazards.tower.pk}).status_code == 200
    assert post(dispatcher, f"/api/v1/cases/{created.json()['id']}/accept", {}).status_code == 200
    assert post(dispatcher, f"/api/v1/cases/{created.json()['id']}/dispatch", {}).json()["office"] == "zjj"
    ordered = post(housing, f"{url}/order", {"measures": "设置警戒区，清除空鼓瓷砖", "due_on": day(5)}).json()
    assert (ordered["status"], ordered["hazard"]["stage"]) == ("in_progress", "rectifying")
    assert post(housing, f"{url}/rectified", {}).json()["hazard"]["stage"] == "reinspection"
    failed = post(client(people.supervisor), f"{url}/reinspect", {
        "passed": False, "evidence": "仍有空鼓", "new_due_on": day(12), "measures": "全面排查外墙"}).json()
    assert [(r["number"], r["result"]) for r in failed["rounds"]] == [(1, "failed"), (2, "")]
    assert failed["hazard"]["stage"] == "rectifying" and failed["due_at"].startswith(day(12))
    assert post(housing, f"{url}/rectified", {"note": "已全面整改"}).status_code == 200
    closed = post(housing, f"{url}/reinspect", {"passed": True, "evidence": "外墙完好（附照片）"}).json()
    assert (closed["status"], closed["hazard"]["stage"]) == ("resolved", "closed")
    assert "销号" in closed["reply"] or "closed" in closed["reply"]
    assert closed["actions"] == []
