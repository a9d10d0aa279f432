"""Every change to a case. One function per state change: it checks the actor's
permission and the case's status, writes the timeline event, updates the denormalised
fields and recomputes deadlines, in one transaction. Nothing else writes a case.
"""

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anju.cases import access, deadlines, modules
from anju.cases.choices import (
    IN_OFFICE_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    Action,
    Channel,
    ClockUnit,
    ExtensionStatus,
    NoticeKind,
    Priority,
    Status,
    SupervisionLevel,
)
from anju.cases.messages import notify_office, notify_reporter
from anju.cases.models import (
    Attachment,
    Case,
    CaseEvent,
    Category,
    ExtensionRequest,
    IdempotencyKey,
    PersonalDataAccess,
    Reporter,
    RoutingRule,
    SupervisionNotice,
)
from anju.geo import gridindex
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib import tracking, workdays
from anju.lib.errors import ServiceError
from anju.lib.workdays import Deadline
from anju.people.choices import OfficeKind
from anju.people.models import Office

# The core's name for the one service error (``anju.lib.errors``); modules raise it too.
CaseError = ServiceError


def _forbidden() -> CaseError:
    return CaseError(_("You may not do this with this case."), status=403)


# ---------------------------------------------------------------------------- checks
#
# A core action is its check (``check_case_action``) and its write (``do_*``). The core's public
# functions (``accept_case``, ``resolve_case`` ...) do both; a domain module checks its own rules
# (with ``check_right`` and ``check_status`` where they apply), then calls the ``do_*`` write, in
# one transaction. That is the one way a module acts on its case (``docs/adding-a-module.md``).


def check_right(actor, action: str, case: Case) -> None:
    """Refused (403) unless ``actor``'s roles allow ``action`` on ``case``."""
    if not access.can(actor, action, case):
        raise _forbidden()


def check_status(action: str, case: Case) -> None:
    """Refused (409) unless the lifecycle table lets ``action`` start from the case's status."""
    sources, _target = TRANSITIONS[action]
    if case.status not in sources:
        raise CaseError(
            _("A case that is %(status)s cannot be %(action)s.")
            % {"status": Status(case.status).label, "action": Action(action).label}
        )


def check_case_action(actor, action: str, case: Case) -> None:
    """Everything the core checks before its own lifecycle action: the actor's right, that the
    case's module does not take the action itself (``CaseKind.module_actions``), the status, and
    the module's veto (``CaseKind.check_action``)."""
    check_right(actor, action, case)
    refusal = modules.module_refusal(case, action)
    if refusal:
        raise CaseError(refusal)
    check_status(action, case)
    modules.check_module_veto(case, actor, action)


def check_text(value: str, field_name: str, label: str, max_length: int = 2000, required: bool = True) -> str:
    """``value`` stripped; refused (422, naming the field) when required and empty, or too long."""
    value = (value or "").strip()
    if required and not value:
        raise CaseError(_("%(field)s is required.") % {"field": label}, status=422, field=field_name)
    if len(value) > max_length:
        raise CaseError(_("%(field)s must be at most %(n)s characters.") % {"field": label, "n": max_length},
                        status=422, field=field_name)
    return value


def check_choice(value: str, choices, field_name: str) -> str:
    """``value`` if it is one of ``choices`` (a TextChoices class); refused with 422 otherwise."""
    if value not in choices.values:
        raise CaseError(_("%(value)s is not one of the allowed values.") % {"value": value or "''"}, status=422,
                        field=field_name)
    return value


def _require_text(value: str, field_name: str, label: str, max_length: int = 2000) -> str:
    value = (value or "").strip()
    if not value:
        raise CaseError(_("%(field)s is required.") % {"field": label}, status=422, field=field_name)
    if len(value) > max_length:
        raise CaseError(
            _("%(field)s must be at most %(n)s characters.") % {"field": label, "n": max_length},
            status=422, field=field_name,
        )
    return value


def _record(case: Case, actor, action: str, from_status: str, *, note: str = "", data=None,
            public: bool = False, now: datetime | None = None) -> CaseEvent:
    from anju.webhooks.services import queue_case_event  # imported here: anju.webhooks imports anju.cases

    event = CaseEvent.objects.create(
        case=case, actor=actor if actor and actor.is_authenticated else None, action=action,
        from_status=from_status, to_status=case.status, note_whole=note, data=data or {}, public=public,
        at=now or timezone.now(),
    )
    # Deliveries to the endpoints that want this event, in this transaction; sent after commit.
    queue_case_event(event)
    return event


def declared_public(action: str, default: bool) -> bool:
    """Whether the reporter sees an event of ``action``: as its module declared it
    (``EventCode.public``), else ``default`` (the core's own events)."""
    declared = modules.event_code(action)
    return declared.public if declared is not None else default


def do_record_event(case: Case, actor, action: str, *, note: str = "", data=None, public: bool | None = None,
                    now: datetime | None = None) -> CaseEvent:
    """Write an event of a domain module (a mediation session, an agreement) on the case's
    timeline, within the caller's transaction; the case's status does not change. ``public``
    defaults to what the module declared for the event code."""
    if not modules.is_event(action):
        raise ValueError(f"unknown event code {action!r}: declare it in the module's registration")
    if public is None:
        public = declared_public(action, False)
    return _record(case, actor, action, case.status, note=note, data=data, public=public, now=now)


def _set_running_deadline(case: Case, due: datetime | None, now: datetime) -> None:
    """Make ``due`` the deadline running now and plan the sweep's next look at the case."""
    if case.due_at is not None and now > case.due_at:
        # The deadline being replaced was already missed.
        case.missed_deadline = True
    case.due_at = due
    case.sweep_stage = 0
    if due is None:
        case.sweep_at = None
    else:
        warn = timedelta(hours=case.deadline_rule.get("warn_before_hours", 24))
        case.sweep_at = due - warn


_DEADLINE_FIELDS = ["due_at", "sweep_at", "sweep_stage", "missed_deadline", "updated_at"]
# The stored deadlines of a case, each counted by a basis kept in ``Case.deadline_basis``.
_STAGE_FIELDS = ("accept_due_at", "handle_due_at", "reply_due_at")


def _store_deadline(case: Case, field_name: str, deadline: Deadline | datetime | None) -> list[str]:
    """Set the deadline in ``field_name`` with how it was counted, and whether the case's
    deadlines are estimates; the fields to save."""
    basis = dict(case.deadline_basis or {})
    if deadline is None:
        setattr(case, field_name, None)
        basis.pop(field_name, None)
    else:
        if not isinstance(deadline, Deadline):
            deadline = workdays.known(deadline)
        setattr(case, field_name, deadline.at)
        basis[field_name] = {**(deadline.basis or workdays.known(deadline.at).basis), "estimated": deadline.estimated}
    case.deadline_basis = basis
    case.deadline_estimated = any(entry.get("estimated") for entry in basis.values())
    return [field_name, "deadline_basis", "deadline_estimated"]


def deadline_of(case: Case, field_name: str) -> Deadline:
    """The stored deadline in ``field_name`` with its basis, to count on from it."""
    entry = (case.deadline_basis or {}).get(field_name)
    at = getattr(case, field_name)
    if not entry:
        return workdays.known(at)
    return Deadline(at, bool(entry.get("estimated")), {"from": entry["from"], "steps": entry.get("steps", [])})


# ---------------------------------------------------------------------------- intake


@dataclass
class NewCase:
    """What intake needs to register a case. ``region_code`` or ``lat``/``lng`` (or both)
    say where; a point inside a grid finds the grid."""

    kind: str
    category_code: str
    text: str
    channel: str = Channel.HOTLINE
    priority: str = Priority.NORMAL
    lat: float | None = None
    lng: float | None = None
    address: str = ""
    region_code: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    confidential: bool = False
    about_office_code: str = ""
    # Reports wrongdoing of the office it is about: confidential, and never passed to that office.
    reports_wrongdoing: bool = False
    # Kept from ``about_office`` although it reports no wrongdoing (a review of such a case).
    kept_from_office_about: bool = False
    # The time limits a domain module's law sets (a petition's), in place of the deadline policy's;
    # the shape of ``deadlines.rule_from_policy``.
    deadline_rule: dict | None = None
    extra: dict = field(default_factory=dict)

    def fingerprint(self) -> str:
        payload = json.dumps(self.__dict__, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()


def _locate(data: NewCase) -> tuple[Region, Region | None]:
    if (data.lat is None) != (data.lng is None):
        raise CaseError(_("Give both latitude and longitude, or neither."), status=422, field="lat")
    region = None
    if data.region_code:
        region = Region.objects.filter(code=data.region_code).first()
        if region is None:
            raise CaseError(_("Unknown region code."), status=422, field="region_code")
    grid = None
    if data.lat is not None:
        if not (-90 <= data.lat <= 90 and -180 <= data.lng <= 180) or math.isnan(data.lat + data.lng):
            raise CaseError(_("The point is not a valid WGS84 position."), status=422, field="lat")
        grid_id = gridindex.find_grid_id(data.lat, data.lng)
        grid = Region.objects.filter(pk=grid_id).first() if grid_id else None
        if grid is not None and region is not None and not grid.path.startswith(region.path):
            raise CaseError(_("The point lies outside the given region."), status=422, field="region_code")
    if data.lat is None and region is None:
        raise CaseError(_("Give the place: a point (lat, lng), a region code, or both."), status=422, field="lat")
    if grid is None and region is not None and region.level == Level.GRID:
        # Placed by the grid's own code (a grid worker's screening report): the grid is known.
        grid = region
    if grid is None and region is None:
        raise CaseError(
            _("The point lies in no grid; give a region code as well."), status=422, field="lat",
        )
    return (grid or region), grid


def centre_office_for(region: Region) -> Office | None:
    """The service centre (综治中心) nearest above ``region``: it owns cases until dispatch."""
    codes = [c for c in region.path.split("/") if c]
    centres = Office.objects.filter(kind=OfficeKind.CENTRE, is_active=True, jurisdiction__code__in=codes)
    return max(centres, key=lambda o: len(o.jurisdiction.path), default=None) if centres else None


def _validate_new_case(data: NewCase) -> Category:
    if not modules.is_kind(data.kind):
        raise CaseError(_("Unknown kind."), status=422, field="kind")
    if data.channel not in Channel.values:
        raise CaseError(_("Unknown channel."), status=422, field="channel")
    if data.priority not in Priority.values:
        raise CaseError(_("Unknown priority."), status=422, field="priority")
    category = Category.objects.filter(code=data.category_code, is_active=True).first()
    if category is None:
        raise CaseError(_("Unknown or inactive category."), status=422, field="category")
    data.text = _require_text(data.text, "text", _("Text"), max_length=5000)
    if len(data.address) > 200:
        raise CaseError(_("Address must be at most 200 characters."), status=422, field="address")
    phone = data.reporter_phone.strip()
    if phone and (len(phone) > 20 or not all(c.isdigit() or c in "+- " for c in phone)):
        raise CaseError(_("Phone may hold only digits, spaces, + and -."), status=422, field="reporter_phone")
    if len(data.reporter_name) > 50:
        raise CaseError(_("Name must be at most 50 characters."), status=422, field="reporter_name")
    email = data.reporter_email.strip()
    if email and ("@" not in email or len(email) > 254 or " " in email):
        raise CaseError(_("Not a valid e-mail address."), status=422, field="reporter_email")
    return category


def create_case(actor, data: NewCase, *, idempotency_key: str = "", now: datetime | None = None,
                synthetic: bool = False) -> tuple[Case, bool]:
    """Register a new case (submitted, 待受理) and start its clock to accept.

    Returns ``(case, created)``. With an ``idempotency_key``, a retry of the same request by
    the same user returns the case the first one created (``created`` False); the same key
    with a different request is refused. A kind its module registers itself
    (``CaseKind.registered_by_module``) is refused: its module calls ``do_create_case``.
    """
    return _create_idempotently(actor, data, idempotency_key=idempotency_key, now=now, synthetic=synthetic,
                                by_module=False)


def do_create_case(actor, data: NewCase, *, idempotency_key: str = "", now: datetime | None = None,
                   synthetic: bool = False) -> tuple[Case, bool]:
    """``create_case`` for a domain module's service, which may register the kinds its module
    registers itself. With an ``actor``, the actor's right to register a case in the place is
    checked; without one (a petitioner on the public pages, a review asked for online) the
    module has checked what its law requires. ``synthetic`` marks demo data."""
    return _create_idempotently(actor, data, idempotency_key=idempotency_key, now=now, synthetic=synthetic,
                                by_module=True)


def _create_idempotently(actor, data: NewCase, *, idempotency_key: str, now: datetime | None, synthetic: bool,
                         by_module: bool) -> tuple[Case, bool]:
    if idempotency_key:
        previous = _idempotent_case(actor, idempotency_key, data)
        if previous is not None:
            return previous, False
    try:
        with transaction.atomic():
            case = _create_case(actor, data, now=now or timezone.now(), synthetic=synthetic,
                                by_resident=by_module and actor is None, by_module=by_module)
            if idempotency_key:
                IdempotencyKey.objects.create(
                    user=actor, key=idempotency_key, request_hash=data.fingerprint(), case=case
                )
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer with its case.
        previous = _idempotent_case(actor, idempotency_key, data) if idempotency_key else None
        if previous is None:
            raise
        return previous, False
    return case, True


def _idempotent_case(actor, key: str, data: NewCase) -> Case | None:
    if len(key) > 100:
        raise CaseError(_("Idempotency-Key must be at most 100 characters."), status=422, field="Idempotency-Key")
    previous = IdempotencyKey.objects.filter(user=actor, key=key).select_related("case").first()
    if previous is None:
        return None
    if previous.request_hash != data.fingerprint():
        raise CaseError(
            _("This Idempotency-Key was used for a different request."), status=422, field="Idempotency-Key"
        )
    return previous.case


def _create_case(actor, data: NewCase, *, now: datetime, synthetic: bool, by_resident: bool = False,
                 by_module: bool = False) -> Case:
    category = _validate_new_case(data)
    kind = modules.case_kind(data.kind)
    if kind is not None and kind.registered_by_module and not by_module:
        raise CaseError(str(kind.register_refusal), status=422, field="kind")
    region, grid = _locate(data)
    # A resident's own report (``create_case_by_resident``) has no user and needs no right.
    if not by_resident and not access.can_create_in(actor, region):
        raise _forbidden()
    about_office = None
    if data.about_office_code:
        about_office = Office.objects.filter(code=data.about_office_code).first()
        if about_office is None:
            raise CaseError(_("Unknown office."), status=422, field="about_office")
    if data.reports_wrongdoing:
        if about_office is None:
            raise CaseError(_("Name the body a report of wrongdoing is about, so that it is kept from that body."),
                            status=422, field="about_office")
        # Confidential by rule, not by choice.
        data.confidential = True
    reporter = None
    if data.reporter_name.strip() or data.reporter_phone.strip() or data.reporter_email.strip():
        reporter = Reporter.objects.create(
            name=data.reporter_name.strip(), phone=data.reporter_phone.strip(), email=data.reporter_email.strip()
        )
    rule = data.deadline_rule or deadlines.rule_from_policy(deadlines.policy_for(data.kind, category, data.priority))
    case = Case(
        tracking_code=_unused_tracking_code(), kind=data.kind, category=category, text_whole=data.text,
        channel=data.channel, priority=data.priority, lat=data.lat, lng=data.lng, address=data.address.strip(),
        region=region, grid=grid, area_path=region.path, reporter=reporter, confidential=data.confidential,
        about_office=about_office, reports_wrongdoing=data.reports_wrongdoing,
        kept_from_office_about=data.reports_wrongdoing or data.kept_from_office_about, office=centre_office_for(region),
        submitted_at=now,
        deadline_rule=rule,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        is_synthetic=synthetic,
    )
    deadline = deadlines.compute(case, "accept", now)
    _store_deadline(case, "accept_due_at", deadline)
    _set_running_deadline(case, deadline.at, now)
    case.save()
    _record(case, actor, Action.SUBMIT, "", now=now, public=True,
            data={"channel": data.channel, "deadline_estimated": deadline.estimated})
    return case


def _unused_tracking_code() -> str:
    for _attempt in range(10):
        code = tracking.new_code()
        if not Case.objects.filter(tracking_code=code).exists():
            return code
    raise RuntimeError("could not find an unused tracking code")


# ---------------------------------------------------------------------------- routing


def route(case: Case) -> tuple[Office, str] | None:
    """The office the routing rules send ``case`` to, and on what basis (属地/行业):
    the rule with the deepest category wins, then the deepest region."""
    category_codes = [c for c in case.category.path.split("/") if c]
    region_codes = [c for c in case.area_path.split("/") if c]
    rules = RoutingRule.objects.filter(region__code__in=region_codes, office__is_active=True).select_related(
        "category", "region", "office"
    )
    best, best_key = None, None
    for rule in rules:
        if rule.category_id is not None and rule.category.code not in category_codes:
            continue
        key = (rule.category.depth if rule.category else -1, rule.region.depth)
        if best_key is None or key > best_key:
            best, best_key = rule, key
    return (best.office, best.basis) if best else None


# ---------------------------------------------------------------------------- lifecycle


@transaction.atomic
def accept_case(actor, case: Case, *, note: str = "", now: datetime | None = None) -> Case:
    """Accept a submitted case (受理); the clock to handle starts."""
    now = now or timezone.now()
    case = lock_case(case)
    check_case_action(actor, Action.ACCEPT, case)
    before = case.status
    case.status = Status.ACCEPTED
    case.accepted_at = now
    deadline = deadlines.compute(case, "handle", now)
    fields = _store_deadline(case, "handle_due_at", deadline)
    _set_running_deadline(case, deadline.at, now)
    case.save(update_fields=["status", "accepted_at", *fields, *_DEADLINE_FIELDS])
    _record(case, actor, Action.ACCEPT, before, note=note, public=True, now=now)
    # Reporter messages are in the default language, whatever language the member of staff uses.
    with translation.override(settings.LANGUAGE_CODE):
        accepted = _("Your concern %(code)s was accepted; rating code %(rating)s (needed to rate the answer or say "
                     "it is not solved; keep it to yourself).") % {
            "code": case.tracking_code, "rating": tracking.rating_code(case.tracking_code)}
    notify_reporter(case, Action.ACCEPT, accepted)
    return case


@transaction.atomic
def reject_case(actor, case: Case, *, reply: str, now: datetime | None = None) -> Case:
    """Decline to accept (不予受理); the reporter gets the reason as the reply."""
    now = now or timezone.now()
    case = lock_case(case)
    check_case_action(actor, Action.REJECT, case)
    return _reject(case, actor, reply, now)


def _reject(case: Case, actor, reply: str, now: datetime, *, action: str = Action.REJECT,
            data: dict | None = None) -> Case:
    reply = _require_text(reply, "reply", _("Reply"))
    before = case.status
    case.status = Status.CLOSED
    case.reply_whole = reply
    case.closed_at = now
    _set_running_deadline(case, None, now)
    case.save(update_fields=["status", "reply", "closed_at", *_DEADLINE_FIELDS])
    _record(case, actor, action, before, note=reply, public=True, now=now, data=data)
    notify_reporter(case, action, reply)
    return case


def check_may_receive(case: Case, office: Office, field: str = "office") -> None:
    """A report of wrongdoing is never passed to the office it is about (信访工作条例 第三十条):
    refused for every hand-over, whoever asks."""
    if case.kept_from_office_about and office.pk == case.about_office_id:
        raise CaseError(_("A report of wrongdoing is never passed to the body it is about (信访工作条例 第三十条)."),
                        status=422, field=field)


def _office_for_dispatch(case: Case, office_code: str | None) -> tuple[Office, str]:
    if office_code:
        office = Office.objects.filter(code=office_code, is_active=True).first()
        if office is None:
            raise CaseError(_("Unknown or inactive office."), status=422, field="office")
        check_may_receive(case, office)
        routed = route(case)
        basis = routed[1] if routed and routed[0] == office else ""
        return office, basis
    routed = route(case)
    if routed is None:
        raise CaseError(_("No routing rule covers this case; choose an office."), status=422, field="office")
    check_may_receive(case, routed[0])
    return routed


@transaction.atomic
def dispatch_case(actor, case: Case, *, office_code: str | None = None, note: str = "",
                  now: datetime | None = None) -> Case:
    """Send an accepted case to the office that will handle it (派单): the dispatcher's
    choice, or the routing rules when none is given."""
    now = now or timezone.now()
    case = lock_case(case)
    check_case_action(actor, Action.DISPATCH, case)
    office, basis = _office_for_dispatch(case, office_code)
    before = case.status
    case.status = Status.DISPATCHED
    case.office = office
    case.routing_basis = basis
    case.returned_reason_whole = ""
    case.save(update_fields=["status", "office", "routing_basis", "returned_reason", "updated_at"])
    _record(case, actor, Action.DISPATCH, before, note=note, now=now,
            data={"office": office.code, "basis": basis})
    notify_office(case, office, Action.DISPATCH)
    return case


@transaction.atomic
def return_case(actor, case: Case, *, reason: str, now: datetime | None = None) -> Case:
    """The office sends a wrong dispatch back to the service centre (退单), with a reason."""
    now = now or timezone.now()
    case = lock_case(case)
    check_case_action(actor, Action.RETURN, case)
    reason = _require_text(reason, "reason", _("Reason"), max_length=500)
    before, office = case.status, case.office
    case.status = Status.ACCEPTED
    case.office = centre_office_for(case.region)
    case.returned_reason_whole = reason[:500]
    case.save(update_fields=["status", "office", "returned_reason", "updated_at"])
    _record(case, actor, Action.RETURN, before, note=reason, now=now,
            data={"office": office.code if office else None})
    return case


@transaction.atomic
def transfer_case(actor, case: Case, *, office_code: str, note: str = "", now: datetime | None = None) -> Case:
    """Move a case to another office (转办); its deadline keeps running."""
    now = now or timezone.now()
    case = lock_case(case)
    check_case_action(actor, Action.TRANSFER, case)
    if not office_code:
        raise CaseError(_("Choose the office to transfer to."), status=422, field="office")
    office, basis = _office_for_dispatch(case, office_code)
    if office.pk == case.office_id:
        raise CaseError(_("The case is already with this office."), status=422, field="office")
    before, previous = case.status, case.office
    case.status = Status.DISPATCHED
    case.office = office
    case.routing_basis = basis
    case.save(update_fields=["status", "office", "routing_basis", "updated_at"])
    _record(case, actor, Action.TRANSFER, before, note=note, now=now,
            data={"from_office": previous.code if previous else None, "office": office.code})
    notify_office(case, office, Action.TRANSFER)
    return case


@transaction.atomic
def do_hand_over_case(actor, case: Case, *, office: Office, action: str, note: str = "", data: dict | None = None,
                      now: datetime | None = None) -> Case:
    """Move an open case to ``office`` on behalf of a domain module whose service has checked
    the actor's right (a dispute passed between mediation organisations, 三调联动): the case
    waits there to be taken up (dispatched) and its deadline keeps running. ``action`` is the
    domain's own timeline event."""
    now = now or timezone.now()
    case = lock_case(case)
    check_status(Action.TRANSFER, case)
    check_may_receive(case, office)
    before, previous = case.status, case.office
    case.status = Status.DISPATCHED
    case.office = office
    case.routing_basis = ""
    case.save(update_fields=["status", "office", "routing_basis", "updated_at"])
    _record(case, actor, action, before, note=note, now=now, public=declared_public(action, False),
            data={"from_office": previous.code if previous else None, "office": office.code, **(data or {})})
    notify_office(case, office, Action.TRANSFER)
    return case


@transaction.atomic
def do_route_for_acceptance(actor, case: Case, *, office: Office, action: str, accept_due_at: Deadline | datetime,
                            note: str = "",
                            data: dict | None = None, public: bool | None = None, now: datetime | None = None
                            ) -> Case:
    """Send a submitted case to the office that decides whether to accept it, on behalf of a
    domain module whose service has checked the actor's right (a petition routed by the petition
    office, 转送/交办, or sent back to it after an objection). The case stays submitted; its time
    to accept is the one the module's law sets (``accept_due_at``)."""
    now = now or timezone.now()
    case = lock_case(case)
    if case.status != Status.SUBMITTED:
        raise CaseError(_("Only a case waiting to be accepted can be routed."))
    check_may_receive(case, office)
    previous = case.office
    case.office = office
    case.routing_basis = ""
    fields = _store_deadline(case, "accept_due_at", accept_due_at)
    _set_running_deadline(case, case.accept_due_at, now)
    case.save(update_fields=["office", "routing_basis", *fields, *_DEADLINE_FIELDS])
    _record(case, actor, action, case.status, note=note, now=now,
            public=declared_public(action, False) if public is None else public,
            data={"from_office": previous.code if previous else None, "office": office.code, **(data or {})})
    notify_office(case, office, Action.DISPATCH)
    return case


@transaction.atomic
def do_accept_into_handling(actor, case: Case, *, action: str, handle_due_at: Deadline | datetime, note: str = "",
                            data: dict | None = None, now: datetime | None = None) -> Case:
    """Accept a submitted case straight into handling by the office that holds it, on behalf of
    a domain module whose service has checked the actor's right (a petition accepted by the
    competent body, 受理). The clock to handle starts, ending at the module's ``handle_due_at``."""
    now = now or timezone.now()
    case = lock_case(case)
    check_status(Action.ACCEPT, case)
    before = case.status
    case.status = Status.IN_PROGRESS
    case.accepted_at = now
    fields = _store_deadline(case, "handle_due_at", handle_due_at)
    _set_running_deadline(case, case.handle_due_at, now)
    case.save(update_fields=["status", "accepted_at", *fields, *_DEADLINE_FIELDS])
    _record(case, actor, action, before, note=note, public=declared_public(action, True), now=now, data=data)
    return case


@transaction.atomic
def do_reject_case(actor, case: Case, *, reply: str, action: str = Action.REJECT, data: dict | None = None,
                   now: datetime | None = None) -> Case:
    """Decline to accept a submitted case (不予受理) on behalf of a domain module whose service
    has checked the actor's right (the competent body, or the petition office for a matter
    already concluded); the reporter gets ``reply``."""
    now = now or timezone.now()
    case = lock_case(case)
    check_status(Action.REJECT, case)
    return _reject(case, actor, reply, now, action=action, data=data)


def do_set_deadline(case: Case, *, stage: str, due: Deadline | datetime, now: datetime) -> Case:
    """Replace the deadline of ``stage`` ("accept" or "handle") with one a domain module's law
    sets (a review answers 30 days after it was asked; hearing days do not count); when that
    stage's clock is running, it becomes the running deadline. Runs in the caller's transaction
    with the case locked; the caller writes the timeline event that says why."""
    field_name = {"accept": "accept_due_at", "handle": "handle_due_at"}[stage]
    running = (stage == "accept" and case.status == Status.SUBMITTED) or (
        stage == "handle" and case.status in (Status.ACCEPTED, *IN_OFFICE_STATUSES) and case.paused_at is None)
    fields = [*_store_deadline(case, field_name, due), "updated_at"]
    if running:
        _set_running_deadline(case, getattr(case, field_name), now)
        fields += _DEADLINE_FIELDS
    case.save(update_fields=list(dict.fromkeys(fields)))
    return case


@transaction.atomic
def start_case(actor, case: Case, *, note: str = "", now: datetime | None = None) -> Case:
    """The office starts handling a dispatched case (签收/办理)."""
    now = now or timezone.now()
    case = lock_case(case)
    check_case_action(actor, Action.START, case)
    before = case.status
    case.status = Status.IN_PROGRESS
    case.save(update_fields=["status", "updated_at"])
    _record(case, actor, Action.START, before, note=note, public=True, now=now)
    return case


@transaction.atomic
def wait_for_reporter(actor, case: Case, *, question: str, now: datetime | None = None) -> Case:
    """Ask the reporter for information; the clock pauses until the case resumes."""
    now = now or timezone.now()
    case = lock_case(case)
    check_case_action(actor, Action.WAIT, case)
    question = _require_text(question, "question", _("Question"))
    before = case.status
    case.status = Status.WAITING
    case.paused_at = now
    _set_running_deadline(case, None, now)
    case.save(update_fields=["status", "paused_at", *_DEADLINE_FIELDS])
    _record(case, actor, Action.WAIT, before, note=question, public=True, now=now)
    notify_reporter(case, Action.WAIT, question)
    return case


@transaction.atomic
def resume_case(actor, case: Case, *, note: str = "", now: datetime | None = None) -> Case:
    """Resume after the reporter answered (or did not); the deadline moves on by the time
    the clock stood still."""
    now = now or timezone.now()
    case = lock_case(case)
    check_case_action(actor, Action.RESUME, case)
    before = case.status
    unit = case.deadline_rule.get("handle", deadlines.FALLBACK_RULE["handle"])[1]
    shifted = deadlines.calendar_for(case.paused_at).shift(deadline_of(case, "handle_due_at"), case.paused_at, now,
                                                           unit)
    paused_for = now - case.paused_at
    case.status = Status.IN_PROGRESS
    fields = _store_deadline(case, "handle_due_at", shifted)
    case.paused_at = None
    _set_running_deadline(case, shifted.at, now)
    case.save(update_fields=["status", *fields, "paused_at", *_DEADLINE_FIELDS])
    _record(case, actor, Action.RESUME, before, note=note, public=True, now=now,
            data={"paused_seconds": int(paused_for.total_seconds()), "handle_due_at": shifted.at.isoformat()})
    return case


@transaction.atomic
def resolve_case(actor, case: Case, *, reply: str, now: datetime | None = None) -> Case:
    """Finish handling with a reply to the reporter (办结); the follow-up clock starts. A case
    of a kind whose module ends the handling is resolved only by that module's service
    (``do_resolve_case``), so that its record says how it ended."""
    case = lock_case(case)
    check_case_action(actor, Action.RESOLVE, case)
    return do_resolve_case(actor, case, reply=reply, now=now)


@transaction.atomic
def do_resolve_case(actor, case: Case, *, reply: str, now: datetime | None = None) -> Case:
    """The write of ``resolve_case``, for a module's service that has checked its own rules."""
    now = now or timezone.now()
    case = lock_case(case)
    check_status(Action.RESOLVE, case)
    reply = _require_text(reply, "reply", _("Reply"))
    before = case.status
    case.status = Status.RESOLVED
    case.reply_whole = reply
    case.resolved_at = now
    deadline = deadlines.compute(case, "reply", now)
    fields = _store_deadline(case, "reply_due_at", deadline)
    _set_running_deadline(case, deadline.at, now)
    case.save(update_fields=["status", "reply", "resolved_at", *fields, *_DEADLINE_FIELDS])
    _record(case, actor, Action.RESOLVE, before, note=reply, public=True, now=now)
    # The reporter rates the answer with the rating code; a walk-in or hotline reporter may
    # never have been given it, so the answer carries it again.
    with translation.override(settings.LANGUAGE_CODE):
        rating = _("Rating code %(rating)s (needed to rate this answer or say it is not solved; keep it to "
                   "yourself).") % {"rating": tracking.rating_code(case.tracking_code)}
    # The code first: a text message cut for length must still carry it.
    notify_reporter(case, Action.RESOLVE, f"{rating}\n\n{reply}")
    return case


@transaction.atomic
def follow_up_case(actor, case: Case, *, satisfaction: int, note: str = "", now: datetime | None = None) -> Case:
    """Record the follow-up with the reporter (回访) and their rating, and close the case."""
    now = now or timezone.now()
    case = lock_case(case)
    check_case_action(actor, Action.FOLLOW_UP, case)
    return _close_with_rating(case, actor, satisfaction, note, now)


def _close_with_rating(case: Case, actor, satisfaction, note: str, now: datetime) -> Case:
    """Close a resolved case with the reporter's rating: staff's follow-up (``actor`` set) or the
    reporter's own rating through the tracking code (``actor`` None, a public event)."""
    if not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5:
        raise CaseError(_("Satisfaction must be a whole number from 1 to 5."), status=422, field="satisfaction")
    before = case.status
    case.status = Status.CLOSED
    case.satisfaction = satisfaction
    case.closed_at = now
    _set_running_deadline(case, None, now)
    case.save(update_fields=["status", "satisfaction", "closed_at", *_DEADLINE_FIELDS])
    data = {"satisfaction": satisfaction}
    if actor is None:
        data["by_reporter"] = True
    _record(case, actor, Action.FOLLOW_UP, before, note=note, public=actor is None, now=now, data=data)
    return case


@transaction.atomic
def reopen_case(actor, case: Case, *, reason: str, by_reporter: bool = False, now: datetime | None = None) -> Case:
    """Reopen a resolved or closed case because the reporter is not satisfied; it goes back
    to the office with a fresh time to handle and no longer counts as resolved first time.
    ``by_reporter`` is the resident's own "not solved" through the tracking code."""
    now = now or timezone.now()
    case = lock_case(case)
    if not by_reporter:
        check_case_action(actor, Action.REOPEN, case)
    else:
        # Not for a kind whose law has its own way to disagree (a petitioner asks for a review).
        refusal = modules.module_refusal(case, Action.REOPEN)
        if refusal:
            raise CaseError(refusal)
        if case.status not in TRANSITIONS[Action.REOPEN][0]:
            raise CaseError(_("This case cannot be reopened now."))
    return _reopen(case, None if by_reporter else actor, reason, now, {"by_reporter": by_reporter})


@transaction.atomic
def do_reopen_case(actor, case: Case, *, reason: str, data: dict | None = None,
                   now: datetime | None = None) -> Case:
    """Reopen a resolved or closed case because a follow-up visit found its outcome not holding
    (a dispute's mediation agreement not performed). The domain module's service has checked
    that ``actor`` may record that visit; the case goes back to its office to be handled again."""
    now = now or timezone.now()
    case = lock_case(case)
    if case.status not in TRANSITIONS[Action.REOPEN][0]:
        raise CaseError(_("This case cannot be reopened now."))
    return _reopen(case, actor, reason, now, {"by_follow_up": True, **(data or {})})


def _reopen(case: Case, actor, reason: str, now: datetime, data: dict) -> Case:
    if case.resolved_at is None:
        # Closed without being handled (rejected): there is nothing to reopen.
        raise CaseError(_("A case closed without being handled cannot be reopened; register a new one."))
    reason = _require_text(reason, "reason", _("Reason"), max_length=1000)
    before = case.status
    case.status = Status.IN_PROGRESS
    case.reopen_count += 1
    case.closed_at = None
    case.satisfaction = None
    deadline = deadlines.compute(case, "handle", now)
    fields = [*_store_deadline(case, "handle_due_at", deadline), *_store_deadline(case, "reply_due_at", None)]
    _set_running_deadline(case, deadline.at, now)
    case.save(update_fields=list(dict.fromkeys(["status", "reopen_count", "closed_at", "satisfaction", *fields,
                                                *_DEADLINE_FIELDS])))
    _record(case, actor, Action.REOPEN, before, note=reason, public=True, now=now, data=data)
    modules.case_reopened(case, actor, now)
    # Back with the office to handle again: for its handlers a new assignment.
    notify_office(case, case.office, Action.REOPEN)
    return case


@transaction.atomic
def merge_case(actor, case: Case, *, into: Case, note: str = "", now: datetime | None = None) -> Case:
    """Merge a duplicate into another open case. Both timelines stay; both reporters are told."""
    now = now or timezone.now()
    case = lock_case(case)
    check_case_action(actor, Action.MERGE, case)
    into = lock_case(into)
    if into.pk == case.pk:
        raise CaseError(_("A case cannot be merged into itself."), status=422, field="into")
    if not into.is_open:
        raise CaseError(_("The target case is no longer open."), status=422, field="into")
    if not access.can(actor, Action.MERGE, into):
        raise CaseError(_("Unknown case."), status=422, field="into")
    refusal = modules.module_refusal(into, Action.MERGE)
    if refusal:
        raise CaseError(refusal, status=422, field="into")
    if into.office_id is not None:
        check_may_receive(case, into.office, field="into")
    before = case.status
    case.status = Status.MERGED
    case.merged_into = into
    case.closed_at = now
    _set_running_deadline(case, None, now)
    case.save(update_fields=["status", "merged_into", "closed_at", *_DEADLINE_FIELDS])
    _record(case, actor, Action.MERGE, before, note=note, public=True, now=now,
            data={"into": into.tracking_code})
    _record(into, actor, Action.ABSORB, into.status, note=note, now=now, data={"duplicate": case.tracking_code})
    # Each reporter hears of their own code only: the other case's code opens it on /track, and
    # it may be a confidential case's. /track shows a merged case the status of the joint one.
    with translation.override(settings.LANGUAGE_CODE):
        merged = _("Your concern %(code)s is about the same matter as another report, so the two are now handled "
                   "together. Keep following it on the tracking page with your tracking code %(code)s.") % {
            "code": case.tracking_code}
        absorbed = _("Another report about the same matter as your concern %(code)s is now handled together "
                     "with it. Nothing changes for you: keep following it with your tracking code %(code)s.") % {
            "code": into.tracking_code}
    notify_reporter(case, Action.MERGE, merged)
    notify_reporter(into, Action.ABSORB, absorbed)
    return case


def lock_case(case: Case, *related: str) -> Case:
    """The case re-read under a row lock (PostgreSQL; SQLite serialises writers anyway), with its
    category, region and office and whatever else ``related`` names. A module locks the case
    this way before its own record, in the order the core locks."""
    return (Case.objects.select_for_update(of=("self",)).select_related("category", "region", "office", *related)
            .get(pk=case.pk))


# ---------------------------------------------------------------------------- the calendar changed


def recount_deadlines(days, now: datetime | None = None) -> int:
    """Count again the stored deadlines of open cases that ``days`` (dates whose working status
    changed: an override entered or removed, a State Council notice recorded) can move or that
    were estimates, each from its basis on the calendar as it is now. A deadline that moves, or
    stops being an estimate, is written with an event on the case's timeline saying from what to
    what. Returns how many cases changed."""
    days = sorted(set(days))
    if not days:
        return 0
    now = now or timezone.now()
    first = workdays.start_of_day(days[0])
    reach = Q()
    for field_name in _STAGE_FIELDS:
        reach |= Q(**{f"{field_name}__gte": first})
    candidates = (Case.objects.filter(status__in=OPEN_STATUSES).filter(reach | Q(deadline_estimated=True))
                  .exclude(deadline_basis={}).values_list("pk", flat=True))
    calendar = deadlines.calendar_for(now)
    changed = 0
    for pk in candidates.iterator():
        with transaction.atomic():
            case = Case.objects.select_for_update(of=("self",)).get(pk=pk)
            if _recount(case, calendar, now):
                changed += 1
    return changed


def _recount(case: Case, calendar, now: datetime) -> bool:
    moves, fields = {}, []
    running = case.due_at
    for field_name in _STAGE_FIELDS:
        entry = (case.deadline_basis or {}).get(field_name)
        if not entry or getattr(case, field_name) is None:
            continue
        counted = calendar.count(entry)
        before = getattr(case, field_name)
        if counted.at == before and counted.estimated == bool(entry.get("estimated")):
            continue
        moves[field_name] = {"from": before.isoformat(), "to": counted.at.isoformat(), "estimated": counted.estimated}
        fields += _store_deadline(case, field_name, counted)
        if running is not None and before == running and case.paused_at is None:
            _set_running_deadline(case, counted.at, now)
            fields += _DEADLINE_FIELDS
    if not moves:
        return False
    case.save(update_fields=list(dict.fromkeys([*fields, "updated_at"])))
    _record(case, None, Action.RECOUNT, case.status, now=now, data={"deadlines": moves})
    return True


# ---------------------------------------------------------------------------- extensions


def _validate_amount(amount, unit) -> None:
    if unit not in ClockUnit.values:
        raise CaseError(_("Unknown unit."), status=422, field="unit")
    limit = {ClockUnit.HOURS: 24 * 90, ClockUnit.CALENDAR_DAYS: 90, ClockUnit.WORKING_DAYS: 60}[unit]
    if not isinstance(amount, int) or not 1 <= amount <= limit:
        raise CaseError(_("Amount must be a whole number from 1 to %(n)s.") % {"n": limit}, status=422,
                        field="amount")


@transaction.atomic
def request_extension(actor, case: Case, *, amount: int, unit: str, reason: str, now: datetime | None = None
                      ) -> ExtensionRequest:
    """The office asks for more time to handle (申请延期); a supervisor decides. A kind whose
    module holds extensions to its law asks through the module (``do_request_extension``)."""
    case = lock_case(case)
    check_case_action(actor, Action.REQUEST_EXTENSION, case)
    return do_request_extension(actor, case, amount=amount, unit=unit, reason=reason, now=now)


@transaction.atomic
def do_request_extension(actor, case: Case, *, amount: int, unit: str, reason: str, now: datetime | None = None
                         ) -> ExtensionRequest:
    """The write of ``request_extension``, for a module's service that has checked its own rules."""
    now = now or timezone.now()
    case = lock_case(case)
    check_status(Action.REQUEST_EXTENSION, case)
    _validate_amount(amount, unit)
    reason = _require_text(reason, "reason", _("Reason"), max_length=500)
    if case.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
        raise CaseError(_("An extension request for this case is already waiting for a decision."))
    request = ExtensionRequest.objects.create(
        case=case, requested_by=actor, requested_at=now, amount=amount, unit=unit, reason_whole=reason
    )
    _record(case, actor, Action.REQUEST_EXTENSION, case.status, note=reason, now=now,
            data={"request": request.pk, "amount": amount, "unit": unit})
    return request


def _pending_request(case: Case, request_id) -> ExtensionRequest:
    request = case.extension_requests.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise CaseError(_("Unknown extension request."), status=404, field="request_id")
    if request.status != ExtensionStatus.PENDING:
        raise CaseError(_("This extension request has already been decided."))
    return request


@transaction.atomic
def approve_extension(actor, case: Case, *, request_id: int, note: str = "", now: datetime | None = None) -> Case:
    """A supervisor approves an extension: the time to handle moves on by the amount asked. A
    kind whose module tells the reporter why approves through it (``do_approve_extension``)."""
    case = lock_case(case)
    check_case_action(actor, Action.APPROVE_EXTENSION, case)
    return do_approve_extension(actor, case, request_id=request_id, note=note, now=now)


@transaction.atomic
def do_approve_extension(actor, case: Case, *, request_id: int, note: str = "", moved_to: Deadline | None = None,
                         now: datetime | None = None) -> Case:
    """The write of ``approve_extension``, for a module's service that has checked its own rules;
    ``moved_to`` is the new deadline when the module's law counts it (a petition's 60 days and the
    extension as one period from acceptance)."""
    now = now or timezone.now()
    case = lock_case(case)
    check_status(Action.APPROVE_EXTENSION, case)
    request = _pending_request(case, request_id)
    # Counted on from the deadline's own end (its date, for days): a period of calendar days that
    # ends on a day off ends on the next working day.
    moved = moved_to or deadlines.calendar_for(case.handle_due_at).then(deadline_of(case, "handle_due_at"),
                                                                        request.amount, request.unit)
    request.status = ExtensionStatus.APPROVED
    request.decided_by, request.decided_at, request.decision_note_whole = actor, now, note[:500]
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    previous = case.handle_due_at
    fields = [*_store_deadline(case, "handle_due_at", moved), "updated_at"]
    if case.status != Status.WAITING:
        _set_running_deadline(case, moved.at, now)
        fields += _DEADLINE_FIELDS
    case.save(update_fields=list(dict.fromkeys(fields)))
    _record(case, actor, Action.APPROVE_EXTENSION, case.status, note=note, public=True, now=now,
            data={"request": request.pk, "from": previous.isoformat(), "to": moved.at.isoformat()})
    with translation.override(settings.LANGUAGE_CODE):
        moved_words = _("The deadline of %(code)s moved to %(at)s.") % {
            "code": case.tracking_code, "at": timezone.localtime(moved.at).strftime("%Y-%m-%d %H:%M")}
    notify_reporter(case, Action.APPROVE_EXTENSION, moved_words)
    return case


@transaction.atomic
def deny_extension(actor, case: Case, *, request_id: int, note: str, now: datetime | None = None) -> Case:
    """A supervisor denies an extension; the deadline stays."""
    now = now or timezone.now()
    case = lock_case(case)
    check_case_action(actor, Action.DENY_EXTENSION, case)
    note = _require_text(note, "note", _("Note"), max_length=500)
    request = _pending_request(case, request_id)
    request.status = ExtensionStatus.DENIED
    request.decided_by, request.decided_at, request.decision_note_whole = actor, now, note[:500]
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _record(case, actor, Action.DENY_EXTENSION, case.status, note=note, now=now, data={"request": request.pk})
    return case


# ---------------------------------------------------------------------------- supervision


@transaction.atomic
def supervise_case(actor, case: Case, *, level: int, note: str, now: datetime | None = None) -> SupervisionNotice:
    """Issue a supervision notice (督办单) to the owning office at a level."""
    now = now or timezone.now()
    case = lock_case(case)
    check_case_action(actor, Action.SUPERVISE, case)
    if level not in SupervisionLevel.values:
        raise CaseError(_("Level must be 1, 2 or 3."), status=422, field="level")
    note = _require_text(note, "note", _("Note"))
    notice = SupervisionNotice.objects.create(
        case=case, kind=NoticeKind.MANUAL, level=level, due_at=case.due_at, office=case.office,
        region=case.region, issued_by=actor, note_whole=note, created_at=now,
    )
    if level > case.supervision_level:
        case.supervision_level = level
        case.save(update_fields=["supervision_level", "updated_at"])
    _record(case, actor, Action.SUPERVISE, case.status, note=note, now=now,
            data={"notice": notice.pk, "level": level})
    return notice


@transaction.atomic
def withhold_from_office_about(actor, case: Case, *, reason: str, office_code: str = "",
                               now: datetime | None = None) -> Case:
    """Keep a case from the office it is about, as a report of wrongdoing is kept (信访工作条例
    第三十条), because its words alone would tell that office who complained (the only shop on
    the street, the one household on the slope): that office's users no longer see it and it is
    never passed to them. A case that office holds now goes to ``office_code``, another body,
    to be taken up there."""
    now = now or timezone.now()
    case = lock_case(case)
    check_case_action(actor, Action.WITHHOLD, case)
    if case.about_office_id is None:
        raise CaseError(_("The case is about no office; there is nobody to keep it from."), status=422,
                        field="about_office")
    if case.kept_from_office_about:
        raise CaseError(_("The case is already kept from the office it is about."), status=409)
    reason = _require_text(reason, "reason", _("Reason"), max_length=500)
    before, previous = case.status, case.office
    case.kept_from_office_about = True
    case.confidential = True
    fields = ["kept_from_office_about", "confidential", "updated_at"]
    data = {}
    if case.office_id == case.about_office_id:
        if not office_code:
            raise CaseError(_("The office it is about holds the case now: name the body it goes to instead."),
                            status=422, field="office")
        office = Office.objects.filter(code=office_code, is_active=True).first()
        if office is None:
            raise CaseError(_("Unknown or inactive office."), status=422, field="office")
        check_may_receive(case, office)
        case.office = office
        case.routing_basis = ""
        fields += ["office", "routing_basis"]
        if case.status in IN_OFFICE_STATUSES:
            case.status = Status.DISPATCHED
            fields.append("status")
        data = {"from_office": previous.code, "office": office.code}
    case.save(update_fields=fields)
    _record(case, actor, Action.WITHHOLD, before, note=reason, now=now, data=data)
    if data:
        notify_office(case, case.office, Action.TRANSFER)
    return case


# ---------------------------------------------------------------------------- reporter data


def check_reveal(actor, case: Case, *, subject: str = "", reason: str = "", refusal: str,
                 reporter: Reporter | None = None) -> None:
    """The one check before anyone sees a person on a case in full: the reporter (``subject``
    empty), a person a module keeps ("party 12", "petitioner 3") or a printed document naming
    them ("agreement 4"). The one rule decides (``access.can_reveal_person``); every attempt is
    logged, granted or not; refused with 403 and ``refusal``."""
    granted = access.can_reveal_person(actor, case)
    PersonalDataAccess.objects.create(user=actor, case=case, reporter=reporter, subject=subject,
                                      reason=(reason or "")[:200], granted=granted)
    if not granted:
        raise CaseError(refusal, status=403)


def reveal_reporter(actor, case: Case, *, reason: str = "") -> Reporter | None:
    """The reporter's full details for ``actor`` (``check_reveal``)."""
    check_reveal(actor, case, reporter=case.reporter, reason=reason,
                 refusal=_("You may not see who reported this case."))
    return case.reporter


@transaction.atomic
def clear_attachment(actor, case: Case, attachment_id: int, *, now: datetime | None = None) -> Attachment:
    """Mark a file of ``case`` free of personal data, so that users from whom its people are
    hidden may open it (``access.attachment_withheld``). Only staff who may see those people
    can say so, having looked (``check_reveal``, logged); the timeline keeps who did."""
    now = now or timezone.now()
    attachment = case.attachments.filter(pk=attachment_id).first() if 0 < attachment_id < 2**31 else None
    if attachment is None:
        raise CaseError(_("No such file on this case."), status=404, field="attachment")
    check_reveal(actor, case, subject=f"attachment {attachment.pk}",
                 refusal=_("Only staff who may see the people on the case can say a file holds nothing about them."))
    if not attachment.free_of_personal_data:
        attachment.free_of_personal_data = True
        attachment.save(update_fields=["free_of_personal_data"])
        _record(case, actor, Action.CLEAR_ATTACHMENT, case.status, now=now,
                data={"attachment": attachment.pk, "name": attachment.original_name})
    return attachment


# ---------------------------------------------------------------------------- duplicates


def duplicate_candidates(case_or_point, *, category: Category | None = None, limit: int = 10,
                         now: datetime | None = None) -> list[Case]:
    """Open cases in the same category near the same place within the time window
    (``ANJU_DUPLICATE_RADIUS_M`` metres, ``ANJU_DUPLICATE_WINDOW_DAYS`` days), nearest first."""
    if isinstance(case_or_point, Case):
        lat, lng, category, exclude = case_or_point.lat, case_or_point.lng, case_or_point.category, case_or_point.pk
    else:
        (lat, lng), exclude = case_or_point, None
    if lat is None or lng is None or category is None:
        return []
    radius = settings.ANJU_DUPLICATE_RADIUS_M
    dlat = radius / 111_320
    dlng = radius / (111_320 * max(0.01, math.cos(math.radians(lat))))
    since = (now or timezone.now()) - timedelta(days=settings.ANJU_DUPLICATE_WINDOW_DAYS)
    rows = (
        Case.objects.open().exclude(status=Status.RESOLVED)
        .filter(category=category, submitted_at__gte=since, lat__range=(lat - dlat, lat + dlat),
                lng__range=(lng - dlng, lng + dlng))
        .exclude(pk=exclude)
    )
    scored = [(haversine_m(lat, lng, c.lat, c.lng), c) for c in rows[:500]]
    return [c for d, c in sorted(scored, key=lambda x: x[0]) if d <= radius][:limit]


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    r = 6_371_000
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))



# ---------------------------------------------------------------------------- attachments

# Allowed types, recognised by their first bytes rather than by the name a client sends.
_SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
]


def _sniff(head: bytes) -> tuple[str, str] | None:
    for signature, content_type, extension in _SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


@transaction.atomic
def add_attachment(actor, case: Case, upload, *, now: datetime | None = None) -> Attachment:
    """Attach a photo or document to a case the actor can see. JPEG, PNG, GIF, WebP and PDF
    only (checked by content), at most ``ANJU_ATTACHMENT_MAX_BYTES``."""
    now = now or timezone.now()
    if not access.visible_to(actor).filter(pk=case.pk).exists():
        raise _forbidden()
    return _attach(actor, case, upload, now)


def check_upload(upload) -> tuple[str, str]:
    """The (content type, extension) of a file that may be attached, judged by its content;
    CaseError when it is too large, empty or of a type not accepted. Lets a form check every
    file before it creates anything."""
    limit = settings.ANJU_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise CaseError(_("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, status=413,
                        field="file")
    if upload.size == 0:
        raise CaseError(_("The file is empty."), status=422, field="file")
    upload.seek(0)
    head = upload.read(16)
    sniffed = _sniff(head)
    if sniffed is None:
        raise CaseError(_("Only JPEG, PNG, GIF, WebP and PDF files are accepted."), status=415, field="file")
    upload.seek(0)
    return sniffed


def _attach(actor, case: Case, upload, now: datetime) -> Attachment:
    if not case.is_open:
        raise CaseError(_("Attachments can only be added to open cases."))
    sniffed = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        case=case, original_name_whole=(upload.name or "file")[:200], content_type=sniffed[0], extension=sniffed[1],
        size=upload.size, sha256=digest.hexdigest(), uploaded_by=actor, uploaded_at=now,
    )
    attachment.file.save(attachment.sha256[:16] + sniffed[1], upload, save=False)
    attachment.save()
    _record(case, actor, Action.ATTACH, case.status, now=now,
            data={"attachment": attachment.pk, "name": attachment.original_name, "size": attachment.size})
    return attachment


# ---------------------------------------------------------------------------- residents


def create_case_by_resident(data: NewCase, *, uploads=(), now: datetime | None = None) -> Case:
    """A resident's own report through the public web form: channel web, no user, no right
    needed, anonymous allowed. Every photo is checked before anything is written, and the
    case and its photos are saved in one transaction, so a bad file leaves nothing behind."""
    now = now or timezone.now()
    data.channel = Channel.WEB
    # Residents cannot name the office they complain about; dispatchers set it if needed.
    data.about_office_code = ""
    for upload in uploads:
        check_upload(upload)
    with transaction.atomic():
        case = _create_case(None, data, now=now, synthetic=False, by_resident=True)
        for upload in uploads:
            _attach(None, case, upload, now)
    return case


@transaction.atomic
def rate_case_by_reporter(case: Case, *, satisfaction: int, note: str = "", now: datetime | None = None) -> Case:
    """The reporter's own rating of the answer through the tracking code: the follow-up
    (回访) done by the resident, which closes a resolved case. A resident who is not
    satisfied says "not solved" instead (``reopen_case(..., by_reporter=True)``)."""
    now = now or timezone.now()
    case = lock_case(case)
    if case.status != Status.RESOLVED:
        raise CaseError(_("Only a case that has been answered and not yet rated can be rated."))
    note = (note or "").strip()
    if len(note) > 1000:
        raise CaseError(_("%(field)s must be at most %(n)s characters.") % {"field": _("Comment"), "n": 1000},
                        status=422, field="note")
    return _close_with_rating(case, None, satisfaction, note, now)


def create_case_by_application(data: NewCase, *, now: datetime | None = None) -> Case:
    """A report another system sends on a resident's behalf (Open311): channel open311, no user,
    no right needed; the caller records which application sent it."""
    now = now or timezone.now()
    data.channel = Channel.OPEN311
    data.about_office_code = ""
    with transaction.atomic():
        return _create_case(None, data, now=now, synthetic=False, by_resident=True)
