"""Lists of warnings, the actions a user may take on one now (its page and the API offer exactly
these), the acknowledgement board and the households a user may enter. Persons are masked here:
monitors, deputies and households by ``anju.lib.masking``; staff by their names."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from anju.geo.models import Region
from anju.lib.masking import mask_address, mask_name, mask_phone, mask_phones_in
from anju.warnings import evacuation, issuing, lifecycle
from anju.warnings import warnings_access as access
from anju.warnings.choices import AckState, Responder, WarningStatus
from anju.warnings.models import Acknowledgement, Evacuation, MonitoringPoint, Warning

# The board's groups of states.
GROUPS = {
    "in_force": [WarningStatus.ISSUED],
    "pending": [WarningStatus.DRAFT, WarningStatus.APPROVED],
    "ended": [WarningStatus.CANCELLED, WarningStatus.EXPIRED, WarningStatus.REJECTED],
}


@dataclass
class WarningFilters:
    status: str = ""  # a WarningStatus, or a group of GROUPS
    level: str = ""
    area: str = ""  # a region code: warnings whose area lies in its subtree or holds it
    point: str = ""  # a monitoring point's code
    text: str = ""


def warnings_for(user, filters: WarningFilters):
    """The warnings ``user`` may read matching ``filters``, newest first."""
    rows = access.visible_warnings(user).select_related("area", "drafted_by", "approved_by")
    if filters.status in GROUPS:
        rows = rows.filter(status__in=GROUPS[filters.status])
    elif filters.status:
        rows = rows.filter(status=filters.status)
    if filters.level:
        rows = rows.filter(level=filters.level)
    if filters.area:
        region = Region.objects.filter(code=filters.area).first()
        rows = rows.filter(Q(area_path__startswith=region.path) | Q(area_path__in=access.ancestors(region.path))) \
            if region else rows.none()
    if filters.point:
        rows = rows.filter(points__code=filters.point)
    if filters.text:
        rows = rows.filter(Q(headline__icontains=filters.text) | Q(description__icontains=filters.text))
    return rows.distinct().order_by("-pk")


def answerable(user, warning: Warning) -> list[Acknowledgement]:
    """What ``user`` was asked to acknowledge on ``warning`` and has not answered yet."""
    if warning.status != WarningStatus.ISSUED or not user.is_authenticated:
        return []
    rows = warning.acknowledgements.exclude(state=AckState.ACKNOWLEDGED).select_related("point", "warning")
    rows = rows.filter(Q(user=user) | Q(user__isnull=True, responder=Responder.DUTY_OFFICER))
    return [ack for ack in rows if access.can_answer(user, ack) and not _covered(ack)]


def _covered(ack: Acknowledgement) -> bool:
    return Acknowledgement.objects.filter(warning_id=ack.warning_id, point_id=ack.point_id,
                                          state=AckState.ACKNOWLEDGED).exists()


def warning_actions(user, warning: Warning) -> list[str]:
    """What ``user`` may do with ``warning`` now: approve, reject, issue, update, cancel,
    all_clear, evacuate (list its households to move), open_incident, record_call, acknowledge
    (their own), evacuation (enter households)."""
    status = warning.status
    actions = []
    policy = issuing.level_policy(warning.level)
    if status == WarningStatus.DRAFT and access.can_approve(user, warning, policy.approver_role):
        actions += ["approve", "reject"]
    if status == WarningStatus.APPROVED and access.can_issue(user, warning):
        actions.append("issue")
    if status == WarningStatus.ISSUED:
        if access.holds_approver_role(user, warning, policy.approver_role):
            actions += ["update", "cancel", "all_clear"]
        operator = access.can_operate(user, warning)
        listed = evacuation.is_listed(warning)
        if operator and not listed and Warning.objects.filter(pk=warning.pk, points__household_rows__isnull=False) \
                .exists():
            actions.append("evacuate")
        if lifecycle.may_open_incident(user, warning):
            actions.append("open_incident")
        if operator and warning.acknowledgements.filter(state__in=[AckState.WAITING, AckState.ESCALATED]).exists():
            actions.append("record_call")
        if answerable(user, warning):
            actions.append("acknowledge")
        if listed and (operator or any(access.is_points_grid_worker(user, p) for p in warning.points.all())):
            actions.append("evacuation")
    return actions


# ---------------------------------------------------------------------------- acknowledgements


@dataclass
class AckRow:
    ack: Acknowledgement
    who: str
    phone: str
    overdue: bool
    late: bool
    # Still waiting, but someone else at the point answered: no longer asked.
    stood_down: bool


@dataclass
class PointAcks:
    point: MonitoringPoint
    rows: list[AckRow] = field(default_factory=list)
    answered: AckRow | None = None

    @property
    def overdue(self) -> bool:
        return self.answered is None and any(r.overdue for r in self.rows)

    @property
    def waiting(self) -> AckRow | None:
        """The person asked now (the last one asked), while nobody answered."""
        return None if self.answered is not None or not self.rows else self.rows[-1]


def who_of(ack: Acknowledgement) -> str:
    """The person asked as lists show them: a monitor or deputy masked; a duty officer (staff)
    by name; the supervisors standing in for one, as such."""
    if ack.responder == Responder.DUTY_OFFICER:
        if ack.user_id is None:
            return _("The supervisors on call")
        return ack.name
    return mask_name(ack.name)


def ack_row(ack: Acknowledgement, now: datetime, covered: bool) -> AckRow:
    waiting = ack.state != AckState.ACKNOWLEDGED
    return AckRow(ack=ack, who=who_of(ack), phone=mask_phone(ack.phone) if ack.phone else "",
                  overdue=ack.state == AckState.WAITING and not covered and ack.due_at is not None and ack.due_at < now,
                  late=ack.state == AckState.ACKNOWLEDGED and ack.missed_deadline,
                  stood_down=waiting and covered and ack.state == AckState.WAITING)


def ack_board(warning: Warning, now: datetime) -> list[PointAcks]:
    """Per point of the warning, who was asked in turn, who answered and how, who has not."""
    acks = list(warning.acknowledgements.select_related("point", "user", "recorded_by").order_by("asked_at", "pk"))
    covered = {a.point_id for a in acks if a.state == AckState.ACKNOWLEDGED}
    by_point: dict[int, PointAcks] = {}
    for point in warning.points.order_by("code"):
        by_point[point.pk] = PointAcks(point=point)
    for ack in acks:
        group = by_point.setdefault(ack.point_id, PointAcks(point=ack.point))
        row = ack_row(ack, now, ack.point_id in covered)
        group.rows.append(row)
        if ack.state == AckState.ACKNOWLEDGED and group.answered is None:
            group.answered = row
    return list(by_point.values())


def ack_summary(board: list[PointAcks]) -> dict:
    asked = [p for p in board if p.rows]
    return {"points": len(asked), "answered": sum(1 for p in asked if p.answered),
            "waiting": sum(1 for p in asked if not p.answered),
            "overdue": sum(1 for p in asked if p.overdue)}


# ---------------------------------------------------------------------------- evacuation


@dataclass
class HouseholdRow:
    evacuation: Evacuation
    head: str
    phone: str
    address: str
    members: int
    reason: str
    can_enter: bool
    steps: list[str]


def household_rows(user, warning: Warning, *, only_enterable: bool = False, point: str = "") -> list[HouseholdRow]:
    """The households listed under ``warning`` (masked), each with whether ``user`` may enter it
    now and the entries its state allows; ``only_enterable``: those of the points ``user`` enters
    (open or closed)."""
    rows = Evacuation.objects.filter(warning=warning).select_related("household", "household__point") \
        .order_by("household__point__code", "household_id")
    if point:
        rows = rows.filter(household__point__code=point)
    open_ = warning.status == WarningStatus.ISSUED
    enter_by_point = {}
    result = []
    for row in rows:
        h = row.household
        if h.point_id not in enter_by_point:
            enter_by_point[h.point_id] = access.can_enter_evacuation(user, warning, h.point)
        if only_enterable and not enter_by_point[h.point_id]:
            continue
        can_enter = open_ and enter_by_point[h.point_id]
        steps = [s for s, before in evacuation.STEPS.items() if row.state in before] if can_enter else []
        result.append(HouseholdRow(evacuation=row, head=mask_name(h.head_name), phone=mask_phone(h.phone) if h.phone
                                   else "", address=mask_address(h.address), members=h.members,
                                   reason=mask_phones_in(row.reason), can_enter=can_enter, steps=steps))
    return result
