"""The sweep warns and escalates a petition like any case; the body that accepted a petition
keeps it to the end unless a supervisor approves a transfer (首办责任)."""

import pytest

from anju.cases import services as case_services
from anju.cases import sweep as case_sweep
from anju.cases.choices import Action, Status
from anju.cases.models import SupervisionNotice
from anju.cases.services import CaseError
from anju.conftest import at
from anju.petitions import services
from anju.petitions.choices import PetitionEvent
from anju.petitions.tests import flow


def test_the_sweep_warns_before_the_acceptance_deadline_and_marks_it_overdue_after(petitions, people):
    case = flow.routed(people, now=at(2026, 11, 2, 9))  # the body must answer by 17 November
    case_sweep.run_sweep(now=at(2026, 11, 17, 9))
    case_sweep.run_sweep(now=at(2026, 11, 18, 9))
    case.refresh_from_db()
    kinds = list(SupervisionNotice.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == ["due_soon", "overdue"] and case.missed_deadline
    # Escalated one level up once the grace period (the policy's, 24 hours here) passed.
    case_sweep.run_sweep(now=at(2026, 11, 19, 9))
    assert SupervisionNotice.objects.filter(case=case, kind="escalation").count() == 1


def test_the_handling_deadline_is_swept_too(petitions, people):
    case = flow.accepted(people, now=at(2026, 3, 2, 9))  # the 60th day, 1 May, is a holiday: due 6 May
    case_sweep.run_sweep(now=at(2026, 5, 7, 9))
    case.refresh_from_db()
    assert case.missed_deadline and case.events.filter(action=Action.OVERDUE).exists()


def test_the_core_does_not_move_an_accepted_petition(petitions, people):
    case = flow.accepted(people)
    with pytest.raises(CaseError, match="首办责任"):
        case_services.transfer_case(people.dispatcher, case, office_code="fx", note="改派")
    case.refresh_from_db()
    assert case.office.code == "gc"
    # Nor does the body a transfer was approved to send it back by itself.
    services.transfer_petition(people.supervisor, case, office_code="fx", reason="征地范围属复兴街道")
    with pytest.raises(CaseError, match="首办责任"):
        case_services.return_case(people.other_handler, case, reason="不归我们管")


def test_a_supervisor_approves_a_transfer_and_the_first_body_stays_on_record(petitions, people):
    case = flow.accepted(people)
    with pytest.raises(CaseError) as error:
        services.transfer_petition(people.handler, case, office_code="fx", reason="涉及复兴街道")
    assert error.value.status == 403
    services.transfer_petition(people.supervisor, case, office_code="fx", reason="征地范围属复兴街道")
    case.refresh_from_db()
    assert case.office.code == "fx" and case.status == Status.DISPATCHED
    assert case.petition.first_office.code == "gc"
    event = case.events.get(action=PetitionEvent.PETITION_TRANSFER)
    assert event.data["approved_by"] == "supervisor" and event.data["office"] == "fx"
    case_services.start_case(people.other_handler, case)
