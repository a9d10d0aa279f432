"""Fixtures of the disputes API tests: API clients for any persona (the people and the
mediation personas), and disputes brought to a state through the services.

The API uses the real time, so these disputes are built relative to ``timezone.now()``:
registered and taken up three days ago, sessions an hour ago."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from anju.cases import services as case_services
from anju.cases.services import NewCase
from anju.disputes import services
from anju.disputes.choices import Consent
from anju.lib.workdays import LOCAL
from anju.people.services import issue_token

LAND = {"kind": "dispute", "category_code": "dispute.land", "text": "两户因承包地边界发生争执", "lat": 31.905,
        "lng": 108.605, "reporter_name": "张大山", "reporter_phone": "13800001111"}
PARTIES = [
    ("applicant", "张大山", "13800001111", "土城社区3组12号", "对方退还占用的半分地"),
    ("respondent", "李小河", "13900002222", "土城社区3组15号", "按原界桩为准"),
]


def post(client, url, body=None, **headers):
    return client.post(url, json.dumps(body if body is not None else {}), content_type="application/json", **headers)


def put(client, url, body=None, **headers):
    return client.put(url, json.dumps(body if body is not None else {}), content_type="application/json", **headers)


def today():
    return timezone.now().astimezone(LOCAL).date()


def agreement_text(**changes) -> services.AgreementText:
    fields = {"facts": "双方承包地相邻，因界桩移位发生争执。", "matters": "半分地的归属。",
              "responsibilities": "界桩移位系雨水冲刷所致，双方均无过错。",
              "terms": "以原承包合同附图为准重新埋设界桩。",
              "performance_manner": "双方共同到场，村委会见证", "performance_deadline": today() + timedelta(days=30)}
    fields.update(changes)
    return services.AgreementText(**fields)


@pytest.fixture
def as_user(people, mediation):
    """as_user("mediator") or as_user(people.handler): an API client with that user's token.
    Names are looked up among the mediation personas, then the people personas."""

    def client_for(who, **headers):
        user = who if not isinstance(who, str) else getattr(mediation, who, None) or getattr(people, who)
        _record, raw = issue_token(user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", **headers)

    return client_for


STATES = ("submitted", "dispatched", "mediating", "drafted", "signed", "ended")


@pytest.fixture
def dispute_at(people, mediation):
    """dispute_at("mediating") → a dispute case brought to that state through the services,
    registered three days ago in 葛城 grid 1 by the dispatcher with two parties:
    ``submitted``; ``dispatched`` (accepted and routed to the 葛城 committee); ``mediating``
    (taken up by ``mediation.mediator``, both parties consenting); ``drafted`` (with a draft
    agreement); ``signed`` (the agreement in effect since today); ``ended`` (no agreement).
    ``consent=False`` leaves consent pending."""

    def make(state, *, consent=True, **overrides):
        assert state in STATES
        start = timezone.now() - timedelta(days=3)
        case, _created = services.register_dispute(
            people.dispatcher, NewCase(**{**LAND, **overrides}),
            services.DisputeFacts(parties=[services.NewParty(*p) for p in PARTIES]), now=start,
        )
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
                services.record_consent(mediation.mediator, case, party_id=party.pk, consent=Consent.GIVEN,
                                        now=start)
        case.refresh_from_db()
        if state == "mediating":
            return case
        if state == "ended":
            services.end_mediation(mediation.mediator, case, outcome="no_agreement", note="双方分歧较大",
                                   referral="县人民法院")
            case.refresh_from_db()
            return case
        agreement = services.draft_agreement(mediation.mediator, case, agreement_text())
        if state == "signed":
            services.sign_agreement(mediation.mediator, case, agreement_id=agreement.pk, effective_on=today())
        case.refresh_from_db()
        return case

    return make
