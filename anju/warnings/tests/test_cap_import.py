"""Reading upstream CAP alerts: documents written for the suite that break the XML, the schema or
the CAP 1.2 text, each refused with its reason and nothing stored; a valid alert for the county
passed on as a draft warning, one for another place refused; duplicates, updates, cancels, and
the incident it may open."""

from datetime import timedelta

import pytest
from django.utils import translation

from anju.lib.errors import ServiceError
from anju.warnings import cap
from anju.warnings.importing import ImportRefused, hazard_of, import_alert
from anju.warnings.models import CapMessage, Warning, WarningLog
from anju.warnings.tests.cap_fixtures import NOW, make_point, upstream

CAP11 = "urn:oasis:names:tc:emergency:cap:1.1"
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol4;</identifier></alert>"""
EXTERNAL_ENTITY = upstream().replace(
    b"<alert", b'<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<alert', 1).replace(
    b"<instruction>", b"<instruction>&xxe;")
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>"""


def swap(xml: bytes, old: str, new: str) -> bytes:
    assert old.encode() in xml, old
    return xml.replace(old.encode(), new.encode(), 1)


# (name, document, words in one of the reasons)
BAD = [
    ("malformed", upstream()[:-40], "not well-formed"),
    ("not utf-8", b"\xff\xfe<\x00a\x00\xff\xff\xff", "not well-formed"),
    ("wrong namespace", upstream(namespace=CAP11), "not a CAP 1.2 alert"),
    ("wrong order", swap(upstream(), "<identifier>50000041600000_20260701140000_0</identifier>\n  "
                                     "<sender>cq-meteo@cma.gov.cn</sender>",
                         "<sender>cq-meteo@cma.gov.cn</sender>\n  "
                         "<identifier>50000041600000_20260701140000_0</identifier>"), "This element is not expected"),
    ("bad status", upstream(status="Real"), "[facet 'enumeration']"),
    ("bad severity", upstream(severity="Catastrophic"), "[facet 'enumeration']"),
    ("time in Z", upstream(sent="2026-07-01T06:00:00Z"), "[facet 'pattern']"),
    ("time without zone", upstream(sent="2026-07-01T14:00:00"), "[facet 'pattern']"),
    ("fractional seconds", upstream(sent="2026-07-01T14:00:00.250+08:00"), "[facet 'pattern']"),
    ("no such day", upstream(sent="2026-02-30T14:00:00+08:00"), "'2026-02-30T14:00:00+08:00' is not a valid value"),
    ("UTC as +00:00", upstream(sent="2026-07-01T06:00:00+00:00"), '"-00:00"'),
    ("unknown element", upstream(extra_info="\n    <colour>orange</colour>"), "This element is not expected"),
    ("missing scope", swap(upstream(), "<scope>Public</scope>", ""), "cap:1.2}scope )"),
    ("missing event", swap(upstream(english=False), "<event>地质灾害气象风险预警</event>", ""), "event"),
    ("billion laughs", BILLION_LAUGHS, "DOCTYPE"),
    ("external entity", EXTERNAL_ENTITY, "DOCTYPE"),
    ("parameter entity", PARAMETER_ENTITY, "DOCTYPE"),
    ("open polygon", upstream(polygon="31.90,108.60 31.90,108.62 31.91,108.62 31.91,108.60"), "not closed"),
    ("short polygon", upstream(polygon="31.90,108.60 31.90,108.62 31.90,108.60"), "has 3 points"),
    ("polygon out of range", upstream(polygon="95,108.60 31.90,108.62 31.91,108.62 95,108.60"), "outside latitude"),
    ("polygon not pairs", upstream(polygon="31.90 108.60 31.90 108.62"), "lat,lon pairs"),
    ("update without references", upstream(msg_type="Update"), "<references>"),
    ("bad references", upstream(msg_type="Update", references="cq-meteo@cma.gov.cn,abc"), "sender,identifier,sent"),
    ("identifier with a space", upstream(identifier="alert 1"), "must not contain spaces"),
    ("bad web address", upstream(extra_info="\n    <web>not a uri</web>"), "absolute URI"),
    ("not CAP at all", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>',
     "not a CAP 1.2 alert"),
    ("html", b"<html><body><p>alert</p></body></html>", "not a CAP 1.2 alert"),
    ("empty element text", upstream(identifier=""), "identifier is empty"),
    ("restricted without restriction", swap(upstream(), "<scope>Public</scope>", "<scope>Restricted</scope>"),
     "<restriction>"),
    ("private without addresses", swap(upstream(), "<scope>Public</scope>", "<scope>Private</scope>"), "<addresses>"),
    ("ceiling without altitude", swap(upstream(), "</area>", "<ceiling>100</ceiling></area>"), "<altitude>"),
    ("circle with a negative radius", swap(upstream(), "</polygon>", "</polygon><circle>31.9,108.6 -5</circle>"),
     "radius"),
    ("circle without a radius", swap(upstream(), "</polygon>", "</polygon><circle>31.9,108.6</circle>"),
     "A circle is"),
    ("resource with a bad digest", swap(upstream(), "</parameter>", "</parameter><resource><resourceDesc>map"
                                        "</resourceDesc><mimeType>image/png</mimeType><digest>abc</digest>"
                                        "</resource>"), "SHA-1"),
    ("resource with a relative uri", swap(upstream(), "</parameter>", "</parameter><resource><resourceDesc>map"
                                          "</resourceDesc><mimeType>image/png</mimeType><uri>map.png</uri>"
                                          "</resource>"), "absolute URI"),
]


def stored():
    return CapMessage.objects.count(), Warning.objects.count(), WarningLog.objects.count()


@pytest.mark.parametrize("name,document,words", BAD, ids=[b[0] for b in BAD])
def test_it_refuses_a_bad_document_with_its_reason_and_stores_nothing(people, name, document, words):
    before = stored()
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        import_alert(people.dispatcher, document, NOW)
    assert refused.value.status == 422 and refused.value.field == "body"
    assert any(words in reason for reason in refused.value.reasons), refused.value.reasons
    assert stored() == before


def test_the_schema_s_reasons_carry_their_line_numbers():
    with translation.override("en"):
        assert cap.validate(upstream(status="Real")) == [
            "line 6: Element '{urn:oasis:names:tc:emergency:cap:1.2}status': [facet 'enumeration'] The value 'Real' "
            "is not an element of the set {'Actual', 'Exercise', 'System', 'Test', 'Draft'}."]
    assert cap.validate(upstream(status="Real"))[0].startswith("第6行：")


def test_a_comment_inside_a_value_is_left_out_of_it():
    document = swap(upstream(), "<identifier>50000041600000", "<identifier>5000004<!-- split -->1600000")
    assert cap.validate(document) == [] and cap.parse(document).identifier == "50000041600000_20260701140000_0"


def test_it_refuses_a_document_too_big_before_reading_it(people, settings):
    settings.ANJU_WARNINGS_CAP_MAX_BYTES = 2000
    with pytest.raises(ServiceError) as refused:
        import_alert(people.dispatcher, upstream(extra_info="\n    <contact>" + "x" * 3000 + "</contact>"), NOW)
    assert refused.value.status == 413 and not CapMessage.objects.exists()
    assert len(cap.validate(b"<a/>" * 10, max_bytes=20)) == 1


def test_it_refuses_an_empty_body(people):
    for body in (b"", b"  \n"):
        with pytest.raises(ServiceError) as refused:
            import_alert(people.dispatcher, body, NOW)
        assert (refused.value.status, refused.value.field) == (400, "body")


def test_a_valid_alert_for_the_county_becomes_a_draft_warning(county, people):
    point = make_point(county)
    far = make_point(county, code="500229-HP-002", region=county.taihe, lat=31.955, lng=108.705)
    result = import_alert(people.dispatcher, upstream(), NOW)
    warning = result.warning
    assert (warning.status, warning.origin, warning.level, warning.hazard_type) == \
        ("draft", "upstream", "orange", "landslide")
    assert (warning.upstream_sender, warning.upstream_identifier) == \
        ("cq-meteo@cma.gov.cn", "50000041600000_20260701140000_0")
    # The polygon covers both grids of 土城 (village), in 葛城.
    assert warning.area == county.tucheng
    assert list(warning.points.all()) == [point] and far not in warning.points.all()
    assert warning.headline == "城口县地质灾害气象风险橙色预警"
    assert warning.headline_en == "Orange geo-hazard risk warning for Chengkou"
    assert warning.polygon[0] == [31.9, 108.6] and warning.expires_at.isoformat() == "2026-07-02T14:00:00+08:00"
    assert warning.drafted_by == people.dispatcher
    message = result.message
    assert not message.issued_here and message.warning == warning and bytes(message.xml) == upstream()
    assert WarningLog.objects.get(warning=warning).code == "imported"


def test_an_alert_named_by_its_geocode_is_placed_at_that_region(county, people):
    result = import_alert(people.dispatcher, upstream(polygon="", geocode="500229002000"), NOW)
    assert result.warning.area == county.fuxing
    county_wide = import_alert(people.dispatcher, upstream(identifier="x-2", polygon="", geocode="500229"), NOW)
    assert county_wide.warning.area == county.county
    city_wide = import_alert(people.dispatcher, upstream(identifier="x-3", polygon="", geocode="500000000000"), NOW)
    assert city_wide.warning.area == county.county


def test_an_alert_for_another_place_is_refused(people):
    elsewhere = upstream(polygon="29.50,106.50 29.50,106.60 29.60,106.60 29.60,106.50 29.50,106.50",
                         geocode="500103")
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        import_alert(people.dispatcher, elsewhere, NOW)
    assert refused.value.status == 422 and "not for this county" in refused.value.message
    assert stored() == (0, 0, 0)


def test_the_level_comes_from_the_level_parameter_else_from_the_severity(county, people):
    red = import_alert(people.dispatcher, upstream(identifier="a-1", level="红色"), NOW).warning
    by_severity = import_alert(people.dispatcher, upstream(identifier="a-2", level="", severity="Moderate"), NOW)
    assert (red.level, by_severity.warning.level) == ("red", "yellow")


def test_it_refuses_the_same_alert_twice(county, people):
    import_alert(people.dispatcher, upstream(), NOW)
    with pytest.raises(ImportRefused) as refused:
        import_alert(people.dispatcher, upstream(), NOW)
    assert refused.value.status == 409 and stored() == (1, 1, 1)


@pytest.mark.parametrize("change,words", [
    ({"status": "Test"}, "status is Test"),
    ({"status": "Exercise"}, "status is Exercise"),
    ({"msg_type": "Ack", "references": "a@b,c,2026-07-01T13:00:00+08:00"}, "type Ack"),
    ({"expires": "2026-07-01T12:00:00+08:00"}, "expired"),
    ({"sent": "1999-07-01T14:00:00+08:00"}, "between"),
])
def test_it_passes_on_only_actual_alerts_updates_and_cancels_in_force(county, people, change, words):
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        import_alert(people.dispatcher, upstream(**change), NOW)
    assert words in refused.value.message and stored() == (0, 0, 0)


def test_an_update_brings_a_draft_up_to_date_and_a_cancel_marks_its_warning(county, people):
    first = import_alert(people.dispatcher, upstream(), NOW)
    reference = "cq-meteo@cma.gov.cn,50000041600000_20260701140000_0,2026-07-01T14:00:00+08:00"
    update = import_alert(people.dispatcher, upstream(identifier="u-1", msg_type="Update", references=reference,
                                                      level="红色", sent="2026-07-01T14:30:00+08:00"), NOW)
    assert update.warning == first.warning and Warning.objects.count() == 1
    first.warning.refresh_from_db()
    assert first.warning.level == "red" and first.warning.upstream_identifier == "u-1"
    cancel = import_alert(people.dispatcher, upstream(identifier="c-1", msg_type="Cancel", polygon="",
                                                      references=reference, sent="2026-07-01T15:00:00+08:00"), NOW)
    assert cancel.warning == first.warning and cancel.message.msg_type == "Cancel"
    assert list(first.warning.log.values_list("code", flat=True)) == ["imported", "imported", "imported"]
    stray = import_alert(people.dispatcher, upstream(identifier="c-2", msg_type="Cancel", references=reference.replace(
        "20260701140000_0", "20260701090000_0")), NOW)
    assert stray.warning is None and stray.message.warning is None


@pytest.mark.parametrize("persona", ["handler", "gridworker", "township_dispatcher", "nobody"])
def test_only_the_county_centre_imports(county, people, persona):
    with pytest.raises(ServiceError) as refused:
        import_alert(getattr(people, persona), upstream(), NOW)
    assert refused.value.status == 403 and stored() == (0, 0, 0)


def test_it_may_open_an_incident_through_the_duty_module(county, people, incidents):
    result = import_alert(people.dispatcher, upstream(), NOW + timedelta(minutes=5), open_incident=True)
    incident = result.incident
    assert incident is not None and incident.kind == "incident" and incident.incident.grade == "larger"
    assert incident.incident.source_module == "warnings"
    assert incident.incident.source_key == str(result.warning.pk)
    assert list(result.warning.log.values_list("code", flat=True)) == ["imported", "incident"]


def test_the_hazard_comes_from_the_event_s_words():
    def hazard(event):
        return hazard_of(cap.parse(upstream(event=event)))

    assert [hazard(e) for e in ("暴雨引发滑坡预警", "泥石流预警", "暴雨蓝色预警", "地质灾害气象风险预警")] == \
        ["landslide", "debris_flow", "flash_flood", "landslide"]
