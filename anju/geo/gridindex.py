"""Point → grid lookup with a shapely STRtree.

The tree is built once per process and rebuilt when a grid changes: in this process
through the model signal, in other processes when the cheap stamp of the grid table
(count and latest change) differs, checked at most every few seconds.
"""

import threading
import time

from django.db.models import Count, Max
from shapely import STRtree
from shapely.geometry import Point, shape

from anju.geo.choices import Level

_STAMP_CHECK_SECONDS = 5.0
_lock = threading.Lock()
_state: dict = {"tree": None, "ids": [], "geoms": [], "stamp": None, "checked": 0.0}


def invalidate() -> None:
    """Forget the tree; the next lookup builds it again."""
    with _lock:
        _state["tree"] = None
        _state["stamp"] = None


def _stamp():
    from anju.geo.models import Region

    return tuple(Region.objects.filter(level=Level.GRID).aggregate(n=Count("id"), t=Max("updated_at")).values())


def _build():
    from anju.geo.models import Region

    ids, geoms = [], []
    for region_id, boundary in Region.objects.filter(level=Level.GRID, boundary__isnull=False).values_list(
        "id", "boundary"
    ):
        ids.append(region_id)
        geoms.append(shape(boundary))
    _state["tree"] = STRtree(geoms) if geoms else None
    _state["ids"], _state["geoms"] = ids, geoms


def find_grid_id(lat: float, lng: float) -> int | None:
    """The id of the grid whose polygon contains the point, or None."""
    now = time.monotonic()
    with _lock:
        if _state["stamp"] is None or now - _state["checked"] > _STAMP_CHECK_SECONDS:
            stamp = _stamp()
            if stamp != _state["stamp"]:
                _build()
                _state["stamp"] = stamp
            _state["checked"] = now
        tree = _state["tree"]
        if tree is None:
            return None
        point = Point(lng, lat)
        hits = tree.query(point, predicate="intersects")
        if len(hits) == 0:
            return None
        # Touching polygons can both match a point on a shared edge: the lowest id wins, so
        # the answer is stable.
        return min(_state["ids"][i] for i in hits)
