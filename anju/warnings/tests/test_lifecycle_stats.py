"""The warnings' indicators: acknowledgements answered in time, evacuations completed by the
all-clear, and the three checks of the flood season done; registered for the scorecards."""

from datetime import date, timedelta

from anju.cases import modules
from anju.conftest import at
from anju.warnings import acks, evacuation, lifecycle, stats
from anju.warnings.choices import EvacuationState, Responder
from anju.warnings.models import Acknowledgement, Evacuation, SeasonCheck
from anju.warnings.tests.conftest import T0
from anju.warnings.tests.test_acks import token_sent_to

MIN = timedelta(minutes=1)
JULY = (date(2026, 7, 1), date(2026, 7, 31))


def test_the_indicators_are_registered():
    codes = {i.code for i in modules.indicators()}
    assert {"warnings_acknowledged_in_time", "evacuations_completed", "three_checks_done"} <= codes


def test_acknowledged_in_time_and_evacuations_completed(make_warning, desk, people, county):
    warning = make_warning("orange", [desk.p1, desk.p2])
    acks.acknowledge_by_link(token_sent_to("13800001111"), now=T0 + 5 * MIN)
    acks.sweep_acknowledgements(T0 + 15 * MIN)
    stand_in = Acknowledgement.objects.get(warning=warning, responder=Responder.DUTY_OFFICER)
    acks.record_call(people.handler, stand_in, now=T0 + 20 * MIN)
    # The monitor of 土城滑坡 in time; 土城沟's monitor missed it; the stand-in answered in time.
    assert stats.acknowledged_in_time(None, *JULY) == 66.7
    assert stats.acknowledged_in_time(county.fuxing, *JULY) is None
    assert stats.acknowledged_in_time(None, date(2026, 8, 1), date(2026, 8, 31)) is None

    rows = list(Evacuation.objects.filter(warning=warning).order_by("pk"))
    evacuation.record(desk.grid1_worker, rows[0], evacuation.Entry(EvacuationState.MOVED), now=T0 + 30 * MIN)
    evacuation.record(desk.grid1_worker, rows[1], evacuation.Entry(EvacuationState.MOVED), now=T0 + 31 * MIN)
    evacuation.record(desk.grid1_worker, rows[1], evacuation.Entry(EvacuationState.RETURNED), now=T0 + 90 * MIN)
    evacuation.record(desk.grid1_worker, rows[2], evacuation.Entry(EvacuationState.REFUSED, reason="坚持留守"),
                      now=T0 + 32 * MIN)
    # Counted once the all-clear closes it.
    assert stats.evacuations_completed(None, *JULY) is None
    lifecycle.all_clear(desk.gc_leader, warning, now=T0 + 6 * 60 * MIN)
    assert stats.evacuations_completed(None, *JULY) == 60.0
    assert stats.evacuations_completed(None, at(2026, 7, 15, 15), at(2026, 7, 15, 16)) == 60.0
    assert stats.evacuations_completed(county.fuxing, *JULY) is None


def test_three_checks_done(desk, people, county):
    for point, rounds in ((desk.p1, ("before", "during", "after")), (desk.p2, ("before", "during"))):
        for n, round_ in enumerate(rounds):
            SeasonCheck.objects.create(point=point, year=2026, round=round_, checked_on=date(2026, 4 + 3 * n, 10),
                                       checked_by=people.gridworker)
    assert stats.three_checks_done(None, *JULY) == 33.3
    assert stats.three_checks_done(county.gecheng, date(2026, 1, 1), date(2026, 12, 31)) == 50.0
    assert stats.three_checks_done(county.fuxing, *JULY) == 0.0
    # The year the period ends in: a period ending at midnight on 1 January ends in the year before.
    assert stats.three_checks_done(None, at(2026, 1, 1), at(2027, 1, 1)) == 33.3
    assert stats.three_checks_done(None, date(2025, 1, 1), date(2025, 12, 31)) == 0.0
    desk.p1.is_active = False
    desk.p1.save()
    assert stats.three_checks_done(None, *JULY) == 0.0
