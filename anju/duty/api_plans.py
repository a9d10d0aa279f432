"""The plans and drills API: /api/v1/plans and /api/v1/drills. Thin: parse, look the plan (drill)
up through ``plans_access``, call the one service in ``plans``, answer. One endpoint per action:
a new approved version, a review, retirement; planning, holding and cancelling a drill, an
improvement and marking it done. Every member of staff reads; ``actions`` says what you may do."""

from datetime import date, datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Header, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as HTTP

from anju.cases.api import ERRORS, MAX_ID
from anju.cases.services import CaseError
from anju.duty import plans, plans_queries
from anju.duty import plans_access as access
from anju.duty.choices import DrillStatus, DrillType, PlanKind, PlanStatus, ReviewConclusion
from anju.duty.models import ContingencyPlan, Drill, DrillImprovement, PlanVersion
from anju.lib.api import Day, Text, choices_of
from anju.lib.paging import keyset_page
from anju.lib.workdays import local_date
from anju.people.models import Office

plans_router = Router(tags=["plans"])
drills_router = Router(tags=["drills"])

CURSOR = Field(None, ge=1, le=MAX_ID, description="next_cursor of the previous page")
NEXT_CURSOR = Field(description="pass back as cursor for the next page; null at the end")
PERIOD = Field(None, ge=1, le=plans.MAX_PERIOD_MONTHS, description="months; the default of the kind when empty")


def _id(value: int) -> int:
    if not 0 < value < MAX_ID:
        raise Http404
    return value


def _idempotency_key(value: str) -> str:
    if "\x00" in value:
        raise CaseError(_("Idempotency-Key holds characters that are not allowed."), status=422,
                        field="Idempotency-Key")
    return value.strip()


def _today() -> date:
    return local_date(timezone.now())


# ---------------------------------------------------------------------------- plans


class ContingencyPlanOut(Schema):
    id: int
    title: str
    number: str = Field(description="the plan's number (文号), when it has one")
    kind: str
    kind_name: str
    owner: str = Field(description="code of the owning office")
    owner_name: str
    scope: str
    status: str
    status_name: str
    current_version: int = Field(description="0 while no version is approved")
    in_force_since: date | None
    review_period_months: int
    next_review_on: date | None
    last_reviewed_on: date | None
    review_due_soon: bool = Field(description="the sweep warned that its review falls due soon")
    review_overdue: bool = Field(description="its next review is past")
    drill_period_months: int
    last_drilled_on: date | None
    drill_due_on: date | None = Field(description="drill it by then to stay within its period")
    never_drilled: bool
    not_drilled: bool = Field(description="not drilled within its period (from the last drill, or from coming "
                                          "into force when never drilled)")
    created_at: datetime
    updated_at: datetime


class ContingencyPlanPage(Schema):
    items: list[ContingencyPlanOut]
    next_cursor: int | None = NEXT_CURSOR


class ContingencyPlanVersionOut(Schema):
    number: int
    approved_on: date
    approved_by: str = Field(description="the approving body")
    changes: str
    file_name: str | None = Field(description="name of the attached document, when there is one")
    file_type: str | None
    file_size: int | None
    recorded_by: str
    recorded_at: datetime


class ContingencyPlanReviewOut(Schema):
    reviewed_on: date
    conclusion: str
    note: str
    was_overdue: bool
    next_review_on: date
    recorded_by: str


class ContingencyPlanDrillBriefOut(Schema):
    id: int
    title: str
    drill_type: str
    status: str
    scheduled_on: date
    held_on: date | None


class ContingencyPlanDetail(ContingencyPlanOut):
    actions: list[str] = Field(description="what you may do now: update, approve_version, review, plan_drill, retire")
    retired_on: date | None
    retired_reason: str
    versions: list[ContingencyPlanVersionOut]
    reviews: list[ContingencyPlanReviewOut]
    drills: list[ContingencyPlanDrillBriefOut]


class ContingencyPlanIn(Schema):
    title: Text = Field(min_length=1, max_length=200)
    kind: choices_of(PlanKind.values)  # type: ignore[valid-type]
    owner: Text = Field(min_length=1, max_length=40, description="code of the owning office")
    scope: Text = Field(min_length=1, max_length=2000, description="where and to what it applies (适用范围)")
    number: Text = Field("", max_length=60)
    review_period_months: int | None = PERIOD
    drill_period_months: int | None = PERIOD


class ContingencyPlanFiltersIn(Schema):
    owner: Text = Field("", max_length=40, description="code of the owning office")
    kind: choices_of(["", *PlanKind.values]) = ""  # type: ignore[valid-type]
    status: choices_of(["", *PlanStatus.values]) = Field("", description="all but retired when empty")  # type: ignore[valid-type]
    due_review: bool = Field(False, description="only plans whose review is overdue or falls due soon")
    not_drilled: bool = Field(False, description="only plans not drilled within their period")
    q: Text = Field("", max_length=100, description="text in the title, number or scope")
    cursor: int | None = CURSOR
    limit: int = Field(50, ge=1, le=200)


class ContingencyPlanVersionIn(Schema):
    approved_on: Day
    approved_by: Text = Field(min_length=1, max_length=200, description="the approving body (审批机关)")
    changes: Text = Field("", max_length=4000, description="what changed; required from the second version on")


class ContingencyPlanReviewIn(Schema):
    reviewed_on: Day
    conclusion: choices_of(ReviewConclusion.values)  # type: ignore[valid-type]
    note: Text = Field("", max_length=4000, description="the findings; required when it must be revised")


class ContingencyPlanRetireIn(Schema):
    reason: Text = Field(min_length=1, max_length=500)


def plan_out(plan: ContingencyPlan, today: date) -> dict:
    return {
        "id": plan.pk, "title": plan.title, "number": plan.number, "kind": plan.kind,
        "kind_name": str(PlanKind(plan.kind).label), "owner": plan.owner.code, "owner_name": plan.owner.name,
        "scope": plan.scope, "status": plan.status, "status_name": str(PlanStatus(plan.status).label),
        "current_version": plan.current_version, "in_force_since": plan.in_force_since,
        "review_period_months": plan.review_period_months, "next_review_on": plan.next_review_on,
        "last_reviewed_on": plan.last_reviewed_on, "review_due_soon": plan.review_due_soon(today),
        "review_overdue": plan.review_overdue(today), "drill_period_months": plan.drill_period_months,
        "last_drilled_on": plan.last_drilled_on, "drill_due_on": plan.drill_due_on,
        "never_drilled": plan.last_drilled_on is None, "not_drilled": plan.not_drilled(today),
        "created_at": plan.created_at, "updated_at": plan.updated_at,
    }


def _version_out(version: PlanVersion) -> dict:
    return {"number": version.number, "approved_on": version.approved_on, "approved_by": version.approved_by,
            "changes": version.changes, "file_name": version.file_name or None,
            "file_type": version.content_type or None, "file_size": version.size,
            "recorded_by": version.recorded_by.username, "recorded_at": version.recorded_at}


def plan_detail(user, plan: ContingencyPlan) -> dict:
    data = plan_out(plan, _today())
    data["actions"] = access.plan_actions(user, plan)
    data["retired_on"], data["retired_reason"] = plan.retired_on, plan.retired_reason
    data["versions"] = [_version_out(v) for v in plan.versions.select_related("recorded_by")]
    data["reviews"] = [{"reviewed_on": r.reviewed_on, "conclusion": r.conclusion, "note": r.note,
                        "was_overdue": r.was_overdue, "next_review_on": r.next_review_on,
                        "recorded_by": r.recorded_by.username} for r in plan.reviews.select_related("recorded_by")]
    data["drills"] = [{"id": d.pk, "title": d.title, "drill_type": d.drill_type, "status": d.status,
                       "scheduled_on": d.scheduled_on, "held_on": d.held_on}
                      for d in plan.drills.order_by("-scheduled_on", "-id")]
    return data


def _plan(request, plan_id: int) -> ContingencyPlan:
    return access.get_plan_for(request.user, _id(plan_id))


def _plan_again(plan: ContingencyPlan) -> ContingencyPlan:
    return ContingencyPlan.objects.select_related("owner", "owner__jurisdiction").get(pk=plan.pk)


def _new_plan(payload: ContingencyPlanIn) -> plans.NewPlan:
    return plans.NewPlan(title=payload.title, kind=payload.kind, owner=payload.owner, scope=payload.scope,
                         number=payload.number, review_period_months=payload.review_period_months,
                         drill_period_months=payload.drill_period_months)


@plans_router.get("", response={200: ContingencyPlanPage, **ERRORS}, summary="List contingency plans")
def list_plans(request, filters: Query[ContingencyPlanFiltersIn]):
    """The plans library, newest first, retired plans only when asked for by status; pass
    ``next_cursor`` back as ``cursor``."""
    if filters.owner and not Office.objects.filter(code=filters.owner).exists():
        raise CaseError(_("Unknown office."), status=422, field="owner")
    today = _today()
    rows = plans_queries.plans_for(request.user, plans_queries.PlanFilters(
        owner=filters.owner, kind=filters.kind, status=filters.status, due_review=filters.due_review,
        not_drilled=filters.not_drilled, text=filters.q), today=today)
    page, next_cursor = keyset_page(rows, filters.cursor, filters.limit)
    return {"items": [plan_out(p, today) for p in page], "next_cursor": next_cursor}


@plans_router.post("", response={201: ContingencyPlanDetail, 200: ContingencyPlanDetail, **ERRORS},
                   summary="Register a plan")
def create_plan(request, payload: ContingencyPlanIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    """Add a plan to the library, as a draft until its first version is approved. An
    ``Idempotency-Key`` header makes retries safe: the same key and body return the plan the
    first request registered (200)."""
    plan, created = plans.create_plan_once(request.user, _new_plan(payload),
                                           idempotency_key=_idempotency_key(idempotency_key))
    return HTTP(201 if created else 200, plan_detail(request.user, _plan_again(plan)))


@plans_router.get("/{int:plan_id}", response={200: ContingencyPlanDetail, **ERRORS}, summary="One plan")
def get_plan(request, plan_id: int):
    """The plan with its versions, reviews and drills, and what you may do with it now."""
    return plan_detail(request.user, _plan(request, plan_id))


@plans_router.put("/{int:plan_id}", response={200: ContingencyPlanDetail, **ERRORS}, summary="Correct a plan")
def update_plan(request, plan_id: int, payload: ContingencyPlanIn):
    """Correct the plan's details and its review and drill periods; its dates move with them."""
    plan = plans.update_plan(request.user, _plan(request, plan_id), _new_plan(payload))
    return plan_detail(request.user, _plan_again(plan))


@plans_router.post("/{int:plan_id}/versions", response={201: ContingencyPlanDetail, **ERRORS},
                   summary="Record a newly approved version")
def approve_version(request, plan_id: int, payload: Form[ContingencyPlanVersionIn], file: File[UploadedFile] = None):
    """A multipart form: the approval date and body, what changed, and the document (PDF or
    Word) as ``file`` when there is one. The plan is in force from then on and its next review
    runs from the approval."""
    plan = _plan(request, plan_id)
    plans.approve_version(request.user, plan, plans.NewVersion(
        approved_on=payload.approved_on, approved_by=payload.approved_by, changes=payload.changes), upload=file)
    return HTTP(201, plan_detail(request.user, _plan_again(plan)))


@plans_router.post("/{int:plan_id}/reviews", response={201: ContingencyPlanDetail, **ERRORS}, summary="Record a review")
def record_review(request, plan_id: int, payload: ContingencyPlanReviewIn):
    """A periodic review (评估): keep the plan in force, or revise it (it is under revision until
    the next version). The next review runs from this one."""
    plan = _plan(request, plan_id)
    plans.record_review(request.user, plan, reviewed_on=payload.reviewed_on, conclusion=payload.conclusion,
                        note=payload.note)
    return HTTP(201, plan_detail(request.user, _plan_again(plan)))


@plans_router.post("/{int:plan_id}/retire", response={200: ContingencyPlanDetail, **ERRORS}, summary="Retire a plan")
def retire_plan(request, plan_id: int, payload: ContingencyPlanRetireIn):
    """A retired plan (废止) keeps its history; its planned drills are cancelled."""
    plan = plans.retire_plan(request.user, _plan(request, plan_id), reason=payload.reason)
    return plan_detail(request.user, _plan_again(plan))


# ---------------------------------------------------------------------------- drills


class DrillImprovementOut(Schema):
    id: int
    text: str
    owner: str = Field(description="code of the responsible office")
    owner_name: str
    due_on: date
    done_on: date | None
    done_note: str
    overdue: bool = Field(description="not done and past its deadline")


class DrillOut(Schema):
    id: int
    plan: int
    plan_title: str
    drill_type: str
    drill_type_name: str
    status: str
    title: str
    scheduled_on: date
    held_on: date | None
    units: str = Field(description="the participating units")
    head_count: int | None = Field(description="how many took part")
    findings: str
    cancel_reason: str
    improvements_open: int
    created_at: datetime


class DrillPage(Schema):
    items: list[DrillOut]
    next_cursor: int | None = NEXT_CURSOR


class DrillDetail(DrillOut):
    actions: list[str] = Field(description="what you may do now: hold, cancel, add_improvement")
    improvements: list[DrillImprovementOut]


class DrillIn(Schema):
    plan: int = Field(ge=1, le=MAX_ID)
    drill_type: choices_of(DrillType.values)  # type: ignore[valid-type]
    title: Text = Field(min_length=1, max_length=200)
    scheduled_on: Day


class DrillFiltersIn(Schema):
    plan: int | None = Field(None, ge=1, le=MAX_ID)
    status: choices_of(["", *DrillStatus.values]) = ""  # type: ignore[valid-type]
    drill_type: choices_of(["", *DrillType.values]) = ""  # type: ignore[valid-type]
    cursor: int | None = CURSOR
    limit: int = Field(50, ge=1, le=200)


class DrillHoldIn(Schema):
    held_on: Day
    units: Text = Field(min_length=1, max_length=2000, description="the participating units (no names of persons)")
    head_count: int = Field(ge=1, le=plans.MAX_HEAD_COUNT)
    findings: Text = Field("", max_length=4000)


class DrillCancelIn(Schema):
    reason: Text = Field(min_length=1, max_length=500)


class DrillImprovementIn(Schema):
    text: Text = Field(min_length=1, max_length=500)
    owner: Text = Field(min_length=1, max_length=40, description="code of the responsible office")
    due_on: Day


class DrillImprovementDoneIn(Schema):
    done_on: Day
    note: Text = Field("", max_length=500)


def drill_out(drill: Drill, improvements_open: int | None = None) -> dict:
    if improvements_open is None:
        improvements_open = drill.improvements.filter(done_on__isnull=True).count()
    return {
        "id": drill.pk, "plan": drill.plan_id, "plan_title": drill.plan.title, "drill_type": drill.drill_type,
        "drill_type_name": str(DrillType(drill.drill_type).label), "status": drill.status, "title": drill.title,
        "scheduled_on": drill.scheduled_on, "held_on": drill.held_on, "units": drill.units,
        "head_count": drill.head_count, "findings": drill.findings, "cancel_reason": drill.cancel_reason,
        "improvements_open": improvements_open, "created_at": drill.created_at,
    }


def improvement_out(row: DrillImprovement, today: date) -> dict:
    return {"id": row.pk, "text": row.text, "owner": row.owner.code, "owner_name": row.owner.name,
            "due_on": row.due_on, "done_on": row.done_on, "done_note": row.done_note,
            "overdue": row.is_overdue(today)}


def drill_detail(user, drill: Drill) -> dict:
    data = drill_out(drill)
    data["actions"] = access.drill_actions(user, drill)
    today = _today()
    data["improvements"] = [improvement_out(i, today) for i in drill.improvements.select_related("owner")]
    return data


def _drill(request, drill_id: int) -> Drill:
    return access.get_drill_for(request.user, _id(drill_id))


def _drill_again(drill: Drill) -> Drill:
    return Drill.objects.select_related("plan", "plan__owner").get(pk=drill.pk)


@drills_router.get("", response={200: DrillPage, **ERRORS}, summary="List drills")
def list_drills(request, filters: Query[DrillFiltersIn]):
    """Drills, newest first; pass ``next_cursor`` back as ``cursor``."""
    rows = plans_queries.drills_for(request.user, plans_queries.DrillFilters(
        plan=filters.plan, status=filters.status, drill_type=filters.drill_type))
    page, next_cursor = keyset_page(rows, filters.cursor, filters.limit)
    return {"items": [drill_out(d, d.improvements_open) for d in page], "next_cursor": next_cursor}


@drills_router.post("", response={201: DrillDetail, 200: DrillDetail, **ERRORS}, summary="Plan a drill")
def plan_drill(request, payload: DrillIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    """Plan a drill on a plan for a day. An ``Idempotency-Key`` header makes retries safe (the
    same key and body return the drill planned first, 200)."""
    drill, created = plans.plan_drill_once(
        request.user, plans.NewDrill(plan=payload.plan, drill_type=payload.drill_type, title=payload.title,
                                     scheduled_on=payload.scheduled_on),
        idempotency_key=_idempotency_key(idempotency_key))
    return HTTP(201 if created else 200, drill_detail(request.user, _drill_again(drill)))


@drills_router.get("/{int:drill_id}", response={200: DrillDetail, **ERRORS}, summary="One drill")
def get_drill(request, drill_id: int):
    return drill_detail(request.user, _drill(request, drill_id))


@drills_router.post("/{int:drill_id}/hold", response={200: DrillDetail, **ERRORS}, summary="Record a drill held")
def hold_drill(request, drill_id: int, payload: DrillHoldIn):
    """The day it was held, the participating units, how many took part and what it found; the
    plan counts as drilled from that day."""
    drill = plans.hold_drill(request.user, _drill(request, drill_id), held_on=payload.held_on, units=payload.units,
                             head_count=payload.head_count, findings=payload.findings)
    return drill_detail(request.user, _drill_again(drill))


@drills_router.post("/{int:drill_id}/cancel", response={200: DrillDetail, **ERRORS}, summary="Cancel a drill")
def cancel_drill(request, drill_id: int, payload: DrillCancelIn):
    drill = plans.cancel_drill(request.user, _drill(request, drill_id), reason=payload.reason)
    return drill_detail(request.user, _drill_again(drill))


@drills_router.post("/{int:drill_id}/improvements", response={201: DrillDetail, **ERRORS},
                    summary="Add an improvement")
def add_improvement(request, drill_id: int, payload: DrillImprovementIn):
    """Something the drill showed must improve, the office responsible and the deadline."""
    drill = _drill(request, drill_id)
    plans.add_improvement(request.user, drill, text=payload.text, owner=payload.owner, due_on=payload.due_on)
    return HTTP(201, drill_detail(request.user, _drill_again(drill)))


@drills_router.post("/{int:drill_id}/improvements/{int:improvement_id}/done", response={200: DrillDetail, **ERRORS},
                    summary="Mark an improvement done")
def mark_improvement_done(request, drill_id: int, improvement_id: int, payload: DrillImprovementDoneIn):
    drill = _drill(request, drill_id)
    improvement = access.get_improvement_for(request.user, drill, _id(improvement_id))
    plans.mark_improvement_done(request.user, improvement, done_on=payload.done_on, note=payload.note)
    return drill_detail(request.user, _drill_again(drill))
