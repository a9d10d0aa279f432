"""What the points register's API modules share: ids beyond the id range are unknown, and the
cursor fields of their lists."""

from django.http import Http404
from ninja import Field

from anju.cases.api import MAX_ID

CURSOR = Field(None, ge=1, le=MAX_ID, description="next_cursor of the previous page")
NEXT_CURSOR = Field(description="pass back as cursor for the next page; null at the end")


def object_id(value: int) -> int:
    """``value`` as an id, or 404 like any missing one when it lies beyond the id range."""
    if not 0 < value < MAX_ID:
        raise Http404
    return value
