"""Steps of a dispute's life for the service tests: each step calls the services as a user would."""

from datetime import date

from anju.cases import services as case_services
from anju.cases.services import NewCase
from anju.conftest import at
from anju.disputes import services
from anju.disputes.choices import Consent

# 2026-11-02 is a Monday; the 30-day mediation limit counts calendar days.
MONDAY = at(2026, 11, 2, 9)


def register(people, *, category="dispute.land", lat=31.905, lng=108.605, now=MONDAY, parties=None, **details):
    parties = parties if parties is not None else [
        services.NewParty("applicant", "张大山", "13800001111", "土城社区3组", "对方退还占用的半分地"),
        services.NewParty("respondent", "李小河", "13900002222", "土城社区3组", "按原界桩为准"),
    ]
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


def agreement_text(deadline=date(2026, 12, 31)) -> services.AgreementText:
    return services.AgreementText(
        facts="双方承包地相邻，因界桩移位发生争执。", matters="半分地的归属。",
        responsibilities="界桩移位系雨水冲刷所致，双方均无过错。", terms="以原承包合同附图为准重新埋设界桩。",
        performance_manner="双方共同到场，村委会见证", performance_deadline=deadline,
    )


def signed(people, mediator, *, signed_on=date(2026, 11, 10), now=None):
    """A dispute whose agreement took effect on ``signed_on``."""
    case = in_mediation(people, mediator)
    moment = now or at(signed_on.year, signed_on.month, signed_on.day, 16)
    agreement = services.draft_agreement(mediator, case, agreement_text(), now=moment)
    services.sign_agreement(mediator, case, agreement_id=agreement.pk, effective_on=signed_on, now=moment)
    case.refresh_from_db()
    agreement.refresh_from_db()
    return case, agreement
