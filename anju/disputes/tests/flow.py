"""Steps of a dispute's life shared by the dispute tests: each step calls the services as a user
would. The service tests pass fixed moments (``now=``); the API and page tests use the real
clock, so ``dispute_in`` builds its disputes relative to ``timezone.now()``."""

from datetime import date, timedelta

from django.utils import timezone

from anju.cases import services as case_services
from anju.cases.services import NewCase
from anju.conftest import at
from anju.disputes import services
from anju.disputes.choices import Consent
from anju.lib.workdays import LOCAL

PARTIES = [
    services.NewParty("applicant", "张大山", "13800001111", "土城社区3组12号", "对方退还占用的半分地"),
    services.NewParty("respondent", "李小河", "13900002222", "土城社区3组15号", "按原界桩为准"),
]

# 2026-11-02 is a Monday; the 30-day mediation limit counts calendar days.
MONDAY = at(2026, 11, 2, 9)


def register(people, *, category="dispute.land", lat=31.905, lng=108.605, now=MONDAY, parties=None, **details):
    parties = parties if parties is not None else list(PARTIES)
    case, _created = services.register_dispute(
        people.dispatcher,
        NewCase(kind="dispute", category_code=category, text="两户因承包地边界发生争执", lat=lat, lng=lng,
                reporter_name="张大山", reporter_phone="13800001111"),
        services.DisputeFacts(parties=parties, **details), now=now,
    )
    return case


def dispatched(people, now=MONDAY, **kwargs):
    """A dispute accepted and dispatched by the routing rules (to the 葛城 mediation committee)."""
    case = register(people, now=now, **kwargs)
    case_services.accept_case(people.dispatcher, case, now=now)
    case_services.dispatch_case(people.dispatcher, case, now=now)
    case.refresh_from_db()
    return case


def in_mediation(people, mediator, now=MONDAY, consent=True, **kwargs):
    """A dispute taken up by ``mediator``, every party consenting unless ``consent`` is False."""
    case = dispatched(people, now=now, **kwargs)
    services.take_up_dispute(mediator, case, now=now)
    if consent:
        for party in case.dispute.parties.all():
            services.record_consent(mediator, case, party_id=party.pk, consent=Consent.GIVEN, now=now)
    case.refresh_from_db()
    return case


def today() -> date:
    return timezone.now().astimezone(LOCAL).date()


def agreement_text(**changes) -> services.AgreementText:
    """The agreement of the land dispute; performance due 30 days from today unless changed."""
    fields = {"facts": "双方承包地相邻，因界桩移位发生争执。", "matters": "半分地的归属。",
              "responsibilities": "界桩移位系雨水冲刷所致，双方均无过错。",
              "terms": "以原承包合同附图为准重新埋设界桩。", "performance_manner": "双方共同到场，村委会见证",
              "performance_deadline": today() + timedelta(days=30)}
    fields.update(changes)
    return services.AgreementText(**fields)


def signed(people, mediator, *, signed_on=date(2026, 11, 10), now=None):
    """A dispute whose agreement took effect on ``signed_on``."""
    case = in_mediation(people, mediator)
    moment = now or at(signed_on.year, signed_on.month, signed_on.day, 16)
    agreement = services.draft_agreement(mediator, case, agreement_text(), now=moment)
    services.sign_agreement(mediator, case, agreement_id=agreement.pk, effective_on=signed_on, now=moment)
    case.refresh_from_db()
    agreement.refresh_from_db()
    return case, agreement


DISPUTE_STATES = ("submitted", "dispatched", "mediating", "session_due", "drafted", "signed", "sought", "ended",
                  "transferred")


def dispute_in(people, mediation, state: str, *, consent: bool = True, start=None, **case_fields):
    """A land dispute in 葛城 grid 1 with two parties, brought to ``state`` through the services
    as the personas would; registered ``start`` (three days ago unless given)."""
    assert state in DISPUTE_STATES
    start = start or timezone.now() - timedelta(days=3)
    fields = {"kind": "dispute", "category_code": "dispute.land", "text": "两户因承包地边界发生争执",
              "lat": 31.905, "lng": 108.605, **case_fields}
    case, _created = services.register_dispute(people.dispatcher, NewCase(**fields),
                                               services.DisputeFacts(parties=list(PARTIES)), now=start)
    if state == "submitted":
        return case
    case_services.accept_case(people.dispatcher, case, now=start)
    case_services.dispatch_case(people.dispatcher, case, now=start)
    case.refresh_from_db()
    if state == "dispatched":
        return case
    services.take_up_dispute(mediation.mediator, case, now=start)
    if consent:
        for party in case.dispute.parties.all():
            services.record_consent(mediation.mediator, case, party_id=party.pk, consent=Consent.GIVEN, now=start)
    if state == "transferred":
        services.propose_transfer(mediation.mediator, case, to_type="administrative", to_office_code="sfj",
                                  reason="涉及行政机关职责", now=start)
    if state == "session_due":
        services.schedule_session(mediation.mediator, case, scheduled_at=timezone.now() - timedelta(hours=1),
                                  place="土城社区调解室", now=start)
    if state == "ended":
        services.end_mediation(mediation.mediator, case, outcome="no_agreement", note="双方分歧较大",
                               referral="县人民法院")
    if state in ("drafted", "signed", "sought"):
        agreement = services.draft_agreement(mediation.mediator, case, agreement_text())
        if state in ("signed", "sought"):
            services.sign_agreement(mediation.mediator, case, agreement_id=agreement.pk, effective_on=today())
        if state == "sought":
            services.record_judicial_application(mediation.mediator, case, agreement_id=agreement.pk,
                                                 applied_on=today(), court="城口县人民法院")
    case.refresh_from_db()
    return case
