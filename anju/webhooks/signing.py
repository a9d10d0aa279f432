"""Signing deliveries, and checking a signature the way a receiving system does.

The signature is ``sha256=<hex HMAC-SHA256(secret, f"{timestamp}.{body}")>``: the timestamp is
part of what is signed, so a receiver that also refuses old timestamps cannot be fooled by a
recorded delivery sent again. See docs/webhooks.md.
"""

import hashlib
import hmac

PREFIX = "sha256="


def _as_bytes(value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def signature(secret: str, timestamp: int | str, body: bytes | str) -> str:
    """The ``X-Anju-Signature`` header value for ``body`` sent at ``timestamp`` (unix seconds)."""
    message = _as_bytes(timestamp) + b"." + _as_bytes(body)
    return PREFIX + hmac.new(_as_bytes(secret), message, hashlib.sha256).hexdigest()


def verify_signature(secret: str, timestamp: int | str, body: bytes | str, header: str, *,
                     now: int | None = None, tolerance: int = 300) -> bool:
    """True when ``header`` is the signature of ``body`` at ``timestamp`` with ``secret``.

    With ``now`` (unix seconds), a timestamp more than ``tolerance`` seconds away is refused
    too, which stops a recorded delivery from being replayed later. Compares in constant time.
    """
    if not header or not _as_bytes(header).startswith(PREFIX.encode()):
        return False
    try:
        stamp = int(timestamp)
    except (TypeError, ValueError):
        return False
    if now is not None and abs(int(now) - stamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body).encode(), _as_bytes(header))
