"""Posting a service request: the spec's example creates a case that is routed and timed like any
other, keeps the reporter's details in the Reporter only, stores the attribute answers, and can be
followed by its tracking code and its token. All or nothing."""

import pytest
from django.urls import reverse

from anju.cases import services as s
from anju.cases.choices import Channel
from anju.cases.models import Case, Reporter
from anju.open311 import services
from anju.open311.models import Open311Request
from anju.open311.tests.conftest import BASE, FORMATS, errors_of, parse, post, requests_of, spec_example


def answer_of(response, fmt):
    """The POST answer's one request as a dict."""
    assert response.status_code == 200, response.content
    data = requests_of(response, fmt)
    assert len(data) == 1
    return data[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_spec_example_creates_a_case(english, services_county, application, fmt):
    answer = answer_of(post(english, fmt, spec_example()), fmt)
    case = Case.objects.get()
    assert answer["service_request_id"] == case.tracking_code
    assert set(answer) == {"service_request_id", "token", "service_notice", "account_id"}
    assert answer["account_id"] == "123456"
    assert (answer["service_notice"] or "") == ""
    record = Open311Request.objects.get()
    assert answer["token"] == record.token and len(record.token) == 32
    assert record.case == case and record.application == application
    assert record.device_id == "tt222111" and record.account_id == "123456"
    assert record.attributes == {"SURFACE": "asphalt", "DAMAGE": ["pothole", "crack"]}
    assert record.media_url == "http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg"
    assert case.channel == Channel.OPEN311
    assert case.category.code == "urban.road" and case.kind == "complaint"
    assert case.text == "A large sinkhole is destroying the street"
    assert case.address == "1234 5th street"
    assert (case.lat, case.lng) == (31.90524078, 108.6052043)
    assert case.grid == services_county.grid1
    assert case.created_by is None


def test_the_answer_in_xml_has_the_spec_wrappers(english, services_county, application):
    root = parse(post(english, "xml", spec_example()), "xml")
    assert root.tag == "service_requests"
    [request] = list(root)
    assert request.tag == "request"
    assert [child.tag for child in request] == ["service_request_id", "token", "service_notice", "account_id"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_reporter_details_go_into_the_reporter_and_nowhere_public(english, services_county, application,
                                                                        fmt):
    answer = post(english, fmt, spec_example())
    case = Case.objects.get()
    assert case.reporter.name == "smith john"
    assert case.reporter.phone == "111111111"
    assert case.reporter.email == "smith@domain.com"
    shown = english.get(f"{BASE}/requests/{case.tracking_code}.{fmt}")
    assert shown.status_code == 200
    for response in (answer, shown):
        body = response.content.decode()
        for secret in ("smith", "john", "111111111", "domain.com"):
            assert secret not in body
    # The client's own device and account ids are not published either.
    assert "tt222111" not in shown.content.decode() and "123456" not in shown.content.decode()


def test_a_chinese_name_is_written_family_name_first(english, services_county, application):
    answer_of(post(english, "json", spec_example({"first_name": "三", "last_name": "张"})), "json")
    assert Reporter.objects.get().name == "张三"


def test_a_request_without_personal_details_is_anonymous(english, services_county, application):
    body = spec_example(drop=["email", "first_name", "last_name", "phone"])
    answer_of(post(english, "json", body), "json")
    assert Case.objects.get().reporter is None
    assert Reporter.objects.count() == 0


def test_it_is_routed_and_timed_like_any_other_case(english, services_county, application, people):
    answer_of(post(english, "json", spec_example()), "json")
    posted = Case.objects.get()
    other, _created = s.create_case(people.dispatcher, s.NewCase(
        kind="complaint", category_code="urban.road", text="路面塌陷", lat=posted.lat, lng=posted.lng,
    ), now=posted.submitted_at)
    for name in ("office", "region", "grid", "area_path", "status", "accept_due_at", "due_at", "sweep_at",
                 "deadline_rule", "priority"):
        assert getattr(posted, name) == getattr(other, name), name
    assert posted.office == services_county.centre and posted.accept_due_at is not None
    # Dispatch sends both to the office the routing rules name for roads.
    later = posted.accept_due_at
    for case in (posted, other):
        case = s.accept_case(people.dispatcher, case, now=later)
        case = s.dispatch_case(people.dispatcher, case, now=later)
        assert case.office == services_county.transport
        assert case.routing_basis == "sector"
    posted.refresh_from_db()
    other.refresh_from_db()
    assert posted.handle_due_at == other.handle_due_at


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_new_request_can_be_read_by_its_id_and_its_token(english, services_county, application, people, fmt):
    answer = answer_of(post(english, fmt, spec_example()), fmt)
    code, token = answer["service_request_id"], answer["token"]
    # Until the county accepts it: that it exists and is open, without its details.
    [waiting] = requests_of(english.get(f"{BASE}/requests/{code}.{fmt}"), fmt)
    assert waiting["service_request_id"] == code and waiting["status"] == "open"
    assert waiting["service_code"] == "urban.road"
    assert waiting["service_notice"] == ("Waiting to be accepted by the county; the details are shown once it is "
                                         "accepted.")
    assert not {"description", "address", "lat", "long", "status_notes", "media_url"} & set(waiting)
    s.accept_case(people.dispatcher, Case.objects.get(tracking_code=code))
    [shown] = requests_of(english.get(f"{BASE}/requests/{code}.{fmt}"), fmt)
    assert shown["service_request_id"] == code
    assert shown["status"] == "open"
    assert shown["service_notice"] == ""
    assert shown["media_url"] == "http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg"
    assert shown["description"] == "A large sinkhole is destroying the street"
    # Shown, as the category shows exact places, through the same filter as the text (a house
    # number is not a phone number).
    assert shown["address"] == "1234 5th street"
    [by_token] = requests_of(english.get(f"{BASE}/tokens/{token}.{fmt}"), fmt)
    assert by_token == {"service_request_id": code, "token": token}


def test_the_resident_can_follow_it_on_the_tracking_page(english, services_county, application):
    code = answer_of(post(english, "json", spec_example()), "json")["service_request_id"]
    page = english.post(reverse("web:track"), {"code": code}, follow=True)
    assert page.status_code == 200
    assert page.context["case"].tracking_code == code


def test_a_hidden_category_takes_requests_but_never_lists_them(english, services_county, application):
    body = spec_example({"service_code": "env.noise"}, drop=["attribute[SURFACE]", "attribute[DAMAGE][]"])
    answer = answer_of(post(english, "json", body), "json")
    case = Case.objects.get()
    assert case.category.code == "env.noise"
    assert english.get(f"{BASE}/requests/{answer['service_request_id']}.json").status_code == 404
    [by_token] = requests_of(english.get(f"{BASE}/tokens/{answer['token']}.json"), "json")
    assert by_token["service_request_id"] == case.tracking_code


def test_an_address_alone_places_the_case_at_the_county(english, services_county, application):
    answer_of(post(english, "json", spec_example(drop=["lat", "long"])), "json")
    case = Case.objects.get()
    assert case.region == services_county.county and case.grid is None
    assert case.lat is None and case.address == "1234 5th street"
    assert case.office == services_county.centre


def test_an_address_id_counts_as_the_address(english, services_county, application):
    answer_of(post(english, "json", spec_example({"address_id": "A-778"}, drop=["lat", "long", "address_string"])),
              "json")
    case = Case.objects.get()
    assert case.address == "A-778" and case.region == services_county.county


def test_a_point_outside_the_grids_with_an_address_goes_to_the_county(english, services_county, application):
    answer_of(post(english, "json", spec_example({"lat": "30.0", "long": "100.0"})), "json")
    case = Case.objects.get()
    assert case.region == services_county.county and case.grid is None
    assert (case.lat, case.lng) == (30.0, 100.0)


def test_a_point_inside_a_grid_needs_no_address(english, services_county, application):
    answer_of(post(english, "json", spec_example(drop=["address_string"])), "json")
    case = Case.objects.get()
    assert case.grid == services_county.grid1 and case.address == ""


def test_a_request_without_description_gets_the_service_name_as_its_text(english, services_county, application):
    answer_of(post(english, "json", spec_example(drop=["description"])), "json")
    assert Case.objects.get().text == "道路破损"


def test_the_answers_to_attributes_are_checked_and_stored(english, services_county, application):
    body = spec_example({"attribute[DEPTH]": "12.5", "attribute[SEEN]": "2026-09-01T08:00:00Z",
                         "attribute[DAMAGE][]": ["3", "pothole", "3"]})
    answer_of(post(english, "json", body), "json")
    assert Open311Request.objects.get().attributes == {
        "SURFACE": "asphalt", "DAMAGE": ["3", "pothole"], "DEPTH": 12.5, "SEEN": "2026-09-01T16:00:00+08:00",
    }


def test_a_single_value_may_come_in_the_list_form_and_a_number_stays_whole(english, services_county, application):
    body = spec_example({"attribute[SURFACE][]": "concrete", "attribute[DEPTH]": "7"}, drop=["attribute[SURFACE]"])
    answer_of(post(english, "json", body), "json")
    assert Open311Request.objects.get().attributes["SURFACE"] == "concrete"
    assert Open311Request.objects.get().attributes["DEPTH"] == 7


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_bad_attribute_writes_nothing(english, services_county, application, fmt):
    response = post(english, fmt, spec_example({"attribute[SURFACE]": "marble"}))
    assert response.status_code == 400
    [(code, description)] = errors_of(response, fmt)
    assert code == 400 and "attribute[SURFACE]" in description and "asphalt, concrete" in description
    assert Case.objects.count() == Reporter.objects.count() == Open311Request.objects.count() == 0


def test_a_failure_after_the_case_is_written_undoes_it(english, services_county, application, monkeypatch):
    def fail(**kwargs):
        raise s.CaseError("the store refused it", status=422, field="text")

    monkeypatch.setattr(Open311Request.objects, "create", fail)
    response = post(english, "json", spec_example())
    assert response.status_code == 400
    assert errors_of(response, "json") == [(400, "description: the store refused it")]
    assert Case.objects.count() == Reporter.objects.count() == 0


def test_every_problem_is_named_at_once(english, services_county, application):
    body = spec_example({"email": "not-an-address", "phone": "call me", "attribute[DEPTH]": "deep"},
                        drop=["attribute[SURFACE]"])
    errors = errors_of(post(english, "json", body), "json")
    assert [code for code, _d in errors] == [400] * 4
    text = " ".join(d for _c, d in errors)
    for name in ("email", "phone", "attribute[DEPTH]", "attribute[SURFACE]"):
        assert name in text


def test_the_service_can_post_with_a_frozen_clock(services_county, application):
    """The service function itself takes ``now``: the case's clock starts then."""
    from django.http import QueryDict

    from anju.conftest import at

    params = QueryDict(mutable=True)
    for key, values in spec_example().items():
        params.setlist(key, values)
    [answer] = services.submit_request(params, now=at(2026, 9, 30, 10))
    case = Case.objects.get(tracking_code=answer["service_request_id"])
    assert case.submitted_at == at(2026, 9, 30, 10)
    assert Open311Request.objects.get().created_at == at(2026, 9, 30, 10)
