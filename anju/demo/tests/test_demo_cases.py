"""The demo county's disputes and petitions, built once for the module (as `anju demo` builds
them: the registers, synthetic cases, then each module's showcase) and rolled back after it.

Disputes: every synthetic dispute case has its record, and the showcase and the screening rounds
hold a dispute in every state the demo is meant to show. Petitions: played through the petition
services, at every stage the 信访工作条例 knows, with the statutory deadlines the services set,
reports of wrongdoing never with the body they are about, leaders in charge, and a reception
calendar with past and coming days."""

import random
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from anju.cases import deadlines
from anju.cases.choices import Action, ExtensionStatus, Status
from anju.cases.models import Case, CaseEvent, ExtensionRequest
from anju.demo import build
from anju.demo import catalogue as cat
from anju.demo.disputes import build_disputes
from anju.demo.petitions import build_petitions
from anju.disputes.choices import (
    DISPUTE,
    JudicialStatus,
    Outcome,
    ReportStatus,
    RoundStatus,
    TransferStatus,
    VisitStatus,
)
from anju.disputes.models import (
    Dispute,
    FollowUpVisit,
    MediationAgreement,
    MediationSession,
    MediationTransfer,
    Party,
    ScreeningRound,
)
from anju.notify.models import Notification
from anju.people.choices import OfficeKind
from anju.people.models import Office, User
from anju.petitions import queries, services, statutory
from anju.petitions.choices import (
    PETITION,
    BookedVia,
    BookingStatus,
    Decision,
    Delivery,
    Level,
    NoticeKind,
    PetitionEvent,
)
from anju.petitions.models import Booking, Notice, Petition, ReceptionDay


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        build.build_registers()
        build.generate_cases(150, random.Random(build.DEFAULT_SEED))
        yield {"disputes": build_disputes(), "petitions": build_petitions()}
        transaction.set_rollback(True)


@pytest.fixture
def petitions(demo, db):
    return Petition.objects.filter(case__is_synthetic=True).select_related("case", "case__office")


def _office(suffix: str) -> Office:
    return Office.objects.get(code=build.department_code(suffix))


def test_it_builds_disputes_in_every_state(demo, db):
    counts = demo["disputes"]
    now = timezone.now()

    synthetic = Case.objects.filter(kind=DISPUTE, is_synthetic=True)
    assert not synthetic.filter(dispute__isnull=True).exists()
    assert not Case.objects.filter(kind=DISPUTE, is_synthetic=False).exists()
    assert counts["disputes"] == synthetic.count() and counts["showcase"] >= 20

    mediator = User.objects.get(username="mediator")
    mine = Counter(Case.objects.filter(kind=DISPUTE, office=mediator.office).values_list("status", flat=True))
    assert mine[Status.DISPATCHED] >= 2 and mine[Status.IN_PROGRESS] >= 4 and mine[Status.RESOLVED] >= 4
    statuses = set(synthetic.values_list("status", flat=True))
    assert {Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.RESOLVED} <= statuses

    assert Party.objects.filter(consent="pending", dispute__case__status=Status.IN_PROGRESS).exists()
    upcoming = MediationSession.objects.filter(held_at__isnull=True, scheduled_at__gt=now,
                                               scheduled_at__lt=now + timedelta(days=4))
    assert upcoming.filter(dispute__case__office=mediator.office).count() >= 3
    agreements = Counter(MediationAgreement.objects.values_list("status", "judicial_status"))
    assert agreements[("draft", JudicialStatus.NOT_SOUGHT)] >= 1
    assert agreements[("effective", JudicialStatus.SOUGHT)] == agreements[("effective", JudicialStatus.CONFIRMED)] == 1
    window = [a for a in MediationAgreement.objects.filter(status="effective", judicial_status="not_sought")
              if a.judicial_window_ends_on >= timezone.localdate()]
    assert window
    outcomes = set(Dispute.objects.values_list("outcome", flat=True))
    assert {Outcome.AGREEMENT, Outcome.NO_AGREEMENT, Outcome.WITHDRAWN, Outcome.REFUSED, ""} <= outcomes
    assert Dispute.objects.filter(outcome=Outcome.NO_AGREEMENT).exclude(referral="").exists()
    transfers = Counter(MediationTransfer.objects.values_list("status", flat=True))
    assert transfers[TransferStatus.PENDING] >= 1 and transfers[TransferStatus.ACCEPTED] >= 1
    assert MediationTransfer.objects.filter(status=TransferStatus.PENDING, to_office__code="500229-fy").exists()
    assert FollowUpVisit.objects.filter(performance="not_performed", dispute__case__reopen_count__gt=0).exists()
    assert FollowUpVisit.objects.filter(status=VisitStatus.PLANNED, due_on__lte=timezone.localdate(),
                                        dispute__case__office=mediator.office).count() >= 2
    assert Dispute.objects.filter(resolved_level="village", outcome=Outcome.AGREEMENT).exists()

    current = ScreeningRound.objects.get(status=RoundStatus.OPEN)
    assert current.starts_on < timezone.localdate() < current.ends_on
    reports = Counter(current.reports.values_list("status", "nothing_found"))
    assert reports[(ReportStatus.SUBMITTED, True)] and reports[(ReportStatus.SUBMITTED, False)]
    assert reports[(ReportStatus.OWED, False)] > reports[(ReportStatus.SUBMITTED, True)]
    closed = ScreeningRound.objects.get(status=RoundStatus.CLOSED)
    assert closed.ends_on < timezone.localdate().replace(day=1)
    assert list(closed.reports.filter(status=ReportStatus.OWED).values_list("missed_deadline", flat=True)) == [True]
    assert Dispute.objects.filter(screening_report__round=closed, case__status=Status.IN_PROGRESS).exists()


def test_it_keeps_the_demo_accounts_in_order(db):
    # ``anju bench`` takes the dispatcher as the second account.
    build.build_registers()
    usernames = [row[0] for row in build.account_rows()]
    assert usernames[:2] == ["admin", "dispatcher"] and usernames[-1] == "mediator"
    assert User.objects.get(username="mediator").office.code == "500229001-tjw"


def test_it_plays_every_petition_through_the_petition_services(petitions):
    cases = Case.objects.filter(kind=PETITION)
    assert cases.count() == petitions.count() > 40
    # Reviews opened on demo petitions are demo data too, so no made-up petitioner is told anything.
    assert not cases.filter(is_synthetic=False).exists()
    assert not Notification.objects.filter(case__kind=PETITION).exists()
    # The core's own accept, dispatch, reject and wait were never used on a petition.
    core = CaseEvent.objects.filter(case__kind=PETITION,
                                    action__in=[Action.ACCEPT, Action.DISPATCH, Action.REJECT, Action.WAIT])
    assert not core.exists()
    for petition in petitions:
        kinds = set(petition.notices.values_list("kind", flat=True))
        if petition.routed_at is not None:
            assert NoticeKind.RECEIPT in kinds
        if petition.case.accepted_at is not None:
            assert NoticeKind.ACCEPTANCE in kinds
        if petition.case.resolved_at is not None:
            answer = services.answer_of(petition)
            assert answer is not None and answer.decision == petition.decision
        if petition.case.status == Status.CLOSED and petition.case.resolved_at is None:
            assert kinds & {NoticeKind.NON_ACCEPTANCE, NoticeKind.CONCLUDED}


def test_it_holds_petitions_at_every_stage(petitions):
    now = timezone.now()
    originals = petitions.filter(level=Level.ORIGINAL)
    submitted = originals.filter(case__status=Status.SUBMITTED)
    objected = originals.filter(case__events__action=PetitionEvent.PETITION_OBJECTION).distinct()
    # Registered and not yet routed; routed and waiting for acceptance, one inside its window to object.
    assert submitted.filter(routed_at__isnull=True).exclude(case__events__action=PetitionEvent.PETITION_ROUTE).exists()
    waiting = submitted.filter(routed_at__isnull=False)
    assert waiting.filter(objection_due_at__gt=now).exists() and waiting.filter(objection_due_at__lt=now).exists()
    # Objected and routed anew (to another body), and objected and back with the petition office.
    rerouted = []
    for petition in objected:
        route, objection, *again = petition.case.events.filter(
            action__in=[PetitionEvent.PETITION_ROUTE, PetitionEvent.PETITION_OBJECTION]).order_by("at", "id")[:3]
        assert route.action == PetitionEvent.PETITION_ROUTE and objection.action == PetitionEvent.PETITION_OBJECTION
        assert objection.at <= statutory.body_deadline(route.at, statutory.OBJECTION,
                                                       deadlines.calendar_for(route.at)).at
        if again:
            assert again[0].action == PetitionEvent.PETITION_ROUTE and again[0].data["office"] != route.data["office"]
            rerouted.append(petition)
    assert rerouted and objected.filter(case__status=Status.SUBMITTED, routed_at__isnull=True).exists()
    # Not accepted, with the reason and where to turn.
    declined = Notice.objects.filter(kind=NoticeKind.NON_ACCEPTANCE, petition__in=petitions)
    assert declined.exists()
    for notice in declined:
        assert notice.petition.case.status == Status.CLOSED
        reason, where = notice.content["paragraphs"][1:3]
        assert reason.startswith("理由：") and where.startswith("你（们）可以")
    # Accepted and being handled: due within three days, and overdue.
    handling = originals.filter(case__status=Status.IN_PROGRESS)
    assert handling.filter(case__handle_due_at__gt=now, case__handle_due_at__lte=now + timedelta(days=3)).exists()
    assert handling.filter(case__handle_due_at__lt=now).exists()
    # Extended with the written reason; an extension waiting for the supervisor.
    extended = handling.filter(extension_days__gt=0)
    assert extended.exists()
    for petition in originals.filter(extension_days__gt=0):
        notice = petition.notices.get(kind=NoticeKind.EXTENSION)
        assert f"延长{petition.extension_days}日" in notice.content["paragraphs"][1]
    assert ExtensionRequest.objects.filter(case__kind=PETITION, status=ExtensionStatus.PENDING).exists()
    # Answered with each decision; some by post, with the day the petitioner received it.
    answers = Notice.objects.filter(kind=NoticeKind.ANSWER, petition__in=petitions)
    assert {Decision.SUPPORT, Decision.EXPLAIN, Decision.NOT_SUPPORT} <= set(answers.values_list("decision", flat=True))
    posted = answers.filter(delivery=Delivery.POST)
    assert posted.filter(delivered_on__isnull=False).exists() and posted.filter(delivered_on__isnull=True).exists()
    assert all(n.sent_on <= n.delivered_on <= timezone.localdate() for n in posted.exclude(delivered_on=None))


def test_it_holds_reviews_a_level_up_and_a_matter_concluded_after_reexamination(petitions):
    county_government, city_government = _office(cat.COUNTY_GOVERNMENT[0]), _office(cat.CITY_GOVERNMENT[0])
    reviews = petitions.filter(level=Level.REVIEW)
    assert reviews.filter(case__office=county_government, decision__in=[Decision.UPHELD, Decision.CHANGED]).exists()
    assert reviews.filter(case__status=Status.IN_PROGRESS).exists() and reviews.filter(
        case__status=Status.SUBMITTED).exists()
    for review in reviews.exclude(routed_at=None):
        assert review.case.office_id not in (review.parent.case.office_id, city_government.pk)
        assert review.parent.level == Level.ORIGINAL and review.parent.decision
    reexaminations = petitions.filter(level=Level.REEXAMINATION, case__office=city_government)
    assert reexaminations.filter(hearings__isnull=False, decision__in=[Decision.UPHELD, Decision.CHANGED]).exists()
    assert all(p.parent.level == Level.REVIEW for p in reexaminations)
    again = petitions.filter(earlier_matter__isnull=False)
    assert again.exists()
    for petition in again:
        assert petition.earlier_matter.level == Level.REEXAMINATION and petition.case.status == Status.CLOSED
        assert petition.notices.filter(kind=NoticeKind.CONCLUDED).exists()


def test_it_holds_petitions_about_a_township_office_and_group_petitions(petitions):
    about = petitions.filter(case__about_office__kind=OfficeKind.TOWNSHIP).exclude(about_official="")
    assert about.filter(case__reports_wrongdoing=False, case__status=Status.IN_PROGRESS).exists()
    assert about.filter(case__reports_wrongdoing=True).exclude(case__status=Status.SUBMITTED).exists()
    assert all(p.case.confidential for p in about)
    groups = [p for p in petitions.filter(group_size__gt=1)
              if p.petitioners.filter(is_representative=True).count() >= 2]
    assert groups and all(len(p.petitioners.all()) <= min(p.group_size, 5) for p in groups)


def test_it_never_lets_a_report_of_wrongdoing_reach_the_body_it_is_about(petitions):
    reports = Case.objects.filter(kind=PETITION, reports_wrongdoing=True).select_related("about_office")
    assert reports.exclude(status=Status.SUBMITTED).exists()
    for case in reports:
        offices = {case.office.code} | {event.data.get(key) for event in case.events.all()
                                        for key in ("office", "from_office") if event.data.get(key)}
        assert case.about_office.code not in offices and case.confidential
        assert not Notice.objects.filter(petition__case=case, office=case.about_office).exists()


def test_it_sets_every_statutory_deadline_as_the_services_do(petitions):
    def calendar(moment):
        return deadlines.calendar_for(moment)

    def due(deadline):
        return deadline.at

    checked = 0
    for petition in petitions.prefetch_related("hearings"):
        case = petition.case
        if petition.level == Level.ORIGINAL:
            steps = list(case.events.filter(action__in=[PetitionEvent.PETITION_ROUTE, PetitionEvent.PETITION_OBJECTION])
                         .order_by("at", "id"))
            if not steps:
                assert case.accept_due_at == due(statutory.body_deadline(case.submitted_at, statutory.ROUTE,
                                                                     calendar(case.submitted_at)))
            elif steps[-1].action == PetitionEvent.PETITION_ROUTE:
                last = steps[-1].at
                assert petition.routed_at == last
                acceptance = statutory.body_deadline(last, statutory.ACCEPTANCE_NOTICE, calendar(last))
                assert case.accept_due_at == acceptance.at
                assert petition.objection_due_at == due(statutory.body_deadline(last, statutory.OBJECTION,
                                                                                calendar(last)))
            else:
                last = steps[-1].at
                assert petition.routed_at is None and petition.objection_due_at is None
                assert case.accept_due_at == due(statutory.body_deadline(last, statutory.ROUTE, calendar(last)))
            if case.accepted_at is not None:
                assert case.handle_due_at == due(statutory.handling_deadline(
                    case.accepted_at, calendar(case.accepted_at), extension_days=petition.extension_days))
        else:
            hearings = list(petition.hearings.all())
            if petition.level == Level.REVIEW:
                answer_by = before = due(statutory.body_deadline(case.submitted_at, statutory.REVIEW_ANSWER,
                                                             calendar(case.submitted_at)))
            else:
                answer_by = due(statutory.reexamination_deadline(case.submitted_at, calendar(case.submitted_at),
                                                             [(h.starts_on, h.ends_on) for h in hearings]))
                before = due(statutory.reexamination_deadline(
                    case.submitted_at, calendar(case.submitted_at),
                    [(h.starts_on, h.ends_on) for h in hearings
                     if case.accepted_at is None or h.created_at < case.accepted_at]))
            assert case.accept_due_at == before
            if case.accepted_at is not None:
                assert case.handle_due_at == answer_by
        # The deadline running now is the one of the petition's stage.
        if case.status == Status.SUBMITTED:
            assert case.due_at == case.accept_due_at
        elif case.status == Status.IN_PROGRESS:
            assert case.due_at == case.handle_due_at
        elif case.status == Status.CLOSED:
            assert case.due_at is None
        checked += 1
    assert checked > 40


def test_it_gives_the_demo_leader_petitions_in_personal_charge(petitions):
    now = timezone.now()
    leader = User.objects.get(username="leader")
    mine = list(queries.leader_cases(leader))
    assert len(mine) >= 3 and all(case.petition.leader_id == leader.pk for case in mine)
    assert any(case.due_at is not None and case.due_at < now for case in mine)
    assert CaseEvent.objects.filter(case__in=[c.pk for c in mine], action=PetitionEvent.LEADER,
                                    data__leader="leader").count() >= len(mine)


def test_it_keeps_a_reception_calendar_with_past_and_coming_days(petitions):
    now = timezone.now()
    past = ReceptionDay.objects.filter(ends_at__lt=now)
    received = Booking.objects.filter(day__in=past, status=BookingStatus.RECEIVED)
    assert received.exists()
    for booking in received:
        assert booking.summary and booking.slot_at <= booking.received_at <= now
        assert booking.booked_at < booking.slot_at and booking.petition.case.submitted_at <= booking.booked_at
    # Leaders took personal charge there.
    in_charge = CaseEvent.objects.filter(action=PetitionEvent.LEADER, data__has_key="booking")
    assert in_charge.exists()
    for event in in_charge:
        booking = Booking.objects.select_related("day", "petition").get(pk=event.data["booking"])
        assert booking.day.leader.username == event.data["leader"]
    # The coming days: free places, and bookings made online and at the counter.
    coming = [day for day in queries.upcoming_days(now) if day.starts_at > now]
    assert len(coming) >= 2
    assert all(any(slot["free"] for slot in services.slots_of(day)) for day in coming)
    booked = Booking.objects.filter(day__in=coming, status=BookingStatus.BOOKED)
    assert {BookedVia.PUBLIC, BookedVia.COUNTER} <= set(booked.values_list("via", flat=True))
    assert all(booking.booked_at < now < booking.slot_at for booking in booked)
