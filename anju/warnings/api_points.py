"""The monitoring points API: /api/v1/monitoring-points (the register, its households, season
checks, devices, readings and threshold rules) and /api/v1/readings (what devices post). Thin:
parse, look the point up through ``points_access`` (missing and forbidden are the same 404),
call the one service, answer. The readings a device posts are ``api_readings``'s
(``readings_router``, mounted from here); the rules under /rules are ``api_rules``'s.

Households and monitors are people: masked wherever listed; seeing one in full is a reveal,
logged whether granted or not. A device authenticates with its own key
(``Authorization: Device <key>`` or ``X-Device-Key: <key>``), shown once when it is made."""

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema
from ninja.responses import Status as HTTP

from anju.cases.api import ERRORS
from anju.geo.models import Region
from anju.lib.api import Day, Text, choices_of
from anju.lib.errors import ServiceError
from anju.lib.masking import mask_address, mask_name, mask_phone
from anju.lib.paging import keyset_page
from anju.lib.workdays import local_date
from anju.warnings import points as services
from anju.warnings import points_access as access
from anju.warnings import points_queries as queries
from anju.warnings import readings
from anju.warnings.api_readings import (  # noqa: F401 - readings_router is mounted from here (apps.py)
    PointReadingFiltersIn,
    PointReadingIn,
    PointReadingsOut,
    PointReadingsRecorded,
    items_of,
    reading_out,
    readings_router,
    recorded,
)
from anju.warnings.api_rules import ThresholdRuleOut, rule_out, rules_router
from anju.warnings.api_shared import CURSOR, NEXT_CURSOR, object_id
from anju.warnings.choices import CheckRound, Level, PointType, ReadingKind, ScaleGrade
from anju.warnings.models import Device, Household, MonitoringPoint, Reading, SeasonCheck

points_router = Router(tags=["monitoring points"])

# The longest span of readings one request reads.
MAX_SPAN = timedelta(days=31)
DEFAULT_SPAN = timedelta(hours=72)


def _idempotency_key(value: str) -> str:
    if "\x00" in value:
        raise ServiceError(_("Idempotency-Key holds characters that are not allowed."), status=422,
                           field="Idempotency-Key")
    return value.strip()


def _point(request, point_id: int) -> MonitoringPoint:
    return access.get_point_for(request.user, object_id(point_id))


def _again(point: MonitoringPoint) -> MonitoringPoint:
    # The answer to the actor's own change, read without the scope filter.
    return MonitoringPoint.objects.select_related("region").get(pk=point.pk)


# ---------------------------------------------------------------------------- points


class GeoJSONPolygon(Schema):
    type: choices_of(["Polygon"])  # type: ignore[valid-type]
    coordinates: list[list[list[float]]] = Field(max_length=1, description="one ring of [longitude, latitude]")


class GeoJSONLineString(Schema):
    type: choices_of(["LineString"])  # type: ignore[valid-type]
    coordinates: list[list[float]] = Field(max_length=services.MAX_VERTICES,
                                           description="[longitude, latitude] pairs, WGS84")


class MonitoringPointOut(Schema):
    id: int
    code: str
    name: str
    type: str
    type_name: str
    region_code: str = Field(description="the village or grid of the point")
    region_name: str
    township_name: str
    lat: float
    lng: float
    outline: dict | None = Field(description="GeoJSON Polygon, WGS84")
    scale_grade: str = Field(description="computed from the people threatened and the potential loss")
    scale_grade_name: str
    households: int = Field(description="households threatened (its household rows)")
    people: int = Field(description="people threatened (the members of its households)")
    potential_loss: float = Field(description="10,000 yuan")
    monitor_name: str = Field(description="masked")
    monitor_phone: str = Field(description="masked")
    deputy_name: str = Field(description="masked")
    deputy_phone: str = Field(description="masked")
    route: dict | None = Field(description="the evacuation route, GeoJSON LineString, WGS84")
    shelter_name: str
    shelter_lat: float | None
    shelter_lng: float | None
    shelter_capacity: int
    warning_signal: str
    level: str = Field(description="the level its readings reach now; empty below every rule")
    level_since: datetime | None
    is_active: bool
    created_at: datetime
    updated_at: datetime


class MonitoringPointPage(Schema):
    items: list[MonitoringPointOut]
    next_cursor: int | None = NEXT_CURSOR


class MonitoringPointCheckOut(Schema):
    round: str
    year: int
    checked_on: date
    checked_by: str
    stable: bool
    finding: str


class MonitoringPointDetail(MonitoringPointOut):
    actions: list[str] = Field(description="what you may do now: update, households, devices, rules, readings, "
                                           "checks, reveal, cards")
    monitor_has_account: bool
    deputy_has_account: bool
    rain_mm: dict[str, float | None] = Field(description="rain over the last 1 h, 3 h and 24 h (keys 1, 3, 24)")
    checks_this_year: list[MonitoringPointCheckOut]
    checks_missing: list[str] = Field(description="the rounds not recorded this year")
    devices: int


class MonitoringPointIn(Schema):
    code: Text = Field(min_length=1, max_length=40)
    name: Text = Field(min_length=1, max_length=200)
    type: choices_of(PointType.values)  # type: ignore[valid-type]
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    region: Text = Field("", max_length=20, description="code of its village or grid; found from the point "
                                                        "when empty")
    outline: GeoJSONPolygon | None = None
    potential_loss: float = Field(0, ge=0, le=services.MAX_LOSS, description="10,000 yuan")
    monitor_name: Text = Field(min_length=1, max_length=50)
    monitor_phone: Text = Field(min_length=1, max_length=30)
    monitor_user: Text = Field("", max_length=150, description="username of the monitor's account, if any")
    deputy_name: Text = Field("", max_length=50)
    deputy_phone: Text = Field("", max_length=30)
    deputy_user: Text = Field("", max_length=150)
    route: GeoJSONLineString | None = None
    shelter_name: Text = Field("", max_length=200)
    shelter_lat: float | None = Field(None, ge=-90, le=90)
    shelter_lng: float | None = Field(None, ge=-180, le=180)
    shelter_capacity: int = Field(0, ge=0, le=services.MAX_CAPACITY)
    warning_signal: Text = Field("", max_length=200)


class MonitoringPointFiltersIn(Schema):
    township: Text = Field("", max_length=20, description="region code: points in its subtree")
    type: choices_of(["", *PointType.values]) = ""  # type: ignore[valid-type]
    grade: choices_of(["", *ScaleGrade.values]) = ""  # type: ignore[valid-type]
    level: choices_of(["", queries.NO_LEVEL, *Level.values]) = Field(  # type: ignore[valid-type]
        "", description="a level, or none: below every rule")
    q: Text = Field("", max_length=100, description="text in the code or name")
    active: bool | None = Field(True, description="true (the default): in use; false: retired")
    cursor: int | None = CURSOR
    limit: int = Field(50, ge=1, le=200)


def point_out(point: MonitoringPoint, townships: dict | None = None) -> dict:
    townships = townships if townships is not None else queries.township_names([point.area_path])
    return {
        "id": point.pk, "code": point.code, "name": point.name, "type": point.type,
        "type_name": point.get_type_display(), "region_code": point.region.code, "region_name": point.region.name,
        "township_name": townships.get(point.area_path, ""), "lat": point.lat, "lng": point.lng,
        "outline": point.outline, "scale_grade": point.scale_grade,
        "scale_grade_name": point.get_scale_grade_display(), "households": point.households, "people": point.people,
        "potential_loss": float(point.potential_loss), "monitor_name": mask_name(point.monitor_name),
        "monitor_phone": mask_phone(point.monitor_phone) if point.monitor_phone else "",
        "deputy_name": mask_name(point.deputy_name),
        "deputy_phone": mask_phone(point.deputy_phone) if point.deputy_phone else "",
        "route": point.route, "shelter_name": point.shelter_name, "shelter_lat": point.shelter_lat,
        "shelter_lng": point.shelter_lng, "shelter_capacity": point.shelter_capacity,
        "warning_signal": point.warning_signal, "level": point.level, "level_since": point.level_since,
        "is_active": point.is_active, "created_at": point.created_at, "updated_at": point.updated_at,
    }


def check_out(check: SeasonCheck) -> dict:
    return {"round": check.round, "year": check.year, "checked_on": check.checked_on,
            "checked_by": check.checked_by.username, "stable": check.stable, "finding": check.finding}


def point_detail(user, point: MonitoringPoint) -> dict:
    now = timezone.now()
    year = local_date(now).year
    data = point_out(point)
    checks = list(point.checks.filter(year=year).select_related("checked_by").order_by("checked_on", "pk"))
    done = {c.round for c in checks}
    data.update({
        "actions": access.point_actions(user, point),
        "monitor_has_account": point.monitor_user_id is not None,
        "deputy_has_account": point.deputy_user_id is not None,
        "rain_mm": {str(k): v for k, v in readings.accumulations(point, now).items()},
        "checks_this_year": [check_out(c) for c in checks],
        "checks_missing": [r for r in CheckRound.values if r not in done],
        "devices": point.devices.count(),
    })
    return data


def _new_point(payload: MonitoringPointIn) -> services.NewPoint:
    return services.NewPoint(**payload.dict())


def _check_township(code: str) -> None:
    if code and not Region.objects.filter(code=code).exists():
        raise ServiceError(_("Unknown region code."), status=422, field="township")


@points_router.get("", response={200: MonitoringPointPage, **ERRORS}, summary="List monitoring points")
def list_points(request, filters: Query[MonitoringPointFiltersIn]):
    """The points you may see, newest first; pass ``next_cursor`` back as ``cursor``. Monitors
    are masked."""
    _check_township(filters.township)
    rows = queries.points_for(request.user, queries.PointFilters(
        township=filters.township, type=filters.type, grade=filters.grade, level=filters.level, text=filters.q,
        active=filters.active)).order_by("-pk")
    page, next_cursor = keyset_page(rows, filters.cursor, filters.limit)
    townships = queries.township_names({p.area_path for p in page})
    return {"items": [point_out(p, townships) for p in page], "next_cursor": next_cursor}


@points_router.post("", response={201: MonitoringPointDetail, 200: MonitoringPointDetail, **ERRORS},
                    summary="Register a monitoring point")
def create_point(request, payload: MonitoringPointIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    """Add a point to the register; its grade is computed, its village or grid found from the
    point when not given. An ``Idempotency-Key`` makes retries safe (200 with the point the
    first request registered)."""
    point, created = services.create_point_once(request.user, _new_point(payload),
                                                idempotency_key=_idempotency_key(idempotency_key))
    return HTTP(201 if created else 200, point_detail(request.user, _again(point)))


@points_router.get("/{int:point_id}", response={200: MonitoringPointDetail, **ERRORS}, summary="One point")
def get_point(request, point_id: int):
    """The point with its rain of the last hours, this year's checks and what you may do."""
    return point_detail(request.user, _point(request, point_id))


@points_router.put("/{int:point_id}", response={200: MonitoringPointDetail, **ERRORS}, summary="Correct a point")
def update_point(request, point_id: int, payload: MonitoringPointIn):
    point = services.update_point(request.user, _point(request, point_id), _new_point(payload))
    return point_detail(request.user, _again(point))


class MonitoringPointActiveIn(Schema):
    active: bool = Field(description="false: retire the point (核销); true: bring it back")


@points_router.post("/{int:point_id}/active", response={200: MonitoringPointDetail, **ERRORS},
                    summary="Retire a point or bring it back")
def set_point_active(request, point_id: int, payload: MonitoringPointActiveIn):
    point = services.set_point_active(request.user, _point(request, point_id), payload.active)
    return point_detail(request.user, _again(point))


class MonitorsFull(Schema):
    monitor_name: str
    monitor_phone: str
    deputy_name: str
    deputy_phone: str


class RevealIn(Schema):
    reason: Text = Field("", max_length=200)


@points_router.post("/{int:point_id}/monitors/reveal", response={200: MonitorsFull, **ERRORS},
                    summary="The monitors' phones in full (logged)")
def reveal_monitors(request, point_id: int, payload: RevealIn):
    """Every call is logged, granted or refused."""
    return services.reveal_monitors(request.user, _point(request, point_id), reason=payload.reason)


# ---------------------------------------------------------------------------- households


class PointHouseholdOut(Schema):
    id: int
    head_name: str = Field(description="masked")
    phone: str = Field(description="masked")
    address: str = Field(description="masked")
    members: int
    card_number: str


class PointHouseholdFull(PointHouseholdOut):
    pass


class PointHouseholdIn(Schema):
    head_name: Text = Field(min_length=1, max_length=50)
    members: int = Field(1, ge=1, le=services.MAX_MEMBERS)
    phone: Text = Field("", max_length=30)
    address: Text = Field("", max_length=200)
    card_number: Text = Field("", max_length=40, description="given when empty")


def household_out(row: Household) -> dict:
    return {"id": row.pk, "head_name": mask_name(row.head_name), "phone": mask_phone(row.phone) if row.phone else "",
            "address": mask_address(row.address), "members": row.members, "card_number": row.card_number}


def _new_household(payload: PointHouseholdIn) -> services.NewHousehold:
    return services.NewHousehold(**payload.dict())


@points_router.get("/{int:point_id}/households", response={200: list[PointHouseholdOut], **ERRORS},
                   summary="The point's threatened households (masked)")
def list_households(request, point_id: int):
    point = _point(request, point_id)
    return [household_out(h) for h in point.household_rows.order_by("pk")]


@points_router.post("/{int:point_id}/households", response={201: PointHouseholdOut, **ERRORS},
                    summary="Add a threatened household")
def add_household(request, point_id: int, payload: PointHouseholdIn):
    row = services.add_household(request.user, _point(request, point_id), _new_household(payload))
    return HTTP(201, household_out(row))


@points_router.put("/{int:point_id}/households/{int:household_id}", response={200: PointHouseholdOut, **ERRORS},
                   summary="Correct a household")
def update_household(request, point_id: int, household_id: int, payload: PointHouseholdIn):
    point = _point(request, point_id)
    row = access.get_household_for(request.user, point, object_id(household_id))
    return household_out(services.update_household(request.user, row, _new_household(payload)))


@points_router.delete("/{int:point_id}/households/{int:household_id}", response={204: None, **ERRORS},
                      summary="Remove a household that moved away")
def remove_household(request, point_id: int, household_id: int):
    point = _point(request, point_id)
    services.remove_household(request.user, access.get_household_for(request.user, point, object_id(household_id)))
    return HTTP(204, None)


@points_router.post("/{int:point_id}/households/{int:household_id}/reveal",
                    response={200: PointHouseholdFull, **ERRORS}, summary="A household in full (logged)")
def reveal_household(request, point_id: int, household_id: int, payload: RevealIn):
    """The head's name, phone and address in full. Every call is logged, granted or refused."""
    point = _point(request, point_id)
    household = access.get_household_for(request.user, point, object_id(household_id))
    row = services.reveal_household(request.user, household, reason=payload.reason)
    return {**household_out(row), "head_name": row.head_name, "phone": row.phone, "address": row.address}


# ---------------------------------------------------------------------------- season checks


class MonitoringPointCheckIn(Schema):
    round: choices_of(CheckRound.values)  # type: ignore[valid-type]
    checked_on: Day
    stable: bool = Field(True, description="false: a change was found (say it in finding)")
    finding: Text = Field("", max_length=2000)


class SeasonCheckRowOut(Schema):
    point: int
    code: str
    name: str
    township_name: str
    year: int
    before: MonitoringPointCheckOut | None
    during: MonitoringPointCheckOut | None
    after: MonitoringPointCheckOut | None
    missing: list[str]
    overdue: list[str] = Field(description="missing rounds whose day has passed (30 April, 30 September, "
                                           "30 November)")


class SeasonCheckPage(Schema):
    items: list[SeasonCheckRowOut]
    next_cursor: int | None = NEXT_CURSOR


class SeasonCheckFiltersIn(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="this year when empty")
    township: Text = Field("", max_length=20)
    round: choices_of(["", *CheckRound.values]) = ""  # type: ignore[valid-type]
    missing: bool = Field(False, description="only points lacking a check (of the round, when given)")
    cursor: int | None = CURSOR
    limit: int = Field(50, ge=1, le=200)


@points_router.get("/season-checks", response={200: SeasonCheckPage, **ERRORS},
                   summary="The three checks of a year, point by point")
def season_checks(request, filters: Query[SeasonCheckFiltersIn]):
    """Which points had which of the three checks (三查) in the year, and which are missing."""
    _check_township(filters.township)
    today = local_date(timezone.now())
    year = filters.year or today.year
    if filters.missing:
        rows = queries.points_missing_checks(request.user, year, township=filters.township, round_=filters.round)
    else:
        rows = queries.points_for(request.user, queries.PointFilters(township=filters.township))
    page, next_cursor = keyset_page(rows.order_by("-pk"), filters.cursor, filters.limit)
    townships = queries.township_names({p.area_path for p in page})
    items = []
    for row in queries.checks_of_year(page, year, today):
        items.append({"point": row.point.pk, "code": row.point.code, "name": row.point.name,
                      "township_name": townships.get(row.point.area_path, ""), "year": year,
                      **{r: check_out(c) if c else None for r, c in row.checks.items()},
                      "missing": row.missing, "overdue": row.overdue})
    return {"items": items, "next_cursor": next_cursor}


@points_router.get("/{int:point_id}/checks", response={200: list[MonitoringPointCheckOut], **ERRORS},
                   summary="The point's season checks")
def list_checks(request, point_id: int):
    point = _point(request, point_id)
    return [check_out(c) for c in point.checks.select_related("checked_by").order_by("-year", "checked_on")]


@points_router.post("/{int:point_id}/checks", response={201: MonitoringPointCheckOut, **ERRORS},
                    summary="Record a season check")
def record_check(request, point_id: int, payload: MonitoringPointCheckIn):
    """One each of before, during and after the flood season per year (409 for a second)."""
    check = services.record_check(request.user, _point(request, point_id), round=payload.round,
                                  checked_on=payload.checked_on, stable=payload.stable, finding=payload.finding)
    return HTTP(201, check_out(check))


# ---------------------------------------------------------------------------- devices


class PointDeviceOut(Schema):
    id: int
    name: str
    kinds: list[str]
    interval_minutes: int
    key_prefix: str = Field(description="the first characters of its key, to tell keys apart")
    is_active: bool
    last_seen_at: datetime | None
    created_at: datetime


class PointDeviceCreated(PointDeviceOut):
    key: str = Field(description="the device's key: shown this once, keep it in the device")


class PointDeviceIn(Schema):
    name: Text = Field(min_length=1, max_length=100)
    kinds: list[choices_of(ReadingKind.values)] = Field(min_length=1, max_length=4)  # type: ignore[valid-type]
    interval_minutes: int = Field(60, ge=services.MIN_INTERVAL, le=services.MAX_INTERVAL)


def device_out(device: Device) -> dict:
    return {"id": device.pk, "name": device.name, "kinds": device.kinds, "interval_minutes": device.interval_minutes,
            "key_prefix": device.key_prefix, "is_active": device.is_active, "last_seen_at": device.last_seen_at,
            "created_at": device.created_at}


@points_router.get("/{int:point_id}/devices", response={200: list[PointDeviceOut], **ERRORS},
                   summary="The point's devices")
def list_devices(request, point_id: int):
    return [device_out(d) for d in _point(request, point_id).devices.order_by("pk")]


@points_router.post("/{int:point_id}/devices", response={201: PointDeviceCreated, **ERRORS},
                    summary="Add a device (its key shown once)")
def create_device(request, point_id: int, payload: PointDeviceIn):
    device, key = services.create_device(request.user, _point(request, point_id),
                                         services.NewDevice(payload.name, list(payload.kinds),
                                                            payload.interval_minutes))
    return HTTP(201, {**device_out(device), "key": key})


class PointDeviceActiveIn(Schema):
    active: bool = Field(description="false: the key stops working at once")


@points_router.post("/{int:point_id}/devices/{int:device_id}/active", response={200: PointDeviceOut, **ERRORS},
                    summary="Disable a device or enable it again")
def set_device_active(request, point_id: int, device_id: int, payload: PointDeviceActiveIn):
    point = _point(request, point_id)
    device = services.set_device_active(request.user, access.get_device_for(request.user, point, object_id(device_id)),
                                        payload.active)
    return device_out(device)


# ---------------------------------------------------------------------------- readings


@points_router.post("/{int:point_id}/readings", response={201: PointReadingsRecorded, 200: PointReadingsRecorded,
                                                          **ERRORS}, summary="Enter readings by hand")
def enter_readings(request, point_id: int, payload: PointReadingIn):
    """One reading or a batch, all or nothing. The same kind and time again is the same reading
    (200); with another value, 409. The point's level is recomputed (a rise drafts a warning)."""
    point = _point(request, point_id)
    items, batch = items_of(payload)
    results = readings.record_readings(point, items, actor=request.user, index=batch)
    return recorded(point, results)


@points_router.get("/{int:point_id}/readings", response={200: PointReadingsOut, **ERRORS},
                   summary="The point's readings, gaps and rain")
def list_readings(request, point_id: int, filters: Query[PointReadingFiltersIn]):
    """The readings measured in (since, until], newest first; the gaps of its devices in that
    span; the rain of the last 1, 3 and 24 hours and the level at ``until``."""
    point = _point(request, point_id)
    now = timezone.now()
    until = filters.until or now
    since = filters.since or until - DEFAULT_SPAN
    if since >= until:
        raise ServiceError(_("since must be before until."), status=422, field="since")
    if until - since > MAX_SPAN:
        raise ServiceError(_("Ask for at most %(n)s days at a time.") % {"n": MAX_SPAN.days}, status=422,
                           field="since")
    rows = Reading.objects.filter(point=point, measured_at__gt=since, measured_at__lte=until)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    page = list(rows.order_by("-measured_at", "-pk")[:filters.limit + 1])
    gaps = readings.gaps(point, since=since, until=until, now=now, kind=filters.kind)
    return {
        "readings": [reading_out(r) for r in page[:filters.limit]], "truncated": len(page) > filters.limit,
        "gaps": [{"device": g.device_id, "device_name": g.device_name, "kind": g.kind, "start": g.start,
                  "end": g.end, "minutes": g.minutes} for g in gaps],
        "rain_mm": {str(k): v for k, v in readings.accumulations(point, until).items()},
        "level": readings.level_at(point, until),
    }


# ---------------------------------------------------------------------------- threshold rules

points_router.add_router("/rules", rules_router)


@points_router.get("/{int:point_id}/rules", response={200: list[ThresholdRuleOut], **ERRORS},
                   summary="The rules in force at a point")
def rules_in_force(request, point_id: int):
    """Its own rules for a kind and window, else its nearest area's."""
    point = _point(request, point_id)
    found = readings.rules_in_force(point)
    rows = [rule for key in sorted(found) for rule in found[key]]
    for rule in rows:
        if rule.point_id:
            rule.point = point
    return [rule_out(request.user, r) for r in rows]
