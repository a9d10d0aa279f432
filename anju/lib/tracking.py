"""Public tracking codes: short, unambiguous, with a check character.

Eight random characters from Crockford's base-32 alphabet (no I, L, O, U), then one check
character computed with the Luhn mod N algorithm, so that any single mistyped character
and any swap of two neighbours is caught, except a swap of 0 and Z (Luhn's one blind spot).
Shown in two groups: ``K7M2-9QXPA``.

Tracking codes are public references (Open311 lists them as ``service_request_id``), so looking
a case up is all they allow. Rating an answer or saying it is not solved changes the case and
needs the case's rating code (评价码) as well: six characters from an HMAC of the tracking code
keyed with SECRET_KEY, shown to the reporter with the tracking code and never stored.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_N = len(ALPHABET)
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
# Characters people confuse with ones in the alphabet.
_READ_AS = {"I": "1", "L": "1", "O": "0", "U": "V"}


def check_character(body: str) -> str:
    total = 0
    factor = 2
    for char in reversed(body):
        addend = factor * _INDEX[char]
        factor = 1 if factor == 2 else 2
        total += addend // _N + addend % _N
    return ALPHABET[(_N - total % _N) % _N]


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return body + check_character(body)


def normalise(text: str) -> str | None:
    """The canonical code for what a person typed (case, dashes, spaces and look-alike
    letters forgiven), or None when it cannot be a valid code."""
    cleaned = "".join(_READ_AS.get(c, c) for c in text.upper() if c not in " -")
    if len(cleaned) != 9 or any(c not in _INDEX for c in cleaned):
        return None
    if check_character(cleaned[:8]) != cleaned[8]:
        return None
    return cleaned


def display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


RATING_CODE_LENGTH = 6
# Keeps this use of SECRET_KEY apart from its other uses (sessions, rate-limit keys).
_RATING_SALT = b"anju.rating_code:"


def rating_code(tracking_code: str, *, secret_key: str | None = None) -> str:
    """The rating code of the case with ``tracking_code`` (as stored, without the dash).

    Derived, not stored: the same case always gives the same code, and nobody without
    SECRET_KEY can work it out from the public tracking code. Changing SECRET_KEY changes every
    rating code; keep the old key in SECRET_KEY_FALLBACKS so that codes already sent still work.
    """
    key = settings.SECRET_KEY if secret_key is None else secret_key
    digest = hmac.new(key.encode(), _RATING_SALT + tracking_code.encode(), hashlib.sha256).digest()
    # 256 is a multiple of 32, so every character of the alphabet is equally likely.
    return "".join(ALPHABET[byte % _N] for byte in digest[:RATING_CODE_LENGTH])


def check_rating_code(tracking_code: str, typed: str) -> bool:
    """Whether ``typed`` is the rating code of the case, forgiving case, spaces, dashes and
    look-alike letters. Compared in constant time, against the current key and the fallbacks."""
    cleaned = "".join(_READ_AS.get(c, c) for c in (typed or "").upper() if c not in " -").encode()
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    matches = [hmac.compare_digest(cleaned, rating_code(tracking_code, secret_key=key).encode()) for key in keys]
    return any(matches)
