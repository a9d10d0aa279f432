"""The households' evacuation under a warning: entered by the grid workers of each point's grid and
by the duty desk, as moved (with the people moved), refused (the reason required) and returned
(only after moved); the duty officer's board per point; the all-clear closes it for entries and
marks nobody returned; a yellow warning's households listed when asked."""

from datetime import timedelta

import pytest

from anju.lib.errors import ServiceError
from anju.warnings import evacuation, lifecycle
from anju.warnings.choices import EvacuationState, WarningEvent
from anju.warnings.models import Evacuation
from anju.warnings.tests.conftest import T0

MIN = timedelta(minutes=1)
Entry = evacuation.Entry


def refused(call, status, field=None):
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.status == status, caught.value.message
    if field is not None:
        assert caught.value.field == field
    return caught.value


def row(warning, household) -> Evacuation:
    return Evacuation.objects.get(warning=warning, household=household)


@pytest.fixture
def orange(make_warning, desk):
    return make_warning("orange", [desk.p1, desk.p2])


def test_an_evacuation_with_a_refusal(orange, desk, people):
    chen, liu, zhou = desk.households["DZ001"]
    worker = desk.grid1_worker
    moved = evacuation.record(worker, row(orange, chen), Entry(EvacuationState.MOVED), now=T0 + 20 * MIN)
    assert (moved.state, moved.people_moved, moved.moved_at, moved.updated_by) == (
        EvacuationState.MOVED, 3, T0 + 20 * MIN, worker)
    # A refusal needs its reason.
    refused(lambda: evacuation.record(worker, row(orange, liu), Entry(EvacuationState.REFUSED, reason=" "), now=T0),
            422, "reason")
    no = evacuation.record(worker, row(orange, liu), Entry(EvacuationState.REFUSED, reason="老人行动不便，坚持留守"),
                           now=T0 + 25 * MIN)
    assert (no.state, no.reason, no.people_moved) == (EvacuationState.REFUSED, "老人行动不便，坚持留守", 0)
    evacuation.record(people.handler, row(orange, zhou), Entry(EvacuationState.MOVED, people_moved=5),
                      now=T0 + 30 * MIN)
    assert evacuation.counts(orange) == {"total": 5, "to_move": 2, "moved": 2, "refused": 1, "returned": 0,
                                         "people_moved": 8}
    board = {p.point.code: p for p in evacuation.board(orange)}
    assert (board["DZ001"].moved, board["DZ001"].refused, board["DZ001"].to_move, board["DZ001"].done) == (
        2, 1, 0, True)
    assert (board["DZ002"].to_move, board["DZ002"].people_threatened, board["DZ002"].done) == (2, 5, False)
    # Each entry is on the warning's log, naming the household by its point and number only.
    notes = list(orange.log.filter(code=WarningEvent.EVACUATION).values_list("note", flat=True))
    assert any(f"DZ001 #{liu.pk}" in n for n in notes) and not any("刘" in n for n in notes)


def test_returned_only_after_moved_and_moved_again_after_a_refusal(orange, desk):
    chen = desk.households["DZ001"][0]
    worker = desk.grid1_worker
    error = refused(lambda: evacuation.record(worker, row(orange, chen), Entry(EvacuationState.RETURNED), now=T0),
                    409, "state")
    assert "待转移" in error.message or "To move" in error.message
    evacuation.record(worker, row(orange, chen), Entry(EvacuationState.REFUSED, reason="不愿离开"), now=T0)
    evacuation.record(worker, row(orange, chen), Entry(EvacuationState.MOVED, people_moved=2), now=T0 + MIN)
    back = evacuation.record(worker, row(orange, chen), Entry(EvacuationState.RETURNED), now=T0 + 9 * MIN)
    assert (back.state, back.returned_at, back.people_moved, back.reason) == (
        EvacuationState.RETURNED, T0 + 9 * MIN, 2, "")
    refused(lambda: evacuation.record(worker, row(orange, chen), Entry(EvacuationState.REFUSED, reason="x"), now=T0),
            409, "state")


@pytest.mark.parametrize("entry,field", [
    (Entry(EvacuationState.MOVED, people_moved=0), "people_moved"),
    (Entry(EvacuationState.MOVED, people_moved=1000), "people_moved"),
    (Entry(EvacuationState.MOVED, people_moved=True), "people_moved"),
    (Entry(EvacuationState.REFUSED, reason="x" * 501), "reason"),
    (Entry(EvacuationState.REFUSED, reason=None), "reason"),
    (Entry("gone"), "state"),
    (Entry(EvacuationState.TO_MOVE), "state"),
])
def test_bad_entries_are_refused_naming_the_field(orange, desk, entry, field):
    chen = desk.households["DZ001"][0]
    refused(lambda: evacuation.record(desk.grid1_worker, row(orange, chen), entry, now=T0), 422, field)
    assert row(orange, chen).state == EvacuationState.TO_MOVE


def test_only_the_point_s_grid_workers_and_the_duty_desk_enter(orange, desk, people):
    chen = desk.households["DZ001"][0]
    wu = desk.households["DZ002"][0]
    for user in (desk.fx_gridworker, desk.grid2_worker, people.other_handler, desk.monitor, people.nobody):
        refused(lambda user=user: evacuation.record(user, row(orange, chen), Entry(EvacuationState.MOVED), now=T0),
                403)
    # 土城沟 is kept at village level: the grid workers of the village's grids enter its households.
    assert evacuation.record(desk.grid2_worker, row(orange, wu), Entry(EvacuationState.MOVED), now=T0).people_moved == 3
    assert evacuation.record(people.gridworker, row(orange, chen), Entry(EvacuationState.MOVED), now=T0).state == \
        EvacuationState.MOVED


def test_the_all_clear_closes_the_evacuation_for_entries(orange, desk):
    chen, liu, _zhou = desk.households["DZ001"]
    evacuation.record(desk.grid1_worker, row(orange, chen), Entry(EvacuationState.MOVED), now=T0 + MIN)
    lifecycle.all_clear(desk.gc_leader, orange, now=T0 + 6 * 60 * MIN)
    orange.refresh_from_db()
    error = refused(lambda: evacuation.record(desk.grid1_worker, row(orange, liu), Entry(EvacuationState.MOVED),
                                              now=T0 + 7 * 60 * MIN), 409, "status")
    assert "解除" in error.message or "all-clear" in error.message
    # Nothing changed by it: the moved household is still moved, not returned.
    assert row(orange, chen).state == EvacuationState.MOVED
    assert "1" in orange.log.get(code=WarningEvent.ALL_CLEAR).note


def test_a_yellow_warning_s_households_are_listed_when_asked(make_warning, desk, people):
    yellow = make_warning("yellow", [desk.p1])
    refused(lambda: evacuation.open_evacuation(desk.grid1_worker, yellow, now=T0), 403)
    assert evacuation.open_evacuation(people.handler, yellow, now=T0) == 3
    refused(lambda: evacuation.open_evacuation(people.handler, yellow, now=T0), 409)
    # A point added by an update brings its households in.
    lifecycle.update(desk.gc_supervisor, yellow, lifecycle.WarningChange(points=["DZ001", "DZ002"]), now=T0 + MIN)
    assert Evacuation.objects.filter(warning=yellow).count() == 5
