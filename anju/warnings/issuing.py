"""A warning issued as CAP 1.2 messages: ``issue_message`` writes the Alert, Update or Cancel of a
warning, checks it against the schema and the CAP text, and keeps the bytes exactly as written
(``CapMessage``); what a level means in CAP terms and who approves it comes from ``level_policy``.

The message names the county as its sender (``sender_for``), carries the GB/T 35965.1 identifier
of the county and the issuing organ (``ANJU_WARNINGS_ORGAN_CODE``, its GB/T 4657 code), refers to
every earlier message of the warning still in force, and says the level in a ``level`` parameter:
Chinese first, English second. No person is named in it: the names and phones of the points'
monitors and households are blanked wherever staff wrote them into the texts."""

import os
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anju.geo.models import Region
from anju.lib.errors import ServiceError
from anju.lib.redact import Person, redact
from anju.warnings import cap
from anju.warnings.cap.times import beijing_stamp
from anju.warnings.choices import Certainty, Level, MessageType, PointType, Severity, Urgency
from anju.warnings.models import CapMessage, Household, LevelPolicy, Warning

# The GB/T 4657 code of the organ issuing the county's geo-hazard warnings (the DDD of the
# identifier). Set it to the code the provincial warning platform assigned; "000" until then.
DEFAULT_ORGAN_CODE = "000"
# Half the side of the square written around a point without an outline (about 550 m north-south).
POINT_SQUARE = 0.005
# A stored polygon is refused beyond this many points (a CAP polygon is an outline, not a survey).
MAX_POLYGON_POINTS = 1000

DEFAULT_POLICIES = {
    Level.RED: {"urgency": Urgency.IMMEDIATE, "severity": Severity.EXTREME, "certainty": Certainty.LIKELY,
                "approver_role": "leader", "ack_minutes": 10},
    Level.ORANGE: {"urgency": Urgency.EXPECTED, "severity": Severity.SEVERE, "certainty": Certainty.LIKELY,
                   "approver_role": "leader", "ack_minutes": 15},
    Level.YELLOW: {"urgency": Urgency.EXPECTED, "severity": Severity.MODERATE, "certainty": Certainty.POSSIBLE,
                   "approver_role": "supervisor", "ack_minutes": 30},
    Level.BLUE: {"urgency": Urgency.FUTURE, "severity": Severity.MINOR, "certainty": Certainty.POSSIBLE,
                 "approver_role": "supervisor", "ack_minutes": 60},
}

# The level's words: (Chinese, English).
LEVEL_WORDS = {Level.BLUE: ("蓝色", "Blue"), Level.YELLOW: ("黄色", "Yellow"), Level.ORANGE: ("橙色", "Orange"),
               Level.RED: ("红色", "Red")}
# The hazard's words: (Chinese, English).
HAZARD_WORDS = {
    PointType.LANDSLIDE: ("滑坡", "landslide"),
    PointType.DEBRIS_FLOW: ("泥石流", "debris flow"),
    PointType.COLLAPSE: ("崩塌", "rockfall"),
    PointType.SUBSIDENCE: ("地面塌陷", "ground subsidence"),
    PointType.FLASH_FLOOD: ("山洪", "flash flood"),
}
# What people in the area do, by level: CAP responseType and the English instruction when the
# warning has none of its own.
RESPONSES = {
    Level.RED: ("Evacuate", "Leave now along your evacuation route to the shelter, and follow the monitor's "
                            "directions. Do not go back until the all-clear."),
    Level.ORANGE: ("Prepare", "Be ready to leave at once: keep away from slopes, gullies and streams, and follow the "
                              "monitor's directions."),
    Level.YELLOW: ("Monitor", "Watch the slopes and streams near you for cracks, rockfall or muddy water, and "
                              "report any change to the monitor."),
    Level.BLUE: ("Monitor", "Stay alert to the rain and the ground around you, and keep your evacuation card at "
                            "hand."),
}
LEVEL_PARAMETER = "level"
GEOCODE_NAME = "GB/T 2260"


def level_policy(level: str) -> LevelPolicy:
    """What ``level`` means: its CAP urgency, severity and certainty, the role that approves it,
    the minutes to acknowledge and the hours a warning stays in force. The editable table's row,
    or (unsaved) the defaults when the table has none for it."""
    if level not in DEFAULT_POLICIES:
        raise ValueError(f"unknown warning level {level!r}")
    return LevelPolicy.objects.filter(level=level).first() or LevelPolicy(level=level, **DEFAULT_POLICIES[level])


def county_of(region: Region) -> Region:
    """The root of the region tree above ``region``: the county."""
    code = region.path.split("/", 1)[0]
    return region if region.code == code else Region.objects.get(code=code)


def county_code6(county: Region) -> str:
    """The county's 6-digit GB/T 2260 code: the first six digits of its region code."""
    code = county.code[:6]
    if not re.fullmatch(r"\d{6}", code):
        raise ServiceError(_("The county's region code %(code)s does not start with a 6-digit administrative "
                             "code (GB/T 2260): no CAP identifier can be made.") % {"code": county.code}, status=409)
    return code


def sender_for(county: Region) -> str:
    """The CAP sender of the county's messages: its code at Anju's warnings (``500229@anju.warnings``),
    unique to the county and free of spaces and commas as CAP requires."""
    return f"{county_code6(county)}@anju.warnings"


def organ_code() -> str:
    default = os.environ.get("ANJU_WARNINGS_ORGAN_CODE", DEFAULT_ORGAN_CODE)
    code = str(getattr(settings, "ANJU_WARNINGS_ORGAN_CODE", default))
    if not re.fullmatch(r"\d{3}", code):
        raise ServiceError(_("ANJU_WARNINGS_ORGAN_CODE must be the 3 digits of the organ's GB/T 4657 code."),
                           status=409)
    return code


def messages_in_force(warning: Warning) -> list[CapMessage]:
    """The warning's messages issued here since its last Cancel, oldest first: those a new
    message refers to."""
    rows = list(warning.messages.filter(issued_here=True).order_by("sent_at", "pk"))
    cancels = [i for i, row in enumerate(rows) if row.msg_type == MessageType.CANCEL]
    return rows[cancels[-1] + 1:] if cancels else rows


# ---------------------------------------------------------------------------- the area


def _closed(points, field: str = "polygon") -> list[tuple[float, float]]:
    try:
        ring = [(float(lat), float(lon)) for lat, lon in points]
    except (TypeError, ValueError):
        raise ServiceError(_("The warning's polygon must be a list of [latitude, longitude] pairs."), status=422,
                           field=field) from None
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    if len(ring) < 4 or len(ring) > MAX_POLYGON_POINTS:
        raise ServiceError(_("The warning's polygon needs at least 3 distinct points (and at most %(n)s).")
                           % {"n": MAX_POLYGON_POINTS}, status=422, field=field)
    return ring


def _square(lat: float, lng: float) -> list[tuple[float, float]]:
    d = POINT_SQUARE
    return [(lat - d, lng - d), (lat - d, lng + d), (lat + d, lng + d), (lat + d, lng - d), (lat - d, lng - d)]


def _outline(geometry) -> list[tuple[float, float]] | None:
    """The outer ring of a GeoJSON Polygon as (lat, lon) points, or None."""
    try:
        if geometry.get("type") != "Polygon":
            return None
        ring = [(float(lng_lat[1]), float(lng_lat[0])) for lng_lat in geometry["coordinates"][0]]
        return _closed(ring) if len(ring) >= 3 else None
    except (AttributeError, KeyError, IndexError, TypeError, ValueError, ServiceError):
        return None


def polygons_for(warning: Warning, points) -> list[list[tuple[float, float]]]:
    """The warning's area as CAP polygons: its own polygon; else each point's outline, or a small
    square around a point without one; else the area's boundary when it has one."""
    if warning.polygon:
        return [_closed(warning.polygon)]
    polygons = [_outline(p.outline) if p.outline else None for p in points]
    polygons = [polygon or _square(p.lat, p.lng) for polygon, p in zip(polygons, points, strict=True)]
    if not polygons and warning.area.boundary:
        outline = _outline(warning.area.boundary)
        polygons = [outline] if outline else []
    return polygons


def _geocode(region: Region) -> str:
    """The area's administrative code (a grid's own code is not one: its village's is used)."""
    for ancestor in reversed(region.ancestors()):
        if len(ancestor.code) <= 12:
            return ancestor.code
    return region.code


def _area_desc(region: Region, points) -> str:
    place = "".join(r.name for r in region.ancestors())
    names = [p.name for p in points[:10]]
    more = "等" if len(points) > 10 else ""
    return f"{place}：{'、'.join(names)}{more}" if names else place


# ---------------------------------------------------------------------------- the texts


def _people(points) -> list[Person]:
    people = [Person(name=p.monitor_name, phone=p.monitor_phone) for p in points]
    people += [Person(name=p.deputy_name, phone=p.deputy_phone) for p in points if p.deputy_name or p.deputy_phone]
    people += [Person(name=h.head_name, phone=h.phone, address=h.address)
               for h in Household.objects.filter(point__in=points)]
    return people


def _texts(warning: Warning, msg_type: str, area_desc: str, people) -> dict:
    """Headline, description and instruction in Chinese and English, blanked of every person."""
    level_zh, level_en = LEVEL_WORDS[warning.level]
    hazard_zh, hazard_en = HAZARD_WORDS.get(warning.hazard_type, ("地质灾害", "geo-hazard"))
    place = area_desc.split("：", 1)[0]
    headline_en = warning.headline_en or f"{level_en} {hazard_en} warning: {place}"
    description_en = warning.description_en or (
        f"A {level_en.lower()} {hazard_en} warning is in force for {place} and the hazard points in it.")
    instruction_en = warning.instruction_en or RESPONSES[warning.level][1]
    zh = {"headline": warning.headline, "description": warning.description, "instruction": warning.instruction}
    en = {"headline": headline_en, "description": description_en, "instruction": instruction_en}
    if msg_type == MessageType.CANCEL:
        zh = {"headline": f"解除：{warning.headline}",
              "description": f"{place}{level_zh}{hazard_zh}预警解除。", "instruction": ""}
        en = {"headline": f"Cancelled: {headline_en}",
              "description": f"The {level_en.lower()} {hazard_en} warning for {place} is lifted.", "instruction": ""}
    return {language: {key: redact(value, people)[:5000] if value else "" for key, value in texts.items()}
            for language, texts in (("zh", zh), ("en", en))}


def build_alert(warning: Warning, msg_type: str, *, identifier: str, sender: str, sent: datetime,
                references: list[cap.Reference], county: Region) -> cap.Alert:
    """The CAP alert of ``warning`` as a ``msg_type`` message (not yet written)."""
    policy = level_policy(warning.level)
    points = list(warning.points.order_by("code"))
    people = _people(points)
    # A point may be named after a household's house (王家屋后滑坡): blanked like the texts.
    area_desc = redact(_area_desc(warning.area, points), people)
    area = cap.Area(area_desc=area_desc, polygons=polygons_for(warning, points),
                    geocodes=[(GEOCODE_NAME, _geocode(warning.area))])
    texts = _texts(warning, msg_type, area_desc, people)
    level_zh, level_en = LEVEL_WORDS[warning.level]
    hazard_zh, hazard_en = HAZARD_WORDS.get(warning.hazard_type, ("地质灾害", "geo-hazard"))
    response = "AllClear" if msg_type == MessageType.CANCEL else RESPONSES[warning.level][0]
    expires = warning.expires_at or sent + timedelta(hours=policy.expires_hours)
    common = {"categories": ["Geo"], "response_types": [response], "urgency": policy.urgency,
              "severity": policy.severity, "certainty": policy.certainty, "onset": warning.onset_at,
              "expires": expires, "parameters": [(LEVEL_PARAMETER, f"{warning.level} {level_zh}")]}
    infos = [
        cap.Info(language="zh-CN", event=f"{hazard_zh}灾害预警", sender_name=county.name,
                 areas=[area], **texts["zh"], **common),
        cap.Info(language="en-US", event=f"{hazard_en.capitalize()} warning",
                 sender_name=f"{county.name} (geo-hazard warnings)", areas=[area], **texts["en"], **common),
    ]
    return cap.Alert(identifier=identifier, sender=sender, sent=sent, msg_type=msg_type, status="Actual",
                     scope="Public", references=references, infos=infos)


# ---------------------------------------------------------------------------- issuing


def _next_sequence(unit: str, stamp: str) -> int:
    taken = CapMessage.objects.filter(identifier__startswith=f"{unit}_{stamp}_").count()
    if taken >= 10:
        raise ServiceError(_("Ten messages were already entered in this second; issue it again in a moment."),
                           status=409)
    return taken


def issue_message(warning: Warning, msg_type: str, actor, now: datetime) -> CapMessage:
    """Write ``warning`` as a CAP 1.2 ``msg_type`` message (Alert, Update or Cancel) sent at
    ``now``, validate it, and keep it as written. An Update or a Cancel refers to every earlier
    message of the warning still in force. The warning's status is the caller's to change; the
    caller (the lifecycle, in its transaction) records who (``actor``) and why."""
    if msg_type not in MessageType.values:
        raise ValueError(f"Anju issues Alert, Update and Cancel messages, not {msg_type!r}")
    county = county_of(warning.area)
    code6, organ, sender = county_code6(county), organ_code(), sender_for(county)
    earlier = messages_in_force(warning)
    if msg_type != MessageType.ALERT and not earlier:
        raise ServiceError(_("This warning has no message in force to update or cancel."), status=409)
    references = [cap.Reference(m.sender, m.identifier, m.sent_at) for m in earlier] \
        if msg_type != MessageType.ALERT else []
    sent = now.replace(microsecond=0)
    unit, stamp = f"{code6}{organ}00000", beijing_stamp(sent)
    alert = build_alert(warning, msg_type, identifier="", sender=sender, sent=sent, references=references,
                        county=county)
    for _attempt in range(10):
        alert.identifier = cap.make_identifier(code6, organ, sent, _next_sequence(unit, stamp))
        try:
            xml = cap.build(alert)
        except cap.CapError as error:
            raise ServiceError(_("The CAP message could not be made: %(reasons)s")
                               % {"reasons": "; ".join(error.reasons)}, status=409) from None
        try:
            with transaction.atomic():
                return CapMessage.objects.create(
                    warning=warning, identifier=alert.identifier, sender=sender, sent_at=sent, msg_type=msg_type,
                    references=cap.reference_text(references), xml=xml, issued_here=True, created_at=now)
        except IntegrityError:
            # Another message took this sequence in the same second: count again.
            continue
    raise ServiceError(_("Ten messages were already entered in this second; issue it again in a moment."),
                       status=409)
