"""What the public may see: nothing before a person has accepted the case (a case waiting to be
accepted is answered by id without its details), never a confidential case, a complaint about an
office, a report of wrongdoing, a petition, a merged or rejected case or a case of a hidden
category or of a category that is no service; the place only as precisely as the category
allows; no numbers, e-mail addresses or the reporter's name in the texts."""

import pytest

from anju.cases import services as s
from anju.cases.models import Category
from anju.open311.tests.conftest import BASE, FORMATS, SEPTEMBER, accepted, errors_of, requests_of

DETAILS = {"description", "address", "lat", "long", "status_notes", "media_url"}


@pytest.fixture
def listed_case(new_case, people):
    """A case made and accepted, so listed if its category and flags allow."""

    def make(**fields):
        return accepted(people, new_case(**fields))

    return make


@pytest.mark.parametrize("fmt", FORMATS)
def test_cases_that_may_not_be_shown_never_appear_in_lists(english, public_cases, fmt):
    x = public_cases
    hidden = {case.tracking_code for case in x.never}
    listed = requests_of(english.get(f"{BASE}/requests.{fmt}", SEPTEMBER), fmt)
    assert {r["service_request_id"] for r in listed} == {x.pothole.tracking_code, x.dark.tracking_code}
    asked = requests_of(english.get(f"{BASE}/requests.{fmt}", {"service_request_id": ",".join(hidden)}), fmt)
    assert asked == []
    body = english.get(f"{BASE}/requests.{fmt}", SEPTEMBER).content.decode()
    for case in x.never + [x.waiting]:
        assert case.tracking_code not in body and case.text not in body


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_case_waiting_to_be_accepted_is_answered_by_id_without_its_details(english, public_cases, fmt):
    x = public_cases
    response = english.get(f"{BASE}/requests/{x.waiting.tracking_code}.{fmt}")
    assert response.status_code == 200
    [request] = requests_of(response, fmt)
    assert request["service_request_id"] == x.waiting.tracking_code and request["status"] == "open"
    assert (request["service_code"], request["service_name"]) == ("urban.road", "道路破损")
    assert request["requested_datetime"] == "2026-09-04T10:00:00+08:00"
    assert request["agency_responsible"] == "县综治中心"
    assert "details are shown once it is accepted" in request["service_notice"]
    assert not DETAILS & set(request)
    body = response.content.decode()
    for secret in ("桥头", "张三", "13912345678", "31.905", "108.605"):
        assert secret not in body, secret
    # Asked for in the list by id, the same; the list of a period never holds it.
    asked = requests_of(english.get(f"{BASE}/requests.{fmt}", {"service_request_id": x.waiting.tracking_code}), fmt)
    assert asked == [request]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_case_shows_its_details_once_accepted(english, public_cases, people, fmt):
    x = public_cases
    s.accept_case(people.dispatcher, x.waiting)
    [request] = requests_of(english.get(f"{BASE}/requests/{x.waiting.tracking_code}.{fmt}"), fmt)
    assert request["description"] == "【已隐去】反映：桥头有坑，电话【已隐去】"
    assert request["address"] == "桥头5号" and request["service_notice"] == ""
    listed = requests_of(english.get(f"{BASE}/requests.{fmt}", SEPTEMBER), fmt)
    assert x.waiting.tracking_code in {r["service_request_id"] for r in listed}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_case_rejected_without_acceptance_is_not_found(english, public_cases, fmt):
    x = public_cases
    response = english.get(f"{BASE}/requests/{x.rejected.tracking_code}.{fmt}")
    assert response.status_code == 404
    assert "不属于" not in response.content.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_cases_that_may_not_be_shown_are_not_found_by_id(english, public_cases, fmt):
    for case in public_cases.never:
        response = english.get(f"{BASE}/requests/{case.tracking_code}.{fmt}")
        assert response.status_code == 404, case.text
        [(code, description)] = errors_of(response, fmt)
        assert code == 404 and case.text not in description


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_case_becomes_unlisted_when_its_category_is_hidden_or_withdrawn(english, public_cases, fmt):
    code = public_cases.pothole.tracking_code
    assert english.get(f"{BASE}/requests/{code}.{fmt}").status_code == 200
    Category.objects.filter(code="urban.road").update(public_location="hidden")
    assert english.get(f"{BASE}/requests/{code}.{fmt}").status_code == 404
    Category.objects.filter(code="urban.road").update(public_location="exact", is_public=False)
    assert english.get(f"{BASE}/requests/{code}.{fmt}").status_code == 404


def one(english, case, fmt="json") -> dict:
    [request] = requests_of(english.get(f"{BASE}/requests/{case.tracking_code}.{fmt}"), fmt)
    return request


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_place_is_as_precise_as_the_category_allows(english, public_cases, services_county, fmt):
    c, pothole = services_county, public_cases.pothole
    request = one(english, pothole, fmt)
    assert float(request["lat"]) == 31.9051 and request["address"] == "滨河路12号"
    Category.objects.filter(code="urban.road").update(public_location="approximate")
    request = one(english, pothole, fmt)
    assert (float(request["lat"]), float(request["long"])) == (31.905, 108.605)
    assert request["address"] == c.grid1.name
    Category.objects.filter(code="urban.road").update(public_location="grid")
    request = one(english, pothole, fmt)
    assert (float(request["lat"]), float(request["long"])) == (c.grid1.lat, c.grid1.lng)
    assert request["address"] == c.grid1.name
    Category.objects.filter(code="urban.road").update(public_location="township")
    request = one(english, pothole, fmt)
    # The fixture's township has no centre of its own: no point at all, and the township's name.
    assert "lat" not in request and "long" not in request
    assert request["address"] == c.gecheng.name


def test_a_township_with_a_centre_is_shown_there(english, public_cases, services_county):
    c = services_county
    c.gecheng.lat, c.gecheng.lng = 31.9, 108.6
    c.gecheng.save()
    Category.objects.filter(code="urban.road").update(public_location="township")
    request = one(english, public_cases.pothole)
    assert (request["lat"], request["long"]) == (31.9, 108.6)


def test_a_case_placed_only_by_address_shows_no_point_and_the_county(english, services_county, listed_case):
    case = listed_case(category_code="urban.light", lat=None, lng=None, region_code="500229", address="县城某处")
    request = one(english, case)
    assert "lat" not in request and request["address"] == "城口县"


def test_numbers_and_mail_addresses_in_texts_are_blanked(english, services_county, listed_case):
    case = listed_case(category_code="urban.road", text="请联系 138 0000 1234 或 a.b@example.com",
                       address="幸福路 13800001234")
    request = one(english, case)
    assert request["description"] == "请联系 【已隐去】 或 【已隐去】"
    assert request["address"] == "幸福路 【已隐去】"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_reporters_name_is_blanked_in_description_notes_and_address(english, services_county, new_case, people,
                                                                        fmt):
    Category.objects.filter(code="urban.light").update(public_location="exact")
    case = new_case(reporter_name="赵小梅", reporter_phone="66123",
                    text="我是赵小梅，家门口（小梅便利店旁）路面塌了，回电66123", address="赵小梅家门口")
    case = s.accept_case(people.dispatcher, case)
    case = s.dispatch_case(people.dispatcher, case)
    case = s.start_case(people.handler, case)
    s.resolve_case(people.handler, case, reply="赵女士您好：路面已修复。小梅便利店门前已设围挡。")
    [request] = requests_of(english.get(f"{BASE}/requests/{case.tracking_code}.{fmt}"), fmt)
    assert request["description"] == "我是【已隐去】，家门口（【已隐去】便利店旁）路面塌了，回电【已隐去】"
    assert request["status_notes"] == "【已隐去】您好：路面已修复。【已隐去】便利店门前已设围挡。"
    assert request["address"] == "【已隐去】家门口"
    listed = requests_of(english.get(f"{BASE}/requests.{fmt}", {"service_request_id": case.tracking_code}), fmt)
    assert listed == [request]


def test_json_types_follow_the_spec(english, public_cases):
    request = one(english, public_cases.pothole)
    assert isinstance(request["service_request_id"], str) and isinstance(request["service_code"], str)
    assert isinstance(request["lat"], float) and isinstance(request["long"], float)
    assert request["zipcode"] == "" and request["address_id"] == "" and request["service_notice"] == ""
    assert list(request)[:3] == ["service_request_id", "status", "status_notes"]


def test_pages_split_a_long_list(english, public_cases, listed_case):
    september = public_cases.pothole.submitted_at
    for day in range(3, 8):
        listed_case(category_code="urban.road", text=f"9月{day}日的坑", now=september.replace(day=day))
    first = requests_of(english.get(f"{BASE}/requests.json", {**SEPTEMBER, "page_size": 3}), "json")
    second = requests_of(english.get(f"{BASE}/requests.json", {**SEPTEMBER, "page_size": 3, "page": 2}), "json")
    third = requests_of(english.get(f"{BASE}/requests.json", {**SEPTEMBER, "page_size": 3, "page": 3}), "json")
    everything = requests_of(english.get(f"{BASE}/requests.json", SEPTEMBER), "json")
    assert [len(first), len(second), len(third)] == [3, 3, 1]
    assert first + second + third == everything
    assert [r["description"] for r in first] == ["9月7日的坑", "9月6日的坑", "9月5日的坑"]


def test_the_discovery_document_names_this_endpoint(english, services_county):
    discovery = english.get(f"{BASE}/discovery.json").json()
    [endpoint] = discovery["endpoints"]
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["changeset"].endswith("+08:00")
    xml = english.get(f"{BASE}/discovery.xml")
    assert b"<formats><format>text/xml</format><format>application/json</format></formats>" in xml.content


def test_control_characters_cannot_break_the_xml(english, services_county, listed_case):
    import xml.etree.ElementTree as ET

    case = listed_case(category_code="urban.road", text="坑\x01\x08 <b>&amp;")
    root = ET.fromstring(english.get(f"{BASE}/requests/{case.tracking_code}.xml").content)
    assert root.find("request/description").text == "坑 <b>&amp;"


def test_a_list_of_township_cases_costs_the_same_few_queries_for_many(english, services_county, listed_case,
                                                                      django_assert_max_num_queries):
    """Places and points come from the townships read once, not from a query per case."""
    c = services_county
    c.gecheng.lat, c.gecheng.lng = 31.9, 108.6
    c.gecheng.save()
    Category.objects.filter(code="urban.road").update(public_location="township")
    for n in range(12):
        listed_case(category_code="urban.road", text=f"坑{n}", lat=31.905, lng=108.605 + n * 0.0001)
    with django_assert_max_num_queries(3):
        response = english.get(f"{BASE}/requests.json")
    listed = requests_of(response, "json")
    assert len(listed) == 12
    assert {(r["lat"], r["long"], r["address"]) for r in listed} == {(31.9, 108.6, c.gecheng.name)}
