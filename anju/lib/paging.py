"""Keyset paging of API lists: the client passes back the ``next_cursor`` of the page it has read
as ``cursor``, and the next page starts below it. Unlike an offset, a cursor does not skip or
repeat rows when new ones arrive between two requests."""

from django.db.models import QuerySet


def keyset_page(rows: QuerySet, cursor: int | None, limit: int) -> tuple[list, int | None]:
    """One page of at most ``limit`` of ``rows`` (ordered newest first, by descending primary key)
    below ``cursor`` (from the top when empty), and the cursor of the page after it (None on the
    last page). Reads ``limit + 1`` rows to know whether another page follows."""
    if cursor:
        rows = rows.filter(pk__lt=cursor)
    page = list(rows[: limit + 1])
    next_cursor = page[limit - 1].pk if len(page) > limit else None
    return page[:limit], next_cursor
