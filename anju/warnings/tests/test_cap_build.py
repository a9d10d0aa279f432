"""Writing CAP 1.2: the GB/T 35965.1 identifier, times in Beijing time, the schema's order, closed
polygons, references; and every message Anju issues for a warning (alert, update, cancel) valid
by Anju's validator and by the independent ``capvalidator``, without a person in it."""

from datetime import UTC, datetime, timedelta

import pytest
from capvalidator import check_schema
from django.utils import translation
from lxml import etree

from anju.lib.errors import ServiceError
from anju.warnings import cap
from anju.warnings.issuing import issue_message, level_policy, messages_in_force, sender_for
from anju.warnings.models import CapMessage, LevelPolicy
from anju.warnings.tests.cap_fixtures import DEPUTY, HOUSEHOLD, MONITOR, NOW, make_point, make_warning

NS = "{urn:oasis:names:tc:emergency:cap:1.2}"


def valid_everywhere(xml: bytes) -> None:
    assert cap.validate(xml) == []
    result = check_schema(xml)
    assert result.passed, result.message


def small_alert(**changes) -> cap.Alert:
    area = cap.Area("土城社区", polygons=[[(31.9, 108.6), (31.9, 108.61), (31.91, 108.61), (31.9, 108.6)]])
    info = cap.Info(event="滑坡灾害预警", urgency="Expected", severity="Severe", certainty="Likely", language="zh-CN",
                    expires=NOW + timedelta(hours=6), areas=[area])
    values = {"identifier": cap.make_identifier("500229", "000", NOW, 0), "sender": "500229@anju.warnings",
              "sent": NOW, "msg_type": "Alert", "infos": [info]}
    values.update(changes)
    return cap.Alert(**values)


# ---------------------------------------------------------------------------- identifier


def test_it_makes_the_identifier_of_gbt_35965_in_beijing_time():
    entered = datetime(2026, 7, 1, 6, 5, 9, 900000, tzinfo=UTC)  # 14:05:09 in Beijing
    identifier = cap.make_identifier("500229", "416", entered, 3)
    assert identifier == "50022941600000_20260701140509_3"
    assert len(identifier) == 31


@pytest.mark.parametrize("code", ["500229001001", "500229001", "50022", "5002299", "abcdef", 500229])
def test_it_refuses_any_code_but_a_county_s_six_digits(code):
    with pytest.raises(ValueError):
        cap.make_identifier(code, "000", NOW, 0)


@pytest.mark.parametrize("organ,sequence", [("41", 0), ("4160", 0), ("000", 10), ("000", -1), ("000", True)])
def test_it_refuses_a_wrong_organ_code_or_sequence(organ, sequence):
    with pytest.raises(ValueError):
        cap.make_identifier("500229", organ, NOW, sequence)


def test_it_refuses_an_entry_time_without_its_zone():
    with pytest.raises(ValueError):
        cap.make_identifier("500229", "000", datetime(2026, 7, 1, 14, 5), 0)


# ---------------------------------------------------------------------------- build


def test_it_writes_every_time_in_beijing_time_to_the_second_and_never_z():
    sent = datetime(2026, 7, 1, 0, 0, 0, 500, tzinfo=UTC)
    xml = cap.build(small_alert(sent=sent))
    root = etree.fromstring(xml)
    assert root.findtext(f"{NS}sent") == "2026-07-01T08:00:00+08:00"
    assert root.findtext(f"{NS}info/{NS}expires") == "2026-07-01T20:05:09+08:00"
    assert b"Z<" not in xml and b".000" not in xml
    valid_everywhere(xml)


def test_it_writes_the_elements_in_the_schema_s_order():
    alert = small_alert(msg_type="Update", note="更正", codes=["IPAWSv1.0"],
                        references=[cap.Reference("500229@anju.warnings", "50022900000000_20260701130000_0",
                                                  NOW - timedelta(hours=1))])
    alert.infos[0].parameters = [("level", "orange 橙色")]
    alert.infos[0].areas[0].geocodes = [("GB/T 2260", "500229001")]
    xml = cap.build(alert)
    root = etree.fromstring(xml)
    assert [etree.QName(e).localname for e in root] == [
        "identifier", "sender", "sent", "status", "msgType", "scope", "code", "note", "references", "info"]
    info = root.find(f"{NS}info")
    assert [etree.QName(e).localname for e in info] == [
        "language", "category", "event", "urgency", "severity", "certainty", "expires", "parameter", "area"]
    assert root.findtext(f"{NS}references") == \
        "500229@anju.warnings,50022900000000_20260701130000_0,2026-07-01T13:05:09+08:00"
    valid_everywhere(xml)


def test_it_writes_polygons_as_lat_lon_pairs_separated_by_spaces():
    xml = cap.build(small_alert())
    assert etree.fromstring(xml).findtext(f"{NS}info/{NS}area/{NS}polygon") == \
        "31.9,108.6 31.9,108.61 31.91,108.61 31.9,108.6"


@pytest.mark.parametrize("points,words", [
    ([(31.9, 108.6), (31.9, 108.61), (31.91, 108.61), (31.91, 108.6)], "not closed"),
    ([(31.9, 108.6), (31.9, 108.61), (31.9, 108.6)], "at least 4"),
    ([(91.0, 108.6), (31.9, 108.61), (31.91, 108.61), (91.0, 108.6)], "outside latitude"),
])
def test_it_refuses_to_build_an_open_short_or_out_of_range_polygon(points, words):
    alert = small_alert()
    alert.infos[0].areas[0].polygons = [points]
    with translation.override("en"), pytest.raises(cap.CapError) as refused:
        cap.build(alert)
    assert any(words in reason for reason in refused.value.reasons), refused.value.reasons


def test_it_refuses_to_build_a_time_without_its_zone():
    with pytest.raises(cap.CapError):
        cap.build(small_alert(sent=datetime(2026, 7, 1, 14, 0)))


def test_it_refuses_to_build_what_the_cap_text_forbids():
    with translation.override("en"), pytest.raises(cap.CapError) as refused:
        cap.build(small_alert(msg_type="Cancel"))
    assert any("<references>" in reason for reason in refused.value.reasons)


def test_what_it_builds_it_reads_back():
    alert = small_alert()
    assert cap.parse(cap.build(alert)) == cap.parse(cap.build(cap.parse(cap.build(alert))))
    read = cap.parse(cap.build(alert))
    assert read.identifier == alert.identifier and read.sent == alert.sent.replace(microsecond=0)
    assert read.infos[0].areas[0].polygons == alert.infos[0].areas[0].polygons


# ---------------------------------------------------------------------------- level policy


def test_the_table_ships_the_defaults_and_falls_back_to_them_without_a_row(db):
    shipped = {p.level: (p.urgency, p.severity, p.certainty, p.approver_role, p.ack_minutes)
               for p in LevelPolicy.objects.all()}
    assert shipped["red"] == ("Immediate", "Extreme", "Likely", "leader", 10)
    assert shipped["blue"] == ("Future", "Minor", "Possible", "supervisor", 60) and len(shipped) == 4
    LevelPolicy.objects.all().delete()
    red, blue = level_policy("red"), level_policy("blue")
    assert (red.urgency, red.severity, red.certainty, red.approver_role, red.ack_minutes) == \
        ("Immediate", "Extreme", "Likely", "leader", 10)
    assert (level_policy("orange").urgency, level_policy("orange").ack_minutes) == ("Expected", 15)
    assert (level_policy("yellow").severity, level_policy("yellow").approver_role) == ("Moderate", "supervisor")
    assert (blue.urgency, blue.severity, blue.certainty, blue.ack_minutes, blue.expires_hours) == \
        ("Future", "Minor", "Possible", 60, 24)
    assert red.pk is None
    with pytest.raises(ValueError):
        level_policy("purple")


def test_the_level_policy_table_overrides_the_defaults(db):
    LevelPolicy.objects.filter(level="yellow").update(urgency="Immediate", severity="Severe", certainty="Observed",
                                                      approver_role="leader", ack_minutes=20, expires_hours=6)
    policy = level_policy("yellow")
    assert (policy.urgency, policy.severity, policy.ack_minutes, policy.expires_hours) == ("Immediate", "Severe", 20, 6)


# ---------------------------------------------------------------------------- issuing


def test_an_issued_alert_carries_the_county_s_identifier_and_is_valid_everywhere(county):
    point = make_point(county)
    warning = make_warning(county, points=[point])
    message = issue_message(warning, "Alert", None, NOW)
    assert message.identifier == "50022900000000_20260701140509_0"
    assert message.sender == sender_for(county.county) == "500229@anju.warnings"
    assert message.sent_at == NOW.replace(microsecond=0) and message.msg_type == "Alert" and message.issued_here
    xml = bytes(CapMessage.objects.get(pk=message.pk).xml)
    valid_everywhere(xml)
    alert = cap.parse(xml)
    zh, en = alert.infos
    assert (zh.language, en.language) == ("zh-CN", "en-US")
    assert zh.categories == ["Geo"] and zh.event == "滑坡灾害预警" and en.event == "Landslide warning"
    assert (zh.urgency, zh.severity, zh.certainty) == ("Expected", "Severe", "Likely")
    assert zh.parameter("level") == "orange 橙色" and zh.response_types == ["Prepare"]
    assert zh.headline == "葛城街道滑坡橙色预警" and en.headline == "Orange landslide warning: 城口县葛城街道"
    assert en.instruction.startswith("Be ready to leave")
    assert zh.expires == warning.expires_at.replace(microsecond=0)
    area = zh.areas[0]
    assert area.area_desc == "城口县葛城街道：土城社区后山滑坡"
    assert area.geocodes == [("GB/T 2260", "500229001")]
    # No outline: a small square around the point.
    assert len(area.polygons) == 1 and area.polygons[0][0] == area.polygons[0][-1]
    assert b"+08:00" in xml and b"Z</" not in xml
    warning.refresh_from_db()
    assert warning.status == "issued"  # the lifecycle's to change


def test_an_update_and_a_cancel_refer_to_every_message_in_force(county):
    warning = make_warning(county, points=[make_point(county)])
    alert = issue_message(warning, "Alert", None, NOW)
    update = issue_message(warning, "Update", None, NOW + timedelta(minutes=30))
    cancel = issue_message(warning, "Cancel", None, NOW + timedelta(hours=1))
    assert update.references == f"500229@anju.warnings,{alert.identifier},2026-07-01T14:05:09+08:00"
    assert cancel.references == (f"500229@anju.warnings,{alert.identifier},2026-07-01T14:05:09+08:00 "
                                 f"500229@anju.warnings,{update.identifier},2026-07-01T14:35:09+08:00")
    for message in (alert, update, cancel):
        valid_everywhere(bytes(message.xml))
    cancelled = cap.parse(bytes(cancel.xml))
    assert cancelled.msg_type == "Cancel" and [r.identifier for r in cancelled.references] == \
        [alert.identifier, update.identifier]
    assert cancelled.infos[0].headline.startswith("解除：") and cancelled.infos[0].response_types == ["AllClear"]
    assert cancelled.infos[1].headline.startswith("Cancelled: ")
    # After the cancel nothing is in force: a new alert stands alone, and an update has nothing to update.
    assert messages_in_force(warning) == []
    with pytest.raises(ServiceError) as refused:
        issue_message(warning, "Update", None, NOW + timedelta(hours=2))
    assert refused.value.status == 409
    again = issue_message(warning, "Alert", None, NOW + timedelta(hours=3))
    assert again.references == "" and messages_in_force(warning) == [again]


def test_messages_entered_in_the_same_second_are_numbered(county):
    first = make_warning(county)
    second = make_warning(county, area=county.fuxing, hazard_type="flash_flood", level="red")
    identifiers = [issue_message(w, "Alert", None, NOW).identifier for w in (first, second)]
    assert identifiers == ["50022900000000_20260701140509_0", "50022900000000_20260701140509_1"]
    valid_everywhere(bytes(CapMessage.objects.get(identifier=identifiers[1]).xml))


def test_the_organ_code_comes_from_the_setting(county, settings):
    settings.ANJU_WARNINGS_ORGAN_CODE = "416"
    assert issue_message(make_warning(county), "Alert", None, NOW).identifier.startswith("50022941600000_")
    settings.ANJU_WARNINGS_ORGAN_CODE = "41"
    with pytest.raises(ServiceError):
        issue_message(make_warning(county), "Alert", None, NOW)


def test_no_person_appears_in_a_message_even_where_staff_wrote_one(county):
    point = make_point(county, name=f"{HOUSEHOLD[0]}家屋后滑坡")
    warning = make_warning(county, points=[point], description=f"请联系监测员{MONITOR[0]}（{MONITOR[1]}），"
                           f"通知{HOUSEHOLD[0]}家撤离。", instruction=f"副监测员{DEPUTY[0]}电话{DEPUTY[1]}。",
                           description_en=f"Call the monitor on {MONITOR[1]}.")
    for msg_type in ("Alert", "Update", "Cancel"):
        text = bytes(issue_message(warning, msg_type, None, NOW).xml).decode()
        for secret in (*MONITOR, *DEPUTY, HOUSEHOLD[0], HOUSEHOLD[1], HOUSEHOLD[2]):
            assert secret not in text, (msg_type, secret)


def test_the_area_is_the_warning_s_polygon_else_each_point_s_outline(county):
    outline = {"type": "Polygon", "coordinates": [[[108.60, 31.90], [108.61, 31.90], [108.61, 31.91],
                                                   [108.60, 31.90]]]}
    point = make_point(county, outline=outline)
    from_outline = cap.parse(bytes(issue_message(make_warning(county, points=[point]), "Alert", None, NOW).xml))
    assert from_outline.infos[0].areas[0].polygons == [[(31.9, 108.6), (31.9, 108.61), (31.91, 108.61),
                                                        (31.9, 108.6)]]
    own = make_warning(county, points=[point], polygon=[[31.9, 108.6], [31.95, 108.6], [31.95, 108.7]])
    from_own = cap.parse(bytes(issue_message(own, "Alert", None, NOW + timedelta(seconds=1)).xml))
    assert from_own.infos[0].areas[0].polygons == [[(31.9, 108.6), (31.95, 108.6), (31.95, 108.7), (31.9, 108.6)]]
    grid = make_warning(county, area=county.grid3)
    from_grid = cap.parse(bytes(issue_message(grid, "Alert", None, NOW + timedelta(seconds=2)).xml))
    assert from_grid.infos[0].areas[0].polygons[0][0] == (31.95, 108.7)
    assert from_grid.infos[0].areas[0].geocodes == [("GB/T 2260", "500229002001")]


def test_a_polygon_that_cannot_be_one_is_refused_and_nothing_stored(county):
    warning = make_warning(county, polygon=[[31.9, 108.6], [31.95, 108.6]])
    with pytest.raises(ServiceError) as refused:
        issue_message(warning, "Alert", None, NOW)
    assert refused.value.field == "polygon"
    warning.polygon = [[131.9, 108.6], [31.95, 108.6], [31.95, 108.7]]
    warning.save()
    with pytest.raises(ServiceError):
        issue_message(warning, "Alert", None, NOW)
    assert not CapMessage.objects.exists()


def test_every_level_and_hazard_makes_a_valid_alert_update_and_cancel(county):
    start = NOW
    for level in ("blue", "yellow", "orange", "red"):
        for hazard in ("landslide", "debris_flow", "collapse", "subsidence", "flash_flood"):
            warning = make_warning(county, level=level, hazard_type=hazard, headline_en="", instruction="",
                                   onset_at=NOW, expires_at=None)
            for msg_type in ("Alert", "Update", "Cancel"):
                start += timedelta(seconds=1)
                valid_everywhere(bytes(issue_message(warning, msg_type, None, start).xml))
