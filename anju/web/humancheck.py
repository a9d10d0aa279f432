"""A simple human check for the public report form, with no outside service.

A sum of two small numbers (3 加 4 等于几？), answered in digits or in words. The question
travels in a signed token (django.core.signing) that also carries when the form was served,
so nothing is stored until the form comes back: the answer must be right, the token at most
two hours old and at least a few seconds old (bots fill forms at once), and each token is
good once (used tokens are remembered in the cache for as long as they would be valid).
"""

import secrets
import time
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _

SALT = "anju.web.humancheck"
MAX_AGE_SECONDS = 2 * 3600
MIN_AGE_SECONDS = 3

# Answers typed as words: Chinese numerals and English number words up to the largest sum.
_WORDS = {
    **{w: i for i, w in enumerate("零一二三四五六七八九十", start=0)},
    "两": 2, "十一": 11, "十二": 12, "十三": 13, "十四": 14, "十五": 15, "十六": 16, "十七": 17, "十八": 18,
    **{w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen".split())},
}
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True)
class Challenge:
    token: str
    question: str
    answer: int  # for tests; never rendered


class HumanCheckFailed(Exception):
    """The answer cannot be accepted; ``code`` says why (missing, invalid, expired,
    too_fast, used, wrong) and the message says it to the person."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _question(a: int, b: int) -> str:
    return _("What is %(a)s plus %(b)s?") % {"a": a, "b": b}


def new_challenge(now: float | None = None) -> Challenge:
    """A fresh question and its token, served at ``now`` (seconds since the epoch)."""
    now = time.time() if now is None else now
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    payload = {"a": a, "b": b, "n": secrets.token_urlsafe(12), "t": int(now)}
    return Challenge(signing.dumps(payload, salt=SALT), _question(a, b), a + b)


def _payload(token: str) -> dict | None:
    try:
        payload = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not all(isinstance(payload.get(k), int) for k in "abt"):
        return None
    if not isinstance(payload.get("n"), str):
        return None
    return payload


def question_for(token: str) -> str | None:
    """The question a valid token asks, or None."""
    payload = _payload(token)
    return _question(payload["a"], payload["b"]) if payload else None


def token_id(token: str) -> str | None:
    """The token's one-time identifier (a random nonce, nothing about the person)."""
    payload = _payload(token)
    return payload["n"] if payload else None


def _used_key(nonce: str) -> str:
    return f"anju:humancheck:{nonce}"


def parse_answer(text: str) -> int | None:
    cleaned = (text or "").strip().translate(_FULL_WIDTH).lower().rstrip("。.")
    if cleaned.isdigit():
        return int(cleaned)
    return _WORDS.get(cleaned)


def verify(token: str, answer: str, now: float | None = None) -> None:
    """Raise HumanCheckFailed unless ``answer`` is the right answer to the question in a valid,
    unused token served between 3 seconds and 2 hours before ``now``. Does not use the
    token up: ``consume`` does, once the report is accepted."""
    now = time.time() if now is None else now
    if not (answer or "").strip():
        raise HumanCheckFailed("missing", _("Please answer the question: it shows that a person sends this form."))
    payload = _payload(token)
    if payload is None:
        raise HumanCheckFailed("invalid", _("The question could not be checked. Please answer the new question."))
    age = now - payload["t"]
    if age > MAX_AGE_SECONDS:
        raise HumanCheckFailed("expired", _("The question is more than two hours old. Please answer the new one."))
    if age < MIN_AGE_SECONDS:
        raise HumanCheckFailed(
            "too_fast", _("The form was sent too quickly after it was opened. Please check it and send it again.")
        )
    if cache.get(_used_key(payload["n"])):
        raise HumanCheckFailed("used", _("This question was already answered once. Please answer the new one."))
    if parse_answer(answer) != payload["a"] + payload["b"]:
        raise HumanCheckFailed("wrong", _("That is not the right answer. Please try the new question."))


def consume(token: str) -> bool:
    """Use the token up; False when it was already used (a second submission)."""
    nonce = token_id(token)
    if nonce is None:
        return False
    return cache.add(_used_key(nonce), 1, timeout=MAX_AGE_SECONDS + 60)
