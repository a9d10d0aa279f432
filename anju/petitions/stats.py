"""Petition statistics (信访统计): how many petitions were received, accepted or not, answered and
answered on time, extended, taken to review and re-examination, resolved the first time, how
satisfied the petitioners were, and how many a leader took personal charge of (领导包案); per
township, per body and per month. Counts of matters only, never of persons: nothing here is
counted per petitioner (nor per member of staff).

``petition_stats(user, start=…, end=…, region_code=…, office_code=…)`` is the one entry point
(the page, its Excel export and, later, the API). It counts only the petitions ``user`` may see
(``anju.petitions.access.petition_cases``) and lets the database count (one GROUP BY per figure
group and breakdown).

The period is whole days in Asia/Shanghai: from ``start`` 00:00 to the end of ``end``; a
moment counts when ``start 00:00 <= moment < the day after end, 00:00``. Each figure is
anchored to one moment (registration, acceptance, the first written answer, the notice, the
leader taking charge); its definition is in ``FIGURES`` below and is returned with the figures,
so that the page and the workbook show the same sentences.
"""

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.utils.translation import gettext_lazy as _

from anju.cases.choices import Status
from anju.cases.models import CaseEvent
from anju.geo.models import Region
from anju.geo.queries import townships_under
from anju.lib.periods import between, months_of, period_bounds
from anju.lib.workdays import LOCAL
from anju.people.models import Office
from anju.petitions.access import petition_cases
from anju.petitions.choices import Level, NoticeKind, PetitionEvent
from anju.petitions.models import Notice, Petition
from anju.publicstats.stats import one_decimal

# Every figure of a row, in the order the page and the workbook show them: (key, short label,
# definition). Rates are in percent with one decimal, satisfaction a mean with one decimal; a
# rate or mean with nothing to compute it from is None (shown as "—").
FIGURES = [
    ("received", _("Received"),
     _("Petitions (信访事项) registered in the period, however they came in. A review or re-examination is not "
       "a new petition: it counts below, as reviewed or re-examined.")),
    ("accepted", _("Accepted"),
     _("Petitions a competent body accepted (受理) in the period.")),
    ("not_accepted", _("Not accepted"),
     _("Petitions answered in the period with a notice that they are not accepted (不予受理), or not accepted "
       "again because the matter was concluded after re-examination (不再受理).")),
    ("answered", _("Answered"),
     _("Petitions whose first written answer (处理意见书) was issued in the period. The figures from “answered "
       "on time” to “ratings”, extensions apart, are about these petitions as they stand today.")),
    ("answered_on_time", _("Answered on time"),
     _("Of the petitions answered, those whose written answer came within its time limit: 60 days from "
       "acceptance, with an approved extension of at most 30 (第三十四条).")),
    ("on_time_rate", _("On-time rate (%)"),
     _("Answered on time ÷ answered, in percent.")),
    ("extended", _("Extended"),
     _("Petitions whose time to answer was extended with approval (延期办理告知书 issued) in the period, each "
       "counted once.")),
    ("reviewed", _("Reviewed"),
     _("Of the petitions answered, those whose answer the petitioner asked to have reviewed (复查) by the body "
       "a level up.")),
    ("reexamined", _("Re-examined"),
     _("Of the petitions answered, those whose review decision the petitioner took on to re-examination "
       "(复核).")),
    ("first_time", _("Resolved first time"),
     _("Of the petitions answered, those with no review, no re-examination and never reopened.")),
    ("first_time_rate", _("First-time resolution rate (%)"),
     _("Resolved first time ÷ answered, in percent.")),
    ("satisfaction", _("Satisfaction"),
     _("The mean rating (1 to 5) the petitioners gave the answers of the petitions answered.")),
    ("ratings", _("Ratings"),
     _("The number of ratings that mean is taken from.")),
    ("leader_in_charge", _("Leader in charge (包案)"),
     _("Petitions a leader took personal charge of (领导包案) in the period, each counted once.")),
]
FIGURE_KEYS = [key for key, _label, _definition in FIGURES]
# Scopes and groupings, defined once for the page's footnote and the workbook.
NOTES = [
    ("period", _("Period"),
     _("Whole days in Beijing time (Asia/Shanghai), from the first day 00:00 to the end of the last day. Each "
       "figure counts what happened in the period: the petition registered, accepted, answered, extended or "
       "taken in charge then.")),
    ("scope", _("Whose petitions"),
     _("Only the petitions you may see are counted: those in the regions and offices of your roles.")),
    ("matters", _("Matters, not persons"),
     _("Every figure counts petitions (matters). Nothing is counted per petitioner, and how often anyone "
       "petitions is never counted.")),
    ("by_township", _("Per township / street"),
     _("The township or street the petition is located in. Townships with nothing to count are left out; a "
       "petition located only at county level counts in the totals and in no township.")),
    ("by_office", _("Per body"),
     _("The first body that accepted the petition within its competence (首办), which keeps it to the end; "
       "for a petition not accepted yet, the body that has it now. Bodies with nothing to count are left "
       "out.")),
    ("by_month", _("Per month"),
     _("The same figures per calendar month of the period; the first and last months count only the days "
       "inside the period. A petition extended or taken in charge in two months counts in each month, and "
       "once in the totals.")),
]

COUNTS = ("received", "accepted", "not_accepted", "answered", "answered_on_time", "extended", "reviewed",
          "reexamined", "first_time", "ratings", "rating_sum", "leader_in_charge")


@dataclass
class Row:
    """The figures of one township, one body, one month, or the total. Counts are filled by
    ``petition_stats``; the rates and the mean rating are read from them."""

    code: str
    name: str
    received: int = 0
    accepted: int = 0
    not_accepted: int = 0
    answered: int = 0
    answered_on_time: int = 0
    extended: int = 0
    reviewed: int = 0
    reexamined: int = 0
    first_time: int = 0
    ratings: int = 0
    rating_sum: int = 0
    leader_in_charge: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return one_decimal(Fraction(100 * part, whole)) if whole else None

    def add(self, counted: dict) -> None:
        for key in COUNTS:
            if key in counted:
                setattr(self, key, getattr(self, key) + (counted[key] or 0))

    def is_empty(self) -> bool:
        return not any(getattr(self, key) for key in COUNTS)

    def as_dict(self) -> dict:
        figures = {key: getattr(self, key) for key in COUNTS}
        figures.update(
            on_time_rate=self._rate(self.answered_on_time, self.answered),
            first_time_rate=self._rate(self.first_time, self.answered),
            satisfaction=one_decimal(Fraction(self.rating_sum, self.ratings)) if self.ratings else None,
        )
        return {"code": self.code, "name": self.name, **{key: figures[key] for key in FIGURE_KEYS}}


@dataclass
class Source:
    """One group of figures: the rows counted, the moment each is counted at, the paths from a
    row to the case's place and to its body, and the aggregates."""

    rows: object
    anchor: str
    to_case: str
    to_petition: str
    aggregates: dict

    def body(self):
        # 首办: the first body that accepted the petition; before acceptance, the owning office.
        return Coalesce(f"{self.to_petition}first_office", f"{self.to_case}office")


def _received(cases, since, until) -> Source:
    return Source(cases.filter(between("submitted_at", since, until)), "submitted_at", "", "petition__",
                  {"received": Count("id")})


def _accepted(cases, since, until) -> Source:
    return Source(cases.filter(between("accepted_at", since, until)), "accepted_at", "", "petition__",
                  {"accepted": Count("id")})


def _not_accepted(cases, since, until) -> Source:
    rows = Notice.objects.filter(between("issued_at", since, until), petition__case__in=cases,
                                 kind__in=[NoticeKind.NON_ACCEPTANCE, NoticeKind.CONCLUDED])
    return Source(rows, "issued_at", "petition__case__", "petition__",
                  {"not_accepted": Count("petition", distinct=True)})


def _answered(cases, since, until) -> Source:
    first_answer = Notice.objects.filter(petition__case=OuterRef("pk"), kind=NoticeKind.ANSWER).order_by(
        "issued_at", "id").values("issued_at")[:1]
    reviewed = Exists(Petition.objects.filter(parent__case=OuterRef("pk"), level=Level.REVIEW))
    reexamined = Exists(Petition.objects.filter(parent__parent__case=OuterRef("pk"), level=Level.REEXAMINATION))
    rows = cases.annotate(first_answer=Subquery(first_answer), was_reviewed=reviewed,
                          was_reexamined=reexamined).filter(between("first_answer", since, until))
    return Source(rows, "first_answer", "", "petition__", {
        "answered": Count("id"),
        "answered_on_time": Count("id", filter=Q(petition__answered_on_time=True)),
        "reviewed": Count("id", filter=Q(was_reviewed=True)),
        "reexamined": Count("id", filter=Q(was_reexamined=True)),
        "first_time": Count("id", filter=Q(was_reviewed=False, was_reexamined=False, reopen_count=0)),
        "ratings": Count("satisfaction"),
        "rating_sum": Sum("satisfaction"),
    })


def _extended(cases, since, until) -> Source:
    rows = Notice.objects.filter(between("issued_at", since, until), petition__case__in=cases,
                                 kind=NoticeKind.EXTENSION)
    return Source(rows, "issued_at", "petition__case__", "petition__", {"extended": Count("petition", distinct=True)})


def _leader_in_charge(cases, since, until) -> Source:
    rows = CaseEvent.objects.filter(between("at", since, until), case__in=cases, action=PetitionEvent.LEADER)
    return Source(rows, "at", "case__", "case__petition__", {"leader_in_charge": Count("case", distinct=True)})


SOURCES = (_received, _accepted, _not_accepted, _answered, _extended, _leader_in_charge)


def petition_stats(user, *, start: date, end: date, region_code: str = "", office_code: str = "") -> dict:
    """The petition figures for the days ``start`` to ``end`` (both included, Asia/Shanghai), over
    the petitions ``user`` may see, within the region with ``region_code`` and of the body with
    ``office_code`` (首办, else the owning office) if given.

    Returns a dict of stable shape::

        {"period": {"start": date, "end": date, "time_zone": "Asia/Shanghai"},
         "region": {"code", "name"} or None, "office": {"code", "name"} or None,
         "totals": row, "by_township": [row, …], "by_office": [row, …], "by_month": [row, …],
         "definitions": [{"key", "label", "definition"}, …],   # one per figure of a row
         "notes": [{"key", "label", "definition"}, …]}          # period, scope, groupings

    where each row is ``{"code", "name", <every key of FIGURES>}``: counts are integers, rates
    (percent) and satisfaction have one decimal or are None when there is nothing to compute
    them from. ``by_month`` lists every month of the period (code and name ``YYYY-MM``, zeros
    included); ``by_township`` and ``by_office`` only those with something to count. Raises
    ValueError when ``end`` is before ``start`` or a code is unknown.
    """
    if end < start:
        raise ValueError("the period must not end before it starts")
    region = office = None
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise ValueError(f"unknown region {region_code!r}")
    if office_code:
        office = Office.objects.filter(code=office_code).first()
        if office is None:
            raise ValueError(f"unknown office {office_code!r}")
    since, until = period_bounds(start, end)
    # Petitions (信访事项) only; a review or re-examination counts as reviewed or re-examined of
    # the petition it is about. A petition registered through the core's intake may have no
    # record yet: it is a petition of the first level.
    cases = petition_cases(user).filter(Q(petition__level=Level.ORIGINAL) | Q(petition__isnull=True)).exclude(
        status=Status.MERGED)
    if region is not None:
        cases = cases.filter(area_path__startswith=region.path)
    if office is not None:
        cases = cases.filter(Q(petition__first_office=office) | Q(petition__first_office__isnull=True, office=office))

    townships = townships_under(region)
    by_township = {path: Row(t.code, t.name) for path, t in townships.items()}
    lengths = sorted({len(path) for path in townships})
    by_office: dict[int, Row] = {}
    months = {key: Row(f"{key[0]:04d}-{key[1]:02d}", f"{key[0]:04d}-{key[1]:02d}") for key in months_of(start, end)}
    total = Row("", str(_("Total")))

    for make in SOURCES:
        source = make(cases, since, until)
        rows, aggregates = source.rows, source.aggregates
        total.add(rows.aggregate(**aggregates))
        for length in lengths:
            prefix = Substr(f"{source.to_case}area_path", 1, length)
            for counted in rows.annotate(prefix=prefix).values("prefix").annotate(**aggregates).order_by():
                if counted["prefix"] in by_township:
                    by_township[counted["prefix"]].add(counted)
        for counted in rows.annotate(body=source.body()).values("body").annotate(**aggregates).order_by():
            if counted["body"] is not None:
                by_office.setdefault(counted["body"], Row("", "")).add(counted)
        month_of = TruncMonth(source.anchor, tzinfo=LOCAL)
        for counted in rows.annotate(month=month_of).values("month").annotate(**aggregates).order_by():
            moment = counted["month"].astimezone(LOCAL) if counted["month"] is not None else None
            if moment is not None and (moment.year, moment.month) in months:
                months[(moment.year, moment.month)].add(counted)

    offices = {o.pk: o for o in Office.objects.filter(pk__in=list(by_office))}
    for pk, row in by_office.items():
        row.code, row.name = offices[pk].code, offices[pk].name
    return {
        "period": {"start": start, "end": end, "time_zone": "Asia/Shanghai"},
        "region": {"code": region.code, "name": region.name} if region is not None else None,
        "office": {"code": office.code, "name": office.name} if office is not None else None,
        "totals": total.as_dict(),
        "by_township": [row.as_dict() for row in by_township.values() if not row.is_empty()],
        "by_office": [row.as_dict() for row in sorted(by_office.values(), key=lambda r: r.code)
                      if not row.is_empty()],
        "by_month": [row.as_dict() for row in months.values()],
        "definitions": [{"key": key, "label": str(label), "definition": str(definition)}
                        for key, label, definition in FIGURES],
        "notes": [{"key": key, "label": str(label), "definition": str(definition)} for key, label, definition in NOTES],
    }
