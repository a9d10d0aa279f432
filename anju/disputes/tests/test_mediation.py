"""The mediation life of a dispute: registration on the core clock, taking it up, voluntary
consent, sessions, and the ways mediation ends (agreement, no agreement, withdrawal, refusal)."""

from datetime import date, timedelta

import pytest

from anju.cases import services as case_services
from anju.cases.choices import Action, Status
from anju.cases.models import Case, CaseEvent
from anju.cases.services import CaseError, NewCase
from anju.conftest import at
from anju.disputes import services
from anju.disputes.choices import Consent, DisputeEvent, Outcome, ResolvedLevel, VisitStatus
from anju.disputes.models import Dispute, FollowUpVisit, MediationAgreement, Party
from anju.disputes.tests.flow import MONDAY, agreement_text, dispatched, in_mediation, register


def actions(case):
    return list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))


def test_it_registers_a_dispute_as_a_case_with_its_record_and_parties(people, mediation):
    case = register(people, scale=3, facts="边界争议", risk_level="medium", risk_reason="双方曾发生推搡")
    assert case.kind == "dispute" and case.status == Status.SUBMITTED
    dispute = case.dispute
    assert (dispute.scale, dispute.facts, dispute.risk_level) == (3, "边界争议", "medium")
    assert [(p.role, p.consent) for p in dispute.parties.all()] == [("applicant", Consent.PENDING),
                                                                     ("respondent", Consent.PENDING)]


def test_it_gives_a_dispute_thirty_days_from_acceptance_by_policy(people, mediation):
    case = register(people)
    accepted = at(2026, 11, 3, 10)
    case_services.accept_case(people.dispatcher, case, now=accepted)
    case.refresh_from_db()
    assert case.handle_due_at == at(2026, 12, 3, 23, 59, 59)
    assert case.due_at == case.handle_due_at


def test_it_routes_a_dispute_to_the_township_mediation_committee(people, mediation):
    case = dispatched(people)
    assert case.office == mediation.committee and case.status == Status.DISPATCHED


@pytest.mark.parametrize("changes, field", [
    ({"category": "urban.road"}, "category"),
    ({"risk_level": "high"}, "risk_reason"),
    ({"risk_level": "extreme", "risk_reason": "x"}, "risk_level"),
    ({"scale": 0}, "scale"),
    ({"parties": [services.NewParty("judge", "王五")]}, "parties.0.role"),
    ({"parties": [services.NewParty("applicant", "  ")]}, "parties.0.name"),
    ({"parties": [services.NewParty("applicant", "王五", "call me")]}, "parties.0.phone"),
])
def test_it_refuses_a_bad_dispute_and_writes_nothing(people, mediation, changes, field):
    with pytest.raises(CaseError) as refused:
        register(people, **changes)
    assert refused.value.field == field and refused.value.status == 422
    assert not Case.objects.exists() and not Dispute.objects.exists() and not Party.objects.exists()


def test_it_lets_the_committee_take_up_a_dispute_and_names_the_mediator(people, mediation):
    case = dispatched(people)
    with pytest.raises(CaseError) as refused:
        services.take_up_dispute(people.handler, case, now=MONDAY)
    assert refused.value.status == 403
    services.take_up_dispute(mediation.other_mediator, case, now=MONDAY)
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.dispute.mediator == mediation.other_mediator
    services.assign_mediator(mediation.other_mediator, case, mediator_id=mediation.mediator.pk, now=MONDAY)
    assert Dispute.objects.get(case=case).mediator == mediation.mediator
    with pytest.raises(CaseError) as outsider:
        services.assign_mediator(mediation.mediator, case, mediator_id=mediation.court_mediator.pk, now=MONDAY)
    assert outsider.value.field == "mediator"


def test_it_makes_a_record_for_a_dispute_reported_through_the_core_intake(people, mediation):
    case, _ = case_services.create_case(people.dispatcher, NewCase(
        kind="dispute", category_code="dispute.neighbour", text="邻居装修噪声纠纷", lat=31.905, lng=108.605))
    assert not Dispute.objects.filter(case=case).exists()
    dispute = services.ensure_dispute(case)
    assert dispute.case == case and dispute.parties.count() == 0
    assert services.ensure_dispute(case) == dispute


def test_it_takes_a_dispute_through_sessions_to_an_agreement(people, mediation):
    mediator = mediation.mediator
    case = in_mediation(people, mediator)
    session = services.schedule_session(mediator, case, scheduled_at=at(2026, 11, 4, 14), place="土城社区调解室",
                                        now=MONDAY)
    with pytest.raises(CaseError) as early:
        services.record_session(mediator, case, session_id=session.pk, present="双方", summary="…",
                                result="adjourned", now=at(2026, 11, 3, 9))
    assert early.value.field == "held_at"
    services.record_session(mediator, case, session_id=session.pk, present="张大山、李小河、村干部",
                            summary="双方同意按原合同附图重新埋界桩", result="agreement_reached",
                            now=at(2026, 11, 4, 16))
    agreement = services.draft_agreement(mediator, case, agreement_text(), now=at(2026, 11, 4, 16))
    assert agreement.status == "draft" and "调协字第" in agreement.number
    services.sign_agreement(mediator, case, agreement_id=agreement.pk, effective_on=date(2026, 11, 4),
                            now=at(2026, 11, 4, 17))
    case.refresh_from_db()
    dispute = case.dispute
    assert case.status == Status.RESOLVED and agreement.number in case.reply
    assert dispute.outcome == Outcome.AGREEMENT and dispute.resolved_level == ResolvedLevel.TOWNSHIP
    assert dispute.concluded_at == at(2026, 11, 4, 17)
    path = [DisputeEvent.SESSION_SCHEDULED, DisputeEvent.SESSION_HELD, DisputeEvent.AGREEMENT_DRAFTED,
            DisputeEvent.AGREEMENT_EFFECTIVE, DisputeEvent.MEDIATION_ENDED, Action.RESOLVE]
    assert path == [a for a in actions(case) if a in set(path)]
    # The reporter sees on /track that an agreement was signed.
    assert CaseEvent.objects.get(case=case, action=DisputeEvent.AGREEMENT_EFFECTIVE).public


def test_it_resolves_at_village_level_when_the_village_committee_mediates(people, mediation):
    case = dispatched(people)
    case_services.transfer_case(people.dispatcher, case, office_code=mediation.village_committee.code, now=MONDAY)
    mediator = mediation.village_mediator
    services.take_up_dispute(mediator, case, now=MONDAY)
    for party in case.dispute.parties.all():
        services.record_consent(mediator, case, party_id=party.pk, consent="given", now=MONDAY)
    agreement = services.draft_agreement(mediator, case, agreement_text(), now=MONDAY)
    services.sign_agreement(mediator, case, agreement_id=agreement.pk, effective_on=date(2026, 11, 2), now=MONDAY)
    assert Dispute.objects.get(case=case).resolved_level == ResolvedLevel.VILLAGE


def test_it_does_not_sign_before_every_party_consented(people, mediation):
    mediator = mediation.mediator
    case = in_mediation(people, mediator, consent=False)
    first = case.dispute.parties.first()
    services.record_consent(mediator, case, party_id=first.pk, consent="given", now=MONDAY)
    agreement = services.draft_agreement(mediator, case, agreement_text(), now=MONDAY)
    with pytest.raises(CaseError) as refused:
        services.sign_agreement(mediator, case, agreement_id=agreement.pk, effective_on=date(2026, 11, 2),
                                now=MONDAY)
    assert refused.value.field == "parties"
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS
    assert MediationAgreement.objects.get(pk=agreement.pk).status == "draft"


def test_it_needs_an_applicant_and_a_respondent_to_sign(people, mediation):
    mediator = mediation.mediator
    case = in_mediation(people, mediator, parties=[services.NewParty("applicant", "张大山")])
    agreement = services.draft_agreement(mediator, case, agreement_text(), now=MONDAY)
    with pytest.raises(CaseError) as refused:
        services.sign_agreement(mediator, case, agreement_id=agreement.pk, effective_on=date(2026, 11, 2),
                                now=MONDAY)
    assert refused.value.field == "parties"


@pytest.mark.parametrize("effective_on", [date(2026, 11, 3), date(2026, 11, 1)])
def test_it_refuses_an_agreement_in_effect_in_the_future_or_before_acceptance(people, mediation, effective_on):
    mediator = mediation.mediator
    case = in_mediation(people, mediator)
    agreement = services.draft_agreement(mediator, case, agreement_text(), now=MONDAY)
    with pytest.raises(CaseError) as refused:
        services.sign_agreement(mediator, case, agreement_id=agreement.pk, effective_on=effective_on, now=MONDAY)
    assert refused.value.field == "effective_on"


@pytest.mark.parametrize("field", ["facts", "matters", "responsibilities", "terms", "performance_manner"])
def test_it_refuses_an_agreement_missing_a_required_part(people, mediation, field):
    mediator = mediation.mediator
    case = in_mediation(people, mediator)
    text = agreement_text()
    setattr(text, field, " ")
    with pytest.raises(CaseError) as refused:
        services.draft_agreement(mediator, case, text, now=MONDAY)
    assert refused.value.field == field
    assert not MediationAgreement.objects.exists()


def test_it_keeps_one_draft_and_rewrites_it(people, mediation):
    mediator = mediation.mediator
    case = in_mediation(people, mediator)
    first = services.draft_agreement(mediator, case, agreement_text(), now=MONDAY)
    text = agreement_text()
    text.terms = "李小河一次性补偿张大山 800 元"
    second = services.draft_agreement(mediator, case, text, now=MONDAY)
    # Kept as written; what the office a dispute is about reads is redacted of the parties.
    kept = MediationAgreement.objects.get()
    assert first.pk == second.pk and kept.terms_whole == text.terms
    assert kept.terms == "【已隐去】一次性补偿【已隐去】 800 元"


def test_it_ends_mediation_when_a_party_refuses(people, mediation):
    mediator = mediation.mediator
    case = in_mediation(people, mediator, consent=False)
    respondent = case.dispute.parties.get(role="respondent")
    with pytest.raises(CaseError) as no_reason:
        services.record_consent(mediator, case, party_id=respondent.pk, consent="refused", now=MONDAY)
    assert no_reason.value.field == "note"
    services.record_consent(mediator, case, party_id=respondent.pk, consent="refused", note="不愿调解，要求起诉",
                            now=at(2026, 11, 3, 10))
    case.refresh_from_db()
    assert case.status == Status.RESOLVED and case.dispute.outcome == Outcome.REFUSED
    assert "voluntary" in case.reply or "自愿" in case.reply
    # Nothing more can be mediated.
    with pytest.raises(CaseError):
        services.schedule_session(mediator, case, scheduled_at=at(2026, 11, 5, 9), place="x", now=MONDAY)


def test_it_ends_mediation_withdrawn(people, mediation):
    mediator = mediation.mediator
    case = in_mediation(people, mediator)
    services.end_mediation(mediator, case, outcome="withdrawn", note="申请人表示已与对方私下和解，撤回调解申请",
                           now=at(2026, 11, 9, 10))
    case.refresh_from_db()
    assert case.dispute.outcome == Outcome.WITHDRAWN and case.status == Status.RESOLVED
    assert "撤回" in case.reply


def test_it_ends_without_agreement_only_with_a_referral(people, mediation):
    mediator = mediation.mediator
    case = in_mediation(people, mediator)
    with pytest.raises(CaseError) as refused:
        services.end_mediation(mediator, case, outcome="no_agreement", note="双方分歧较大", now=MONDAY)
    assert refused.value.field == "referral"
    services.end_mediation(mediator, case, outcome="no_agreement", note="双方分歧较大",
                           referral="县人民法院（诉讼）或县农村土地承包仲裁委员会", now=MONDAY)
    case.refresh_from_db()
    assert case.dispute.outcome == Outcome.NO_AGREEMENT and "仲裁" in case.reply
    with pytest.raises(CaseError) as agreement:
        services.end_mediation(mediator, case, outcome="agreement", note="x", now=MONDAY)
    assert agreement.value.status == 409


def test_it_ends_mediation_from_a_session_result(people, mediation):
    mediator = mediation.mediator
    case = in_mediation(people, mediator)
    session = services.schedule_session(mediator, case, scheduled_at=at(2026, 11, 2, 10), place="调解室", now=MONDAY)
    services.record_session(mediator, case, session_id=session.pk, present="双方", summary="双方各执一词",
                            result="no_agreement", referral="人民法院", now=at(2026, 11, 2, 12))
    assert Dispute.objects.get(case=case).outcome == Outcome.NO_AGREEMENT


def test_it_plans_the_follow_up_visits_by_policy(people, mediation, settings):
    settings.ANJU_DISPUTE_FOLLOW_UP_DAYS = [10, 45]
    mediator = mediation.mediator
    case = in_mediation(people, mediator)
    services.end_mediation(mediator, case, outcome="withdrawn", note="撤回", now=at(2026, 11, 6, 10))
    visits = FollowUpVisit.objects.filter(dispute__case=case)
    ended = date(2026, 11, 6)
    assert [v.due_on for v in visits] == [ended + timedelta(days=10), ended + timedelta(days=45)]
    assert {v.status for v in visits} == {VisitStatus.PLANNED} and {v.agreement for v in visits} == {None}


def test_it_refuses_mediation_actions_to_other_offices_and_roles(people, mediation):
    case = in_mediation(people, mediation.mediator)
    for user in (people.handler, people.gridworker, people.leader, mediation.court_mediator, people.nobody):
        with pytest.raises(CaseError) as refused:
            services.schedule_session(user, case, scheduled_at=at(2026, 11, 5, 9), place="x", now=MONDAY)
        assert refused.value.status == 403
        with pytest.raises(CaseError):
            services.end_mediation(user, case, outcome="withdrawn", note="x", now=MONDAY)
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS


def test_it_does_not_mediate_before_the_dispute_is_dispatched(people, mediation):
    case = register(people)
    case_services.accept_case(people.dispatcher, case, now=MONDAY)
    with pytest.raises(CaseError):
        services.schedule_session(people.admin, case, scheduled_at=at(2026, 11, 5, 9), place="x", now=MONDAY)


def test_it_records_the_risk_on_the_dispute_with_a_reason(people, mediation):
    mediator = mediation.mediator
    case = in_mediation(people, mediator)
    with pytest.raises(CaseError) as refused:
        services.update_dispute(mediator, case, scale=2, facts="", risk_level="high", risk_reason=" ", now=MONDAY)
    assert refused.value.field == "risk_reason"
    services.update_dispute(mediator, case, scale=5, facts="五户", risk_level="high",
                            risk_reason="涉及五户，双方扬言动手", now=MONDAY)
    dispute = Dispute.objects.get(case=case)
    assert (dispute.scale, dispute.risk_level, dispute.risk_reason) == (5, "high", "涉及五户，双方扬言动手")
    event = CaseEvent.objects.filter(case=case, action=DisputeEvent.DISPUTE_RECORD).last()
    assert set(event.data["changed"]) == {"scale", "facts", "risk_level", "risk_reason"}


def test_it_refuses_the_cores_plain_resolve_for_a_dispute(people, mediation):
    case = in_mediation(people, mediation.mediator)
    with pytest.raises(CaseError) as refused:
        case_services.resolve_case(mediation.mediator, case, reply="已调解", now=MONDAY)
    assert refused.value.status == 409
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS


def test_it_stops_counting_the_outcome_when_the_reporter_says_it_is_not_solved(people, mediation):
    from anju.disputes.choices import AgreementStatus
    from anju.disputes.tests.flow import signed

    case, agreement = signed(people, mediation.mediator)
    case_services.reopen_case(None, case, reason="对方没有按协议埋界桩", by_reporter=True, now=at(2026, 11, 12, 9))
    dispute = Dispute.objects.get(case=case)
    assert dispute.outcome == "" and dispute.concluded_at is None and dispute.resolved_level == ""
    assert MediationAgreement.objects.get(pk=agreement.pk).status == AgreementStatus.SUPERSEDED
    assert set(FollowUpVisit.objects.filter(dispute=dispute).values_list("status", flat=True)) == {
        VisitStatus.CANCELLED}


@pytest.mark.parametrize("how", ["refusal", "session", "end"])
def test_it_answers_the_reporter_without_the_mediators_notes(people, mediation, how):
    mediator = mediation.mediator
    case = in_mediation(people, mediator, consent=how != "refusal")
    secret = "李小河说他哥哥李大河在县里工作"
    if how == "refusal":
        respondent = case.dispute.parties.get(role="respondent")
        services.record_consent(mediator, case, party_id=respondent.pk, consent="refused", note=secret, now=MONDAY)
    elif how == "session":
        session = services.schedule_session(mediator, case, scheduled_at=at(2026, 11, 2, 10), place="调解室",
                                            now=MONDAY)
        services.record_session(mediator, case, session_id=session.pk, present="双方", summary=secret,
                                result="no_agreement", referral="人民法院", now=at(2026, 11, 2, 12))
    else:
        services.end_mediation(mediator, case, outcome="withdrawn", note=secret, now=MONDAY)
    case.refresh_from_db()
    assert case.status == Status.RESOLVED and case.reply
    public = " ".join(CaseEvent.objects.filter(case=case, public=True).values_list("note", flat=True))
    assert "李大河" not in case.reply and "李大河" not in public
    assert Dispute.objects.get(case=case).outcome_note_whole == secret


def test_editing_the_redacted_facts_keeps_what_they_hid(people, mediation):
    """The record form shows the facts as every page does, redacted of the parties; a mediator who
    edits them there adds words without erasing the names the marks stand for."""
    mediator = mediation.mediator
    case = in_mediation(people, mediator)
    services.update_dispute(mediator, case, scale=2, facts="张大山说李小河挖了界桩", risk_level="low",
                            risk_reason="")
    dispute = Dispute.objects.get(case=case)
    assert dispute.facts == "【已隐去】说【已隐去】挖了界桩"
    services.update_dispute(mediator, case, scale=2, facts=dispute.facts + "，村委会已到场", risk_level="medium",
                            risk_reason="张大山扬言要上访")
    dispute.refresh_from_db()
    assert dispute.facts_whole == "张大山说李小河挖了界桩，村委会已到场"
    assert dispute.risk_reason == "【已隐去】扬言要上访" and dispute.risk_reason_whole == "张大山扬言要上访"
