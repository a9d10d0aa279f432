"""What the API tests of the points register share: a client per user, a request with a JSON
body, the fields an error names, and the operations under a prefix."""

import json

from django.test import Client

from anju.conftest import openapi_schema
from anju.people.services import issue_token


def client(user, **headers) -> Client:
    _record, raw = issue_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", **headers)


def send(client, method, url, body=None, **headers):
    data = body if isinstance(body, str) else json.dumps(body if body is not None else {})
    return client.generic(method, url, data, content_type="application/json", **headers)


def fields(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def operations(prefix):
    for path, methods in openapi_schema()["paths"].items():
        if path.startswith(prefix):
            for method in methods:
                yield method.upper(), path
