"""A warning's lifecycle at a frozen moment: drafted, approved by the role its level requires (and
never by its drafter), issued (the Alert, the monitors asked, the households listed for orange
and red), updated and cancelled with messages referring to the earlier ones, expired by the
sweep, given the all-clear; no step on an ended warning (409 naming its state); bad input
refused naming the field, nothing written."""

from datetime import timedelta

import pytest

from anju.cases import sweep
from anju.conftest import at
from anju.lib.errors import ServiceError
from anju.warnings import lifecycle
from anju.warnings.choices import AckState, EvacuationState, Responder, WarningEvent, WarningStatus
from anju.warnings.models import Acknowledgement, CapMessage, Evacuation, Warning, WarningLog
from anju.warnings.tests.conftest import T0


def refused(call, status, field=None):
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.status == status, caught.value.message
    if field is not None:
        assert caught.value.field == field
    return caught.value


def events(warning):
    return list(warning.log.order_by("at", "pk").values_list("code", flat=True))


# ---------------------------------------------------------------------------- drafting and approval


def test_a_draft_is_approved_by_the_role_its_level_requires(make_warning, desk, people):
    orange = make_warning("orange", [desk.p1], status="draft")
    assert orange.status == WarningStatus.DRAFT and orange.origin == "staff"
    # Orange asks for a leader: a township supervisor is refused, the township's leader approves.
    refused(lambda: lifecycle.approve(desk.gc_supervisor, orange, now=T0), 403)
    refused(lambda: lifecycle.approve(people.admin, orange, now=T0), 403)
    approved = lifecycle.approve(desk.gc_leader, orange, note="同意发布", now=T0)
    assert (approved.status, approved.approved_by, approved.approved_at) == (WarningStatus.APPROVED, desk.gc_leader, T0)
    # Yellow asks for a supervisor or higher.
    yellow = make_warning("yellow", [desk.p1], status="draft", headline="黄色预警")
    assert lifecycle.approve(desk.gc_supervisor, yellow, now=T0).status == WarningStatus.APPROVED
    # A supervisor of another township does not reach the area.
    blue = make_warning("blue", [desk.p3], area=desk.p3.region.parent.parent, status="draft", headline="蓝色预警")
    refused(lambda: lifecycle.approve(desk.gc_supervisor, blue, now=T0), 403)
    assert lifecycle.approve(people.supervisor, blue, now=T0).status == WarningStatus.APPROVED
    assert events(approved) == [WarningEvent.DRAFTED, WarningEvent.APPROVED]


def test_the_drafter_may_not_approve_their_own_warning(county, people, desk):
    warning, _created = lifecycle.draft_warning(people.leader, lifecycle.NewWarning(
        level="red", hazard_type="landslide", area=county.gecheng.code, headline="红色预警", description="滑坡险情",
        points=["DZ001"]), now=T0)
    error = refused(lambda: lifecycle.approve(people.leader, warning, now=T0), 403)
    assert "drafter" in error.message or "起草" in error.message
    assert lifecycle.approve(desk.gc_leader, warning, now=T0).status == WarningStatus.APPROVED


def test_turning_a_draft_down_needs_a_reason_and_ends_it(make_warning, desk):
    warning = make_warning("orange", [desk.p1], status="draft")
    refused(lambda: lifecycle.reject(desk.gc_leader, warning, reason="  ", now=T0), 422, "reason")
    rejected = lifecycle.reject(desk.gc_leader, warning, reason="雨量未达阈值", now=T0)
    assert (rejected.status, rejected.ended_at) == (WarningStatus.REJECTED, T0)
    error = refused(lambda: lifecycle.approve(desk.gc_leader, warning, now=T0), 409, "status")
    assert "不予签发" in error.message or "Not approved" in error.message


def test_a_draft_is_made_once_per_idempotency_key(county, people, desk):
    data = lifecycle.NewWarning(level="yellow", hazard_type="landslide", area=county.gecheng.code,
                                headline="黄色预警", description="强降雨", points=["DZ001", "DZ002"])
    first, created = lifecycle.draft_warning(people.dispatcher, data, idempotency_key="k1", now=T0)
    again, created_again = lifecycle.draft_warning(people.dispatcher, data, idempotency_key="k1", now=T0)
    assert created and not created_again and first.pk == again.pk and Warning.objects.count() == 1
    data.headline = "另一个"
    refused(lambda: lifecycle.draft_warning(people.dispatcher, data, idempotency_key="k1", now=T0), 422,
            "Idempotency-Key")
    assert sorted(first.points.values_list("code", flat=True)) == ["DZ001", "DZ002"]
    # Without a polygon given, one is drawn around the points: closed, five [lat, lon] pairs.
    assert len(first.polygon) == 5 and first.polygon[0] == first.polygon[-1]
    assert 31.8 < first.polygon[0][0] < 32 and 108.5 < first.polygon[0][1] < 108.7


@pytest.mark.parametrize("change,field", [
    ({"area": "999999"}, "area"),
    ({"level": "purple"}, "level"),
    ({"hazard_type": "volcano"}, "hazard_type"),
    ({"headline": " "}, "headline"),
    ({"headline": "x" * 201}, "headline"),
    ({"description": ""}, "description"),
    ({"points": ["NOPE"]}, "points"),
    ({"points": ["DZ003"]}, "points"),  # 太和 lies outside 葛城
    ({"points": "DZ001"}, "points"),
    ({"expires_at": at(2026, 7, 15, 8)}, "expires_at"),
    ({"expires_at": at(2026, 8, 30, 8)}, "expires_at"),
    ({"polygon": [[31.9, 108.6], [31.9, 108.7], [32.0, 108.7]]}, "polygon"),
    ({"polygon": [[31.9, 108.6], [31.9, 108.7], [32.0, 108.7], [32.0, 108.6]]}, "polygon"),
    ({"polygon": [[91, 108.6], [31.9, 108.7], [32.0, 108.7], [91, 108.6]]}, "polygon"),
    ({"polygon": [["a", 108.6], [31.9, 108.7], [32.0, 108.7], ["a", 108.6]]}, "polygon"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(county, people, desk, change, field):
    fields = {"level": "orange", "hazard_type": "landslide", "area": county.gecheng.code, "headline": "橙色预警",
              "description": "强降雨", "points": ["DZ001"]}
    fields.update(change)
    refused(lambda: lifecycle.draft_warning(people.dispatcher, lifecycle.NewWarning(**fields), now=T0), 422, field)
    assert Warning.objects.count() == 0 and WarningLog.objects.count() == 0


def test_only_the_desk_of_the_area_drafts(county, people, desk):
    data = lifecycle.NewWarning(level="blue", hazard_type="landslide", area=county.gecheng.code, headline="蓝色预警",
                                description="降雨", points=[])
    for user in (people.gridworker, people.handler, people.nobody, people.township_dispatcher):
        refused(lambda user=user: lifecycle.draft_warning(user, data, now=T0), 403)
    assert Warning.objects.count() == 0


# ---------------------------------------------------------------------------- issuing


def test_issuing_an_orange_warning_sends_the_alert_asks_the_monitors_and_lists_the_households(make_warning, desk):
    warning = make_warning("orange", [desk.p1, desk.p2])
    assert (warning.status, warning.issued_at) == (WarningStatus.ISSUED, T0)
    # In force for the level's hours (24 by default) when no expiry was given.
    assert warning.expires_at == T0 + timedelta(hours=24)
    assert list(warning.messages.values_list("msg_type", flat=True)) == ["Alert"]
    asked = list(Acknowledgement.objects.filter(warning=warning).order_by("point__code"))
    assert [(a.point.code, a.responder, a.state) for a in asked] == [
        ("DZ001", Responder.MONITOR, AckState.WAITING), ("DZ002", Responder.MONITOR, AckState.WAITING)]
    # Orange: 15 minutes to answer; the sweep looks at it then.
    assert all(a.due_at == a.sweep_at == T0 + timedelta(minutes=15) for a in asked)
    assert asked[0].user == desk.monitor and asked[1].user is None
    assert Evacuation.objects.filter(warning=warning, state=EvacuationState.TO_MOVE).count() == 5
    assert events(warning) == [WarningEvent.DRAFTED, WarningEvent.APPROVED, WarningEvent.ISSUED,
                               WarningEvent.EVACUATION]


def test_a_yellow_warning_lists_no_households_unless_asked(make_warning, desk):
    quiet = make_warning("yellow", [desk.p1])
    assert Evacuation.objects.filter(warning=quiet).count() == 0
    assert Acknowledgement.objects.get(warning=quiet).due_at == T0 + timedelta(minutes=30)
    asked = make_warning("yellow", [desk.p1], evacuate=True, headline="黄色预警（转移）")
    assert Evacuation.objects.filter(warning=asked).count() == 3


def test_only_an_approved_warning_is_issued(make_warning, desk, people):
    draft = make_warning("orange", [desk.p1], status="draft")
    refused(lambda: lifecycle.issue(people.dispatcher, draft, now=T0), 409, "status")
    approved = make_warning("orange", [desk.p1], status="approved")
    refused(lambda: lifecycle.issue(people.gridworker, approved, now=T0), 403)
    lifecycle.issue(people.dispatcher, approved, now=T0)
    refused(lambda: lifecycle.issue(people.dispatcher, approved, now=T0), 409, "status")
    assert CapMessage.objects.filter(warning=approved).count() == 1


# ---------------------------------------------------------------------------- update, cancel, expiry, all-clear


def test_an_update_refers_to_the_earlier_messages_and_asks_the_monitors_of_added_points(make_warning, desk, people):
    warning = make_warning("yellow", [desk.p1])
    later = T0 + timedelta(minutes=10)
    # Raising yellow to orange needs the role orange requires.
    refused(lambda: lifecycle.update(desk.gc_supervisor, warning, lifecycle.WarningChange(level="orange"), now=later),
            403)
    refused(lambda: lifecycle.update(desk.gc_leader, warning, lifecycle.WarningChange(headline=warning.headline),
                                     now=later), 422)
    lifecycle.update(desk.gc_leader, warning, lifecycle.WarningChange(
        level="orange", points=["DZ001", "DZ002"], note="雨势加大"), now=later)
    warning.refresh_from_db()
    assert warning.level == "orange"
    alert, updated = warning.messages.order_by("sent_at", "pk")
    assert updated.msg_type == "Update" and alert.identifier in updated.references
    assert list(Acknowledgement.objects.filter(warning=warning, point=desk.p2).values_list("asked_at", flat=True)) == [
        later]
    # Raised to orange: the monitor asked at T0 with yellow's 30 minutes now answers by orange's 15 from now.
    assert Acknowledgement.objects.get(warning=warning, point=desk.p1).due_at == later + timedelta(minutes=15)
    # Raised to orange: every point's households are listed to move.
    assert Evacuation.objects.filter(warning=warning).count() == 5


def test_a_cancelled_warning_takes_no_more_steps(make_warning, desk):
    warning = make_warning("orange", [desk.p1])
    refused(lambda: lifecycle.cancel(desk.gc_leader, warning, reason="", now=T0), 422, "reason")
    refused(lambda: lifecycle.cancel(desk.gc_supervisor, warning, reason="误报", now=T0), 403)
    lifecycle.cancel(desk.gc_leader, warning, reason="误报", now=T0 + timedelta(minutes=5))
    warning.refresh_from_db()
    assert warning.status == WarningStatus.CANCELLED and warning.all_clear_at is None
    assert warning.messages.order_by("-sent_at", "-pk").first().msg_type == "Cancel"
    # Nobody is chased any more.
    assert not Acknowledgement.objects.filter(warning=warning, sweep_at__isnull=False).exists()
    for step in (lambda: lifecycle.cancel(desk.gc_leader, warning, reason="再次", now=T0),
                 lambda: lifecycle.all_clear(desk.gc_leader, warning, now=T0),
                 lambda: lifecycle.update(desk.gc_leader, warning, lifecycle.WarningChange(headline="新"), now=T0),
                 lambda: lifecycle.approve(desk.gc_leader, warning, now=T0)):
        error = refused(step, 409, "status")
        assert "已取消" in error.message or "Cancelled" in error.message


def test_the_sweep_expires_a_warning_past_its_expiry(make_warning, desk):
    warning = make_warning("orange", [desk.p1], expires_at=T0 + timedelta(hours=2))
    assert lifecycle.sweep_expiry(T0 + timedelta(hours=1, minutes=59)) == 0
    # The periodic sweep runs every module's sweeps.
    looked = sweep.run_all_sweeps(T0 + timedelta(hours=2))
    assert looked["warning(s) past expiry"] == 1
    warning.refresh_from_db()
    assert (warning.status, warning.ended_at) == (WarningStatus.EXPIRED, T0 + timedelta(hours=2))
    assert events(warning)[-1] == WarningEvent.EXPIRED
    assert lifecycle.sweep_expiry(T0 + timedelta(hours=3)) == 0
    refused(lambda: lifecycle.cancel(desk.gc_leader, warning, reason="x", now=T0 + timedelta(hours=3)), 409, "status")


def test_the_all_clear_ends_the_warning_and_closes_its_evacuation(make_warning, desk):
    warning = make_warning("red", [desk.p1])
    later = T0 + timedelta(hours=6)
    lifecycle.all_clear(desk.gc_leader, warning, note="险情解除", now=later)
    warning.refresh_from_db()
    assert (warning.status, warning.all_clear_at, warning.ended_at) == (WarningStatus.CANCELLED, later, later)
    # Nobody was marked returned by it.
    assert set(Evacuation.objects.filter(warning=warning).values_list("state", flat=True)) == {EvacuationState.TO_MOVE}
    entry = warning.log.get(code=WarningEvent.ALL_CLEAR)
    assert "险情解除" in entry.note and entry.actor == desk.gc_leader


# ---------------------------------------------------------------------------- incidents


def test_an_orange_warning_opens_an_incident_through_the_duty_module(make_warning, desk, people):
    yellow = make_warning("yellow", [desk.p1])
    refused(lambda: lifecycle.open_incident(people.handler, yellow, now=T0), 409, "level")
    orange = make_warning("orange", [desk.p1])
    refused(lambda: lifecycle.open_incident(people.gridworker, orange, now=T0), 403)
    case = lifecycle.open_incident(people.handler, orange, now=T0)
    assert case.kind == "incident" and case.incident.source_module == "warnings"
    assert case.incident.grade == "larger" and case.incident.source_key == str(orange.pk)
    assert lifecycle.incidents_of(orange)[0]["code"] == case.tracking_code
    assert orange.log.get(code=WarningEvent.INCIDENT).note == case.tracking_code
    refused(lambda: lifecycle.open_incident(people.handler, orange, now=T0), 409)
