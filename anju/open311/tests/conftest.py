"""Fixtures for the Open311 tests: the fixture county's categories made public services (道路破损
shown at the exact point with three extra questions, 路灯故障 at the grid centre), an
application with a key, and a set of cases of which only some may ever be listed."""

import json
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlencode

import pytest
from django.test import Client

from anju.cases import services as s
from anju.cases.models import Category
from anju.conftest import at
from anju.open311.models import Application, ServiceAttribute
from anju.people.models import hash_token

BASE = "/open311/v2"
KEY = "test-open311-key"
FORMATS = ["json", "xml"]
# The spec's example POST, adapted to the fixture county: 道路破损 at a point inside grid 1
# (lng 108.60–108.61, lat 31.90–31.91) and answers to its attributes.
SPEC_EXAMPLE = (
    "api_key=test-open311-key&jurisdiction_id=anju.local&service_code=urban.road&lat=31.90524078&long=108.6052043"
    "&address_string=1234+5th+street&email=smith@domain.com&device_id=tt222111&account_id=123456&first_name=john"
    "&last_name=smith&phone=111111111&description=A+large+sinkhole+is+destroying+the+street"
    "&media_url=http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg"
    "&attribute[SURFACE]=asphalt&attribute[DAMAGE][]=pothole&attribute[DAMAGE][]=crack"
)


@pytest.fixture
def services_county(county):
    """The fixture county with public services and their attributes."""
    c = county
    Category.objects.filter(code="urban.road").update(public_location="exact")
    Category.objects.filter(code="urban.light").update(public_location="grid")
    # 噪声扰民 stays hidden: offered as a service, but its cases are never listed.
    c.road.refresh_from_db()
    c.light.refresh_from_db()
    c.closed_category = Category.objects.create(code="internal.audit", name="内部审计", is_public=False,
                                                public_location="exact")
    ServiceAttribute.objects.create(
        category=c.road, code="SURFACE", datatype="singlevaluelist", required=True, order=1,
        description="路面类型",
        values=[{"key": "asphalt", "name": "沥青路面"}, {"key": "concrete", "name": "水泥路面"}],
    )
    ServiceAttribute.objects.create(
        category=c.road, code="DAMAGE", datatype="multivaluelist", order=2, description="损坏情况",
        values=[{"key": "pothole", "name": "坑槽"}, {"key": "crack", "name": "裂缝"}, {"key": 3, "name": "沉陷"}],
    )
    ServiceAttribute.objects.create(category=c.road, code="DEPTH", datatype="number", order=3,
                                    description="坑深（厘米）", datatype_description="cm")
    ServiceAttribute.objects.create(category=c.road, code="SEEN", datatype="datetime", order=4,
                                    description="发现时间")
    ServiceAttribute.objects.create(category=c.road, code="NOTE", datatype="text", variable=False, order=5,
                                    description="请勿填写他人电话")
    return c


@pytest.fixture
def application(db):
    return Application.objects.create(name="城口通 App", contact="ops@example.org", key_hash=hash_token(KEY),
                                      key_prefix=KEY[:9])


@pytest.fixture
def english():
    """A machine client asking for English, so that assertions read the msgids."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def post(client, fmt: str, body: str | dict):
    """POST a form-encoded body, as Open311 clients do."""
    if isinstance(body, dict):
        body = urlencode(body, doseq=True)
    return client.post(f"{BASE}/requests.{fmt}", data=body, content_type="application/x-www-form-urlencoded")


def spec_example(changes: dict | None = None, drop=()) -> dict:
    """The adapted spec example as a dict of lists, with fields changed or dropped."""
    params = parse_qs(SPEC_EXAMPLE, keep_blank_values=True)
    for key, value in (changes or {}).items():
        params[key] = value if isinstance(value, list) else [value]
    for key in drop:
        params.pop(key, None)
    return params


def parse(response, fmt: str):
    """The answer as Python data: JSON as it is, XML as an ElementTree root."""
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        return json.loads(response.content)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)


def errors_of(response, fmt: str) -> list[tuple[int, str]]:
    """The spec's error body as (code, description) pairs, checking its exact shape."""
    data = parse(response, fmt)
    if fmt == "json":
        assert isinstance(data, list) and data
        for entry in data:
            assert set(entry) == {"code", "description"} and isinstance(entry["code"], int)
        return [(entry["code"], entry["description"]) for entry in data]
    assert data.tag == "errors" and len(data)
    pairs = []
    for error in data:
        assert error.tag == "error" and [child.tag for child in error] == ["code", "description"]
        pairs.append((int(error.find("code").text), error.find("description").text))
    return pairs


def requests_of(response, fmt: str) -> list[dict]:
    """Service requests as dicts of strings (XML) or JSON values."""
    data = parse(response, fmt)
    if fmt == "json":
        return data
    assert data.tag == "service_requests"
    return [{child.tag: child.text or "" for child in request} for request in data]


class Cases:
    """Handles to the cases of the ``public_cases`` fixture."""


def _resolve(people, case, now):
    case = s.accept_case(people.dispatcher, case, now=now)
    case = s.dispatch_case(people.dispatcher, case, now=now)
    case = s.start_case(people.handler, case, now=now)
    return s.resolve_case(people.handler, case, reply="已修复，联系电话 13800001234", now=now)


def accepted(people, case, now=None):
    """``case`` accepted by the dispatcher: only then is it listed."""
    return s.accept_case(people.dispatcher, case, now=now)


@pytest.fixture
def public_cases(services_county, people, new_case):
    """Two listed (accepted) cases in September 2026 and one in May, one waiting to be accepted
    (answered by id without its details, never listed), and one of every kind that must never
    be listed (all at listed points and in listed categories unless the point is the category)."""
    x = Cases()
    x.pothole = new_case(category_code="urban.road", text="滨河路有个大坑，电话13912345678", address="滨河路12号",
                         lat=31.9051, lng=108.6052, now=at(2026, 9, 1, 10))
    x.pothole = accepted(people, x.pothole, at(2026, 9, 1, 11))
    x.dark = new_case(category_code="urban.light", text="路灯不亮", lat=31.9052, lng=108.6153,
                      now=at(2026, 9, 2, 10))
    x.dark = _resolve(people, x.dark, at(2026, 9, 3, 10))
    x.old = new_case(category_code="urban.road", text="五月的坑", lat=31.905, lng=108.605, now=at(2026, 5, 1, 10))
    x.old = accepted(people, x.old, at(2026, 5, 1, 11))
    x.waiting = new_case(category_code="urban.road", text="张三同志反映：桥头有坑，电话13912345678",
                         address="桥头5号", lat=31.9052, lng=108.6053, now=at(2026, 9, 4, 10))
    # Never listed:
    x.hidden = new_case(category_code="env.noise", text="夜间施工噪声", now=at(2026, 9, 1, 11))
    x.confidential = new_case(category_code="urban.road", text="保密的坑", confidential=True, now=at(2026, 9, 1, 12))
    x.about_office = new_case(category_code="urban.road", text="街道办不修路", about_office_code="gc",
                              now=at(2026, 9, 1, 13))
    x.wrongdoing = new_case(kind="report", category_code="urban.road", text="有人偷井盖", now=at(2026, 9, 1, 14))
    x.petition = new_case(kind="petition", category_code="urban.road", text="信访：道路拆迁", now=at(2026, 9, 1, 15))
    x.not_a_service = new_case(category_code="internal.audit", text="内部事项", now=at(2026, 9, 1, 16))
    x.duplicate = new_case(category_code="urban.road", text="同一个坑", now=at(2026, 9, 1, 17))
    x.duplicate = s.merge_case(people.dispatcher, x.duplicate, into=x.pothole, now=at(2026, 9, 1, 18))
    x.rejected = s.reject_case(people.dispatcher, new_case(category_code="urban.road", text="不属于本县的坑",
                                                            now=at(2026, 9, 5, 10)),
                               reply="不属于受理范围", now=at(2026, 9, 5, 11))
    x.never = [x.hidden, x.confidential, x.about_office, x.wrongdoing, x.petition, x.not_a_service, x.duplicate,
               x.rejected]
    for case in x.never + [x.pothole, x.dark, x.old, x.waiting]:
        case.refresh_from_db()
    return x


SEPTEMBER = {"start_date": "2026-08-20T00:00:00+08:00", "end_date": "2026-09-30T00:00:00+08:00"}
