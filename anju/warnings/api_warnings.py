"""The warnings API, /api/v1/warnings: the warnings listed with their filters and a cursor, one
warning with what you may do now, a draft, and one endpoint per step (approve, reject, issue,
update, cancel, all-clear, list the households to move, open an incident); the
acknowledgements (叫应) with an answer in the app and a call recorded by the duty desk; the
households' evacuation and an entry for one. Thin: parse, look the warning up through
``warnings_access`` (404 alike for missing and hidden), call the one service, answer. Monitors,
deputies and households are masked."""

from datetime import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema
from ninja.responses import Status as HTTP

from anju.cases.api import ERRORS, MAX_ID
from anju.geo.models import Region
from anju.lib.api import Moment, Text, choices_of
from anju.lib.errors import ServiceError
from anju.lib.paging import keyset_page
from anju.warnings import acks, evacuation, lifecycle
from anju.warnings import warnings_access as access
from anju.warnings import warnings_queries as queries
from anju.warnings.choices import (
    EvacuationState,
    Level,
    PointType,
    Responder,
    WarningEvent,
    WarningStatus,
)
from anju.warnings.models import Evacuation, Warning

router = Router(tags=["warnings"])

STATUS_FILTERS = ("", *queries.GROUPS, *WarningStatus.values)


def _id(value: int) -> int:
    if not 0 < value < MAX_ID:
        raise Http404
    return value


def _idempotency_key(value: str) -> str:
    if "\x00" in value:
        raise ServiceError(_("Idempotency-Key holds characters that are not allowed."), status=422,
                           field="Idempotency-Key")
    return value.strip()


# ---------------------------------------------------------------------------- schemas


class WarningBriefOut(Schema):
    id: int
    level: str
    level_label: str
    status: str
    status_label: str
    origin: str = Field(description="readings, staff or upstream")
    hazard_type: str
    area: str = Field(description="region code of the warning's area")
    area_name: str
    headline: str
    points: list[str] = Field(description="codes of its monitoring points")
    drafted_at: datetime
    approved_at: datetime | None
    issued_at: datetime | None
    expires_at: datetime | None
    ended_at: datetime | None
    all_clear_at: datetime | None = Field(description="set when the all-clear ended it")
    in_force: bool


class WarningListPage(Schema):
    items: list[WarningBriefOut]
    next_cursor: int | None = Field(description="pass back as cursor for the next page; null at the end")


class WarningMessageOut(Schema):
    identifier: str
    msg_type: str = Field(description="Alert, Update or Cancel")
    sent_at: datetime
    references: str
    url: str = Field(description="the CAP 1.2 document")


class WarningLogOut(Schema):
    code: str
    label: str
    at: datetime
    actor: str | None
    note: str


class WarningAckSummaryOut(Schema):
    points: int = Field(description="points whose responders were asked")
    answered: int = Field(description="points where someone acknowledged")
    waiting: int
    overdue: int = Field(description="points whose person asked now is past the deadline")


class WarningEvacuationCountsOut(Schema):
    total: int
    to_move: int
    moved: int
    refused: int
    returned: int
    people_moved: int


class WarningDetailOut(WarningBriefOut):
    actions: list[str] = Field(description="what you may do now: approve, reject, issue, update, cancel, all_clear, "
                                           "evacuate, open_incident, record_call, acknowledge, evacuation")
    description: str
    instruction: str
    headline_en: str
    description_en: str
    instruction_en: str
    onset_at: datetime | None
    polygon: list[list[float]] = Field(description="the area as CAP polygon points [lat, lon], closed")
    drafted_by: str | None
    approved_by: str | None
    approver_role: str = Field(description="the role the level requires to approve and change it")
    ack_minutes: int = Field(description="minutes each person asked has to acknowledge")
    upstream_identifier: str
    messages: list[WarningMessageOut]
    log: list[WarningLogOut]
    acknowledgements: WarningAckSummaryOut
    evacuation: WarningEvacuationCountsOut
    incidents: list[dict] = Field(description="incidents it opened: case, code, grade, open, url")


class WarningFiltersIn(Schema):
    status: choices_of(STATUS_FILTERS) = Field(  # type: ignore[valid-type]
        "", description="a status, or in_force, pending (draft or approved), ended")
    level: choices_of(("", *Level.values)) = ""  # type: ignore[valid-type]
    area: Text = Field("", max_length=20, description="region code: warnings for it, within it or over it")
    point: Text = Field("", max_length=40, description="a monitoring point's code")
    q: Text = Field("", max_length=100, description="text of the headline or description")
    cursor: int | None = Field(None, ge=1, le=MAX_ID, description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=200)


class WarningDraftIn(Schema):
    level: choices_of(Level.values)  # type: ignore[valid-type]
    hazard_type: choices_of(PointType.values)  # type: ignore[valid-type]
    area: Text = Field(min_length=1, max_length=20, description="region code of the area (county, township, village)")
    headline: Text = Field(min_length=1, max_length=200)
    description: Text = Field(min_length=1, max_length=5000)
    instruction: Text = Field("", max_length=5000)
    headline_en: Text = Field("", max_length=200)
    description_en: Text = Field("", max_length=5000)
    instruction_en: Text = Field("", max_length=5000)
    points: list[Text] = Field([], max_length=lifecycle.MAX_POINTS,
                               description="codes of monitoring points in the area")
    onset_at: Moment | None = None
    expires_at: Moment | None = Field(None, description="the level's hours in force from issue when empty")
    polygon: list[list[float]] | None = Field(None, description="[lat, lon] pairs, closed; drawn around the points "
                                                                 "when empty")


class WarningChangeIn(Schema):
    level: choices_of(Level.values) | None = None  # type: ignore[valid-type]
    headline: Text | None = Field(None, max_length=200)
    description: Text | None = Field(None, max_length=5000)
    instruction: Text | None = Field(None, max_length=5000)
    headline_en: Text | None = Field(None, max_length=200)
    description_en: Text | None = Field(None, max_length=5000)
    instruction_en: Text | None = Field(None, max_length=5000)
    points: list[Text] | None = Field(None, max_length=lifecycle.MAX_POINTS)
    expires_at: Moment | None = None
    note: Text = Field("", max_length=1000, description="what changed and why")


class WarningNoteIn(Schema):
    note: Text = Field("", max_length=1000)


class WarningReasonIn(Schema):
    reason: Text = Field(min_length=1, max_length=1000)


class WarningIssueIn(Schema):
    evacuate: bool | None = Field(None, description="list the households to move: by the level when null (orange "
                                                    "and red do), always when true, never when false")


class WarningIncidentIn(Schema):
    grade: choices_of(("general", "larger", "major", "gravest")) | None = Field(  # type: ignore[valid-type]
        None, description="the incident's grade; from the level when empty")
    text: Text = Field("", max_length=5000, description="what happened; the warning's texts when empty")


class WarningAckOut(Schema):
    id: int
    point: str
    point_name: str
    responder: str = Field(description="monitor, deputy or duty_officer, in the order the asking passes on")
    responder_label: str
    who: str = Field(description="a monitor or deputy masked; a duty officer by name")
    phone: str = Field(description="masked")
    state: str = Field(description="waiting, acknowledged, escalated (not answered in time, passed on)")
    asked_at: datetime
    due_at: datetime | None
    answered_at: datetime | None
    channel: str = Field(description="link, app or call, once answered")
    late: bool
    overdue: bool = Field(description="waiting past its deadline, nobody at the point having answered")
    stood_down: bool = Field(description="waiting, but someone else at the point answered")
    recorded_by: str | None = Field(description="who recorded the call")
    yours: bool = Field(description="you may acknowledge it in the app")


class WarningCallIn(Schema):
    note: Text = Field("", max_length=500)


class WarningEvacuationOut(Schema):
    id: int
    point: str
    household: int
    head: str = Field(description="masked")
    phone: str = Field(description="masked")
    address: str = Field(description="masked")
    members: int
    state: str
    state_label: str
    people_moved: int
    reason: str = Field(description="why the household refused")
    moved_at: datetime | None
    returned_at: datetime | None
    updated_at: datetime
    updated_by: str | None
    steps: list[str] = Field(description="the entries you may make now")


class WarningEvacuationFiltersIn(Schema):
    point: Text = Field("", max_length=40)
    state: choices_of(("", *EvacuationState.values)) = ""  # type: ignore[valid-type]


class WarningEvacuationIn(Schema):
    state: choices_of(tuple(evacuation.STEPS))  # type: ignore[valid-type]
    people_moved: int | None = Field(None, ge=1, le=evacuation.MAX_PEOPLE,
                                     description="when moved; the household's members when empty")
    reason: Text = Field("", max_length=evacuation.MAX_REASON, description="required when refused")


# ---------------------------------------------------------------------------- answers


def brief(warning: Warning) -> dict:
    return {
        "id": warning.pk, "level": warning.level, "level_label": warning.get_level_display(),
        "status": warning.status, "status_label": warning.get_status_display(), "origin": warning.origin,
        "hazard_type": warning.hazard_type, "area": warning.area.code, "area_name": warning.area.name,
        "headline": warning.headline, "points": sorted(p.code for p in warning.points.all()),
        "drafted_at": warning.drafted_at, "approved_at": warning.approved_at, "issued_at": warning.issued_at,
        "expires_at": warning.expires_at, "ended_at": warning.ended_at, "all_clear_at": warning.all_clear_at,
        "in_force": warning.status == WarningStatus.ISSUED,
    }


def _username(user) -> str | None:
    return user.username if user is not None else None


def detail(user, warning: Warning) -> dict:
    warning = Warning.objects.select_related("area", "drafted_by", "approved_by").get(pk=warning.pk)
    policy = lifecycle.issuing.level_policy(warning.level)
    labels = dict(WarningEvent.choices)
    return {
        **brief(warning), "actions": queries.warning_actions(user, warning), "description": warning.description,
        "instruction": warning.instruction, "headline_en": warning.headline_en,
        "description_en": warning.description_en, "instruction_en": warning.instruction_en,
        "onset_at": warning.onset_at, "polygon": warning.polygon or [],
        "drafted_by": _username(warning.drafted_by), "approved_by": _username(warning.approved_by),
        "approver_role": policy.approver_role, "ack_minutes": policy.ack_minutes,
        "upstream_identifier": warning.upstream_identifier,
        "messages": [{"identifier": m.identifier, "msg_type": m.msg_type, "sent_at": m.sent_at,
                      "references": m.references, "url": f"/cap/{m.identifier}.xml"}
                     for m in warning.messages.order_by("sent_at", "pk")],
        "log": [{"code": e.code, "label": str(labels.get(e.code, e.code)), "at": e.at, "actor": _username(e.actor),
                 "note": e.note} for e in warning.log.select_related("actor").order_by("at", "pk")],
        "acknowledgements": queries.ack_summary(queries.ack_board(warning, timezone.now())),
        "evacuation": evacuation.counts(warning),
        "incidents": lifecycle.incidents_of(warning),
    }


def _warning(request, warning_id: int) -> Warning:
    return access.get_warning_for(request.user, _id(warning_id))


@router.get("", response={200: WarningListPage, **ERRORS}, summary="List warnings")
def list_warnings(request, filters: Query[WarningFiltersIn]):
    """The warnings you may see (those whose area meets your scope, and those you were asked to
    acknowledge), newest first; pass ``next_cursor`` back as ``cursor``."""
    if filters.area and not Region.objects.filter(code=filters.area).exists():
        raise ServiceError(_("Unknown region code."), status=422, field="area")
    rows = queries.warnings_for(request.user, queries.WarningFilters(
        status=filters.status, level=filters.level, area=filters.area, point=filters.point, text=filters.q))
    page, next_cursor = keyset_page(rows.prefetch_related("points"), filters.cursor, filters.limit)
    return {"items": [brief(w) for w in page], "next_cursor": next_cursor}


@router.post("", response={201: WarningDetailOut, 200: WarningDetailOut, **ERRORS}, summary="Draft a warning")
def draft_warning(request, payload: WarningDraftIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    """A warning drafted by hand, to be approved by the role its level requires (not by you). An
    ``Idempotency-Key`` makes retries safe: the same key and body return the same draft (200)."""
    warning, created = lifecycle.draft_warning(request.user, lifecycle.NewWarning(
        level=payload.level, hazard_type=payload.hazard_type, area=payload.area, headline=payload.headline,
        description=payload.description, points=list(payload.points), instruction=payload.instruction,
        headline_en=payload.headline_en, description_en=payload.description_en,
        instruction_en=payload.instruction_en, onset_at=payload.onset_at, expires_at=payload.expires_at,
        polygon=payload.polygon), idempotency_key=_idempotency_key(idempotency_key))
    return HTTP(201 if created else 200, detail(request.user, warning))


@router.get("/{int:warning_id}", response={200: WarningDetailOut, **ERRORS}, summary="One warning")
def get_warning(request, warning_id: int):
    """The warning with its CAP messages, its log, the counts of its acknowledgements and
    evacuation, and the actions you may take now."""
    return detail(request.user, _warning(request, warning_id))


@router.post("/{int:warning_id}/approve", response={200: WarningDetailOut, **ERRORS}, summary="Approve a draft")
def approve(request, warning_id: int, payload: WarningNoteIn):
    """By the role the level requires (``approver_role``) or a higher one; never by its drafter."""
    warning = lifecycle.approve(request.user, _warning(request, warning_id), note=payload.note)
    return detail(request.user, warning)


@router.post("/{int:warning_id}/reject", response={200: WarningDetailOut, **ERRORS}, summary="Turn a draft down")
def reject(request, warning_id: int, payload: WarningReasonIn):
    warning = lifecycle.reject(request.user, _warning(request, warning_id), reason=payload.reason)
    return detail(request.user, warning)


@router.post("/{int:warning_id}/issue", response={200: WarningDetailOut, **ERRORS}, summary="Issue a warning")
def issue(request, warning_id: int, payload: WarningIssueIn):
    """The Alert goes out, each point's monitor is asked to acknowledge it, and the households
    are listed to move (orange and red, or when asked)."""
    warning = lifecycle.issue(request.user, _warning(request, warning_id), evacuate=payload.evacuate)
    return detail(request.user, warning)


@router.post("/{int:warning_id}/update", response={200: WarningDetailOut, **ERRORS},
             summary="Update a warning in force")
def update(request, warning_id: int, payload: WarningChangeIn):
    """A new level, texts, points or expiry: an Update message refers to the earlier ones."""
    warning = lifecycle.update(request.user, _warning(request, warning_id), lifecycle.WarningChange(
        level=payload.level, headline=payload.headline, description=payload.description,
        instruction=payload.instruction, headline_en=payload.headline_en, description_en=payload.description_en,
        instruction_en=payload.instruction_en, points=None if payload.points is None else list(payload.points),
        expires_at=payload.expires_at, note=payload.note))
    return detail(request.user, warning)


@router.post("/{int:warning_id}/cancel", response={200: WarningDetailOut, **ERRORS}, summary="Cancel a warning")
def cancel(request, warning_id: int, payload: WarningReasonIn):
    warning = lifecycle.cancel(request.user, _warning(request, warning_id), reason=payload.reason)
    return detail(request.user, warning)


@router.post("/{int:warning_id}/all-clear", response={200: WarningDetailOut, **ERRORS},
             summary="Give the all-clear (解除)")
def all_clear(request, warning_id: int, payload: WarningNoteIn):
    """The warning ends and its evacuation closes for entries; nobody is marked returned by it."""
    warning = lifecycle.all_clear(request.user, _warning(request, warning_id), note=payload.note)
    return detail(request.user, warning)


@router.post("/{int:warning_id}/evacuate", response={200: WarningDetailOut, **ERRORS},
             summary="List the households to move")
def evacuate(request, warning_id: int):
    """For a warning in force whose households are not listed yet (any level)."""
    warning = _warning(request, warning_id)
    evacuation.open_evacuation(request.user, warning)
    return detail(request.user, warning)


@router.post("/{int:warning_id}/incident", response={200: WarningDetailOut, **ERRORS},
             summary="Open an incident from the warning")
def open_incident(request, warning_id: int, payload: WarningIncidentIn):
    """An orange or red warning in force opens an incident kept by your duty office, linked both
    ways (needs the duty module)."""
    warning = _warning(request, warning_id)
    lifecycle.open_incident(request.user, warning, grade=payload.grade or "", text=payload.text)
    return detail(request.user, warning)


# ---------------------------------------------------------------------------- acknowledgements


def _ack_out(user, row: queries.AckRow, point_answered: bool) -> dict:
    ack = row.ack
    return {
        "id": ack.pk, "point": ack.point.code, "point_name": ack.point.name, "responder": ack.responder,
        "responder_label": str(Responder(ack.responder).label), "who": row.who, "phone": row.phone,
        "state": ack.state, "asked_at": ack.asked_at, "due_at": ack.due_at, "answered_at": ack.answered_at,
        "channel": ack.channel, "late": row.late, "overdue": row.overdue, "stood_down": row.stood_down,
        "recorded_by": _username(ack.recorded_by),
        "yours": (ack.warning.status == WarningStatus.ISSUED and not point_answered
                  and ack.state != "acknowledged" and access.can_answer(user, ack)),
    }


def _acks(user, warning: Warning) -> list[dict]:
    board = queries.ack_board(warning, timezone.now())
    return [_ack_out(user, row, point.answered is not None) for point in board for row in point.rows]


@router.get("/{int:warning_id}/acknowledgements", response={200: list[WarningAckOut], **ERRORS},
            summary="The acknowledgement board")
def list_acknowledgements(request, warning_id: int):
    """Per point, in order, whom the asking reached, who answered and how, who has not."""
    return _acks(request.user, _warning(request, warning_id))


def _ack(warning: Warning, ack_id: int):
    ack = warning.acknowledgements.select_related("point", "warning").filter(pk=_id(ack_id)).first()
    if ack is None:
        raise Http404
    return ack


@router.post("/{int:warning_id}/acknowledgements/{int:ack_id}/acknowledge",
             response={200: list[WarningAckOut], **ERRORS}, summary="Acknowledge (in the app)")
def acknowledge(request, warning_id: int, ack_id: int):
    """What was asked of you (``yours``)."""
    warning = _warning(request, warning_id)
    acks.acknowledge_in_app(request.user, _ack(warning, ack_id))
    return _acks(request.user, warning)


@router.post("/{int:warning_id}/acknowledgements/{int:ack_id}/call", response={200: list[WarningAckOut], **ERRORS},
             summary="Record an acknowledgement made by telephone")
def record_call(request, warning_id: int, ack_id: int, payload: WarningCallIn):
    """The duty desk records that the person asked confirmed by telephone."""
    warning = _warning(request, warning_id)
    acks.record_call(request.user, _ack(warning, ack_id), note=payload.note)
    return _acks(request.user, warning)


# ---------------------------------------------------------------------------- evacuation


def _evacuation_out(row: queries.HouseholdRow) -> dict:
    e = row.evacuation
    return {
        "id": e.pk, "point": e.household.point.code, "household": e.household_id, "head": row.head,
        "phone": row.phone, "address": row.address, "members": row.members, "state": e.state,
        "state_label": str(EvacuationState(e.state).label), "people_moved": e.people_moved, "reason": row.reason,
        "moved_at": e.moved_at, "returned_at": e.returned_at, "updated_at": e.updated_at,
        "updated_by": _username(e.updated_by), "steps": row.steps,
    }


@router.get("/{int:warning_id}/evacuations", response={200: list[WarningEvacuationOut], **ERRORS},
            summary="The households' evacuation")
def list_evacuations(request, warning_id: int, filters: Query[WarningEvacuationFiltersIn]):
    """The households listed to move under the warning (masked), by point, with the entries you
    may make on each now."""
    warning = _warning(request, warning_id)
    rows = queries.household_rows(request.user, warning, point=filters.point)
    return [_evacuation_out(r) for r in rows if not filters.state or r.evacuation.state == filters.state]


@router.post("/{int:warning_id}/evacuations/{int:evacuation_id}", response={200: WarningEvacuationOut, **ERRORS},
             summary="Enter a household's evacuation")
def enter_evacuation(request, warning_id: int, evacuation_id: int, payload: WarningEvacuationIn):
    """Moved (with the people moved), refused (with the reason) or returned (after moved), while
    the warning is in force: the point's grid workers and the duty desk."""
    warning = _warning(request, warning_id)
    row = Evacuation.objects.filter(warning=warning, pk=_id(evacuation_id)).first()
    if row is None:
        raise Http404
    evacuation.record(request.user, row, evacuation.Entry(state=payload.state, people_moved=payload.people_moved,
                                                          reason=payload.reason))
    rows = queries.household_rows(request.user, warning)
    return _evacuation_out(next(r for r in rows if r.evacuation.pk == row.pk))

