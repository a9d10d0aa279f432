"""Fixtures of the petition tests: API and page clients for any persona (the people and the
petitions personas)."""

import json

import pytest
from django.test import Client

from anju.people.services import issue_token


def post(client, url, body=None, **headers):
    return client.post(url, json.dumps(body if body is not None else {}), content_type="application/json", **headers)


def _user(people, petitions, who):
    if not isinstance(who, str):
        return who
    return getattr(petitions, who, None) or getattr(people, who)


@pytest.fixture
def as_user(people, petitions):
    """as_user("clerk") or as_user(people.handler): an API client with that user's token, in
    English unless told otherwise (``HTTP_ACCEPT_LANGUAGE="zh-hans"``)."""

    def client_for(who, **headers):
        _record, raw = issue_token(_user(people, petitions, who))
        headers.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", **headers)

    return client_for


@pytest.fixture
def signed_in(people, petitions):
    """signed_in("handler") → a page client signed in as that persona, in English."""

    def client_for(who, language="en"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(_user(people, petitions, who))
        return client

    return client_for
