"""Read-only case lists: the handler's inbox, supervision lists and the filtered list with
keyset (cursor) pagination. All start from ``visible_to(user)``."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from anju.cases.access import visible_to, without_reports_about_own_offices
from anju.cases.choices import IN_OFFICE_STATUSES
from anju.cases.models import Case, Category
from anju.geo.models import Region
from anju.people.access import roles_of

LIST_RELATED = ("category", "region", "grid", "office", "reporter", "merged_into")


def inbox(user, limit: int = 50):
    """Cases the user's office has in hand, most urgent deadline first; cases whose clock is
    paused (waiting for the reporter) come last.

    A user whose role covers their whole office reads the office's cases directly, less the
    reports of wrongdoing about the offices the user belongs to; going through ``visible_to``
    would add ``OR created_by = user``, which keeps PostgreSQL from reading the inbox index in
    order (docs/benchmarks.md)."""
    if not user.office_id:
        return Case.objects.none()
    whole_office = any(a.office_id == user.office_id and a.region_id is None for a in roles_of(user))
    rows = without_reports_about_own_offices(user, Case.objects.all()) if whole_office else visible_to(user)
    return (
        rows.filter(office_id=user.office_id, status__in=IN_OFFICE_STATUSES)
        .select_related(*LIST_RELATED)
        .order_by(F("due_at").asc(nulls_last=True), "id")[:limit]
    )


def _scoped(user, office_code: str = "", region_code: str = ""):
    rows = visible_to(user)
    if office_code:
        rows = rows.filter(office__code=office_code)
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        rows = rows.filter(area_path__startswith=region.path) if region else rows.none()
    return rows


def overdue(user, *, office_code: str = "", region_code: str = "", now: datetime | None = None, limit: int = 100):
    """Open cases whose running deadline has passed, longest overdue first."""
    now = now or timezone.now()
    return (
        _scoped(user, office_code, region_code)
        .filter(due_at__lt=now)
        .select_related(*LIST_RELATED)
        .order_by("due_at", "id")[:limit]
    )


def due_soon(user, *, within_hours: int = 24, office_code: str = "", region_code: str = "",
             now: datetime | None = None, limit: int = 100):
    """Open cases whose running deadline falls within the next ``within_hours``."""
    now = now or timezone.now()
    return (
        _scoped(user, office_code, region_code)
        .filter(due_at__gte=now, due_at__lt=now + timedelta(hours=within_hours))
        .select_related(*LIST_RELATED)
        .order_by("due_at", "id")[:limit]
    )


class BadCursor(ValueError):
    pass


@dataclass
class CaseFilters:
    status: list[str] | None = None
    office: str = ""
    region: str = ""
    category: str = ""
    kind: str = ""
    due_before: datetime | None = None
    overdue: bool | None = None
    text: str = ""
    order: str = "newest"  # or "due"


def encode_cursor(case: Case, order: str) -> str:
    value = [case.due_at.isoformat(), case.pk] if order == "due" else [case.pk]
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, order: str):
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if order == "due":
            due, pk = raw
            due = parse_datetime(due)
            if due is None or not isinstance(pk, int):
                raise BadCursor
            return due, pk
        (pk,) = raw
        if not isinstance(pk, int):
            raise BadCursor
        return (pk,)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise BadCursor from None


def case_list(user, filters: CaseFilters, *, cursor: str = "", limit: int = 50, now: datetime | None = None):
    """One page of the filtered list and the cursor of the next page (None at the end).

    Newest first by default; ``order="due"`` lists by running deadline, soonest first, and
    leaves out cases with no running deadline (closed, paused)."""
    now = now or timezone.now()
    rows = _scoped(user, filters.office, filters.region)
    if filters.status:
        rows = rows.filter(status__in=filters.status)
    if filters.category:
        category = Category.objects.filter(code=filters.category).first()
        rows = rows.filter(category__path__startswith=category.path) if category else rows.none()
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.due_before:
        rows = rows.filter(due_at__lt=filters.due_before)
    if filters.overdue is True:
        rows = rows.filter(due_at__lt=now)
    elif filters.overdue is False:
        rows = rows.exclude(due_at__lt=now)
    if filters.text:
        rows = rows.filter(Q(text__icontains=filters.text) | Q(tracking_code=filters.text.upper().replace("-", ""))
                           | Q(address__icontains=filters.text))
    if filters.order == "due":
        rows = rows.filter(due_at__isnull=False).order_by("due_at", "id")
        if cursor:
            due, pk = _decode_cursor(cursor, "due")
            rows = rows.filter(Q(due_at__gt=due) | Q(due_at=due, id__gt=pk))
    else:
        rows = rows.order_by("-id")
        if cursor:
            (pk,) = _decode_cursor(cursor, "newest")
            rows = rows.filter(id__lt=pk)
    page = list(rows.select_related(*LIST_RELATED)[: limit + 1])
    next_cursor = encode_cursor(page[limit - 1], filters.order) if len(page) > limit else None
    return page[:limit], next_cursor


