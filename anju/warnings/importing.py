"""Reading an upstream CAP 1.2 alert (the city's, the meteorological bureau's) into Anju.

``import_alert`` takes the document as it came, refuses anything that is not a valid CAP 1.2
alert (the reasons are the schema's messages and the CAP text's rules, ``cap.validate``), that
was received before, that is not an actual alert, update or cancel, that has expired, or whose
area does not touch the county; otherwise it keeps the message as received and passes it on as a
draft warning (origin ``upstream``) for the county to approve and issue, and on request opens an
incident through the duty module's ``duty.open_incident``. All or nothing: a refused document
leaves nothing behind."""

import math
import os
import re
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely import affinity
from shapely.errors import GEOSException, ShapelyError
from shapely.geometry import Point, Polygon, shape
from shapely.ops import unary_union
from shapely.validation import make_valid

from anju.cases import modules
from anju.geo.models import Region
from anju.lib.api import EARLIEST, LATEST
from anju.lib.errors import ServiceError
from anju.warnings import cap, cap_access
from anju.warnings.cap.validator import DEFAULT_MAX_BYTES
from anju.warnings.choices import Level, MessageType, PointType, WarningEvent, WarningOrigin, WarningStatus
from anju.warnings.models import CapMessage, MonitoringPoint, Warning, WarningLog

# The incident grade a passed-on warning opens, by level.
INCIDENT_GRADE = {Level.RED: "major", Level.ORANGE: "larger", Level.YELLOW: "general", Level.BLUE: "general"}
# CAP severity → level, when the alert names no level of its own.
LEVEL_BY_SEVERITY = {"Extreme": Level.RED, "Severe": Level.ORANGE, "Moderate": Level.YELLOW, "Minor": Level.BLUE,
                     "Unknown": Level.BLUE}
# How a level is written in a parameter's value, English or Chinese.
LEVEL_WORDS = [(Level.RED, ("red", "红")), (Level.ORANGE, ("orange", "橙")), (Level.YELLOW, ("yellow", "黄")),
               (Level.BLUE, ("blue", "蓝"))]
# The names a level parameter goes by.
LEVEL_PARAMETER = re.compile(r"level|colou?r|级别|等级|颜色", re.IGNORECASE)
# The hazard an alert's event and headline are about, by their words, the first found; a
# rainstorm alone makes flash floods; a geo-hazard warning naming none is about landslides.
HAZARD_WORDS = [
    (PointType.LANDSLIDE, ("滑坡", "landslide")),
    (PointType.DEBRIS_FLOW, ("泥石流", "debris")),
    (PointType.COLLAPSE, ("崩塌", "危岩", "rockfall", "collapse")),
    (PointType.SUBSIDENCE, ("塌陷", "subsidence", "sinkhole")),
    (PointType.FLASH_FLOOD, ("山洪", "暴雨", "flash flood", "rainstorm", "heavy rain")),
]
# Points of the circle drawn as a polygon on the warning.
CIRCLE_POINTS = 16


class ImportRefused(ServiceError):
    """A document refused with several reasons (the schema's messages, the CAP text's rules)."""

    def __init__(self, message: str, reasons: list[str], *, status: int = 422):
        super().__init__(message, status=status, field="body")
        self.reasons = list(reasons)


@dataclass
class Imported:
    """What an import kept: the message as received, the warning it was passed on as (or, for
    a cancel, the warning it cancels; None for a cancel of something never received), and the
    incident case it opened."""

    message: CapMessage
    warning: Warning | None
    incident: object = None


def import_limit() -> int:
    from django.conf import settings

    default = os.environ.get("ANJU_WARNINGS_CAP_MAX_BYTES", DEFAULT_MAX_BYTES)
    return int(getattr(settings, "ANJU_WARNINGS_CAP_MAX_BYTES", default))


def _refuse(reason: str, status: int = 422):
    return ImportRefused(reason, [reason], status=status)


# ---------------------------------------------------------------------------- the alert's facts


def _times(alert: cap.Alert) -> list[datetime]:
    moments = [alert.sent] + [r.sent for r in alert.references]
    for info in alert.infos:
        moments += [m for m in (info.effective, info.onset, info.expires) if m is not None]
    return moments


def _check_facts(alert: cap.Alert, now: datetime) -> None:
    if alert.status != "Actual":
        raise _refuse(_("Only actual alerts are passed on; this one's status is %(status)s.")
                      % {"status": alert.status})
    if alert.msg_type not in MessageType.values:
        raise _refuse(_("Only alerts, updates and cancels are passed on; this message is of type %(type)s.")
                      % {"type": alert.msg_type})
    if any(not EARLIEST <= moment.date() <= LATEST for moment in _times(alert)):
        raise _refuse(_("The alert's times must lie between %(start)s and %(end)s.")
                      % {"start": EARLIEST, "end": LATEST})
    if len(alert.identifier) > 255 or len(alert.sender) > 255:
        raise _refuse(_("The identifier and the sender are at most 255 characters here."))
    expiries = [info.expires for info in alert.infos]
    if alert.msg_type != MessageType.CANCEL and expiries and all(e is not None and e <= now for e in expiries):
        raise _refuse(_("The alert expired at %(at)s: there is nothing to pass on.")
                      % {"at": cap.format_time(max(expiries))})


def level_of(alert: cap.Alert) -> str:
    """The alert's level: from a level parameter (red, 红色 ...), else from its severity."""
    for info in alert.infos:
        for name, value in info.parameters:
            if LEVEL_PARAMETER.search(name):
                lowered = value.lower()
                for level, words in LEVEL_WORDS:
                    if any(word in lowered for word in words):
                        return level
    severity = alert.infos[0].severity if alert.infos else "Unknown"
    return LEVEL_BY_SEVERITY.get(severity, Level.BLUE)


def hazard_of(alert: cap.Alert) -> str:
    words = " ".join(f"{info.event} {info.headline}" for info in alert.infos).lower()
    for hazard, cues in HAZARD_WORDS:
        if any(cue in words for cue in cues):
            return hazard
    return PointType.LANDSLIDE


# ---------------------------------------------------------------------------- where it is


def _code_forms(value: str) -> set[str]:
    """An administrative code as upstream may write it: as is, and a 12-digit one padded with
    zeros (500229000000) as its county's 6 or township's 9 digits."""
    value = value.strip()
    forms = {value}
    if re.fullmatch(r"\d{12}", value):
        forms |= {value[:9] if value.endswith("000") else value, value[:6] if value.endswith("000000") else value}
    return forms


def _above(county: Region) -> set[str]:
    """The codes of the province and the prefecture a county lies in (GB/T 2260: 500229 lies in
    500000 and 500200): an alert for either is for the county too."""
    code = county.code[:6]
    return {code[:2] + "0000", code[:4] + "00"} - {code} if re.fullmatch(r"\d{6}", code) else set()


def _circle(lat: float, lon: float, radius_km: float):
    # Degrees of latitude are ~111 km; a degree of longitude shrinks by the cosine of the latitude.
    circle = Point(lon, lat).buffer(radius_km / 111.0, quad_segs=CIRCLE_POINTS // 4)
    return affinity.scale(circle, xfact=1 / max(math.cos(math.radians(lat)), 0.01), yfact=1.0)


def alert_geometry(alert: cap.Alert):
    """The union of the alert's polygons and circles (lon, lat), or None when it has none."""
    shapes = []
    for info in alert.infos:
        for area in info.areas:
            shapes += [make_valid(Polygon([(lon, lat) for lat, lon in points])) for points in area.polygons]
            shapes += [_circle(lat, lon, radius) for lat, lon, radius in area.circles]
    shapes = [s for s in shapes if not s.is_empty]
    return unary_union(shapes) if shapes else None


def _common_region(regions: list[Region]) -> Region | None:
    """The smallest region holding all of ``regions``."""
    if not regions:
        return None
    paths = [[code for code in r.path.split("/") if code] for r in regions]
    common = []
    for codes in zip(*paths, strict=False):
        if len(set(codes)) != 1:
            break
        common.append(codes[0])
    code = common[-1] if common else paths[0][0]
    return Region.objects.get(code=code)


def locate(alert: cap.Alert) -> tuple[Region | None, object]:
    """Where the alert falls in the county: the smallest region holding every region its geocodes
    name (the whole county for the province's or the prefecture's code) and every grid, region
    point and monitoring point its polygons and circles touch; None when it touches none. Also the
    alert's geometry (or None)."""
    codes = {form for info in alert.infos for area in info.areas for _name, value in area.geocodes
             for form in _code_forms(value)}
    matched = list(Region.objects.filter(code__in=codes)) if codes else []
    matched += [root for root in Region.objects.filter(parent__isnull=True) if codes & _above(root)]
    geometry = alert_geometry(alert)
    if geometry is not None:
        for region in Region.objects.exclude(boundary__isnull=True).only("pk", "code", "path", "boundary"):
            try:
                if geometry.intersects(shape(region.boundary)):
                    matched.append(region)
            except (ShapelyError, GEOSException, AttributeError, KeyError, TypeError, ValueError, IndexError):
                continue
        for region in Region.objects.filter(lat__isnull=False, lng__isnull=False).only("pk", "code", "path", "lat",
                                                                                          "lng"):
            if geometry.covers(Point(region.lng, region.lat)):
                matched.append(region)
        for point in MonitoringPoint.objects.filter(is_active=True).select_related("region"):
            if geometry.covers(Point(point.lng, point.lat)):
                matched.append(point.region)
    return _common_region(matched), geometry


def _points_in(area: Region, geometry) -> list[MonitoringPoint]:
    rows = MonitoringPoint.objects.filter(is_active=True, area_path__startswith=area.path)
    if geometry is None:
        return list(rows)
    return [p for p in rows if geometry.covers(Point(p.lng, p.lat))]


def _polygon_of(alert: cap.Alert) -> list[list[float]]:
    """The alert's first polygon (or its first circle drawn as one) as the warning keeps it."""
    for info in alert.infos:
        for area in info.areas:
            if area.polygons:
                return [[lat, lon] for lat, lon in area.polygons[0]]
            if area.circles:
                ring = _circle(*area.circles[0]).exterior.coords
                return [[round(lat, 6), round(lon, 6)] for lon, lat in ring]
    return []


# ---------------------------------------------------------------------------- the warning


def _info(alert: cap.Alert, language: str) -> cap.Info | None:
    return next((info for info in alert.infos if info.language.lower().startswith(language)), None)


def _warning_fields(alert: cap.Alert, area: Region, geometry) -> dict:
    zh = _info(alert, "zh") or (alert.infos[0] if alert.infos else None)
    en = _info(alert, "en")
    first = zh or en
    event = first.event if first else alert.identifier
    description = (zh.description or zh.headline or event) if zh else event
    expiries = [info.expires for info in alert.infos if info.expires is not None]
    onsets = [info.onset for info in alert.infos if info.onset is not None]
    return {
        "level": level_of(alert), "hazard_type": hazard_of(alert), "area": area,
        "polygon": _polygon_of(alert),
        "headline": ((zh.headline or zh.event) if zh else event)[:200],
        "description": description,
        "instruction": zh.instruction if zh else "",
        "headline_en": (en.headline or en.event)[:200] if en else "",
        "description_en": en.description if en else "",
        "instruction_en": en.instruction if en else "",
        "onset_at": min(onsets) if onsets else None,
        "expires_at": max(expiries) if expiries else None,
    }


def warning_url(warning: Warning) -> str:
    """The warning's staff page, where the warnings pages are installed."""
    for name in ("warnings:warning", "warnings:detail"):
        try:
            return reverse(name, args=[warning.pk])
        except NoReverseMatch:
            continue
    return ""


def _referenced_warning(alert: cap.Alert) -> Warning | None:
    for reference in alert.references:
        row = CapMessage.objects.filter(sender=reference.sender, identifier=reference.identifier,
                                        warning__isnull=False).select_related("warning").first()
        if row is not None:
            return row.warning
    return None


def _open_incident(actor, warning: Warning, alert: cap.Alert, now: datetime):
    service = modules.provided("duty.open_incident")
    if service is None:
        raise ServiceError(_("No module keeps incidents here: the alert cannot open one."), status=409,
                           field="open_incident")
    area = warning.area
    text = f"{warning.headline}\n{warning.description}"[:5000]
    incident = service(actor, module="warnings", key=warning.pk,
                       label=f"{_('Upstream warning')} · {warning.headline}"[:200], url=warning_url(warning),
                       type="natural", grade=INCIDENT_GRADE[warning.level], text=text,
                       occurred_at=min(alert.sent, now), lat=area.lat, lng=area.lng,
                       region_code=area.code, now=now)
    WarningLog.objects.create(warning=warning, code=WarningEvent.INCIDENT, at=now, actor=actor,
                              note=incident.tracking_code)
    return incident


def _pass_on(actor, alert: cap.Alert, area: Region, geometry, now: datetime) -> Warning:
    """A new draft warning from the alert, or (for an update of one still a draft here) that
    warning brought up to date."""
    fields = _warning_fields(alert, area, geometry)
    points = _points_in(area, geometry)
    earlier = _referenced_warning(alert) if alert.msg_type == MessageType.UPDATE else None
    if earlier is not None and earlier.status == WarningStatus.DRAFT:
        earlier = Warning.objects.select_for_update().get(pk=earlier.pk)
        for name, value in fields.items():
            setattr(earlier, name, value)
        earlier.upstream_sender, earlier.upstream_identifier = alert.sender, alert.identifier
        earlier.save()
        earlier.points.set(points)
        return earlier
    warning = Warning.objects.create(
        status=WarningStatus.DRAFT, origin=WarningOrigin.UPSTREAM, drafted_by=actor, drafted_at=now,
        upstream_sender=alert.sender, upstream_identifier=alert.identifier, **fields)
    warning.points.set(points)
    return warning


def import_alert(actor, xml_bytes: bytes, now: datetime | None = None, *, open_incident: bool = False) -> Imported:
    """Receive an upstream CAP 1.2 document: refuse it with its reasons (``ImportRefused``, 422;
    409 for one received before; 413 too big; 400 empty; 403 for who may not), or keep it and
    pass it on as a draft warning for the county (a cancel marks the warning it cancels), and
    open an incident for it when ``open_incident``. Nothing is stored for a refused document."""
    now = now or timezone.now()
    if not cap_access.can_import(actor):
        raise ServiceError(_("You may not import CAP alerts."), status=403)
    limit = import_limit()
    if not isinstance(xml_bytes, bytes | bytearray) or not bytes(xml_bytes).strip():
        raise ServiceError(_("The request body is empty: send the CAP document."), status=400, field="body")
    if len(xml_bytes) > limit:
        raise ServiceError(_("The document is larger than %(n)s bytes.") % {"n": limit}, status=413, field="body")
    try:
        alert = cap.parse(bytes(xml_bytes), max_bytes=limit)
    except cap.CapError as error:
        raise ImportRefused(_("This is not a valid CAP 1.2 alert."), error.reasons) from None
    _check_facts(alert, now)
    stored = CapMessage.objects.filter(identifier=alert.identifier).first()
    if stored is not None:
        raise _refuse(_("This alert was received before (%(sender)s, %(identifier)s).")
                      % {"sender": stored.sender, "identifier": stored.identifier} if stored.sender == alert.sender
                      else _("A message with this identifier from another sender is already kept."), status=409)
    cancelled = _referenced_warning(alert) if alert.msg_type == MessageType.CANCEL else None
    area, geometry = (None, None) if cancelled is not None else locate(alert)
    if cancelled is None and area is None:
        raise _refuse(_("This alert is not for this county: none of its areas touches the county."))
    try:
        with transaction.atomic():
            warning = cancelled
            if alert.msg_type != MessageType.CANCEL:
                warning = _pass_on(actor, alert, area, geometry, now)
            message = CapMessage.objects.create(
                warning=warning, identifier=alert.identifier, sender=alert.sender, sent_at=alert.sent,
                msg_type=alert.msg_type, references=cap.reference_text(alert.references), xml=bytes(xml_bytes),
                issued_here=False, created_at=now)
            if warning is not None:
                note = f"{alert.msg_type} {alert.sender} {alert.identifier}"
                WarningLog.objects.create(warning=warning, code=WarningEvent.IMPORTED, at=now, actor=actor, note=note)
            passed_on = warning is not None and alert.msg_type != MessageType.CANCEL
            incident = _open_incident(actor, warning, alert, now) if open_incident and passed_on else None
    except IntegrityError:
        raise _refuse(_("This alert was received before (%(sender)s, %(identifier)s).")
                      % {"sender": alert.sender, "identifier": alert.identifier}, status=409) from None
    return Imported(message=message, warning=warning, incident=incident)
