"""The identifier of a warning message as GB/T 35965.1 (突发事件预警信息) writes it:
``ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N``, 31 characters.

- ``ZZZZZZ``: the 6-digit GB/T 2260 code of the issuing county (never a township's 9 or a
  village's 12 digits);
- ``DDD``: the 3-digit GB/T 4657 code of the issuing organ;
- ``UUU``: the organ's internal unit, "000" by default; ``XX``: an extension, "00" by default;
- ``YYYYMMDDhhmmss``: when the message was entered, Beijing time;
- ``N``: the sequence of messages the same unit entered in the same second, 0 to 9."""

import re
from datetime import datetime

from anju.warnings.cap.times import beijing_stamp

IDENTIFIER = re.compile(r"\d{6}\d{3}\d{3}\d{2}_\d{14}_\d\Z")


def make_identifier(county_code6: str, organ_code3: str, entered_at: datetime, sequence: int,
                    *, unit: str = "000", extension: str = "00") -> str:
    """The GB/T 35965.1 identifier of a message entered at ``entered_at`` (aware) by organ
    ``organ_code3`` of county ``county_code6``, ``sequence``-th in that second. Raises
    ValueError for a code of the wrong length (a village's 12-digit code is not a county's)."""
    if not isinstance(county_code6, str) or not re.fullmatch(r"\d{6}", county_code6):
        raise ValueError(f"the county code must be the 6 digits of GB/T 2260, not {county_code6!r} "
                         "(a township's or a village's code is longer)")
    if not isinstance(organ_code3, str) or not re.fullmatch(r"\d{3}", organ_code3):
        raise ValueError(f"the organ code must be the 3 digits of GB/T 4657, not {organ_code3!r}")
    if not re.fullmatch(r"\d{3}", unit) or not re.fullmatch(r"\d{2}", extension):
        raise ValueError("the unit code has 3 digits and the extension 2")
    if isinstance(sequence, bool) or not isinstance(sequence, int) or not 0 <= sequence <= 9:
        raise ValueError(f"the sequence is one digit, 0 to 9, not {sequence!r}")
    return f"{county_code6}{organ_code3}{unit}{extension}_{beijing_stamp(entered_at)}_{sequence}"


def unit_code(identifier: str) -> str:
    """The issuing unit's 14 digits of a GB/T 35965.1 identifier."""
    return identifier.split("_", 1)[0]
