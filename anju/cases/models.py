from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.cases import modules
from anju.cases.choices import (
    Channel,
    ClockUnit,
    ExtensionStatus,
    LocationPrecision,
    NoticeKind,
    Priority,
    RoutingBasis,
    Status,
)
from anju.cases.redaction import RedactedTexts


class DeadlineFields(models.Model):
    """The columns of a row whose deadline the sweep watches: the deadline running now
    (``due_at``), whether it is an estimate (it depends on a day no official calendar or
    override covers yet), when the sweep must look next (``sweep_at``, indexed by the concrete
    model where not null), how far the sweep has gone, and whether the deadline was missed."""

    due_at = models.DateTimeField(_("current deadline"), null=True, blank=True)
    deadline_estimated = models.BooleanField(default=False)
    sweep_at = models.DateTimeField(null=True, blank=True)
    sweep_stage = models.PositiveSmallIntegerField(default=0)
    missed_deadline = models.BooleanField(default=False)

    class Meta:
        abstract = True


class Category(models.Model):
    """A node of the category tree (roads → potholes). ``gbt31000_code`` maps it to the
    GB/T 31000 social-governance event code where one fits. ``path`` holds the codes from
    the root so that a rule on a category also covers its children."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    gbt31000_code = models.CharField(_("GB/T 31000 code"), max_length=20, blank=True)
    # A kind of the core's or of a registered module's (``modules.kind_codes``); not database
    # choices, so that a new module needs no migration of ``cases``.
    default_kind = models.CharField(_("default kind"), max_length=20, blank=True)
    # Offered to residents: on the report form and as an Open311 service.
    is_public = models.BooleanField(_("offered to residents"), default=True)
    # Whether and how precisely this category's open cases appear on the public map and in
    # Open311 request lists.
    public_location = models.CharField(
        _("location shown in public"), max_length=20, choices=LocationPrecision.choices,
        default=LocationPrecision.HIDDEN,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent else "") + self.code + "/"
        self.depth = self.parent.depth + 1 if self.parent else 0
        super().save(*args, **kwargs)

    def get_default_kind_display(self) -> str:
        return modules.kind_label(self.default_kind) if self.default_kind else ""


class Reporter(models.Model):
    """Who reported a case, kept apart from the case so that it can be masked, hidden from
    the office a confidential case is about, and every reveal logged. A case without a
    reporter is anonymous."""

    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reporter")
        verbose_name_plural = _("reporters")

    def __str__(self):
        return f"Reporter #{self.pk}"


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=[Status.CLOSED, Status.MERGED])

    def overdue(self, now=None):
        return self.filter(due_at__lt=now or timezone.now())


class Case(RedactedTexts, DeadlineFields):
    """A concern received from a resident or found by a grid worker, from intake to archive.

    The row holds the current, denormalised values (status, owner, deadlines) for fast
    lists; the history is the append-only timeline (``CaseEvent``). Only the service
    functions in ``anju.cases.services`` change a case.
    """

    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True, editable=False)
    # The core's kinds and those the registered modules own (``modules``).
    kind = models.CharField(_("kind"), max_length=20)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    # ``text``, ``reply`` and ``returned_reason`` are redacted of the people on the case; their
    # ``_whole`` fields keep them as written (``redaction``).
    text = models.TextField(_("text"))
    text_whole = models.TextField(_("text as written"), blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)

    # Where: a point and/or an address; the region is the grid found from the point, or the
    # region given at intake. ``area_path`` copies the region's path for subtree filters.
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    region = models.ForeignKey("geo.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey(
        "geo.Region", verbose_name=_("grid"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    area_path = models.CharField(max_length=255, editable=False)

    reporter = models.ForeignKey(Reporter, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    confidential = models.BooleanField(_("confidential"), default=False)
    # The office the concern is about (a complaint against an office), if any.
    about_office = models.ForeignKey(
        "people.Office", verbose_name=_("office complained about"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # It reports or exposes wrongdoing of ``about_office`` (检举揭发): never shown to that office's
    # users, never passed to it (信访工作条例 第三十条), and confidential.
    reports_wrongdoing = models.BooleanField(_("reports wrongdoing of the office it is about"), default=False)
    # Never shown to ``about_office``'s users nor passed to it: a report of wrongdoing, or a case
    # whose words alone would tell that office who complained (``withhold_from_office_about``).
    kept_from_office_about = models.BooleanField(_("kept from the office it is about"), default=False)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    # No index of its own: case_inbox starts with office, and a second index on office alone
    # led SQLite without statistics to read every case an office ever owned (docs/benchmarks.md).
    office = models.ForeignKey(
        "people.Office", verbose_name=_("owning office"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="cases", db_index=False,
    )
    routing_basis = models.CharField(max_length=20, choices=RoutingBasis.choices, blank=True)
    returned_reason = models.TextField(_("reason of last return"), blank=True)
    returned_reason_whole = models.CharField(_("reason of last return as written"), max_length=500, blank=True)

    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Deadlines. ``due_at`` is the one running now (null while the clock is paused or the
    # case is closed); ``sweep_at`` is when the sweep must next look at the case.
    deadline_rule = models.JSONField(default=dict, editable=False)
    accept_due_at = models.DateTimeField(_("accept by"), null=True, blank=True)
    handle_due_at = models.DateTimeField(_("handle by"), null=True, blank=True)
    reply_due_at = models.DateTimeField(_("reply by"), null=True, blank=True)
    # ``due_at``, ``deadline_estimated``, ``sweep_at``, ``sweep_stage`` and ``missed_deadline``
    # come from ``DeadlineFields``; ``missed_deadline`` is kept for the on-time rate.
    paused_at = models.DateTimeField(null=True, blank=True)
    supervision_level = models.PositiveSmallIntegerField(default=0)

    reply = models.TextField(_("reply to the reporter"), blank=True)
    reply_whole = models.TextField(_("reply as written"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_synthetic = models.BooleanField(default=False)
    # How each stored deadline was counted ({"accept_due_at": {"from", "steps", "estimated"}, ...},
    # ``lib.workdays.Deadline.basis``): counted again when the calendar changes
    # (``services.recount_deadlines``). ``deadline_estimated`` is whether any of them is an estimate.
    deadline_basis = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    REDACTED = {"text": "text_whole", "reply": "reply_whole", "returned_reason": "returned_reason_whole"}

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["office", "status", "due_at"], name="case_inbox"),
            # The handler's inbox: only the cases an office has in hand, already in deadline order.
            models.Index(fields=["office", "due_at", "id"], name="case_inbox_open",
                         condition=Q(status__in=["dispatched", "in_progress", "waiting"])),
            models.Index(fields=["status", "due_at"], name="case_status_due"),
            models.Index(fields=["due_at"], name="case_due"),
            models.Index(fields=["sweep_at"], name="case_sweep", condition=Q(sweep_at__isnull=False)),
            # varchar_pattern_ops lets PostgreSQL use the index for the subtree prefix (LIKE 'x%').
            models.Index(fields=["area_path"], name="case_area", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["category", "submitted_at"], name="case_category_time"),
            models.Index(fields=["submitted_at"], name="case_submitted"),
        ]

    def __str__(self):
        return self.tracking_code

    def case_for_redaction(self):
        return self

    def get_kind_display(self) -> str:
        return modules.kind_label(self.kind)

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.CLOSED, Status.MERGED)

    @property
    def overdue(self) -> bool:
        return self.due_at is not None and self.due_at < timezone.now()


class CaseEvent(RedactedTexts, models.Model):
    """One entry of a case's append-only timeline: who did what, when, from which status
    to which, with a note. ``public`` events are shown to the reporter."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # The core's ``Action`` codes and the event codes the registered modules declare.
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(blank=True)
    note_whole = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(default=False)

    REDACTED = {"note": "note_whole"}

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="event_case_time")]

    def __str__(self):
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def get_action_display(self) -> str:
        return modules.event_label(self.action)


class PersonalDataAccess(models.Model):
    """A log line for every look at personal data of a case, granted or refused: its reporter,
    or a person a domain module keeps on the case (``subject`` names which, e.g. "party 12" for
    a party of a dispute, "agreement 3" for the parties' details printed in an agreement)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(Reporter, null=True, on_delete=models.SET_NULL, related_name="+")
    # Empty for the reporter.
    subject = models.CharField(max_length=40, blank=True)
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=200, blank=True)
    granted = models.BooleanField()

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]


def attachment_path(instance, filename):
    return f"attachments/{instance.case_id}/{instance.sha256[:16]}{instance.extension}"


class Attachment(RedactedTexts, models.Model):
    """A file attached to a case (photo, scan). Type is checked by content, size is capped."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=1000)
    original_name_whole = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    # The file holds no personal data: staff who may see the people on the case said so (logged
    # on the timeline), and users from whom those people are hidden may now open it.
    free_of_personal_data = models.BooleanField(default=False)

    REDACTED = {"original_name": "original_name_whole"}

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class RoutingRule(models.Model):
    """(category subtree, region subtree) → the office responsible. The most specific rule
    wins: the deeper category first, then the deeper region. A rule without a category
    covers every category in its region (typically 属地, the township)."""

    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("geo.Region", on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey("people.Office", on_delete=models.CASCADE, related_name="routing_rules")
    basis = models.CharField(_("basis"), max_length=20, choices=RoutingBasis.choices)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "region"], name="unique_routing_rule"),
            models.UniqueConstraint(
                fields=["region"], condition=Q(category__isnull=True), name="unique_routing_rule_any_category"
            ),
        ]

    def __str__(self):
        return f"{self.category or '*'} @ {self.region} → {self.office}"


class DeadlinePolicy(models.Model):
    """Time allowed to accept, to handle and to reply (follow up), for a (kind, category
    subtree, priority) combination; empty fields match anything. Most specific wins:
    priority first, then the deeper category, then kind. ``warn_before_hours`` and
    ``escalate_after_hours`` drive the sweep."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    accept_amount = models.PositiveIntegerField(_("time to accept"))
    accept_unit = models.CharField(max_length=20, choices=ClockUnit.choices)
    handle_amount = models.PositiveIntegerField(_("time to handle"))
    handle_unit = models.CharField(max_length=20, choices=ClockUnit.choices)
    reply_amount = models.PositiveIntegerField(_("time to reply"))
    reply_unit = models.CharField(max_length=20, choices=ClockUnit.choices)
    warn_before_hours = models.PositiveIntegerField(_("warn hours before the deadline"), default=24)
    escalate_after_hours = models.PositiveIntegerField(_("escalate hours after the deadline"), default=24)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.UniqueConstraint(fields=["kind", "category", "priority"], name="unique_deadline_policy"),
            models.UniqueConstraint(
                fields=["kind", "priority"], condition=Q(category__isnull=True),
                name="unique_deadline_policy_any_category",
            ),
        ]

    def __str__(self):
        return self.name

    def get_kind_display(self) -> str:
        return modules.kind_label(self.kind) if self.kind else ""


class CalendarOverride(models.Model):
    """A day whose working status the administrator sets by hand: for years the holiday
    package does not cover yet, or to correct it. Overrides win over the package."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'workday' if self.is_workday else 'holiday'}"


class HolidayNotice(models.Model):
    """The State Council's notice of a year's holidays and make-up working days (国务院办公厅关于
    ××××年部分节假日安排的通知), entered by an administrator as calendar overrides for a year the
    holiday package does not cover yet: its extra days off and make-up working days are entered as
    overrides. Once it is recorded, the days of that year are counted from the overrides, the
    statutory holidays and Monday to Friday, and are no longer estimates; before, they are
    estimated from the statutory holidays and the extra days the holiday package guesses
    (``lib.workdays``)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("notice"), max_length=200,
                             help_text=_("For example: 国务院办公厅关于2027年部分节假日安排的通知"))
    published_on = models.DateField(_("published on"), null=True, blank=True)
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("holiday notice")
        verbose_name_plural = _("holiday notices")
        ordering = ["year"]

    def __str__(self):
        return f"{self.year} {self.title}"


class ExtensionRequest(RedactedTexts, models.Model):
    """A handler's request for more time; a supervisor approves (the deadline moves) or denies."""

    REDACTED = {"reason": "reason_whole", "decision_note": "decision_note_whole"}

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extension_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    amount = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, choices=ClockUnit.choices)
    reason = models.TextField()
    reason_whole = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    decision_note_whole = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="one_pending_extension_per_case"
            )
        ]


class SupervisionNotice(RedactedTexts, models.Model):
    """A supervision notice (督办单): issued by a supervisor or leader, or by the sweep when a
    deadline nears, passes, or stays missed (escalation to the next level up). A sweep
    notice is unique per (case, kind, deadline, level), so two sweeps can never send the
    same one twice."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    level = models.PositiveSmallIntegerField()
    due_at = models.DateTimeField(null=True, blank=True)
    # Who must answer: the owning office, or for escalations the region one level up.
    office = models.ForeignKey("people.Office", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    note_whole = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    REDACTED = {"note": "note_whole"}

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "due_at", "level"],
                condition=Q(issued_by__isnull=True),
                name="unique_sweep_notice",
            )
        ]


class IdempotencyKey(models.Model):
    """Remembers which case a client's ``Idempotency-Key`` created, so a retried POST returns
    it instead of creating a second one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key")]
