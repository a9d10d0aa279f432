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
    """Everything that can happen to a case; each is a timeline event."""

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
    # Events of the domain modules, on the same timeline (disputes: 矛盾纠纷调解).
    DISPUTE_RECORD = "dispute_record", _("Dispute record updated")
    PARTY = "party", _("Party recorded")
    CONSENT = "consent", _("Consent to mediation recorded")
    MEDIATOR = "mediator", _("Mediator assigned")
    SESSION_SCHEDULED = "session_scheduled", _("Mediation session scheduled")
    SESSION_HELD = "session_held", _("Mediation session held")
    AGREEMENT_DRAFTED = "agreement_drafted", _("Mediation agreement drafted")
    AGREEMENT_EFFECTIVE = "agreement_effective", _("Mediation agreement signed (生效)")
    MEDIATION_ENDED = "mediation_ended", _("Mediation ended")
    JUDICIAL_CONFIRMATION = "judicial_confirmation", _("Judicial confirmation (司法确认)")
    VISIT = "visit", _("Follow-up visit (回访)")
    MEDIATION_TRANSFER = "mediation_transfer", _("Mediation transfer proposed (三调联动)")
    MEDIATION_TRANSFER_ACCEPTED = "mediation_transfer_accepted", _("Mediation transfer accepted")
    MEDIATION_TRANSFER_RETURNED = "mediation_transfer_returned", _("Mediation transfer returned")
    # Petitions (信访, under the 2022 信访工作条例).
    PETITION_RECORD = "petition_record", _("Petition record updated")
    PETITIONER = "petitioner", _("Petitioner recorded")
    PETITION_ROUTE = "petition_route", _("Routed to the competent body (转送/交办)")
    PETITION_OBJECTION = "petition_objection", _("Objection: not within this body's competence (异议)")
    PETITION_ACCEPT = "petition_accept", _("Accepted by the competent body (受理)")
    PETITION_NOT_ACCEPTED = "petition_not_accepted", _("Not accepted (不予受理)")
    PETITION_ANSWER = "petition_answer", _("Answered in writing (处理意见书)")
    NOTICE = "notice", _("Written notice sent (书面告知)")
    NOTICE_DELIVERED = "notice_delivered", _("Written notice received by the petitioner")
    HEARING = "hearing", _("Hearing (听证)")
    REVIEW_REQUESTED = "review_requested", _("Review requested (复查)")
    REEXAMINATION_REQUESTED = "reexamination_requested", _("Re-examination requested (复核)")
    EARLIER_MATTER = "earlier_matter", _("Linked to an earlier matter")
    LEADER = "leader", _("Leader in personal charge (领导包案)")
    RECEPTION_BOOKED = "reception_booked", _("Leader reception booked (领导接访)")
    RECEPTION = "reception", _("Received on a leader reception day (领导接访)")
    PETITION_TRANSFER = "petition_transfer", _("Transfer approved (首办责任)")


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
}


class Kind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation (咨询)")
    HELP = "help", _("Request for help (求助)")
    COMPLAINT = "complaint", _("Complaint (投诉)")
    REPORT = "report", _("Report of wrongdoing (举报)")
    SUGGESTION = "suggestion", _("Suggestion (建议)")
    # Domain kinds, extended by their modules with a one-to-one record.
    DISPUTE = "dispute", _("Dispute (矛盾纠纷)")
    PETITION = "petition", _("Petition (信访)")
    HAZARD = "hazard", _("Safety hazard (安全隐患)")
    INCIDENT = "incident", _("Incident (突发事件)")


# Lifecycle actions that a kind's module takes itself, through its own services, so that the
# core's plain action is refused for cases of that kind: a dispute is resolved by signing an
# agreement or ending mediation; a petition is routed, accepted or not, answered in writing and
# given more time under the 信访工作条例, each with its written notice, the body that accepted it
# keeps it unless a supervisor approves a transfer (首办责任), its statutory clock does not stop
# while the body waits for the petitioner, and it is neither reopened nor merged (each petition
# gets its own notices; a petitioner who disagrees asks for a review).
BY_MODULE: dict[str, frozenset[str]] = {
    Kind.DISPUTE: frozenset({Action.RESOLVE}),
    Kind.PETITION: frozenset({
        Action.ACCEPT, Action.REJECT, Action.DISPATCH, Action.RETURN, Action.TRANSFER, Action.RESOLVE, Action.WAIT,
        Action.REQUEST_EXTENSION, Action.APPROVE_EXTENSION, Action.REOPEN, Action.MERGE,
    }),
}
# Kinds registered only through their module's own intake, which keeps what the module's law
# needs from the start (a petition's words scrubbed of who petitioned, its statutory clock).
REGISTERED_BY_MODULE = frozenset({Kind.PETITION})
# Kinds a grid worker's region scope does not reach: a grid worker lives among the petitioners
# of the grid, and Anju never helps anyone follow them (DESIGN: no 稳控, no 人盯人).
NOT_REACHED_BY_GRID_WORKERS = frozenset({Kind.PETITION})


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
