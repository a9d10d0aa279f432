"""Rate limits, per client address (the public pages, sign-in) or per subject (a sign-in's
account), in the Django cache.

Only a keyed hash of the address is stored, under a key that expires with its window: the
limits slow down floods, they do not keep a record of who reported (it tracks issues, not
people). A fixed window per period is enough for that.
"""

import hashlib
import hmac
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

_UNITS = {"s": 1, "m": 60, "h": 3600}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smh])\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


@dataclass(frozen=True)
class Outcome:
    allowed: bool
    retry_after: int  # seconds until the window ends (0 when allowed)


def parse_rate(text: str) -> Rate:
    """``"10/1h"`` → 10 per hour; ``"60/10m"``, ``"5/30s"``, ``"10/h"``."""
    match = _RATE.match(text or "")
    if not match or int(match.group(1)) < 1 or match.group(2) == "0":
        raise ImproperlyConfigured(f"a rate must look like 10/1h, 60/10m or 5/30s, got {text!r}")
    return Rate(int(match.group(1)), int(match.group(2) or 1) * _UNITS[match.group(3)])


def client_address(request) -> str:
    """REMOTE_ADDR, or with ``ANJU_TRUSTED_PROXY_HOPS`` set, the address the outermost trusted
    proxy saw: counted from the right of X-Forwarded-For, since entries further left are
    whatever the client wrote."""
    hops = settings.ANJU_TRUSTED_PROXY_HOPS
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops > 0 and forwarded:
        entries = [e.strip() for e in forwarded.split(",") if e.strip()]
        if entries:
            return entries[max(0, len(entries) - hops)]
    return request.META.get("REMOTE_ADDR", "")


def _key(scope: str, subject: str, window: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{scope}|{subject}".encode(), hashlib.sha256).hexdigest()
    return f"anju:rl:{scope}:{digest[:32]}:{window}"


def _window(subject: str, scope: str, rate: Rate | str, now: float | None) -> tuple[Rate, str, float, float]:
    if isinstance(rate, str):
        rate = parse_rate(rate)
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    return rate, _key(scope, subject, window), now, (window + 1) * rate.seconds


def peek(request, scope: str, rate: Rate | str, *, now: float | None = None) -> Outcome:
    """Whether the client may still make a request of ``scope``, without counting one."""
    return peek_subject(client_address(request), scope, rate, now=now)


def hit(request, scope: str, rate: Rate | str, *, now: float | None = None) -> Outcome:
    """Count one request of ``scope`` from the request's client; refused once the client has
    used up the rate in the current window."""
    return hit_subject(client_address(request), scope, rate, now=now)


def peek_subject(subject: str, scope: str, rate: Rate | str, *, now: float | None = None) -> Outcome:
    """``peek`` for any subject (an address, an account name)."""
    rate, key, now, ends = _window(subject, scope, rate, now)
    if (cache.get(key) or 0) >= rate.count:
        return Outcome(False, max(1, int(ends - now)))
    return Outcome(True, 0)


def hit_subject(subject: str, scope: str, rate: Rate | str, *, now: float | None = None) -> Outcome:
    """``hit`` for any subject (an address, an account name)."""
    rate, key, now, ends = _window(subject, scope, rate, now)
    # add() is a no-op when the key exists; incr() is atomic on the cache backends we use.
    cache.add(key, 0, timeout=int(ends - now) + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=rate.seconds)
        count = 1
    if count > rate.count:
        return Outcome(False, max(1, int(ends - now)))
    return Outcome(True, 0)
