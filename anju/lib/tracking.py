"""Public tracking codes: short, unambiguous, with a check character.

Eight random characters from Crockford's base-32 alphabet (no I, L, O, U), then one check
character computed with the Luhn mod N algorithm, so that any single mistyped character
and any swap of two neighbours is caught, except a swap of 0 and Z (Luhn's one blind spot).
Shown in two groups: ``K7M2-9QXPA``.
"""

import secrets

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
