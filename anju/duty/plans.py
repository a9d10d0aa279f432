"""Every change to contingency plans and drills, one function per change, each in one
transaction: it checks the actor's right (``plans_access``) and the record's current state
(the tables in ``choices``), then writes. Messages go out with the sweep's transaction.

A plan's next review follows from its last review or its latest approved version plus its
review period ("原则上每3年评估一次"); the sweep (``sweep_plan_reviews``, registered in
``apps.py``) warns the owning office's handlers and its supervisors before that date and marks
the plan overdue after it. Periods here are calendar months, not working days: no legal time
limit counted on the working-day calendar depends on them.
"""

import calendar
import hashlib
import json
import zipfile
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anju.cases.messages import region_supervisors
from anju.cases.services import CaseError, check_choice, check_text
from anju.cases.sweep import claim_due_rows
from anju.duty import plans_access as access
from anju.duty.choices import (
    DRILL_PERIOD_MONTHS,
    DRILL_TRANSITIONS,
    LIVE_STATUSES,
    PLAN_TRANSITIONS,
    REVIEW_PERIOD_MONTHS,
    DrillStatus,
    DrillType,
    PlanKind,
    PlanStatus,
    ReviewConclusion,
    ReviewSweep,
)
from anju.duty.models import ContingencyPlan, Drill, DrillImprovement, PlanReview, PlanVersion
from anju.lib.api import EARLIEST, LATEST
from anju.lib.workdays import end_of_day, local_date
from anju.notify.services import notify_staff
from anju.people.choices import Role
from anju.people.models import Office, User

# The sweep warns this many days before a plan's review falls due.
REVIEW_WARN_DAYS = getattr(settings, "ANJU_PLAN_REVIEW_WARN_DAYS", 30)
# Periods a plan may be given, in months (a longer one is a typo).
MAX_PERIOD_MONTHS = 120
# The largest head count a drill may record (a typo beyond it).
MAX_HEAD_COUNT = 100_000

PLAN_FILE_TYPES = {".pdf": "application/pdf", ".doc": "application/msword",
                   ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _forbidden() -> CaseError:
    return CaseError(_("You may not do this."), status=403)


def add_months(day: date, months: int) -> date:
    """``day`` moved on by ``months`` calendar months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _today(now: datetime) -> date:
    return local_date(now)


def _day(value, field: str, label, *, today: date | None = None, past_only: bool = False) -> date:
    """A date within the range Anju keeps, and not after ``today`` when ``past_only``."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise CaseError(_("%(field)s is required.") % {"field": label}, status=422, field=field)
    if not EARLIEST <= value <= LATEST:
        raise CaseError(_("%(field)s must lie between %(start)s and %(end)s.") % {
            "field": label, "start": EARLIEST, "end": LATEST}, status=422, field=field)
    if past_only and today is not None and value > today:
        raise CaseError(_("%(field)s cannot be in the future.") % {"field": label}, status=422, field=field)
    return value


def _period(value, field: str, label, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PERIOD_MONTHS:
        raise CaseError(_("%(field)s must be a whole number of months from 1 to %(n)s.") % {
            "field": label, "n": MAX_PERIOD_MONTHS}, status=422, field=field)
    return value


def _office(code, field: str) -> Office:
    office = Office.objects.select_related("jurisdiction").filter(code=code, is_active=True).first() \
        if isinstance(code, str) and code else None
    if office is None:
        raise CaseError(_("Unknown or inactive office."), status=422, field=field)
    return office


def _check_state(row, transitions: dict, action: str, message) -> None:
    if row.status not in transitions[action]:
        raise CaseError(message, status=409)


# ---------------------------------------------------------------------------- plans


@dataclass
class NewPlan:
    title: str
    kind: str
    owner: str  # the owning office's code
    scope: str
    number: str = ""
    review_period_months: int | None = None
    drill_period_months: int | None = None


def _plan_fields(data: NewPlan) -> dict:
    """The plan's fields from ``data``, checked field by field (a 422 naming the first bad one)."""
    kind = check_choice(data.kind, PlanKind, "kind")
    return {
        "title": check_text(data.title, "title", _("Title"), 200),
        "number": check_text(data.number, "number", _("Plan number"), 60, required=False),
        "kind": kind,
        "owner": _office(data.owner, "owner"),
        "scope": check_text(data.scope, "scope", _("Scope"), 2000),
        "review_period_months": _period(data.review_period_months, "review_period_months",
                                        _("The review period"), REVIEW_PERIOD_MONTHS),
        "drill_period_months": _period(data.drill_period_months, "drill_period_months", _("The drill period"),
                                       DRILL_PERIOD_MONTHS[PlanKind(kind)]),
    }


@transaction.atomic
def create_plan(actor, data: NewPlan, *, now: datetime | None = None) -> ContingencyPlan:
    """Register a plan in the library, as a draft until its first version is approved."""
    fields = _plan_fields(data)
    if not access.can_keep_plans_of(actor, fields["owner"]):
        raise _forbidden()
    return ContingencyPlan.objects.create(created_by=actor, created_at=now or timezone.now(), **fields)


def create_plan_once(actor, data: NewPlan, *, idempotency_key: str = "",
                     now: datetime | None = None) -> tuple[ContingencyPlan, bool]:
    """``create_plan`` sent once per ``idempotency_key``: the same key and data from the same
    user again return the plan stored the first time (``created`` False)."""
    return _once(actor, idempotency_key, {"what": "plan", **asdict(data)}, ContingencyPlan,
                 lambda: create_plan(actor, data, now=now))


@transaction.atomic
def update_plan(actor, plan: ContingencyPlan, data: NewPlan, *, now: datetime | None = None) -> ContingencyPlan:
    """Correct a plan's details and its review and drill periods; the dates that follow from
    the periods move with them. The actor must keep the plan for its owner before and after."""
    plan = ContingencyPlan.objects.select_for_update().select_related("owner__jurisdiction").get(pk=plan.pk)
    if not access.can_keep(actor, plan):
        raise _forbidden()
    _check_state(plan, PLAN_TRANSITIONS, "update", _("A retired plan is no longer changed."))
    fields = _plan_fields(data)
    if not access.can_keep_plans_of(actor, fields["owner"]):
        raise CaseError(_("You do not keep the plans of this office."), status=403, field="owner")
    for name, value in fields.items():
        setattr(plan, name, value)
    _schedule(plan, now or timezone.now())
    plan.save()
    return plan


def _review_anchor(plan: ContingencyPlan) -> date | None:
    """The day the review period runs from: the last review, or the latest version's approval."""
    latest = plan.versions.order_by("-number").values_list("approved_on", flat=True).first()
    days = [d for d in (plan.last_reviewed_on, latest) if d is not None]
    return max(days) if days else None


def _schedule(plan: ContingencyPlan, now: datetime) -> None:
    """Set the dates that follow from the plan's versions, reviews, drills and periods, and when
    the sweep looks at its review next (a caller saves)."""
    anchor = _review_anchor(plan) if plan.status in LIVE_STATUSES else None
    plan.next_review_on = add_months(anchor, plan.review_period_months) if anchor else None
    _schedule_drill(plan)
    plan.sweep_stage, plan.missed_deadline = ReviewSweep.NONE, False
    if plan.next_review_on is None:
        plan.due_at = plan.sweep_at = None
        return
    # Due at the end of the review day; the warning goes out REVIEW_WARN_DAYS before.
    plan.due_at = end_of_day(plan.next_review_on)
    plan.sweep_at = max(plan.due_at - timedelta(days=REVIEW_WARN_DAYS), min(now, plan.due_at))


def _lock(plan: ContingencyPlan) -> ContingencyPlan:
    return ContingencyPlan.objects.select_for_update().select_related("owner__jurisdiction").get(pk=plan.pk)


@dataclass
class NewVersion:
    approved_on: date
    approved_by: str
    changes: str = ""


def check_plan_file(upload) -> tuple[str, str]:
    """The (content type, extension) of a plan's document, judged by its content: PDF, or Word
    (.docx, or the older .doc); CaseError (naming ``file``) when it is too large, empty or of
    another type. Like the core's ``check_upload``, which takes images and PDF only."""
    limit = settings.ANJU_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise CaseError(_("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, status=413,
                        field="file")
    if upload.size == 0:
        raise CaseError(_("The file is empty."), status=422, field="file")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    extension = None
    if head.startswith(b"%PDF-"):
        extension = ".pdf"
    elif head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") and (upload.name or "").lower().endswith(".doc"):
        extension = ".doc"
    elif head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                if "word/document.xml" in archive.namelist():
                    extension = ".docx"
        except (zipfile.BadZipFile, OSError, ValueError):
            extension = None
        upload.seek(0)
    if extension is None:
        raise CaseError(_("Only PDF and Word (.docx, .doc) files are accepted."), status=415, field="file")
    return PLAN_FILE_TYPES[extension], extension


@transaction.atomic
def approve_version(actor, plan: ContingencyPlan, data: NewVersion, *, upload=None,
                    now: datetime | None = None) -> PlanVersion:
    """Record a newly approved version (印发) of the plan with its document: the plan is in force
    from then on, and its next review runs from the approval."""
    now = now or timezone.now()
    plan = _lock(plan)
    if not access.can_keep(actor, plan):
        raise _forbidden()
    _check_state(plan, PLAN_TRANSITIONS, "approve_version", _("A retired plan gets no new versions."))
    approved_on = _day(data.approved_on, "approved_on", _("The approval date"), today=_today(now), past_only=True)
    previous = plan.versions.order_by("-number").first()
    if previous is not None and approved_on < previous.approved_on:
        raise CaseError(_("A new version cannot be approved before the version it replaces (%(day)s).") % {
            "day": previous.approved_on}, status=422, field="approved_on")
    approved_by = check_text(data.approved_by, "approved_by", _("The approving body"), 200)
    changes = check_text(data.changes, "changes", _("The summary of changes"), 4000, required=False)
    if previous is not None and not changes:
        raise CaseError(_("Say what changed from the previous version."), status=422, field="changes")
    file_type = check_plan_file(upload) if upload is not None else None
    version = PlanVersion(plan=plan, number=plan.current_version + 1, approved_on=approved_on,
                          approved_by=approved_by, changes=changes, recorded_by=actor, recorded_at=now)
    if file_type is not None:
        version.content_type, extension = file_type
        version.size = upload.size
        version.file_name = (upload.name or f"plan{extension}")[:200]
        version.file.save(f"plan-{plan.pk}-v{version.number}{extension}", upload, save=False)
    version.save()
    plan.current_version = version.number
    plan.status = PlanStatus.IN_FORCE
    if plan.in_force_since is None:
        plan.in_force_since = approved_on
    _schedule(plan, now)
    plan.save()
    return version


@transaction.atomic
def record_review(actor, plan: ContingencyPlan, *, reviewed_on: date, conclusion: str, note: str = "",
                  now: datetime | None = None) -> PlanReview:
    """Record a periodic review (评估) of a plan in force: its next review runs from this one.
    Concluding that it must be revised puts it under revision until a new version is approved;
    concluding that it stays valid puts a plan under revision back in force."""
    now = now or timezone.now()
    plan = _lock(plan)
    if not access.can_keep(actor, plan):
        raise _forbidden()
    _check_state(plan, PLAN_TRANSITIONS, "review", _("Only a plan in force or under revision is reviewed."))
    reviewed_on = _day(reviewed_on, "reviewed_on", _("The review date"), today=_today(now), past_only=True)
    if plan.in_force_since and reviewed_on < plan.in_force_since:
        raise CaseError(_("A review cannot be earlier than the day the plan came into force (%(day)s).") % {
            "day": plan.in_force_since}, status=422, field="reviewed_on")
    conclusion = check_choice(conclusion, ReviewConclusion, "conclusion")
    note = check_text(note, "note", _("The findings"), 4000, required=conclusion == ReviewConclusion.REVISE)
    was_overdue = plan.next_review_on is not None and reviewed_on > plan.next_review_on
    plan.last_reviewed_on = max(reviewed_on, plan.last_reviewed_on or reviewed_on)
    plan.status = PlanStatus.REVISING if conclusion == ReviewConclusion.REVISE else PlanStatus.IN_FORCE
    _schedule(plan, now)
    plan.save()
    return PlanReview.objects.create(plan=plan, reviewed_on=reviewed_on, conclusion=conclusion, note=note,
                                     was_overdue=was_overdue, next_review_on=plan.next_review_on,
                                     recorded_by=actor, recorded_at=now)


@transaction.atomic
def retire_plan(actor, plan: ContingencyPlan, *, reason: str, now: datetime | None = None) -> ContingencyPlan:
    """Retire a plan (废止): it keeps its history, is no longer reviewed or drilled, and its
    planned drills are cancelled."""
    now = now or timezone.now()
    plan = _lock(plan)
    if not access.can_keep(actor, plan):
        raise _forbidden()
    _check_state(plan, PLAN_TRANSITIONS, "retire", _("This plan is already retired."))
    reason = check_text(reason, "reason", _("The reason"), 500)
    plan.status, plan.retired_on, plan.retired_reason = PlanStatus.RETIRED, _today(now), reason
    _schedule(plan, now)
    plan.save()
    plan.drills.filter(status=DrillStatus.PLANNED).update(
        status=DrillStatus.CANCELLED, cancel_reason=_("The plan was retired."), updated_at=now)
    return plan


def _once(actor, key: str, request: dict, model, create) -> tuple:
    """Run ``create`` once per user and ``key``; the same key with another request is refused
    (see ``hazards.services`` for the same rule)."""
    if not key:
        return create(), True
    key = check_text(key, "Idempotency-Key", "Idempotency-Key", 100)
    fingerprint = hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()

    def earlier():
        row = model.objects.filter(created_by=actor, idempotency_key=key).first()
        if row is not None and row.request_hash != fingerprint:
            raise CaseError(_("This Idempotency-Key was used for a different request."), status=422,
                            field="Idempotency-Key")
        return row

    row = earlier()
    if row is not None:
        return row, False
    try:
        with transaction.atomic():
            made = create()
            model.objects.filter(pk=made.pk).update(idempotency_key=key, request_hash=fingerprint)
            made.idempotency_key, made.request_hash = key, fingerprint
    except IntegrityError:
        row = earlier()
        if row is None:
            raise
        return row, False
    return made, True


# ---------------------------------------------------------------------------- the review sweep


def sweep_plan_reviews(now: datetime | None = None, batch_size: int = 200) -> int:
    """The module's sweep (registered in ``apps.py``) of plan reviews: warn of a review due
    soon, then mark it overdue once its day has passed, telling the owning office's handlers
    and its supervisors each time. Returns how many plans it looked at."""
    rows = ContingencyPlan.objects.select_related("owner__jurisdiction")
    return claim_due_rows(rows, _sweep_plan, now=now or timezone.now(), batch_size=batch_size)


def _sweep_plan(plan: ContingencyPlan, now: datetime) -> None:
    if plan.status not in LIVE_STATUSES or plan.due_at is None:
        plan.sweep_at = None
    elif now < plan.due_at:
        plan.sweep_stage, plan.sweep_at = ReviewSweep.DUE_SOON, plan.due_at
        _tell_keepers(plan)
    else:
        plan.sweep_stage, plan.sweep_at, plan.missed_deadline = ReviewSweep.OVERDUE, None, True
        _tell_keepers(plan)
    plan.save(update_fields=["sweep_stage", "sweep_at", "missed_deadline"])


def plan_supervisors(office: Office) -> list:
    """The supervisors of the office's area: those scoped to its jurisdiction, or to the nearest
    region above it that has any."""
    region = office.jurisdiction
    while region is not None:
        found = region_supervisors(region)
        if found:
            return found
        region = region.parent
    return []


def _tell_keepers(plan: ContingencyPlan) -> None:
    """Tell the owning office's handlers and its supervisors that the plan's review is due soon
    or overdue (in the workbench and by e-mail), once per stage: the sweep holds the row."""
    handlers = list(User.objects.filter(is_active=True, roles__role=Role.HANDLER)
                    .filter(roles__office=plan.owner).distinct().order_by("pk"))
    handlers += list(User.objects.filter(is_active=True, office=plan.owner, roles__role=Role.HANDLER)
                     .distinct().order_by("pk"))
    users = handlers + plan_supervisors(plan.owner)
    if not users:
        return
    facts = {"plan": plan.title, "office": plan.owner.name, "due": plan.next_review_on}
    with translation.override(settings.LANGUAGE_CODE):
        if plan.sweep_stage == ReviewSweep.OVERDUE:
            subject = _("Review of the plan %(plan)s is overdue") % facts
            body = _("The contingency plan %(plan)s of %(office)s was due for its review (评估) by %(due)s. "
                     "Review it and record the conclusion.") % facts
        else:
            subject = _("Review of the plan %(plan)s is due soon") % facts
            body = _("The contingency plan %(plan)s of %(office)s is due for its review (评估) by %(due)s.") % facts
    notify_staff(users, event=f"plan_review_{ReviewSweep(plan.sweep_stage).name.lower()}", subject=subject,
                 body=body, link=reverse("duty:plan_detail", kwargs={"plan_id": plan.pk}))


# ---------------------------------------------------------------------------- drills


@dataclass
class NewDrill:
    plan: int
    drill_type: str
    title: str
    scheduled_on: date


@transaction.atomic
def plan_drill(actor, data: NewDrill, *, now: datetime | None = None) -> Drill:
    """Plan a drill on a plan for a day."""
    now = now or timezone.now()
    plan = ContingencyPlan.objects.select_related("owner__jurisdiction").filter(pk=data.plan).first() \
        if isinstance(data.plan, int) and not isinstance(data.plan, bool) else None
    if plan is None or not access.is_staff(actor):
        raise CaseError(_("Unknown plan."), status=422, field="plan")
    if not access.can_keep(actor, plan):
        raise _forbidden()
    _check_state(plan, PLAN_TRANSITIONS, "plan_drill", _("A retired plan is no longer drilled."))
    drill_type = check_choice(data.drill_type, DrillType, "drill_type")
    title = check_text(data.title, "title", _("Title"), 200)
    scheduled_on = _day(data.scheduled_on, "scheduled_on", _("The planned date"))
    return Drill.objects.create(plan=plan, drill_type=drill_type, title=title, scheduled_on=scheduled_on,
                                created_by=actor, created_at=now)


def plan_drill_once(actor, data: NewDrill, *, idempotency_key: str = "",
                    now: datetime | None = None) -> tuple[Drill, bool]:
    return _once(actor, idempotency_key, {"what": "drill", **asdict(data)}, Drill,
                 lambda: plan_drill(actor, data, now=now))


def _lock_drill(actor, drill: Drill, action: str, message) -> Drill:
    drill = Drill.objects.select_for_update().select_related("plan__owner__jurisdiction").get(pk=drill.pk)
    if not access.can_keep(actor, drill.plan):
        raise _forbidden()
    _check_state(drill, DRILL_TRANSITIONS, action, message)
    return drill


@transaction.atomic
def hold_drill(actor, drill: Drill, *, held_on: date, units: str, head_count: int, findings: str = "",
               now: datetime | None = None) -> Drill:
    """Record a planned drill as held: the day, the participating units and how many took part
    (no names), and what it found. The plan counts as drilled from that day."""
    now = now or timezone.now()
    drill = _lock_drill(actor, drill, "hold", _("Only a planned drill can be recorded as held."))
    plan = _lock(drill.plan)
    if plan.status == PlanStatus.RETIRED:
        raise CaseError(_("A retired plan is no longer drilled."), status=409)
    held_on = _day(held_on, "held_on", _("The day it was held"), today=_today(now), past_only=True)
    units = check_text(units, "units", _("The participating units"), 2000)
    if isinstance(head_count, bool) or not isinstance(head_count, int) or not 1 <= head_count <= MAX_HEAD_COUNT:
        raise CaseError(_("The head count must be a whole number from 1 to %(n)s.") % {"n": MAX_HEAD_COUNT},
                        status=422, field="head_count")
    drill.findings = check_text(findings, "findings", _("The findings"), 4000, required=False)
    drill.status, drill.held_on, drill.units, drill.head_count = DrillStatus.HELD, held_on, units, head_count
    drill.save()
    if plan.last_drilled_on is None or held_on > plan.last_drilled_on:
        plan.last_drilled_on = held_on
        _schedule_drill(plan)
        plan.save(update_fields=["last_drilled_on", "drill_due_on"])
    drill.plan = plan
    return drill


def _schedule_drill(plan: ContingencyPlan) -> None:
    drilled_from = plan.last_drilled_on or plan.in_force_since
    plan.drill_due_on = add_months(drilled_from, plan.drill_period_months) \
        if drilled_from and plan.status in LIVE_STATUSES else None


@transaction.atomic
def cancel_drill(actor, drill: Drill, *, reason: str, now: datetime | None = None) -> Drill:
    """Cancel a planned drill, saying why."""
    drill = _lock_drill(actor, drill, "cancel", _("Only a planned drill can be cancelled."))
    drill.cancel_reason = check_text(reason, "reason", _("The reason"), 500)
    drill.status = DrillStatus.CANCELLED
    drill.save(update_fields=["status", "cancel_reason", "updated_at"])
    return drill


@transaction.atomic
def add_improvement(actor, drill: Drill, *, text: str, owner: str, due_on: date,
                    now: datetime | None = None) -> DrillImprovement:
    """Record something the drill showed must improve, the office responsible and the deadline."""
    now = now or timezone.now()
    drill = _lock_drill(actor, drill, "add_improvement", _("Improvements are recorded on a drill that was held."))
    text = check_text(text, "text", _("What to improve"), 500)
    office = _office(owner, "owner")
    due_on = _day(due_on, "due_on", _("The deadline"))
    if due_on < drill.held_on:
        raise CaseError(_("The deadline cannot be before the drill (%(day)s).") % {"day": drill.held_on},
                        status=422, field="due_on")
    return DrillImprovement.objects.create(drill=drill, text=text, owner=office, due_on=due_on, recorded_by=actor,
                                           recorded_at=now)


@transaction.atomic
def mark_improvement_done(actor, improvement: DrillImprovement, *, done_on: date, note: str = "",
                          now: datetime | None = None) -> DrillImprovement:
    """Mark an improvement done on a day, saying how."""
    now = now or timezone.now()
    improvement = DrillImprovement.objects.select_for_update().select_related("drill__plan", "owner") \
        .get(pk=improvement.pk)
    if not access.can_mark_done(actor, improvement):
        raise _forbidden()
    if improvement.done_on is not None:
        raise CaseError(_("This improvement is already done."), status=409)
    done_on = _day(done_on, "done_on", _("The day it was done"), today=_today(now), past_only=True)
    if done_on < improvement.drill.held_on:
        raise CaseError(_("It cannot be done before the drill (%(day)s).") % {"day": improvement.drill.held_on},
                        status=422, field="done_on")
    improvement.done_on = done_on
    improvement.done_note = check_text(note, "note", _("How it was done"), 500, required=False)
    improvement.save(update_fields=["done_on", "done_note"])
    return improvement
