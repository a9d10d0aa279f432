"""The statutory clock of the 2022 信访工作条例: plain functions over the working-day calendar,
no models, so that every rule can be tested at fixed moments.

"日" in the regulation are calendar days; the objection to a referral is counted in working
days. The regulation has no counting rule of its own, so its periods are counted, on both
sides, by the general rule of Chinese law, applied by analogy (民法典 Art. 201 and 203;
民事诉讼法 Art. 85, which 行政诉讼法 Art. 101 and 行政复议法 Art. 88 adopt): the day of the
event that opens a period (receipt, referral, acceptance, request) is not counted, and when the
last day is a statutory holiday or a rest day the period ends at the end of the first working
day after it (a make-up working day is a working day). The same rule ends the bodies' time
limits (to route, to notify, to answer) and the petitioner's own windows (to ask for review or
re-examination). Every deadline says whether a day it depends on is an estimate.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from anju.lib.workdays import CALENDAR_DAYS, WORKING_DAYS, Calendar, Deadline


@dataclass(frozen=True)
class Rule:
    """One time limit of the regulation, with the article that sets it."""

    days: int
    article: str
    working_days: bool = False


ROUTE = Rule(15, "第二十二条")            # the petition office registers and routes it
ACCEPTANCE_NOTICE = Rule(15, "第二十三条")  # the petitioner is told whether and by whom it is accepted
OBJECTION = Rule(5, "第二十三条", working_days=True)  # a body sent a matter not its own objects
HANDLING = Rule(60, "第三十四条")         # the answer (信访处理意见书), from acceptance
EXTENSION_MAX = Rule(30, "第三十四条")    # at most, with approval, the petitioner told why
REVIEW_REQUEST = Rule(30, "第三十五条")   # the petitioner asks for review (复查), from the answer
REVIEW_ANSWER = Rule(30, "第三十五条")    # the review answers, from the request
REEXAMINATION_REQUEST = Rule(30, "第三十六条")  # the petitioner asks for re-examination (复核)
REEXAMINATION_ANSWER = Rule(30, "第三十六条")   # hearing time (听证) not counted


def body_deadline(start: datetime, rule: Rule, calendar: Calendar, *, extra_days: int = 0) -> Deadline:
    """When a body's time limit under ``rule`` ends, counted from ``start`` (receipt, referral,
    acceptance or request): the end of its last day, or of the first working day after it when
    that day is a holiday or a rest day; working days on the Chinese calendar for the objection.
    ``extra_days`` are calendar days added to the period (an approved extension, hearing days
    not counted)."""
    if rule.working_days:
        deadline = calendar.add(start, rule.days, WORKING_DAYS)
        return calendar.then(deadline, extra_days, CALENDAR_DAYS) if extra_days else deadline
    return calendar.add(start, rule.days + extra_days, CALENDAR_DAYS)


def handling_deadline(accepted: datetime, calendar: Calendar, *, extension_days: int = 0) -> Deadline:
    """The answer is due 60 days after acceptance, plus an approved extension of at most 30."""
    if not 0 <= extension_days <= EXTENSION_MAX.days:
        raise ValueError(f"an extension is at most {EXTENSION_MAX.days} days ({EXTENSION_MAX.article})")
    return body_deadline(accepted, HANDLING, calendar, extra_days=extension_days)


def petitioner_window(received_on: date, rule: Rule, calendar: Calendar) -> tuple[date, bool]:
    """The last day on which the petitioner may still ask (review, re-examination), counted from
    the day they received the decision, and whether it is an estimate."""
    return calendar.period_end(received_on, rule.days)


def petitioner_window_end(received_on: date, rule: Rule, calendar: Calendar) -> date:
    """The last day of the petitioner's window (``petitioner_window``)."""
    return petitioner_window(received_on, rule, calendar)[0]


def within_window(asked_on: date, received_on: date, rule: Rule, calendar: Calendar) -> bool:
    """Whether a request made on ``asked_on`` is in time (and not before the decision it is about)."""
    return received_on <= asked_on <= petitioner_window_end(received_on, rule, calendar)


def hearing_days(hearings: list[tuple[date, date]]) -> int:
    """Calendar days taken by hearings (first and last day included), each day counted once:
    the re-examination clock stands still on them."""
    days: set[date] = set()
    for first, last in hearings:
        if last < first:
            raise ValueError("a hearing cannot end before it starts")
        days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    return len(days)


def reexamination_deadline(requested: datetime, calendar: Calendar,
                           hearings: list[tuple[date, date]] | None = None) -> Deadline:
    """The re-examination answers 30 days after the request, not counting hearing days."""
    return body_deadline(requested, REEXAMINATION_ANSWER, calendar, extra_days=hearing_days(hearings or []))
