"""Times as CAP 1.2 writes them: ``YYYY-MM-DDThh:mm:ss±hh:mm``, whole seconds, the offset always
written out ("Z" is not allowed; UTC is "-00:00"). Anju writes Beijing time, ``+08:00``."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
# The form the CAP 1.2 text and its schema require of every time (sent, effective, onset, expires,
# and the sent of a reference).
CAP_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[-+]\d{2}:\d{2}\Z")


def format_time(moment: datetime) -> str:
    """``moment`` (aware) in Beijing time, to the second: 2026-07-01T14:05:09+08:00."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a CAP time needs its time zone")
    return moment.astimezone(BEIJING).replace(microsecond=0, tzinfo=None).isoformat() + "+08:00"


def beijing_stamp(moment: datetime) -> str:
    """``moment`` (aware) in Beijing time as GB/T 35965.1 writes an entry time: YYYYMMDDhhmmss."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an entry time needs its time zone")
    return moment.astimezone(BEIJING).strftime("%Y%m%d%H%M%S")


def parse_time(text: str) -> datetime | None:
    """A CAP time as an aware datetime; None when ``text`` is not one (wrong form, no such day or
    hour, an offset of a day or more)."""
    text = (text or "").strip()
    if not CAP_TIME.match(text):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    offset = moment.utcoffset()
    if offset is None or abs(offset) > timedelta(hours=14):
        return None
    return moment


def is_utc_written_plus(text: str) -> bool:
    """CAP writes UTC as "-00:00"; "+00:00" is a form the text rules out."""
    return (text or "").strip().endswith("+00:00")

