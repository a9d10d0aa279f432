"""The deadline sweep: warn before, mark overdue after, escalate after each grace period;
never the same notice twice, even with two sweeps at once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from anju.cases import services as s
from anju.cases import sweep
from anju.cases.models import Case, CaseEvent, SupervisionNotice
from anju.conftest import at

SUBMITTED = at(2026, 11, 2, 9)  # a Monday; accept-by is end of Tuesday 3 November
ACCEPT_DUE = at(2026, 11, 3, 23, 59, 59)


def notices(case, kind=None):
    rows = SupervisionNotice.objects.filter(case=case)
    return list(rows.filter(kind=kind) if kind else rows)


def test_it_plans_the_first_look_a_warning_period_before_the_deadline(new_case):
    case = new_case(now=SUBMITTED)
    assert case.due_at == ACCEPT_DUE
    assert case.sweep_at == ACCEPT_DUE - timedelta(hours=24)


def test_it_does_nothing_before_the_first_look(new_case):
    case = new_case(now=SUBMITTED)
    assert sweep.run_sweep(now=at(2026, 11, 2, 23)) == 0
    assert notices(case) == []


def test_it_warns_once_before_the_deadline(new_case):
    case = new_case(now=SUBMITTED)
    sweep.run_sweep(now=at(2026, 11, 3, 9))
    sweep.run_sweep(now=at(2026, 11, 3, 10))
    assert len(notices(case, "due_soon")) == 1
    assert Case.objects.get(pk=case.pk).sweep_at == ACCEPT_DUE
    assert CaseEvent.objects.filter(case=case, action="due_soon").count() == 1


def test_it_marks_overdue_after_the_deadline_then_escalates_level_by_level(new_case, county):
    case = new_case(now=SUBMITTED)
    sweep.run_sweep(now=at(2026, 11, 3, 9))
    sweep.run_sweep(now=at(2026, 11, 4, 1))
    case = Case.objects.get(pk=case.pk)
    assert len(notices(case, "overdue")) == 1 and case.missed_deadline
    assert case.sweep_at == ACCEPT_DUE + timedelta(hours=24)
    sweep.run_sweep(now=at(2026, 11, 5, 1))
    first = notices(case, "escalation")
    assert [(n.level, n.region) for n in first] == [(2, county.gecheng)]
    sweep.run_sweep(now=at(2026, 11, 6, 1))
    levels = sorted((n.level, n.region.code) for n in notices(case, "escalation"))
    assert levels == [(2, "500229001"), (3, "500229")]
    case = Case.objects.get(pk=case.pk)
    assert case.supervision_level == 3 and case.sweep_at is None
    # Nothing more to do at county level.
    assert sweep.run_sweep(now=at(2026, 11, 20)) == 0


def test_a_sweep_after_a_long_outage_catches_up_without_a_pointless_warning(new_case):
    case = new_case(now=SUBMITTED)
    sweep.run_sweep(now=at(2026, 11, 10, 9))
    assert notices(case, "due_soon") == []
    assert len(notices(case, "overdue")) == 1
    assert Case.objects.get(pk=case.pk).supervision_level == 3


def test_a_transition_resets_the_sweep_for_the_new_deadline(new_case, people):
    case = new_case(now=SUBMITTED)
    sweep.run_sweep(now=at(2026, 11, 4, 1))
    case = s.accept_case(people.dispatcher, case, now=at(2026, 11, 4, 9))
    assert case.missed_deadline  # accepted late
    assert case.sweep_stage == 0 and case.sweep_at == case.handle_due_at - timedelta(hours=24)


def test_a_paused_or_closed_case_is_not_swept(new_case, people):
    case = new_case(now=SUBMITTED)
    s.reject_case(people.dispatcher, case, reply="不属于受理范围", now=at(2026, 11, 2, 10))
    assert sweep.run_sweep(now=at(2026, 12, 1)) == 0
    assert notices(case) == []


def test_its_cost_follows_the_cases_due_not_all_cases(new_case, django_assert_max_num_queries):
    for _ in range(30):
        new_case(now=SUBMITTED)
    # Nothing due: one query to find that out, whatever the number of cases.
    with django_assert_max_num_queries(3):
        assert sweep.run_sweep(now=at(2026, 11, 2, 12)) == 0


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_never_issue_the_same_notice_twice(county, people, new_case):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SKIP LOCKED) between two connections need PostgreSQL; SQLite runs one writer")
    cases = [new_case(now=SUBMITTED) for _ in range(40)]
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            sweep.run_sweep(now=at(2026, 11, 3, 9), batch_size=5)
            sweep.run_sweep(now=at(2026, 11, 4, 1), batch_size=5)
        except Exception as exc:  # reported below, the thread must not die silently
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for case in cases:
        assert len(notices(case, "due_soon")) == 1
        assert len(notices(case, "overdue")) == 1
        assert CaseEvent.objects.filter(case=case, action__in=["due_soon", "overdue"]).count() == 2
