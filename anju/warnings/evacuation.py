"""Evacuation under a warning (转移避险): the households the warning's points threaten are listed
to move (when an orange or red warning is issued, or when asked); the grid workers of each
point's grid, on a phone, and the duty desk enter each household as moved (with the people
moved), refused (with the reason, required) or returned (only after moved). The board gives the
duty officer the counts per point. The evacuation is open for entries while the warning is in
force: the all-clear (or a cancel, or the expiry) closes it, and marks nobody returned by
itself.

Households are people: their contacts are masked wherever shown; the log names a household by
its point and number only."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anju.lib.errors import ServiceError
from anju.warnings import warnings_access as access
from anju.warnings.choices import EvacuationState, WarningEvent, WarningStatus
from anju.warnings.models import Evacuation, Household, MonitoringPoint, Warning, WarningLog

# Which states each entry may follow.
STEPS = {
    EvacuationState.MOVED: {EvacuationState.TO_MOVE, EvacuationState.REFUSED, EvacuationState.RETURNED},
    EvacuationState.REFUSED: {EvacuationState.TO_MOVE},
    EvacuationState.RETURNED: {EvacuationState.MOVED},
}
MAX_PEOPLE = 999
MAX_REASON = 500


def _log(warning: Warning, actor, now: datetime, note: str) -> None:
    WarningLog.objects.create(warning=warning, code=WarningEvent.EVACUATION, at=now, actor=actor, note=note[:2000])


def is_listed(warning: Warning) -> bool:
    """Whether households were listed to move under the warning."""
    return warning.evacuations.exists()


def is_open(warning: Warning) -> bool:
    """Open for entries: listed, and the warning in force."""
    return warning.status == WarningStatus.ISSUED and is_listed(warning)


def list_households(warning: Warning, points: list[MonitoringPoint], actor, now: datetime) -> int:
    """List the households of ``points`` not yet listed under the warning, to move. Runs in the
    caller's transaction; returns how many it listed."""
    listed = set(warning.evacuations.values_list("household_id", flat=True))
    rows = [Evacuation(warning=warning, household=h, updated_at=now)
            for h in Household.objects.filter(point__in=points).order_by("point_id", "pk") if h.pk not in listed]
    Evacuation.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        with translation.override(settings.LANGUAGE_CODE):
            _log(warning, actor, now, _("%(n)d household(s) listed to move.") % {"n": len(rows)})
    return len(rows)


@transaction.atomic
def open_evacuation(actor, warning: Warning, *, now: datetime | None = None) -> int:
    """List the households of a warning in force to move, at any level (issued without its
    evacuation, a yellow or blue warning's households may still be moved). Returns how many."""
    now = now or timezone.now()
    warning = Warning.objects.select_for_update().get(pk=warning.pk)
    if not access.can_operate(actor, warning):
        raise ServiceError(_("You may not do this."), status=403)
    _check_open_for(warning)
    if is_listed(warning):
        raise ServiceError(_("The households of this warning are listed to move already."), status=409)
    listed = list_households(warning, list(warning.points.all()), actor, now)
    if not listed:
        raise ServiceError(_("The warning's points threaten no household on the register."), status=409)
    return listed


def _check_open_for(warning: Warning) -> None:
    if warning.status != WarningStatus.ISSUED:
        if warning.all_clear_at is not None:
            message = _("The evacuation was closed by the all-clear.")
        else:
            message = _("This warning is “%(state)s”: its evacuation is closed.") % {
                "state": WarningStatus(warning.status).label}
        raise ServiceError(message, status=409, field="status")


@dataclass
class Entry:
    state: str
    people_moved: int | None = None
    reason: str = ""


@transaction.atomic
def record(actor, evacuation: Evacuation, entry: Entry, *, now: datetime | None = None) -> Evacuation:
    """Enter a household as moved (the people moved, by default the household's members),
    refused (the reason required) or returned (only after moved), while the warning is in
    force: the point's grid workers and the duty desk."""
    now = now or timezone.now()
    # The warning first (as its all-clear and cancel lock it): no entry slips in after either.
    warning = Warning.objects.select_for_update().get(pk=evacuation.warning_id)
    evacuation = Evacuation.objects.select_for_update(of=("self",)).select_related(
        "household", "household__point").get(pk=evacuation.pk)
    evacuation.warning = warning
    household = evacuation.household
    if not access.can_enter_evacuation(actor, warning, household.point):
        raise ServiceError(_("You may not do this."), status=403)
    _check_open_for(warning)
    state = entry.state
    if state not in STEPS:
        raise ServiceError(_("%(value)s is not one of the allowed values.") % {"value": state or "''"}, status=422,
                           field="state")
    if evacuation.state not in STEPS[state]:
        raise ServiceError(_("A household “%(now)s” cannot be entered as “%(next)s”.") % {
            "now": EvacuationState(evacuation.state).label, "next": EvacuationState(state).label},
            status=409, field="state")
    reason = entry.reason if isinstance(entry.reason, str) else None
    if reason is None or "\x00" in reason or len(reason.strip()) > MAX_REASON:
        raise ServiceError(_("The reason must be text of at most %(n)s characters.") % {"n": MAX_REASON},
                           status=422, field="reason")
    reason = reason.strip()
    if state == EvacuationState.MOVED:
        people = household.members if entry.people_moved is None else entry.people_moved
        if isinstance(people, bool) or not isinstance(people, int) or not 1 <= people <= MAX_PEOPLE:
            raise ServiceError(_("The people moved must be a whole number from 1 to %(n)s.") % {"n": MAX_PEOPLE},
                               status=422, field="people_moved")
        evacuation.people_moved, evacuation.moved_at, evacuation.reason = people, now, ""
        evacuation.returned_at = None
    elif state == EvacuationState.REFUSED:
        if not reason:
            raise ServiceError(_("Say why the household refused to move."), status=422, field="reason")
        evacuation.reason, evacuation.people_moved = reason, 0
    else:
        evacuation.returned_at = now
    evacuation.state, evacuation.updated_by, evacuation.updated_at = state, actor, now
    evacuation.save()
    with translation.override(settings.LANGUAGE_CODE):
        note = f"{household.point.code} #{household.pk}: {EvacuationState(state).label}"
        if state == EvacuationState.MOVED:
            note += " " + _("(%(n)d people)") % {"n": evacuation.people_moved}
    _log(warning, actor, now, note)
    return evacuation


# ---------------------------------------------------------------------------- counts


def counts(warning: Warning) -> dict:
    """The households listed under ``warning`` by state, and the people moved."""
    totals = warning.evacuations.aggregate(
        total=Count("id"), **{state: Count("id", filter=Q(state=state)) for state in EvacuationState.values},
        people_moved=Sum("people_moved", filter=Q(state__in=[EvacuationState.MOVED, EvacuationState.RETURNED])))
    totals["people_moved"] = totals["people_moved"] or 0
    return totals


@dataclass
class PointCounts:
    point: MonitoringPoint
    total: int
    to_move: int
    moved: int
    refused: int
    returned: int
    people_moved: int
    people_threatened: int

    @property
    def done(self) -> bool:
        """Every household moved, returned or refused (with its reason)."""
        return self.total > 0 and self.to_move == 0


def board(warning: Warning) -> list[PointCounts]:
    """The duty officer's board: per point of the warning, its households by state and the
    people moved against the people it threatens."""
    rows = (Evacuation.objects.filter(warning=warning).values("household__point_id")
            .annotate(total=Count("id"),
                      **{state: Count("id", filter=Q(state=state)) for state in EvacuationState.values},
                      people_moved=Sum("people_moved", filter=Q(state__in=[EvacuationState.MOVED,
                                                                            EvacuationState.RETURNED]))))
    by_point = {row["household__point_id"]: row for row in rows}
    points = MonitoringPoint.objects.filter(Q(warnings=warning) | Q(pk__in=by_point)).distinct().order_by("code")
    result = []
    for point in points:
        row = by_point.get(point.pk, {})
        result.append(PointCounts(point=point, total=row.get("total", 0), to_move=row.get("to_move", 0),
                                  moved=row.get("moved", 0), refused=row.get("refused", 0),
                                  returned=row.get("returned", 0), people_moved=row.get("people_moved") or 0,
                                  people_threatened=point.people))
    return result
