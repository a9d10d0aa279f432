"""The duty API at /api/v1/duty: shifts listed, planned and changed, swaps asked for and decided,
the handover log, an office's month roster and arrangement, who is on duty for a region at a
moment and the board of every township, and a month's roster imported from Excel. Thin: parse,
look up through ``anju.duty.access``, call the one service, answer.

People on a roster are staff accounts: shown by their display name and username (and the work
e-mail their account keeps), never residents."""

from datetime import date, datetime, time

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Header, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as HTTP

from anju.duty import access, imports, queries, services
from anju.duty.choices import DutyPost, EntryKind, ShiftKind, ShiftPattern, SwapStatus
from anju.duty.models import HandoverEntry, Shift, Swap
from anju.lib.api import Day, Moment, Text, choices_of
from anju.lib.errors import ServiceError
from anju.lib.paging import keyset_page
from anju.lib.workdays import local_date

router = Router(tags=["duty"])

MAX_ID = 2**62
ERRORS = {400: dict, 401: dict, 403: dict, 404: dict, 409: dict, 413: dict, 415: dict, 422: dict}
CURSOR = Field(None, ge=1, le=MAX_ID, description="next_cursor of the previous page")
NEXT_CURSOR = Field(description="pass back as cursor for the next page; null at the end")
MONTH = Field(pattern=r"^20\d\d-(0[1-9]|1[0-2])$", description="the month, e.g. 2026-10")


def _id(value: int) -> int:
    if not 0 < value < MAX_ID:
        raise Http404
    return value


def _idempotency_key(value: str) -> str:
    if "\x00" in value or len(value) > 100:
        raise ServiceError(_("Idempotency-Key must be at most 100 characters, without NUL."), status=422,
                           field="Idempotency-Key")
    return value.strip()


def _reader(request) -> None:
    if not access.is_staff(request.user):
        raise ServiceError(_("You may not do this."), status=403)


def _month(value: str) -> tuple[int, int]:
    year, month = value.split("-")
    return int(year), int(month)


# ---------------------------------------------------------------------------- schemas


class DutyPersonOut(Schema):
    username: str
    name: str = Field(description="the display name staff know them by")
    email: str = Field(description="the work e-mail their account keeps, if any")


class DutyShiftOut(Schema):
    id: int
    office: str = Field(description="the office's code")
    office_name: str
    day: date = Field(description="the duty day")
    kind: str = Field(description="day24, day or night")
    starts_at: datetime
    ends_at: datetime
    officer: DutyPersonOut = Field(description="the duty officer (值班员)")
    leader: DutyPersonOut | None = Field(description="the leader on duty (带班领导); null: a gap")
    note: str


class DutyShiftPage(Schema):
    items: list[DutyShiftOut]
    next_cursor: int | None = NEXT_CURSOR


class DutySwapOut(Schema):
    id: int
    shift: int
    post: str = Field(description="officer or leader")
    from_user: DutyPersonOut = Field(description="on duty as planned")
    to_user: DutyPersonOut = Field(description="takes over when approved")
    reason: str
    status: str
    requested_by: DutyPersonOut
    requested_at: datetime
    decided_by: DutyPersonOut | None
    decided_at: datetime | None
    decision_note: str


class DutySwapPage(Schema):
    items: list[DutySwapOut]
    next_cursor: int | None = NEXT_CURSOR


class DutyEntryOut(Schema):
    id: int
    shift: int
    kind: str = Field(description="matter (open matter), call or instruction")
    text: str
    written_by: DutyPersonOut
    written_at: datetime
    open: bool = Field(description="an open matter not closed yet")
    closed_at: datetime | None


class DutyShiftDetail(DutyShiftOut):
    actions: list[str] = Field(description="what you may do now: change, swap_officer, swap_leader, write_log")
    swaps: list[DutySwapOut]
    entries: list[DutyEntryOut] = Field(description="the shift's handover log")
    open_matters: list[DutyEntryOut] = Field(description="open matters of earlier shifts this shift takes over")


class DutyShiftIn(Schema):
    office: Text = Field(min_length=1, max_length=40, description="the office's code")
    day: Day = Field(description="the duty day")
    kind: choices_of(ShiftKind.values)  # type: ignore[valid-type]
    officer: Text = Field(min_length=1, max_length=150, description="username of the duty officer")
    leader: Text = Field("", max_length=150, description="username of the leader on duty; empty: not yet")
    note: Text = Field("", max_length=200)


class DutyShiftChangeIn(Schema):
    officer: Text = Field(min_length=1, max_length=150)
    leader: Text = Field("", max_length=150)
    note: Text = Field("", max_length=200)


class DutyShiftFiltersIn(Schema):
    office: Text = Field("", max_length=40, description="an office's code")
    since: Day | None = Field(None, description="first duty day")
    until: Day | None = Field(None, description="last duty day, included")
    cursor: int | None = CURSOR
    limit: int = Field(50, ge=1, le=200)


class DutySwapIn(Schema):
    post: choices_of(DutyPost.values)  # type: ignore[valid-type]
    to_user: Text = Field(min_length=1, max_length=150, description="username of who is to take the post")
    reason: Text = Field(min_length=1, max_length=300)


class DutyDecisionIn(Schema):
    note: Text = Field("", max_length=300, description="why; required to refuse")


class DutySwapFiltersIn(Schema):
    status: choices_of(SwapStatus.values) | None = None  # type: ignore[valid-type]
    office: Text = Field("", max_length=40)
    cursor: int | None = CURSOR
    limit: int = Field(50, ge=1, le=200)


class DutyEntryIn(Schema):
    kind: choices_of(EntryKind.values)  # type: ignore[valid-type]
    text: Text = Field(min_length=1, max_length=2000)


class DutyNowOut(Schema):
    region: str = Field(description="the region's code")
    region_name: str
    at: datetime
    source: str = Field(description="roster: a shift covers the moment; supervisors: none does")
    office: str | None
    office_name: str | None
    shift: int | None
    shift_kind: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    officer: DutyPersonOut | None
    leader: DutyPersonOut | None
    supervisors: list[DutyPersonOut] = Field(description="whom to reach when no shift covers the moment or it "
                                                         "has no leader on duty")


class DutyNowIn(Schema):
    region: Text = Field(min_length=1, max_length=20, description="a region's code")
    at: Moment | None = Field(None, description="the moment; now when empty")


class DutyDayOut(Schema):
    day: date
    day_kind: str = Field(description="workday, rest, holiday or makeup (调休上班)")
    estimated: bool = Field(description="no official notice covers the day's year yet")
    holiday: str
    complete: bool = Field(description="covered by a duty officer and a leader on duty throughout")
    shifts: list[DutyShiftOut]


# A time of day on the duty's clock (Beijing time), with no zone: 08:30, or 08:30:00.
CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def _clock(value: str) -> time:
    return time.fromisoformat(value)


class DutyRosterOut(Schema):
    office: str
    office_name: str
    pattern: str
    day_starts: str = Field(description="local (Beijing) time of day, HH:MM")
    night_starts: str = Field(description="local (Beijing) time of day, HH:MM")
    month: str
    complete_days: int
    days: list[DutyDayOut]


class DutyMonthIn(Schema):
    month: str = MONTH


class DutyArrangementIn(Schema):
    pattern: choices_of(ShiftPattern.values)  # type: ignore[valid-type]
    day_starts: str = Field(pattern=CLOCK, description="when the duty day (and its day shift) starts: local "
                                                       "(Beijing) time of day, HH:MM")
    night_starts: str | None = Field(None, pattern=CLOCK, description="when the night shift starts (day and night "
                                                                     "shifts): local time of day, HH:MM")


class DutyImportLineOut(Schema):
    line: int
    day: date
    kind: str
    officer: str
    leader: str
    action: str = Field(description="plan (a new shift) or change (a shift already planned)")


class DutyImportOut(Schema):
    lines: int
    committed: bool
    shifts: list[DutyImportLineOut]


# ---------------------------------------------------------------------------- answers


def person_out(user) -> dict | None:
    if user is None:
        return None
    return {"username": user.username, "name": user.display_name or user.username, "email": user.email or ""}


def shift_out(shift: Shift) -> dict:
    return {"id": shift.pk, "office": shift.office.code, "office_name": shift.office.name, "day": shift.day,
            "kind": shift.kind, "starts_at": shift.starts_at, "ends_at": shift.ends_at,
            "officer": person_out(shift.officer), "leader": person_out(shift.leader), "note": shift.note}


def swap_out(swap: Swap) -> dict:
    return {"id": swap.pk, "shift": swap.shift_id, "post": swap.post, "from_user": person_out(swap.from_user),
            "to_user": person_out(swap.to_user), "reason": swap.reason, "status": swap.status,
            "requested_by": person_out(swap.requested_by), "requested_at": swap.requested_at,
            "decided_by": person_out(swap.decided_by), "decided_at": swap.decided_at,
            "decision_note": swap.decision_note}


def entry_out(entry: HandoverEntry) -> dict:
    return {"id": entry.pk, "shift": entry.shift_id, "kind": entry.kind, "text": entry.text,
            "written_by": person_out(entry.created_by), "written_at": entry.created_at, "open": entry.is_open,
            "closed_at": entry.closed_at}


def shift_actions(user, shift: Shift, now: datetime) -> list[str]:
    actions = []
    if shift.ends_at > now:
        if access.can_keep(user, shift.office):
            actions.append("change")
        for post in DutyPost.values:
            if shift.holder(post) is not None and access.can_request_swap(user, shift, post):
                actions.append(f"swap_{post}")
    if shift.starts_at <= now and access.can_write_log(user, shift):
        actions.append("write_log")
    return actions


def shift_detail(user, shift: Shift, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    shift = Shift.objects.select_related("office__jurisdiction", "officer", "leader").get(pk=shift.pk)
    data = shift_out(shift)
    data["actions"] = shift_actions(user, shift, now)
    data["swaps"] = [swap_out(s) for s in shift.swaps.select_related(
        "from_user", "to_user", "requested_by", "decided_by")]
    data["entries"] = [entry_out(e) for e in shift.entries.select_related("created_by")]
    data["open_matters"] = [entry_out(e) for e in services.open_matters(shift.office, shift.starts_at)]
    return data


def now_out(answer: services.OnDuty) -> dict:
    shift = answer.shift
    return {"region": answer.region.code, "region_name": answer.region.name, "at": answer.at,
            "source": answer.source, "office": answer.office.code if answer.office else None,
            "office_name": answer.office.name if answer.office else None,
            "shift": shift.pk if shift else None, "shift_kind": shift.kind if shift else None,
            "starts_at": shift.starts_at if shift else None, "ends_at": shift.ends_at if shift else None,
            "officer": person_out(answer.officer), "leader": person_out(answer.leader),
            "supervisors": [person_out(u) for u in answer.supervisors]}


def _shift(request, shift_id: int) -> Shift:
    return access.get_shift_for(request.user, _id(shift_id))


# ---------------------------------------------------------------------------- shifts


@router.get("/shifts", response={200: DutyShiftPage, **ERRORS}, summary="List shifts")
def list_shifts(request, filters: Query[DutyShiftFiltersIn]):
    """Shifts of every office (or of ``office``), the latest planned first; pass ``next_cursor`` back
    as ``cursor``."""
    _reader(request)
    rows = Shift.objects.select_related("office", "officer", "leader").order_by("-pk")
    if filters.office:
        rows = rows.filter(office=access.get_office_for(request.user, filters.office))
    if filters.since:
        rows = rows.filter(day__gte=filters.since)
    if filters.until:
        rows = rows.filter(day__lte=filters.until)
    page, next_cursor = keyset_page(rows, filters.cursor, filters.limit)
    return {"items": [shift_out(s) for s in page], "next_cursor": next_cursor}


@router.post("/shifts", response={201: DutyShiftDetail, 200: DutyShiftDetail, **ERRORS}, summary="Plan a shift")
def create_shift(request, payload: DutyShiftIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    """Plan a shift of an office's roster (holidays are planned ahead the same way). An
    ``Idempotency-Key`` makes retries safe: the same key and body answer the shift the first
    request planned (200)."""
    data = services.NewShift(office=payload.office, day=payload.day, kind=payload.kind, officer=payload.officer,
                             leader=payload.leader, note=payload.note)
    shift, created = services.plan_shift_once(request.user, data, idempotency_key=_idempotency_key(idempotency_key))
    return HTTP(201 if created else 200, shift_detail(request.user, shift))


@router.get("/shifts/{int:shift_id}", response={200: DutyShiftDetail, **ERRORS}, summary="One shift")
def get_shift(request, shift_id: int):
    """The shift with its swaps, its handover log and the open matters it takes over."""
    return shift_detail(request.user, _shift(request, shift_id))


@router.put("/shifts/{int:shift_id}", response={200: DutyShiftDetail, **ERRORS}, summary="Change a shift")
def change_shift(request, shift_id: int, payload: DutyShiftChangeIn):
    """Put other people on a shift that is not over (the roster's keeper)."""
    shift = services.change_shift(request.user, _shift(request, shift_id), officer=payload.officer,
                                  leader=payload.leader, note=payload.note)
    return shift_detail(request.user, shift)


@router.post("/shifts/{int:shift_id}/swaps", response={201: DutySwapOut, 200: DutySwapOut, **ERRORS},
             summary="Ask for a swap")
def request_swap(request, shift_id: int, payload: DutySwapIn,
                 idempotency_key: str = Header("", alias="Idempotency-Key")):
    """Ask that someone else take a post of the shift (换班): the holder of the post, or the
    roster's keeper. Nothing changes until a leader or keeper approves it."""
    swap, created = services.request_swap_once(
        request.user, _shift(request, shift_id), post=payload.post, to_user=payload.to_user, reason=payload.reason,
        idempotency_key=_idempotency_key(idempotency_key))
    return HTTP(201 if created else 200, swap_out(Swap.objects.get(pk=swap.pk)))


@router.post("/shifts/{int:shift_id}/entries", response={201: DutyEntryOut, 200: DutyEntryOut, **ERRORS},
             summary="Write in the handover log")
def write_entry(request, shift_id: int, payload: DutyEntryIn,
                idempotency_key: str = Header("", alias="Idempotency-Key")):
    """A line of the shift's handover log: an open matter, a call, an instruction. Write what was
    done and what is left; a resident's concern is registered as a case and referred to by its
    tracking code."""
    entry, created = services.write_entry_once(request.user, _shift(request, shift_id), kind=payload.kind,
                                               text=payload.text, idempotency_key=_idempotency_key(idempotency_key))
    return HTTP(201 if created else 200, entry_out(HandoverEntry.objects.select_related("created_by").get(pk=entry.pk)))


@router.post("/entries/{int:entry_id}/close", response={200: DutyEntryOut, **ERRORS}, summary="Close an open matter")
def close_entry(request, entry_id: int):
    entry = services.close_matter(request.user, access.get_entry_for(request.user, _id(entry_id)))
    return entry_out(HandoverEntry.objects.select_related("created_by").get(pk=entry.pk))


# ---------------------------------------------------------------------------- swaps


@router.get("/swaps", response={200: DutySwapPage, **ERRORS}, summary="List swaps")
def list_swaps(request, filters: Query[DutySwapFiltersIn]):
    """Swaps asked for, newest first (``status=requested``: those waiting for a decision)."""
    _reader(request)
    rows = Swap.objects.select_related("from_user", "to_user", "requested_by", "decided_by").order_by("-pk")
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.office:
        rows = rows.filter(shift__office=access.get_office_for(request.user, filters.office))
    page, next_cursor = keyset_page(rows, filters.cursor, filters.limit)
    return {"items": [swap_out(s) for s in page], "next_cursor": next_cursor}


def _swap(request, swap_id: int) -> Swap:
    return access.get_swap_for(request.user, _id(swap_id))


@router.post("/swaps/{int:swap_id}/approve", response={200: DutySwapOut, **ERRORS}, summary="Approve a swap")
def approve_swap(request, swap_id: int, payload: DutyDecisionIn):
    """The post is the new person's from now on. Decided by a leader or keeper reaching the office
    who is neither of the two people nor asked for it."""
    swap = services.approve_swap(request.user, _swap(request, swap_id), note=payload.note)
    return swap_out(Swap.objects.get(pk=swap.pk))


@router.post("/swaps/{int:swap_id}/refuse", response={200: DutySwapOut, **ERRORS}, summary="Refuse a swap")
def refuse_swap(request, swap_id: int, payload: DutyDecisionIn):
    """The shift stays as it was; ``note`` says why."""
    swap = services.refuse_swap(request.user, _swap(request, swap_id), note=payload.note)
    return swap_out(Swap.objects.get(pk=swap.pk))


# ---------------------------------------------------------------------------- who is on duty


@router.get("/now", response={200: DutyNowOut, **ERRORS}, summary="Who is on duty for a region")
def who_is_on_duty(request, query: Query[DutyNowIn]):
    """The duty officer and the leader on duty for a region at a moment, from the roster of the
    nearest office above it that keeps one; its supervisors when no shift covers the moment."""
    _reader(request)
    answer = services.on_duty(query.region, query.at)
    if answer is None:
        raise ServiceError(_("Unknown region code."), status=422, field="region")
    return now_out(answer)


@router.get("/board", response={200: list[DutyNowOut], **ERRORS}, summary="Who is on duty now, everywhere")
def board(request):
    """The county's and every township's duty officer and leader on duty now."""
    _reader(request)
    return [now_out(answer) for answer in queries.board(timezone.now())]


# ---------------------------------------------------------------------------- rosters


def roster_out(office, month: str) -> dict:
    year, number = _month(month)
    roster = queries.month_roster(office, year, number)
    return {"office": office.code, "office_name": office.name, "pattern": roster.roster.pattern,
            "day_starts": f"{roster.roster.day_starts:%H:%M}", "night_starts": f"{roster.roster.night_starts:%H:%M}",
            "month": month,
            "complete_days": roster.complete_count,
            "days": [{"day": d.day, "day_kind": d.mark.kind, "estimated": d.mark.estimated,
                      "holiday": d.mark.holiday, "complete": d.complete,
                      "shifts": [shift_out(c.shift) for c in d.cells if c.shift is not None]} for d in roster.days]}


@router.get("/rosters/{office}", response={200: DutyRosterOut, **ERRORS}, summary="An office's month roster")
def month_roster(request, office: str, query: Query[DutyMonthIn]):
    """Every day of the month marked on the Chinese calendar (holidays, make-up working days, and
    whether that is an estimate) with its shifts and whether it is covered throughout."""
    return roster_out(access.get_office_for(request.user, office), query.month)


@router.put("/rosters/{office}", response={200: DutyRosterOut, **ERRORS}, summary="Set an office's arrangement")
def set_arrangement(request, office: str, payload: DutyArrangementIn):
    """24-hour shifts, or day and night shifts, and when they change over. Shifts already planned
    keep their times."""
    found = access.get_office_for(request.user, office)
    services.set_roster(request.user, found, pattern=payload.pattern, day_starts=_clock(payload.day_starts),
                        night_starts=_clock(payload.night_starts) if payload.night_starts else None)
    today = local_date(timezone.now())
    return roster_out(found, f"{today.year}-{today.month:02d}")


@router.post("/import", response={200: DutyImportOut, **ERRORS}, summary="Import a month's roster from Excel")
def import_roster(request, office: Form[str], month: Form[str], file: File[UploadedFile],
                  dry_run: Form[bool] = False):
    """A month of an office's roster from an .xlsx in the template's columns (日期, 班次, 值班员,
    带班领导, 备注), all or nothing: when any line is wrong nothing is changed and every wrong line
    is reported with its number (a 422 whose ``errors`` name ``line``, ``field`` and ``message``).
    ``dry_run`` checks the file and changes nothing."""
    found = access.get_office_for(request.user, office if isinstance(office, str) else "")
    if not access.can_keep(request.user, found):
        raise ServiceError(_("You may not do this."), status=403)
    try:
        year, number = _month(month)
        if not 2000 <= year <= 2100:
            raise ValueError
        first = date(year, number, 1)
    except ValueError:
        raise ServiceError(_("Give the month as YYYY-MM, e.g. 2026-10."), status=422, field="month") from None
    lines = imports.read_workbook(file)
    report = imports.import_month(request.user, found, first, lines, commit=not dry_run)
    if not report.ok:
        wrong = len({e.line for e in report.errors})
        return HTTP(422, {
            "detail": _("Nothing was imported: %(n)s line(s) have errors.") % {"n": wrong},
            "errors": [{"line": e.line, "field": e.field, "message": e.message} for e in report.errors]})
    return {"lines": report.lines, "committed": report.committed,
            "shifts": [{"line": p.line, "day": p.day, "kind": p.kind, "officer": p.officer, "leader": p.leader,
                        "action": p.action} for p in report.shifts]}
