"""Vocabularies of duty and emergencies (值班应急): the duty roster (how an office keeps its duty,
its shifts, the posts on a shift, swaps 换班 and the handover log 交接班记录), incident reports
(突发事件信息报告), and contingency plans (应急预案) and drills (应急演练) after the 2024
《突发事件应急预案管理办法》."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# ---------------------------------------------------------------------------- the duty roster

class ShiftPattern(models.TextChoices):
    """How an office divides its duty day."""

    FULL_DAY = "24h", _("24-hour shifts (24小时值班)")
    DAY_NIGHT = "day_night", _("Day and night shifts (白班、夜班)")


class ShiftKind(models.TextChoices):
    FULL_DAY = "day24", _("24-hour shift (全天)")
    DAY = "day", _("Day shift (白班)")
    NIGHT = "night", _("Night shift (夜班)")


# The shifts of a duty day under each pattern, in the order they follow each other.
SHIFTS_OF = {
    ShiftPattern.FULL_DAY: (ShiftKind.FULL_DAY,),
    ShiftPattern.DAY_NIGHT: (ShiftKind.DAY, ShiftKind.NIGHT),
}


class DutyPost(models.TextChoices):
    """The two posts of a shift."""

    OFFICER = "officer", _("Duty officer (值班员)")
    LEADER = "leader", _("Leader on duty (带班领导)")


class SwapStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for approval (待审批)")
    APPROVED = "approved", _("Approved (已同意)")
    REFUSED = "refused", _("Refused (不同意)")


# Which status a swap may go to from which: only a request waiting for approval is decided.
SWAP_TRANSITIONS = {
    SwapStatus.REQUESTED: frozenset({SwapStatus.APPROVED, SwapStatus.REFUSED}),
    SwapStatus.APPROVED: frozenset(),
    SwapStatus.REFUSED: frozenset(),
}


class EntryKind(models.TextChoices):
    """What a line of the handover log records."""

    MATTER = "matter", _("Open matter (未结事项)")
    CALL = "call", _("Call (来电)")
    INSTRUCTION = "instruction", _("Instruction (领导指示)")


class DayKind(models.TextChoices):
    """What a day of the month is on the working-day calendar, as the roster page marks it."""

    WORKDAY = "workday", _("Working day")
    REST = "rest", _("Rest day")
    HOLIDAY = "holiday", _("Holiday (节假日)")
    MAKEUP = "makeup", _("Make-up working day (调休上班)")


# ---------------------------------------------------------------------------- incident reports

INCIDENT = "incident"


class IncidentType(models.TextChoices):
    """The four classes of the Emergency Response Law (《突发事件应对法》 Art. 2)."""

    NATURAL = "natural", _("Natural disaster (自然灾害)")
    ACCIDENT = "accident", _("Accident or disaster (事故灾难)")
    HEALTH = "health", _("Public health (公共卫生事件)")
    SOCIAL = "social", _("Social safety (社会安全事件)")


class IncidentGrade(models.TextChoices):
    """The four grades, from the least to the most serious."""

    GENERAL = "general", _("General (一般)")
    LARGER = "larger", _("Larger (较大)")
    MAJOR = "major", _("Major (重大)")
    GRAVEST = "gravest", _("Especially major (特别重大)")


GRADE_ORDER = [IncidentGrade.GENERAL, IncidentGrade.LARGER, IncidentGrade.MAJOR, IncidentGrade.GRAVEST]


class ReportKind(models.TextChoices):
    FIRST = "first", _("First report (首报)")
    FOLLOW_UP = "follow_up", _("Follow-up report (续报)")
    FINAL = "final", _("Final report (终报)")


class ReportChannel(models.TextChoices):
    PHONE = "phone", _("By phone (电话)")
    WRITTEN = "written", _("In writing (书面)")


class Owed(models.TextChoices):
    """The report an incident owes next."""

    FIRST_PHONE = "first_phone", _("First report by phone")
    FIRST_WRITTEN = "first_written", _("First report in writing")
    FOLLOW_UP = "follow_up", _("Follow-up report")
    NOTHING = "", _("Nothing: the final report is in")


class IncidentEvent(models.TextChoices):
    """The duty module's events on an incident's timeline: the chain of who knew what when."""

    OPENED = "incident_opened", _("Incident received (接报)")
    REPORTED = "incident_reported", _("Report made (报告)")
    FORWARDED = "incident_forwarded", _("Report forwarded up (上报)")
    RECEIVED = "incident_received", _("Forwarded report received (签收)")
    GRADED = "incident_graded", _("Grade changed (调整级别)")


# ---------------------------------------------------------------------------- plans and drills

class PlanKind(models.TextChoices):
    """The kinds of government and unit plans (管理办法 Art. 6–8)."""

    OVERALL = "overall", _("Overall plan (总体应急预案)")
    SPECIAL = "special", _("Special plan (专项应急预案)")
    DEPARTMENT = "department", _("Department plan (部门应急预案)")
    GRASSROOTS = "grassroots", _("Grassroots or unit plan (基层单位应急预案)")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (编制中)")
    IN_FORCE = "in_force", _("In force (现行有效)")
    REVISING = "revising", _("Under revision (修订中)")
    RETIRED = "retired", _("Retired (已废止)")


# Which change may move a plan from which status: approving a version puts a draft or a plan
# under revision in force; a review concluding "revise" puts it under revision; retiring ends
# it. A retired plan changes no more.
PLAN_TRANSITIONS = {
    "approve_version": frozenset({PlanStatus.DRAFT, PlanStatus.IN_FORCE, PlanStatus.REVISING}),
    "review": frozenset({PlanStatus.IN_FORCE, PlanStatus.REVISING}),
    "retire": frozenset({PlanStatus.DRAFT, PlanStatus.IN_FORCE, PlanStatus.REVISING}),
    "update": frozenset({PlanStatus.DRAFT, PlanStatus.IN_FORCE, PlanStatus.REVISING}),
    "plan_drill": frozenset({PlanStatus.DRAFT, PlanStatus.IN_FORCE, PlanStatus.REVISING}),
}
# The statuses in which a plan is owed reviews and drills.
LIVE_STATUSES = frozenset({PlanStatus.IN_FORCE, PlanStatus.REVISING})


class ReviewConclusion(models.TextChoices):
    KEEP = "keep", _("Keep in force (继续有效)")
    REVISE = "revise", _("Revise (需要修订)")


class ReviewSweep(models.IntegerChoices):
    """How far the sweep has gone with a plan's next review."""

    NONE = 0, _("Not due yet")
    DUE_SOON = 1, _("Review due soon")
    OVERDUE = 2, _("Review overdue")


class DrillType(models.TextChoices):
    TABLETOP = "tabletop", _("Tabletop exercise (桌面推演)")
    FUNCTIONAL = "functional", _("Functional drill (功能演练)")
    FULL_SCALE = "full_scale", _("Full-scale drill (综合演练)")


class DrillStatus(models.TextChoices):
    PLANNED = "planned", _("Planned (计划中)")
    HELD = "held", _("Held (已举行)")
    CANCELLED = "cancelled", _("Cancelled (已取消)")


# A drill is held or cancelled only while it is planned.
DRILL_TRANSITIONS = {
    "hold": frozenset({DrillStatus.PLANNED}),
    "cancel": frozenset({DrillStatus.PLANNED}),
    "add_improvement": frozenset({DrillStatus.HELD}),
}

# Months between reviews: "原则上每3年评估一次" (管理办法 Art. 35).
REVIEW_PERIOD_MONTHS = 36
# Months within which a plan must be drilled, by kind: special and department plans at least
# every 3 years (管理办法 Art. 31), the overall plan likewise; a grassroots unit's plan every
# year (生产安全事故应急预案管理办法 Art. 33 asks at least once a year of comprehensive and
# special unit plans). Each plan keeps its own, editable.
DRILL_PERIOD_MONTHS = {
    PlanKind.OVERALL: 36,
    PlanKind.SPECIAL: 36,
    PlanKind.DEPARTMENT: 36,
    PlanKind.GRASSROOTS: 12,
}
