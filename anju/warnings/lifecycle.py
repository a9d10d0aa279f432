"""The lifecycle of a warning, one function per step, each in one transaction: it locks the
warning, checks the actor's right (``warnings_access``) and the warning's state (``TRANSITIONS``),
writes, and logs the step on the warning's own log (a warning is not a case).

    draft ──approve──▶ approved ──issue──▶ issued ──update──▶ issued (an Update message)
      │                                       ├──cancel──▶ cancelled (a Cancel message)
      └──reject──▶ rejected                   ├──all_clear──▶ cancelled, all clear (a Cancel message;
                                              │               the evacuation closes)
                                              └──(sweep, past expires_at)──▶ expired

Approving needs the role the level requires (``issuing.level_policy(level).approver_role`` or a
higher one); nobody approves a warning they drafted. Issuing sends the Alert
(``issuing.issue_message``), asks every point's monitor to acknowledge it (``acks``) and, for
orange and red or when asked, lists the points' households to move (``evacuation``). A cancelled,
expired or rejected warning has ended: it takes no more steps (409 naming its state)."""

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.cases import modules
from anju.geo.models import Region
from anju.lib.errors import ServiceError
from anju.lib.once import create_once
from anju.warnings import acks, evacuation, issuing
from anju.warnings import warnings_access as access
from anju.warnings.choices import (
    LEVEL_RANK,
    Level,
    MessageType,
    PointType,
    WarningEvent,
    WarningOrigin,
    WarningStatus,
)
from anju.warnings.models import MonitoringPoint, Warning, WarningLog

# Which states each step starts from.
TRANSITIONS = {
    "approve": {WarningStatus.DRAFT},
    "reject": {WarningStatus.DRAFT},
    "issue": {WarningStatus.APPROVED},
    "update": {WarningStatus.ISSUED},
    "cancel": {WarningStatus.ISSUED},
    "all_clear": {WarningStatus.ISSUED},
    "expire": {WarningStatus.ISSUED},
    "evacuate": {WarningStatus.ISSUED},
    "open_incident": {WarningStatus.ISSUED},
}
ENDED = frozenset({WarningStatus.CANCELLED, WarningStatus.EXPIRED, WarningStatus.REJECTED})
IN_FORCE = frozenset({WarningStatus.ISSUED})
# Levels whose issuing opens the evacuation by itself, and that may open an incident.
EVACUATING_LEVELS = frozenset({Level.ORANGE, Level.RED})
# The longest a warning may stay in force, and how far its onset may lie ahead.
MAX_HOURS_IN_FORCE = 7 * 24
# The padding (degrees) of the polygon drawn around a warning's points when none is given.
POLYGON_PAD = 0.01
# The incident grade a warning's level suggests (the duty module's grades).
INCIDENT_GRADE = {Level.RED: "major", Level.ORANGE: "larger"}
MAX_POINTS = 200


def log(warning: Warning, code: str, actor, now: datetime, note: str = "") -> WarningLog:
    """Write one entry on the warning's log."""
    return WarningLog.objects.create(warning=warning, code=code, at=now, actor=actor, note=note[:2000])


def _forbidden() -> ServiceError:
    return ServiceError(_("You may not do this."), status=403)


def check_state(warning: Warning, action: str) -> None:
    """Refuse (409, naming the warning's state) a step the warning's state does not allow."""
    if warning.status in TRANSITIONS[action]:
        return
    state = WarningStatus(warning.status).label
    if warning.status in ENDED:
        message = _("This warning is “%(state)s”: it has ended and takes no more steps.") % {"state": state}
    else:
        message = _("This warning is “%(state)s”: this step is not possible now.") % {"state": state}
    raise ServiceError(message, status=409, field="status")


def _lock(warning: Warning) -> Warning:
    return Warning.objects.select_for_update(of=("self",)).select_related("area").get(pk=warning.pk)


def _text(value, field_name: str, label: str, limit: int, *, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str) or "\x00" in value:
        raise ServiceError(_("%(field)s must be text.") % {"field": label}, status=422, field=field_name)
    value = value.strip()
    if required and not value:
        raise ServiceError(_("%(field)s is required.") % {"field": label}, status=422, field=field_name)
    if len(value) > limit:
        raise ServiceError(_("%(field)s must be at most %(n)s characters.") % {"field": label, "n": limit},
                           status=422, field=field_name)
    return value


def _choice(value, choices, field_name: str) -> str:
    if not isinstance(value, str) or value not in choices.values:
        raise ServiceError(_("%(value)s is not one of the allowed values.") % {"value": value or "''"}, status=422,
                           field=field_name)
    return value


def _moment(value, field_name: str, label: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ServiceError(_("%(field)s must be a moment with its time zone.") % {"field": label}, status=422,
                           field=field_name)
    return value


def _expiry(value, field_name: str, now: datetime, onset: datetime | None = None) -> datetime | None:
    value = _moment(value, field_name, _("Expires"))
    if value is None:
        return None
    if value <= now:
        raise ServiceError(_("A warning must expire after now."), status=422, field=field_name)
    if onset is not None and value <= onset:
        raise ServiceError(_("A warning must expire after its onset."), status=422, field=field_name)
    if value > now + timedelta(hours=MAX_HOURS_IN_FORCE):
        raise ServiceError(_("A warning stays in force at most %(n)s hours: issue a new one after that.") % {
            "n": MAX_HOURS_IN_FORCE}, status=422, field=field_name)
    return value


def _area(code) -> Region:
    area = Region.objects.filter(code=code).first() if isinstance(code, str) and code else None
    if area is None:
        raise ServiceError(_("Unknown region code."), status=422, field="area")
    return area


def _points(codes, area: Region, field_name: str = "points") -> list[MonitoringPoint]:
    """The active monitoring points named by ``codes``, each in ``area``."""
    if not isinstance(codes, (list, tuple)) or any(not isinstance(c, str) for c in codes):
        raise ServiceError(_("Give the points as a list of their codes."), status=422, field=field_name)
    codes = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    if len(codes) > MAX_POINTS:
        raise ServiceError(_("At most %(n)s points in one warning.") % {"n": MAX_POINTS}, status=422,
                           field=field_name)
    found = {p.code: p for p in MonitoringPoint.objects.filter(code__in=codes, is_active=True)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ServiceError(_("Unknown or retired monitoring point: %(codes)s.") % {"codes": ", ".join(unknown[:5])},
                           status=422, field=field_name)
    outside = [c for c in codes if not found[c].area_path.startswith(area.path)]
    if outside:
        raise ServiceError(_("These points lie outside the warning's area: %(codes)s.") % {
            "codes": ", ".join(outside[:5])}, status=422, field=field_name)
    return [found[c] for c in codes]


def _polygon(value, field_name: str = "polygon") -> list:
    """A CAP polygon: at least four [lat, lon] pairs in WGS84, the first repeated last."""
    if not isinstance(value, (list, tuple)) or len(value) < 4:
        raise ServiceError(_("A polygon needs at least four points, the first repeated last."), status=422,
                           field=field_name)
    pairs = []
    for pair in value:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2 or \
                not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pair):
            raise ServiceError(_("Each point of the polygon is a pair [latitude, longitude]."), status=422,
                               field=field_name)
        lat, lon = float(pair[0]), float(pair[1])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ServiceError(_("A latitude lies within ±90 and a longitude within ±180."), status=422,
                               field=field_name)
        pairs.append([lat, lon])
    if pairs[0] != pairs[-1]:
        raise ServiceError(_("A polygon needs at least four points, the first repeated last."), status=422,
                           field=field_name)
    return pairs


def polygon_around(points: list[MonitoringPoint]) -> list:
    """A closed CAP polygon ([lat, lon] pairs) around the points and their outlines, padded."""
    lats, lons = [], []
    for point in points:
        lats.append(point.lat)
        lons.append(point.lng)
        for ring in (point.outline or {}).get("coordinates", [])[:1]:
            for lng, lat, *_rest in ring:
                lats.append(lat)
                lons.append(lng)
    if not lats:
        return []
    south, north = round(min(lats) - POLYGON_PAD, 5), round(max(lats) + POLYGON_PAD, 5)
    west, east = round(min(lons) - POLYGON_PAD, 5), round(max(lons) + POLYGON_PAD, 5)
    return [[south, west], [south, east], [north, east], [north, west], [south, west]]


# ---------------------------------------------------------------------------- drafting


@dataclass
class NewWarning:
    level: str
    hazard_type: str
    area: str  # the region's code
    headline: str
    description: str
    points: list[str] = field(default_factory=list)  # monitoring points' codes
    instruction: str = ""
    headline_en: str = ""
    description_en: str = ""
    instruction_en: str = ""
    onset_at: datetime | None = None
    expires_at: datetime | None = None
    polygon: list | None = None


def _draft_fields(data: NewWarning, now: datetime) -> tuple[dict, list[MonitoringPoint]]:
    area = _area(data.area)
    points = _points(data.points, area)
    onset = _moment(data.onset_at, "onset_at", _("Onset"))
    fields = {
        "level": _choice(data.level, Level, "level"),
        "hazard_type": _choice(data.hazard_type, PointType, "hazard_type"),
        "area": area,
        "headline": _text(data.headline, "headline", _("Headline"), 200),
        "description": _text(data.description, "description", _("Description"), 5000),
        "instruction": _text(data.instruction, "instruction", _("Instruction"), 5000, required=False),
        "headline_en": _text(data.headline_en, "headline_en", _("Headline (English)"), 200, required=False),
        "description_en": _text(data.description_en, "description_en", _("Description (English)"), 5000,
                                required=False),
        "instruction_en": _text(data.instruction_en, "instruction_en", _("Instruction (English)"), 5000,
                                required=False),
        "onset_at": onset,
        "expires_at": _expiry(data.expires_at, "expires_at", now, onset),
        "polygon": _polygon(data.polygon) if data.polygon else polygon_around(points),
    }
    return fields, points


def draft_warning(actor, data: NewWarning, *, idempotency_key: str = "",
                  now: datetime | None = None) -> tuple[Warning, bool]:
    """Draft a warning by hand (staff): its level, area, points and texts, to be approved by the
    role the level requires. Sent once per ``idempotency_key``: the same key and data again
    return the draft made the first time (``created`` False)."""
    now = now or timezone.now()

    def create():
        with transaction.atomic():
            fields, points = _draft_fields(data, now)
            if not access.can_draft(actor, fields["area"]):
                raise _forbidden()
            warning = Warning.objects.create(origin=WarningOrigin.STAFF, status=WarningStatus.DRAFT,
                                             drafted_by=actor, drafted_at=now, **fields)
            warning.points.set(points)
            log(warning, WarningEvent.DRAFTED, actor, now)
            return warning

    return create_once(actor, idempotency_key, asdict(data), Warning, create, owner="drafted_by")


# ---------------------------------------------------------------------------- approval


@transaction.atomic
def approve(actor, warning: Warning, *, note: str = "", now: datetime | None = None) -> Warning:
    """Approve a draft: by the role its level requires (or a higher one), never by its drafter."""
    now = now or timezone.now()
    warning = _lock(warning)
    policy = issuing.level_policy(warning.level)
    if not access.holds_approver_role(actor, warning, policy.approver_role):
        raise _forbidden()
    if warning.drafted_by_id == actor.pk:
        raise ServiceError(_("A warning is approved by someone other than its drafter."), status=403)
    check_state(warning, "approve")
    note = _text(note, "note", _("Note"), 1000, required=False)
    warning.status, warning.approved_by, warning.approved_at = WarningStatus.APPROVED, actor, now
    warning.save(update_fields=["status", "approved_by", "approved_at"])
    log(warning, WarningEvent.APPROVED, actor, now, note)
    return warning


@transaction.atomic
def reject(actor, warning: Warning, *, reason: str, now: datetime | None = None) -> Warning:
    """Turn a draft down (不予签发), saying why: it ends there."""
    now = now or timezone.now()
    warning = _lock(warning)
    policy = issuing.level_policy(warning.level)
    if not access.holds_approver_role(actor, warning, policy.approver_role):
        raise _forbidden()
    check_state(warning, "reject")
    reason = _text(reason, "reason", _("Reason"), 1000)
    warning.status, warning.ended_at = WarningStatus.REJECTED, now
    warning.save(update_fields=["status", "ended_at"])
    log(warning, WarningEvent.REJECTED, actor, now, reason)
    return warning


# ---------------------------------------------------------------------------- issuing


@transaction.atomic
def issue(actor, warning: Warning, *, evacuate: bool | None = None, now: datetime | None = None) -> Warning:
    """Issue an approved warning: its Alert message goes out, every point's monitor is asked to
    acknowledge it within the level's minutes, and the points' households are listed to move
    for orange and red (or for any level when ``evacuate`` is True; never when False). It stays
    in force until cancelled, given the all-clear, or its expiry (the level's hours in force
    when it has none)."""
    now = now or timezone.now()
    warning = _lock(warning)
    if not access.can_issue(actor, warning):
        raise _forbidden()
    check_state(warning, "issue")
    if evacuate is not None and not isinstance(evacuate, bool):
        raise ServiceError(_("Say true or false."), status=422, field="evacuate")
    policy = issuing.level_policy(warning.level)
    if warning.expires_at is None or warning.expires_at <= now:
        warning.expires_at = now + timedelta(hours=policy.expires_hours)
    warning.status, warning.issued_at = WarningStatus.ISSUED, now
    warning.save(update_fields=["status", "issued_at", "expires_at"])
    message = issuing.issue_message(warning, MessageType.ALERT, actor, now)
    log(warning, WarningEvent.ISSUED, actor, now, message.identifier)
    points = list(warning.points.select_related("region"))
    acks.ask_for_acknowledgements(warning, points, now)
    if evacuate or (evacuate is None and warning.level in EVACUATING_LEVELS):
        evacuation.list_households(warning, points, actor, now)
    return warning


@dataclass
class WarningChange:
    """What an update changes; None leaves a field as it is."""

    level: str | None = None
    headline: str | None = None
    description: str | None = None
    instruction: str | None = None
    headline_en: str | None = None
    description_en: str | None = None
    instruction_en: str | None = None
    points: list[str] | None = None
    expires_at: datetime | None = None
    note: str = ""


TEXTS = (("headline", 200, True), ("description", 5000, True), ("instruction", 5000, False),
         ("headline_en", 200, False), ("description_en", 5000, False), ("instruction_en", 5000, False))


@transaction.atomic
def update(actor, warning: Warning, change: WarningChange, *, now: datetime | None = None) -> Warning:
    """Change an issued warning (a new level, texts, points or expiry): an Update message goes
    out referring to the earlier ones. The monitors of points it now adds are asked to
    acknowledge; while its households are being moved, those of the added points are listed
    too; a level raised to orange or red lists them all, and shortens the deadlines of those still
    waiting to the new level's minutes. Needs the role the higher of the old and the new level
    requires."""
    now = now or timezone.now()
    warning = _lock(warning)
    level = warning.level if change.level is None else _choice(change.level, Level, "level")
    higher = max(warning.level, level, key=lambda lv: LEVEL_RANK[lv])
    if not access.holds_approver_role(actor, warning, issuing.level_policy(higher).approver_role):
        raise _forbidden()
    check_state(warning, "update")
    changed = []
    if level != warning.level:
        changed.append("level")
    values = {}
    labels = {"headline": _("Headline"), "description": _("Description"), "instruction": _("Instruction"),
              "headline_en": _("Headline (English)"), "description_en": _("Description (English)"),
              "instruction_en": _("Instruction (English)")}
    for name, limit, required in TEXTS:
        value = getattr(change, name)
        if value is not None:
            value = _text(value, name, labels[name], limit, required=required)
            if value != getattr(warning, name):
                values[name] = value
                changed.append(name)
    points = None
    if change.points is not None:
        points = _points(change.points, warning.area)
        if {p.pk for p in points} != set(warning.points.values_list("pk", flat=True)):
            changed.append("points")
        else:
            points = None
    expires_at = _expiry(change.expires_at, "expires_at", now)
    if expires_at is not None and expires_at != warning.expires_at:
        changed.append("expires_at")
    note = _text(change.note, "note", _("Note"), 1000, required=False)
    if not changed:
        raise ServiceError(_("Nothing was changed: give a new level, text, points or expiry."), status=422)
    before = set(warning.points.values_list("pk", flat=True))
    raised = LEVEL_RANK[level] > LEVEL_RANK[warning.level]
    warning.level = level
    for name, value in values.items():
        setattr(warning, name, value)
    if expires_at is not None:
        warning.expires_at = expires_at
    if points is not None:
        warning.points.set(points)
        warning.polygon = polygon_around(points) or warning.polygon
    warning.save()
    message = issuing.issue_message(warning, MessageType.UPDATE, actor, now)
    log(warning, WarningEvent.UPDATED, actor, now, "; ".join(filter(None, [", ".join(changed), note,
                                                                          message.identifier])))
    if raised:
        acks.hurry(warning, now)
    current = list(warning.points.select_related("region"))
    added = [p for p in current if p.pk not in before]
    if added:
        acks.ask_for_acknowledgements(warning, added, now)
    if evacuation.is_listed(warning):
        evacuation.list_households(warning, current, actor, now)
    elif raised and level in EVACUATING_LEVELS:
        evacuation.list_households(warning, current, actor, now)
    return warning


def _end(warning: Warning, status: str, now: datetime) -> None:
    warning.status, warning.ended_at = status, now
    acks.stop_asking(warning)


@transaction.atomic
def cancel(actor, warning: Warning, *, reason: str, now: datetime | None = None) -> Warning:
    """Cancel an issued warning (a Cancel message referring to the earlier ones), saying why: the
    acknowledgements stop being asked and its evacuation closes for entries."""
    now = now or timezone.now()
    warning = _lock(warning)
    if not access.holds_approver_role(actor, warning, issuing.level_policy(warning.level).approver_role):
        raise _forbidden()
    check_state(warning, "cancel")
    reason = _text(reason, "reason", _("Reason"), 1000)
    _end(warning, WarningStatus.CANCELLED, now)
    warning.save(update_fields=["status", "ended_at"])
    message = issuing.issue_message(warning, MessageType.CANCEL, actor, now)
    log(warning, WarningEvent.CANCELLED, actor, now, f"{reason}; {message.identifier}")
    return warning


@transaction.atomic
def all_clear(actor, warning: Warning, *, note: str = "", now: datetime | None = None) -> Warning:
    """The all-clear (解除): the danger is over. The warning ends with a Cancel message (its
    ``all_clear_at`` set, which makes it an all-clear rather than a withdrawal), and its
    evacuation closes for entries: nobody is marked returned by it; what was entered stays."""
    now = now or timezone.now()
    warning = _lock(warning)
    if not access.holds_approver_role(actor, warning, issuing.level_policy(warning.level).approver_role):
        raise _forbidden()
    check_state(warning, "all_clear")
    note = _text(note, "note", _("Note"), 1000, required=False)
    _end(warning, WarningStatus.CANCELLED, now)
    warning.all_clear_at = now
    warning.save(update_fields=["status", "ended_at", "all_clear_at"])
    message = issuing.issue_message(warning, MessageType.CANCEL, actor, now)
    counts = evacuation.counts(warning)
    summary = _("Evacuation closed: %(moved)d moved, %(refused)d refused, %(returned)d returned, "
                "%(to_move)d not moved.") % counts if counts["total"] else ""
    log(warning, WarningEvent.ALL_CLEAR, actor, now, "; ".join(filter(None, [note, summary, message.identifier])))
    return warning


# ---------------------------------------------------------------------------- expiry sweep


def sweep_expiry(now: datetime | None = None, batch_size: int = 200) -> int:
    """The module's sweep (registered in ``apps.py``) of warnings in force past their expiry:
    each becomes expired (no message: a CAP alert expires by its own ``expires``), its
    acknowledgements stop being asked and its evacuation closes. Safe with several sweeps at
    once (rows claimed with SKIP LOCKED). Returns how many it expired."""
    now = now or timezone.now()
    done = 0
    while True:
        with transaction.atomic():
            rows = Warning.objects.filter(status=WarningStatus.ISSUED, expires_at__lte=now).order_by("expires_at")
            claimed = list(rows.select_for_update(skip_locked=True, of=("self",))[:batch_size])
            for warning in claimed:
                _end(warning, WarningStatus.EXPIRED, now)
                warning.save(update_fields=["status", "ended_at"])
                log(warning, WarningEvent.EXPIRED, None, now)
        done += len(claimed)
        if len(claimed) < batch_size:
            return done


# ---------------------------------------------------------------------------- incidents


def incidents_of(warning: Warning) -> list[dict]:
    """The incidents this warning opened (the duty module's ``duty.incidents_for``); none when
    the duty module is not installed."""
    incidents_for = modules.provided("duty.incidents_for")
    return incidents_for("warnings", warning.pk) if incidents_for else []


def may_open_incident(user, warning: Warning) -> bool:
    """An orange or red warning in force, by its duty desk, while none it opened is open, with
    the duty module installed."""
    return (warning.status in TRANSITIONS["open_incident"] and warning.level in EVACUATING_LEVELS
            and access.can_operate(user, warning) and modules.provided("duty.open_incident") is not None
            and not any(i["open"] for i in incidents_of(warning)))


def open_incident(actor, warning: Warning, *, grade: str = "", text: str = "", now: datetime | None = None,
                  synthetic: bool = False):
    """Open an incident (突发事件) from an orange or red warning in force, through the duty
    module's published service, linked both ways: the incident names the warning, the warning's
    log names the incident. ``grade`` is the duty module's (by default from the level). Returns
    the incident's case."""
    now = now or timezone.now()
    opener = modules.provided("duty.open_incident")
    if opener is None:
        raise ServiceError(_("Incidents are kept by the duty module, which is not installed."), status=409)
    with transaction.atomic():
        warning = _lock(warning)
        if not access.can_operate(actor, warning):
            raise _forbidden()
        check_state(warning, "open_incident")
        if warning.level not in EVACUATING_LEVELS:
            raise ServiceError(_("An incident is opened from an orange or red warning."), status=409, field="level")
        if any(i["open"] for i in incidents_of(warning)):
            raise ServiceError(_("An incident this warning opened is still open."), status=409)
        text = _text(text, "text", _("What happened"), 5000, required=False) or \
            f"{warning.headline}\n{warning.description}"
        point = warning.points.order_by("pk").first()
        case = opener(actor, module="warnings", key=warning.pk,
                      label=f"{_('Warning')} · {warning.get_level_display()} · {warning.headline}"[:200],
                      url=reverse("warnings:warning", args=[warning.pk]), type="natural",
                      grade=grade or INCIDENT_GRADE[warning.level], text=text,
                      occurred_at=min(warning.issued_at or now, now), lat=point.lat if point else None,
                      lng=point.lng if point else None, region_code=(point.region.code if point else warning.area.code),
                      now=now, synthetic=synthetic)
        log(warning, WarningEvent.INCIDENT, actor, now, case.tracking_code)
    return case
