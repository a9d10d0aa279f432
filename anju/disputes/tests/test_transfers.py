"""Passing a dispute between people's, administrative and judicial mediation (三调联动): the
receiving organisation accepts or returns it, and the whole path is on the timeline."""

import pytest

from anju.cases.choices import Action, Status
from anju.cases.models import Case, CaseEvent
from anju.cases.services import CaseError
from anju.conftest import at
from anju.disputes import services
from anju.disputes.choices import DisputeEvent, MediationType, TransferStatus
from anju.disputes.models import Dispute, MediationTransfer
from anju.disputes.tests.flow import MONDAY, in_mediation


def propose(mediation, case, to_type="judicial", office="court", reason="涉及土地承包经营权确权，需司法调解"):
    return services.propose_transfer(mediation.mediator, case, to_type=to_type, to_office_code=office,
                                     reason=reason, now=at(2026, 11, 5, 10))


def test_it_moves_the_dispute_to_the_receiving_organisation_to_wait_there(people, mediation):
    case = in_mediation(people, mediation.mediator)
    transfer = propose(mediation, case)
    case.refresh_from_db()
    assert case.office == mediation.court and case.status == Status.DISPATCHED
    assert (transfer.from_type, transfer.to_type, transfer.status) == ("people", "judicial", TransferStatus.PENDING)
    assert transfer.from_office == mediation.committee
    # The deadline keeps running.
    assert case.handle_due_at == at(2026, 12, 2, 23, 59, 59)
    # The sending committee no longer mediates it, and the court must decide before taking it up.
    with pytest.raises(CaseError):
        services.schedule_session(mediation.mediator, case, scheduled_at=at(2026, 11, 6, 9), place="x", now=MONDAY)
    with pytest.raises(CaseError):
        services.take_up_dispute(mediation.court_mediator, case, now=at(2026, 11, 5, 11))


def test_it_lets_the_receiving_organisation_accept(people, mediation):
    case = in_mediation(people, mediation.mediator)
    transfer = propose(mediation, case)
    services.accept_transfer(mediation.court_mediator, case, transfer_id=transfer.pk, note="立案前调解",
                             now=at(2026, 11, 6, 9))
    case.refresh_from_db()
    dispute = Dispute.objects.get(case=case)
    assert case.status == Status.IN_PROGRESS and case.office == mediation.court
    assert dispute.mediation_type == MediationType.JUDICIAL and dispute.mediator == mediation.court_mediator
    assert MediationTransfer.objects.get(pk=transfer.pk).status == TransferStatus.ACCEPTED
    path = [a for a in CaseEvent.objects.filter(case=case).values_list("action", flat=True)
            if a in (DisputeEvent.MEDIATION_TRANSFER, DisputeEvent.MEDIATION_TRANSFER_ACCEPTED, Action.START)]
    assert path == [Action.START, DisputeEvent.MEDIATION_TRANSFER, DisputeEvent.MEDIATION_TRANSFER_ACCEPTED,
                    Action.START]


def test_it_lets_the_receiving_organisation_return_it_to_the_sender(people, mediation):
    case = in_mediation(people, mediation.mediator)
    transfer = propose(mediation, case, to_type="administrative", office="sfj")
    with pytest.raises(CaseError) as no_reason:
        services.return_transfer(mediation.justice_mediator, case, transfer_id=transfer.pk, reason=" ",
                                 now=at(2026, 11, 6))
    assert no_reason.value.field == "reason"
    services.return_transfer(mediation.justice_mediator, case, transfer_id=transfer.pk,
                             reason="不属于行政调解范围，请继续人民调解", now=at(2026, 11, 6, 9))
    case.refresh_from_db()
    assert case.office == mediation.committee and case.status == Status.DISPATCHED
    assert Dispute.objects.get(case=case).mediation_type == MediationType.PEOPLE
    assert MediationTransfer.objects.get(pk=transfer.pk).status == TransferStatus.RETURNED
    assert CaseEvent.objects.filter(case=case, action=DisputeEvent.MEDIATION_TRANSFER_RETURNED).exists()
    # Back home, the committee takes it up again.
    services.take_up_dispute(mediation.mediator, case, now=at(2026, 11, 6, 10))
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS


def test_it_passes_a_dispute_back_from_judicial_to_peoples_mediation(people, mediation):
    case = in_mediation(people, mediation.mediator)
    first = propose(mediation, case)
    services.accept_transfer(mediation.court_mediator, case, transfer_id=first.pk, now=at(2026, 11, 6, 9))
    back = services.propose_transfer(mediation.court_mediator, case, to_type="people",
                                     to_office_code="tc-tjw", reason="委派社区调解", now=at(2026, 11, 7, 9))
    services.accept_transfer(mediation.village_mediator, case, transfer_id=back.pk, now=at(2026, 11, 8, 9))
    types = list(MediationTransfer.objects.filter(dispute__case=case).values_list("from_type", "to_type"))
    assert types == [("people", "judicial"), ("judicial", "people")]
    assert Case.objects.get(pk=case.pk).office == mediation.village_committee


def test_it_decides_a_transfer_once_and_keeps_one_pending(people, mediation):
    case = in_mediation(people, mediation.mediator)
    transfer = propose(mediation, case)
    with pytest.raises(CaseError):
        # The case is now the court's: the committee's mediator can no longer act on it.
        propose(mediation, case, office="sfj")
    services.accept_transfer(mediation.court_mediator, case, transfer_id=transfer.pk, now=at(2026, 11, 6))
    with pytest.raises(CaseError) as again:
        services.return_transfer(mediation.court_mediator, case, transfer_id=transfer.pk, reason="x",
                                 now=at(2026, 11, 6))
    assert again.value.status == 409


@pytest.mark.parametrize("to_type, office, field", [
    ("arbitration", "court", "to_type"),
    ("judicial", "nowhere", "to_office"),
    ("judicial", "gc-tjw", "to_office"),
])
def test_it_refuses_a_bad_transfer_and_changes_nothing(people, mediation, to_type, office, field):
    case = in_mediation(people, mediation.mediator)
    with pytest.raises(CaseError) as refused:
        propose(mediation, case, to_type=to_type, office=office)
    assert refused.value.field == field
    assert Case.objects.get(pk=case.pk).office == mediation.committee
    assert not MediationTransfer.objects.exists()


def test_it_lets_only_the_receiving_organisation_decide(people, mediation):
    case = in_mediation(people, mediation.mediator)
    transfer = propose(mediation, case)
    for user in (mediation.mediator, mediation.justice_mediator, people.handler):
        with pytest.raises(CaseError) as refused:
            services.accept_transfer(user, case, transfer_id=transfer.pk, now=at(2026, 11, 6))
        assert refused.value.status == 403
    assert MediationTransfer.objects.get(pk=transfer.pk).status == TransferStatus.PENDING


def test_it_lets_the_receiving_organisation_only_decide_while_the_transfer_waits(people, mediation):
    from anju.disputes import queries

    case = in_mediation(people, mediation.mediator)
    propose(mediation, case)
    with pytest.raises(CaseError) as refused:
        services.schedule_session(mediation.court_mediator, case, scheduled_at=at(2026, 11, 6, 9), place="法院",
                                  now=at(2026, 11, 5, 11))
    assert refused.value.status == 409
    with pytest.raises(CaseError):
        services.end_mediation(mediation.court_mediator, case, outcome="withdrawn", note="x", now=at(2026, 11, 5, 11))
    allowed = queries.dispute_actions(mediation.court_mediator, Case.objects.get(pk=case.pk))
    assert {"accept_transfer", "return_transfer"} <= set(allowed)
    assert not {"schedule_session", "end_mediation", "record_consent", "draft_agreement"} & set(allowed)


def test_it_keeps_the_core_from_returning_or_transferring_a_dispute_while_a_transfer_waits(people, mediation):
    from anju.cases import services as case_services

    case = in_mediation(people, mediation.mediator)
    transfer = propose(mediation, case)
    with pytest.raises(CaseError) as returned:
        case_services.return_case(mediation.court_mediator, case, reason="不归我们管", now=at(2026, 11, 5, 11))
    assert returned.value.status == 409
    with pytest.raises(CaseError):
        case_services.transfer_case(people.dispatcher, case, office_code="sfj", now=at(2026, 11, 5, 11))
    assert Case.objects.get(pk=case.pk).office == mediation.court
    # Once decided, the core's own moves work again.
    services.return_transfer(mediation.court_mediator, case, transfer_id=transfer.pk, reason="请继续人民调解",
                             now=at(2026, 11, 6, 9))
    case_services.transfer_case(people.dispatcher, case, office_code="tc-tjw", now=at(2026, 11, 6, 10))
    assert Case.objects.get(pk=case.pk).office == mediation.village_committee


def test_it_does_not_offer_the_plain_resolve_for_a_dispute(people, mediation):
    from anju.cases import access as case_access

    case = in_mediation(people, mediation.mediator)
    assert "resolve" not in case_access.allowed_actions(mediation.mediator, Case.objects.get(pk=case.pk))
    assert "wait" in case_access.allowed_actions(mediation.mediator, Case.objects.get(pk=case.pk))


def test_it_refuses_a_transfer_while_the_dispute_waits_for_the_reporter(people, mediation):
    from anju.cases import services as case_services

    case = in_mediation(people, mediation.mediator)
    case_services.wait_for_reporter(mediation.mediator, case, question="请提供承包合同", now=at(2026, 11, 3, 9))
    with pytest.raises(CaseError) as refused:
        propose(mediation, case)
    assert refused.value.status == 409
    assert not MediationTransfer.objects.exists()
