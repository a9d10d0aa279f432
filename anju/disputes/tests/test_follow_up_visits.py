"""Follow-up visits (回访) after an agreement: performed, or not performed, which reopens the
dispute with the mediating organisation."""

from datetime import date

import pytest

from anju.cases.choices import Action, Status
from anju.cases.models import Case, CaseEvent
from anju.cases.services import CaseError
from anju.conftest import at
from anju.disputes import services
from anju.disputes.choices import AgreementStatus, Outcome, VisitStatus
from anju.disputes.models import Dispute, FollowUpVisit, MediationAgreement
from anju.disputes.tests.flow import agreement_text, in_mediation, signed


def test_it_plans_visits_after_the_agreement_takes_effect(people, mediation, settings):
    settings.ANJU_DISPUTE_FOLLOW_UP_DAYS = [7, 30, 180]
    case, agreement = signed(people, mediation.mediator, signed_on=date(2026, 11, 10))
    visits = list(FollowUpVisit.objects.filter(dispute__case=case))
    assert [v.due_on for v in visits] == [date(2026, 11, 17), date(2026, 12, 10), date(2027, 5, 9)]
    assert {v.agreement_id for v in visits} == {agreement.pk}


def test_it_records_a_performed_agreement_and_keeps_the_dispute_resolved(people, mediation):
    case, agreement = signed(people, mediation.mediator)
    first = FollowUpVisit.objects.filter(dispute__case=case).first()
    services.record_visit(people.gridworker, case, visit_id=first.pk, performance="performed",
                          note="界桩已重新埋设，双方无异议", now=at(2026, 11, 25, 10))
    first.refresh_from_db()
    assert first.status == VisitStatus.DONE and first.done_by == people.gridworker
    assert Case.objects.get(pk=case.pk).status == Status.RESOLVED
    with pytest.raises(CaseError):
        services.record_visit(people.gridworker, case, visit_id=first.pk, performance="performed", note="x",
                              now=at(2026, 11, 25, 11))


@pytest.mark.parametrize("performance", ["not_performed", "partly"])
def test_it_reopens_the_dispute_when_the_agreement_is_not_performed(people, mediation, performance):
    case, agreement = signed(people, mediation.mediator)
    first, second = FollowUpVisit.objects.filter(dispute__case=case)
    services.record_visit(mediation.mediator, case, visit_id=first.pk, performance=performance,
                          note="李小河未按约定到场埋设界桩", now=at(2026, 11, 25, 10))
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.reopen_count == 1
    assert case.office == mediation.committee
    assert case.handle_due_at == at(2026, 12, 25, 23, 59, 59)
    dispute = Dispute.objects.get(case=case)
    assert dispute.outcome == "" and dispute.concluded_at is None
    assert MediationAgreement.objects.get(pk=agreement.pk).status == AgreementStatus.SUPERSEDED
    second.refresh_from_db()
    assert second.status == VisitStatus.CANCELLED
    reopen = CaseEvent.objects.filter(case=case, action=Action.REOPEN).get()
    assert reopen.data["by_follow_up"] and reopen.data["visit"] == first.pk and reopen.public

    # Mediation goes on, and a new agreement can be made and signed.
    new = services.draft_agreement(mediation.mediator, case, agreement_text(performance_deadline=date(2027, 1, 31)),
                                   now=at(2026, 11, 26, 10))
    services.sign_agreement(mediation.mediator, case, agreement_id=new.pk, effective_on=date(2026, 11, 26),
                            now=at(2026, 11, 26, 11))
    assert new.number != agreement.number and new.number == f"（2026）调协字第{new.pk:05d}号"
    assert Dispute.objects.get(case=case).outcome == Outcome.AGREEMENT
    assert Case.objects.get(pk=case.pk).status == Status.RESOLVED


def test_it_reopens_a_dispute_already_closed_by_the_core_follow_up(people, mediation):
    from anju.cases import services as case_services

    case, agreement = signed(people, mediation.mediator)
    case_services.follow_up_case(people.dispatcher, case, satisfaction=5, now=at(2026, 11, 12, 10))
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED
    visit = FollowUpVisit.objects.filter(dispute__case=case).first()
    services.record_visit(people.gridworker, case, visit_id=visit.pk, performance="not_performed",
                          note="对方拒绝履行", now=at(2027, 2, 8, 10))
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.closed_at is None and case.satisfaction is None


def test_it_records_a_visit_after_mediation_without_an_agreement(people, mediation):
    case = in_mediation(people, mediation.mediator)
    services.end_mediation(mediation.mediator, case, outcome="withdrawn", note="撤回", now=at(2026, 11, 3))
    visit = FollowUpVisit.objects.filter(dispute__case=case).first()
    with pytest.raises(CaseError) as refused:
        services.record_visit(people.gridworker, case, visit_id=visit.pk, performance="not_performed", note="x",
                              now=at(2026, 11, 18))
    assert refused.value.field == "performance"
    services.record_visit(people.gridworker, case, visit_id=visit.pk, performance="not_applicable",
                          note="双方相安无事", now=at(2026, 11, 18))
    assert Case.objects.get(pk=case.pk).status == Status.RESOLVED


def test_it_needs_a_finding_about_the_agreement(people, mediation):
    case, agreement = signed(people, mediation.mediator)
    visit = FollowUpVisit.objects.filter(dispute__case=case).first()
    for performance, field in (("not_applicable", "performance"), ("maybe", "performance")):
        with pytest.raises(CaseError) as refused:
            services.record_visit(people.gridworker, case, visit_id=visit.pk, performance=performance, note="x",
                                  now=at(2026, 11, 25))
        assert refused.value.field == field
    with pytest.raises(CaseError) as no_note:
        services.record_visit(people.gridworker, case, visit_id=visit.pk, performance="performed", note="",
                              now=at(2026, 11, 25))
    assert no_note.value.field == "note"


def test_it_lets_only_those_in_scope_record_a_visit(people, mediation):
    case, agreement = signed(people, mediation.mediator)
    visit = FollowUpVisit.objects.filter(dispute__case=case).first()
    for user in (people.handler, people.other_handler, mediation.court_mediator, people.leader):
        with pytest.raises(CaseError) as refused:
            services.record_visit(user, case, visit_id=visit.pk, performance="performed", note="x",
                                  now=at(2026, 11, 25))
        assert refused.value.status == 403
    assert FollowUpVisit.objects.get(pk=visit.pk).status == VisitStatus.PLANNED


def test_it_sends_a_confirmed_agreement_not_performed_to_enforcement_not_back_to_mediation(people, mediation):
    case, agreement = signed(people, mediation.mediator, signed_on=date(2026, 11, 10))
    services.record_judicial_application(mediation.mediator, case, agreement_id=agreement.pk,
                                         applied_on=date(2026, 11, 12), court="城口县人民法院", now=at(2026, 11, 12))
    first = FollowUpVisit.objects.filter(dispute__case=case).first()
    services.record_visit(mediation.mediator, case, visit_id=first.pk, performance="not_performed",
                          note="对方未履行", now=at(2026, 11, 25, 10))
    assert Case.objects.get(pk=case.pk).status == Status.RESOLVED
    assert MediationAgreement.objects.get(pk=agreement.pk).status == AgreementStatus.EFFECTIVE
    # The court's decision can still be recorded.
    services.record_judicial_decision(mediation.mediator, case, agreement_id=agreement.pk, confirmed=True,
                                      decided_on=date(2026, 11, 26), now=at(2026, 11, 27))
    assert MediationAgreement.objects.get(pk=agreement.pk).judicial_status == "confirmed"


def test_it_keeps_an_agreement_before_the_court_when_the_reporter_reopens(people, mediation):
    from anju.cases import services as case_services

    case, agreement = signed(people, mediation.mediator, signed_on=date(2026, 11, 10))
    services.record_judicial_application(mediation.mediator, case, agreement_id=agreement.pk,
                                         applied_on=date(2026, 11, 12), court="城口县人民法院", now=at(2026, 11, 12))
    case_services.reopen_case(None, case, reason="没有解决", by_reporter=True, now=at(2026, 11, 13))
    assert MediationAgreement.objects.get(pk=agreement.pk).status == AgreementStatus.EFFECTIVE
    services.record_judicial_decision(mediation.mediator, case, agreement_id=agreement.pk, confirmed=False,
                                      decided_on=date(2026, 11, 20), note="协议内容需调整", now=at(2026, 11, 21))


def test_it_tells_the_reporter_of_a_reopening_without_the_visits_notes(people, mediation):
    case, agreement = signed(people, mediation.mediator)
    first = FollowUpVisit.objects.filter(dispute__case=case).first()
    services.record_visit(mediation.mediator, case, visit_id=first.pk, performance="not_performed",
                          note="李小河说他哥哥在县里工作，不愿履行", now=at(2026, 11, 25, 10))
    public = " ".join(CaseEvent.objects.filter(case=case, public=True).values_list("note", flat=True))
    assert "李小河" not in public and "哥哥" not in public
