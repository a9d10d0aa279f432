"""Case endpoints under /api/v1/cases. Thin: parse, look the case up through access, call
the service, answer."""

from datetime import datetime
from typing import Literal

from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Header, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as HTTP

from anju.cases import access, modules, queries, redaction, services
from anju.cases.choices import Channel, ClockUnit, Priority, Status
from anju.cases.models import Case, Category
from anju.lib import masking
from anju.lib.api import Moment, Text
from anju.lib.tracking import display

router = Router(tags=["cases"])
# The category tree, beside the people app's directory of offices.
directory_router = Router(tags=["auth and directory"])

MAX_ID = 2**62


# ---------------------------------------------------------------------------- schemas


class ReporterOut(Schema):
    anonymous: bool
    hidden: bool = Field(description="true when the reporter is hidden from you (confidential case)")
    name: str = Field(description="masked")
    phone: str = Field(description="masked")


class CaseOut(Schema):
    id: int
    tracking_code: str
    tracking_code_display: str
    status: str
    status_label: str
    kind: str
    category: str
    category_name: str
    text: str
    channel: str
    priority: str
    lat: float | None
    lng: float | None
    address: str
    region_code: str
    region_name: str
    grid_code: str | None
    office: str | None
    office_name: str | None
    confidential: bool
    reporter: ReporterOut
    submitted_at: datetime
    accepted_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    accept_due_at: datetime | None
    handle_due_at: datetime | None
    reply_due_at: datetime | None
    due_at: datetime | None
    overdue: bool
    deadline_estimated: bool = Field(description="a deadline was counted over a year whose holiday arrangement the "
                                                 "State Council has not announced yet (from the statutory holidays); "
                                                 "counted again when the arrangement is entered")
    paused: bool
    supervision_level: int
    returned_reason: str
    reply: str
    satisfaction: int | None
    reopen_count: int
    merged_into: str | None
    synthetic: bool


class EventOut(Schema):
    at: datetime
    action: str
    action_label: str
    actor: str | None
    from_status: str
    to_status: str
    note: str
    data: dict
    public: bool


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str | None = Field(description="null while the file is withheld from you")
    uploaded_at: datetime
    free_of_personal_data: bool = Field(False, description="staff who may see the reporter said it names nobody")
    withheld: bool = Field(False, description="it may show who the reporter is, whom your office may not know")


class ExtensionOut(Schema):
    id: int
    amount: int
    unit: str
    reason: str
    status: str
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str


class CaseDetail(CaseOut):
    actions: list[str] = Field(description="lifecycle actions you may take now")
    can_reveal_reporter: bool
    timeline: list[EventOut]
    attachments: list[AttachmentOut]
    extension_requests: list[ExtensionOut]


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None


class CaseIn(Schema):
    kind: Literal[tuple(modules.kind_codes())]  # type: ignore[valid-type]
    category: Text = Field(max_length=40, description="category code")
    text: Text = Field(min_length=1, max_length=5000)
    channel: Literal[tuple(Channel.values)] = Channel.HOTLINE  # type: ignore[valid-type]
    priority: Literal[tuple(Priority.values)] = Priority.NORMAL  # type: ignore[valid-type]
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    address: Text = Field("", max_length=200)
    region_code: Text = Field("", max_length=20)
    reporter_name: Text = Field("", max_length=50)
    reporter_phone: Text = Field("", max_length=20)
    reporter_email: Text = Field("", max_length=254)
    confidential: bool = False
    about_office: Text = Field("", max_length=40, description="code of the office the concern is about")


class NoteIn(Schema):
    note: Text = Field("", max_length=2000)


class ReplyIn(Schema):
    reply: Text = Field(min_length=1, max_length=2000)


class ReasonIn(Schema):
    reason: Text = Field(min_length=1, max_length=500)


class QuestionIn(Schema):
    question: Text = Field(min_length=1, max_length=2000)


class DispatchIn(Schema):
    office: Text | None = Field(None, max_length=40, description="office code; the routing rules decide when empty")
    note: Text = Field("", max_length=2000)


class TransferIn(Schema):
    office: Text = Field(min_length=1, max_length=40)
    note: Text = Field("", max_length=2000)


class WithholdIn(Schema):
    reason: Text = Field(min_length=1, max_length=500, description="why the words identify the reporter")
    office: Text = Field("", max_length=40, description="the body to take it, when the office it is about holds it")


class FollowUpIn(Schema):
    satisfaction: int = Field(ge=1, le=5)
    note: Text = Field("", max_length=2000)


class ReopenIn(Schema):
    reason: Text = Field(min_length=1, max_length=1000)


class MergeIn(Schema):
    into: int = Field(ge=1, le=MAX_ID, description="id of the case that absorbs this one")
    note: Text = Field("", max_length=2000)


class ExtensionIn(Schema):
    amount: int = Field(ge=1, le=2160)
    unit: Literal[tuple(ClockUnit.values)] = ClockUnit.WORKING_DAYS  # type: ignore[valid-type]
    reason: Text = Field(min_length=1, max_length=500)


class DecisionIn(Schema):
    note: Text = Field("", max_length=500)


class SuperviseIn(Schema):
    level: int = Field(ge=1, le=3)
    note: Text = Field(min_length=1, max_length=2000)


class RevealIn(Schema):
    reason: Text = Field("", max_length=200)


class WholeNote(Schema):
    at: datetime
    action: str
    note: str


class ReporterFull(Schema):
    anonymous: bool
    name: str
    phone: str
    email: str
    text: str = Field(description="the case's words as written")
    reply: str
    returned_reason: str
    timeline: list[WholeNote] = Field(description="the timeline's notes as written")


class RouteOut(Schema):
    office: str | None
    office_name: str | None
    basis: str | None


class CaseFiltersIn(Schema):
    status: list[Literal[tuple(Status.values)]] | None = None  # type: ignore[valid-type]
    office: Text = Field("", max_length=40)
    region: Text = Field("", max_length=20, description="region code: the case lies in its subtree")
    category: Text = Field("", max_length=40, description="category code: the category or any below it")
    kind: Literal[("", *modules.kind_codes())] = ""  # type: ignore[valid-type]
    due_before: Moment | None = Field(None, description="cases whose running deadline is before this moment (with "
                                                        "its time zone)")
    overdue: bool | None = None
    q: Text = Field("", max_length=100, description="text search over the case text, address and tracking code")
    order: Literal["newest", "due"] = "newest"
    cursor: Text = Field("", max_length=200)
    limit: int = Field(50, ge=1, le=200)


class SupervisionFiltersIn(Schema):
    office: Text = Field("", max_length=40)
    region: Text = Field("", max_length=20)
    within_hours: int = Field(24, ge=1, le=24 * 30)
    limit: int = Field(100, ge=1, le=500)


# ---------------------------------------------------------------------------- output


def _reporter_out(user, case: Case) -> dict:
    reporter = case.reporter
    if reporter is None:
        return {"anonymous": True, "hidden": False, "name": "", "phone": ""}
    if access.person_hidden_from(user, case):
        return {"anonymous": False, "hidden": True, "name": "", "phone": ""}
    return {"anonymous": False, "hidden": False, "name": masking.mask_name(reporter.name),
            "phone": masking.mask_phone(reporter.phone)}


def case_out(user, case: Case, now=None) -> dict:
    now = now or timezone.now()
    return {
        "id": case.pk, "tracking_code": case.tracking_code, "tracking_code_display": display(case.tracking_code),
        "status": case.status, "status_label": str(Status(case.status).label), "kind": case.kind,
        "category": case.category.code, "category_name": case.category.name, "text": case.text,
        "channel": case.channel, "priority": case.priority, "lat": case.lat, "lng": case.lng,
        "address": case.address, "region_code": case.region.code, "region_name": case.region.name,
        "grid_code": case.grid.code if case.grid_id else None,
        "office": case.office.code if case.office_id else None,
        "office_name": case.office.name if case.office_id else None,
        "confidential": case.confidential, "reporter": _reporter_out(user, case),
        "submitted_at": case.submitted_at, "accepted_at": case.accepted_at, "resolved_at": case.resolved_at,
        "closed_at": case.closed_at, "accept_due_at": case.accept_due_at, "handle_due_at": case.handle_due_at,
        "reply_due_at": case.reply_due_at, "due_at": case.due_at,
        "overdue": case.due_at is not None and case.due_at < now,
        "deadline_estimated": case.deadline_estimated, "paused": case.paused_at is not None,
        "supervision_level": case.supervision_level, "returned_reason": case.returned_reason,
        "reply": case.reply, "satisfaction": case.satisfaction, "reopen_count": case.reopen_count,
        "merged_into": case.merged_into.tracking_code if case.merged_into_id else None,
        "synthetic": case.is_synthetic,
    }


def case_detail(user, case: Case) -> dict:
    data = case_out(user, case)
    data["actions"] = access.allowed_actions(user, case)
    data["can_reveal_reporter"] = access.can_reveal_person(user, case)
    data["timeline"] = [
        {"at": e.at, "action": e.action, "action_label": str(e.get_action_display()),
         "actor": str(e.actor) if e.actor_id else None, "from_status": e.from_status, "to_status": e.to_status,
         "note": e.note, "data": e.data, "public": e.public}
        for e in case.events.select_related("actor")
    ]
    data["attachments"] = [_attachment_out(user, case, a) for a in case.attachments.all()]
    data["extension_requests"] = list(
        case.extension_requests.values("id", "amount", "unit", "reason", "status", "requested_at", "decided_at",
                                       "decision_note")
    )
    return data


def _attachment_url(attachment) -> str:
    return f"/api/v1/cases/{attachment.case_id}/attachments/{attachment.pk}"


def _attachment_out(user, case: Case, attachment) -> dict:
    withheld = access.attachment_withheld(user, case, attachment)
    return {"id": attachment.pk, "name": attachment.original_name, "content_type": attachment.content_type,
            "size": attachment.size, "url": None if withheld else _attachment_url(attachment),
            "uploaded_at": attachment.uploaded_at, "free_of_personal_data": attachment.free_of_personal_data,
            "withheld": withheld}


def _case(request, case_id: int) -> Case:
    if not 0 < case_id < MAX_ID:
        raise Http404
    return access.get_case_for(request.user, case_id, Case.objects.select_related(*queries.LIST_RELATED))


def _detail(request, case: Case) -> dict:
    # The answer to the actor's own change, read again without the scope filter: a return
    # (退单) moves the case out of the handler's scope, yet the handler should see the result.
    return case_detail(request.user, Case.objects.select_related(*queries.LIST_RELATED).get(pk=case.pk))


# ---------------------------------------------------------------------------- endpoints

ERRORS = {400: dict, 401: dict, 403: dict, 404: dict, 409: dict, 413: dict, 415: dict, 422: dict}


@router.post("", response={201: CaseDetail, 200: CaseDetail, **ERRORS}, summary="Register a case")
def create_case(request, payload: CaseIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    """Register a concern. Send an ``Idempotency-Key`` header to make retries safe: the same
    key and body return the case the first request created (200) instead of a new one."""
    data = services.NewCase(
        kind=payload.kind, category_code=payload.category, text=payload.text, channel=payload.channel,
        priority=payload.priority, lat=payload.lat, lng=payload.lng, address=payload.address,
        region_code=payload.region_code, reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone, reporter_email=payload.reporter_email,
        confidential=payload.confidential, about_office_code=payload.about_office,
    )
    if "\x00" in idempotency_key:
        raise services.CaseError(_("Idempotency-Key holds characters that are not allowed."), status=422,
                                 field="Idempotency-Key")
    case, created = services.create_case(request.user, data, idempotency_key=idempotency_key.strip())
    return HTTP(201 if created else 200, _detail(request, case))


@router.get("", response={200: CasePage, **ERRORS}, summary="List cases")
def list_cases(request, filters: Query[CaseFiltersIn]):
    """Cases you may see, filtered, newest first (or by deadline with ``order=due``), with
    cursor pagination: pass ``next_cursor`` back as ``cursor``."""
    try:
        page, next_cursor = queries.case_list(
            request.user,
            queries.CaseFilters(
                status=filters.status, office=filters.office, region=filters.region, category=filters.category,
                kind=filters.kind, due_before=filters.due_before, overdue=filters.overdue, text=filters.q,
                order=filters.order,
            ),
            cursor=filters.cursor, limit=filters.limit,
        )
    except queries.BadCursor:
        raise services.CaseError(_("The cursor is not one this list gave out."), status=422, field="cursor") from None
    now = timezone.now()
    return {"items": [case_out(request.user, c, now) for c in page], "next_cursor": next_cursor}


@router.get("/inbox", response={200: list[CaseOut], **ERRORS}, summary="My office's cases in hand")
def inbox(request, limit: int = Query(50, ge=1, le=200)):
    now = timezone.now()
    return [case_out(request.user, c, now) for c in queries.inbox(request.user, limit)]


@router.get("/overdue", response={200: list[CaseOut], **ERRORS}, summary="Overdue cases")
def overdue(request, filters: Query[SupervisionFiltersIn]):
    now = timezone.now()
    rows = queries.overdue(request.user, office_code=filters.office, region_code=filters.region, now=now,
                           limit=filters.limit)
    return [case_out(request.user, c, now) for c in rows]


@router.get("/due-soon", response={200: list[CaseOut], **ERRORS}, summary="Cases due soon")
def due_soon(request, filters: Query[SupervisionFiltersIn]):
    now = timezone.now()
    rows = queries.due_soon(request.user, within_hours=filters.within_hours, office_code=filters.office,
                            region_code=filters.region, now=now, limit=filters.limit)
    return [case_out(request.user, c, now) for c in rows]


@router.get("/{int:case_id}", response={200: CaseDetail, **ERRORS}, summary="One case with its timeline")
def get_case(request, case_id: int):
    return case_detail(request.user, _case(request, case_id))


@router.get("/{int:case_id}/route", response={200: RouteOut, **ERRORS}, summary="Where the routing rules send it")
def suggested_route(request, case_id: int):
    routed = services.route(_case(request, case_id))
    if routed is None:
        return {"office": None, "office_name": None, "basis": None}
    return {"office": routed[0].code, "office_name": routed[0].name, "basis": routed[1]}


@router.get("/{int:case_id}/duplicates", response={200: list[CaseOut], **ERRORS}, summary="Possible duplicates")
def duplicates(request, case_id: int):
    candidates = services.duplicate_candidates(_case(request, case_id))
    visible = set(
        access.visible_to(request.user).filter(pk__in=[c.pk for c in candidates]).values_list("pk", flat=True)
    )
    return [case_out(request.user, c) for c in candidates if c.pk in visible]


@router.post("/{int:case_id}/reporter", response={200: ReporterFull, **ERRORS}, summary="Reveal the reporter (logged)")
def reveal_reporter(request, case_id: int, payload: RevealIn):
    """Show the reporter's full contact details and the case's words as written (every text is
    otherwise read redacted). Every call is logged, granted or refused."""
    case = _case(request, case_id)
    reporter = services.reveal_reporter(request.user, case, reason=payload.reason)
    words = {"text": redaction.whole(case, "text"), "reply": redaction.whole(case, "reply"),
             "returned_reason": redaction.whole(case, "returned_reason"),
             "timeline": [{"at": e.at, "action": e.action, "note": redaction.whole(e, "note")}
                          for e in case.events.all()]}
    if reporter is None:
        return {"anonymous": True, "name": "", "phone": "", "email": "", **words}
    return {"anonymous": False, "name": reporter.name, "phone": reporter.phone, "email": reporter.email, **words}


@router.post("/{int:case_id}/accept", response={200: CaseDetail, **ERRORS}, summary="Accept (受理)")
def accept(request, case_id: int, payload: NoteIn):
    return _detail(request, services.accept_case(request.user, _case(request, case_id), note=payload.note))


@router.post("/{int:case_id}/reject", response={200: CaseDetail, **ERRORS}, summary="Reject (不予受理)")
def reject(request, case_id: int, payload: ReplyIn):
    return _detail(request, services.reject_case(request.user, _case(request, case_id), reply=payload.reply))


@router.post("/{int:case_id}/dispatch", response={200: CaseDetail, **ERRORS}, summary="Dispatch (派单)")
def dispatch(request, case_id: int, payload: DispatchIn):
    case = services.dispatch_case(request.user, _case(request, case_id), office_code=payload.office,
                                  note=payload.note)
    return _detail(request, case)


@router.post("/{int:case_id}/return", response={200: CaseDetail, **ERRORS}, summary="Return (退单)")
def return_(request, case_id: int, payload: ReasonIn):
    return _detail(request, services.return_case(request.user, _case(request, case_id), reason=payload.reason))


@router.post("/{int:case_id}/transfer", response={200: CaseDetail, **ERRORS}, summary="Transfer (转办)")
def transfer(request, case_id: int, payload: TransferIn):
    case = services.transfer_case(request.user, _case(request, case_id), office_code=payload.office,
                                  note=payload.note)
    return _detail(request, case)


@router.post("/{int:case_id}/withhold", response={200: CaseDetail, **ERRORS},
             summary="Keep from the office it is about")
def withhold(request, case_id: int, payload: WithholdIn):
    """When the words alone would tell the office a complaint is about who complained, keep the
    case from that office, as a report of wrongdoing is kept."""
    case = services.withhold_from_office_about(request.user, _case(request, case_id), reason=payload.reason,
                                               office_code=payload.office)
    return _detail(request, case)


@router.post("/{int:case_id}/start", response={200: CaseDetail, **ERRORS}, summary="Start handling")
def start(request, case_id: int, payload: NoteIn):
    return _detail(request, services.start_case(request.user, _case(request, case_id), note=payload.note))


@router.post("/{int:case_id}/wait", response={200: CaseDetail, **ERRORS}, summary="Wait for the reporter")
def wait(request, case_id: int, payload: QuestionIn):
    case = services.wait_for_reporter(request.user, _case(request, case_id), question=payload.question)
    return _detail(request, case)


@router.post("/{int:case_id}/resume", response={200: CaseDetail, **ERRORS}, summary="Resume")
def resume(request, case_id: int, payload: NoteIn):
    return _detail(request, services.resume_case(request.user, _case(request, case_id), note=payload.note))


@router.post("/{int:case_id}/resolve", response={200: CaseDetail, **ERRORS}, summary="Resolve with a reply (办结)")
def resolve(request, case_id: int, payload: ReplyIn):
    return _detail(request, services.resolve_case(request.user, _case(request, case_id), reply=payload.reply))


@router.post("/{int:case_id}/follow-up", response={200: CaseDetail, **ERRORS}, summary="Follow up (回访)")
def follow_up(request, case_id: int, payload: FollowUpIn):
    case = services.follow_up_case(request.user, _case(request, case_id), satisfaction=payload.satisfaction,
                                   note=payload.note)
    return _detail(request, case)


@router.post("/{int:case_id}/reopen", response={200: CaseDetail, **ERRORS}, summary="Reopen")
def reopen(request, case_id: int, payload: ReopenIn):
    return _detail(request, services.reopen_case(request.user, _case(request, case_id), reason=payload.reason))


@router.post("/{int:case_id}/merge", response={200: CaseDetail, **ERRORS}, summary="Merge into another case")
def merge(request, case_id: int, payload: MergeIn):
    case = _case(request, case_id)
    try:
        into = _case(request, payload.into)
    except Http404:
        raise services.CaseError(_("Unknown case."), status=422, field="into") from None
    return _detail(request, services.merge_case(request.user, case, into=into, note=payload.note))


@router.post("/{int:case_id}/extensions", response={201: ExtensionOut, **ERRORS}, summary="Ask for more time")
def request_extension(request, case_id: int, payload: ExtensionIn):
    extension = services.request_extension(request.user, _case(request, case_id), amount=payload.amount,
                                           unit=payload.unit, reason=payload.reason)
    return HTTP(201, extension)


@router.post("/{int:case_id}/extensions/{int:request_id}/approve", response={200: CaseDetail, **ERRORS},
             summary="Approve an extension")
def approve_extension(request, case_id: int, request_id: int, payload: DecisionIn):
    case = services.approve_extension(request.user, _case(request, case_id), request_id=request_id,
                                      note=payload.note)
    return _detail(request, case)


@router.post("/{int:case_id}/extensions/{int:request_id}/deny", response={200: CaseDetail, **ERRORS},
             summary="Deny an extension")
def deny_extension(request, case_id: int, request_id: int, payload: DecisionIn):
    case = services.deny_extension(request.user, _case(request, case_id), request_id=request_id, note=payload.note)
    return _detail(request, case)


@router.post("/{int:case_id}/supervise", response={201: CaseDetail, **ERRORS}, summary="Issue a supervision notice")
def supervise(request, case_id: int, payload: SuperviseIn):
    case = _case(request, case_id)
    services.supervise_case(request.user, case, level=payload.level, note=payload.note)
    return HTTP(201, _detail(request, case))


@router.post("/{int:case_id}/attachments", response={201: AttachmentOut, **ERRORS}, summary="Attach a file")
def attach(request, case_id: int, file: File[UploadedFile]):
    case = _case(request, case_id)
    attachment = services.add_attachment(request.user, case, file)
    return HTTP(201, _attachment_out(request.user, case, attachment))


@router.post("/{int:case_id}/attachments/{int:attachment_id}/clear", response={200: AttachmentOut, **ERRORS},
             summary="Mark a file free of personal data (logged)")
def clear_attachment(request, case_id: int, attachment_id: int):
    """Say a file shows nobody, so that users from whom the case's people are hidden may open it.
    Only staff who may see those people can; every attempt is logged."""
    case = _case(request, case_id)
    attachment = services.clear_attachment(request.user, case, attachment_id)
    return _attachment_out(request.user, case, attachment)


@router.get("/{int:case_id}/attachments/{int:attachment_id}", response={200: None, **ERRORS},
            summary="Download an attachment")
def download(request, case_id: int, attachment_id: int):
    case = _case(request, case_id)
    attachment = case.attachments.filter(pk=attachment_id).first() if 0 < attachment_id < MAX_ID else None
    if attachment is None or access.attachment_withheld(request.user, case, attachment):
        raise Http404
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type,
                        filename=attachment.original_name)


class CategoryOut(Schema):
    code: str
    name: str
    parent: str | None
    gbt31000_code: str
    default_kind: str


@directory_router.get("/categories", response={200: list[CategoryOut], 401: dict}, summary="Categories")
def categories(request):
    return [{"code": c.code, "name": c.name, "parent": c.parent.code if c.parent_id else None,
             "gbt31000_code": c.gbt31000_code, "default_kind": c.default_kind}
            for c in Category.objects.filter(is_active=True).select_related("parent")]
