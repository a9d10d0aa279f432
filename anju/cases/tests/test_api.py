"""The JSON API: tokens, every endpoint's permission (401/403/404) and bad input (4xx that
names the field), idempotent create, filters and cursor pagination."""

import json
import re

import pytest
from django.test import Client

from anju.cases.models import Case, CaseEvent, ExtensionRequest
from anju.cases.tests.test_lifecycle import to_status
from anju.conftest import openapi_schema
from anju.people.models import ApiToken

NEW = {"kind": "complaint", "category": "urban.light", "text": "滨河路路灯不亮", "lat": 31.905, "lng": 108.605,
       "reporter_name": "张三", "reporter_phone": "13800001234"}


def post(client, url, body=None, **headers):
    return client.post(url, json.dumps(body if body is not None else {}), content_type="application/json", **headers)


def all_operations():
    schema = openapi_schema()
    for path, methods in schema["paths"].items():
        for method in methods:
            yield method.upper(), path


def test_it_issues_a_token_for_a_good_password(people):
    response = post(Client(), "/api/v1/auth/token", {"username": "dispatcher", "password": "pw"})
    assert response.status_code == 201
    token = response.json()["token"]
    me = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/me")
    assert me.status_code == 200 and me.json()["username"] == "dispatcher"
    assert ApiToken.objects.get().key_hash != token  # only the hash is stored


def test_it_refuses_a_wrong_password_in_chinese_by_default_and_in_english_on_request(people):
    response = post(Client(), "/api/v1/auth/token", {"username": "dispatcher", "password": "nope"})
    assert response.status_code == 401 and response.json()["detail"] == "用户名或密码错误。"
    english = post(Client(), "/api/v1/auth/token", {"username": "dispatcher", "password": "nope"},
                   HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "Wrong username or password."


def test_it_names_the_missing_field(people):
    response = post(Client(), "/api/v1/auth/token", {"username": "dispatcher"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "password", "message": "此项为必填项"}]


@pytest.mark.parametrize("method,path", [op for op in all_operations() if op[1] != "/api/v1/auth/token"])
def test_every_endpoint_requires_a_token(method, path, people):
    url = re.sub(r"\{[^}]+\}", "1", path)
    client = Client(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = client.generic(method, url, "{}", content_type="application/json")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_a_revoked_token_stops_working(api, people):
    client = api("dispatcher")
    assert client.get("/api/v1/me").status_code == 200
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert client.get("/api/v1/me").status_code == 401


def test_it_creates_a_case_with_the_promised_fields(api):
    response = post(api("dispatcher"), "/api/v1/cases", NEW)
    assert response.status_code == 201
    body = response.json()
    for key in ["id", "tracking_code", "status", "kind", "category", "region_code", "grid_code", "office",
                "accept_due_at", "handle_due_at", "reply_due_at", "overdue"]:
        assert key in body
    assert body["status"] == "submitted" and body["grid_code"] == "500229001001001"
    assert body["reporter"] == {"anonymous": False, "hidden": False, "name": "张*", "phone": "138****1234"}
    assert "13800001234" not in response.content.decode()


def test_an_idempotency_key_makes_a_retry_return_the_same_case(api):
    client = api("dispatcher")
    first = post(client, "/api/v1/cases", NEW, HTTP_IDEMPOTENCY_KEY="abc-123")
    again = post(client, "/api/v1/cases", NEW, HTTP_IDEMPOTENCY_KEY="abc-123")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Case.objects.count() == 1
    other = post(client, "/api/v1/cases", {**NEW, "text": "别的事"}, HTTP_IDEMPOTENCY_KEY="abc-123")
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Case.objects.count() == 1
    # Without a key, a second POST is a second case.
    post(client, "/api/v1/cases", NEW)
    assert Case.objects.count() == 2


@pytest.mark.parametrize("change,field", [
    ({"text": ""}, "text"),
    ({"text": "x" * 5001}, "text"),
    ({"kind": "gossip"}, "kind"),
    ({"category": "nope"}, "category"),
    ({"lat": 91}, "lat"),
    ({"lat": "north"}, "lat"),
    ({"lat": None, "lng": None}, "lat"),
    ({"lat": 10.0, "lng": 10.0}, "lat"),
    ({"region_code": "999"}, "region_code"),
    ({"region_code": "500229002"}, "region_code"),
    ({"reporter_phone": "call me"}, "reporter_phone"),
    ({"reporter_email": "not-an-address"}, "reporter_email"),
    ({"text": "bad\x00byte"}, "text"),
    ({"about_office": "nope"}, "about_office"),
    ({"priority": "whenever"}, "priority"),
])
def test_bad_input_on_create_names_the_field_and_writes_nothing(api, change, field):
    response = post(api("dispatcher"), "/api/v1/cases", {**NEW, **change})
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert Case.objects.count() == 0


@pytest.mark.parametrize("language,reason", [("zh-hans", "请求体不是有效的 JSON"),
                                             ("en", "the request body is not valid JSON")], ids=["zh", "en"])
@pytest.mark.parametrize("body", ["{not json", b"\xff\xfe{", '{"kind": "complaint",'],
                         ids=["garbled", "not-utf8", "cut-short"])
def test_a_body_that_is_not_json_is_a_400_naming_the_body_in_the_language_asked_for(api, language, reason, body):
    response = api("dispatcher").post("/api/v1/cases", body, content_type="application/json",
                                      HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "body", "message": reason}]
    assert reason in response.json()["detail"]
    assert Case.objects.count() == 0


def test_a_handler_cannot_create(api):
    assert post(api("handler"), "/api/v1/cases", NEW).status_code == 403


def test_an_out_of_scope_case_is_404_and_so_is_a_missing_one(api, new_case):
    case = new_case()
    assert api("other_handler").get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert api("dispatcher").get("/api/v1/cases/999999").status_code == 404
    assert api("dispatcher").get("/api/v1/cases/99999999999999999999").status_code == 404
    assert api("dispatcher").get(f"/api/v1/cases/{case.pk}").status_code == 200


def test_the_detail_lists_the_timeline_and_the_actions_allowed_now(api, new_case):
    case = new_case()
    body = api("dispatcher").get(f"/api/v1/cases/{case.pk}").json()
    assert [e["action"] for e in body["timeline"]] == ["submit"]
    assert set(body["actions"]) == {"accept", "reject", "merge"}
    assert body["can_reveal_reporter"] is True


def test_the_list_filters_and_pages_with_a_cursor(api, new_case, people):
    made = [new_case() for _ in range(5)]
    fuxing = new_case(lat=31.955, lng=108.705, category_code="env.noise", text="广场舞音响声音太大")
    client = api("dispatcher")
    page = client.get("/api/v1/cases?limit=2").json()
    seen = [c["id"] for c in page["items"]]
    while page["next_cursor"]:
        page = client.get(f"/api/v1/cases?limit=2&cursor={page['next_cursor']}").json()
        seen += [c["id"] for c in page["items"]]
    assert seen == sorted([c.pk for c in [*made, fuxing]], reverse=True)
    assert [c["id"] for c in client.get("/api/v1/cases?region=500229002").json()["items"]] == [fuxing.pk]
    assert [c["id"] for c in client.get("/api/v1/cases?category=env").json()["items"]] == []
    assert len(client.get("/api/v1/cases?category=urban.light").json()["items"]) == 5
    to_status(made[0], "accepted", people)
    accepted = client.get("/api/v1/cases?status=accepted").json()["items"]
    assert [c["id"] for c in accepted] == [made[0].pk]
    assert [c["id"] for c in client.get("/api/v1/cases?q=广场舞").json()["items"]] == [fuxing.pk]
    assert client.get("/api/v1/cases?overdue=true").json()["items"] == []


@pytest.mark.parametrize("query,field", [
    ("limit=0", "limit"), ("limit=500", "limit"), ("status=lost", "status"), ("cursor=%%%", "cursor"),
    ("due_before=yesterday", "due_before"), ("overdue=perhaps", "overdue"), ("order=random", "order"),
    # A year no deadline can carry, and a moment without its time zone.
    ("due_before=0401-11-05T05%3A34%3A07%2B21%3A59", "due_before"),
    ("due_before=2026-11-05T09%3A00%3A00", "due_before"),
])
def test_bad_list_parameters_name_the_field(api, query, field):
    response = api("dispatcher").get(f"/api/v1/cases?{query}")
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_a_handler_lists_only_their_office(api, new_case, people):
    case = to_status(new_case(), "dispatched", people)
    new_case(lat=31.955, lng=108.705)
    assert [c["id"] for c in api("handler").get("/api/v1/cases").json()["items"]] == [case.pk]
    assert [c["id"] for c in api("handler").get("/api/v1/cases/inbox").json()] == [case.pk]
    assert api("other_handler").get("/api/v1/cases").json()["items"] == []


# endpoint → (status to prepare, persona allowed, persona refused in scope, good body, bad body and field)
TRANSITIONS = {
    "accept": ("submitted", "dispatcher", "supervisor", {}, ({"note": 5}, "note")),
    "reject": ("submitted", "dispatcher", "supervisor", {"reply": "不属于受理范围"}, ({}, "reply")),
    "dispatch": ("accepted", "dispatcher", "leader", {}, ({"office": "nope"}, "office")),
    "return": ("dispatched", "handler", "dispatcher", {"reason": "非本单位"}, ({"reason": ""}, "reason")),
    "transfer": ("in_progress", "dispatcher", "handler", {"office": "jtj"}, ({}, "office")),
    "start": ("dispatched", "handler", "dispatcher", {}, ({"note": ["x"]}, "note")),
    "wait": ("in_progress", "handler", "supervisor", {"question": "请补充"}, ({"question": ""}, "question")),
    "resume": ("waiting", "handler", "leader", {}, ({"note": {}}, "note")),
    "resolve": ("in_progress", "handler", "dispatcher", {"reply": "已修复"}, ({"reply": ""}, "reply")),
    "follow-up": ("resolved", "dispatcher", "handler", {"satisfaction": 4}, ({"satisfaction": 9}, "satisfaction")),
    "reopen": ("resolved", "supervisor", "handler", {"reason": "没修好"}, ({}, "reason")),
    "supervise": ("in_progress", "leader", "handler", {"level": 2, "note": "加快"}, ({"level": 7, "note": "x"},
                                                                                    "level")),
    "extensions": ("in_progress", "handler", "dispatcher", {"amount": 3, "unit": "working_days", "reason": "协调"},
                   ({"amount": 0, "reason": "x"}, "amount")),
}
GOOD_STATUS = {"supervise": 201, "extensions": 201}


@pytest.fixture
def prepared(new_case, people):
    def make(status):
        return to_status(new_case(), status, people)
    return make


@pytest.mark.parametrize("endpoint", list(TRANSITIONS))
def test_each_transition_endpoint_works_for_its_role(endpoint, api, prepared):
    status, allowed, _refused, good, _bad = TRANSITIONS[endpoint]
    case = prepared(status)
    response = post(api(allowed), f"/api/v1/cases/{case.pk}/{endpoint}", good)
    assert response.status_code == GOOD_STATUS.get(endpoint, 200), response.content


@pytest.mark.parametrize("endpoint", list(TRANSITIONS))
def test_each_transition_endpoint_refuses_other_roles_with_403(endpoint, api, prepared):
    status, _allowed, refused, good, _bad = TRANSITIONS[endpoint]
    case = prepared(status)
    events = CaseEvent.objects.filter(case=case).count()
    response = post(api(refused), f"/api/v1/cases/{case.pk}/{endpoint}", good)
    assert response.status_code == 403 and response.json()["detail"]
    assert CaseEvent.objects.filter(case=case).count() == events


@pytest.mark.parametrize("endpoint", list(TRANSITIONS))
def test_each_transition_endpoint_hides_out_of_scope_cases_with_404(endpoint, api, prepared):
    status, _allowed, _refused, good, _bad = TRANSITIONS[endpoint]
    case = prepared(status)
    assert post(api("other_handler"), f"/api/v1/cases/{case.pk}/{endpoint}", good).status_code == 404
    assert post(api("nobody"), f"/api/v1/cases/{case.pk}/{endpoint}", good).status_code == 404


@pytest.mark.parametrize("endpoint", list(TRANSITIONS))
def test_each_transition_endpoint_names_the_bad_field(endpoint, api, prepared):
    status, allowed, _refused, _good, (bad, field) = TRANSITIONS[endpoint]
    case = prepared(status)
    response = post(api(allowed), f"/api/v1/cases/{case.pk}/{endpoint}", bad)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert Case.objects.get(pk=case.pk).status == status


@pytest.mark.parametrize("endpoint", ["accept", "start", "resolve"])
def test_a_transition_from_the_wrong_status_is_409(endpoint, api, prepared):
    case = prepared("closed")
    allowed, good = TRANSITIONS[endpoint][1], TRANSITIONS[endpoint][3]
    response = post(api(allowed), f"/api/v1/cases/{case.pk}/{endpoint}", good)
    assert response.status_code == 409 and response.json()["detail"]


def test_merge_endpoint(api, new_case):
    first, second = new_case(), new_case()
    client = api("dispatcher")
    assert post(client, f"/api/v1/cases/{second.pk}/merge", {"into": 999999}).json()["errors"][0]["field"] == "into"
    assert post(client, f"/api/v1/cases/{second.pk}/merge", {"into": "x"}).status_code == 422
    assert post(api("handler"), f"/api/v1/cases/{second.pk}/merge", {"into": first.pk}).status_code == 404
    response = post(client, f"/api/v1/cases/{second.pk}/merge", {"into": first.pk})
    assert response.status_code == 200 and response.json()["status"] == "merged"


def test_extension_decision_endpoints(api, prepared, people):
    case = prepared("in_progress")
    post(api("handler"), f"/api/v1/cases/{case.pk}/extensions", {"amount": 2, "reason": "协调"})
    request = ExtensionRequest.objects.get()
    url = f"/api/v1/cases/{case.pk}/extensions/{request.pk}"
    assert post(api("handler"), f"{url}/approve", {}).status_code == 403
    assert post(api("supervisor"), f"/api/v1/cases/{case.pk}/extensions/999/approve", {}).status_code == 404
    assert post(api("supervisor"), f"{url}/deny", {}).json()["errors"][0]["field"] == "note"
    response = post(api("supervisor"), f"{url}/approve", {"note": "同意"})
    assert response.status_code == 200
    assert response.json()["extension_requests"][0]["status"] == "approved"
    assert post(api("supervisor"), f"{url}/approve", {}).status_code == 409


def test_reveal_endpoint_is_logged_and_scoped(api, new_case):
    case = new_case()
    assert post(api("leader"), f"/api/v1/cases/{case.pk}/reporter", {}).status_code == 403
    response = post(api("dispatcher"), f"/api/v1/cases/{case.pk}/reporter", {"reason": "回访"})
    assert response.json()["phone"] == "13800001234"
    assert post(api("other_handler"), f"/api/v1/cases/{case.pk}/reporter", {}).status_code == 404
    assert post(api("dispatcher"), f"/api/v1/cases/{case.pk}/reporter", {"reason": 5}).status_code == 422


def test_route_and_duplicates_endpoints(api, new_case):
    first, second = new_case(), new_case()
    client = api("dispatcher")
    assert client.get(f"/api/v1/cases/{first.pk}/route").json() == {
        "office": "gc", "office_name": "葛城街道办事处", "basis": "territorial"}
    assert [c["id"] for c in client.get(f"/api/v1/cases/{first.pk}/duplicates").json()] == [second.pk]
    assert api("other_handler").get(f"/api/v1/cases/{first.pk}/duplicates").status_code == 404


def test_supervision_lists(api, new_case, people):
    from anju.conftest import at

    late = new_case(now=at(2025, 1, 6, 9))
    new_case()
    client = api("supervisor")
    assert [c["id"] for c in client.get("/api/v1/cases/overdue").json()] == [late.pk]
    assert client.get("/api/v1/cases/overdue?region=500229002").json() == []
    assert client.get("/api/v1/cases/overdue").json()[0]["overdue"] is True
    assert client.get("/api/v1/cases/due-soon?within_hours=0").status_code == 422
    assert len(client.get("/api/v1/cases/due-soon?within_hours=720").json()) == 1
    assert api("other_handler").get("/api/v1/cases/overdue").json() == []


def test_regions_endpoints(api, county):
    client = api("dispatcher")
    assert [r["code"] for r in client.get("/api/v1/regions").json()] == ["500229"]
    assert [r["code"] for r in client.get("/api/v1/regions?parent=500229").json()] == ["500229001", "500229002"]
    assert client.get("/api/v1/regions?parent=123").status_code == 404
    assert client.get("/api/v1/regions/locate?lat=31.905&lng=108.605").json()["code"] == "500229001001001"
    assert client.get("/api/v1/regions/locate?lat=1&lng=1").status_code == 404
    assert client.get("/api/v1/regions/locate?lat=100&lng=1").status_code == 422
    assert client.get("/api/v1/regions/500229001").json()["path"] == ["500229", "500229001"]


def test_directory_endpoints(api, county):
    client = api("handler")
    assert "gc" in [o["code"] for o in client.get("/api/v1/offices").json()]
    assert "urban.road" in [c["code"] for c in client.get("/api/v1/categories").json()]


@pytest.mark.parametrize("url", ["/api/v1/cases/abc", "/api/v1/cases/1/nothing", "/api/v1/nowhere"])
def test_paths_no_route_matches_answer_in_the_api_error_shape(api, url):
    response = api("dispatcher").get(url)
    assert response.status_code == 404 and response.json()["detail"] == "未找到。"


@pytest.mark.parametrize("url", ["/api/v1/cases/inbox?limit=0", "/api/v1/cases/overdue?limit=x",
                                 "/api/v1/cases/due-soon?limit=501", "/api/v1/regions/locate?lat=31"])
def test_bad_parameters_on_the_read_endpoints_name_the_field(api, url):
    response = api("supervisor").get(url)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] in ("limit", "lng")


def test_an_unknown_attachment_is_404(api, new_case):
    case = new_case()
    assert api("dispatcher").get(f"/api/v1/cases/{case.pk}/attachments/12345").status_code == 404


def test_the_inbox_lists_the_soonest_deadline_first_and_paused_cases_last(api, new_case, people):
    from anju.cases import services as s
    from anju.conftest import at

    later = to_status(new_case(now=at(2026, 11, 20, 9)), "in_progress", people, now=at(2026, 11, 20, 10))
    sooner = to_status(new_case(now=at(2026, 11, 2, 9)), "in_progress", people, now=at(2026, 11, 2, 10))
    paused = to_status(new_case(), "in_progress", people)
    s.wait_for_reporter(people.handler, paused, question="请补充")
    response = api("handler").get("/api/v1/cases/inbox")
    assert [c["id"] for c in response.json()] == [sooner.pk, later.pk, paused.pk]
    assert "葛城街道办事处" in response.content.decode()  # UTF-8, not \\u escapes
