"""Acknowledgement (叫应) on the clock, with a frozen clock: an unanswered monitor is passed on to the
deputy, then to the duty officer on duty for the point's region (the duty module's roster), who,
unanswered too, is reported to the leader on duty; an answered one is not passed on; a point
without a deputy goes to the duty officer; the supervisors stand in where no shift covers the
moment or the duty module is not installed. Answers by the link, in the app and by a call
recorded by the duty desk; the link's token kept only as its digest."""

import re
from datetime import timedelta

import pytest

from anju.cases import modules
from anju.lib.errors import ServiceError
from anju.notify.models import Notification
from anju.warnings import acks, lifecycle
from anju.warnings.choices import AckChannel, AckState, Responder, WarningEvent
from anju.warnings.models import Acknowledgement
from anju.warnings.tests.conftest import T0

MIN = timedelta(minutes=1)


def token_sent_to(phone: str) -> str:
    """The token of the last link texted to ``phone``."""
    row = Notification.objects.filter(channel="sms", address=phone).order_by("-pk").first()
    return re.search(r"/ack/([A-Za-z0-9_-]+)/", row.body).group(1)


def chain(warning, point):
    rows = Acknowledgement.objects.filter(warning=warning, point=point).order_by("asked_at", "pk")
    return [(a.responder, a.state) for a in rows]


def test_an_unanswered_monitor_is_passed_on_to_the_deputy_then_to_the_duty_officer(make_warning, desk,
                                                                                    on_duty_today):
    warning = make_warning("orange", [desk.p1])
    monitor = Acknowledgement.objects.get(warning=warning)
    # The monitor is texted the link and told in the workbench (an account of their own).
    assert Notification.objects.filter(channel="sms", address="13800001111").count() == 1
    assert Notification.objects.filter(channel="in_app", user=desk.monitor).count() == 1
    assert monitor.token != token_sent_to("13800001111") and len(monitor.token) == 64

    assert acks.sweep_acknowledgements(T0 + 14 * MIN) == 0
    assert chain(warning, desk.p1) == [(Responder.MONITOR, AckState.WAITING)]

    # At 15 minutes (orange) the deputy is asked, and has 15 minutes of her own.
    assert acks.sweep_acknowledgements(T0 + 15 * MIN) == 1
    assert chain(warning, desk.p1) == [(Responder.MONITOR, AckState.ESCALATED), (Responder.DEPUTY, AckState.WAITING)]
    deputy = Acknowledgement.objects.get(warning=warning, responder=Responder.DEPUTY)
    assert (deputy.asked_at, deputy.due_at, deputy.name) == (T0 + 15 * MIN, T0 + 30 * MIN, "李小红")
    text = Notification.objects.get(channel="sms", address="13900002222").body
    assert "/ack/" in text and ("监测员" in text or "monitor" in text)
    monitor.refresh_from_db()
    assert monitor.missed_deadline and monitor.sweep_at is None

    # At 30 minutes the duty officer on duty for 土城 (葛城's day shift) is asked, in the workbench.
    assert acks.sweep_acknowledgements(T0 + 30 * MIN) == 1
    officer = Acknowledgement.objects.get(warning=warning, responder=Responder.DUTY_OFFICER)
    assert officer.user == on_duty_today.officer and officer.phone == ""
    assert Notification.objects.filter(user=on_duty_today.officer, event=acks.EVENT_ASKED).exists()
    assert chain(warning, desk.p1)[-1] == (Responder.DUTY_OFFICER, AckState.WAITING)

    # Unanswered at 45 minutes: marked missed, and the leader on duty is told.
    assert acks.sweep_acknowledgements(T0 + 45 * MIN) == 1
    officer.refresh_from_db()
    assert officer.state == AckState.WAITING and officer.missed_deadline and officer.sweep_at is None
    assert Notification.objects.filter(user=on_duty_today.leader, event=acks.EVENT_UNANSWERED).exists()
    assert acks.sweep_acknowledgements(T0 + 60 * MIN) == 0
    assert warning.log.filter(code=WarningEvent.ESCALATED).count() == 3


def test_an_answered_monitor_is_not_passed_on(make_warning, desk, on_duty_today):
    warning = make_warning("orange", [desk.p1])
    ack = acks.acknowledge_by_link(token_sent_to("13800001111"), now=T0 + 5 * MIN)
    assert (ack.state, ack.channel, ack.answered_at, ack.missed_deadline) == (
        AckState.ACKNOWLEDGED, AckChannel.LINK, T0 + 5 * MIN, False)
    assert acks.sweep_acknowledgements(T0 + 60 * MIN) == 0
    assert chain(warning, desk.p1) == [(Responder.MONITOR, AckState.ACKNOWLEDGED)]
    assert warning.log.filter(code=WarningEvent.ACKNOWLEDGED).count() == 1


def test_a_late_answer_counts_marked_late_and_stands_the_deputy_down(make_warning, desk, on_duty_today):
    warning = make_warning("red", [desk.p1])  # red: 10 minutes
    acks.sweep_acknowledgements(T0 + 10 * MIN)
    late = acks.acknowledge_by_link(token_sent_to("13800001111"), now=T0 + 12 * MIN)
    assert late.state == AckState.ACKNOWLEDGED and late.missed_deadline
    # The deputy, asked meanwhile, is no longer chased: nothing goes to the duty officer.
    assert acks.sweep_acknowledgements(T0 + 60 * MIN) == 0
    assert chain(warning, desk.p1) == [(Responder.MONITOR, AckState.ACKNOWLEDGED),
                                       (Responder.DEPUTY, AckState.WAITING)]


def test_a_point_without_a_deputy_goes_straight_to_the_duty_officer(make_warning, desk, on_duty_today):
    warning = make_warning("orange", [desk.p2])
    acks.sweep_acknowledgements(T0 + 15 * MIN)
    assert chain(warning, desk.p2) == [(Responder.MONITOR, AckState.ESCALATED),
                                       (Responder.DUTY_OFFICER, AckState.WAITING)]


def test_where_no_shift_covers_the_moment_the_supervisors_stand_in(make_warning, desk, duty, people, county):
    # 太和 (复兴) keeps no roster: the county emergency office's, with no shift planned, answers.
    warning = make_warning("orange", [desk.p3], area=county.fuxing, headline="复兴预警")
    acks.sweep_acknowledgements(T0 + 15 * MIN)
    stand_in = Acknowledgement.objects.get(warning=warning, responder=Responder.DUTY_OFFICER)
    assert stand_in.user is None
    told = set(Notification.objects.filter(event=acks.EVENT_ASKED, channel="in_app").values_list("user", flat=True))
    assert people.supervisor.pk in told
    # Any supervisor reaching the point answers it in the app; a grid worker may not.
    with pytest.raises(ServiceError):
        acks.acknowledge_in_app(desk.fx_gridworker, stand_in, now=T0 + 16 * MIN)
    assert acks.acknowledge_in_app(people.supervisor, stand_in, now=T0 + 16 * MIN).channel == AckChannel.APP


def test_without_the_duty_module_the_nearest_supervisors_are_asked(make_warning, desk, people, monkeypatch):
    # 土城's nearest supervisors are 葛城's (the county's are further up).
    real = modules.provided
    monkeypatch.setattr(modules, "provided", lambda name: None if name.startswith("duty.") else real(name))
    warning = make_warning("orange", [desk.p2])
    acks.sweep_acknowledgements(T0 + 15 * MIN)
    assert Acknowledgement.objects.get(warning=warning, responder=Responder.DUTY_OFFICER).user is None
    told = set(Notification.objects.filter(event=acks.EVENT_ASKED, channel="in_app").values_list("user", flat=True))
    assert told == {desk.gc_supervisor.pk}


def test_a_signed_in_monitor_acknowledges_their_own_and_nobody_else_s(make_warning, desk, people):
    warning = make_warning("orange", [desk.p1, desk.p2])
    mine = Acknowledgement.objects.get(warning=warning, point=desk.p1)
    theirs = Acknowledgement.objects.get(warning=warning, point=desk.p2)
    for user, ack in ((desk.monitor, theirs), (people.dispatcher, mine), (people.leader, mine)):
        with pytest.raises(ServiceError) as caught:
            acks.acknowledge_in_app(user, ack, now=T0)
        assert caught.value.status == 403
    assert acks.acknowledge_in_app(desk.monitor, mine, now=T0 + MIN).channel == AckChannel.APP
    with pytest.raises(ServiceError) as caught:
        acks.acknowledge_in_app(desk.monitor, mine, now=T0 + 2 * MIN)
    assert caught.value.status == 409


def test_the_duty_desk_records_a_call(make_warning, desk, people):
    warning = make_warning("orange", [desk.p2])
    ack = Acknowledgement.objects.get(warning=warning)
    for user in (people.gridworker, people.other_handler, desk.monitor):
        with pytest.raises(ServiceError) as caught:
            acks.record_call(user, ack, note="电话确认", now=T0)
        assert caught.value.status == 403
    with pytest.raises(ServiceError) as caught:
        acks.record_call(people.handler, ack, note="x" * 501, now=T0)
    assert caught.value.field == "note"
    done = acks.record_call(people.handler, ack, note="电话确认已收到", now=T0 + 3 * MIN)
    assert (done.channel, done.recorded_by, done.state) == (AckChannel.CALL, people.handler, AckState.ACKNOWLEDGED)
    assert "电话确认已收到" in warning.log.get(code=WarningEvent.ACKNOWLEDGED).note


def test_an_ended_warning_is_no_longer_acknowledged_nor_passed_on(make_warning, desk):
    warning = make_warning("orange", [desk.p1])
    token = token_sent_to("13800001111")
    lifecycle.cancel(desk.gc_leader, warning, reason="误报", now=T0 + MIN)
    assert acks.sweep_acknowledgements(T0 + 60 * MIN) == 0
    with pytest.raises(ServiceError) as caught:
        acks.acknowledge_by_link(token, now=T0 + 2 * MIN)
    assert caught.value.status == 409
    assert chain(warning, desk.p1) == [(Responder.MONITOR, AckState.WAITING)]


def test_an_unknown_or_malformed_token_acknowledges_nothing(make_warning, desk):
    make_warning("orange", [desk.p1])
    stored = Acknowledgement.objects.get().token
    for token in ("nope", "x" * 43, stored, "../../etc", ""):
        with pytest.raises(ServiceError) as caught:
            acks.acknowledge_by_link(token, now=T0)
        assert caught.value.status == 404
    assert Acknowledgement.objects.get().state == AckState.WAITING
