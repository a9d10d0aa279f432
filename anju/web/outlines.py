"""Grid polygons and township outlines as one GeoJSON document, built once per process.

A township's outline is the union of its grids (shapely ``unary_union``), a little simplified;
for a county of several hundred grids that takes a moment, so the built features are kept in
memory. They are keyed by a stamp of the region table (count and latest change), like the grid
index in ``anju.geo.gridindex``. Unlike the index, the stamp is read on every request instead of
every few seconds: it is also the ETag browsers revalidate with, so it must be current, and one
aggregate over the region table costs far less than the request around it.

Coordinates keep 5 decimals (about a metre), which is as precise as a boundary drawn on a map
needs and keeps the document small.
"""

import hashlib
import json
import threading

import shapely
from django.db.models import Count, Max
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from anju.geo.choices import Level
from anju.geo.models import Region

DECIMALS = 5
# Simplification tolerance of township outlines, in degrees (about 10 m).
SIMPLIFY_DEGREES = 0.0001
LAYERS = ("all", "grids", "townships")

_lock = threading.Lock()
_state: dict = {"stamp": None, "grids": [], "townships": [], "documents": {}}


def stamp() -> str:
    """A short fingerprint of the region table: changes when a region is added, removed or saved."""
    row = Region.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    raw = f"{row['n']}:{row['t'].isoformat() if row['t'] else ''}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _rounded(coords):
    if isinstance(coords, (int, float)):
        return round(coords, DECIMALS)
    return [_rounded(c) for c in coords]


def _geometry(geometry: dict) -> dict:
    return {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}


def _township_code_of(path: str, townships: dict[str, Region]) -> str | None:
    for code in path.split("/"):
        if code in townships:
            return code
    return None


def _label_point(geom):
    """Where a township's name goes: its centroid when that lies inside, else a point that does."""
    centroid = geom.centroid
    return centroid if geom.contains(centroid) else geom.representative_point()


def _build() -> tuple[list[dict], list[dict]]:
    townships = {t.code: t for t in Region.objects.filter(level=Level.TOWNSHIP)}
    grid_features: list[dict] = []
    shapes: dict[str, list] = {}
    rows = Region.objects.filter(level=Level.GRID, boundary__isnull=False).order_by("path").values_list(
        "code", "name", "path", "boundary"
    )
    for code, name, path, boundary in rows:
        township_code = _township_code_of(path, townships)
        township = townships.get(township_code)
        grid_features.append({
            "type": "Feature",
            "geometry": _geometry(boundary),
            "properties": {
                "kind": "grid", "code": code, "name": name,
                "township": township_code or "", "township_name": township.name if township else "",
            },
        })
        if township_code:
            try:
                shapes.setdefault(township_code, []).append(shapely.make_valid(shape(boundary)))
            except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException):
                # A malformed boundary still shows as a grid; it just does not shape the outline.
                continue
    township_features = []
    for code in sorted(shapes):
        outline = unary_union(shapes[code]).simplify(SIMPLIFY_DEGREES, preserve_topology=True)
        if outline.is_empty:
            continue
        label = _label_point(outline)
        township_features.append({
            "type": "Feature",
            "geometry": _geometry(mapping(outline)),
            "properties": {
                "kind": "township", "code": code, "name": townships[code].name,
                "label_lat": round(label.y, DECIMALS), "label_lng": round(label.x, DECIMALS),
            },
        })
    return grid_features, township_features


def document(current_stamp: str, *, township: str = "", layer: str = "all") -> bytes:
    """The GeoJSON FeatureCollection (UTF-8 bytes) of grid polygons (``kind=grid``) and township
    outlines (``kind=township``), optionally of one township and one layer. ``current_stamp`` is
    what ``stamp()`` returned for this request."""
    key = (township, layer)
    with _lock:
        if _state["stamp"] != current_stamp:
            _state["grids"], _state["townships"] = _build()
            _state["documents"] = {}
            _state["stamp"] = current_stamp
        cached = _state["documents"].get(key)
        if cached is not None:
            return cached
        features: list[dict] = []
        if layer in ("all", "grids"):
            features += [f for f in _state["grids"] if not township or f["properties"]["township"] == township]
        if layer in ("all", "townships"):
            features += [f for f in _state["townships"] if not township or f["properties"]["code"] == township]
        body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                          separators=(",", ":")).encode()
        _state["documents"][key] = body
        return body


def forget() -> None:
    """Drop the cached document (tests; the stamp takes care of everything else)."""
    with _lock:
        _state["stamp"] = None
        _state["documents"] = {}
