"""Every change of the duty roster, one function per change, each in one transaction: an office's
arrangement, shifts planned and changed, swaps asked for and decided, the handover log; and the
service the module publishes to the others, ``on_duty`` (who is on duty for a region at a
moment), which the registry offers as ``duty.on_duty``.

A shift is changed only before it ends: once over, it is the record of who was on duty. Errors
are ``ServiceError`` with the HTTP status and the field an API answers with."""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.cases.messages import region_supervisors
from anju.duty import access
from anju.duty.choices import SHIFTS_OF, SWAP_TRANSITIONS, DutyPost, EntryKind, ShiftKind, ShiftPattern, SwapStatus
from anju.duty.models import HandoverEntry, Roster, Shift, Swap
from anju.geo.models import Region
from anju.lib.api import EARLIEST, LATEST
from anju.lib.errors import ServiceError
from anju.lib.once import create_once
from anju.lib.workdays import LOCAL
from anju.people.choices import Role
from anju.people.models import Office, User

MAX_TEXT = 2000
MAX_NOTE = 200
MAX_REASON = 300


def _forbidden() -> ServiceError:
    return ServiceError(_("You may not do this."), status=403)


def _text(value, field_name: str, *, required: bool, limit: int) -> str:
    if not isinstance(value, str) or "\x00" in value:
        raise ServiceError(_("This must be text."), status=422, field=field_name)
    value = value.strip()
    if required and not value:
        raise ServiceError(_("This field is required."), status=422, field=field_name)
    if len(value) > limit:
        raise ServiceError(_("At most %(n)s characters.") % {"n": limit}, status=422, field=field_name)
    return value


# ---------------------------------------------------------------------------- arrangement


def roster_of(office: Office) -> Roster:
    """The office's arrangement; an unsaved default (24-hour shifts from 08:30) when it has none."""
    return Roster.objects.filter(office=office).first() or Roster(office=office)


@transaction.atomic
def set_roster(actor, office: Office, *, pattern: str, day_starts: time, night_starts: time | None = None) -> Roster:
    """Set how ``office`` keeps its duty: 24-hour shifts changing over at ``day_starts``, or a
    day shift from ``day_starts`` and a night shift from ``night_starts`` until the next day's
    ``day_starts``. Shifts already planned keep their times."""
    if not access.can_keep(actor, office):
        raise _forbidden()
    if pattern not in ShiftPattern.values:
        raise ServiceError(_("Unknown shift arrangement."), status=422, field="pattern")
    # A time of day on the duty's clock (Beijing time): one with a time zone of its own is refused.
    if not isinstance(day_starts, time) or day_starts.tzinfo is not None:
        raise ServiceError(_("Give a time of day, without a time zone."), status=422, field="day_starts")
    roster = Roster.objects.select_for_update().filter(office=office).first() or Roster(office=office)
    if pattern == ShiftPattern.DAY_NIGHT:
        night_starts = night_starts or roster.night_starts
        if not isinstance(night_starts, time) or night_starts.tzinfo is not None:
            raise ServiceError(_("Give a time of day, without a time zone."), status=422, field="night_starts")
        if night_starts <= day_starts:
            raise ServiceError(_("The night shift must start later in the day than the day shift."), status=422,
                               field="night_starts")
        roster.night_starts = night_starts
    roster.pattern, roster.day_starts, roster.updated_by = pattern, day_starts, actor
    roster.save()
    return roster


def shift_times(roster: Roster, day: date, kind: str) -> tuple[datetime, datetime]:
    """When a shift of ``kind`` on duty day ``day`` runs, in Asia/Shanghai."""
    morning = datetime.combine(day, roster.day_starts, tzinfo=LOCAL)
    next_morning = datetime.combine(day + timedelta(days=1), roster.day_starts, tzinfo=LOCAL)
    evening = datetime.combine(day, roster.night_starts, tzinfo=LOCAL)
    if kind == ShiftKind.DAY:
        return morning, evening
    if kind == ShiftKind.NIGHT:
        return evening, next_morning
    return morning, next_morning


# ---------------------------------------------------------------------------- shifts


@dataclass
class NewShift:
    """A shift to plan: the office's code, the duty day, the shift's kind, and the usernames of
    the duty officer and the leader on duty (empty: not assigned yet, a gap)."""

    office: str
    day: date
    kind: str
    officer: str
    leader: str = ""
    note: str = ""


def _person(username, post: str, field_name: str) -> User | None:
    """The staff account ``username`` for ``post``; None for an empty leader."""
    if username in ("", None) and post == DutyPost.LEADER:
        return None
    if not isinstance(username, str) or not username.strip():
        raise ServiceError(_("This field is required."), status=422, field=field_name)
    user = User.objects.filter(username=username.strip()).first()
    if user is None or not access.may_hold(user, DutyPost.OFFICER):
        raise ServiceError(_("No active member of staff has this username."), status=422, field=field_name)
    if not access.may_hold(user, post):
        raise ServiceError(_("A leader on duty (带班领导) must hold a leader's or supervisor's role."), status=422,
                           field=field_name)
    return user


def _check_people(officer: User, leader: User | None) -> None:
    if leader is not None and leader.pk == officer.pk:
        raise ServiceError(_("The leader on duty must be someone other than the duty officer."), status=422,
                           field="leader")


def _check_not_over(shift_end: datetime, now: datetime) -> None:
    if shift_end <= now:
        raise ServiceError(_("This shift is over: the roster of past shifts is a record and is not changed."),
                           status=422, field="day")


def plan_shift(actor, data: NewShift, *, now: datetime | None = None) -> Shift:
    """Plan a shift of an office's roster (a holiday roster is planned ahead the same way)."""
    now = now or timezone.now()
    office = Office.objects.select_related("jurisdiction").filter(code=data.office, is_active=True).first() \
        if isinstance(data.office, str) else None
    if office is None:
        raise ServiceError(_("Unknown office."), status=422, field="office")
    if not access.can_keep(actor, office):
        raise _forbidden()
    if not isinstance(data.day, date) or isinstance(data.day, datetime) or not EARLIEST <= data.day <= LATEST:
        raise ServiceError(_("Give a day between %(start)s and %(end)s.") % {"start": EARLIEST, "end": LATEST},
                           status=422, field="day")
    with transaction.atomic():
        roster, _created = Roster.objects.get_or_create(office=office, defaults={"updated_by": actor})
        if data.kind not in SHIFTS_OF[roster.pattern]:
            raise ServiceError(_("This office keeps %(pattern)s: plan %(kinds)s.") % {
                "pattern": roster.get_pattern_display(),
                "kinds": "、".join(str(ShiftKind(k).label) for k in SHIFTS_OF[roster.pattern])},
                status=422, field="kind")
        starts_at, ends_at = shift_times(roster, data.day, data.kind)
        _check_not_over(ends_at, now)
        officer = _person(data.officer, DutyPost.OFFICER, "officer")
        leader = _person(data.leader, DutyPost.LEADER, "leader")
        _check_people(officer, leader)
        note = _text(data.note, "note", required=False, limit=MAX_NOTE)
        if Shift.objects.filter(office=office, day=data.day, kind=data.kind).exists():
            raise ServiceError(_("This shift is already planned; change it instead."), status=409, field="day")
        try:
            with transaction.atomic():
                return Shift.objects.create(office=office, day=data.day, kind=data.kind, starts_at=starts_at,
                                            ends_at=ends_at, officer=officer, leader=leader, note=note,
                                            created_by=actor, created_at=now)
        except IntegrityError:
            raise ServiceError(_("This shift is already planned; change it instead."), status=409,
                               field="day") from None


def plan_shift_once(actor, data: NewShift, *, idempotency_key: str = "",
                    now: datetime | None = None) -> tuple[Shift, bool]:
    """``plan_shift`` sent once per Idempotency-Key."""
    return create_once(actor, idempotency_key, asdict(data), Shift, lambda: plan_shift(actor, data, now=now),
                       owner="created_by")


@transaction.atomic
def change_shift(actor, shift: Shift, *, officer: str, leader: str = "", note: str = "",
                 now: datetime | None = None) -> Shift:
    """Put other people on a shift that is not over yet (a correction by the roster's keeper; a
    swap asked for by someone on duty goes through ``request_swap`` and its approval)."""
    now = now or timezone.now()
    shift = Shift.objects.select_for_update().select_related("office__jurisdiction").get(pk=shift.pk)
    if not access.can_keep(actor, shift.office):
        raise _forbidden()
    if shift.ends_at <= now:
        raise ServiceError(_("This shift is over: the roster of past shifts is a record and is not changed."),
                           status=409)
    shift.officer = _person(officer, DutyPost.OFFICER, "officer")
    shift.leader = _person(leader, DutyPost.LEADER, "leader")
    _check_people(shift.officer, shift.leader)
    shift.note = _text(note, "note", required=False, limit=MAX_NOTE)
    shift.save(update_fields=["officer", "leader", "note", "updated_at"])
    return shift


# ---------------------------------------------------------------------------- swaps


def request_swap(actor, shift: Shift, *, post: str, to_user: str, reason: str,
                 now: datetime | None = None) -> Swap:
    """Ask that ``to_user`` take ``post`` of ``shift`` (换班申请): by the person holding it, or by
    the roster's keeper. Nothing changes until it is approved."""
    now = now or timezone.now()
    if post not in DutyPost.values:
        raise ServiceError(_("Unknown post."), status=422, field="post")
    with transaction.atomic():
        shift = Shift.objects.select_for_update().select_related("office__jurisdiction").get(pk=shift.pk)
        if not access.can_request_swap(actor, shift, post):
            raise _forbidden()
        if shift.ends_at <= now:
            raise ServiceError(_("This shift is over: the roster of past shifts is a record and is not changed."),
                               status=409)
        holder = shift.holder(post)
        if holder is None:
            raise ServiceError(_("No one holds this post yet: the roster's keeper assigns it."), status=409,
                               field="post")
        replacement = _person(to_user, post, "to_user")
        if replacement.pk == holder.pk:
            raise ServiceError(_("This person already holds the post."), status=422, field="to_user")
        other = shift.leader_id if post == DutyPost.OFFICER else shift.officer_id
        if replacement.pk == other:
            raise ServiceError(_("The duty officer and the leader on duty must be two people."), status=422,
                               field="to_user")
        reason = _text(reason, "reason", required=True, limit=MAX_REASON)
        if Swap.objects.filter(shift=shift, post=post, status=SwapStatus.REQUESTED).exists():
            raise ServiceError(_("A swap of this post is already waiting for approval."), status=409, field="post")
        try:
            with transaction.atomic():
                return Swap.objects.create(shift=shift, post=post, from_user=holder, to_user=replacement,
                                           reason=reason, requested_by=actor, requested_at=now)
        except IntegrityError:
            raise ServiceError(_("A swap of this post is already waiting for approval."), status=409,
                               field="post") from None


def request_swap_once(actor, shift: Shift, *, post: str, to_user: str, reason: str, idempotency_key: str = "",
                      now: datetime | None = None) -> tuple[Swap, bool]:
    request = {"shift": shift.pk, "post": post, "to_user": to_user, "reason": reason}
    return create_once(actor, idempotency_key, request, Swap,
                       lambda: request_swap(actor, shift, post=post, to_user=to_user, reason=reason, now=now),
                       owner="requested_by")


def _decide(actor, swap: Swap, status: str, note: str, now: datetime) -> tuple[Swap, Shift]:
    swap = Swap.objects.select_for_update().get(pk=swap.pk)
    shift = Shift.objects.select_for_update().select_related("office__jurisdiction").get(pk=swap.shift_id)
    if not access.can_decide_swaps(actor, shift.office):
        raise _forbidden()
    if actor.pk in (swap.requested_by_id, swap.from_user_id, swap.to_user_id):
        raise ServiceError(_("A swap is decided by someone other than those it concerns and who asked for it."),
                           status=403)
    if status not in SWAP_TRANSITIONS[SwapStatus(swap.status)]:
        raise ServiceError(_("This swap was decided already."), status=409)
    swap.status, swap.decided_by, swap.decided_at = status, actor, now
    swap.decision_note = note
    swap.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return swap, shift


@transaction.atomic
def approve_swap(actor, swap: Swap, *, note: str = "", now: datetime | None = None) -> Swap:
    """Approve a swap: the shift's post is the new person's from now on."""
    now = now or timezone.now()
    note = _text(note, "note", required=False, limit=MAX_REASON)
    swap, shift = _decide(actor, swap, SwapStatus.APPROVED, note, now)
    if shift.ends_at <= now:
        raise ServiceError(_("This shift is over: the roster of past shifts is a record and is not changed."),
                           status=409)
    holder = shift.officer_id if swap.post == DutyPost.OFFICER else shift.leader_id
    other = shift.leader_id if swap.post == DutyPost.OFFICER else shift.officer_id
    if holder != swap.from_user_id:
        raise ServiceError(_("The roster changed since the swap was asked for; refuse it and ask again."),
                           status=409)
    if swap.to_user_id == other or not access.may_hold(swap.to_user, swap.post):
        raise ServiceError(_("The person asked for can no longer take this post; refuse the swap."), status=409)
    setattr(shift, "officer" if swap.post == DutyPost.OFFICER else "leader", swap.to_user)
    shift.save(update_fields=["officer", "leader", "updated_at"])
    return swap


@transaction.atomic
def refuse_swap(actor, swap: Swap, *, note: str, now: datetime | None = None) -> Swap:
    """Refuse a swap, saying why: the shift stays as it was."""
    now = now or timezone.now()
    note = _text(note, "note", required=True, limit=MAX_REASON)
    swap, _shift = _decide(actor, swap, SwapStatus.REFUSED, note, now)
    return swap


# ---------------------------------------------------------------------------- the handover log


def write_entry(actor, shift: Shift, *, kind: str, text: str, now: datetime | None = None) -> HandoverEntry:
    """Write a line of the shift's handover log, once the shift has begun: an open matter for the
    shifts after it, a call taken, an instruction received."""
    now = now or timezone.now()
    if not access.can_write_log(actor, shift):
        raise _forbidden()
    if kind not in EntryKind.values:
        raise ServiceError(_("Unknown kind of entry."), status=422, field="kind")
    text = _text(text, "text", required=True, limit=MAX_TEXT)
    if now < shift.starts_at:
        raise ServiceError(_("The shift has not begun yet."), status=409)
    return HandoverEntry.objects.create(shift=shift, kind=kind, text=text, created_by=actor, created_at=now)


def write_entry_once(actor, shift: Shift, *, kind: str, text: str, idempotency_key: str = "",
                     now: datetime | None = None) -> tuple[HandoverEntry, bool]:
    request = {"shift": shift.pk, "kind": kind, "text": text}
    return create_once(actor, idempotency_key, request, HandoverEntry,
                       lambda: write_entry(actor, shift, kind=kind, text=text, now=now), owner="created_by")


def open_matters(office: Office, until: datetime):
    """The matters of ``office``'s handover logs written before ``until`` and not closed yet: what
    every shift takes over."""
    return (HandoverEntry.objects.filter(shift__office=office, kind=EntryKind.MATTER, closed_at__isnull=True,
                                         created_at__lt=until)
            .select_related("shift", "created_by").order_by("created_at", "id"))


@transaction.atomic
def close_matter(actor, entry: HandoverEntry, *, now: datetime | None = None) -> HandoverEntry:
    """Close an open matter: by whoever is on duty at its office now, those of the shift that
    wrote it, or the roster's keeper."""
    now = now or timezone.now()
    entry = HandoverEntry.objects.select_for_update().select_related("shift__office__jurisdiction").get(pk=entry.pk)
    office = entry.shift.office
    on_duty_now = Shift.objects.filter(office=office, starts_at__lte=now, ends_at__gt=now)
    allowed = access.can_write_log(actor, entry.shift) or any(
        access.can_write_log(actor, shift) for shift in on_duty_now)
    if not allowed:
        raise _forbidden()
    if entry.kind != EntryKind.MATTER:
        raise ServiceError(_("Only an open matter is closed."), status=409)
    if entry.closed_at is not None:
        raise ServiceError(_("This matter is closed already."), status=409)
    entry.closed_at, entry.closed_by = now, actor
    entry.save(update_fields=["closed_at", "closed_by"])
    return entry


# ---------------------------------------------------------------------------- who is on duty


ROSTER, SUPERVISORS = "roster", "supervisors"


@dataclass
class OnDuty:
    """Who is on duty for ``region`` at ``at``: from the roster of ``office`` (the office nearest
    the region that keeps one) when a shift covers the moment (``source`` "roster"), else its
    supervisors (``source`` "supervisors"). ``supervisors`` are also given when the shift has no
    leader on duty. ``office`` is None when no office above the region keeps a roster; the
    supervisors are then those of the nearest region that has any."""

    region: Region
    at: datetime
    source: str
    office: Office | None = None
    shift: Shift | None = None
    officer: User | None = None
    leader: User | None = None
    supervisors: list[User] = field(default_factory=list)


def _office_supervisors(office: Office) -> list[User]:
    """The supervisors of ``office``: scoped to it or to its jurisdiction; when it has none, those
    of the nearest region above it that has any (the level an escalation goes to)."""
    scoped = User.objects.filter(is_active=True, roles__role=Role.SUPERVISOR, roles__office=office)
    found = {u.pk: u for u in region_supervisors(office.jurisdiction)}
    found.update({u.pk: u for u in scoped.distinct()})
    if found:
        return [found[pk] for pk in sorted(found)]
    return _nearest_supervisors(office.jurisdiction)


def _nearest_supervisors(region: Region) -> list[User]:
    codes = [c for c in region.path.split("/") if c]
    places = {r.code: r for r in Region.objects.filter(code__in=codes)}
    for code in reversed(codes):
        supervisors = region_supervisors(places.get(code))
        if supervisors:
            return supervisors
    return []


def on_duty(region: Region | str, at: datetime | None = None) -> OnDuty | None:
    """The duty officer and the leader on duty for ``region`` (a Region or its code) at ``at``
    (now when None), for any module through the registry (``modules.provided("duty.on_duty")``).
    None for an unknown region code."""
    at = at or timezone.now()
    if isinstance(region, str):
        region = Region.objects.filter(code=region).first()
        if region is None:
            return None
    codes = [c for c in region.path.split("/") if c]
    depth = {code: index for index, code in enumerate(codes)}
    offices = list(Office.objects.filter(jurisdiction__code__in=codes, is_active=True, duty_roster__isnull=False)
                   .select_related("jurisdiction"))
    if not offices:
        return OnDuty(region=region, at=at, source=SUPERVISORS, supervisors=_nearest_supervisors(region))
    nearest = max(depth[o.jurisdiction.code] for o in offices)
    offices = sorted((o for o in offices if depth[o.jurisdiction.code] == nearest), key=lambda o: o.code)
    shifts = list(Shift.objects.filter(office__in=offices, starts_at__lte=at, ends_at__gt=at)
                  .select_related("officer", "leader").order_by("office__code", "starts_at"))
    if not shifts:
        office = offices[0]
        return OnDuty(region=region, at=at, source=SUPERVISORS, office=office,
                      supervisors=_office_supervisors(office))
    shift = shifts[0]
    office = next(o for o in offices if o.pk == shift.office_id)
    shift.office = office
    return OnDuty(region=region, at=at, source=ROSTER, office=office, shift=shift, officer=shift.officer,
                  leader=shift.leader, supervisors=[] if shift.leader_id else _office_supervisors(office))
