"""Region endpoints under /api/v1/regions."""

from django.http import Http404
from ninja import Field, Query, Router, Schema

from anju.geo import gridindex
from anju.geo.models import Region
from anju.lib.api import Text

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    lat: float | None
    lng: float | None


class RegionDetail(RegionOut):
    path: list[str]
    boundary: dict | None


class LocateIn(Schema):
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)


class ChildrenIn(Schema):
    parent: Text = Field("", max_length=20, description="parent code; roots when empty")


ERRORS = {401: dict, 404: dict, 422: dict}


def _out(region: Region, parent_code: str | None) -> dict:
    return {"code": region.code, "name": region.name, "level": region.level, "parent_code": parent_code,
            "lat": region.lat, "lng": region.lng}


@router.get("", response={200: list[RegionOut], **ERRORS}, summary="Children of a region")
def children(request, filters: Query[ChildrenIn]):
    if filters.parent:
        parent = Region.objects.filter(code=filters.parent).first()
        if parent is None:
            raise Http404
        rows = parent.children.all()
    else:
        rows = Region.objects.filter(parent__isnull=True)
    return [_out(r, filters.parent or None) for r in rows.order_by("code")]


@router.get("/locate", response={200: RegionDetail, **ERRORS}, summary="The grid containing a point")
def locate(request, point: Query[LocateIn]):
    grid_id = gridindex.find_grid_id(point.lat, point.lng)
    if grid_id is None:
        raise Http404
    return _detail(Region.objects.select_related("parent").get(pk=grid_id))


@router.get("/{code}", response={200: RegionDetail, **ERRORS}, summary="One region")
def region(request, code: str):
    found = Region.objects.select_related("parent").filter(code=code[:20]).first()
    if found is None:
        raise Http404
    return _detail(found)


def _detail(region: Region) -> dict:
    data = _out(region, region.parent.code if region.parent_id else None)
    data["path"] = [c for c in region.path.split("/") if c]
    data["boundary"] = region.boundary
    return data
