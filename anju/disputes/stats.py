"""Dispute statistics: how many disputes were found, how mediation ended, where they were
resolved, whether agreements were performed, and how disputes passed between people's,
administrative and judicial mediation (三调联动). Counts of disputes only, never of persons:
no figure per party, reporter or mediator.

``dispute_stats(user, start=…, end=…)`` is the one entry point (the page, its Excel export and
the scorecards call it). It counts only the disputes ``user`` may see
(``anju.disputes.access.dispute_cases``) and lets the database count (GROUP BY per dispute type
and per township); only the median reads one row per resolved dispute (two timestamps),
because SQLite has no median aggregate.

The period is whole days in Asia/Shanghai: from ``start`` 00:00 to the end of ``end``; a
moment counts when ``start 00:00 <= moment < the day after end, 00:00``. The definition of
each figure is in ``FIGURES`` below and is returned with the figures, so that the page shows
the same sentences.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from anju.cases.choices import Status
from anju.cases.models import Category
from anju.disputes.access import dispute_cases
from anju.disputes.choices import (
    DISPUTE,
    REOPENING_PERFORMANCE,
    MediationType,
    Outcome,
    Performance,
    ResolvedLevel,
    TransferStatus,
    VisitStatus,
)
from anju.disputes.models import FollowUpVisit, MediationTransfer
from anju.geo.models import Region
from anju.geo.queries import townships_under
from anju.lib.periods import between, period_bounds
from anju.publicstats.stats import median, one_decimal

_MICROSECONDS_PER_DAY = 86_400 * 10**6

# Every figure of a row, in the order the page and the workbook show them: (key, short label,
# definition). Rates are in percent with one decimal; a rate or median with nothing to count
# from is None (shown as "—").
FIGURES = [
    ("found", _("Disputes found"),
     _("Disputes registered in the period, however they came in; a duplicate merged into another dispute is "
       "not counted again.")),
    ("found_by_screening", _("Found by screening"),
     _("Of the disputes found, those a grid worker reported in a screening round (排查).")),
    ("concluded", _("Mediation ended"),
     _("Disputes whose mediation ended in the period, with an agreement or without one (no agreement, "
       "withdrawn, refused); a dispute reopened and not yet concluded again is not counted.")),
    ("resolved", _("Resolved (agreement)"),
     _("Of the disputes whose mediation ended in the period, those that ended with a mediation agreement "
       "in effect.")),
    ("resolution_rate", _("Resolution rate (%)"),
     _("Resolved ÷ mediation ended, in percent.")),
    ("resolved_village", _("Resolved at village level"),
     _("Resolved disputes whose mediating organisation serves a village or community (村居).")),
    ("resolved_township", _("Resolved at township level"),
     _("Resolved disputes whose mediating organisation serves a township or street (乡镇街道).")),
    ("resolved_above", _("Resolved at county level and above"),
     _("Resolved disputes whose mediating organisation serves the county or above (a county department or "
       "court).")),
    ("median_days_to_resolve", _("Median days to resolve"),
     _("For the resolved disputes, the median time from the dispute being accepted (受理) to the agreement "
       "being signed, in days.")),
    ("visits_done", _("Agreements followed up"),
     _("Follow-up visits (回访) of a mediation agreement made in the period.")),
    ("visits_performed", _("Found performed"),
     _("Of those follow-up visits, the ones that found the agreement fully performed.")),
    ("performance_rate", _("Performance rate (%)"),
     _("Found performed ÷ agreements followed up, in percent.")),
    ("reopened", _("Reopened after non-performance"),
     _("Follow-up visits in the period that found an agreement partly or not performed, which reopened the "
       "dispute.")),
    ("transfers", _("Transfers"),
     _("Passes of a dispute to another mediation organisation (三调联动: people's, administrative, judicial "
       "mediation) proposed in the period.")),
    ("transfers_accepted", _("Transfers accepted"),
     _("Of those transfers, the ones the receiving organisation has accepted.")),
    ("transfers_returned", _("Transfers returned"),
     _("Of those transfers, the ones the receiving organisation has returned to the sender.")),
    ("transfers_pending", _("Transfers waiting"),
     _("Of those transfers, the ones still waiting for the receiving organisation.")),
]
FIGURE_KEYS = [key for key, _label, _definition in FIGURES]
# Scopes and groupings, defined once for the page's footnote.
NOTES = [
    ("period", _("Period"),
     _("Whole days in Beijing time (Asia/Shanghai), from the first day 00:00 to the end of the last day.")),
    ("scope", _("Whose disputes"),
     _("Only the disputes you may see are counted: those in the regions and offices of your roles.")),
    ("by_type", _("Per dispute type"),
     _("The dispute type is the case's category. The totals are the sum of the types.")),
    ("by_township", _("Per township / street"),
     _("The township or street the dispute is located in, whichever organisation mediated it. Townships with "
       "nothing to count in the period are left out; a dispute located only at county level counts in the "
       "totals and in no township.")),
]


@dataclass
class Row:
    """The figures of one dispute type, one township, or the total. Counts are filled by
    ``dispute_stats``; the rates and the median are read from them."""

    code: str
    name: str
    found: int = 0
    found_by_screening: int = 0
    concluded: int = 0
    resolved: int = 0
    resolved_village: int = 0
    resolved_township: int = 0
    resolved_above: int = 0
    visits_done: int = 0
    visits_performed: int = 0
    reopened: int = 0
    transfers: int = 0
    transfers_accepted: int = 0
    transfers_returned: int = 0
    transfers_pending: int = 0
    # Microseconds from acceptance to the agreement taking effect, one per resolved dispute.
    durations: list[int] = field(default_factory=list)

    COUNTS = ("found", "found_by_screening", "concluded", "resolved", "resolved_village", "resolved_township",
              "resolved_above", "visits_done", "visits_performed", "reopened", "transfers", "transfers_accepted",
              "transfers_returned", "transfers_pending")

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return one_decimal(Fraction(100 * part, whole)) if whole else None

    def add(self, counted: dict) -> None:
        for key in self.COUNTS:
            setattr(self, key, getattr(self, key) + (counted.get(key) or 0))

    def is_empty(self) -> bool:
        return not any(getattr(self, key) for key in self.COUNTS)

    def as_dict(self) -> dict:
        middle = median(self.durations)
        figures = {key: getattr(self, key) for key in self.COUNTS}
        figures.update(
            resolution_rate=self._rate(self.resolved, self.concluded),
            performance_rate=self._rate(self.visits_performed, self.visits_done),
            median_days_to_resolve=one_decimal(middle / _MICROSECONDS_PER_DAY) if middle is not None else None,
        )
        return {"code": self.code, "name": self.name, **{key: figures[key] for key in FIGURE_KEYS}}


# What is counted, each from the dispute cases in scope. Each returns the aggregate expressions
# and the queryset they run over; ``case`` is the path from the queryset's model to the case.

def _found(cases, since, until):
    rows = cases.filter(between("submitted_at", since, until)).exclude(status=Status.MERGED)
    return "", rows, {
        "found": Count("id"),
        "found_by_screening": Count("id", filter=Q(dispute__screening_report__isnull=False)),
    }


def _concluded(cases, since, until):
    rows = cases.filter(between("dispute__concluded_at", since, until)).exclude(dispute__outcome="")
    agreement = Q(dispute__outcome=Outcome.AGREEMENT)
    return "", rows, {
        "concluded": Count("id"),
        "resolved": Count("id", filter=agreement),
        "resolved_village": Count("id", filter=agreement & Q(dispute__resolved_level=ResolvedLevel.VILLAGE)),
        "resolved_township": Count("id", filter=agreement & Q(dispute__resolved_level=ResolvedLevel.TOWNSHIP)),
        "resolved_above": Count("id", filter=agreement & Q(dispute__resolved_level=ResolvedLevel.ABOVE)),
    }


def _visits(cases, since, until):
    rows = FollowUpVisit.objects.filter(
        between("done_at", since, until), dispute__case__in=cases, status=VisitStatus.DONE,
        agreement__isnull=False,
    )
    return "dispute__case__", rows, {
        "visits_done": Count("id"),
        "visits_performed": Count("id", filter=Q(performance=Performance.PERFORMED)),
        "reopened": Count("id", filter=Q(performance__in=REOPENING_PERFORMANCE)),
    }


def _transfers(cases, since, until):
    rows = MediationTransfer.objects.filter(between("proposed_at", since, until), dispute__case__in=cases)
    return "dispute__case__", rows, {
        "transfers": Count("id"),
        "transfers_accepted": Count("id", filter=Q(status=TransferStatus.ACCEPTED)),
        "transfers_returned": Count("id", filter=Q(status=TransferStatus.RETURNED)),
        "transfers_pending": Count("id", filter=Q(status=TransferStatus.PENDING)),
    }


COUNTED = (_found, _concluded, _visits, _transfers)


def dispute_stats(user, *, start: date, end: date, region: Region | None = None) -> dict:
    """The dispute figures for the days ``start`` to ``end`` (both included, Asia/Shanghai), over the
    disputes ``user`` may see, within ``region`` if given.

    Returns a dict of stable shape::

        {"period": {"start": date, "end": date, "time_zone": "Asia/Shanghai"},
         "region": {"code", "name"} or None,
         "totals": row, "by_type": [row, …], "by_township": [row, …],
         "transfer_paths": [{"from_type", "to_type", "from_label", "to_label", "transfers",
                             "accepted", "returned", "pending"}, …],
         "definitions": [{"key", "label", "definition"}, …],   # one per figure of a row
         "notes": [{"key", "label", "definition"}, …]}          # period, scope, groupings

    where each row is ``{"code", "name", <every key of FIGURES>}``: counts are integers, rates
    (percent) and the median (days) have one decimal or are None when there is nothing to count
    from. ``by_type`` lists every dispute type (zeros included), ``by_township`` the townships
    with something to count. Raises ValueError when ``end`` is before ``start``.
    """
    if end < start:
        raise ValueError("the period must not end before it starts")
    since, until = period_bounds(start, end)
    cases = dispute_cases(user)
    if region is not None:
        cases = cases.filter(area_path__startswith=region.path)

    types = {c.pk: Row(c.code, c.name) for c in Category.objects.filter(default_kind=DISPUTE).order_by("path")}
    townships = townships_under(region)
    by_township = {path: Row(t.code, t.name) for path, t in townships.items()}
    # Township paths of one county all have the same length: one GROUP BY per length, usually one.
    lengths = sorted({len(path) for path in townships})

    for counter in COUNTED:
        to_case, rows, aggregates = counter(cases, since, until)
        for counted in rows.values(type_id=F(f"{to_case}category")).annotate(**aggregates).order_by():
            if counted["type_id"] not in types:
                # A dispute case filed under a category that is not a dispute type (its type was changed).
                category = Category.objects.get(pk=counted["type_id"])
                types[category.pk] = Row(category.code, category.name)
            types[counted["type_id"]].add(counted)
        for length in lengths:
            prefix = Substr(f"{to_case}area_path", 1, length)
            for counted in rows.annotate(prefix=prefix).values("prefix").annotate(**aggregates).order_by():
                if counted["prefix"] in by_township:
                    by_township[counted["prefix"]].add(counted)

    resolved = _concluded(cases, since, until)[1].filter(dispute__outcome=Outcome.AGREEMENT, accepted_at__isnull=False)
    for category_id, area_path, accepted_at, concluded_at in resolved.values_list(
            "category_id", "area_path", "accepted_at", "dispute__concluded_at").iterator(chunk_size=2000):
        micros = (concluded_at - accepted_at) // timedelta(microseconds=1)
        types[category_id].durations.append(micros)
        for length in lengths:
            row = by_township.get(area_path[:length])
            if row is not None:
                row.durations.append(micros)
                break

    total = Row("", str(_("Total")))
    for row in types.values():
        total.add({key: getattr(row, key) for key in Row.COUNTS})
        total.durations += row.durations
    return {
        "period": {"start": start, "end": end, "time_zone": "Asia/Shanghai"},
        "region": {"code": region.code, "name": region.name} if region is not None else None,
        "totals": total.as_dict(),
        "by_type": [row.as_dict() for row in types.values()],
        "by_township": [row.as_dict() for row in by_township.values() if not row.is_empty()],
        "transfer_paths": _transfer_paths(cases, since, until),
        "definitions": [{"key": key, "label": str(label), "definition": str(definition)}
                        for key, label, definition in FIGURES],
        "notes": [{"key": key, "label": str(label), "definition": str(definition)} for key, label, definition in NOTES],
    }


def _transfer_paths(cases, since, until) -> list[dict]:
    """Transfers proposed in the period per (from type → to type), in the order of the mediation types."""
    _to_case, rows, aggregates = _transfers(cases, since, until)
    labels = dict(MediationType.choices)
    order = {value: index for index, value in enumerate(MediationType.values)}
    counted = rows.values("from_type", "to_type").annotate(**aggregates).order_by()
    paths = [{
        "from_type": c["from_type"], "to_type": c["to_type"],
        "from_label": str(labels.get(c["from_type"], c["from_type"])),
        "to_label": str(labels.get(c["to_type"], c["to_type"])),
        "transfers": c["transfers"], "accepted": c["transfers_accepted"], "returned": c["transfers_returned"],
        "pending": c["transfers_pending"],
    } for c in counted]
    return sorted(paths, key=lambda p: (order.get(p["from_type"], 99), order.get(p["to_type"], 99)))
