"""How personal data looks wherever it is listed: masked. Seeing it in full is a reveal, which
only ``anju.cases`` grants (``services.check_reveal``), and logs."""

import re

# Full-width digits, brackets, plus and dashes and the ideographic space, as Chinese input methods
# type them, read as their ASCII forms: one character for one, so that positions stay.
_HALF_WIDTH = str.maketrans("０１２３４５６７８９（）＋－\u3000\u2010\u2011\u2012\u2013\u2014",
                            "0123456789()+- -----")
_DIGITS = re.compile(r"[0-9]")
_SPACES = re.compile(r"\s")
# A phone number as people write one: with or without +86 / 0086, the area code maybe in brackets,
# the digits in groups split by a space or a dash (138 0000 1234, 023-6123 4567, (023)61234567);
# and any other run of seven or more digits (an ID card or account number). Read on the text
# with full-width characters made ASCII. Digits after a decimal point are a fraction, and two
# years joined by a dash (2024-2025) a span of years, not numbers to mask.
_PHONE_LIKE = re.compile(r"""
    (?<![0-9+.])
    (?!(?:19|20)[0-9]{2}[ -](?:19|20)[0-9]{2}(?![0-9]))
    (?:
        (?:(?:\+|00)[ ]?86[ -]?)?
        (?:\([0-9]{2,4}\)[ ]?)?
        [0-9]{2,4}(?:[ -]?[0-9]{3,4}){1,2}
      | [0-9]{7,}
    )
    (?![0-9])
""", re.VERBOSE)


def mask_name(name: str) -> str:
    """张大山 → 张**: the family name only."""
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_phone(phone: str) -> str:
    """One phone number, whatever its form, as its digits in the national form with at least four
    of them hidden: 13800001111, 138 0000 1111 and +86 138-0000-1111 → 138****1111; 023-6123 4567,
    (023)61234567 and +86 23 6123 4567 → 023****4567; 6123 4567 → ****4567. Numbers of fewer than
    seven digits are wholly masked."""
    plain = phone.translate(_HALF_WIDTH).strip()
    digits = "".join(_DIGITS.findall(plain))
    if plain.startswith(("+86", "0086")):
        digits = digits[2:] if plain.startswith("+") else digits[4:]
        # Written from abroad, a landline drops the 0 of its area code.
        if digits and not digits.startswith(("0", "1")):
            digits = "0" + digits
    if len(digits) < 7:
        return "*" * (len(digits) or len(_SPACES.sub("", plain)))
    tail = 4 if len(digits) >= 8 else 3
    head = max(0, min(3, len(digits) - tail - 4))
    return digits[:head] + "*" * (len(digits) - head - tail) + digits[-tail:]


def mask_phones_in(text: str) -> str:
    """``text`` with every phone-like number in it masked (``mask_phone``), in whatever form it is
    written, and every other run of seven or more digits; the rest of the text as it was."""
    plain = text.translate(_HALF_WIDTH)
    parts, start = [], 0
    for found in _PHONE_LIKE.finditer(plain):
        if len(_DIGITS.findall(found.group())) < 7:
            continue
        parts += [text[start:found.start()], mask_phone(found.group())]
        start = found.end()
    return "".join(parts) + text[start:]


def mask_address(address: str) -> str:
    """The first four characters (the village or street, not the house)."""
    return (address[:4] + "…") if len(address) > 4 else address


def mask_email(address: str) -> str:
    """z***@example.com: enough to tell two addresses apart, not enough to write to."""
    local, at, domain = address.partition("@")
    if not at:
        return "*" * len(address)
    return (local[:1] + "***" if local else "***") + "@" + domain
