"""The signature a receiver checks, and the example in docs/webhooks.md doing the same."""

import hashlib
import hmac
import re
from pathlib import Path

from anju.webhooks.signing import signature, verify_signature

SECRET = "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t"
BODY = '{"event":"resolve","case":{"category":{"name":"路灯故障"}}}'.encode()


def test_it_is_an_hmac_sha256_of_timestamp_dot_body():
    expected = hmac.new(SECRET.encode(), b"1790000000." + BODY, hashlib.sha256).hexdigest()
    assert signature(SECRET, 1790000000, BODY) == "sha256=" + expected


def test_it_verifies_a_good_signature_and_refuses_any_change():
    header = signature(SECRET, 1790000000, BODY)
    assert verify_signature(SECRET, "1790000000", BODY, header)
    assert verify_signature(SECRET, 1790000000, BODY.decode(), header)
    assert not verify_signature("another-secret", "1790000000", BODY, header)
    assert not verify_signature(SECRET, "1790000001", BODY, header)
    assert not verify_signature(SECRET, "1790000000", BODY + b" ", header)
    assert not verify_signature(SECRET, "1790000000", BODY, header.removeprefix("sha256="))
    flipped = header[:-1] + ("1" if header.endswith("0") else "0")
    assert not verify_signature(SECRET, "1790000000", BODY, flipped)
    assert not verify_signature(SECRET, "not a time", BODY, header)
    assert not verify_signature(SECRET, "1790000000", BODY, "")
    assert not verify_signature(SECRET, "1790000000", BODY, "sha256=签名")


def test_it_refuses_an_old_timestamp_when_told_the_time():
    header = signature(SECRET, 1790000000, BODY)
    assert verify_signature(SECRET, "1790000000", BODY, header, now=1790000000 + 300)
    assert not verify_signature(SECRET, "1790000000", BODY, header, now=1790000000 + 301)
    assert not verify_signature(SECRET, "1790000000", BODY, header, now=1790000000 - 301)


def test_the_example_in_the_docs_verifies_a_delivery(monkeypatch):
    docs = Path(__file__).resolve().parents[3] / "docs" / "webhooks.md"
    (example,) = re.findall(r"```python\n(.*?)```", docs.read_text(), re.S)
    assert len(example.strip().splitlines()) <= 10
    namespace = {}
    exec(example, namespace)  # noqa: S102 - our own documentation
    now = 1790000000
    monkeypatch.setattr("time.time", lambda: now + 10)
    headers = {"X-Anju-Timestamp": str(now), "X-Anju-Signature": signature(SECRET, now, BODY)}
    assert namespace["verify"](SECRET, headers, BODY)
    assert not namespace["verify"](SECRET, headers, BODY.replace("路灯".encode(), "道路".encode()))
    monkeypatch.setattr("time.time", lambda: now + 3600)
    assert not namespace["verify"](SECRET, headers, BODY)
