"""The demo county's disputes: every synthetic dispute case has its record, and the showcase and
the screening rounds hold a dispute in every state the demo is meant to show."""

import random
from collections import Counter
from datetime import timedelta

from django.utils import timezone

from anju.cases.choices import Status
from anju.cases.models import Case
from anju.demo import build
from anju.demo.disputes import build_disputes
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
from anju.people.models import User


def test_it_builds_disputes_in_every_state(db):
    build.build_registers()
    build.generate_cases(120, random.Random(build.DEFAULT_SEED))
    counts = build_disputes()
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
