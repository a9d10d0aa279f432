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


# Typed in from the State Council's notice for 2026 and 《全国年节及纪念日放假办法》 for 2027
# (see petitions/tests/test_statutory.py): the day the window ends and whether it is an estimate.
@pytest.mark.parametrize("effective_on, ends_on, estimated", [
    (date(2026, 11, 10), date(2026, 12, 10), False),  # a Thursday: 30 days exactly
    (date(2026, 10, 16), date(2026, 11, 16), False),  # the 30th day is a Sunday: the Monday after
    (date(2026, 9, 5), date(2026, 10, 8), False),     # 5 October, in the National Day holiday
    (date(2026, 1, 16), date(2026, 2, 24), False),    # 15 February, in the Spring Festival holiday
    (date(2026, 10, 29), date(2026, 11, 30), False),  # Saturday 28 November: the Monday after
    (date(2026, 9, 10), date(2026, 10, 10), False),   # Saturday 10 October, a make-up working day
    (date(2026, 12, 2), date(2027, 1, 4), True),      # New Year's Day 2027 (a Friday), then the weekend
])
def test_it_moves_the_end_of_the_window_past_a_holiday_or_weekend(effective_on, ends_on, estimated, db):
    assert services.judicial_window_end(effective_on) == (ends_on, estimated)


def test_a_window_ending_on_the_eve_of_the_2027_spring_festival_is_moved_and_estimated(db):
    ends_on, estimated = services.judicial_window_end(date(2027, 1, 6))  # the 30th day is 除夕, 5 February
    assert estimated and ends_on >= date(2027, 2, 9)  # the statutory holidays run to 8 February


def test_it_follows_the_administrators_calendar_overrides(db):
    from anju.cases.models import CalendarOverride

    CalendarOverride.objects.create(date=date(2026, 12, 10), is_workday=False, note="test")
    assert services.judicial_window_end(date(2026, 11, 10)) == (date(2026, 12, 11), False)


def test_an_estimated_window_is_counted_again_when_the_notice_is_entered(people, mediation,
                                                                      django_capture_on_commit_callbacks):
    from anju.cases.models import CalendarOverride, HolidayNotice

    case, agreement = signed(people, mediation.mediator, signed_on=date(2027, 1, 6), now=at(2027, 1, 6))
    assert agreement.judicial_window_estimated and agreement.judicial_window_ends_on > date(2027, 2, 9)
    with django_capture_on_commit_callbacks(execute=True):
        # A made-up 2027 arrangement: 5–10 February off.
        for day in (9, 10):
            CalendarOverride.objects.create(date=date(2027, 2, day), is_workday=False, note="春节调休")
        HolidayNotice.objects.create(year=2027, title="国务院办公厅关于2027年部分节假日安排的通知")
    agreement.refresh_from_db()
    assert (agreement.judicial_window_ends_on, agreement.judicial_window_estimated) == (date(2027, 2, 11), False)
    assert case.events.filter(action="recount").exists()


def test_it_tells_the_reporter_the_window_in_words_that_the_tracking_page_keeps(people, mediation):
    from anju.cases.public import public_text

    case, agreement = signed(people, mediation.mediator, signed_on=date(2026, 11, 10))
    assert "2026年12月10日" in case.reply
    assert "2026年12月10日" in public_text(case.reply)
    # The number printed on the parties' copies does not open the reporter's tracking page.
    from anju.lib.tracking import display

    assert case.tracking_code not in agreement.number and display(case.tracking_code) not in agreement.number


def test_it_opens_no_window_for_an_agreement_of_the_courts_own_mediation(people, mediation):
    from anju.disputes.tests.flow import agreement_text, in_mediation

    case = in_mediation(people, mediation.mediator)
    transfer = services.propose_transfer(mediation.mediator, case, to_type="judicial", to_office_code="court",
                                         reason="诉前调解", now=at(2026, 11, 3, 9))
    services.accept_transfer(mediation.court_mediator, case, transfer_id=transfer.pk, now=at(2026, 11, 3, 10))
    draft = services.draft_agreement(mediation.court_mediator, case, agreement_text(), now=at(2026, 11, 4, 9))
    services.sign_agreement(mediation.court_mediator, case, agreement_id=draft.pk, effective_on=date(2026, 11, 4),
                            now=at(2026, 11, 4, 10))
    draft.refresh_from_db()
    assert draft.judicial_window_ends_on is None
    assert draft.signed_as["mediation_type"] == "judicial"
    assert draft.signed_as["organisation"] == mediation.court.name
    with pytest.raises(CaseError):
        services.record_judicial_application(mediation.court_mediator, case, agreement_id=draft.pk,
                                             applied_on=date(2026, 11, 5), court="x", now=at(2026, 11, 5))
