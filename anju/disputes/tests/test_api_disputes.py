"""The disputes API (/api/v1/disputes): registering, the detail with masked parties, the list
with its filters and cursor, and every mediation endpoint's permission (401/403/404), bad
input (a 4xx naming the field, nothing written) and wrong state (409)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from anju.cases.models import Case, CaseEvent, PersonalDataAccess
from anju.conftest import openapi_schema
from anju.disputes import services
from anju.disputes.models import (
    Dispute,
    FollowUpVisit,
    MediationAgreement,
    MediationSession,
    MediationTransfer,
    Party,
)
from anju.disputes.tests.conftest import PARTIES, post, put
from anju.disputes.tests.flow import agreement_text, today
from anju.lib.masking import mask_name, mask_phone

NEW = {"category": "dispute.land", "text": "两户因承包地边界发生争执", "lat": 31.905, "lng": 108.605,
       "reporter_name": "张大山", "reporter_phone": "13800001111", "scale": 3, "facts": "界桩移位",
       "risk_level": "medium", "risk_reason": "双方曾发生推搡",
       "parties": [{"role": role, "name": name, "phone": phone, "address": address, "claim": claim}
                   for role, name, phone, address, claim in PARTIES]}


def dispute_operations():
    for path, methods in openapi_schema()["paths"].items():
        if path.startswith("/api/v1/disputes"):
            for method in methods:
                yield method.upper(), path


def errors(response):
    return [e["field"] for e in response.json()["errors"]]


def fingerprint(case):
    """Everything a refused request must leave as it was."""
    dispute = Dispute.objects.filter(case=case).first()
    return (Case.objects.filter(pk=case.pk).values_list("status", "office_id").get(),
            CaseEvent.objects.filter(case=case).count(),
            Dispute.objects.filter(case=case).values_list("scale", "facts", "risk_level", "mediator_id",
                                                          "mediation_type", "outcome").first(),
            list(Party.objects.filter(dispute=dispute).values_list("role", "name", "phone", "consent")),
            list(MediationSession.objects.filter(dispute=dispute).values_list("held_at", "result")),
            list(MediationAgreement.objects.filter(dispute=dispute).values_list("status", "judicial_status", "terms")),
            list(FollowUpVisit.objects.filter(dispute=dispute).values_list("status", "performance")),
            list(MediationTransfer.objects.filter(dispute=dispute).values_list("status", "to_office_id")))


# ---------------------------------------------------------------------------- authentication


@pytest.mark.parametrize("method,path", list(dispute_operations()))
def test_it_requires_a_token_on_every_dispute_endpoint(method, path, people, mediation, dispute_at):
    case = dispute_at("mediating")
    url = re.sub(r"\{[^}]+\}", str(case.pk), path)
    response = Client().generic(method, url, "{}", content_type="application/json")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"]


# ---------------------------------------------------------------------------- registering


def test_it_registers_a_dispute_with_its_record_and_masked_parties(as_user, mediation):
    response = post(as_user("dispatcher"), "/api/v1/disputes", NEW)
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert (body["id"], body["kind"], body["status"], body["category"]) == (case.pk, "dispute", "submitted",
                                                                           "dispute.land")
    assert body["dispute"]["scale"] == 3 and body["dispute"]["risk_level"] == "medium"
    assert body["dispute"]["risk_reason"] == "双方曾发生推搡" and body["dispute"]["outcome"] == ""
    assert [(p["role"], p["name"], p["phone"], p["consent"]) for p in body["parties"]] == [
        (role, mask_name(name), mask_phone(phone), "pending") for role, name, phone, _address, _claim in PARTIES]
    assert body["parties"][0]["name"] != PARTIES[0][1]
    assert "13900002222" not in response.content.decode() and "李小河" not in response.content.decode()
    assert [e["action"] for e in body["timeline"]] == ["submit"]
    assert set(body["case_actions"]) == {"accept", "reject", "merge"}


def test_an_idempotency_key_makes_a_retry_return_the_same_dispute(as_user, mediation):
    client = as_user("dispatcher")
    first = post(client, "/api/v1/disputes", NEW, HTTP_IDEMPOTENCY_KEY="d-1")
    again = post(client, "/api/v1/disputes", NEW, HTTP_IDEMPOTENCY_KEY="d-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Case.objects.count() == 1
    # Other parties under the same key are another request, not a retry.
    other = post(client, "/api/v1/disputes", {**NEW, "parties": NEW["parties"][:1]}, HTTP_IDEMPOTENCY_KEY="d-1")
    assert other.status_code == 422 and errors(other) == ["Idempotency-Key"]
    assert Case.objects.count() == 1 and Party.objects.count() == len(PARTIES)


@pytest.mark.parametrize("change,field", [
    ({"category": "urban.light"}, "category"),
    ({"category": "nope"}, "category"),
    ({"text": ""}, "text"),
    ({"risk_level": "high", "risk_reason": ""}, "risk_reason"),
    ({"risk_level": "extreme"}, "risk_level"),
    ({"scale": 0}, "scale"),
    ({"scale": 100_001}, "scale"),
    ({"lat": 91}, "lat"),
    ({"parties": [{"role": "judge", "name": "王五"}]}, "parties.role"),
    ({"parties": [{"role": "applicant", "name": "  "}]}, "parties.0.name"),
    ({"parties": [{"role": "applicant", "name": "王五", "phone": "call me"}]}, "parties.0.phone"),
    ({"parties": [{"role": "applicant", "name": "王五"}] * 51}, "parties"),
    ({"facts": "x" * 5001}, "facts"),
    ({"text": "bad\x00byte"}, "text"),
])
def test_bad_input_on_register_names_the_field_and_writes_nothing(as_user, mediation, change, field):
    response = post(as_user("dispatcher"), "/api/v1/disputes", {**NEW, **change})
    assert response.status_code == 422, response.content
    assert field in errors(response)
    assert not Case.objects.exists() and not Dispute.objects.exists() and not Party.objects.exists()


def test_it_answers_in_chinese_by_default_and_in_english_on_request(as_user, mediation):
    chinese = post(as_user("dispatcher"), "/api/v1/disputes", {**NEW, "category": "nope"})
    assert chinese.json()["errors"] == [{"field": "category", "message": "分类不存在或已停用。"}]
    english = post(as_user("dispatcher", HTTP_ACCEPT_LANGUAGE="en"), "/api/v1/disputes", {**NEW, "category": "nope"})
    assert english.json()["errors"] == [{"field": "category", "message": "Unknown or inactive category."}]
    missing = {k: v for k, v in NEW.items() if k != "text"}
    assert post(as_user("dispatcher"), "/api/v1/disputes", missing).json()["errors"] == [
        {"field": "text", "message": "此项为必填项"}]
    assert post(as_user("dispatcher", HTTP_ACCEPT_LANGUAGE="en"), "/api/v1/disputes", missing).json()["errors"] == [
        {"field": "text", "message": "this field is required"}]


def test_only_those_who_may_register_cases_register_disputes(as_user, mediation):
    assert post(as_user("mediator"), "/api/v1/disputes", NEW).status_code == 403
    assert post(as_user("nobody"), "/api/v1/disputes", NEW).status_code == 403
    assert not Case.objects.exists()
    # A grid worker registers in the grids of their scope (土城).
    assert post(as_user("gridworker"), "/api/v1/disputes", NEW).status_code == 201


# ---------------------------------------------------------------------------- reading


def test_the_detail_shows_masked_parties_and_the_actions_allowed_now(as_user, dispute_at, mediation):
    case = dispute_at("dispatched")
    response = as_user("mediator").get(f"/api/v1/disputes/{case.pk}")
    assert response.status_code == 200
    body = response.json()
    assert [p["name"] for p in body["parties"]] == [mask_name(p[1]) for p in PARTIES]
    assert all(p["address"].endswith("…") for p in body["parties"])
    assert "13800001111" not in response.content.decode()
    assert body["office"] == mediation.committee.code and body["can_reveal_parties"] is True
    assert set(body["actions"]) == {"update", "add_party", "update_party", "reveal_party", "record_consent",
                                    "assign_mediator", "take_up", "schedule_session", "draft_agreement",
                                    "end_mediation", "propose_transfer"}
    assert {m["username"] for m in body["mediators"]} == {"mediator", "other_mediator"}
    # The supervisor sees it and may name the mediator, but does not mediate.
    supervised = as_user("supervisor").get(f"/api/v1/disputes/{case.pk}").json()
    assert set(supervised["actions"]) == {"reveal_party", "assign_mediator"}
    assert as_user("leader").get(f"/api/v1/disputes/{case.pk}").json()["can_reveal_parties"] is False


def test_the_detail_of_a_signed_agreement_gives_the_judicial_window(as_user, dispute_at):
    case = dispute_at("signed")
    body = as_user("mediator").get(f"/api/v1/disputes/{case.pk}").json()
    agreement = MediationAgreement.objects.get(dispute__case=case)
    [shown] = body["agreements"]
    assert (shown["status"], shown["effective_on"]) == ("effective", today().isoformat())
    assert shown["judicial_window_ends_on"] == (today() + timedelta(days=30)).isoformat()
    assert shown["number"] == agreement.number
    assert body["status"] == "resolved" and body["dispute"]["outcome"] == "agreement"
    assert [v["due_on"] for v in body["visits"]] == [v.due_on.isoformat() for v in
                                                     FollowUpVisit.objects.filter(dispute__case=case)]
    assert {"judicial_application", "record_visit"} <= set(body["actions"])
    assert "sign_agreement" not in body["actions"] and "end_mediation" not in body["actions"]


def test_an_out_of_scope_dispute_is_404_and_so_is_a_missing_one_or_another_kind(as_user, dispute_at, new_case):
    case = dispute_at("dispatched")
    assert as_user("other_handler").get(f"/api/v1/disputes/{case.pk}").status_code == 404
    assert as_user("village_mediator").get(f"/api/v1/disputes/{case.pk}").status_code == 404
    assert as_user("nobody").get(f"/api/v1/disputes/{case.pk}").status_code == 404
    assert as_user("dispatcher").get("/api/v1/disputes/999999").status_code == 404
    assert as_user("dispatcher").get("/api/v1/disputes/99999999999999999999").status_code == 404
    complaint = new_case()
    assert as_user("dispatcher").get(f"/api/v1/disputes/{complaint.pk}").status_code == 404
    assert as_user("dispatcher").get(f"/api/v1/disputes/{case.pk}").status_code == 200


def test_a_dispute_from_the_core_intake_shows_the_default_record_without_writing_one(as_user, new_case, mediation):
    case = new_case(kind="dispute", category_code="dispute.neighbour")
    body = as_user("dispatcher").get(f"/api/v1/disputes/{case.pk}").json()
    assert body["dispute"]["risk_level"] == "low" and body["parties"] == []
    assert not Dispute.objects.exists()
    assert [c["id"] for c in as_user("dispatcher").get("/api/v1/disputes?risk_level=low").json()["items"]] == [case.pk]


# ---------------------------------------------------------------------------- the list


def test_the_list_filters_and_pages_with_a_cursor(as_user, dispute_at, mediation, people):
    submitted = [dispute_at("submitted") for _ in range(3)]
    dispatched = dispute_at("dispatched")
    ended = dispute_at("ended")
    wages = dispute_at("submitted", category_code="dispute.wages")
    services.update_dispute(mediation.mediator, dispatched, scale=5, facts="", risk_level="high", risk_reason="扬言")
    everything = [*submitted, dispatched, ended, wages]
    client = as_user("dispatcher")

    def ids(query):
        response = client.get(f"/api/v1/disputes?{query}")
        assert response.status_code == 200, response.content
        return [c["id"] for c in response.json()["items"]]

    page = client.get("/api/v1/disputes?limit=2").json()
    seen = [c["id"] for c in page["items"]]
    while page["next_cursor"]:
        page = client.get(f"/api/v1/disputes?limit=2&cursor={page['next_cursor']}").json()
        seen += [c["id"] for c in page["items"]]
    assert seen == sorted([c.pk for c in everything], reverse=True)
    assert ids("status=submitted") == sorted([c.pk for c in [*submitted, wages]], reverse=True)
    assert ids("status=dispatched&status=resolved") == [ended.pk, dispatched.pk]
    assert ids("category=dispute.wages") == [wages.pk]
    assert len(ids("category=dispute")) == len(everything)
    assert ids("category=urban") == [] and ids("category=nope") == []
    assert len(ids("region=500229001")) == len(everything) and ids("region=500229002") == []
    assert ids("outcome=no_agreement") == [ended.pk] and ids("outcome=agreement") == []
    assert ids("risk_level=high") == [dispatched.pk]
    assert ids("mediation_type=administrative") == []
    assert ids(f"office={mediation.committee.code}") == [ended.pk, dispatched.pk]
    shown = {c["id"]: c["dispute"] for c in client.get("/api/v1/disputes").json()["items"]}
    assert (shown[dispatched.pk]["risk_level"], shown[dispatched.pk]["scale"]) == ("high", 5)
    assert (shown[ended.pk]["mediator"], shown[ended.pk]["outcome"]) == ("mediator", "no_agreement")
    assert shown[dispatched.pk]["mediator"] is None


def test_the_list_shows_each_user_only_what_they_may_see(as_user, dispute_at):
    dispute_at("submitted")
    dispatched = dispute_at("dispatched")
    assert [c["id"] for c in as_user("mediator").get("/api/v1/disputes").json()["items"]] == [dispatched.pk]
    assert as_user("other_handler").get("/api/v1/disputes").json()["items"] == []
    assert as_user("nobody").get("/api/v1/disputes").json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("query,field", [
    ("limit=0", "limit"), ("limit=201", "limit"), ("status=lost", "status"), ("cursor=0", "cursor"),
    ("cursor=x", "cursor"), ("outcome=won", "outcome"), ("risk_level=extreme", "risk_level"),
    ("mediation_type=divine", "mediation_type"), ("region=" + "1" * 21, "region"),
])
def test_bad_list_parameters_name_the_field(as_user, mediation, query, field):
    response = as_user("dispatcher").get(f"/api/v1/disputes?{query}")
    assert response.status_code == 422 and field in errors(response)


# ---------------------------------------------------------------------------- the mediation endpoints


def _party(case, index=0):
    return Party.objects.filter(dispute__case=case).order_by("id")[index]


def _session(case, hours_ago=1):
    return services.schedule_session(_mediator(), case, scheduled_at=timezone.now() - timedelta(hours=hours_ago),
                                     place="土城社区调解室")


def _mediator():
    from anju.people.models import User
    return User.objects.get(username="mediator")


def _agreement(case):
    return MediationAgreement.objects.get(dispute__case=case)


def _applied(case):
    agreement = _agreement(case)
    services.record_judicial_application(_mediator(), case, agreement_id=agreement.pk, applied_on=today(),
                                         court="城口县人民法院")
    return agreement


def _visit(case):
    return FollowUpVisit.objects.filter(dispute__case=case).order_by("due_on").first()


def _transferred(case):
    services.propose_transfer(_mediator(), case, to_type="administrative", to_office_code="sfj", reason="涉及行政职能")
    return MediationTransfer.objects.get(dispute__case=case)


def _later():
    return (timezone.now() + timedelta(days=2)).isoformat()


AGREEMENT = {"facts": "双方承包地相邻。", "matters": "半分地的归属。", "responsibilities": "双方均无过错。",
             "terms": "重新埋设界桩。", "performance_manner": "双方共同到场"}

# endpoint → (state, method, url under /api/v1/disputes/{id} (given the case), persona allowed,
#             persona refused in scope, good body, [(bad body, field) ...], good status)
ENDPOINTS = {
    "update": ("mediating", "PUT", lambda c: "", "mediator", "supervisor",
               {"scale": 4, "facts": "界桩被雨水冲走", "risk_level": "low"},
               [({"scale": 0, "risk_level": "low"}, "scale"), ({"scale": 4, "risk_level": "high"}, "risk_reason"),
                ({"scale": 4}, "risk_level")], 200),
    "add_party": ("mediating", "POST", lambda c: "/parties", "mediator", "supervisor",
                  {"role": "third_party", "name": "王村长", "phone": "13700003333"},
                  [({"role": "judge", "name": "王五"}, "role"),
                   ({"role": "applicant", "name": "王五", "phone": "call me"}, "phone"),
                   ({"role": "applicant", "name": "x" * 101}, "name")], 201),
    "update_party": ("mediating", "PUT", lambda c: f"/parties/{_party(c).pk}", "mediator", "supervisor",
                     {"role": "applicant", "name": "张大山", "phone": "13800009999", "claim": "退还半分地"},
                     [({"role": "applicant", "name": ""}, "name"),
                      ({"role": "applicant", "name": "张大山", "address": "x" * 201}, "address")], 200),
    "reveal_party": ("mediating", "POST", lambda c: f"/parties/{_party(c).pk}/reveal", "mediator", "leader",
                     {"reason": "约定调解时间"}, [({"reason": 5}, "reason"), ({"reason": "x" * 201}, "reason")], 200),
    "record_consent": ("mediating", "POST", lambda c: f"/parties/{_party(c).pk}/consent", "mediator", "supervisor",
                       {"consent": "given"},
                       [({"consent": "pending"}, "consent"), ({"consent": "refused"}, "note")], 200),
    "assign_mediator": ("mediating", "POST", lambda c: "/mediator", "supervisor", "dispatcher",
                        {"mediator": "USER:other_mediator"},
                        [({"mediator": 0}, "mediator"), ({"mediator": "x"}, "mediator"),
                         ({"mediator": "USER:handler"}, "mediator"),
                         ({"mediator": "USER:village_mediator"}, "mediator")],
                        200),
    "take_up": ("dispatched", "POST", lambda c: "/take-up", "mediator", "supervisor", {}, [], 200),
    "schedule_session": ("mediating", "POST", lambda c: "/sessions", "mediator", "supervisor",
                         {"scheduled_at": "LATER", "place": "土城社区调解室"},
                         [({"scheduled_at": "2026-11-02T09:00:00", "place": "调解室"}, "scheduled_at"),
                          ({"scheduled_at": "3026-11-02T09:00:00+08:00", "place": "调解室"}, "scheduled_at"),
                          ({"scheduled_at": "LATER", "place": ""}, "place")], 201),
    "record_session": ("mediating", "POST", lambda c: f"/sessions/{_session(c).pk}/record", "mediator", "supervisor",
                       {"present": "双方当事人", "summary": "双方同意重新埋界桩", "result": "agreement_reached"},
                       [({"present": "双方", "summary": "x", "result": "maybe"}, "result"),
                        ({"present": "双方", "summary": "x", "result": "adjourned", "held_at": "LATER"}, "held_at"),
                        ({"present": "双方", "summary": "x", "result": "no_agreement"}, "referral")], 200),
    "draft_agreement": ("mediating", "POST", lambda c: "/agreements", "mediator", "supervisor",
                        {**AGREEMENT, "performance_deadline": "IN_A_MONTH"},
                        [({**AGREEMENT, "performance_deadline": "2020-01-01"}, "performance_deadline"),
                         ({**AGREEMENT, "terms": "", "performance_deadline": "IN_A_MONTH"}, "terms"),
                         ({**AGREEMENT, "performance_deadline": "soon"}, "performance_deadline")], 201),
    "sign_agreement": ("drafted", "POST", lambda c: f"/agreements/{_agreement(c).pk}/sign", "mediator", "supervisor",
                       {"effective_on": "TODAY"},
                       [({"effective_on": "TOMORROW"}, "effective_on"), ({"effective_on": "soon"}, "effective_on"),
                        ({"effective_on": "2001-01-01"}, "effective_on")], 200),
    "judicial_application": ("signed", "POST", lambda c: f"/agreements/{_agreement(c).pk}/judicial-application",
                             "mediator", "supervisor", {"applied_on": "TODAY", "court": "城口县人民法院"},
                             [({"applied_on": "TOMORROW", "court": "城口县人民法院"}, "applied_on"),
                              ({"applied_on": "TODAY", "court": ""}, "court")], 200),
    "judicial_decision": ("signed", "POST", lambda c: f"/agreements/{_applied(c).pk}/judicial-decision",
                          "mediator", "supervisor", {"confirmed": True, "decided_on": "TODAY"},
                          [({"confirmed": False, "decided_on": "TODAY"}, "note"),
                           ({"confirmed": "perhaps", "decided_on": "TODAY"}, "confirmed"),
                           ({"confirmed": True, "decided_on": "TOMORROW"}, "decided_on")], 200),
    "end_mediation": ("mediating", "POST", lambda c: "/end", "mediator", "supervisor",
                      {"outcome": "withdrawn", "note": "申请人撤回申请"},
                      [({"outcome": "agreement", "note": "x"}, "outcome"),
                       ({"outcome": "no_agreement", "note": "分歧大"}, "referral"),
                       ({"outcome": "withdrawn", "note": ""}, "note")], 200),
    "record_visit": ("ended", "POST", lambda c: f"/visits/{_visit(c).pk}", "mediator", "supervisor",
                     {"performance": "not_applicable", "note": "双方相安无事"},
                     [({"performance": "performed", "note": "已履行"}, "performance"),
                      ({"performance": "somewhat", "note": "x"}, "performance"),
                      ({"performance": "not_applicable", "note": ""}, "note")], 200),
    "propose_transfer": ("mediating", "POST", lambda c: "/transfers", "mediator", "supervisor",
                         {"to_type": "administrative", "to_office": "sfj", "reason": "涉及行政职能"},
                         [({"to_type": "administrative", "to_office": "nope", "reason": "x"}, "to_office"),
                          ({"to_type": "divine", "to_office": "sfj", "reason": "x"}, "to_type"),
                          ({"to_type": "people", "to_office": "gc-tjw", "reason": "x"}, "to_office"),
                          ({"to_type": "judicial", "to_office": "court", "reason": ""}, "reason")], 201),
    "accept_transfer": ("mediating", "POST", lambda c: f"/transfers/{_transferred(c).pk}/accept",
                        "justice_mediator", "supervisor", {"note": "同意接收"}, [({"note": "x" * 501}, "note")], 200),
    "return_transfer": ("mediating", "POST", lambda c: f"/transfers/{_transferred(c).pk}/return",
                        "justice_mediator", "supervisor", {"reason": "不属于行政调解范围"},
                        [({"reason": ""}, "reason"), ({}, "reason")], 200),
}


def _body(body):
    """The body with its placeholders for values known only at run time filled in."""
    from anju.people.models import User

    def value(v):
        if not isinstance(v, str):
            return v
        if v.startswith("USER:"):
            return User.objects.get(username=v[5:]).pk
        return {"LATER": _later(), "TODAY": today().isoformat(), "TOMORROW": (today() + timedelta(days=1)).isoformat(),
                "IN_A_MONTH": (today() + timedelta(days=30)).isoformat()}.get(v, v)

    return {k: value(v) for k, v in body.items()}


def call(client, method, url, body):
    return (put if method == "PUT" else post)(client, url, body)


@pytest.fixture
def prepared(dispute_at):
    def make(endpoint):
        state, method, path, *_rest = ENDPOINTS[endpoint]
        case = dispute_at(state)
        return case, method, f"/api/v1/disputes/{case.pk}{path(case)}"
    return make


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_each_endpoint_works_for_its_role(endpoint, as_user, prepared, mediation):
    case, method, url = prepared(endpoint)
    allowed, good, status = ENDPOINTS[endpoint][3], ENDPOINTS[endpoint][5], ENDPOINTS[endpoint][7]
    events = CaseEvent.objects.filter(case=case).count()
    response = call(as_user(allowed), method, url, _body(good))
    assert response.status_code == status, response.content
    if endpoint != "reveal_party":
        assert CaseEvent.objects.filter(case=case).count() > events


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_each_endpoint_refuses_other_roles_in_scope_with_403(endpoint, as_user, prepared, mediation):
    case, method, url = prepared(endpoint)
    refused, good = ENDPOINTS[endpoint][4], ENDPOINTS[endpoint][5]
    before = fingerprint(case)
    response = call(as_user(refused), method, url, _body(good))
    assert response.status_code == 403 and response.json()["detail"]
    assert fingerprint(case) == before


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_each_endpoint_hides_out_of_scope_disputes_with_404(endpoint, as_user, prepared, mediation):
    case, method, url = prepared(endpoint)
    good = ENDPOINTS[endpoint][5]
    before = fingerprint(case)
    for outsider in ("other_handler", "village_mediator", "nobody"):
        response = call(as_user(outsider), method, url, _body(good))
        assert response.status_code == 404 and response.json()["detail"] == "未找到。"
    assert fingerprint(case) == before


@pytest.mark.parametrize("endpoint,index", [(e, i) for e, spec in ENDPOINTS.items() for i in range(len(spec[6]))])
def test_each_endpoint_names_the_bad_field_and_writes_nothing(endpoint, index, as_user, prepared, mediation):
    case, method, url = prepared(endpoint)
    allowed = ENDPOINTS[endpoint][3]
    bad, field = ENDPOINTS[endpoint][6][index]
    before = fingerprint(case)
    response = call(as_user(allowed), method, url, _body(bad))
    assert response.status_code == 422, response.content
    assert field in errors(response)
    assert fingerprint(case) == before


UNKNOWN_PARTS = [
    ("PUT", "/parties/{}", {"role": "applicant", "name": "王五"}, "party_id"),
    ("POST", "/parties/{}/reveal", {}, "party_id"),
    ("POST", "/parties/{}/consent", {"consent": "given"}, "party_id"),
    ("POST", "/sessions/{}/record", {"present": "双方", "summary": "x", "result": "adjourned"}, "session_id"),
    ("POST", "/agreements/{}/sign", {"effective_on": "TODAY"}, "agreement_id"),
    ("POST", "/agreements/{}/judicial-application", {"applied_on": "TODAY", "court": "法院"}, "agreement_id"),
    ("POST", "/agreements/{}/judicial-decision", {"confirmed": True, "decided_on": "TODAY"}, "agreement_id"),
    ("POST", "/visits/{}", {"performance": "not_applicable", "note": "x"}, "visit_id"),
    ("POST", "/transfers/{}/accept", {}, "transfer_id"),
    ("POST", "/transfers/{}/return", {"reason": "x"}, "transfer_id"),
]


@pytest.mark.parametrize("method,path,body,field", UNKNOWN_PARTS)
@pytest.mark.parametrize("part_id", ["999999", "99999999999999999999"])
def test_an_unknown_part_of_a_dispute_is_404(method, path, body, field, part_id, as_user, dispute_at):
    case = dispute_at("mediating")
    before = fingerprint(case)
    response = call(as_user("mediator"), method, f"/api/v1/disputes/{case.pk}{path.format(part_id)}", _body(body))
    assert response.status_code == 404 and errors(response) == [field]
    assert fingerprint(case) == before


def test_a_part_of_another_dispute_is_404(as_user, dispute_at):
    first, second = dispute_at("mediating"), dispute_at("mediating")
    response = post(as_user("mediator"), f"/api/v1/disputes/{second.pk}/parties/{_party(first).pk}/consent",
                    {"consent": "given"})
    assert response.status_code == 404 and errors(response) == ["party_id"]


@pytest.mark.parametrize("endpoint,state,body", [
    ("take-up", "mediating", {}),
    ("end", "signed", {"outcome": "withdrawn", "note": "撤回"}),
    ("sessions", "ended", {"scheduled_at": "LATER", "place": "调解室"}),
    ("agreements", "submitted", {**AGREEMENT, "performance_deadline": "IN_A_MONTH"}),
    ("transfers", "submitted", {"to_type": "administrative", "to_office": "sfj", "reason": "涉及行政职能"}),
])
def test_an_action_in_the_wrong_state_is_409(endpoint, state, body, as_user, dispute_at):
    case = dispute_at(state)
    # Before dispatch no mediator sees the dispute; an administrator may try.
    client = as_user("mediator") if state != "submitted" else as_user("admin")
    before = fingerprint(case)
    response = post(client, f"/api/v1/disputes/{case.pk}/{endpoint}", _body(body))
    assert response.status_code == 409 and response.json()["detail"]
    assert fingerprint(case) == before


def test_a_signed_agreement_cannot_be_signed_again(as_user, dispute_at):
    case = dispute_at("signed")
    response = post(as_user("mediator"), f"/api/v1/disputes/{case.pk}/agreements/{_agreement(case).pk}/sign",
                    {"effective_on": today().isoformat()})
    assert response.status_code == 409


def test_signing_needs_every_party_to_consent(as_user, dispute_at, mediation):
    case = dispute_at("mediating", consent=False)
    agreement = services.draft_agreement(mediation.mediator, case, agreement_text())
    response = post(as_user("mediator", HTTP_ACCEPT_LANGUAGE="en"),
                    f"/api/v1/disputes/{case.pk}/agreements/{agreement.pk}/sign", {"effective_on": today().isoformat()})
    assert response.status_code == 422 and errors(response) == ["parties"]
    assert response.json()["detail"] == "Every party must have agreed to mediation before signing."
    assert _agreement(case).status == "draft"


def test_a_second_draft_rewrites_the_first(as_user, dispute_at):
    case = dispute_at("drafted")
    body = {**AGREEMENT, "terms": "改为现金补偿五百元",
            "performance_deadline": (today() + timedelta(days=9)).isoformat()}
    response = post(as_user("mediator"), f"/api/v1/disputes/{case.pk}/agreements", body)
    assert response.status_code == 200 and response.json()["terms"] == "改为现金补偿五百元"
    assert MediationAgreement.objects.filter(dispute__case=case).count() == 1


# ---------------------------------------------------------------------------- personal data


def test_a_reveal_is_logged_whether_granted_or_refused(as_user, dispute_at):
    case = dispute_at("mediating")
    party = _party(case, 1)
    url = f"/api/v1/disputes/{case.pk}/parties/{party.pk}/reveal"
    response = post(as_user("mediator"), url, {"reason": "约定调解时间"})
    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("name", "phone", "address")} == {
        "name": party.name, "phone": party.phone, "address": party.address}
    assert post(as_user("leader"), url, {}).status_code == 403
    assert list(PersonalDataAccess.objects.filter(case=case).values_list("user__username", "subject", "granted")
                .order_by("id")) == [("mediator", f"party {party.pk}", True), ("leader", f"party {party.pk}", False)]
    assert post(as_user("other_handler"), url, {}).status_code == 404
    assert PersonalDataAccess.objects.filter(case=case).count() == 2


def test_a_changed_party_is_answered_masked(as_user, dispute_at):
    case = dispute_at("mediating")
    party = _party(case)
    response = put(as_user("mediator"), f"/api/v1/disputes/{case.pk}/parties/{party.pk}",
                   {"role": "applicant", "name": "张大山", "phone": "13800009999"})
    assert response.json()["phone"] == "138****9999" and "13800009999" not in response.content.decode()
    party.refresh_from_db()
    assert party.phone == "13800009999"


# ---------------------------------------------------------------------------- a whole mediation


def test_a_dispute_goes_from_registration_to_judicial_confirmation_and_to_enforcement_on_a_visit(as_user,
                                                                                                mediation):
    dispatcher, mediator = as_user("dispatcher"), as_user("mediator")
    case_id = post(dispatcher, "/api/v1/disputes", NEW).json()["id"]
    assert post(dispatcher, f"/api/v1/cases/{case_id}/accept", {}).status_code == 200
    assert post(dispatcher, f"/api/v1/cases/{case_id}/dispatch", {}).json()["office"] == mediation.committee.code
    assert post(mediator, f"/api/v1/disputes/{case_id}/take-up").json()["dispute"]["mediator"] == "mediator"
    url = f"/api/v1/disputes/{case_id}"
    for party in mediator.get(url).json()["parties"]:
        assert post(mediator, f"{url}/parties/{party['id']}/consent", {"consent": "given"}).status_code == 200
    held = (timezone.now() - timedelta(minutes=30)).isoformat()
    session = post(mediator, f"{url}/sessions", {"scheduled_at": held, "place": "土城社区调解室"}).json()
    recorded = post(mediator, f"{url}/sessions/{session['id']}/record",
                    {"present": "双方当事人、村干部", "summary": "双方同意重新埋界桩", "result": "agreement_reached"})
    assert recorded.json()["sessions"][0]["result"] == "agreement_reached"
    assert recorded.json()["status"] == "in_progress"
    draft = post(mediator, f"{url}/agreements", {**AGREEMENT, "performance_deadline": today().isoformat()}).json()
    signed = post(mediator, f"{url}/agreements/{draft['id']}/sign", {"effective_on": today().isoformat()}).json()
    assert signed["status"] == "resolved" and signed["agreements"][0]["status"] == "effective"
    assert "judicial confirmation" in signed["reply"] or "司法确认" in signed["reply"]
    applied = post(mediator, f"{url}/agreements/{draft['id']}/judicial-application",
                   {"applied_on": today().isoformat(), "court": "城口县人民法院"}).json()
    assert applied["agreements"][0]["judicial_status"] == "sought"
    assert "judicial_decision" in applied["actions"] and "judicial_application" not in applied["actions"]
    decided = post(mediator, f"{url}/agreements/{draft['id']}/judicial-decision",
                   {"confirmed": True, "decided_on": today().isoformat()}).json()
    assert decided["agreements"][0]["judicial_status"] == "confirmed"
    first_visit = decided["visits"][0]
    # A court-confirmed agreement not performed goes to the court for enforcement (Art. 33
    # para. 2), not back to mediation.
    visited = post(mediator, f"{url}/visits/{first_visit['id']}", {"performance": "not_performed",
                                                                     "note": "被申请人未按期埋设界桩"}).json()
    assert visited["status"] == "resolved" and visited["dispute"]["outcome"] == "agreement"
    assert [v["status"] for v in visited["visits"]] == ["done"] + ["planned"] * (len(visited["visits"]) - 1)
    assert visited["agreements"][0]["status"] == "effective"


def test_a_transfer_moves_the_dispute_and_the_receiver_accepts_or_returns_it(as_user, dispute_at, mediation):
    case = dispute_at("mediating")
    url = f"/api/v1/disputes/{case.pk}"
    proposed = post(as_user("mediator"), f"{url}/transfers",
                    {"to_type": "administrative", "to_office": "sfj", "reason": "涉及行政职能"})
    assert proposed.status_code == 201 and proposed.json()["status"] == "pending"
    assert as_user("mediator").get(url).status_code == 404  # the dispute is with the justice bureau now
    justice = as_user("justice_mediator")
    seen = justice.get(url).json()
    assert seen["office"] == "sfj" and seen["transfers"][0]["to_office"] == "sfj"
    assert {"accept_transfer", "return_transfer"} <= set(seen["actions"]) and "take_up" not in seen["actions"]
    accepted = post(justice, f"{url}/transfers/{proposed.json()['id']}/accept", {}).json()
    assert accepted["dispute"]["mediation_type"] == "administrative"
    assert accepted["dispute"]["mediator"] == "justice_mediator" and accepted["status"] == "in_progress"
    assert post(justice, f"{url}/transfers/{proposed.json()['id']}/accept", {}).status_code == 409
    again = post(justice, f"{url}/transfers", {"to_type": "judicial", "to_office": "court", "reason": "需诉调对接"})
    returned = post(as_user("court_mediator"), f"{url}/transfers/{again.json()['id']}/return",
                    {"reason": "尚未穷尽行政调解"})
    assert returned.status_code == 200 and returned.json()["office"] == "sfj"
    assert [t["status"] for t in returned.json()["transfers"]] == ["accepted", "returned"]
