"""The readings API: what a device posts to /api/v1/readings with its own key
(``Authorization: Device <key>`` or ``X-Device-Key: <key>``), and the schemas and helpers of
the readings a point's endpoints take and give (``api_points``). Thin: the rules of a reading
(idempotent, placed by its own time, all or nothing) are ``readings.record_readings``'s."""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status as HTTP
from ninja.security import APIKeyHeader

from anju.cases.api import ERRORS
from anju.lib.api import Moment, choices_of
from anju.lib.errors import ServiceError
from anju.warnings import points as services
from anju.warnings import readings
from anju.warnings.choices import ReadingKind
from anju.warnings.models import Device, MonitoringPoint, Reading

readings_router = Router(tags=["readings"])


class PointReadingItemIn(Schema):
    kind: choices_of(ReadingKind.values)  # type: ignore[valid-type]
    value: float = Field(description="rain: mm fallen in the interval ending at measured_at; displacement and "
                                     "crack width: mm; water level: m")
    measured_at: Moment = Field(description="with its zone, e.g. 2026-07-10T09:00:00+08:00")


class PointReadingIn(Schema):
    """One reading (kind, value, measured_at) or a batch (readings)."""

    kind: choices_of(ReadingKind.values) | None = None  # type: ignore[valid-type]
    value: float | None = None
    measured_at: Moment | None = None
    readings: list[PointReadingItemIn] | None = Field(None, max_length=readings.MAX_BATCH)


class PointReadingOut(Schema):
    id: int
    point: int
    kind: str
    value: float
    measured_at: datetime
    received_at: datetime
    source: str = Field(description="hand or device")
    device: int | None


class PointReadingRecordedOut(PointReadingOut):
    created: bool = Field(description="false: the same reading was already there (a retry)")


class PointReadingsRecorded(Schema):
    readings: list[PointReadingRecordedOut]
    level: str = Field(description="the point's level now, after these readings")
    level_since: datetime | None


class PointGapOut(Schema):
    device: int
    device_name: str
    kind: str
    start: datetime = Field(description="the last reading before the gap")
    end: datetime | None = Field(description="the first reading after it; null while the device is still silent")
    minutes: int


class PointReadingsOut(Schema):
    readings: list[PointReadingOut] = Field(description="newest first")
    truncated: bool = Field(description="more readings than limit fall in the span")
    gaps: list[PointGapOut]
    rain_mm: dict[str, float | None] = Field(description="rain over 1 h, 3 h and 24 h up to until (keys 1, 3, 24)")
    level: str = Field(description="the level at until")


class PointReadingFiltersIn(Schema):
    kind: choices_of(["", *ReadingKind.values]) = ""  # type: ignore[valid-type]
    since: Moment | None = Field(None, description="72 hours before until when empty")
    until: Moment | None = Field(None, description="now when empty")
    limit: int = Field(500, ge=1, le=5000)


def reading_out(reading: Reading) -> dict:
    return {"id": reading.pk, "point": reading.point_id, "kind": reading.kind, "value": reading.value,
            "measured_at": reading.measured_at, "received_at": reading.received_at, "source": reading.source,
            "device": reading.device_id}


def items_of(payload: PointReadingIn) -> tuple[list[readings.NewReading], bool]:
    """The readings of the body, and whether it was a batch."""
    if payload.readings is not None:
        if payload.kind is not None or payload.value is not None or payload.measured_at is not None:
            raise ServiceError(_("Send one reading, or a batch in readings, not both."), status=422, field="readings")
        return [readings.NewReading(r.kind, r.value, r.measured_at) for r in payload.readings], True
    for name in ("kind", "value", "measured_at"):
        if getattr(payload, name) is None:
            raise ServiceError(_("%(field)s is required.") % {"field": name}, status=422, field=name)
    return [readings.NewReading(payload.kind, payload.value, payload.measured_at)], False


def recorded(point: MonitoringPoint, results: list[readings.Recorded]):
    point.refresh_from_db(fields=["level", "level_since"])
    body = {"readings": [{**reading_out(r.reading), "created": r.created} for r in results],
            "level": point.level, "level_since": point.level_since}
    return HTTP(201 if any(r.created for r in results) else 200, body)


class DeviceKey(APIKeyHeader):
    """A device's own key: ``Authorization: Device <key>`` or ``X-Device-Key: <key>``. An unknown
    or disabled key is refused with 401."""

    param_name = "X-Device-Key"

    def _get_key(self, request):
        scheme, _space, value = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "device" and value.strip():
            return value.strip()
        return request.headers.get(self.param_name)

    def authenticate(self, request, key):
        device = services.device_for_key(key or "")
        if device is None:
            raise ServiceError(_("Unknown device key: send Authorization: Device <key>."), status=401)
        if not device.is_active:
            raise ServiceError(_("This device is disabled."), status=401)
        request.device = device
        return device


@readings_router.post("", auth=DeviceKey(),
                      response={201: PointReadingsRecorded, 200: PointReadingsRecorded, **ERRORS},
                      summary="Post a device's readings")
def post_readings(request, payload: PointReadingIn):
    """A device posts one reading or a batch of its readings, each with its own time (late and
    out-of-order ones are placed by it). All or nothing. The same (kind, time) posted again is
    the same reading (200, not a second row); with another value, 409; a time more than five
    minutes ahead, 422 naming ``measured_at``; a kind the device does not measure, 422."""
    device: Device = request.device
    items, batch = items_of(payload)
    results = readings.record_readings(device.point, items, device=device, index=batch)
    return recorded(device.point, results)
