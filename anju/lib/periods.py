"""Periods of whole days in Asia/Shanghai, as the statistics of the domain modules count them.

A period runs from its first day 00:00 to the end of its last day: a moment counts when
``start 00:00 <= moment < the day after end, 00:00``. Plain helpers: stdlib and Django only.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Q

from anju.lib.workdays import LOCAL


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The moments a period of whole days runs between: [start 00:00, day after end 00:00), Asia/Shanghai."""
    return (datetime.combine(start, time.min, tzinfo=LOCAL),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=LOCAL))


def between(field_name: str, since: datetime, until: datetime) -> Q:
    """The rows whose ``field_name`` falls in [``since``, ``until``): the bounds ``period_bounds`` gives."""
    return Q(**{f"{field_name}__gte": since, f"{field_name}__lt": until})


def months_of(start: date, end: date) -> list[tuple[int, int]]:
    """The (year, month) pairs from ``start``'s month to ``end``'s, both included, in order."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
