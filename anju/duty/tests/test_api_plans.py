"""The plans API (/api/v1/plans): the library listed with its filters and cursor, a plan
registered once per Idempotency-Key, its detail, correction, versions with their document,
reviews and retirement; every endpoint's permission (401/403/404) and bad input (a 4xx naming
the field in the user's language, nothing written)."""

import io
import json
import re
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from anju.conftest import openapi_schema
from anju.duty.models import ContingencyPlan, PlanReview, PlanVersion
from anju.duty.tests import plans_fixtures
from anju.people.services import issue_token

# The fixtures of this module's tests, where pytest finds them.
clock, world = plans_fixtures.clock, plans_fixtures.world

NEW = {"title": "城口县地质灾害应急预案", "kind": "special", "owner": "yjj",
       "scope": "全县行政区域内地质灾害的监测预警和应急处置", "number": "城府办发〔2026〕3号"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


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


def library():
    """Everything a refused request must leave as it was."""
    return (list(ContingencyPlan.objects.order_by("id").values_list(
        "title", "kind", "owner_id", "scope", "status", "current_version", "next_review_on", "drill_due_on",
        "review_period_months", "drill_period_months")), PlanVersion.objects.count(), PlanReview.objects.count())


@pytest.fixture
def plan(world):
    return world.plan(approved_on=date(2023, 5, 10))


# ---------------------------------------------------------------------------- authentication


@pytest.mark.parametrize("method,path", list(operations("/api/v1/plans")))
def test_it_requires_a_token_on_every_plan_endpoint(method, path, plan):
    before = library()
    url = re.sub(r"\{[^}]+\}", str(plan.pk), path)
    response = send(Client(), method, url, NEW)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"]
    assert library() == before


# ---------------------------------------------------------------------------- reading


def test_every_member_of_staff_reads_the_library_and_nobody_else(plan, people, world):
    for user in (people.dispatcher, people.gridworker, people.other_handler, world.township_supervisor):
        assert [p["id"] for p in client(user).get("/api/v1/plans").json()["items"]] == [plan.pk]
        assert client(user).get(f"/api/v1/plans/{plan.pk}").json()["actions"] == []
    assert client(people.nobody).get("/api/v1/plans").json()["items"] == []
    assert client(people.nobody).get(f"/api/v1/plans/{plan.pk}").status_code == 404
    assert client(people.dispatcher).get("/api/v1/plans/999999").status_code == 404


def test_the_detail_says_what_the_keeper_may_do(plan, world):
    body = client(world.emergency_handler).get(f"/api/v1/plans/{plan.pk}").json()
    assert body["actions"] == ["update", "approve_version", "review", "plan_drill", "retire"]
    assert (body["owner"], body["status"], body["current_version"], body["next_review_on"]) == (
        "yjj", "in_force", 1, "2026-05-10")
    assert body["versions"][0]["approved_by"] == "县人民政府" and body["versions"][0]["file_name"] is None


def test_the_list_filters_and_pages_with_a_cursor(world, people, county):
    made = [world.plan(f"预案{n}", approved_on=date(2024, 1, n + 1)) for n in range(5)]
    draft = world.plan("葛城街道防汛应急预案", kind="grassroots", owner=county.gecheng_office, approved_on=None)
    old = world.plan("城口县突发事件总体应急预案", kind="overall", owner=world.government, approved_on=date(2022, 1, 5))
    reader = client(people.dispatcher)
    seen, page = [], reader.get("/api/v1/plans?limit=3").json()
    while True:
        seen += [p["id"] for p in page["items"]]
        if page["next_cursor"] is None:
            break
        page = reader.get(f"/api/v1/plans?limit=3&cursor={page['next_cursor']}").json()
    assert seen == sorted([p.pk for p in [*made, draft, old]], reverse=True)

    def ids(query):
        response = reader.get(f"/api/v1/plans?{query}")
        assert response.status_code == 200, response.content
        return {p["id"] for p in response.json()["items"]}

    assert ids("owner=gc") == {draft.pk}
    assert ids("kind=overall") == {old.pk}
    assert ids("status=draft") == {draft.pk}
    assert ids("due_review=true") == {old.pk}
    assert ids("not_drilled=true") == {old.pk}
    assert ids("q=总体") == {old.pk}


@pytest.mark.parametrize("query,field", [("owner=nope", "owner"), ("kind=big", "kind"), ("status=x", "status"),
                                         ("limit=0", "limit"), ("cursor=-1", "cursor"), ("due_review=perhaps",
                                                                                          "due_review")])
def test_a_bad_filter_is_refused_naming_it(people, world, query, field):
    response = client(people.dispatcher).get(f"/api/v1/plans?{query}")
    assert response.status_code == 422 and field in fields(response)


# ---------------------------------------------------------------------------- registering


@pytest.mark.parametrize("who", ["admin", "supervisor", "leader", "emergency_handler"])
def test_keepers_register_a_plan_once_per_key(world, people, who):
    user = getattr(world, who, None) or getattr(people, who)
    keeper = client(user, HTTP_IDEMPOTENCY_KEY="k-1")
    first = send(keeper, "POST", "/api/v1/plans", NEW)
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["status"], body["review_period_months"], body["drill_period_months"]) == ("draft", 36, 36)
    again = send(keeper, "POST", "/api/v1/plans", NEW)
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    other = send(keeper, "POST", "/api/v1/plans", {**NEW, "title": "另一个"})
    assert other.status_code == 422 and fields(other) == ["Idempotency-Key"]
    assert ContingencyPlan.objects.count() == 1


@pytest.mark.parametrize("who", ["dispatcher", "gridworker", "handler", "other_handler", "township_supervisor",
                                 "nobody"])
def test_others_may_not_register_a_plan_of_the_bureau(world, people, who):
    user = getattr(world, who, None) or getattr(people, who)
    response = send(client(user), "POST", "/api/v1/plans", NEW)
    assert response.status_code == 403 and response.json()["detail"]
    assert ContingencyPlan.objects.count() == 0


def test_a_township_handler_registers_the_plans_of_the_township_office(people):
    response = send(client(people.handler), "POST", "/api/v1/plans", {**NEW, "owner": "gc", "kind": "grassroots"})
    assert response.status_code == 201 and response.json()["drill_period_months"] == 12


@pytest.mark.parametrize("change,field", [
    ({"title": ""}, "title"), ({"title": "x" * 201}, "title"), ({"kind": "local"}, "kind"),
    ({"owner": "nope"}, "owner"), ({"scope": "   "}, "scope"), ({"review_period_months": 0}, "review_period_months"),
    ({"drill_period_months": 121}, "drill_period_months"), ({"drill_period_months": "soon"}, "drill_period_months"),
    ({"title": "a\x00b"}, "title"), ({"number": 5}, "number"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(world, people, change, field):
    response = send(client(people.admin), "POST", "/api/v1/plans", {**NEW, **change})
    assert response.status_code == 422, response.content
    assert field in fields(response)
    assert ContingencyPlan.objects.count() == 0


def test_errors_are_in_the_users_language(people, world):
    body = {k: v for k, v in NEW.items() if k != "scope"}
    chinese = send(client(people.admin), "POST", "/api/v1/plans", body).json()
    assert chinese["errors"] == [{"field": "scope", "message": "此项为必填项"}]
    english = send(client(people.admin, HTTP_ACCEPT_LANGUAGE="en"), "POST", "/api/v1/plans", body).json()
    assert english["errors"] == [{"field": "scope", "message": "this field is required"}]


def test_a_body_that_is_not_json_is_refused(people, world):
    response = send(client(people.admin), "POST", "/api/v1/plans", "{not json")
    assert response.status_code in (400, 422) and fields(response) == ["body"]


# ---------------------------------------------------------------------------- actions


def post_version(user, plan_id, data=None, upload=None):
    data = {"approved_on": "2026-03-01", "approved_by": "县人民政府", "changes": "调整指挥部成员单位", **(data or {})}
    if upload is not None:
        data["file"] = upload
    return client(user).post(f"/api/v1/plans/{plan_id}/versions", data)


def test_a_new_version_with_its_pdf_or_word_document(plan, world):
    response = post_version(world.emergency_handler, plan.pk,
                            upload=SimpleUploadedFile("预案.pdf", PDF, content_type="application/pdf"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["current_version"], body["next_review_on"]) == (2, "2029-03-01")
    assert body["versions"][0]["file_name"] == "预案.pdf" and body["versions"][0]["file_type"] == "application/pdf"
    response = post_version(world.emergency_handler, plan.pk, {"approved_on": "2026-03-02"},
                            upload=SimpleUploadedFile("预案.docx", docx()))
    assert response.status_code == 201, response.content
    assert response.json()["versions"][0]["file_type"].endswith("wordprocessingml.document")


@pytest.mark.parametrize("data,upload,status,field", [
    ({}, ("photo.png", PNG), 415, "file"),
    ({}, ("fake.docx", b"PK\x03\x04 not a zip"), 415, "file"),
    ({}, ("empty.pdf", b""), 422, "file"),
    ({"approved_on": "2026-03-03"}, None, 422, "approved_on"),
    ({"approved_on": "2023-05-09"}, None, 422, "approved_on"),
    ({"approved_on": "yesterday"}, None, 422, "approved_on"),
    ({"approved_by": ""}, None, 422, "approved_by"),
    ({"changes": ""}, None, 422, "changes"),
])
def test_a_bad_version_is_refused_and_nothing_is_written(plan, world, data, upload, status, field):
    before = library()
    response = post_version(world.emergency_handler, plan.pk, data,
                            SimpleUploadedFile(upload[0], upload[1]) if upload else None)
    assert response.status_code == status, response.content
    assert fields(response) == [field]
    assert library() == before


def test_a_review_and_retirement_through_the_api(plan, world):
    keeper = client(world.emergency_handler)
    response = send(keeper, "POST", f"/api/v1/plans/{plan.pk}/reviews",
                    {"reviewed_on": "2026-03-01", "conclusion": "revise", "note": "职责调整"})
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["next_review_on"]) == ("revising", "2029-03-01")
    response = send(keeper, "POST", f"/api/v1/plans/{plan.pk}/retire", {"reason": "被新预案替代"})
    assert response.status_code == 200 and response.json()["status"] == "retired"
    assert response.json()["actions"] == []
    again = send(keeper, "POST", f"/api/v1/plans/{plan.pk}/retire", {"reason": "again"})
    assert again.status_code == 409 and again.json()["detail"]


def test_correcting_a_plan_moves_its_drill_date(plan, world):
    response = send(client(world.emergency_handler), "PUT", f"/api/v1/plans/{plan.pk}",
                    {**NEW, "drill_period_months": 24})
    assert response.status_code == 200, response.content
    assert (response.json()["drill_due_on"], response.json()["title"]) == ("2025-05-10", NEW["title"])
    moved = send(client(world.emergency_handler), "PUT", f"/api/v1/plans/{plan.pk}", {**NEW, "owner": "gc"})
    assert moved.status_code == 403 and fields(moved) == ["owner"]


WRITES = [
    ("PUT", "", NEW),
    ("POST", "/versions", None),
    ("POST", "/reviews", {"reviewed_on": "2026-03-01", "conclusion": "keep"}),
    ("POST", "/retire", {"reason": "不再适用"}),
]


@pytest.mark.parametrize("method,suffix,body", WRITES)
@pytest.mark.parametrize("who", ["dispatcher", "gridworker", "handler", "other_handler", "township_supervisor"])
def test_readers_may_not_change_a_plan(plan, world, people, method, suffix, body, who):
    user = getattr(world, who, None) or getattr(people, who)
    before = library()
    if suffix == "/versions":
        response = post_version(user, plan.pk)
    else:
        response = send(client(user), method, f"/api/v1/plans/{plan.pk}{suffix}", body)
    assert response.status_code == 403, response.content
    assert library() == before


@pytest.mark.parametrize("method,suffix,body", WRITES)
def test_nobody_learns_whether_a_plan_exists(plan, people, method, suffix, body):
    before = library()
    for plan_id in (plan.pk, 999999):
        if suffix == "/versions":
            response = post_version(people.nobody, plan_id)
        else:
            response = send(client(people.nobody), method, f"/api/v1/plans/{plan_id}{suffix}", body)
        assert response.status_code == 404
    assert library() == before


@pytest.mark.parametrize("suffix,body,field", [
    ("/reviews", {"reviewed_on": "2026-03-01", "conclusion": "maybe"}, "conclusion"),
    ("/reviews", {"reviewed_on": "2026-03-05", "conclusion": "keep"}, "reviewed_on"),
    ("/reviews", {"conclusion": "keep"}, "reviewed_on"),
    ("/reviews", {"reviewed_on": "2026-03-01", "conclusion": "revise"}, "note"),
    ("/retire", {"reason": ""}, "reason"),
    ("/retire", {}, "reason"),
])
def test_bad_actions_are_refused_naming_the_field(plan, world, suffix, body, field):
    before = library()
    response = send(client(world.emergency_handler), "POST", f"/api/v1/plans/{plan.pk}{suffix}", body)
    assert response.status_code == 422, response.content
    assert fields(response) == [field]
    assert library() == before
