"""An incident's reports on the clock, at fixed moments: received at a township, the first report
by phone in time, the first report in writing late (the core's sweep marks it overdue and
escalates it), each report forwarded up to the county's duty office, which signs for it, a
follow-up, and the final report that answers the case; a raised grade that makes a report owed
at once; and who may do what."""

from datetime import timedelta
from decimal import Decimal

import pytest

from anju.cases import sweep as case_sweep
from anju.cases.choices import Status
from anju.cases.models import Case, SupervisionNotice
from anju.cases.services import CaseError
from anju.conftest import at
from anju.duty import incidents as services
from anju.duty.choices import IncidentEvent, Owed
from anju.duty.models import Forward, Incident, IncidentReport, ReportingRule

KNOWN = at(2026, 11, 2, 9)


def received(people, *, grade="major", actor=None, now=KNOWN, key=""):
    case, _created = services.open_incident(actor or people.handler, services.NewIncident(
        type="natural", grade=grade, text="土城社区5组山体滑坡，掩埋民房两间，2人被困",
        occurred_at=KNOWN - timedelta(minutes=20), known_at=KNOWN, lat=31.905, lng=108.605, injured=1),
        idempotency_key=key, now=now)
    return case


def report(actor, case, kind, channel, text, now, **figures):
    made, _created = services.make_report(actor, case, services.NewReport(kind=kind, channel=channel, text=text,
                                                                           **figures), now=now)
    return made


def test_a_major_incident_reports_on_the_clock_and_a_late_report_escalates(people, incidents, county):
    case = received(people)
    incident = Incident.objects.get(case=case)
    assert case.office == county.gecheng_office and case.status == Status.IN_PROGRESS
    assert incident.owed == Owed.FIRST_PHONE and incident.owed_due_at == at(2026, 11, 2, 9, 30)
    assert Case.objects.get(pk=case.pk).due_at == at(2026, 11, 2, 9, 30)

    first = report(people.handler, case, "first", "phone", "滑坡约2000方，2人被困，已组织救援", at(2026, 11, 2, 9, 20),
                   injured=1, missing=2)
    assert first.due_at == at(2026, 11, 2, 9, 30) and not first.late
    incident.refresh_from_db()
    assert incident.owed == Owed.FIRST_WRITTEN and incident.owed_due_at == at(2026, 11, 2, 10)
    assert incident.missing == 2
    forward = services.forward_report(people.handler, case, 1, channel="phone", now=at(2026, 11, 2, 9, 25))
    assert forward.to_office == incidents.emergency and forward.to_name == "县应急管理局"

    # Nothing in writing by 10:00: the core's sweep marks the case overdue, then escalates it.
    case_sweep.run_sweep(now=at(2026, 11, 2, 10, 5))
    case_sweep.run_sweep(now=at(2026, 11, 2, 11, 10))
    case.refresh_from_db()
    assert case.missed_deadline and case.supervision_level >= 2
    assert SupervisionNotice.objects.filter(case=case, kind="overdue").exists()
    assert SupervisionNotice.objects.filter(case=case, kind="escalation").exists()

    written = report(people.handler, case, "first", "written", "书面首报：滑坡掩埋民房两间，被困2人",
                     at(2026, 11, 2, 11, 15))
    assert written.due_at == at(2026, 11, 2, 10) and written.late
    incident.refresh_from_db()
    assert incident.owed == Owed.FOLLOW_UP and incident.owed_due_at == at(2026, 11, 2, 23, 15)
    services.forward_report(people.handler, case, 2, now=at(2026, 11, 2, 11, 20))
    received_by_county = services.receive_forward(incidents.county_officer, case, Forward.objects.get(
        report__number=2).pk, now=at(2026, 11, 2, 11, 30))
    assert received_by_county.received_by == incidents.county_officer

    follow = report(people.handler, case, "follow_up", "written", "被困2人已救出，送医救治", at(2026, 11, 2, 18),
                    injured=3, missing=0)
    assert follow.due_at == at(2026, 11, 2, 23, 15) and not follow.late
    final = report(people.handler, case, "final", "written", "终报：无人员死亡，3人受伤，直接经济损失约50万元",
                   at(2026, 11, 3, 5, 30), injured=3, losses="50")
    # Due six in the morning, twelve hours after the follow-up: on time.
    assert final.due_at == at(2026, 11, 3, 6) and not final.late
    case.refresh_from_db()
    incident.refresh_from_db()
    assert case.status == Status.RESOLVED and "终报" in case.reply
    assert incident.closed_at == at(2026, 11, 3, 5, 30) and incident.owed == Owed.NOTHING
    assert incident.losses == Decimal("50.00") and incident.injured == 3 and incident.missing == 0
    # The chain of who knew what when, in order on the timeline.
    chain = [(e.action, e.actor.username if e.actor else None) for e in case.events.order_by("at", "pk")
             if e.action.startswith("incident_")]
    assert chain == [
        (IncidentEvent.OPENED, "handler"), (IncidentEvent.REPORTED, "handler"), (IncidentEvent.FORWARDED, "handler"),
        (IncidentEvent.REPORTED, "handler"), (IncidentEvent.FORWARDED, "handler"),
        (IncidentEvent.RECEIVED, "county_officer"), (IncidentEvent.REPORTED, "handler"),
        (IncidentEvent.REPORTED, "handler")]
    with pytest.raises(CaseError) as after:
        report(people.handler, case, "follow_up", "phone", "补充", at(2026, 11, 3, 6))
    assert after.value.status == 409


def test_the_rules_are_configurable_and_a_raised_grade_can_make_a_report_owed_at_once(people, incidents):
    ReportingRule.objects.create(grade="general", phone_minutes=90, written_minutes=180, follow_up_hours=48)
    case = received(people, grade="general")
    assert Incident.objects.get(case=case).owed_due_at == at(2026, 11, 2, 10, 30)
    services.change_grade(people.handler, case, grade="major", reason="被困人数增加", now=at(2026, 11, 2, 9, 40))
    incident = Incident.objects.get(case=case)
    assert incident.grade == "major" and incident.owed_due_at == at(2026, 11, 2, 9, 30)
    case.refresh_from_db()
    assert case.due_at == at(2026, 11, 2, 9, 30)
    case_sweep.run_sweep(now=at(2026, 11, 2, 9, 41))
    assert SupervisionNotice.objects.filter(case=case, kind="overdue").exists()


def test_reports_come_in_their_order(people, incidents):
    case = received(people)
    with pytest.raises(CaseError) as early:
        report(people.handler, case, "follow_up", "phone", "续报", at(2026, 11, 2, 9, 10))
    assert early.value.field == "kind"
    report(people.handler, case, "first", "phone", "首报", at(2026, 11, 2, 9, 10))
    with pytest.raises(CaseError) as twice:
        report(people.handler, case, "first", "phone", "首报", at(2026, 11, 2, 9, 11))
    assert twice.value.field == "kind"
    with pytest.raises(CaseError) as by_phone:
        report(people.handler, case, "final", "phone", "终报", at(2026, 11, 2, 9, 12))
    assert by_phone.value.field == "channel"
    assert IncidentReport.objects.count() == 1


def test_a_report_is_forwarded_once_and_signed_for_only_by_the_office_it_went_to(people, incidents):
    case = received(people)
    report(people.handler, case, "first", "phone", "首报", at(2026, 11, 2, 9, 10))
    forward = services.forward_report(people.handler, case, 1, now=at(2026, 11, 2, 9, 12))
    with pytest.raises(CaseError) as again:
        services.forward_report(people.handler, case, 1, now=at(2026, 11, 2, 9, 13))
    assert again.value.status == 409
    with pytest.raises(CaseError) as stranger:
        services.receive_forward(people.other_handler, case, forward.pk, now=at(2026, 11, 2, 9, 14))
    assert stranger.value.status == 403
    # The county's duty office sees the forwarded incident although it does not keep it.
    from anju.duty.incident_access import incident_cases
    assert list(incident_cases(incidents.county_officer)) == [case]
    assert list(incident_cases(people.other_handler)) == []


def test_a_county_office_forwards_to_the_body_above_the_county(people, incidents, settings):
    settings.ANJU_DUTY_UPWARD_NAME = "市应急管理局总值班室"
    case = received(people, actor=incidents.county_officer)
    assert case.office == incidents.emergency
    report(incidents.county_officer, case, "first", "phone", "首报", at(2026, 11, 2, 9, 10))
    forward = services.forward_report(incidents.county_officer, case, 1, now=at(2026, 11, 2, 9, 12))
    assert forward.to_office is None and forward.to_name == "市应急管理局总值班室"


@pytest.mark.parametrize("change,field", [
    ({"type": "war"}, "type"),
    ({"grade": "tiny"}, "grade"),
    ({"text": " "}, "text"),
    ({"occurred_at": at(2026, 11, 2, 10)}, "occurred_at"),
    ({"known_at": at(2026, 11, 2, 8)}, "known_at"),
    ({"deaths": -1}, "deaths"),
    ({"injured": "2"}, "injured"),
    ({"losses": "lots"}, "losses"),
    ({"office": "nope"}, "office"),
])
def test_bad_input_names_the_field_and_writes_nothing(people, incidents, change, field):
    data = services.NewIncident(type="natural", grade="major", text="滑坡", occurred_at=at(2026, 11, 2, 8, 40),
                                known_at=KNOWN, lat=31.905, lng=108.605)
    for name, value in change.items():
        setattr(data, name, value)
    with pytest.raises(CaseError) as error:
        services.open_incident(people.handler, data, now=at(2026, 11, 2, 9, 5))
    assert error.value.field == field
    assert not Case.objects.exists() and not Incident.objects.exists()


def test_only_staff_of_the_place_receive_an_incident_for_an_office(people, incidents, county):
    data = services.NewIncident(type="accident", grade="general", text="车辆侧翻", occurred_at=KNOWN, known_at=KNOWN,
                                lat=31.905, lng=108.605, office="gc")
    for who in (people.other_handler, people.nobody, people.gridworker):
        with pytest.raises(CaseError) as refused:
            services.open_incident(who, data, now=KNOWN)
        assert refused.value.status == 403
    case, created = services.open_incident(people.supervisor, data, idempotency_key="k1", now=KNOWN)
    again, created_again = services.open_incident(people.supervisor, data, idempotency_key="k1", now=KNOWN)
    assert created and not created_again and again == case and Case.objects.count() == 1


def test_a_record_of_another_module_opens_an_incident_linked_both_ways(people, incidents):
    from anju.cases import modules

    opened = modules.provided("duty.open_incident")(
        people.handler, module="hazards", key=41, label="重大隐患 ABCD-1234", url="/work/hazards/41/",
        type="accident", grade="larger", text="边坡垮塌", occurred_at=KNOWN, lat=31.905, lng=108.605, now=KNOWN)
    incident = Incident.objects.get(case=opened)
    assert (incident.source_module, incident.source_key, incident.source_url) == ("hazards", "41", "/work/hazards/41/")
    [linked] = modules.provided("duty.incidents_for")("hazards", 41)
    assert linked["case"] == opened.pk and linked["open"] and linked["url"].endswith(f"/{opened.pk}/")
    assert modules.provided("duty.incidents_for")("hazards", 42) == []


def test_a_reporting_line_drawn_by_an_administrator_says_where_reports_go(people, incidents, county):
    from anju.duty.models import ReportingLine

    ReportingLine.objects.create(office=county.gecheng_office, up_office=county.centre)
    case = received(people)
    report(people.handler, case, "first", "phone", "首报", at(2026, 11, 2, 9, 10))
    forward = services.forward_report(people.handler, case, 1, now=at(2026, 11, 2, 9, 12))
    assert forward.to_office == county.centre and forward.to_name == "县综治中心"
