"""Duty and emergencies (值班应急): three registers of one module.

- The duty roster (值班表) of the offices that keep a duty: each office's arrangement, its shifts
  with the duty officer and the leader on duty (带班领导), swaps asked for and decided (换班审批),
  and the handover log of each shift (交接班记录: open matters, calls, instructions). A duty officer
  and a leader on duty are staff accounts, never residents.
- Incident reports (突发事件信息报告): an incident is a case of kind ``incident`` with its record
  here (type, grade, when it happened and when the duty office learned of it, casualties and
  losses, and the record of another module that opened it); the reports made on it (首报 by phone
  and in writing, 续报, 终报), each with the deadline it answered, and each report's forwarding up
  a level with its receipt, are the chain of who knew what when.
- Contingency plans (应急预案) and drills (应急演练): the plans library with its approved versions
  and periodic reviews (评估), and the drills held on each plan with the improvements they found.
  A plan's next review is a deadline the sweep watches (``DeadlineFields``); whether it was
  drilled within its period is read from ``drill_due_on``. Drills record units and a head count,
  never a list of persons."""

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.cases.models import DeadlineFields
from anju.cases.redaction import RedactedTexts
from anju.duty.choices import (
    DRILL_PERIOD_MONTHS,
    LIVE_STATUSES,
    REVIEW_PERIOD_MONTHS,
    DrillStatus,
    DrillType,
    DutyPost,
    EntryKind,
    IncidentGrade,
    IncidentType,
    Owed,
    PlanKind,
    PlanStatus,
    ReportChannel,
    ReportKind,
    ReviewConclusion,
    ReviewSweep,
    ShiftKind,
    ShiftPattern,
    SwapStatus,
)

# ---------------------------------------------------------------------------- the duty roster


class Roster(models.Model):
    """An office's duty arrangement: whether it keeps 24-hour shifts or day and night shifts, and
    when they change over (local time). Shifts already planned keep the times they were planned
    with when the arrangement changes."""

    office = models.OneToOneField("people.Office", verbose_name=_("office"), on_delete=models.CASCADE,
                                  related_name="duty_roster")
    pattern = models.CharField(_("shifts"), max_length=10, choices=ShiftPattern.choices,
                               default=ShiftPattern.FULL_DAY)
    day_starts = models.TimeField(_("duty day starts at"), default=time(8, 30))
    night_starts = models.TimeField(_("night shift starts at"), default=time(17, 30))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("duty roster")
        verbose_name_plural = _("duty rosters")
        ordering = ["office__code"]

    def __str__(self):
        return str(self.office)


class Shift(models.Model):
    """One shift of an office's roster: its duty day, its kind, the moments it runs from and to
    (``starts_at`` <= moment < ``ends_at``), its duty officer and its leader on duty (empty: a gap
    the roster page shows). Changed only before it ends: afterwards it is the record of who was
    on duty."""

    office = models.ForeignKey("people.Office", verbose_name=_("office"), on_delete=models.PROTECT,
                               related_name="+")
    day = models.DateField(_("duty day"))
    kind = models.CharField(_("shift"), max_length=10, choices=ShiftKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("duty officer (值班员)"),
                                on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leader on duty (带班领导)"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # The Idempotency-Key it was planned with and a fingerprint of that request (``services``).
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    request_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["office__code", "starts_at"]
        indexes = [models.Index(fields=["office", "starts_at"], name="duty_shift_office_start"),
                   models.Index(fields=["ends_at", "starts_at"], name="duty_shift_moment")]
        constraints = [
            models.UniqueConstraint(fields=["office", "day", "kind"], name="duty_one_shift_per_kind_and_day"),
            models.UniqueConstraint(fields=["created_by", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="duty_shift_created_once"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="duty_shift_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.office} {self.day} {self.get_kind_display()}"

    def holder(self, post: str):
        return self.officer if post == DutyPost.OFFICER else self.leader


class Swap(models.Model):
    """A swap of one post of a shift (换班): who holds it when asked, who is to take it, why, and
    the decision. Approved, the shift's post is the new person's; refused, nothing changes."""

    shift = models.ForeignKey(Shift, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="swaps")
    post = models.CharField(_("post"), max_length=10, choices=DutyPost.choices)
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("on duty as planned"),
                                  on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("takes over"), on_delete=models.PROTECT,
                                related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=SwapStatus.choices, default=SwapStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    request_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "post"], condition=Q(status=SwapStatus.REQUESTED),
                                    name="duty_one_open_swap_per_post"),
            models.UniqueConstraint(fields=["requested_by", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="duty_swap_requested_once"),
        ]

    def __str__(self):
        return f"{self.shift}: {self.from_user} → {self.to_user}"


class HandoverEntry(RedactedTexts, models.Model):
    """A line of a shift's handover log (交接班记录): an open matter handed to the next shift, a
    call taken or an instruction received. An open matter stays on every later shift's log of the
    office until someone on duty closes it. The log records work, not persons: a resident's
    concern is registered as a case, and the entry refers to it. Should a caller's name or number
    be written anyway, the log shows the text redacted (phone and ID numbers, addresses, names)
    and keeps it whole only for the record."""

    shift = models.ForeignKey(Shift, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    text = models.TextField(_("text"))
    text_whole = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    request_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("handover entry")
        verbose_name_plural = _("handover entries")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["created_by", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="duty_entry_written_once"),
        ]

    REDACTED = {"text": "text_whole"}

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:40]}"

    def people_for_redaction(self) -> list:
        """No known people: the redactor's own patterns (numbers, addresses, names) apply."""
        return []

    @property
    def is_open(self) -> bool:
        return self.kind == EntryKind.MATTER and self.closed_at is None


# ---------------------------------------------------------------------------- incident reports


class ReportingRule(models.Model):
    """How fast the reports of an incident of a grade are owed, counted in clock time from the
    moment the duty office learned of it (an incident does not wait for working days). A grade
    without a rule uses ``incidents.DEFAULT_RULES``."""

    grade = models.CharField(_("grade"), max_length=10, choices=IncidentGrade.choices, unique=True)
    phone_minutes = models.PositiveIntegerField(_("first report by phone within (minutes)"))
    written_minutes = models.PositiveIntegerField(_("first report in writing within (minutes)"))
    follow_up_hours = models.PositiveIntegerField(
        _("follow-up reports at least every (hours)"),
        help_text=_("Until the final report, the next report is owed this long after the last one."))

    class Meta:
        verbose_name = _("incident reporting rule")
        verbose_name_plural = _("incident reporting rules")
        ordering = ["grade"]

    def __str__(self):
        return self.get_grade_display()


class ReportingLine(models.Model):
    """Where an office's incident reports go up a level (上报): to an office in Anju (a township's
    duty office to the county's), or to a body above the county, outside Anju, by name."""

    office = models.OneToOneField("people.Office", verbose_name=_("office"), on_delete=models.CASCADE,
                                  related_name="+")
    up_office = models.ForeignKey("people.Office", verbose_name=_("reports to the office"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    up_name = models.CharField(_("or to the body (outside Anju)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("reporting line")
        verbose_name_plural = _("reporting lines")
        ordering = ["office__code"]
        constraints = [models.CheckConstraint(condition=~Q(up_office__isnull=True, up_name=""),
                                              name="reporting_line_goes_somewhere")]

    def __str__(self):
        return f"{self.office} → {self.up_office or self.up_name}"


class Incident(models.Model):
    """The record of a case of kind ``incident``."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="incident")
    type = models.CharField(_("type"), max_length=10, choices=IncidentType.choices)
    grade = models.CharField(_("grade"), max_length=10, choices=IncidentGrade.choices)
    occurred_at = models.DateTimeField(_("happened at"))
    known_at = models.DateTimeField(_("known to the duty office at (接报)"))
    deaths = models.PositiveIntegerField(_("dead"), default=0)
    injured = models.PositiveIntegerField(_("injured"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    losses = models.DecimalField(_("direct losses (10,000 yuan)"), max_digits=12, decimal_places=2, null=True,
                                 blank=True)
    # The report owed next and its deadline (the case's running deadline while it is open).
    owed = models.CharField(_("report owed"), max_length=15, choices=Owed.choices, blank=True)
    owed_due_at = models.DateTimeField(_("owed by"), null=True, blank=True)
    closed_at = models.DateTimeField(_("final report at"), null=True, blank=True)
    # Where it came from, when another module's record opened it (a major hazard, a warning):
    # that module's label, its record's key and how to reach its page.
    source_module = models.CharField(max_length=30, blank=True)
    source_key = models.CharField(max_length=40, blank=True)
    source_label = models.CharField(max_length=200, blank=True)
    source_url = models.CharField(max_length=300, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The Idempotency-Key it was received with and a fingerprint of that request (``lib.once``).
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    request_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [models.Index(fields=["source_module", "source_key"], name="incident_source")]
        constraints = [models.UniqueConstraint(fields=["opened_by", "idempotency_key"],
                                               condition=~Q(idempotency_key=""), name="incident_opened_once")]

    def __str__(self):
        return str(self.case)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class IncidentReport(RedactedTexts, models.Model):
    """One report on an incident: its kind and channel, what it said with the figures known then,
    who made it and when, and the deadline it answered (``late`` when made after it)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="reports")
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=ReportChannel.choices)
    text = models.TextField(_("what was reported"))
    text_whole = models.TextField(blank=True)
    deaths = models.PositiveIntegerField(_("dead"), default=0)
    injured = models.PositiveIntegerField(_("injured"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    losses = models.DecimalField(_("direct losses (10,000 yuan)"), max_digits=12, decimal_places=2, null=True,
                                 blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    due_at = models.DateTimeField(_("was owed by"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    request_hash = models.CharField(max_length=64, blank=True, editable=False)

    REDACTED = {"text": "text_whole"}

    class Meta:
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")
        ordering = ["incident", "number"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "number"], name="incident_report_number"),
            models.UniqueConstraint(fields=["reported_by", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="incident_report_made_once"),
        ]

    def case_for_redaction(self):
        return self.incident.case


class Forward(models.Model):
    """A report forwarded up a level (上报): to an office in Anju, which signs for it (签收), or to
    a body outside it (the city's duty room), named."""

    report = models.ForeignKey(IncidentReport, on_delete=models.CASCADE, related_name="forwards")
    to_office = models.ForeignKey("people.Office", verbose_name=_("to the office"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    to_name = models.CharField(_("to"), max_length=100)
    channel = models.CharField(_("channel"), max_length=10, choices=ReportChannel.choices)
    forwarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    forwarded_at = models.DateTimeField(_("forwarded at"), default=timezone.now)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)

    class Meta:
        verbose_name = _("forwarded report")
        verbose_name_plural = _("forwarded reports")
        ordering = ["report", "forwarded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "to_name"], name="report_forwarded_once_to_each")]


# ---------------------------------------------------------------------------- plans and drills


class ContingencyPlan(DeadlineFields, models.Model):
    """A contingency plan (应急预案) of an office: its kind, scope and status, how often it is
    reviewed and drilled, and the dates that follow from its versions, reviews and drills.
    ``due_at`` (the end of ``next_review_on``) is the review deadline the sweep warns of and
    marks overdue."""

    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("plan number"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    owner = models.ForeignKey("people.Office", verbose_name=_("owning office"), on_delete=models.PROTECT,
                              related_name="+")
    # The owner's jurisdiction path when the plan was saved: region scopes and indicators read it.
    area_path = models.CharField(max_length=255, editable=False)
    scope = models.TextField(_("scope (适用范围)"))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    review_period_months = models.PositiveSmallIntegerField(_("review every (months)"),
                                                            default=REVIEW_PERIOD_MONTHS)
    drill_period_months = models.PositiveSmallIntegerField(_("drill at least every (months)"),
                                                           default=DRILL_PERIOD_MONTHS[PlanKind.SPECIAL])
    current_version = models.PositiveSmallIntegerField(_("current version"), default=0)
    in_force_since = models.DateField(_("in force since"), null=True, blank=True)
    next_review_on = models.DateField(_("next review by"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    last_drilled_on = models.DateField(_("last drilled on"), null=True, blank=True)
    # The last day by which it must be drilled: the last drill (or the day it came into force)
    # plus its drill period. Kept for the "not drilled" filter.
    drill_due_on = models.DateField(_("drill due by"), null=True, blank=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    retired_reason = models.CharField(_("why retired"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    request_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("contingency plan")
        verbose_name_plural = _("contingency plans")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["sweep_at"], name="plan_sweep", condition=Q(sweep_at__isnull=False)),
            models.Index(fields=["status", "next_review_on"], name="plan_review"),
            models.Index(fields=["status", "drill_due_on"], name="plan_drill"),
            models.Index(fields=["area_path"], name="plan_area"),
        ]
        constraints = [models.UniqueConstraint(fields=["created_by", "idempotency_key"],
                                               condition=~Q(idempotency_key=""), name="plan_created_once")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.area_path = self.owner.jurisdiction.path
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = sorted(set(kwargs["update_fields"]) | {"area_path", "updated_at"})
        super().save(*args, **kwargs)

    @property
    def is_live(self) -> bool:
        """In force or under revision: owed reviews and drills."""
        return self.status in LIVE_STATUSES

    def review_overdue(self, today) -> bool:
        return self.is_live and self.next_review_on is not None and self.next_review_on < today

    def review_due_soon(self, today) -> bool:
        return self.is_live and self.sweep_stage == ReviewSweep.DUE_SOON and not self.review_overdue(today)

    def not_drilled(self, today) -> bool:
        """Not drilled within its period (counted from the last drill, or from the day it came
        into force when it was never drilled)."""
        return self.is_live and self.drill_due_on is not None and self.drill_due_on < today


class PlanVersion(models.Model):
    """An approved version of a plan (印发版本): its number, when and by which body it was
    approved, what changed, and the document itself (PDF or Word) when attached."""

    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    approved_on = models.DateField(_("approved on"))
    approved_by = models.CharField(_("approving body"), max_length=200)
    changes = models.TextField(_("summary of changes"), blank=True)
    file = models.FileField(upload_to="plans/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_plan_version_per_number")]

    def __str__(self):
        return f"{self.plan} v{self.number}"


class PlanReview(models.Model):
    """A periodic review (评估) of a plan, its conclusion and the next review date it set."""

    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    conclusion = models.CharField(_("conclusion"), max_length=10, choices=ReviewConclusion.choices)
    note = models.TextField(_("findings"), blank=True)
    was_overdue = models.BooleanField(_("later than due"), default=False)
    next_review_on = models.DateField(_("next review by"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["plan", "-reviewed_on", "-id"]


class Drill(models.Model):
    """A drill (应急演练) on a plan: planned for a day, then held (with the participating units,
    a head count and the findings) or cancelled."""

    plan = models.ForeignKey(ContingencyPlan, verbose_name=_("plan"), on_delete=models.PROTECT,
                             related_name="drills")
    drill_type = models.CharField(_("type"), max_length=12, choices=DrillType.choices)
    status = models.CharField(_("status"), max_length=10, choices=DrillStatus.choices, default=DrillStatus.PLANNED)
    title = models.CharField(_("title"), max_length=200)
    scheduled_on = models.DateField(_("planned for"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    units = models.TextField(_("participating units"), blank=True)
    head_count = models.PositiveIntegerField(_("participants (head count)"), null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    request_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        ordering = ["-id"]
        indexes = [models.Index(fields=["plan", "status"], name="drill_plan_status")]
        constraints = [models.UniqueConstraint(fields=["created_by", "idempotency_key"],
                                               condition=~Q(idempotency_key=""), name="drill_created_once")]

    def __str__(self):
        return self.title


class DrillImprovement(models.Model):
    """Something a drill showed must improve (整改事项): the office that answers for it, by when,
    and when it was done. Overdue while not done after its deadline."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="improvements")
    text = models.CharField(_("what to improve"), max_length=500)
    owner = models.ForeignKey("people.Office", verbose_name=_("responsible office"), on_delete=models.PROTECT,
                              related_name="+")
    due_on = models.DateField(_("due by"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_note = models.CharField(_("how it was done"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("drill improvement")
        verbose_name_plural = _("drill improvements")
        ordering = ["drill", "due_on", "id"]

    def __str__(self):
        return self.text

    def is_overdue(self, today) -> bool:
        return self.done_on is None and self.due_on < today
