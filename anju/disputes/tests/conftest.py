"""Fixtures of the disputes API tests: API clients for any persona (the people and the
mediation personas), and disputes brought to a state through the services.

The API uses the real time, so these disputes are built relative to ``timezone.now()``
(``flow.dispute_in``)."""

import json

import pytest
from django.test import Client

from anju.disputes.tests import flow
from anju.people.services import issue_token

# The parties of the shared land dispute, as plain tuples for request bodies.
PARTIES = [(p.role, p.name, p.phone, p.address, p.claim) for p in flow.PARTIES]


def post(client, url, body=None, **headers):
    return client.post(url, json.dumps(body if body is not None else {}), content_type="application/json", **headers)


def put(client, url, body=None, **headers):
    return client.put(url, json.dumps(body if body is not None else {}), content_type="application/json", **headers)


@pytest.fixture
def as_user(people, mediation):
    """as_user("mediator") or as_user(people.handler): an API client with that user's token.
    Names are looked up among the mediation personas, then the people personas."""

    def client_for(who, **headers):
        user = who if not isinstance(who, str) else getattr(mediation, who, None) or getattr(people, who)
        _record, raw = issue_token(user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", **headers)

    return client_for


@pytest.fixture
def dispute_at(people, mediation):
    """dispute_at("mediating") → a dispute case brought to that state through the services
    (``flow.dispute_in``: registered three days ago in 葛城 grid 1 by the dispatcher with two
    parties, taken up by ``mediation.mediator``), here with the applicant as its reporter.
    ``consent=False`` leaves consent pending."""

    def make(state, *, consent=True, **overrides):
        fields = {"reporter_name": "张大山", "reporter_phone": "13800001111", **overrides}
        return flow.dispute_in(people, mediation, state, consent=consent, **fields)

    return make
