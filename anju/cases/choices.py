"""Statuses, kinds and the other fixed vocabularies of a case, with the lifecycle table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted (待受理)")
    ACCEPTED = "accepted", _("Accepted (已受理)")
    DISPATCHED = "dispatched", _("Dispatched (已派单)")
    IN_PROGRESS = "in_progress", _("In progress (办理中)")
    WAITING = "waiting", _("Waiting for reporter (待补充)")
    RESOLVED = "resolved", _("Resolved (已办结)")
    CLOSED = "closed", _("Closed (已归档)")
    MERGED = "merged", _("Merged (已合并)")


OPEN_STATUSES = frozenset(
    {Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED}
)
# Statuses in which the owning office has the case in hand (a handler's inbox).
IN_OFFICE_STATUSES = (Status.DISPATCHED, Status.IN_PROGRESS, Status.WAITING)


class Action(models.TextChoices):
    """Everything the core does to a case; each is a timeline event. Domain modules add their
    own event codes through the registry (``modules.EventCode``)."""

    SUBMIT = "submit", _("Submitted")
    ACCEPT = "accept", _("Accepted")
    REJECT = "reject", _("Rejected (不予受理)")
    DISPATCH = "dispatch", _("Dispatched")
    RETURN = "return", _("Returned (退单)")
    TRANSFER = "transfer", _("Transferred (转办)")
    START = "start", _("Started")
    WAIT = "wait", _("Waiting for reporter")
    RESUME = "resume", _("Resumed")
    RESOLVE = "resolve", _("Resolved (办结)")
    FOLLOW_UP = "follow_up", _("Followed up (回访)")
    REOPEN = "reopen", _("Reopened")
    MERGE = "merge", _("Merged into another case")
    ABSORB = "absorb", _("Absorbed a duplicate")
    REQUEST_EXTENSION = "request_extension", _("Extension requested")
    APPROVE_EXTENSION = "approve_extension", _("Extension approved")
    DENY_EXTENSION = "deny_extension", _("Extension denied")
    SUPERVISE = "supervise", _("Supervision notice (督办)")
    DUE_SOON = "due_soon", _("Deadline approaching")
    OVERDUE = "overdue", _("Overdue")
    ESCALATE = "escalate", _("Escalated")
    ATTACH = "attach", _("Attachment added")
    CLEAR_ATTACHMENT = "clear_attachment", _("Attachment marked free of personal data")
    WITHHOLD = "withhold", _("Kept from the office it is about")
    RECOUNT = "recount", _("Deadline counted again (calendar changed)")



# The lifecycle: action → (statuses it may start from, status it leads to).
# None as the target means the status does not change.
TRANSITIONS: dict[str, tuple[frozenset, str | None]] = {
    Action.ACCEPT: (frozenset({Status.SUBMITTED}), Status.ACCEPTED),
    Action.REJECT: (frozenset({Status.SUBMITTED}), Status.CLOSED),
    Action.DISPATCH: (frozenset({Status.ACCEPTED}), Status.DISPATCHED),
    Action.RETURN: (frozenset({Status.DISPATCHED}), Status.ACCEPTED),
    Action.TRANSFER: (frozenset({Status.DISPATCHED, Status.IN_PROGRESS}), Status.DISPATCHED),
    Action.START: (frozenset({Status.DISPATCHED}), Status.IN_PROGRESS),
    Action.WAIT: (frozenset({Status.IN_PROGRESS}), Status.WAITING),
    Action.RESUME: (frozenset({Status.WAITING}), Status.IN_PROGRESS),
    Action.RESOLVE: (frozenset({Status.IN_PROGRESS}), Status.RESOLVED),
    Action.FOLLOW_UP: (frozenset({Status.RESOLVED}), Status.CLOSED),
    Action.REOPEN: (frozenset({Status.RESOLVED, Status.CLOSED}), Status.IN_PROGRESS),
    Action.MERGE: (OPEN_STATUSES - {Status.RESOLVED}, Status.MERGED),
    Action.REQUEST_EXTENSION: (frozenset({Status.DISPATCHED, Status.IN_PROGRESS, Status.WAITING}), None),
    Action.APPROVE_EXTENSION: (frozenset({Status.DISPATCHED, Status.IN_PROGRESS, Status.WAITING}), None),
    Action.DENY_EXTENSION: (frozenset({Status.DISPATCHED, Status.IN_PROGRESS, Status.WAITING}), None),
    Action.SUPERVISE: (OPEN_STATUSES, None),
    Action.WITHHOLD: (OPEN_STATUSES, None),
}


class Kind(models.TextChoices):
    """The core's own kinds; domain modules add theirs through the registry (``modules``)."""

    CONSULTATION = "consultation", _("Consultation (咨询)")
    HELP = "help", _("Request for help (求助)")
    COMPLAINT = "complaint", _("Complaint (投诉)")
    REPORT = "report", _("Report of wrongdoing (举报)")
    SUGGESTION = "suggestion", _("Suggestion (建议)")



class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    HOTLINE = "hotline", _("Hotline (12345)")
    WALK_IN = "walk_in", _("Walk-in")
    GRID_WORKER = "grid_worker", _("Grid worker patrol")
    LETTER = "letter", _("Letter")
    APP = "app", _("Mobile app")
    API = "api", _("Other system (API)")
    OPEN311 = "open311", _("Open311 application")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal (一般)")
    URGENT = "urgent", _("Urgent (紧急)")
    EMERGENCY = "emergency", _("Emergency (特急)")


class RoutingBasis(models.TextChoices):
    TERRITORIAL = "territorial", _("Territorial (属地)")
    SECTOR = "sector", _("Sector (行业)")


class ClockUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    HOURS = "hours", _("hours")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class NoticeKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Deadline approaching (预警)")
    OVERDUE = "overdue", _("Overdue (超期)")
    ESCALATION = "escalation", _("Escalation (升级督办)")
    MANUAL = "manual", _("Supervision notice (督办单)")


class SupervisionLevel(models.IntegerChoices):
    OFFICE = 1, _("Office level")
    TOWNSHIP = 2, _("Township level")
    COUNTY = 3, _("County level")


class LocationPrecision(models.TextChoices):
    """How precisely a category's open cases may be shown to the public (public map, Open311
    request lists). Hidden categories are not shown at all."""

    HIDDEN = "hidden", _("Not shown in public")
    TOWNSHIP = "township", _("Township only")
    GRID = "grid", _("Grid centre")
    APPROXIMATE = "approximate", _("Approximate (about 100 m)")
    EXACT = "exact", _("Exact point")
