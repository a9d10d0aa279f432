"""The demo's warning in progress: one orange warning issued from the demo's points, some
acknowledgements answered and some missing, some households moved and one refused."""

from anju.conftest import at
from anju.warnings.choices import AckState, EvacuationState, Responder, WarningStatus
from anju.warnings.demo_warning import REFUSAL, build_warning
from anju.warnings.models import Acknowledgement, Evacuation, Warning

NOW = at(2026, 7, 15, 10)


def test_it_builds_an_orange_warning_in_progress(desk, people, on_duty_today):
    counts, lines = build_warning(7, NOW, [desk.p3, desk.p2, desk.p1])
    warning = Warning.objects.get()
    assert (warning.level, warning.status, warning.area.code) == ("orange", WarningStatus.ISSUED, "500229001")
    assert warning.drafted_by != warning.approved_by and list(warning.messages.values_list("msg_type", flat=True)) \
        == ["Alert"]
    assert counts == {"warning": warning.pk, "points": 2, "acknowledged": 1, "missing": 1, "moved": 3, "refused": 1,
                      "households": 5}
    assert len(lines) == 1 and "1" in lines[0]
    # 土城滑坡's monitor answered by the link; nobody at 土城沟: passed on to the duty officer, missed.
    answered = Acknowledgement.objects.get(warning=warning, point=desk.p1)
    assert (answered.state, answered.channel, answered.missed_deadline) == (AckState.ACKNOWLEDGED, "link", False)
    chain = list(Acknowledgement.objects.filter(warning=warning, point=desk.p2).order_by("pk").values_list(
        "responder", "state", "missed_deadline"))
    assert chain == [(Responder.MONITOR, AckState.ESCALATED, True), (Responder.DUTY_OFFICER, AckState.WAITING, True)]
    refused = Evacuation.objects.get(warning=warning, state=EvacuationState.REFUSED)
    assert refused.reason == REFUSAL and refused.household.point == desk.p1


def test_without_points_or_staff_it_builds_nothing(desk, people):
    assert build_warning(1, NOW, [])[0] == {}
    people.dispatcher.is_active = False
    people.dispatcher.save()
    counts, lines = build_warning(1, NOW, [desk.p1])
    assert counts == {} and lines and Warning.objects.count() == 0
