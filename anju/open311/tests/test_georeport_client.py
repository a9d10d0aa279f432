"""A real Open311 client (the PyPI package georeport 0.3.1, over HTTP with requests) reads
services, a service definition and service requests from a live server, in JSON and in XML."""

import pytest
from georeport import GeoReport

from anju.cases.models import Category
from anju.open311.formats import w3c
from anju.open311.tests.conftest import FORMATS, SEPTEMBER


def listify(value) -> list:
    """xmltodict gives one child as a dict and several as a list; JSON always gives a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text(value) -> str:
    """JSON booleans and numbers, XML strings: compare both as the XML text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


@pytest.fixture
def georeport(live_server):
    def make(fmt):
        return GeoReport(f"{live_server.url}/open311/v2", jurisdiction="anju.local", output_format=fmt)

    return make


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_lists_public_active_categories_as_services(georeport, services_county, fmt):
    Category.objects.create(code="urban.old", name="旧分类", parent=services_county.urban, is_active=False)
    services = listify(georeport(fmt).get_service_list())
    by_code = {service["service_code"]: service for service in services}
    # Not the category that is not offered to residents, nor the inactive one.
    assert list(by_code) == ["env.noise", "urban", "urban.light", "urban.road"]
    road = by_code["urban.road"]
    assert road["service_name"] == "道路破损"
    assert road["group"] == "城乡建设"
    assert road["description"] == "城乡建设 / 道路破损"
    assert road["type"] == "realtime"
    assert "道路破损" in road["keywords"]
    assert text(road["metadata"]) == "true"
    assert text(by_code["urban.light"]["metadata"]) == "false"
    assert by_code["urban"]["group"] == "城乡建设"


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_reads_a_service_definition_with_its_attributes(georeport, services_county, fmt):
    definition = georeport(fmt).get_service_definition("urban.road")
    assert definition["service_code"] == "urban.road"
    attributes = definition["attributes"] if fmt == "json" else listify(definition["attributes"]["attribute"])
    assert [a["code"] for a in attributes] == ["SURFACE", "DAMAGE", "DEPTH", "SEEN", "NOTE"]
    surface, damage, depth = attributes[0], attributes[1], attributes[2]
    assert surface["datatype"] == "singlevaluelist"
    assert text(surface["required"]) == "true" and text(surface["variable"]) == "true"
    assert text(surface["order"]) == "1"
    assert surface["description"] == "路面类型"
    values = surface["values"] if fmt == "json" else listify(surface["values"]["value"])
    assert values == [{"key": "asphalt", "name": "沥青路面"}, {"key": "concrete", "name": "水泥路面"}]
    keys = damage["values"] if fmt == "json" else listify(damage["values"]["value"])
    # Keys are strings even when the administrator typed a number.
    assert [v["key"] for v in keys] == ["pothole", "crack", "3"]
    assert depth["datatype"] == "number" and depth["datatype_description"] == "cm" and "values" not in depth
    assert text(attributes[4]["variable"]) == "false"


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_reads_a_service_definition_without_attributes(georeport, services_county, fmt):
    definition = georeport(fmt).get_service_definition("urban.light")
    assert definition["service_code"] == "urban.light"
    assert not definition["attributes"]


def ids(requests) -> list[str]:
    return [r["service_request_id"] for r in listify(requests)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_lists_requests_with_the_spec_filters(georeport, public_cases, fmt):
    client, x = georeport(fmt), public_cases
    assert ids(client.get_service_requests(**SEPTEMBER)) == [x.dark.tracking_code, x.pothole.tracking_code]
    road = client.get_service_requests(service_code="urban.road", **SEPTEMBER)
    assert ids(road) == [x.pothole.tracking_code]
    both = client.get_service_requests(service_code="urban.road,urban.light", **SEPTEMBER)
    assert ids(both) == [x.dark.tracking_code, x.pothole.tracking_code]
    assert ids(client.get_service_requests(status="closed", **SEPTEMBER)) == [x.dark.tracking_code]
    assert ids(client.get_service_requests(status="open", **SEPTEMBER)) == [x.pothole.tracking_code]
    assert len(ids(client.get_service_requests(status="open,closed", **SEPTEMBER))) == 2
    may = client.get_service_requests(start_date="2026-04-20T00:00:00Z", end_date="2026-05-20T00:00:00Z")
    assert ids(may) == [x.old.tracking_code]


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_request_id_overrides_the_other_filters(georeport, public_cases, fmt):
    x = public_cases
    asked = ",".join([x.old.tracking_code, x.pothole.tracking_code, x.hidden.tracking_code, x.waiting.tracking_code,
                      x.rejected.tracking_code])
    found = georeport(fmt).get_service_requests(service_request_id=asked, service_code="urban.light",
                                               status="closed", **SEPTEMBER)
    # The filters would have excluded them; the never-listed cases stay out regardless, and the
    # case waiting to be accepted comes without its details.
    found = listify(found)
    assert ids(found) == [x.waiting.tracking_code, x.pothole.tracking_code, x.old.tracking_code]
    assert "description" not in found[0] and "description" in found[1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_reads_a_request_waiting_to_be_accepted_without_its_details(georeport, public_cases, fmt):
    x = public_cases
    waiting = georeport(fmt).get_service_request(x.waiting.tracking_code)
    assert waiting["service_request_id"] == x.waiting.tracking_code
    assert waiting["status"] == "open"
    assert waiting["service_code"] == "urban.road" and waiting["service_name"] == "道路破损"
    assert waiting["requested_datetime"] == "2026-09-04T10:00:00+08:00"
    assert waiting["agency_responsible"] == "县综治中心"
    assert "accepted" in waiting["service_notice"] or "受理" in waiting["service_notice"]
    for detail in ("description", "address", "lat", "long", "status_notes", "media_url"):
        assert detail not in waiting, detail


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_reads_one_request_by_its_tracking_code(georeport, public_cases, fmt):
    x = public_cases
    pothole = georeport(fmt).get_service_request(x.pothole.tracking_code)
    assert pothole["service_request_id"] == x.pothole.tracking_code
    assert pothole["status"] == "open"
    assert pothole["service_code"] == "urban.road" and pothole["service_name"] == "道路破损"
    # The category shows the exact point and address; the phone number in the text is blanked.
    assert text(pothole["lat"]) == "31.9051" and text(pothole["long"]) == "108.6052"
    assert pothole["address"] == "滨河路12号"
    assert pothole["description"] == "滨河路有个大坑，电话【已隐去】"
    assert pothole["agency_responsible"] == "县综治中心"
    assert pothole["requested_datetime"] == "2026-09-01T10:00:00+08:00"
    # Accepted: the deadline to handle it runs.
    assert pothole["expected_datetime"] == w3c(x.pothole.handle_due_at)
    assert pothole["expected_datetime"].endswith("+08:00")
    assert text(pothole["status_notes"]) == ""
    assert "media_url" not in pothole

    dark = georeport(fmt).get_service_request(x.dark.tracking_code)
    assert dark["status"] == "closed"
    assert dark["status_notes"] == "已修复，联系电话 【已隐去】"
    # 路灯故障 is shown at its grid's centre, named by the grid, never at the reported point.
    assert (text(dark["lat"]), text(dark["long"])) == ("31.905", "108.615")
    assert dark["address"] == "土城第2网格"
    assert dark["agency_responsible"] == "葛城街道办事处"
    assert dark["updated_datetime"] == w3c(x.dark.updated_at)
