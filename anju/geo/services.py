"""Changes to the region tree: creating regions and importing regions and grids."""

import csv
import io
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.validation import explain_validity

from anju.geo.choices import CHILD_LEVEL, Level
from anju.geo.models import Region


@dataclass
class ImportProblem:
    line: int
    reason: str

    def __str__(self):
        return _("line %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}


class ImportFailed(Exception):
    """An import found problems; nothing was written."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def validate_boundary(geometry) -> str | None:
    """Why a GeoJSON geometry cannot be a grid boundary, or None when it can."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return _("geometry must be a GeoJSON Polygon or MultiPolygon")
    try:
        geom = shape(geometry)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        return _("geometry is malformed: %(error)s") % {"error": exc}
    if geom.is_empty:
        return _("geometry is empty")
    if not geom.is_valid:
        return _("geometry is invalid: %(reason)s") % {"reason": explain_validity(geom)}
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        return _("coordinates are outside WGS84 longitude/latitude ranges")
    return None


def code_problem(code: str, parent: Region | None) -> str | None:
    """Why ``code`` cannot be the administrative code of a child of ``parent``, or None."""
    if not code.isdigit() or not 6 <= len(code) <= 20:
        return _("code must be 6 to 20 digits")
    if parent is not None and not code.startswith(parent.code[: min(len(parent.code), 6)]):
        return _("code does not lie in its parent's county")
    return None


def _level_for_child(parent: Region | None, code: str) -> str:
    if parent is None:
        return Level.COUNTY
    return CHILD_LEVEL.get(Level(parent.level), Level.GRID)


@transaction.atomic
def import_regions(text: str) -> int:
    """Import regions from CSV with columns ``code,name,parent_code`` (header line required).

    Parents must come before children (in the file or in the database). A region that
    exists is renamed; its parent may not change. All or nothing: on any problem,
    ``ImportFailed`` lists each bad line and nothing is written.
    """
    reader = csv.reader(io.StringIO(text))
    problems: list[ImportProblem] = []
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header[:3]] != ["code", "name", "parent_code"]:
        raise ImportFailed([ImportProblem(1, _("the header must be: code,name,parent_code"))])
    known = {r.code: r for r in Region.objects.all()}
    seen: set[str] = set()
    count = 0
    for number, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) < 3:
            problems.append(ImportProblem(number, _("expected 3 columns, found %(n)s") % {"n": len(row)}))
            continue
        code, name, parent_code = (cell.strip() for cell in row[:3])
        if reason := code_problem(code, None):
            problems.append(ImportProblem(number, reason))
            continue
        if not name or len(name) > 100:
            problems.append(ImportProblem(number, _("name must be 1 to 100 characters")))
            continue
        if code in seen:
            problems.append(ImportProblem(number, _("code %(code)s appears twice") % {"code": code}))
            continue
        seen.add(code)
        parent = None
        if parent_code:
            parent = known.get(parent_code)
            if parent is None:
                problems.append(
                    ImportProblem(number, _("parent %(code)s is not known (yet)") % {"code": parent_code})
                )
                continue
            if reason := code_problem(code, parent):
                problems.append(ImportProblem(number, reason))
                continue
        existing = known.get(code)
        if existing is not None:
            if (existing.parent.code if existing.parent else "") != parent_code:
                problems.append(ImportProblem(number, _("region exists with a different parent")))
                continue
            existing.name = name
            existing.save(update_fields=["name", "updated_at"])
            continue
        region = Region(code=code, name=name, parent=parent, level=_level_for_child(parent, code))
        region.save()
        known[code] = region
        count += 1
    if problems:
        transaction.set_rollback(True)
        raise ImportFailed(problems)
    return count


@dataclass
class GridChange:
    """What one feature of a grid file does to the region tree."""

    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"

    feature: int
    code: str
    name: str
    parent_code: str
    action: str
    old_name: str = ""
    boundary_changed: bool = False


@dataclass
class GridImport:
    """What a grid import did, or in a dry run would do, feature by feature."""

    dry_run: bool
    changes: list[GridChange] = field(default_factory=list)

    def _with(self, action: str) -> list[GridChange]:
        return [c for c in self.changes if c.action == action]

    @property
    def created(self) -> list[GridChange]:
        return self._with(GridChange.CREATE)

    @property
    def updated(self) -> list[GridChange]:
        return self._with(GridChange.UPDATE)

    @property
    def unchanged(self) -> list[GridChange]:
        return self._with(GridChange.UNCHANGED)


def import_grids(text: str) -> int:
    """Import grids from a GeoJSON FeatureCollection; returns how many grids are new.

    Each feature has ``properties.code``, ``properties.name`` and ``properties.parent_code``
    (a village or community) and a Polygon/MultiPolygon geometry. An existing grid with the
    same code gets the new name and boundary. All or nothing, problems named by feature
    number (1-based).
    """
    return len(import_grid_file(text).created)


@transaction.atomic
def import_grid_file(text: str, *, within: Region | None = None, dry_run: bool = False) -> GridImport:
    """Import grids from a GeoJSON FeatureCollection (see ``import_grids``) and say what changed.

    With ``within`` (a township or village), every grid must lie under it, and when it is a
    village, features without ``parent_code`` go under it. With ``dry_run``, every check runs
    and the result says what would change, but nothing is written. All or nothing:
    ``ImportFailed`` lists the problems by feature number (0 for the file as a whole).
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed([ImportProblem(exc.lineno, _("not valid JSON: %(msg)s") % {"msg": exc.msg})]) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportFailed([ImportProblem(0, _("the file must be a GeoJSON FeatureCollection"))])
    features = data.get("features")
    if not isinstance(features, list):
        raise ImportFailed([ImportProblem(0, _("the FeatureCollection has no features list"))])
    known = {r.code: r for r in Region.objects.all()}
    default_parent_code = within.code if within is not None and within.level == Level.VILLAGE else ""
    result = GridImport(dry_run=dry_run)
    problems: list[ImportProblem] = []
    seen: set[str] = set()
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            problems.append(ImportProblem(number, _("feature has no properties")))
            continue
        code = str(props.get("code") or "").strip()
        name = str(props.get("name") or "").strip()
        parent_code = str(props.get("parent_code") or "").strip() or default_parent_code
        if not code.isdigit() or not 6 <= len(code) <= 20:
            problems.append(ImportProblem(number, _("code must be 6 to 20 digits")))
            continue
        if code in seen:
            problems.append(ImportProblem(number, _("code %(code)s appears twice") % {"code": code}))
            continue
        seen.add(code)
        if not name or len(name) > 100:
            problems.append(ImportProblem(number, _("name must be 1 to 100 characters")))
            continue
        parent = known.get(parent_code)
        if parent is None or parent.level != Level.VILLAGE:
            problems.append(ImportProblem(number, _("parent_code must name a known village or community")))
            continue
        if within is not None and not parent.path.startswith(within.path):
            problems.append(ImportProblem(number, _("parent %(parent)s does not lie in %(within)s")
                                          % {"parent": parent, "within": within}))
            continue
        if reason := code_problem(code, parent):
            problems.append(ImportProblem(number, reason))
            continue
        geometry = feature.get("geometry")
        reason = validate_boundary(geometry)
        if reason:
            problems.append(ImportProblem(number, reason))
            continue
        centroid = shape(geometry).representative_point()
        change = GridChange(number, code, name, parent.code, GridChange.CREATE)
        existing = known.get(code)
        if existing is not None and (existing.level != Level.GRID or existing.parent_id != parent.id):
            problems.append(ImportProblem(number, _("a region with this code exists elsewhere in the tree")))
            continue
        result.changes.append(change)
        if existing is not None:
            change.old_name = existing.name
            change.boundary_changed = existing.boundary != geometry
            if existing.name == name and not change.boundary_changed:
                change.action = GridChange.UNCHANGED
                continue
            change.action = GridChange.UPDATE
            existing.name, existing.boundary = name, geometry
            existing.lat, existing.lng = centroid.y, centroid.x
            existing.save()
            continue
        Region(
            code=code, name=name, parent=parent, level=Level.GRID, boundary=geometry,
            lat=centroid.y, lng=centroid.x,
        ).save()
    if problems:
        transaction.set_rollback(True)
        raise ImportFailed(problems)
    if dry_run:
        transaction.set_rollback(True)
    return result
