"""Who is on duty for a region at a moment (the service the module publishes as ``duty.on_duty``):
inside and outside a shift, at the changeover, from the nearest office keeping a roster, and
falling back to the supervisors when no shift covers the moment."""

from datetime import date

import pytest

from anju.cases import modules
from anju.conftest import at
from anju.duty import queries, services
from anju.duty.choices import ShiftKind
from anju.duty.models import Roster

NOW = at(2026, 12, 1, 9)


@pytest.fixture
def planned(duty, people):
    """葛城 on 7 December 2026: a day shift (陈干事 with 刘镇长) and a night shift (周干事 with no
    leader yet); the county emergency office's 24-hour shift of 7 December (王值班 with the county
    leader). Nothing planned on 8 December."""
    plan = services.plan_shift
    plan(people.supervisor, services.NewShift("gc", date(2026, 12, 7), ShiftKind.DAY, "gc_officer", "gc_leader"),
         now=NOW)
    plan(people.supervisor, services.NewShift("gc", date(2026, 12, 7), ShiftKind.NIGHT, "gc_officer2"), now=NOW)
    plan(people.supervisor, services.NewShift("yjb", date(2026, 12, 7), ShiftKind.FULL_DAY, "yj_officer", "leader"),
         now=NOW)
    return duty


def test_it_answers_the_shift_covering_the_moment(planned, county):
    answer = services.on_duty(county.grid1, at(2026, 12, 7, 10))
    assert answer.source == services.ROSTER and answer.office == county.gecheng_office
    assert (answer.officer, answer.leader) == (planned.gc_officer, planned.gc_leader)
    assert answer.supervisors == [] and answer.shift.kind == ShiftKind.DAY


def test_at_the_changeover_the_next_shift_is_on_duty(planned, county):
    assert services.on_duty(county.gecheng, at(2026, 12, 7, 17, 29)).officer == planned.gc_officer
    night = services.on_duty(county.gecheng, at(2026, 12, 7, 17, 30))
    assert night.officer == planned.gc_officer2 and night.shift.kind == ShiftKind.NIGHT
    # Past midnight the night shift of the 7th is still on duty, until 08:30.
    assert services.on_duty(county.tucheng, at(2026, 12, 8, 8, 29)).officer == planned.gc_officer2


def test_a_shift_without_a_leader_names_the_supervisors_beside_its_officer(planned, county):
    answer = services.on_duty(county.grid2, at(2026, 12, 7, 23))
    assert answer.source == services.ROSTER and answer.leader is None
    assert answer.supervisors == [planned.gc_supervisor]


def test_outside_every_shift_it_falls_back_to_the_office_s_supervisors(planned, county):
    answer = services.on_duty(county.grid1, at(2026, 12, 8, 9))
    assert answer.source == services.SUPERVISORS and answer.office == county.gecheng_office
    assert answer.officer is None and answer.supervisors == [planned.gc_supervisor]


def test_a_township_without_a_roster_is_answered_for_by_the_county_s(planned, county, people):
    answer = services.on_duty(county.grid3, at(2026, 12, 7, 20))
    assert answer.office == planned.emergency and answer.officer == planned.yj_officer
    assert answer.leader == people.leader
    outside = services.on_duty("500229002", at(2026, 12, 8, 9))
    # The emergency office has no supervisor of its own: the county's supervisors answer.
    assert outside.source == services.SUPERVISORS and outside.supervisors == [people.supervisor]


def test_without_any_roster_the_nearest_supervisors_answer(county, people):
    assert not Roster.objects.exists()
    answer = services.on_duty(county.grid3, NOW)
    assert answer.office is None and answer.supervisors == [people.supervisor]
    assert services.on_duty("999", NOW) is None


def test_other_modules_find_it_through_the_registry(planned, county):
    found = modules.provided("duty.on_duty")
    assert found is services.on_duty
    assert found(county.grid1, at(2026, 12, 7, 10)).officer == planned.gc_officer


def test_the_board_shows_the_county_and_every_township(planned, county, monkeypatch):
    rows = queries.board(at(2026, 12, 7, 10))
    assert [r.region for r in rows] == [county.county, county.gecheng, county.fuxing]
    assert [r.officer for r in rows] == [planned.yj_officer, planned.gc_officer, planned.yj_officer]
