"""The statutory clock of the 2022 信访工作条例: plain functions over the working-day calendar,
no models, so that every rule can be tested at fixed moments.

"日" in the regulation are calendar days; the objection to a referral is counted in working
days. A period starts the day after the event that opens it (the day of receipt is not
counted). Two kinds of period, read in the petitioner's favour:

- the bodies' time limits (to route, to notify, to answer) end at the end of their last day,
  holiday or not;
- the petitioner's own windows (to ask for review or re-examination) end at the end of their
  last day, or of the first working day after it when that day is a weekend or a holiday, as
  periods of Chinese procedure do (Civil Procedure Law Art. 85).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from anju.lib.workdays import Calendar, end_of_day, local_date


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


def body_deadline(start: datetime, rule: Rule, calendar: Calendar, *, extra_days: int = 0) -> datetime:
    """When a body's time limit under ``rule`` ends, counted from ``start`` (receipt, referral,
    acceptance or request): the end of the last day, holiday or not; working days on the Chinese
    calendar for the objection. ``extra_days`` are added calendar days (an approved extension,
    hearing days not counted)."""
    if rule.working_days:
        return calendar.add(start, rule.days, "working_days").at + timedelta(days=extra_days)
    return end_of_day(local_date(start) + timedelta(days=rule.days + extra_days))


def handling_deadline(accepted: datetime, calendar: Calendar, *, extension_days: int = 0) -> datetime:
    """The answer is due 60 days after acceptance, plus an approved extension of at most 30."""
    if not 0 <= extension_days <= EXTENSION_MAX.days:
        raise ValueError(f"an extension is at most {EXTENSION_MAX.days} days ({EXTENSION_MAX.article})")
    return body_deadline(accepted, HANDLING, calendar, extra_days=extension_days)


def petitioner_window_end(received_on: date, rule: Rule, calendar: Calendar) -> date:
    """The last day on which the petitioner may still ask (review, re-examination), counted from
    the day they received the decision: moved to the first working day after a weekend or a
    holiday on which it would end."""
    return calendar.working_day_on_or_after(received_on + timedelta(days=rule.days))


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
                           hearings: list[tuple[date, date]] | None = None) -> datetime:
    """The re-examination answers 30 days after the request, not counting hearing days."""
    return body_deadline(requested, REEXAMINATION_ANSWER, calendar, extra_days=hearing_days(hearings or []))
