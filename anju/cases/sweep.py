"""The deadline sweep: the one periodic look at everything that has a deadline.

The kit every deadline table uses: ``models.DeadlineFields`` (the columns the sweep reads, including
whether the deadline is an estimate) and ``claim_due_rows`` (the batch loop that claims due rows,
with SKIP LOCKED on PostgreSQL). The cases' own sweep (warn, mark overdue, escalate) is here;
a domain module declares its sweeps to the registry (``modules.Sweep``), and ``run_all_sweeps``
runs them all, for the worker and for ``anju sweep``.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from anju.cases import modules
from anju.cases.choices import Action, NoticeKind, SupervisionLevel
from anju.cases.messages import notify_sweep
from anju.cases.models import Case, SupervisionNotice
from anju.cases.services import _record
from anju.geo.choices import Level
from anju.geo.models import Region


def claim_due_rows(queryset, handle: Callable, *, now: datetime, batch_size: int = 200) -> int:
    """Call ``handle(row, now)`` for every row of ``queryset`` whose ``sweep_at`` has come, in
    batches of ``batch_size``, each batch in a transaction with its rows locked; ``handle`` must
    move ``sweep_at`` on (or clear it) and save. Reads only due rows through the ``sweep_at``
    index, so its cost follows the rows due, not the table. Several sweeps may run at once: on
    PostgreSQL each claims its rows with SKIP LOCKED. Returns how many rows it handled."""
    done = 0
    while True:
        with transaction.atomic():
            rows = queryset.filter(sweep_at__lte=now).order_by("sweep_at")
            rows = rows.select_for_update(skip_locked=True, of=("self",))
            claimed = list(rows[:batch_size])
            for row in claimed:
                handle(row, now)
        done += len(claimed)
        if len(claimed) < batch_size:
            return done


def run_all_sweeps(now: datetime | None = None) -> dict[str, int]:
    """The cases' sweep and every registered module's, at one moment; how many rows each
    looked at, by what it calls them."""
    now = now or timezone.now()
    looked = {"case(s)": run_sweep(now)}
    for sweep in modules.sweeps():
        looked[sweep.noun] = looked.get(sweep.noun, 0) + sweep(now)
    return looked


# ---------------------------------------------------------------------------- the cases' sweep


def _escalation_region(case: Case, level: int) -> Region | None:
    wanted = Level.TOWNSHIP if level == SupervisionLevel.TOWNSHIP else Level.COUNTY
    for region in case.region.ancestors():
        if region.level == wanted:
            return region
    return None


def _sweep_notice(case: Case, kind: str, level: int, now: datetime, region=None) -> bool:
    """Issue a sweep notice once: False when another sweep already issued it."""
    try:
        with transaction.atomic():
            SupervisionNotice.objects.create(
                case=case, kind=kind, level=level, due_at=case.due_at, office=case.office,
                region=region or case.region, created_at=now,
            )
    except IntegrityError:
        return False
    notify_sweep(case, kind, region)
    return True


def sweep_case(case: Case, now: datetime) -> None:
    """Look at one case whose sweep time has come: warn before its deadline, mark it
    overdue after, escalate one level up after each further grace period, catching up on
    every step that is due by ``now``. Plans the next look. Runs inside the caller's
    transaction with the row locked."""
    fields = {"sweep_at", "sweep_stage", "supervision_level"}
    while case.sweep_at is not None and case.sweep_at <= now:
        fields |= _sweep_step(case, now)
    case.save(update_fields=sorted(fields))


def _sweep_step(case: Case, now: datetime) -> set[str]:
    if case.due_at is None or not case.is_open:
        case.sweep_at = None
        return set()
    grace = timedelta(hours=max(1, case.deadline_rule.get("escalate_after_hours", 24)))
    changed = set()
    if case.sweep_stage == 0 and now < case.due_at:
        if _sweep_notice(case, NoticeKind.DUE_SOON, max(case.supervision_level, 1), now):
            _record(case, None, Action.DUE_SOON, case.status, now=now, data={"due_at": case.due_at.isoformat()})
        case.sweep_stage = 1
    elif case.sweep_stage <= 1 and now >= case.due_at:
        # Overdue is supervised at office level at least; escalations go up from there.
        case.supervision_level = max(case.supervision_level, SupervisionLevel.OFFICE)
        if _sweep_notice(case, NoticeKind.OVERDUE, case.supervision_level, now):
            _record(case, None, Action.OVERDUE, case.status, now=now, data={"due_at": case.due_at.isoformat()})
        case.missed_deadline = True
        case.sweep_stage = 2
        changed.add("missed_deadline")
    elif case.sweep_stage >= 2:
        level = min(case.supervision_level + 1, SupervisionLevel.COUNTY)
        if level > case.supervision_level:
            region = _escalation_region(case, level)
            if _sweep_notice(case, NoticeKind.ESCALATION, level, now, region=region):
                _record(case, None, Action.ESCALATE, case.status, now=now,
                        data={"level": level, "region": region.code if region else None})
            case.supervision_level = level
        case.sweep_stage += 1
    if case.sweep_stage == 1:
        case.sweep_at = case.due_at
    elif case.supervision_level < SupervisionLevel.COUNTY:
        case.sweep_at = case.due_at + grace * (case.sweep_stage - 1)
    else:
        case.sweep_at = None
    return changed


def run_sweep(now: datetime | None = None, batch_size: int = 200) -> int:
    """Process every case whose sweep time has come, in batches; returns how many looks it
    took. Several sweeps may run at once: sweep notices are unique, so none is issued twice."""
    rows = Case.objects.select_related("region", "office")
    return claim_due_rows(rows, sweep_case, now=now or timezone.now(), batch_size=batch_size)


