"""The petitions API (/api/v1/petitions): registering, the list with its filters and cursor, the
detail with its statutory deadlines, masked petitioners and notices, and every action
endpoint's permission (401/403/404), bad input (422 naming the field, nothing written), wrong
state (409) and its effect on the database. The API runs on the real clock, so petitions are
built through the services at the real time (``now=None``)."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from anju.cases import deadlines
from anju.cases.models import Case, CaseEvent, ExtensionRequest, PersonalDataAccess
from anju.conftest import openapi_schema
from anju.lib.masking import mask_name, mask_phone
from anju.lib.workdays import LOCAL
from anju.people.models import User
from anju.petitions import services, statutory
from anju.petitions.choices import Decision, Delivery, NoticeKind
from anju.petitions.models import Booking, Hearing, Notice, Petition, Petitioner
from anju.petitions.tests import flow
from anju.petitions.tests.conftest import post

NAMES = [p.name for p in flow.PETITIONERS]
PHONES = [p.phone for p in flow.PETITIONERS]
NEW = {"category": "petition.land", "text": "征地补偿款至今未足额发放", "lat": 31.905, "lng": 108.605, "form": "visit",
       "request": "请求足额发放征地补偿款", "group_size": 3,
       "petitioners": [{"name": p.name, "phone": p.phone, "address": p.address,
                        "is_representative": p.is_representative} for p in flow.PETITIONERS]}


def today():
    return timezone.now().astimezone(LOCAL).date()


def errors(response):
    return [e["field"] for e in response.json()["errors"]]


def operations(prefix):
    for path, methods in openapi_schema()["paths"].items():
        if path.startswith(prefix):
            for method in methods:
                yield method.upper(), path


def personal_data_in(content: bytes) -> list[str]:
    """The petitioners' names and phones, in full or masked, found in a raw response."""
    text = content.decode()
    forms = NAMES + PHONES + [mask_name(n) for n in NAMES] + [mask_phone(p) for p in PHONES]
    return [form for form in forms if form in text]


def fingerprint(case):
    """Everything a refused request must leave as it was."""
    petition = Petition.objects.filter(case=case).first()
    return (Case.objects.count(),
            Case.objects.filter(pk=case.pk).values_list("status", "office_id", "due_at", "accept_due_at",
                                                        "handle_due_at").get(),
            CaseEvent.objects.filter(case=case).count(),
            Petition.objects.filter(case=case).values_list("level", "route_kind", "routed_at", "objection_due_at",
                                                           "decision", "leader_id", "extension_days",
                                                           "earlier_matter_id", "first_office_id").first(),
            list(Notice.objects.filter(petition=petition).values_list("kind", "delivered_on")),
            list(Hearing.objects.filter(petition=petition).values_list("starts_on", "ends_on")),
            list(Booking.objects.filter(petition=petition).values_list("status", "slot_at")),
            list(ExtensionRequest.objects.filter(case=case).values_list("status", "amount")))


# ---------------------------------------------------------------------------- petitions in a state


def _reexamination(people, petitions, *, answered=False):
    """An answered petition reviewed by the county government and now re-examined by the city
    government (accepted), all at the real time; answered too when asked."""
    first = flow.answered(people, now=None)
    review = services.request_review(None, first, reason="补偿标准计算有误，请求复查", by_petitioner=True)
    services.route_petition(people.dispatcher, review, office_code="xzf")
    services.accept_petition(petitions.county_handler, review)
    services.answer_petition(petitions.county_handler, review, flow.answer_text(Decision.UPHELD))
    review.refresh_from_db()
    reexamination = services.request_review(None, review, reason="请求复核", by_petitioner=True)
    services.route_petition(people.dispatcher, reexamination, office_code="szf")
    services.accept_petition(petitions.city_handler, reexamination)
    if answered:
        services.answer_petition(petitions.city_handler, reexamination, flow.answer_text(Decision.UPHELD))
    reexamination.refresh_from_db()
    return first, review, reexamination


def petition_in(people, petitions, state, **kwargs):
    """A petition in 葛城 brought to ``state`` through the services at the real time."""
    if state == "registered":
        return flow.register(people, now=None, **kwargs)
    if state == "routed":
        return flow.routed(people, now=None, **kwargs)
    if state == "accepted":
        return flow.accepted(people, now=None, **kwargs)
    if state == "extension":
        case = flow.accepted(people, now=None, **kwargs)
        services.request_petition_extension(people.handler, case, days=10, reason="需要会同国土部门重新测量")
        return case
    if state == "answered":
        return flow.answered(people, now=None, **kwargs)
    if state == "posted":
        return flow.answered(people, now=None, delivery=Delivery.POST, **kwargs)
    if state == "transferred":
        case = flow.accepted(people, now=None, **kwargs)
        services.transfer_petition(people.supervisor, case, office_code="fx", reason="征地范围属复兴街道")
        case.refresh_from_db()
        return case
    if state == "reexamination":
        return _reexamination(people, petitions)[2]
    if state == "repeated":
        first, _review, _reexamination_case = _reexamination(people, petitions, answered=True)
        case = flow.register(people, now=None, **kwargs)
        case.earlier_code = first.tracking_code
        return case
    raise ValueError(state)


@pytest.fixture
def petition_at(people, petitions):
    def make(state, **kwargs):
        return petition_in(people, petitions, state, **kwargs)
    return make


def plan_day(people, days_ahead=1):
    """A reception day of the county leader ``days_ahead`` days from today, 9:00 to 11:00."""
    start = datetime.combine(today() + timedelta(days=days_ahead), time(9, 0), tzinfo=LOCAL)
    return services.plan_reception_day(people.supervisor, leader_id=people.leader.pk, region_code="500229",
                                       place="县信访接待中心", starts_at=start, ends_at=start + timedelta(hours=2),
                                       slot_minutes=30, per_slot=2, topic="征地拆迁")


# ---------------------------------------------------------------------------- authentication


@pytest.mark.parametrize("method,path", [*operations("/api/v1/petitions"), *operations("/api/v1/reception-days")])
def test_it_requires_a_token_on_every_petition_and_reception_endpoint(method, path, petition_at):
    case = petition_at("routed")
    before = fingerprint(case)
    url = re.sub(r"\{[^}]+\}", str(case.pk), path)
    response = Client().generic(method, url, "{}", content_type="application/json")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"] and fingerprint(case) == before


# ---------------------------------------------------------------------------- registering


def test_it_registers_a_petition_with_its_record_and_masked_petitioners(as_user, petitions):
    response = post(as_user("clerk"), "/api/v1/petitions", NEW)
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert (body["id"], body["kind"], body["status"], body["channel"]) == (case.pk, "petition", "submitted", "walk_in")
    record = Petition.objects.get(case=case)
    assert (record.form, record.request, record.group_size) == ("visit", "请求足额发放征地补偿款", 3)
    stored = Petitioner.objects.filter(petition=record).values_list("name", "phone")
    assert list(stored) == list(zip(NAMES, PHONES, strict=True))
    assert body["petition"]["form"] == "visit" and body["petition"]["group_size"] == 3
    assert [(p["name"], p["phone"], p["is_representative"]) for p in body["petitioners"]] == [
        (mask_name(p.name), mask_phone(p.phone), p.is_representative) for p in flow.PETITIONERS]
    assert all(form not in response.content.decode() for form in NAMES + PHONES)
    # The petition office has 15 days to route it: the deadline stored on the case.
    assert _moment(body["petition"]["route_due_at"]) == case.accept_due_at
    assert [limit["key"] for limit in body["petition"]["limits"]] == ["route"]
    assert body["actions"][0] == "route" and body["petitioners_hidden"] is False


def test_an_empty_group_size_counts_the_petitioners(as_user, petitions):
    body = {k: v for k, v in NEW.items() if k != "group_size"}
    response = post(as_user("clerk"), "/api/v1/petitions", body)
    assert response.status_code == 201 and Petition.objects.get().group_size == len(NEW["petitioners"])


def test_an_idempotency_key_makes_a_retry_return_the_same_petition(as_user, petitions):
    client = as_user("clerk")
    first = post(client, "/api/v1/petitions", NEW, HTTP_IDEMPOTENCY_KEY="p-1")
    again = post(client, "/api/v1/petitions", NEW, HTTP_IDEMPOTENCY_KEY="p-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Case.objects.count() == 1
    other = post(client, "/api/v1/petitions", {**NEW, "petitioners": NEW["petitioners"][:1]},
                 HTTP_IDEMPOTENCY_KEY="p-1")
    assert other.status_code == 422 and errors(other) == ["Idempotency-Key"]
    assert Case.objects.count() == 1 and Petitioner.objects.count() == 2


@pytest.mark.parametrize("change,field", [
    ({"category": "nope"}, "category"),
    ({"text": ""}, "text"),
    ({"text": "bad\x00byte"}, "text"),
    ({"form": "fax"}, "form"),
    ({"group_size": 1}, "group_size"),
    ({"group_size": 0}, "group_size"),
    ({"lat": 91}, "lat"),
    ({"request": "长" * 5001}, "request"),
    ({"about_official": "某街道副主任"}, "about_office"),
    ({"reports_wrongdoing": True}, "about_office"),
    ({"about_office": "nope"}, "about_office"),
    ({"petitioners": [{"name": "  "}]}, "petitioners.0.name"),
    ({"petitioners": [{"name": "李四", "phone": "call me"}]}, "petitioners.0.phone"),
    ({"petitioners": [{"phone": "13800001111"}]}, "petitioners.name"),
    ({"petitioners": [{"name": "李四"}] * 51}, "petitioners"),
])
def test_bad_input_on_register_names_the_field_and_writes_nothing(as_user, petitions, change, field):
    response = post(as_user("clerk"), "/api/v1/petitions", {**NEW, **change})
    assert response.status_code == 422, response.content
    assert field in errors(response)
    assert not Case.objects.exists() and not Petition.objects.exists() and not Petitioner.objects.exists()


def test_it_answers_in_chinese_by_default_and_in_english_on_request(as_user, petitions):
    chinese = post(as_user("clerk", HTTP_ACCEPT_LANGUAGE="zh-hans"), "/api/v1/petitions", {**NEW, "category": "nope"})
    assert chinese.json()["errors"] == [{"field": "category", "message": "分类不存在或已停用。"}]
    english = post(as_user("clerk"), "/api/v1/petitions", {**NEW, "category": "nope"})
    assert english.json()["errors"] == [{"field": "category", "message": "Unknown or inactive category."}]
    missing = {k: v for k, v in NEW.items() if k != "text"}
    assert post(as_user("clerk", HTTP_ACCEPT_LANGUAGE="zh-hans"), "/api/v1/petitions", missing).json()["errors"] == [
        {"field": "text", "message": "此项为必填项"}]
    missing_petition = as_user("clerk", HTTP_ACCEPT_LANGUAGE="zh-hans").get("/api/v1/petitions/999999")
    assert missing_petition.json()["detail"] == "未找到。"


@pytest.mark.parametrize("who", ["handler", "supervisor", "leader", "nobody"])
def test_only_those_who_may_register_cases_register_petitions(as_user, petitions, who):
    response = post(as_user(who), "/api/v1/petitions", NEW)
    assert response.status_code == 403 and response.json()["detail"]
    assert not Case.objects.exists() and not Petitioner.objects.exists()


# ---------------------------------------------------------------------------- the statutory deadlines


def _moment(value):
    return datetime.fromisoformat(value) if value else None


def test_the_record_carries_each_statutory_deadline_of_its_stage(as_user, petition_at):
    client = as_user("clerk")

    def record(case):
        response = client.get(f"/api/v1/petitions/{case.pk}")
        assert response.status_code == 200, response.content
        return response.json()["petition"]

    registered = petition_at("registered")
    shown = record(registered)
    assert _moment(shown["route_due_at"]) == registered.accept_due_at
    assert shown["acceptance_due_at"] is shown["objection_due_at"] is shown["answer_due_at"] is None
    assert shown["petitioner_window_ends_on"] is None

    routed = petition_at("routed")
    shown = record(routed)
    # The limit to route stays on the record once routed, with whether it was met.
    assert _moment(shown["route_due_at"]) == routed.petition.route_due_at
    assert _moment(shown["acceptance_due_at"]) == routed.accept_due_at
    assert _moment(shown["objection_due_at"]) == routed.petition.objection_due_at
    assert {limit["key"]: limit["article"] for limit in shown["limits"]} == {
        "route": "第二十二条", "acceptance": "第二十三条", "objection": "第二十三条"}
    [route] = [limit for limit in shown["limits"] if limit["key"] == "route"]
    assert route["met"] is True and route["running"] is False and route["estimated"] is False

    accepted = petition_at("accepted")
    shown = record(accepted)
    assert _moment(shown["answer_due_at"]) == accepted.handle_due_at == accepted.due_at
    # The acceptance deadline stays on record once met.
    assert shown["objection_due_at"] is None and _moment(shown["acceptance_due_at"]) == accepted.accept_due_at
    [acceptance] = [limit for limit in shown["limits"] if limit["key"] == "acceptance"]
    assert acceptance["running"] is False
    [answer] = [limit for limit in shown["limits"] if limit["key"] == "answer"]
    assert answer["running"] is True and answer["article"] == "第三十四条" and answer["petitioners"] is False

    answered = petition_at("answered")
    shown = record(answered)
    last_day, _rule = services.request_window(answered.petition)
    assert last_day is not None and shown["petitioner_window_ends_on"] == last_day.isoformat()
    [window] = [limit for limit in shown["limits"] if limit["key"] == "window"]
    assert window["petitioners"] is True and window["running"] is True and window["at"] == last_day.isoformat()


def test_the_openapi_document_lists_each_statutory_deadline(petitions):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    components = schema["components"]["schemas"]

    def resolve(node):
        return components[node["$ref"].rsplit("/", 1)[1]] if "$ref" in node else node

    detail = resolve(schema["paths"]["/api/v1/petitions/{case_id}"]["get"]["responses"]["200"]["content"]
                     ["application/json"]["schema"])
    page = resolve(schema["paths"]["/api/v1/petitions"]["get"]["responses"]["200"]["content"]
                   ["application/json"]["schema"])
    item = resolve(page["properties"]["items"]["items"])
    for holder in (detail, item):
        record = resolve(holder["properties"]["petition"])["properties"]
        for name, article in [("route_due_at", "第二十二条"), ("acceptance_due_at", "第二十三条"),
                              ("objection_due_at", "第二十三条"), ("answer_due_at", "第三十四条"),
                              ("petitioner_window_ends_on", "第三十五条")]:
            assert name in record and article in record[name]["description"], name
        formats = {name: {s.get("format") for s in record[name]["anyOf"]} for name in
                   ("route_due_at", "answer_due_at", "petitioner_window_ends_on")}
        assert formats == {"route_due_at": {"date-time", None}, "answer_due_at": {"date-time", None},
                           "petitioner_window_ends_on": {"date", None}}
        assert "limits" in record


# ---------------------------------------------------------------------------- reading


def test_the_detail_shows_masked_petitioners_notices_and_the_actions_allowed_now(as_user, petition_at):
    case = petition_at("routed")
    response = as_user("handler").get(f"/api/v1/petitions/{case.pk}")
    assert response.status_code == 200
    body = response.json()
    assert [p["name"] for p in body["petitioners"]] == [mask_name(n) for n in NAMES]
    assert all(p["address"].endswith("…") for p in body["petitioners"])
    assert personal_data_in(response.content) == [mask_name(n) for n in NAMES] + [mask_phone(p) for p in PHONES]
    [notice] = body["notices"]
    stored = Notice.objects.get(petition__case=case)
    assert (notice["id"], notice["kind"], notice["number"]) == (stored.pk, "receipt", stored.number)
    assert notice["addressee"] == services.masked_addressee(stored.content) == "、".join(mask_name(n) for n in NAMES)
    assert notice["content"]["petitioners"] == [mask_name(n) for n in NAMES]
    assert notice["content"]["paragraphs"] == stored.content["paragraphs"]
    assert set(body["actions"]) >= {"accept", "object", "decline", "reveal_petitioner"}
    assert "route" not in body["actions"] and body["can_reveal_petitioners"] is True
    assert body["office"] == "gc" and body["petition"]["route_kind"] == "transferred"
    # The leader sees the petition, not who petitioned in full.
    assert as_user("leader").get(f"/api/v1/petitions/{case.pk}").json()["can_reveal_petitioners"] is False


def test_the_detail_shows_hearings_bookings_and_extension_requests(as_user, petition_at, people, petitions):
    case = petition_at("reexamination")
    services.record_hearing(petitions.city_handler, case, starts_on=today(), ends_on=today(), place="市信访局听证室")
    day = plan_day(people)
    services.book_reception(people.dispatcher, case, day_id=day.pk, slot_at=day.starts_at)
    body = as_user("city_handler").get(f"/api/v1/petitions/{case.pk}").json()
    [hearing] = body["hearings"]
    assert (hearing["place"], hearing["starts_on"], hearing["recorded_by"]) == ("市信访局听证室", today().isoformat(),
                                                                                "city_handler")
    [booking] = body["bookings"]
    assert (booking["day"], booking["status"], booking["via"]) == (day.pk, "booked", "counter")
    assert body["petition"]["level"] == "reexamination"
    extended = petition_at("extension")
    [request] = as_user("handler").get(f"/api/v1/petitions/{extended.pk}").json()["extension_requests"]
    assert (request["amount"], request["status"]) == (10, "pending")


def test_the_chain_shows_only_the_linked_petitions_the_user_may_see(as_user, petition_at, people):
    answered = petition_at("answered")
    review = services.request_review(None, answered, reason="请求复查", by_petitioner=True)
    services.route_petition(people.dispatcher, review, office_code="xzf")
    link = {"id": review.pk, "tracking_code": review.tracking_code, "level": "review"}
    assert as_user("clerk").get(f"/api/v1/petitions/{answered.pk}").json()["chain"] == {
        "parent": None, "requests": [link], "earlier_matter": None}
    assert as_user("clerk").get(f"/api/v1/petitions/{review.pk}").json()["chain"]["parent"] == {
        "id": answered.pk, "tracking_code": answered.tracking_code, "level": "original"}
    # The body a level up does not see the petition it reviews, nor the body that answered first the review.
    assert as_user("county_handler").get(f"/api/v1/petitions/{review.pk}").json()["chain"]["parent"] is None
    assert as_user("handler").get(f"/api/v1/petitions/{answered.pk}").json()["chain"]["requests"] == []
    assert as_user("handler").get(f"/api/v1/petitions/{review.pk}").status_code == 404


def test_an_out_of_scope_petition_is_404_and_so_is_a_missing_one_or_another_kind(as_user, petition_at, new_case):
    case = petition_at("routed")
    # A grid worker's scope does not reach petitions: a grid worker lives among the petitioners.
    for outsider in ("other_handler", "township_dispatcher", "nobody", "gridworker"):
        response = as_user(outsider).get(f"/api/v1/petitions/{case.pk}")
        assert response.status_code == 404 and response.json()["detail"] == "Not found."
    assert as_user("clerk").get("/api/v1/petitions/999999").status_code == 404
    assert as_user("clerk").get("/api/v1/petitions/99999999999999999999").status_code == 404
    complaint = new_case()
    assert as_user("dispatcher").get(f"/api/v1/petitions/{complaint.pk}").status_code == 404
    assert as_user("dispatcher").get(f"/api/v1/cases/{complaint.pk}").status_code == 200
    for insider in ("clerk", "handler", "supervisor", "leader", "township_leader", "admin"):
        assert as_user(insider).get(f"/api/v1/petitions/{case.pk}").status_code == 200, insider


# ---------------------------------------------------------------------------- the list


def test_the_list_filters_by_the_matter_and_pages_with_a_cursor(as_user, petition_at, people):
    registered = petition_at("registered", text="村道拓宽占用承包地未补偿")
    routed = petition_at("routed", text="安置房质量问题", request="请求返修安置房")
    accepted = petition_at("accepted")
    services.assign_leader(people.leader, accepted, leader_id=people.leader.pk)
    conduct = petition_at("registered", category="petition.conduct", text="街道干部办事拖沓")
    answered = petition_at("answered")
    review = services.request_review(None, answered, reason="请求复查", by_petitioner=True)
    late = flow.register(people, now=timezone.now() - timedelta(days=30), text="宅基地审批迟迟不办")
    everything = [registered, routed, accepted, conduct, answered, review, late]
    client = as_user("clerk")

    def ids(query):
        response = client.get(f"/api/v1/petitions?{query}")
        assert response.status_code == 200, response.content
        return [c["id"] for c in response.json()["items"]]

    page = client.get("/api/v1/petitions?limit=3").json()
    seen = [c["id"] for c in page["items"]]
    while page["next_cursor"]:
        page = client.get(f"/api/v1/petitions?limit=3&cursor={page['next_cursor']}").json()
        seen += [c["id"] for c in page["items"]]
    assert seen == sorted([c.pk for c in everything], reverse=True)
    assert ids("status=in_progress") == [accepted.pk]
    assert ids("status=resolved&status=in_progress") == [answered.pk, accepted.pk]
    assert ids("level=review") == [review.pk]
    assert len(ids("level=original")) == len(everything) - 1 and ids("level=reexamination") == []
    assert ids("category=petition.conduct") == [conduct.pk]
    assert len(ids("category=petition")) == len(everything) and ids("category=nope") == []
    assert len(ids("region=500229001")) == len(everything) and ids("region=500229002") == []
    assert ids("office=gc") == [answered.pk, accepted.pk, routed.pk]
    assert ids("leader=leader") == [accepted.pk] and ids("leader=handler") == [] and ids("leader=ghost") == []
    assert ids("overdue=true") == [late.pk]
    assert late.pk not in ids("overdue=false") and len(ids("overdue=false")) == len(everything) - 1
    assert ids("q=安置房") == [routed.pk]
    assert ids("q=返修") == [routed.pk]
    assert ids(f"q={routed.tracking_code}") == [routed.pk]
    shown = {c["id"]: c["petition"] for c in client.get("/api/v1/petitions").json()["items"]}
    assert shown[accepted.pk]["leader"] == "leader" and shown[review.pk]["level"] == "review"
    assert _moment(shown[accepted.pk]["answer_due_at"]) == Case.objects.get(pk=accepted.pk).handle_due_at


def test_the_list_never_searches_the_petitioners(as_user, petition_at):
    petition_at("routed")
    client = as_user("clerk")
    for query in [*NAMES, *PHONES, "王女士"]:
        response = client.get("/api/v1/petitions", {"q": query})
        assert response.status_code == 200 and response.json()["items"] == [], query
    # The same search over the matter finds it.
    assert len(client.get("/api/v1/petitions", {"q": "征地补偿款"}).json()["items"]) == 1


def test_the_list_shows_each_user_only_what_they_may_see(as_user, petition_at):
    registered = petition_at("registered")
    routed = petition_at("routed")
    assert [c["id"] for c in as_user("handler").get("/api/v1/petitions").json()["items"]] == [routed.pk]
    assert [c["id"] for c in as_user("clerk").get("/api/v1/petitions").json()["items"]] == [routed.pk, registered.pk]
    assert as_user("other_handler").get("/api/v1/petitions").json()["items"] == []
    assert as_user("nobody").get("/api/v1/petitions").json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("query,field", [
    ("limit=0", "limit"), ("limit=201", "limit"), ("status=lost", "status"), ("level=appeal", "level"),
    ("cursor=0", "cursor"), ("cursor=x", "cursor"), ("overdue=maybe", "overdue"), ("q=" + "x" * 101, "q"),
    ("region=" + "1" * 21, "region"), ("leader=" + "u" * 151, "leader"),
])
def test_bad_list_parameters_name_the_field(as_user, petitions, query, field):
    response = as_user("clerk").get(f"/api/v1/petitions?{query}")
    assert response.status_code == 422 and field in errors(response)


# ---------------------------------------------------------------------------- the action endpoints


def _request_id(case):
    return ExtensionRequest.objects.get(case=case, status="pending").pk


def _posted_notice(case):
    return Notice.objects.get(petition__case=case, delivered_on__isnull=True).pk


def _petitioner(case):
    return Petitioner.objects.filter(petition__case=case).order_by("id").first().pk


def _record(case):
    return Petition.objects.get(case=case)


def _case(case):
    return Case.objects.get(pk=case.pk)


def _checks_route(case, body):
    assert (_case(case).status, _case(case).office.code) == ("submitted", "gc")
    assert _record(case).routed_at is not None and _record(case).notices.filter(kind=NoticeKind.RECEIPT).exists()
    assert _moment(body["petition"]["acceptance_due_at"]) == _case(case).accept_due_at


def _checks_object(case, body):
    assert _case(case).office.code == "centre" and _record(case).routed_at is None
    assert body["office"] == "centre"


def _checks_accept(case, body):
    assert _case(case).status == "in_progress" and _record(case).first_office.code == "gc"
    assert _record(case).notices.filter(kind=NoticeKind.ACCEPTANCE).exists()
    assert _moment(body["petition"]["answer_due_at"]) == _case(case).handle_due_at


def _checks_decline(case, body):
    assert _case(case).status == "closed" and _record(case).notices.filter(kind=NoticeKind.NON_ACCEPTANCE).exists()


def _checks_extension(case, body):
    request = ExtensionRequest.objects.get(case=case)
    assert (request.status, request.amount, request.unit, body["id"]) == ("pending", 10, "calendar_days", request.pk)


def _checks_approve(case, body):
    assert _record(case).extension_days == 10 and ExtensionRequest.objects.get(case=case).status == "approved"
    assert _record(case).notices.filter(kind=NoticeKind.EXTENSION).exists()
    assert body["petition"]["extension_days"] == 10


def _checks_deny(case, body):
    assert ExtensionRequest.objects.get(case=case).status == "denied" and _record(case).extension_days == 0


def _checks_answer(case, body):
    assert _case(case).status == "resolved" and _record(case).decision == "support"
    assert _record(case).notices.filter(kind=NoticeKind.ANSWER).exists()


def _checks_delivered(case, body):
    assert Notice.objects.get(petition__case=case, kind=NoticeKind.ANSWER).delivered_on == today()
    assert body["petition"]["petitioner_window_ends_on"] is not None


def _checks_review(case, body):
    review = Petition.objects.get(parent__case=case)
    assert body["id"] == review.case_id and review.level == "review" and body["petition"]["level"] == "review"
    assert review.case.status == "submitted"


def _checks_hearing(case, body):
    hearing = Hearing.objects.get(petition__case=case)
    assert (body["id"], hearing.place) == (hearing.pk, "市信访局听证室")


def _checks_concluded(case, body):
    assert _case(case).status == "closed" and _record(case).earlier_matter is not None
    assert _record(case).notices.filter(kind=NoticeKind.CONCLUDED).exists()


def _checks_leader(case, body):
    assert _record(case).leader.username == "leader" and body["petition"]["leader"] == "leader"


def _checks_transfer(case, body):
    assert (_case(case).status, _case(case).office.code) == ("dispatched", "fx")
    assert _record(case).first_office.code == "gc"


def _checks_take_up(case, body):
    assert _case(case).status == "in_progress" and body["status"] == "in_progress"


def _checks_booking(case, body):
    booking = Booking.objects.get(petition__case=case)
    assert (body["id"], booking.status, booking.via) == (booking.pk, "booked", "counter")


def _checks_reveal(case, body):
    person = Petitioner.objects.get(pk=body["id"])
    assert (body["name"], body["phone"], body["address"]) == (person.name, person.phone, person.address)
    assert PersonalDataAccess.objects.get(case=case).granted


GOOD_ANSWER = {"decision": "support", "findings": "经核查，补偿款确未足额发放。", "basis": "《土地管理法》第四十八条"}

# endpoint → (state, url under /api/v1/petitions/{id} (given the case), persona allowed, persona refused in scope,
#             good body, [(bad body, field) ...], good status, what the database holds after)
ENDPOINTS = {
    "route": ("registered", lambda c: "/route", "clerk", "supervisor", {"office": "gc"},
              [({"office": "nope"}, "office"), ({"office": ""}, "office"),
               ({"office": "gc", "route_kind": "mailed"}, "route_kind"),
               ({"office": "gc", "sent_on": "TOMORROW"}, "sent_on"), ({"office": "gc", "sent_on": "1999-12-31"},
                                                                       "sent_on"),
               ({"office": "gc", "delivery": "pigeon"}, "delivery")], 200, _checks_route),
    "object": ("routed", lambda c: "/object", "handler", "supervisor", {"reason": "属于县交通局职权"},
               [({"reason": ""}, "reason"), ({"reason": "  "}, "reason"), ({}, "reason")], 200, _checks_object),
    "accept": ("routed", lambda c: "/accept", "handler", "supervisor", {"note": "属本机关职权"},
               [({"sent_on": "TOMORROW"}, "sent_on"), ({"delivery": "fax"}, "delivery"),
                ({"note": "x" * 1001}, "note")], 200, _checks_accept),
    "decline": ("routed", lambda c: "/decline", "handler", "supervisor",
                {"reason": "该诉求应当通过诉讼途径解决", "where_to_go": "依法向人民法院提起诉讼。"},
                [({"reason": ""}, "reason"), ({"reason": "x", "where_to_go": "x" * 501}, "where_to_go"),
                 ({"reason": "x", "sent_on": "TOMORROW"}, "sent_on")], 200, _checks_decline),
    "extensions": ("accepted", lambda c: "/extensions", "handler", "supervisor",
                   {"days": 10, "reason": "需要会同国土部门重新测量"},
                   [({"days": 0, "reason": "复杂"}, "days"), ({"days": 31, "reason": "复杂"}, "days"),
                    ({"days": 10, "reason": "  "}, "reason"), ({"days": "ten", "reason": "复杂"}, "days")],
                   201, _checks_extension),
    "approve": ("extension", lambda c: f"/extensions/{_request_id(c)}/approve", "supervisor", "handler",
                {"note": "同意"}, [({"sent_on": "TOMORROW"}, "sent_on"), ({"note": "x" * 501}, "note")], 200,
                _checks_approve),
    "deny": ("extension", lambda c: f"/extensions/{_request_id(c)}/deny", "supervisor", "handler",
             {"note": "理由不充分"}, [({"note": ""}, "note"), ({"note": "  "}, "note"), ({}, "note")], 200,
             _checks_deny),
    "answer": ("accepted", lambda c: "/answer", "handler", "supervisor", GOOD_ANSWER,
               [({**GOOD_ANSWER, "decision": "upheld"}, "decision"), ({**GOOD_ANSWER, "decision": "maybe"}, "decision"),
                ({**GOOD_ANSWER, "findings": "  "}, "findings"), ({**GOOD_ANSWER, "basis": ""}, "basis"),
                ({**GOOD_ANSWER, "sent_on": "TOMORROW"}, "sent_on")], 200, _checks_answer),
    "delivered": ("posted", lambda c: f"/notices/{_posted_notice(c)}/delivered", "handler", "supervisor",
                  {"delivered_on": "TODAY"},
                  [({"delivered_on": "TOMORROW"}, "delivered_on"), ({"delivered_on": "soon"}, "delivered_on"),
                   ({}, "delivered_on")], 200, _checks_delivered),
    "review": ("answered", lambda c: "/review", "clerk", "supervisor", {"reason": "补偿标准计算有误，请求复查"},
               [({"reason": ""}, "reason"), ({"reason": "请求复查", "asked_on": "TOMORROW"}, "asked_on"),
                ({"reason": "请求复查", "asked_on": "someday"}, "asked_on")], 201, _checks_review),
    "hearings": ("reexamination", lambda c: "/hearings", "city_handler", "supervisor",
                 {"starts_on": "TODAY", "ends_on": "TODAY", "place": "市信访局听证室"},
                 [({"starts_on": "TODAY", "ends_on": "YESTERDAY", "place": "听证室"}, "ends_on"),
                  ({"starts_on": "TODAY", "ends_on": "TODAY", "place": "  "}, "place"),
                  ({"starts_on": "2001-01-01", "ends_on": "2001-01-02", "place": "听证室"}, "starts_on"),
                  ({"starts_on": "TODAY", "place": "听证室"}, "ends_on")], 201, _checks_hearing),
    "concluded": ("repeated", lambda c: "/concluded", "clerk", "supervisor", {"earlier_code": "EARLIER"},
                  [({"earlier_code": "nope"}, "earlier_code"), ({"earlier_code": ""}, "earlier_code"),
                   ({"earlier_code": "OWN"}, "earlier_code")], 200, _checks_concluded),
    "leader": ("accepted", lambda c: "/leader", "supervisor", "handler", {"leader": "USER:leader"},
               [({"leader": 0}, "leader"), ({"leader": "x"}, "leader"), ({"leader": "USER:handler"}, "leader")],
               200, _checks_leader),
    "transfer": ("accepted", lambda c: "/transfer", "supervisor", "handler",
                 {"office": "fx", "reason": "征地范围属复兴街道"},
                 [({"office": "nope", "reason": "x"}, "office"), ({"office": "fx", "reason": ""}, "reason"),
                  ({"office": "gc", "reason": "x"}, "office")], 200, _checks_transfer),
    "take_up": ("transferred", lambda c: "/take-up", "other_handler", "supervisor", {}, [], 200, _checks_take_up),
    "bookings": ("routed", lambda c: "/bookings", "clerk", "supervisor", {"day": "DAY", "slot_at": "SLOT"},
                 [({"day": 999999, "slot_at": "SLOT"}, "day"), ({"day": "DAY", "slot_at": "NAIVE_SLOT"}, "slot_at"),
                  ({"day": "DAY", "slot_at": "OFF_SLOT"}, "slot_at"), ({"day": "DAY"}, "slot_at")],
                 201, _checks_booking),
    "reveal": ("routed", lambda c: f"/petitioners/{_petitioner(c)}/reveal", "clerk", "leader",
               {"reason": "约定接谈时间"},
               [({"reason": 5}, "reason"), ({"reason": "x" * 201}, "reason")], 200, _checks_reveal),
}
# Who may not see the petition of each endpoint: they get 404, as for a missing one.
OUTSIDERS = {"take_up": ("handler", "township_dispatcher", "nobody")}
DEFAULT_OUTSIDERS = ("other_handler", "township_dispatcher", "nobody")


def _fill(body, case, people):
    """The body with its placeholders for values known only at run time filled in."""
    day = getattr(case, "reception_day", None)

    def value(v):
        if not isinstance(v, str):
            return v
        if v.startswith("USER:"):
            return User.objects.get(username=v[5:]).pk
        slot = day.starts_at.astimezone(LOCAL) if day else None
        return {
            "TODAY": today().isoformat(), "TOMORROW": (today() + timedelta(days=1)).isoformat(),
            "YESTERDAY": (today() - timedelta(days=1)).isoformat(),
            "EARLIER": getattr(case, "earlier_code", None), "OWN": case.tracking_code,
            "DAY": day.pk if day else None, "SLOT": slot.isoformat() if slot else None,
            "NAIVE_SLOT": slot.replace(tzinfo=None).isoformat() if slot else None,
            "OFF_SLOT": (slot + timedelta(minutes=10)).isoformat() if slot else None,
        }.get(v, v)

    return {k: value(v) for k, v in body.items()}


@pytest.fixture
def prepared(petition_at, people):
    def make(endpoint):
        state, path, *_rest = ENDPOINTS[endpoint]
        case = petition_at(state)
        case.reception_day = plan_day(people) if endpoint == "bookings" else None
        return case, f"/api/v1/petitions/{case.pk}{path(case)}"
    return make


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_each_endpoint_works_for_its_role_and_changes_the_database(endpoint, as_user, prepared, people):
    case, url = prepared(endpoint)
    _state, _path, allowed, _refused, good, _bad, status, check = ENDPOINTS[endpoint]
    events = CaseEvent.objects.filter(case=case).count()
    response = post(as_user(allowed), url, _fill(good, case, people))
    assert response.status_code == status, response.content
    check(case, response.json())
    if endpoint != "reveal":
        assert CaseEvent.objects.filter(case=case).count() > events


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_each_endpoint_refuses_other_roles_in_scope_with_403(endpoint, as_user, prepared, people):
    case, url = prepared(endpoint)
    refused, good = ENDPOINTS[endpoint][3], ENDPOINTS[endpoint][4]
    assert as_user(refused).get(f"/api/v1/petitions/{case.pk}").status_code == 200
    before = fingerprint(case)
    response = post(as_user(refused), url, _fill(good, case, people))
    assert response.status_code == 403 and response.json()["detail"]
    assert fingerprint(case) == before


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_each_endpoint_hides_out_of_scope_petitions_with_404(endpoint, as_user, prepared, people):
    case, url = prepared(endpoint)
    good = ENDPOINTS[endpoint][4]
    before = fingerprint(case)
    accesses = PersonalDataAccess.objects.count()
    for outsider in OUTSIDERS.get(endpoint, DEFAULT_OUTSIDERS):
        response = post(as_user(outsider), url, _fill(good, case, people))
        assert response.status_code == 404 and response.json()["detail"] == "Not found.", outsider
    assert fingerprint(case) == before and PersonalDataAccess.objects.count() == accesses


@pytest.mark.parametrize("endpoint,index", [(e, i) for e, spec in ENDPOINTS.items() for i in range(len(spec[5]))])
def test_each_endpoint_names_the_bad_field_and_writes_nothing(endpoint, index, as_user, prepared, people):
    case, url = prepared(endpoint)
    allowed = ENDPOINTS[endpoint][2]
    bad, field = ENDPOINTS[endpoint][5][index]
    before = fingerprint(case)
    accesses = PersonalDataAccess.objects.count()
    response = post(as_user(allowed), url, _fill(bad, case, people))
    assert response.status_code == 422, response.content
    assert field in errors(response)
    assert fingerprint(case) == before and PersonalDataAccess.objects.count() == accesses


def test_each_action_endpoint_is_in_the_table(petitions):
    actions = {path.rsplit("/", 1)[1].replace("-", "_")
               for method, path in operations("/api/v1/petitions/{case_id}/") if method == "POST"}
    assert actions == set(ENDPOINTS)


@pytest.mark.parametrize("path,body,field", [
    ("/extensions/{}/approve", {}, "request_id"),
    ("/extensions/{}/deny", {"note": "不同意"}, "request_id"),
    ("/notices/{}/delivered", {"delivered_on": "TODAY"}, "notice_id"),
    ("/petitioners/{}/reveal", {}, "petitioner_id"),
])
@pytest.mark.parametrize("part_id", ["999999", "99999999999999999999"])
def test_an_unknown_part_of_a_petition_is_404(path, body, field, part_id, as_user, petition_at, people):
    case = petition_at("extension")
    who = "supervisor" if "extensions" in path else "handler"
    before = fingerprint(case)
    response = post(as_user(who), f"/api/v1/petitions/{case.pk}{path.format(part_id)}", _fill(body, case, people))
    assert response.status_code == 404 and errors(response) == [field]
    assert fingerprint(case) == before


def test_a_part_of_another_petition_is_404(as_user, petition_at):
    first, second = petition_at("routed"), petition_at("routed")
    response = post(as_user("clerk"), f"/api/v1/petitions/{second.pk}/petitioners/{_petitioner(first)}/reveal", {})
    assert response.status_code == 404 and errors(response) == ["petitioner_id"]
    assert not PersonalDataAccess.objects.filter(granted=True).exists()


@pytest.mark.parametrize("endpoint,state,who,body", [
    ("accept", "registered", "admin", {}),
    ("answer", "routed", "handler", GOOD_ANSWER),
    ("decline", "accepted", "handler", {"reason": "不予受理"}),
    ("review", "accepted", "clerk", {"reason": "请求复查"}),
    ("take-up", "accepted", "handler", {}),
    ("route", "accepted", "clerk", {"office": "fx"}),
    ("transfer", "routed", "supervisor", {"office": "fx", "reason": "改由复兴街道办理"}),
])
def test_an_action_in_the_wrong_state_is_409(endpoint, state, who, body, as_user, petition_at):
    case = petition_at(state)
    before = fingerprint(case)
    response = post(as_user(who), f"/api/v1/petitions/{case.pk}/{endpoint}", body)
    assert response.status_code == 409 and response.json()["detail"]
    assert fingerprint(case) == before


def test_a_second_extension_beyond_thirty_days_is_refused_citing_the_article(as_user, petition_at, people):
    case = petition_at("extension")
    post(as_user("supervisor"), f"/api/v1/petitions/{case.pk}/extensions/{_request_id(case)}/approve", {})
    response = post(as_user("handler"), f"/api/v1/petitions/{case.pk}/extensions", {"days": 21, "reason": "仍需时间"})
    assert response.status_code == 422 and errors(response) == ["days"] and "第三十四条" in response.json()["detail"]
    assert ExtensionRequest.objects.filter(case=case).count() == 1


# ---------------------------------------------------------------------------- personal data


def test_a_reveal_is_logged_whether_granted_or_refused(as_user, petition_at):
    case = petition_at("routed")
    person = Petitioner.objects.filter(petition__case=case).order_by("id")[1]
    url = f"/api/v1/petitions/{case.pk}/petitioners/{person.pk}/reveal"
    response = post(as_user("clerk"), url, {"reason": "约定接谈时间"})
    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("name", "phone", "address")} == {
        "name": person.name, "phone": person.phone, "address": person.address}
    assert post(as_user("leader"), url, {}).status_code == 403
    assert list(PersonalDataAccess.objects.filter(case=case).values_list("user__username", "subject", "granted")
                .order_by("id")) == [("clerk", f"petitioner {person.pk}", True),
                                     ("leader", f"petitioner {person.pk}", False)]


@pytest.fixture
def about_gc(petition_at, people):
    """A petition about 葛城街道办事处 (the body is handling it too), accepted, with its notices,
    booked on a reception day."""
    case = petition_at("accepted", about="gc", official="征收办主任")
    day = plan_day(people)
    services.book_reception(people.dispatcher, case, day_id=day.pk, slot_at=day.starts_at)
    case.reception_day = day
    return case


GC_USERS = ["handler", "township_leader", "township_supervisor"]


@pytest.mark.parametrize("who", GC_USERS)
def test_the_body_complained_about_never_gets_who_petitioned(who, as_user, about_gc):
    client = as_user(who)
    listed = client.get("/api/v1/petitions")
    detail = client.get(f"/api/v1/petitions/{about_gc.pk}")
    day = client.get(f"/api/v1/reception-days/{about_gc.reception_day.pk}")
    assert [c["id"] for c in listed.json()["items"]] == [about_gc.pk]
    assert detail.status_code == 200 and day.status_code == 200
    assert [b["case"] for b in day.json()["bookings"]] == [about_gc.pk]
    for response in (listed, detail, day):
        assert personal_data_in(response.content) == [], response.request["PATH_INFO"]
    body = detail.json()
    assert body["petitioners_hidden"] is True and body["petitioners"] == []
    assert body["reporter"]["hidden"] is True and body["can_reveal_petitioners"] is False
    assert len(body["notices"]) == 2 and all(n["addressee"] == "信访人" for n in body["notices"])
    assert all(n["content"]["petitioners"] == [] for n in body["notices"])
    assert "reveal_petitioner" not in body["actions"]
    for person in Petitioner.objects.filter(petition__case=about_gc):
        response = post(client, f"/api/v1/petitions/{about_gc.pk}/petitioners/{person.pk}/reveal", {})
        assert response.status_code == 403 and personal_data_in(response.content) == []
    assert list(PersonalDataAccess.objects.values_list("user__username", "granted")) == [(who, False)] * 2


def test_others_see_the_petitioners_of_a_petition_about_gc_masked(as_user, about_gc):
    detail = as_user("clerk").get(f"/api/v1/petitions/{about_gc.pk}")
    assert [p["name"] for p in detail.json()["petitioners"]] == [mask_name(n) for n in NAMES]
    assert all(n["addressee"] != "信访人" for n in detail.json()["notices"])
    assert not any(form in detail.content.decode() for form in NAMES + PHONES)


def test_a_report_of_wrongdoing_about_gc_is_404_for_gc_users(as_user, petition_at, people):
    case = petition_at("registered", category="petition.conduct", about="gc", wrongdoing=True)
    services.route_petition(people.dispatcher, case, office_code="xzf")
    day = plan_day(people)
    services.book_reception(people.dispatcher, case, day_id=day.pk, slot_at=day.starts_at)
    person = _petitioner(case)
    before = fingerprint(case)
    for who in GC_USERS:
        client = as_user(who)
        assert client.get(f"/api/v1/petitions/{case.pk}").status_code == 404
        assert client.get("/api/v1/petitions").json()["items"] == []
        assert client.get(f"/api/v1/reception-days/{day.pk}").json()["bookings"] == []
        assert post(client, f"/api/v1/petitions/{case.pk}/petitioners/{person}/reveal", {}).status_code == 404
        assert post(client, f"/api/v1/petitions/{case.pk}/leader", {"leader": people.leader.pk}).status_code == 404
    assert fingerprint(case) == before and not PersonalDataAccess.objects.exists()
    assert as_user("clerk").get(f"/api/v1/petitions/{case.pk}").status_code == 200


# ---------------------------------------------------------------------------- a whole petition


def test_a_petition_goes_from_registration_to_review_through_the_api(as_user, petitions):
    clerk, handler, supervisor = as_user("clerk"), as_user("handler"), as_user("supervisor")
    case_id = post(clerk, "/api/v1/petitions", NEW).json()["id"]
    url = f"/api/v1/petitions/{case_id}"
    routed = post(clerk, f"{url}/route", {"office": "gc", "route_kind": "assigned"}).json()
    assert routed["office"] == "gc" and routed["petition"]["route_kind"] == "assigned"
    accepted = post(handler, f"{url}/accept", {}).json()
    assert accepted["status"] == "in_progress" and [n["kind"] for n in accepted["notices"]] == ["receipt",
                                                                                                "acceptance"]
    asked = post(handler, f"{url}/extensions", {"days": 15, "reason": "需要重新测量"}).json()
    approved = post(supervisor, f"{url}/extensions/{asked['id']}/approve", {}).json()
    assert approved["petition"]["extension_days"] == 15
    # 60 and 15 days, one period from acceptance, ending on a working day (test_statutory).
    accepted_at = _moment(accepted["accepted_at"])
    assert _moment(approved["petition"]["answer_due_at"]) == statutory.handling_deadline(
        accepted_at, deadlines.calendar_for(accepted_at), extension_days=15).at
    answered = post(handler, f"{url}/answer", {**GOOD_ANSWER, "delivery": "post"}).json()
    assert answered["status"] == "resolved" and answered["petition"]["petitioner_window_ends_on"] is None
    notice = [n for n in answered["notices"] if n["kind"] == "answer"][0]
    assert notice["delivered_on"] is None and "record_delivery" in answered["actions"]
    delivered = post(handler, f"{url}/notices/{notice['id']}/delivered", {"delivered_on": today().isoformat()}).json()
    assert delivered["petition"]["petitioner_window_ends_on"] >= (today() + timedelta(days=30)).isoformat()
    review = post(clerk, f"{url}/review", {"reason": "补偿标准计算有误"})
    assert review.status_code == 201 and review.json()["chain"]["parent"]["id"] == case_id
    assert [p["name"] for p in review.json()["petitioners"]] == [mask_name(n) for n in NAMES]
    assert clerk.get(url).json()["chain"]["requests"][0]["id"] == review.json()["id"]
