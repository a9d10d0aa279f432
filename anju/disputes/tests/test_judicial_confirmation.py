"""The 30-day window for judicial confirmation of a mediation agreement (People's Mediation
Law Art. 33), counted in calendar days from the day the agreement takes effect."""

from datetime import date

import pytest

from anju.cases.models import CaseEvent
from anju.cases.services import CaseError
from anju.conftest import at
from anju.disputes import services
from anju.disputes.choices import JudicialStatus
from anju.disputes.tests.flow import signed


def test_it_opens_the_window_for_thirty_days_from_the_effective_date(people, mediation):
    case, agreement = signed(people, mediation.mediator, signed_on=date(2026, 11, 10))
    assert agreement.judicial_window_ends_on == date(2026, 12, 10)
    event = CaseEvent.objects.get(case=case, action="agreement_effective")
    assert event.data["judicial_window_ends_on"] == "2026-12-10"


def test_it_records_an_application_on_the_last_day_of_the_window(people, mediation):
    case, agreement = signed(people, mediation.mediator, signed_on=date(2026, 11, 10))
    services.record_judicial_application(mediation.mediator, case, agreement_id=agreement.pk,
                                         applied_on=date(2026, 12, 10), court="城口县人民法院",
                                         now=at(2026, 12, 10, 17))
    agreement.refresh_from_db()
    assert agreement.judicial_status == JudicialStatus.SOUGHT and agreement.court == "城口县人民法院"


def test_it_refuses_an_application_after_the_window_citing_the_rule(people, mediation, settings):
    case, agreement = signed(people, mediation.mediator, signed_on=date(2026, 11, 10))
    with pytest.raises(CaseError) as late:
        services.record_judicial_application(mediation.mediator, case, agreement_id=agreement.pk,
                                             applied_on=date(2026, 12, 11), court="城口县人民法院",
                                             now=at(2026, 12, 11, 9))
    assert late.value.field == "applied_on"
    assert "Art. 33" in late.value.message or "第三十三条" in late.value.message
    assert "2026-12-10" in late.value.message
    agreement.refresh_from_db()
    assert agreement.judicial_status == JudicialStatus.NOT_SOUGHT


@pytest.mark.parametrize("applied_on, now", [
    (date(2026, 11, 9), at(2026, 11, 20)),   # before the agreement took effect
    (date(2026, 11, 21), at(2026, 11, 20)),  # in the future
])
def test_it_refuses_an_application_outside_the_agreements_life(people, mediation, applied_on, now):
    case, agreement = signed(people, mediation.mediator, signed_on=date(2026, 11, 10))
    with pytest.raises(CaseError) as refused:
        services.record_judicial_application(mediation.mediator, case, agreement_id=agreement.pk,
                                             applied_on=applied_on, court="城口县人民法院", now=now)
    assert refused.value.field == "applied_on"


def test_it_records_the_courts_confirmation(people, mediation):
    case, agreement = signed(people, mediation.mediator, signed_on=date(2026, 11, 10))
    with pytest.raises(CaseError):
        services.record_judicial_decision(mediation.mediator, case, agreement_id=agreement.pk, confirmed=True,
                                          decided_on=date(2026, 11, 20), now=at(2026, 11, 20))
    services.record_judicial_application(mediation.mediator, case, agreement_id=agreement.pk,
                                         applied_on=date(2026, 11, 12), court="城口县人民法院", now=at(2026, 11, 12))
    with pytest.raises(CaseError) as early:
        services.record_judicial_decision(mediation.mediator, case, agreement_id=agreement.pk, confirmed=True,
                                          decided_on=date(2026, 11, 11), now=at(2026, 11, 20))
    assert early.value.field == "decided_on"
    services.record_judicial_decision(mediation.mediator, case, agreement_id=agreement.pk, confirmed=True,
                                      decided_on=date(2026, 11, 19), now=at(2026, 11, 20))
    agreement.refresh_from_db()
    assert agreement.judicial_status == JudicialStatus.CONFIRMED
    assert agreement.judicial_decided_on == date(2026, 11, 19)


def test_it_needs_a_note_when_the_court_does_not_confirm(people, mediation):
    case, agreement = signed(people, mediation.mediator, signed_on=date(2026, 11, 10))
    services.record_judicial_application(mediation.mediator, case, agreement_id=agreement.pk,
                                         applied_on=date(2026, 11, 12), court="城口县人民法院", now=at(2026, 11, 12))
    with pytest.raises(CaseError) as refused:
        services.record_judicial_decision(mediation.mediator, case, agreement_id=agreement.pk, confirmed=False,
                                          decided_on=date(2026, 11, 19), now=at(2026, 11, 20))
    assert refused.value.field == "note"
    services.record_judicial_decision(mediation.mediator, case, agreement_id=agreement.pk, confirmed=False,
                                      decided_on=date(2026, 11, 19), note="协议内容违反法律强制性规定",
                                      now=at(2026, 11, 20))
    agreement.refresh_from_db()
    assert agreement.judicial_status == JudicialStatus.REJECTED


def test_it_refuses_judicial_steps_to_other_organisations(people, mediation):
    case, agreement = signed(people, mediation.mediator, signed_on=date(2026, 11, 10))
    for user in (people.handler, mediation.court_mediator, people.gridworker):
        with pytest.raises(CaseError) as refused:
            services.record_judicial_application(user, case, agreement_id=agreement.pk,
                                                 applied_on=date(2026, 11, 12), court="x", now=at(2026, 11, 12))
        assert refused.value.status == 403
