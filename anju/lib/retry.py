"""Growing delays between delivery attempts (notifications, webhooks)."""

from datetime import datetime, timedelta


def next_attempt_at(attempts: int, now: datetime, *, base_seconds: int = 60, cap_seconds: int = 6 * 3600) -> datetime:
    """When to try again after ``attempts`` failed attempts: 1, 2, 4, 8 ... minutes, at most six hours."""
    return now + timedelta(seconds=min(cap_seconds, base_seconds * 2 ** max(0, attempts - 1)))
