"""Every change of the monitoring points register, one function per change, each in one
transaction: a point registered and corrected (its scale grade computed from the people it
threatens and its potential loss, never typed), its threatened households (the point's counts
kept in step with them), the three checks of a flood season, its monitoring devices and their
keys; and the logged looks at a point's people (a household's head and phone, the monitor's
and deputy's phones, a 避险明白卡 printed).

Who may do what is ``points_access``; a refusal is a ``ServiceError`` with its status and the
field it is about."""

import hashlib
import math
import re
import secrets
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import LineString, Polygon

from anju.geo.choices import Level as RegionLevel
from anju.geo.models import Region
from anju.lib.errors import ServiceError
from anju.lib.once import create_once
from anju.lib.workdays import local_date
from anju.people.models import User
from anju.warnings import points_access as access
from anju.warnings.choices import CheckRound, PointType, ReadingKind, ScaleGrade
from anju.warnings.models import ContactReveal, Device, Household, MonitoringPoint, SeasonCheck

# The grade of a point (地质灾害险情分级, the higher of the two): by the people threatened, as
# ``choices.ScaleGrade`` says, and by the potential economic loss in 10,000 yuan (小型 under
# 5 million yuan, 中型 5–50 million, 大型 50–100 million, 特大型 100 million and more).
PEOPLE_GRADES = ((1000, ScaleGrade.HUGE), (500, ScaleGrade.LARGE), (100, ScaleGrade.MEDIUM))
LOSS_GRADES = ((10000, ScaleGrade.HUGE), (5000, ScaleGrade.LARGE), (500, ScaleGrade.MEDIUM))
GRADE_RANK = {ScaleGrade.SMALL: 0, ScaleGrade.MEDIUM: 1, ScaleGrade.LARGE: 2, ScaleGrade.HUGE: 3}
# At most this many vertices in an outline or a route (a hand-drawn line has tens).
MAX_VERTICES = 1000
# The largest household a row can hold, and the largest potential loss (10,000 yuan) typed.
MAX_MEMBERS = 100
MAX_LOSS = 1_000_000_000
MAX_CAPACITY = 1_000_000
# A device reports at least once a day and at most once a minute.
MIN_INTERVAL, MAX_INTERVAL = 1, 24 * 60
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
PHONE = re.compile(r"^\+?[0-9][0-9 \-]*$")
KEY_PREFIX = "ajd_"


def _forbidden() -> ServiceError:
    return ServiceError(_("You may not do this."), status=403)


def _text(value, field_name: str, label: str, max_length: int, *, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ServiceError(_("%(field)s must be text.") % {"field": label}, status=422, field=field_name)
    value = value.strip()
    if "\x00" in value:
        raise ServiceError(_("%(field)s holds characters that are not allowed.") % {"field": label}, status=422,
                           field=field_name)
    if required and not value:
        raise ServiceError(_("%(field)s is required.") % {"field": label}, status=422, field=field_name)
    if len(value) > max_length:
        raise ServiceError(_("%(field)s must be at most %(n)s characters.") % {"field": label, "n": max_length},
                           status=422, field=field_name)
    return value


def number(value, field_name: str, label: str, low: float, high: float) -> float:
    """``value`` as a finite float within [low, high]; refused with 422 naming the field."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ServiceError(_("%(field)s must be a number.") % {"field": label}, status=422, field=field_name)
    value = float(value)
    if not math.isfinite(value):
        raise ServiceError(_("%(field)s must be a finite number.") % {"field": label}, status=422, field=field_name)
    if not low <= value <= high:
        raise ServiceError(_("%(field)s must be between %(low)s and %(high)s.") % {
            "field": label, "low": low, "high": high}, status=422, field=field_name)
    return value


def whole(value, field_name: str, label: str, low: int, high: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServiceError(_("%(field)s must be a whole number.") % {"field": label}, status=422, field=field_name)
    if not low <= value <= high:
        raise ServiceError(_("%(field)s must be between %(low)s and %(high)s.") % {
            "field": label, "low": low, "high": high}, status=422, field=field_name)
    return value


def _phone(value, field_name: str, label: str, *, required: bool = False) -> str:
    phone = _text(value, field_name, label, 30, required=required)
    if phone and not PHONE.match(phone):
        raise ServiceError(_("A phone number has digits only."), status=422, field=field_name)
    return phone


def _choice(value, choices, field_name: str) -> str:
    if not isinstance(value, str) or value not in choices.values:
        raise ServiceError(_("%(value)s is not one of the allowed values.") % {"value": value or "''"}, status=422,
                           field=field_name)
    return value


# ---------------------------------------------------------------------------- geometry


def _position(pair, field_name: str) -> list[float]:
    """A GeoJSON position [lng, lat] in WGS84."""
    if not isinstance(pair, list | tuple) or len(pair) not in (2, 3):
        raise ServiceError(_("Each vertex is a pair [longitude, latitude]."), status=422, field=field_name)
    lng = number(pair[0], field_name, _("Longitude"), -180, 180)
    lat = number(pair[1], field_name, _("Latitude"), -90, 90)
    return [lng, lat]


def check_polygon(value, field_name: str = "outline") -> dict | None:
    """A GeoJSON Polygon (one ring, closed, at least four positions, not crossing itself), or
    None for an empty value."""
    if value in (None, "", {}):
        return None
    if not isinstance(value, dict) or value.get("type") != "Polygon" or not isinstance(value.get("coordinates"), list) \
            or len(value["coordinates"]) != 1 or not isinstance(value["coordinates"][0], list):
        raise ServiceError(_("The outline must be a GeoJSON Polygon with one ring."), status=422, field=field_name)
    ring = value["coordinates"][0]
    if len(ring) > MAX_VERTICES:
        raise ServiceError(_("A line or outline has at most %(n)s vertices.") % {"n": MAX_VERTICES}, status=422,
                           field=field_name)
    ring = [_position(pair, field_name) for pair in ring]
    if len(ring) >= 3 and ring[0] != ring[-1]:
        ring.append(ring[0])
    if len(ring) < 4:
        raise ServiceError(_("An outline needs at least three different vertices."), status=422, field=field_name)
    if not Polygon(ring).is_valid or Polygon(ring).area == 0:
        raise ServiceError(_("The outline crosses itself or encloses nothing; draw it again."), status=422,
                           field=field_name)
    return {"type": "Polygon", "coordinates": [ring]}


def check_line(value, field_name: str = "route") -> dict | None:
    """A GeoJSON LineString of at least two different positions, or None for an empty value."""
    if value in (None, "", {}):
        return None
    if not isinstance(value, dict) or value.get("type") != "LineString" or \
            not isinstance(value.get("coordinates"), list):
        raise ServiceError(_("The route must be a GeoJSON LineString."), status=422, field=field_name)
    if len(value["coordinates"]) > MAX_VERTICES:
        raise ServiceError(_("A line or outline has at most %(n)s vertices.") % {"n": MAX_VERTICES}, status=422,
                           field=field_name)
    line = [_position(pair, field_name) for pair in value["coordinates"]]
    if len(line) < 2 or LineString(line).length == 0:
        raise ServiceError(_("A route needs at least two different points."), status=422, field=field_name)
    return {"type": "LineString", "coordinates": line}


# ---------------------------------------------------------------------------- points


def scale_grade(people: int, potential_loss) -> str:
    """The point's grade: the higher of its grade by people threatened and by potential loss."""
    by_people = next((grade for low, grade in PEOPLE_GRADES if people >= low), ScaleGrade.SMALL)
    loss = float(potential_loss or 0)
    by_loss = next((grade for low, grade in LOSS_GRADES if loss >= low), ScaleGrade.SMALL)
    return max(by_people, by_loss, key=GRADE_RANK.__getitem__)


@dataclass
class NewPoint:
    """What a point is registered with. ``region`` is the code of its village or grid (found from
    the point when empty); ``outline`` a GeoJSON Polygon, ``route`` a LineString; the accounts
    are usernames (empty: the person has no account)."""

    code: str
    name: str
    type: str
    lat: float | None
    lng: float | None
    monitor_name: str
    monitor_phone: str
    region: str = ""
    outline: dict | None = None
    potential_loss: float = 0
    monitor_user: str = ""
    deputy_name: str = ""
    deputy_phone: str = ""
    deputy_user: str = ""
    route: dict | None = None
    shelter_name: str = ""
    shelter_lat: float | None = None
    shelter_lng: float | None = None
    shelter_capacity: int = 0
    warning_signal: str = ""


def _account(username, field_name: str) -> User | None:
    username = _text(username, field_name, _("Account"), 150, required=False)
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ServiceError(_("No active account has this username."), status=422, field=field_name)
    return user


def _region_of(data: NewPoint, lat: float, lng: float) -> Region:
    if data.region:
        code = _text(data.region, "region", _("Village or grid"), 20)
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise ServiceError(_("Unknown region code."), status=422, field="region")
        if region.level not in (RegionLevel.VILLAGE, RegionLevel.GRID):
            raise ServiceError(_("A point belongs to a village or a grid."), status=422, field="region")
        return region
    from anju.geo import gridindex

    grid_id = gridindex.find_grid_id(lat, lng)
    region = Region.objects.filter(pk=grid_id).first() if grid_id is not None else None
    if region is None:
        raise ServiceError(_("This point lies in no grid: choose its village."), status=422, field="region")
    return region


def _point_fields(data: NewPoint) -> dict:
    """The point's fields from ``data``, checked field by field (422 naming the first bad one)."""
    code = _text(data.code, "code", _("Code"), 40)
    if not CODE.match(code):
        raise ServiceError(_("A code has letters, digits, dots, dashes and underscores only."), status=422,
                           field="code")
    lat = number(data.lat, "lat", _("Latitude"), -90, 90)
    lng = number(data.lng, "lng", _("Longitude"), -180, 180)
    fields = {
        "code": code, "name": _text(data.name, "name", _("Name"), 200),
        "type": _choice(data.type, PointType, "type"), "lat": lat, "lng": lng,
        "region": _region_of(data, lat, lng),
        "outline": check_polygon(data.outline, "outline"),
        "potential_loss": Decimal(str(round(number(data.potential_loss or 0, "potential_loss",
                                                   _("Potential loss"), 0, MAX_LOSS), 1))),
        "monitor_name": _text(data.monitor_name, "monitor_name", _("Monitor"), 50),
        "monitor_phone": _phone(data.monitor_phone, "monitor_phone", _("Monitor's phone"), required=True),
        "monitor_user": _account(data.monitor_user, "monitor_user"),
        "deputy_name": _text(data.deputy_name, "deputy_name", _("Deputy monitor"), 50, required=False),
        "deputy_phone": _phone(data.deputy_phone, "deputy_phone", _("Deputy's phone")),
        "deputy_user": _account(data.deputy_user, "deputy_user"),
        "route": check_line(data.route, "route"),
        "shelter_name": _text(data.shelter_name, "shelter_name", _("Shelter"), 200, required=False),
        "shelter_capacity": whole(data.shelter_capacity or 0, "shelter_capacity", _("Shelter capacity"), 0,
                                  MAX_CAPACITY),
        "warning_signal": _text(data.warning_signal, "warning_signal", _("Warning signal"), 200, required=False),
    }
    if (data.shelter_lat is None) != (data.shelter_lng is None):
        raise ServiceError(_("Give both coordinates of the shelter, or neither."), status=422,
                           field="shelter_lat" if data.shelter_lat is None else "shelter_lng")
    fields["shelter_lat"] = None if data.shelter_lat is None else number(data.shelter_lat, "shelter_lat",
                                                                          _("Shelter latitude"), -90, 90)
    fields["shelter_lng"] = None if data.shelter_lng is None else number(data.shelter_lng, "shelter_lng",
                                                                          _("Shelter longitude"), -180, 180)
    if fields["deputy_phone"] and not fields["deputy_name"]:
        raise ServiceError(_("Name the deputy monitor whose phone this is."), status=422, field="deputy_name")
    return fields


def _unique_code(code: str, exclude: int | None = None) -> None:
    if MonitoringPoint.objects.filter(code=code).exclude(pk=exclude).exists():
        raise ServiceError(_("A point with this code is already in the register."), status=409, field="code")


@transaction.atomic
def create_point(actor, data: NewPoint, *, now: datetime | None = None) -> MonitoringPoint:
    """Register a point. Its grade is computed (no households yet: from its potential loss)."""
    fields = _point_fields(data)
    if not access.can_keep_points_in(actor, fields["region"]):
        raise _forbidden()
    _unique_code(fields["code"])
    fields["scale_grade"] = scale_grade(0, fields["potential_loss"])
    return MonitoringPoint.objects.create(created_by=actor, created_at=now or timezone.now(), **fields)


def create_point_once(actor, data: NewPoint, *, idempotency_key: str = "",
                      now: datetime | None = None) -> tuple[MonitoringPoint, bool]:
    """``create_point`` sent once per Idempotency-Key (``lib.once``)."""
    return create_once(actor, idempotency_key, asdict(data), MonitoringPoint,
                       lambda: create_point(actor, data, now=now), owner="created_by")


@transaction.atomic
def update_point(actor, point: MonitoringPoint, data: NewPoint) -> MonitoringPoint:
    """Correct a point; the actor must keep it before and after the change (a point is not moved
    out of the actor's reach). Its grade follows its households and potential loss."""
    point = MonitoringPoint.objects.select_for_update().select_related("region").get(pk=point.pk)
    if not access.can_keep(actor, point):
        raise _forbidden()
    fields = _point_fields(data)
    if not access.can_keep_points_in(actor, fields["region"]):
        raise _forbidden()
    _unique_code(fields["code"], exclude=point.pk)
    for name, value in fields.items():
        setattr(point, name, value)
    point.scale_grade = scale_grade(point.people, point.potential_loss)
    point.save()
    return point


@transaction.atomic
def set_point_active(actor, point: MonitoringPoint, active: bool) -> MonitoringPoint:
    """Retire a point (its hazard removed by engineering works or its people moved away for
    good: 核销) or bring it back. A retired point keeps its history and takes no readings."""
    point = MonitoringPoint.objects.select_for_update().select_related("region").get(pk=point.pk)
    if not access.can_keep(actor, point):
        raise _forbidden()
    if point.is_active != active:
        point.is_active = active
        point.save(update_fields=["is_active", "updated_at"])
    return point


def _recount(point: MonitoringPoint) -> None:
    """The point's households and people from its household rows, and its grade from them."""
    totals = point.household_rows.aggregate(people=Sum("members"))
    point.households = point.household_rows.count()
    point.people = totals["people"] or 0
    point.scale_grade = scale_grade(point.people, point.potential_loss)
    point.save(update_fields=["households", "people", "scale_grade", "updated_at"])


# ---------------------------------------------------------------------------- households


@dataclass
class NewHousehold:
    head_name: str
    members: int = 1
    phone: str = ""
    address: str = ""
    card_number: str = ""


def _household_fields(data: NewHousehold) -> dict:
    return {
        "head_name": _text(data.head_name, "head_name", _("Head of household"), 50),
        "phone": _phone(data.phone, "phone", _("Phone")),
        "address": _text(data.address, "address", _("Address"), 200, required=False),
        "members": whole(data.members, "members", _("People in the household"), 1, MAX_MEMBERS),
        "card_number": _text(data.card_number, "card_number", _("Card number"), 40, required=False),
    }


def _locked_point(point: MonitoringPoint) -> MonitoringPoint:
    return MonitoringPoint.objects.select_for_update().select_related("region").get(pk=point.pk)


@transaction.atomic
def add_household(actor, point: MonitoringPoint, data: NewHousehold) -> Household:
    """Add a threatened household; its card number is the point's code and its place when none is
    given. The point's counts and grade follow."""
    point = _locked_point(point)
    if not access.can_keep(actor, point):
        raise _forbidden()
    fields = _household_fields(data)
    if not fields["card_number"]:
        taken = set(point.household_rows.values_list("card_number", flat=True))
        n = point.household_rows.count() + 1
        while f"{point.code}-{n:03d}" in taken:
            n += 1
        fields["card_number"] = f"{point.code}-{n:03d}"
    household = Household.objects.create(point=point, **fields)
    _recount(point)
    return household


@transaction.atomic
def update_household(actor, household: Household, data: NewHousehold) -> Household:
    point = _locked_point(household.point)
    if not access.can_keep(actor, point):
        raise _forbidden()
    household = Household.objects.select_for_update().get(pk=household.pk)
    for name, value in _household_fields(data).items():
        if name == "card_number" and not value:
            continue
        setattr(household, name, value)
    household.save()
    _recount(point)
    household.point = point
    return household


@transaction.atomic
def remove_household(actor, household: Household) -> MonitoringPoint:
    """Remove a household that moved away; one on a warning's evacuation list stays (its record
    is part of that evacuation)."""
    point = _locked_point(household.point)
    if not access.can_keep(actor, point):
        raise _forbidden()
    if household.evacuations.exists():
        raise ServiceError(_("This household is on a warning's evacuation list and stays in the register."),
                           status=409)
    household.delete()
    _recount(point)
    return point


# ---------------------------------------------------------------------------- looks at people, logged


def _log_look(actor, point: MonitoringPoint, subject: str, *, granted: bool, household: Household | None = None,
              reason: str = "", now: datetime | None = None) -> None:
    ContactReveal.objects.create(user=actor, point=point, household=household, subject=subject[:40],
                                 reason=(reason or "")[:200], granted=granted, at=now or timezone.now())


def reveal_household(actor, household: Household, *, reason: str = "", now: datetime | None = None) -> Household:
    """The household's head, phone and address in full for ``actor`` (``points_access``'s one
    rule); every attempt is logged, granted or not; refused with 403."""
    granted = access.can_reveal_households(actor, household.point)
    _log_look(actor, household.point, f"household {household.pk}", household=household, granted=granted,
              reason=reason, now=now)
    if not granted:
        raise ServiceError(_("You may not see this household's contacts."), status=403)
    return household


def reveal_monitors(actor, point: MonitoringPoint, *, reason: str = "", now: datetime | None = None) -> dict:
    """The monitor's and deputy's names and phones in full (logged, granted or not)."""
    granted = access.can_reveal_monitors(actor, point)
    _log_look(actor, point, "monitors", granted=granted, reason=reason, now=now)
    if not granted:
        raise ServiceError(_("You may not see the monitors' phones."), status=403)
    return {"monitor_name": point.monitor_name, "monitor_phone": point.monitor_phone,
            "deputy_name": point.deputy_name, "deputy_phone": point.deputy_phone}


def check_cards(actor, point: MonitoringPoint, household: Household | None = None, *,
                now: datetime | None = None) -> None:
    """Before a 避险明白卡 is printed (one household's, or every card of the point): it names the
    household and the monitor's phone in full, so it is logged like a reveal."""
    granted = access.can_reveal_households(actor, point)
    _log_look(actor, point, f"card {household.pk}" if household else "cards", household=household, granted=granted,
              reason="print", now=now)
    if not granted:
        raise ServiceError(_("You may not print the households' cards."), status=403)


# ---------------------------------------------------------------------------- the three checks


@transaction.atomic
def record_check(actor, point: MonitoringPoint, *, round: str, checked_on: date, stable: bool = True,
                 finding: str = "", now: datetime | None = None) -> SeasonCheck:
    """Record one of the three checks of a flood season (三查) at a point: one each per year (the
    year of ``checked_on``). A change found needs its finding written."""
    now = now or timezone.now()
    point = _locked_point(point)
    if not point.is_active or not access.can_work_at(actor, point):
        raise _forbidden()
    round = _choice(round, CheckRound, "round")
    if not isinstance(checked_on, date) or isinstance(checked_on, datetime):
        raise ServiceError(_("Give the day of the check."), status=422, field="checked_on")
    if checked_on > local_date(now):
        raise ServiceError(_("A check is recorded once it was done, not before."), status=422, field="checked_on")
    if checked_on.year < 2000:
        raise ServiceError(_("Give the day of the check."), status=422, field="checked_on")
    finding = _text(finding, "finding", _("Finding"), 2000, required=False)
    if not stable and not finding:
        raise ServiceError(_("Say what changed at the point."), status=422, field="finding")
    if SeasonCheck.objects.filter(point=point, year=checked_on.year, round=round).exists():
        raise ServiceError(_("This check of %(year)s is already recorded for the point.") % {"year": checked_on.year},
                           status=409, field="round")
    return SeasonCheck.objects.create(point=point, year=checked_on.year, round=round, checked_on=checked_on,
                                      checked_by=actor, stable=bool(stable), finding=finding, created_at=now)


# ---------------------------------------------------------------------------- devices


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass
class NewDevice:
    name: str
    kinds: list[str] = field(default_factory=list)
    interval_minutes: int = 60


@transaction.atomic
def create_device(actor, point: MonitoringPoint, data: NewDevice, *,
                  now: datetime | None = None) -> tuple[Device, str]:
    """Add a device to a point: returns it and its key, shown this once (only its SHA-256 and
    first characters are kept)."""
    point = _locked_point(point)
    if not access.can_keep(actor, point):
        raise _forbidden()
    name = _text(data.name, "name", _("Name"), 100)
    if not isinstance(data.kinds, list | tuple) or not data.kinds:
        raise ServiceError(_("Choose what the device measures."), status=422, field="kinds")
    kinds = sorted({_choice(kind, ReadingKind, "kinds") for kind in data.kinds})
    interval = whole(data.interval_minutes, "interval_minutes", _("Reporting interval (minutes)"), MIN_INTERVAL,
                     MAX_INTERVAL)
    raw = KEY_PREFIX + secrets.token_urlsafe(30)
    device = Device.objects.create(point=point, name=name, kinds=kinds, interval_minutes=interval,
                                   key_prefix=raw[:12], key_hash=hash_key(raw), created_at=now or timezone.now())
    return device, raw


@transaction.atomic
def set_device_active(actor, device: Device, active: bool) -> Device:
    """Disable a device (its key stops working at once: lost, stolen, replaced) or enable it."""
    point = _locked_point(device.point)
    if not access.can_keep(actor, point):
        raise _forbidden()
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.is_active != active:
        device.is_active = active
        device.save(update_fields=["is_active"])
    device.point = point
    return device


def device_for_key(raw: str) -> Device | None:
    """The device a raw key belongs to (active or not), or None."""
    if not raw or len(raw) > 200 or "\x00" in raw:
        return None
    return Device.objects.select_related("point", "point__region").filter(key_hash=hash_key(raw.strip())).first()
