"""Failed sign-ins are limited per account and per address, on the API and on the sign-in page:
a password cannot be guessed by trying, and the wait is said."""

import json
import re

import pytest
from django.test import Client


def token(client, username, password):
    return client.post("/api/v1/auth/token", json.dumps({"username": username, "password": password}),
                       content_type="application/json")


@pytest.fixture
def limits(settings):
    settings.ANJU_SIGNIN_RATE = "3/15m"
    settings.ANJU_SIGNIN_ADDRESS_RATE = "5/15m"


def test_the_api_refuses_an_account_after_too_many_wrong_passwords_even_the_right_one(people, limits):
    client = Client()
    assert [token(client, "handler", "wrong").status_code for _ in range(3)] == [401, 401, 401]
    refused = token(client, "handler", "pw")
    assert refused.status_code == 429
    # The wait is the rest of the 15-minute window, in minutes.
    assert 1 <= int(re.search(r"\d+", refused.json()["detail"]).group()) <= 15
    # Another account from the same address is not yet refused.
    assert token(client, "dispatcher", "pw").status_code == 201


def test_the_api_refuses_an_address_that_tries_many_accounts(people, limits):
    client = Client()
    for name in ("a1", "a2", "a3", "a4", "a5"):
        assert token(client, name, "wrong").status_code == 401
    assert token(client, "dispatcher", "pw").status_code == 429
    assert token(Client(REMOTE_ADDR="10.0.0.9"), "dispatcher", "pw").status_code == 201


def test_a_right_password_within_the_limit_signs_in(people, limits):
    client = Client()
    assert token(client, "handler", "wrong").status_code == 401
    assert token(client, "handler", "pw").status_code == 201


def test_the_sign_in_page_refuses_after_too_many_wrong_passwords_and_says_how_long(people, limits):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(3):
        assert client.post("/accounts/login/", {"username": "handler", "password": "wrong"}).status_code == 200
    page = client.post("/accounts/login/", {"username": "handler", "password": "pw"})
    assert page.status_code == 429
    assert "Too many failed sign-ins" in page.content.decode() or "登录失败次数过多" in page.content.decode()
    assert "_auth_user_id" not in client.session
