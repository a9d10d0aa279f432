"""Fixtures and helpers shared by the page tests."""

import struct
import zlib

import pytest
from django.test import Client

from anju.cases import services as s
from anju.cases.choices import ClockUnit


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def english_client(user=None) -> Client:
    """A browser asking for English, so that assertions read the msgids."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def advance(people, case, stage: str):
    """Take a fresh case in 葛城 to ``stage`` through the services, as the personas would."""
    if stage == "submitted":
        return case
    if stage == "rejected":
        return s.reject_case(people.dispatcher, case, reply="不属于受理范围")
    case = s.accept_case(people.dispatcher, case)
    if stage == "accepted":
        return case
    case = s.dispatch_case(people.dispatcher, case)
    if stage == "dispatched":
        return case
    case = s.start_case(people.handler, case)
    if stage == "in_progress":
        return case
    if stage == "pending_extension":
        s.request_extension(people.handler, case, amount=3, unit=ClockUnit.WORKING_DAYS, reason="需协调供电公司")
        return case
    if stage == "waiting":
        return s.wait_for_reporter(people.handler, case, question="请补充具体位置")
    case = s.resolve_case(people.handler, case, reply="路灯已修复")
    if stage == "resolved":
        return case
    if stage == "closed":
        return s.follow_up_case(people.dispatcher, case, satisfaction=5)
    raise ValueError(stage)


@pytest.fixture
def browse(people):
    def client_for(name):
        return english_client(getattr(people, name))

    return client_for


@pytest.fixture
def case_at(people, new_case):
    def make(stage, **overrides):
        return advance(people, new_case(**overrides), stage)

    return make


def png(width: int = 8, height: int = 8) -> bytes:
    """A small real PNG: a red square."""
    raw = b"".join(b"\x00" + b"\xcc\x22\x22" * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
